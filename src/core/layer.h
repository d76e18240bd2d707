// What the walker knows about one entry of a layer, and the stream interfaces sources implement.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace customs {

enum class FileType : uint8_t {
  kRegular,
  kDirectory,
  kSymlink,
  kHardlink,
  kCharDevice,
  kBlockDevice,
  kFifo,
  kSocket,
  kWhiteout,        // ".wh.NAME": `path` is the deleted NAME
  kOpaqueWhiteout,  // ".wh..wh..opq": `path` is the directory whose lower contents are hidden
};

const char* FileTypeName(FileType t);

// One entry as the walker records it. `path` is normalized: relative to the root, no leading "/" or
// "./", no "." or ".." components, no trailing "/" ("" is the root itself).
struct FileMeta {
  std::string path;
  FileType type = FileType::kRegular;
  uint64_t size = 0;
  uint32_t mode = 0;    // permission bits (07777)
  uint32_t uid = 0, gid = 0;
  std::string link;     // symlink target as written, or hardlink target (normalized path)
};

// An entry as a stream delivers it, before normalization and validation.
struct RawEntry {
  std::string path;     // as stored in the archive or relative to the directory
  FileType type = FileType::kRegular;  // never kWhiteout/kOpaqueWhiteout: the walker derives those
  uint64_t size = 0;
  uint32_t mode = 0;
  uint32_t uid = 0, gid = 0;
  std::string link;
  // Sparse tar members: how many of the `size` bytes are holes (stored as nothing, read back as zeros).
  uint64_t hole_bytes = 0;
};

// Digests and sizes of a stream, known once it has been read to the end.
struct StreamStats {
  std::string stored_sha256;        // "sha256:<hex>" of the bytes as stored (possibly compressed)
  std::string uncompressed_sha256;  // "sha256:<hex>" of the tar stream (the diff_id)
  uint64_t stored_bytes = 0;
  uint64_t uncompressed_bytes = 0;
  bool digests_valid = false;       // false for directory trees, where there is no byte stream
};

// Sequential access to the entries of one layer. Implementations throw customs::Error
// (kExitInputRejected) on malformed input, naming the stream.
class EntryStream {
 public:
  virtual ~EntryStream() = default;
  // Advances to the next entry. Returns false at the end of the stream.
  virtual bool Next(RawEntry& entry) = 0;
  // Reads the current entry's data: successive calls return successive blocks, then an empty span.
  virtual std::span<const char> ReadBlock() = 0;
  // Valid after Next() returned false.
  virtual StreamStats Finish() = 0;
};

// A layer that can be opened (and re-opened, for the rare targeted re-read) as an EntryStream.
class LayerSource {
 public:
  virtual ~LayerSource() = default;
  // Human-readable name for messages ("alpine.tar:blobs/sha256/ab12...").
  virtual std::string Describe() const = 0;
  virtual std::unique_ptr<EntryStream> Open() const = 0;
  // Directory trees can read one file directly; returns false when not supported (then the walker
  // re-reads the stream). Reads at most `max_bytes`.
  virtual bool ReadFileDirect(const std::string& /*normalized_path*/, uint64_t /*max_bytes*/,
                              std::string& /*out*/) const {
    return false;
  }
};

}  // namespace customs
