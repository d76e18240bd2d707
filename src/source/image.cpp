// `customs image --input FILE|DIR`: docker-archive (docker save, as a tar or extracted) and OCI image
// layouts (directory or tar). The format is told from the content, never from the file name.
//
// Trust: every small JSON blob (index, manifest, config) is checked against its digest here, before it
// is parsed; layers are streamed later by the walker, which checks them against LoadedSource::expect.
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include <spdlog/spdlog.h>

#include "core/error.h"
#include "core/sha256.h"
#include "formats/oci.h"
#include "source/source.h"
#include "source/store.h"

namespace customs {

namespace {

using source_detail::BlobStore;
using source_detail::Member;
using source_detail::PrintableName;

constexpr int kMaxIndexDepth = 4;       // index.json -> index -> index -> ... -> manifest
constexpr int kMaxIndexDocuments = 64;  // nested indexes read while resolving index.json
constexpr size_t kMaxCandidates = 1024; // manifests considered

std::string Join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

// "blobs/sha256/<hex>" -> "sha256:<hex>"; "" for other names.
std::string DigestFromBlobName(const std::string& canonical) {
  const std::string prefix = "blobs/sha256/";
  if (canonical.rfind(prefix, 0) != 0) return "";
  std::string d = "sha256:" + canonical.substr(prefix.size());
  return IsSha256Digest(d) ? d : "";
}

// Config names that state the config's digest: "blobs/sha256/<hex>" or "<hex>.json" (docker save
// before v25 names the config after the image id).
std::string DigestFromConfigName(const std::string& canonical) {
  std::string d = DigestFromBlobName(canonical);
  if (!d.empty()) return d;
  if (canonical.size() == 64 + 5 && canonical.compare(64, 5, ".json") == 0) {
    d = "sha256:" + canonical.substr(0, 64);
    if (IsSha256Digest(d)) return d;
  }
  return "";
}

// Media type of a docker-archive layer, which no document states: from its first bytes.
std::string SniffLayerMediaType(const std::string& head) {
  auto u = [&](size_t i) { return i < head.size() ? static_cast<unsigned char>(head[i]) : 0u; };
  if (u(0) == 0x1f && u(1) == 0x8b) return std::string(oci::kMediaOciLayerGzip);
  if (u(0) == 0x28 && u(1) == 0xb5 && u(2) == 0x2f && u(3) == 0xfd) return std::string(oci::kMediaOciLayerZstd);
  return std::string(oci::kMediaOciLayer);
}

std::unique_ptr<LayerSource> MakeStreamedLayer(const BlobStore& store, const Member& m, const Limits& limits) {
  auto open = store.Opener(m);
  std::string where = store.Where(m.name);
  return MakeLayerSource(where, [open, where, limits]() { return OpenTarStream(open(), where, limits); });
}

// A member that metadata names; InputError when it is not there.
Member RequireMember(const BlobStore& store, const std::string& name, const std::string& what) {
  auto m = store.Find(name);
  if (!m) throw InputError(store.Where(name), what + " is missing from the archive");
  return *m;
}

// ---- OCI blobs -------------------------------------------------------------------------------------

// The member holding the blob a descriptor names, with its size checked against the descriptor.
Member BlobMember(const BlobStore& store, const oci::Descriptor& d, const std::string& what) {
  if (!IsSha256Digest(d.digest))
    throw InputError(store.path(), what + " has digest " + PrintableName(d.digest) +
                                       ", which customs cannot verify (only sha256 is supported)");
  const std::string name = "blobs/sha256/" + d.digest.substr(7);
  auto m = store.Find(name);
  if (!m) {
    std::string note;
    if (!d.urls.empty()) note = " (a foreign or non-distributable layer: customs does not download it)";
    throw InputError(store.Where(name), what + " blob is missing from the image layout" + note);
  }
  if (d.size && *d.size != m->size)
    throw InputError(store.Where(name), what + " blob is " + std::to_string(m->size) +
                                            " bytes but its descriptor says " + std::to_string(*d.size));
  return *m;
}

// A small JSON blob, read and verified against its digest.
std::string ReadBlob(const BlobStore& store, const oci::Descriptor& d, const std::string& what, const Limits& limits) {
  Member m = BlobMember(store, d, what);
  std::string bytes = store.Read(m, limits.max_metadata_bytes);
  std::string got = Sha256::Of(bytes);
  if (got != d.digest)
    throw InputError(store.Where(m.name), what + " does not match its digest: expected " + d.digest + ", got " + got);
  return bytes;
}

struct Candidate {
  oci::Descriptor desc;                // of the manifest
  std::optional<Platform> platform;    // from the descriptor, else (once loaded) from the config
  bool platform_from_config = false;
  std::vector<std::string> names;      // image names from the annotations on the way down
  // Loaded lazily:
  bool loaded = false;
  std::string manifest_where;
  oci::Manifest manifest;
  oci::Descriptor config_desc;
  std::string config_bytes;
  oci::ImageConfig config;
};

class OciLoader {
 public:
  OciLoader(const BlobStore& store, const SourceOptions& opts) : store_(store), opts_(opts) {}

