// Building blocks sources use to make EntryStreams: raw byte sources, the layer tar stream
// (decompression, hashing, bomb guards, on its own thread), and directory trees.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "core/limits.h"
#include "core/layer.h"

namespace customs {

// Raw bytes, read sequentially. Read returns 0 at the end; throws customs::Error on I/O failure.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual size_t Read(char* buf, size_t n) = 0;
};

// Bytes of a whole file.
std::unique_ptr<ByteSource> OpenFileBytes(const std::string& path);

// A tar stream over `raw`: the compression (none, gzip, zstd) is detected from the magic bytes.
// Decompression and hashing run on a second thread; the tar is parsed with libarchive on the
// caller's. Enforces limits.max_layer_bytes and the compression-ratio guard. `name` is used in
// every error message.
std::unique_ptr<EntryStream> OpenTarStream(std::unique_ptr<ByteSource> raw, std::string name,
                                           const Limits& limits);

// A directory tree, walked without following symlinks; entries are sorted per directory.
std::unique_ptr<EntryStream> OpenDirectoryStream(const std::string& root, const Limits& limits);

// A LayerSource whose Open() calls `open` (used by every source).
std::unique_ptr<LayerSource> MakeLayerSource(std::string description,
                                             std::function<std::unique_ptr<EntryStream>()> open);

// A LayerSource for a directory tree, with direct file reads.
std::unique_ptr<LayerSource> MakeDirectoryLayer(const std::string& root, const Limits& limits);

}  // namespace customs
