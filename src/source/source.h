// Sources turn what the user named (an image archive, an OCI layout, a root filesystem, a directory)
// into an artifact description and an ordered list of layers the walker can stream.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/limits.h"
#include "core/types.h"
#include "core/layer.h"

namespace customs {

struct SourceOptions {
  std::string platform = "linux/amd64";  // --platform for multi-platform indexes ("os/arch[/variant]")
  Limits limits;
  // Registry images (`customs image REF`):
  std::string registry_cacert;                       // --cacert
  std::vector<std::string> registry_insecure;        // --insecure HOST (plain HTTP)
  std::string layer_cache_dir;                       // --cache-dir (default ~/.cache/customs/layers)
  std::string registry_username, registry_password;  // --username / --password (never logged)
  std::string docker_config;                         // default $DOCKER_CONFIG or ~/.docker/config.json
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
// `customs image REF`: pulls from a registry (manifest, config, missing layers into the layer cache) and
// streams the layers from the cache. Artifact::repo_digests names the resolved digest.
LoadedSource LoadRegistryImage(const std::string& reference, const SourceOptions& opts);
// Layers the last LoadRegistryImage of this process downloaded, and the image's layer count.
struct RegistryPullStats {
  size_t downloaded = 0, layers = 0;
};
RegistryPullStats LastRegistryPullStats();
// `customs rootfs DIR|TARBALL` (.tar, .tar.gz, .tgz, .tar.zst).
LoadedSource LoadRootfs(const std::string& path, const SourceOptions& opts);
// `customs fs DIR`.
LoadedSource LoadFilesystem(const std::string& path, const SourceOptions& opts);

}  // namespace customs
