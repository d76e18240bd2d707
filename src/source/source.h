// Sources turn what the user named (an image archive, an OCI layout, a root filesystem, a directory)
// into an artifact description and an ordered list of layers the walker can stream.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/limits.h"
#include "core/types.h"
#include "walker/entry.h"

namespace customs {

struct SourceOptions {
  std::string platform = "linux/amd64";  // --platform for multi-platform indexes ("os/arch[/variant]")
  Limits limits;
};

// What the walker must check once it has streamed a layer.
struct LayerExpectation {
  std::string digest;   // expected StreamStats::stored_sha256 (empty: not checked)
  std::string diff_id;  // expected StreamStats::uncompressed_sha256 (empty: not checked)
};

struct LoadedSource {
  Artifact artifact;
  std::vector<LayerInfo> layers;                       // one per layer, bottom first
  std::vector<LayerExpectation> expect;                // same length as layers
  std::vector<std::unique_ptr<LayerSource>> streams;   // same length as layers
};

// `customs image --input FILE|DIR`: docker-archive tar (or its directory), OCI layout (dir or tar).
LoadedSource LoadImageArchive(const std::string& path, const SourceOptions& opts);
// `customs rootfs DIR|TARBALL` (.tar, .tar.gz, .tgz, .tar.zst).
LoadedSource LoadRootfs(const std::string& path, const SourceOptions& opts);
// `customs fs DIR`.
LoadedSource LoadFilesystem(const std::string& path, const SourceOptions& opts);

}  // namespace customs