  void Collect(const oci::Index& index, const std::string& where, int depth, const std::vector<std::string>& names) {
    for (const auto& d : index.manifests) {
      std::vector<std::string> n = names;
      AddNames(d.annotations, n);
      switch (oci::ClassifyMediaType(d.media_type)) {
        case oci::MediaKind::kIndex: {
          if (d.platform && !oci::PlatformMatches(*d.platform, want_)) break;
          if (!visited_.insert(d.digest).second) break;
          if (depth + 1 > kMaxIndexDepth)
            throw InputError(where, "image indexes nested more than " + std::to_string(kMaxIndexDepth) + " levels deep");
          if (++documents_ > kMaxIndexDocuments)
            throw InputError(where, "refers to more than " + std::to_string(kMaxIndexDocuments) + " image indexes");
          std::string sub_where = store_.Where("blobs/sha256/" + d.digest.substr(d.digest.find(':') + 1));
          std::string bytes = ReadBlob(store_, d, "image index", opts_.limits);
          Collect(oci::ParseOciIndex(bytes, sub_where), sub_where, depth + 1, n);
          break;
        }
        case oci::MediaKind::kManifest: {
          // Build attestations (in-toto) ride along as manifests for platform "unknown/unknown".
          auto ref = d.annotations.find("vnd.docker.reference.type");
          if (ref != d.annotations.end() && ref->second == "attestation-manifest") break;
          if (candidates_.size() >= kMaxCandidates)
            throw InputError(where, "lists more than " + std::to_string(kMaxCandidates) + " manifests");
          Candidate c;
          c.desc = d;
          c.platform = d.platform;
          c.names = n;
          candidates_.push_back(std::move(c));
          break;
        }
        case oci::MediaKind::kLegacyManifest:
          legacy_ = true;
          break;
        default:
          skipped_.insert(PrintableName(d.media_type.empty() ? "(no media type)" : d.media_type));
          break;
      }
    }
  }

