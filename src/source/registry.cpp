// `customs image REF`: an image in a registry. The manifest (through an index to the platform's
// manifest) and the config are fetched and verified by digest; layers missing from the layer cache are
// downloaded into it (verified before they are renamed into place); the walker then streams the layers
// from the cache and checks them against the manifest's digests and the config's diff_ids, exactly as
// for an OCI layout on disk.
#include <spdlog/spdlog.h>

#include <atomic>
#include <set>

#include "core/error.h"
#include "core/sha256.h"
#include "registry/cache.h"
#include "registry/client.h"
#include "registry/manifest.h"
#include "formats/oci.h"
#include "source/source.h"
#include "source/streams.h"

namespace customs {

namespace {

constexpr int kMaxIndexDepth = 4;

std::atomic<size_t> g_downloaded{0}, g_layers{0};

ExitCode CodeFor(registry::RegistryError::Kind k) {
  using K = registry::RegistryError::Kind;
  switch (k) {
    case K::kDigestMismatch:
    case K::kProtocol:
    case K::kTooLarge: return kExitInputRejected;
    case K::kUnreachable:
    case K::kAuth:
    case K::kNotFound: return kExitIo;
  }
  return kExitIo;
}

LoadedSource Load(const std::string& text, const SourceOptions& opts) {
  registry::Reference ref = registry::Reference::Parse(text);
  Platform want = oci::ParsePlatform(opts.platform.empty() ? SourceOptions{}.platform : opts.platform);
  registry::ClientOptions co;
  co.ca_file = opts.registry_cacert;
  co.insecure_registries = opts.registry_insecure;
  co.username = opts.registry_username;
  co.password = opts.registry_password;
  co.docker_config = opts.docker_config;
  co.user_agent = std::string("customs/") + CUSTOMS_VERSION;
  co.max_blob_bytes = opts.limits.max_layer_bytes;
  registry::Client client(co);
  registry::LayerCache cache(opts.layer_cache_dir);

  // The document the reference names; its digest is the one a report pins.
  registry::Manifest top = client.GetManifest(ref);
  const std::string resolved = top.digest;
  spdlog::debug("registry: {} resolved to {}", ref.String(), resolved);
  registry::Manifest doc = top;
  std::string where = ref.Repository() + "@" + doc.digest;
  registry::ParsedManifest parsed = registry::ParseManifest(doc.media_type, doc.body, where);
  std::set<std::string> seen{doc.digest};
  for (int depth = 0; parsed.kind == oci::MediaKind::kIndex; ++depth) {
    if (depth >= kMaxIndexDepth)
      throw InputError(where, "image indexes nested more than " + std::to_string(kMaxIndexDepth) + " levels deep");
    auto pick = registry::SelectManifest(parsed.index, want);
    if (!pick) {
      std::string avail = oci::ListPlatforms(parsed.index.manifests);
      throw InputError(where, "no image for platform " + oci::FormatPlatform(want) +
                                  (avail.empty() ? "" : "; available: " + avail) + " (choose one with --platform)");
    }
    if (!IsSha256Digest(pick->digest))
      throw InputError(where, "the chosen manifest has an unsupported digest (only sha256 is verified)");
    if (!seen.insert(pick->digest).second) throw InputError(where, "the image index refers to itself");
    doc = client.GetManifest(ref.WithDigest(pick->digest));
    where = ref.Repository() + "@" + doc.digest;
    parsed = registry::ParseManifest(doc.media_type, doc.body, where);
  }
  const oci::Manifest& m = parsed.manifest;
  if (oci::ClassifyMediaType(m.config.media_type) != oci::MediaKind::kConfig)
    throw InputError(where, "not a container image: its config has media type \"" + m.config.media_type.substr(0, 100) +
                                "\"");
  if (!IsSha256Digest(m.config.digest))
    throw InputError(where, "the config has an unsupported digest (only sha256 is verified)");
  std::string config_bytes = client.GetBlob(ref, m.config.digest, opts.limits.max_metadata_bytes);
  const std::string config_where = ref.Repository() + "@" + m.config.digest;
  oci::ImageConfig config = oci::ParseImageConfig(config_bytes, config_where);
  if (m.layers.size() != config.diff_ids.size())
    throw InputError(where, "lists " + std::to_string(m.layers.size()) + " layers but the config's rootfs.diff_ids has " +
                                std::to_string(config.diff_ids.size()));

  LoadedSource out;
  out.artifact.type = ArtifactType::kContainerImage;
  // The name pins what was scanned: a tag reference gets the resolved digest appended (the table
  // report's header shows it).
  out.artifact.name = ref.digest.empty() ? text + "@" + resolved : text;
  out.artifact.image_id = m.config.digest;
  out.artifact.manifest_digest = doc.digest;
  if (!ref.tag.empty()) out.artifact.repo_tags.push_back(ref.Repository() + ":" + ref.tag);
  out.artifact.repo_digests.push_back(ref.Repository() + "@" + resolved);
  out.artifact.platform = config.platform;
  out.artifact.created = config.created;

  std::vector<std::string> history = oci::LayerHistory(config);
  size_t downloaded = 0;
  for (size_t i = 0; i < m.layers.size(); ++i) {
    const oci::Descriptor& d = m.layers[i];
    const std::string what = "layer " + std::to_string(i);
    if (oci::ClassifyMediaType(d.media_type) != oci::MediaKind::kLayer)
      throw InputError(where, what + " has media type \"" + d.media_type.substr(0, 100) +
                                  "\", which customs cannot read as a filesystem layer");
    if (!IsSha256Digest(d.digest))
      throw InputError(where, what + " has an unsupported digest (only sha256 is verified)");
    if (d.size && *d.size > opts.limits.max_layer_bytes)
      throw InputError(where, what + " is " + std::to_string(*d.size) + " bytes, more than --max-layer-size");
    if (cache.Fetch(client, ref, d.digest, d.size.value_or(0), opts.limits.max_layer_bytes)) {
      ++downloaded;
      spdlog::debug("registry: downloaded {} ({} bytes)", d.digest, d.size.value_or(0));
    } else {
      spdlog::debug("registry: {} is in the layer cache", d.digest);
    }
    const std::string path = cache.Path(d.digest);
    const std::string layer_where = ref.Repository() + "@" + d.digest;
    LayerInfo info;
    info.index = int(i);
    info.digest = d.digest;
    info.diff_id = config.diff_ids[i];
    info.media_type = d.media_type;
    info.size = d.size.value_or(0);
    if (i < history.size()) info.created_by = history[i];
    out.layers.push_back(std::move(info));
    out.expect.push_back({d.digest, config.diff_ids[i]});
    Limits limits = opts.limits;
    out.streams.push_back(MakeLayerSource(layer_where, [path, layer_where, limits]() {
      return OpenTarStream(OpenFileBytes(path), layer_where, limits);
    }));
  }
  g_downloaded = downloaded;
  g_layers = m.layers.size();
  spdlog::debug("registry: downloaded {} of {} layers", downloaded, m.layers.size());
  out.artifact.config_json = std::move(config_bytes);
  return out;
}

}  // namespace

LoadedSource LoadRegistryImage(const std::string& reference, const SourceOptions& opts) {
  try {
    return Load(reference, opts);
  } catch (const registry::RegistryError& e) {
    throw Error(CodeFor(e.kind), e.what());
  }
}

RegistryPullStats LastRegistryPullStats() { return {g_downloaded.load(), g_layers.load()}; }

}  // namespace customs