  // Chooses the image for opts.platform and loads its manifest and config.
  Candidate& Choose(const std::string& index_where) {
    if (candidates_.empty()) {
      if (legacy_) throw InputError(index_where, "Docker image manifest schema 1 is not supported");
      std::string seen = skipped_.empty() ? "" : " (found only: " + Join({skipped_.begin(), skipped_.end()}) + ")";
      throw InputError(index_where, "lists no image manifest" + seen);
    }
    // A layout that holds one image without platform information: that image, whatever the
    // requested platform (as for docker-archive, which has no choice either).
    if (candidates_.size() == 1 && !candidates_[0].platform) {
      Candidate& c = Load(candidates_[0]);
      if (!oci::PlatformMatches(c.config.platform, want_))
        spdlog::debug("{}: the only image is for {}, not {}; scanning it", index_where,
                      oci::FormatPlatform(c.config.platform), oci::FormatPlatform(want_));
      return c;
    }
    // Entries without a platform in their descriptor: the config says it.
    for (auto& c : candidates_) {
      if (!c.platform) {
        Load(c);
        c.platform = c.config.platform;
        c.platform_from_config = true;
      }
    }
    std::vector<oci::Descriptor> descs;
    for (const auto& c : candidates_) {
      oci::Descriptor d = c.desc;
      d.platform = c.platform;
      descs.push_back(std::move(d));
    }
    auto pick = oci::SelectPlatform(descs, want_);
    if (!pick)
      throw InputError(index_where, "no image for platform " + oci::FormatPlatform(want_) +
                                        "; available: " + oci::ListPlatforms(descs) + " (choose one with --platform)");
    std::set<std::string> matching;
    for (size_t i = 0; i < descs.size(); ++i)
      if (oci::PlatformMatches(*descs[i].platform, *descs[*pick].platform)) matching.insert(descs[i].digest);
    Candidate& c = Load(candidates_[*pick]);
    if (matching.size() > 1)
      spdlog::warn("{}: {} different images match platform {}; scanning the first ({})", index_where,
                   matching.size(), oci::FormatPlatform(*c.platform),
                   c.names.empty() ? c.desc.digest : PrintableName(c.names.front()));
    if (!c.platform_from_config && !oci::PlatformMatches(c.config.platform, *c.platform))
      spdlog::debug("{}: the index says {} but the config says {}", index_where, oci::FormatPlatform(*c.platform),
                    oci::FormatPlatform(c.config.platform));
    return c;
  }

  void set_want(const Platform& p) { want_ = p; }

 private:
  static void AddNames(const std::map<std::string, std::string>& ann, std::vector<std::string>& names) {
    for (const char* key : {"io.containerd.image.name", "org.opencontainers.image.ref.name"}) {
      auto it = ann.find(key);
      if (it != ann.end() && !it->second.empty()) names.push_back(std::string(key) + "=" + it->second);
    }
  }

  Candidate& Load(Candidate& c) {
    if (c.loaded) return c;
    c.manifest_where = store_.Where("blobs/sha256/" + c.desc.digest.substr(c.desc.digest.find(':') + 1));
    std::string bytes = ReadBlob(store_, c.desc, "image manifest", opts_.limits);
    c.manifest = oci::ParseOciManifest(bytes, c.manifest_where);
    c.config_desc = c.manifest.config;
    oci::MediaKind kind = oci::ClassifyMediaType(c.config_desc.media_type);
    if (kind != oci::MediaKind::kConfig)
      throw InputError(c.manifest_where, "not a container image: its config has media type \"" +
                                             PrintableName(c.config_desc.media_type) + "\"");
    c.config_bytes = ReadBlob(store_, c.config_desc, "image config", opts_.limits);
    std::string config_where = store_.Where("blobs/sha256/" + c.config_desc.digest.substr(7));
    c.config = oci::ParseImageConfig(c.config_bytes, config_where);
    c.loaded = true;
    return c;
  }

  const BlobStore& store_;
  const SourceOptions& opts_;
  Platform want_;
  std::vector<Candidate> candidates_;
  std::set<std::string> visited_, skipped_;
  int documents_ = 0;
  bool legacy_ = false;
};

// Tags from index annotations: full names (containerd) when there are any, else ref names.
std::vector<std::string> TagsFromNames(const std::vector<std::string>& names) {
  std::vector<std::string> full, ref;
  for (const auto& n : names) {
    auto eq = n.find('=');
    std::string key = n.substr(0, eq), value = n.substr(eq + 1);
    auto& dst = key == "io.containerd.image.name" ? full : ref;
    if (std::find(dst.begin(), dst.end(), value) == dst.end()) dst.push_back(value);
  }
  return full.empty() ? ref : full;
}

void FillFromConfig(LoadedSource& out, const oci::ImageConfig& config, std::string config_bytes) {
  out.artifact.platform = config.platform;
  out.artifact.created = config.created;
  out.artifact.config_json = std::move(config_bytes);
}

LoadedSource LoadOci(const BlobStore& store, const Member& layout, const Member& index_member,
                     const std::optional<Member>& docker_manifest, const SourceOptions& opts) {
  const Limits& limits = opts.limits;
  oci::ParseOciLayout(store.Read(layout, limits.max_metadata_bytes), store.Where(layout.name));
  const std::string index_where = store.Where(index_member.name);
  oci::Index index = oci::ParseOciIndex(store.Read(index_member, limits.max_metadata_bytes), index_where);

  OciLoader loader(store, opts);
  loader.set_want(oci::ParsePlatform(opts.platform));
  loader.Collect(index, index_where, 0, {});
  Candidate& c = loader.Choose(index_where);

  if (c.manifest.layers.size() != c.config.diff_ids.size())
    throw InputError(c.manifest_where, "lists " + std::to_string(c.manifest.layers.size()) +
                                           " layers but the config's rootfs.diff_ids has " +
                                           std::to_string(c.config.diff_ids.size()));
  LoadedSource out;
  out.artifact.type = ArtifactType::kContainerImage;
  out.artifact.name = store.path();
  out.artifact.image_id = c.config_desc.digest;
  out.artifact.manifest_digest = c.desc.digest;
  out.artifact.repo_tags = TagsFromNames(c.names);
  // docker save (v25+) writes both layouts: its manifest.json has the familiar tags.
  if (docker_manifest) {
    auto entries = oci::ParseDockerManifest(store.Read(*docker_manifest, limits.max_metadata_bytes),
                                            store.Where(docker_manifest->name));
    for (const auto& e : entries) {
      std::string clean, reason;
      if (!source_detail::CleanMemberName(e.config, clean, reason)) continue;
      if (DigestFromBlobName(clean) == c.config_desc.digest && !e.repo_tags.empty()) {
        out.artifact.repo_tags = e.repo_tags;
        break;
      }
    }
  }
  std::vector<std::string> history = oci::LayerHistory(c.config);
  for (size_t i = 0; i < c.manifest.layers.size(); ++i) {
    const oci::Descriptor& d = c.manifest.layers[i];
    const std::string what = "layer " + std::to_string(i);
    if (oci::ClassifyMediaType(d.media_type) != oci::MediaKind::kLayer)
      throw InputError(c.manifest_where, what + " has media type \"" + PrintableName(d.media_type) +
                                             "\", which customs cannot read as a filesystem layer");
    Member m = BlobMember(store, d, what);
    LayerInfo info;
    info.index = int(i);
    info.digest = d.digest;
    info.diff_id = c.config.diff_ids[i];
    info.media_type = d.media_type;
    info.size = m.size;
    if (i < history.size()) info.created_by = history[i];
    out.layers.push_back(std::move(info));
    out.expect.push_back({d.digest, c.config.diff_ids[i]});
    out.streams.push_back(MakeStreamedLayer(store, m, limits));
  }
  FillFromConfig(out, c.config, std::move(c.config_bytes));
  return out;
}

// ---- docker-archive --------------------------------------------------------------------------------

LoadedSource LoadDocker(const BlobStore& store, const Member& manifest_member, const SourceOptions& opts) {
  const Limits& limits = opts.limits;
  const std::string manifest_where = store.Where(manifest_member.name);
  auto entries = oci::ParseDockerManifest(store.Read(manifest_member, limits.max_metadata_bytes), manifest_where);
  if (entries.empty()) throw InputError(manifest_where, "lists no image");
  const oci::DockerManifestEntry& e = entries.front();
  if (entries.size() > 1)
    spdlog::warn("{}: the archive holds {} images; scanning the first ({})", store.path(), entries.size(),
                 e.repo_tags.empty() ? PrintableName(e.config) : PrintableName(e.repo_tags.front()));

  Member config_member = RequireMember(store, e.config, "the image config named by manifest.json");
  const std::string config_where = store.Where(config_member.name);
  std::string config_bytes = store.Read(config_member, limits.max_metadata_bytes);
  std::string image_id = Sha256::Of(config_bytes);
  std::string named = DigestFromConfigName(config_member.name);
  if (named.empty()) {
    std::string clean, reason;
    if (source_detail::CleanMemberName(e.config, clean, reason)) named = DigestFromConfigName(clean);
  }
  if (!named.empty() && named != image_id)
    throw InputError(config_where, "does not match the digest in its name: expected " + named + ", got " + image_id);
  oci::ImageConfig config = oci::ParseImageConfig(config_bytes, config_where);
  if (config.diff_ids.size() != e.layers.size())
    throw InputError(manifest_where, "lists " + std::to_string(e.layers.size()) +
                                         " layers but the config's rootfs.diff_ids has " +
                                         std::to_string(config.diff_ids.size()));
  LoadedSource out;
  out.artifact.type = ArtifactType::kContainerImage;
  out.artifact.name = store.path();
  out.artifact.image_id = image_id;
  out.artifact.repo_tags = e.repo_tags;
  std::vector<std::string> history = oci::LayerHistory(config);
  for (size_t i = 0; i < e.layers.size(); ++i) {
    Member m = RequireMember(store, e.layers[i], "layer " + std::to_string(i) + " named by manifest.json");
    LayerInfo info;
    info.index = int(i);
    // Layers stored as blobs/sha256/<hex> (docker v25+) are named by their digest; <id>/layer.tar
    // ones are not, and only their diff_id can be checked.
    info.digest = DigestFromBlobName(m.name);
    info.diff_id = config.diff_ids[i];
    info.media_type = SniffLayerMediaType(store.Head(m));
    info.size = m.size;
    if (i < history.size()) info.created_by = history[i];
    out.expect.push_back({info.digest, info.diff_id});
    out.layers.push_back(std::move(info));
    out.streams.push_back(MakeStreamedLayer(store, m, limits));
  }
  FillFromConfig(out, config, std::move(config_bytes));
  return out;
}

}  // namespace

LoadedSource LoadImageArchive(const std::string& path, const SourceOptions& opts) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) throw IoError(path, std::strerror(errno));
  // Validate --platform before any work (empty: the default).
  SourceOptions o = opts;
  if (o.platform.empty()) o.platform = SourceOptions{}.platform;
  oci::ParsePlatform(o.platform);
  std::unique_ptr<BlobStore> store;
  if (S_ISDIR(st.st_mode)) {
    store = source_detail::OpenDirStore(path);
  } else if (S_ISREG(st.st_mode)) {
    if (st.st_size == 0) throw InputError(path, "empty file, not an image archive");
    store = source_detail::OpenTarStore(path);
  } else {
    throw InputError(path, "not a regular file or a directory");
  }
  auto layout = store->Find("oci-layout");
  auto index = store->Find("index.json");
  auto docker = store->Find("manifest.json");
  if (layout && index) return LoadOci(*store, *layout, *index, docker, o);
  if (docker) return LoadDocker(*store, *docker, o);
  if (layout) throw InputError(store->Where("index.json"), "missing: an OCI image layout needs oci-layout and index.json");
  if (index) throw InputError(store->Where("oci-layout"), "missing: an OCI image layout needs oci-layout and index.json");
  throw InputError(path, std::string("not a container image ") + (S_ISDIR(st.st_mode) ? "directory" : "archive") +
                             ": it has neither manifest.json (docker save) nor oci-layout and index.json (OCI image layout)");
}

}  // namespace customs
