// Parsers for image metadata (see oci.h). Every accessor checks JSON types itself; nlohmann's own
// exceptions are caught at the boundary and turned into InputError as a safety net.
#include "formats/oci.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

#include "core/error.h"
#include "core/sha256.h"
#include "formats/json.h"

namespace customs::oci {

namespace {

using json = nlohmann::json;

constexpr int kMaxJsonDepth = 64;  // image metadata nests a handful of levels

// Error messages quote input: keep them printable and short.
std::string Printable(std::string_view s, size_t max = 120) {
  std::string out;
  for (char c : s) {
    if (out.size() >= max) {
      out += "...";
      break;
    }
    unsigned char u = static_cast<unsigned char>(c);
    out.push_back(u >= 0x20 && u < 0x7f ? c : '?');
  }
  return out;
}

std::string Quote(std::string_view s) { return "\"" + Printable(s) + "\""; }

// Image metadata nests a handful of levels and is small next to its limit (Limits::max_metadata_bytes
// bounds what is read); the shared parser refuses deeper or larger documents while parsing.
json ParseJson(std::string_view bytes, const std::string& where) {
  JsonLimits limits;
  limits.max_depth = kMaxJsonDepth;
  return customs::ParseJson(bytes, where, limits);
}

std::string FieldName(const std::string& ctx, const char* key) {
  return ctx.empty() ? std::string(key) : ctx + "." + key;
}

// Object member lookup; nullptr when absent or null.
const json* Field(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

void RequireObject(const json& j, const std::string& where, const std::string& what) {
  if (!j.is_object()) throw InputError(where, (what.empty() ? "document" : what) + " is not a JSON object");
}

std::optional<std::string> OptString(const json& obj, const char* key, const std::string& where,
                                     const std::string& ctx) {
  const json* v = Field(obj, key);
  if (!v) return std::nullopt;
  if (!v->is_string()) throw InputError(where, FieldName(ctx, key) + " is not a string");
  return v->get<std::string>();
}

std::string GetString(const json& obj, const char* key, const std::string& where, const std::string& ctx) {
  return OptString(obj, key, where, ctx).value_or("");
}

std::string RequireString(const json& obj, const char* key, const std::string& where, const std::string& ctx) {
  auto s = OptString(obj, key, where, ctx);
  if (!s) throw InputError(where, FieldName(ctx, key) + " is missing");
  return *s;
}

std::vector<std::string> StringArray(const json& obj, const char* key, const std::string& where,
                                     const std::string& ctx) {
  std::vector<std::string> out;
  const json* v = Field(obj, key);
  if (!v) return out;
  if (!v->is_array()) throw InputError(where, FieldName(ctx, key) + " is not an array");
  for (size_t i = 0; i < v->size(); ++i) {
    const json& e = (*v)[i];
    if (!e.is_string())
      throw InputError(where, FieldName(ctx, key) + "[" + std::to_string(i) + "] is not a string");
    out.push_back(e.get<std::string>());
  }
  return out;
}

std::map<std::string, std::string> StringMap(const json& obj, const char* key, const std::string& where,
                                             const std::string& ctx) {
  std::map<std::string, std::string> out;
  const json* v = Field(obj, key);
  if (!v) return out;
  if (!v->is_object()) throw InputError(where, FieldName(ctx, key) + " is not an object");
  for (auto it = v->begin(); it != v->end(); ++it) {
    if (!it.value().is_string())
      throw InputError(where, FieldName(ctx, key) + "[" + Quote(it.key()) + "] is not a string");
    out[it.key()] = it.value().get<std::string>();
  }
  return out;
}

std::optional<uint64_t> OptUnsigned(const json& obj, const char* key, const std::string& where,
                                    const std::string& ctx) {
  const json* v = Field(obj, key);
  if (!v) return std::nullopt;
  if (v->is_number_unsigned()) return v->get<uint64_t>();
  if (v->is_number_integer() && v->get<int64_t>() >= 0) return uint64_t(v->get<int64_t>());
  throw InputError(where, FieldName(ctx, key) + " is not a non-negative integer");
}

// schemaVersion, or -1 when absent.
int SchemaVersion(const json& obj, const std::string& where) {
  auto v = OptUnsigned(obj, "schemaVersion", where, "");
  if (!v) return -1;
  return *v > 1000 ? 1000 : int(*v);
}

void RequireSchema2(int version, const std::string& where) {
  if (version < 0) throw InputError(where, "schemaVersion is missing");
  if (version != 2) throw InputError(where, "unsupported schemaVersion " + std::to_string(version) + " (expected 2)");
}

std::string StripParameters(std::string_view media_type) {
  std::string s(media_type.substr(0, media_type.find(';')));
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

Platform ParsePlatformObject(const json& p, const std::string& where, const std::string& ctx) {
  RequireObject(p, where, ctx);
  Platform out;
  out.os = GetString(p, "os", where, ctx);
  out.architecture = GetString(p, "architecture", where, ctx);
  out.variant = GetString(p, "variant", where, ctx);
  return out;
}

Descriptor ParseDescriptor(const json& d, const std::string& where, const std::string& ctx) {
  RequireObject(d, where, ctx);
  Descriptor out;
  out.media_type = GetString(d, "mediaType", where, ctx);
  out.digest = RequireString(d, "digest", where, ctx);
  if (!IsValidDigest(out.digest)) throw InputError(where, FieldName(ctx, "digest") + " " + Quote(out.digest) + " is not a valid digest");
  out.size = OptUnsigned(d, "size", where, ctx);
  if (const json* p = Field(d, "platform")) out.platform = ParsePlatformObject(*p, where, FieldName(ctx, "platform"));
  out.artifact_type = GetString(d, "artifactType", where, ctx);
  out.urls = StringArray(d, "urls", where, ctx);
  out.annotations = StringMap(d, "annotations", where, ctx);
  return out;
}

// Runs `f`, turning any nlohmann exception (a type mismatch we did not foresee) into InputError.
template <class F>
auto Guarded(const std::string& where, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const json::exception& e) {
    throw InputError(where, std::string("malformed JSON document: ") + Printable(e.what(), 200));
  }
}

bool IsPlatformToken(std::string_view s) {
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.')) return false;
  return !s.empty();
}

}  // namespace

// ---- media types -------------------------------------------------------------------------------

MediaKind ClassifyMediaType(std::string_view media_type) {
  const std::string m = StripParameters(media_type);
  if (m == kMediaOciIndex || m == kMediaDockerManifestList) return MediaKind::kIndex;
  if (m == kMediaOciManifest || m == kMediaDockerManifest) return MediaKind::kManifest;
  if (m == "application/vnd.docker.distribution.manifest.v1+json" ||
      m == "application/vnd.docker.distribution.manifest.v1+prettyjws")
    return MediaKind::kLegacyManifest;
  if (m == kMediaOciConfig || m == kMediaDockerConfig) return MediaKind::kConfig;
  if (m == kMediaOciEmpty) return MediaKind::kEmpty;
  static const char* const kLayers[] = {
      "application/vnd.oci.image.layer.v1.tar",
      "application/vnd.oci.image.layer.v1.tar+gzip",
      "application/vnd.oci.image.layer.v1.tar+zstd",
      "application/vnd.oci.image.layer.nondistributable.v1.tar",
      "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
      "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
      "application/vnd.docker.image.rootfs.diff.tar",
      "application/vnd.docker.image.rootfs.diff.tar.gzip",
      "application/vnd.docker.image.rootfs.diff.tar.zstd",
      "application/vnd.docker.image.rootfs.foreign.diff.tar",
      "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
  };
  for (const char* l : kLayers)
    if (m == l) return MediaKind::kLayer;
  return MediaKind::kUnknown;
}

// ---- documents ---------------------------------------------------------------------------------

std::vector<DockerManifestEntry> ParseDockerManifest(std::string_view bytes, const std::string& where) {
  json j = ParseJson(bytes, where);
  return Guarded(where, [&] {
    if (!j.is_array()) throw InputError(where, "not a JSON array of images");
    std::vector<DockerManifestEntry> out;
    for (size_t i = 0; i < j.size(); ++i) {
      const std::string ctx = "[" + std::to_string(i) + "]";
      const json& e = j[i];
      RequireObject(e, where, ctx);
      DockerManifestEntry entry;
      entry.config = RequireString(e, "Config", where, ctx);
      if (entry.config.empty()) throw InputError(where, ctx + ".Config is empty");
      entry.repo_tags = StringArray(e, "RepoTags", where, ctx);
      if (!Field(e, "Layers")) throw InputError(where, ctx + ".Layers is missing");
      entry.layers = StringArray(e, "Layers", where, ctx);
      for (size_t k = 0; k < entry.layers.size(); ++k)
        if (entry.layers[k].empty()) throw InputError(where, ctx + ".Layers[" + std::to_string(k) + "] is empty");
      out.push_back(std::move(entry));
    }
    return out;
  });
}

std::string ParseOciLayout(std::string_view bytes, const std::string& where) {
  json j = ParseJson(bytes, where);
  return Guarded(where, [&] {
    RequireObject(j, where, "");
    std::string v = RequireString(j, "imageLayoutVersion", where, "");
    if (v.rfind("1.", 0) != 0)
      throw InputError(where, "unsupported imageLayoutVersion " + Quote(v) + " (expected 1.x)");
    return v;
  });
}

Index ParseOciIndex(std::string_view bytes, const std::string& where) {
  json j = ParseJson(bytes, where);
  return Guarded(where, [&] {
    RequireObject(j, where, "");
    Index out;
    out.schema_version = SchemaVersion(j, where);
    out.media_type = GetString(j, "mediaType", where, "");
    if (!out.media_type.empty() && ClassifyMediaType(out.media_type) != MediaKind::kIndex)
      throw InputError(where, "mediaType " + Quote(out.media_type) + " is not an image index");
    RequireSchema2(out.schema_version, where);
    const json* m = Field(j, "manifests");
    if (!m) throw InputError(where, "manifests is missing");
    if (!m->is_array()) throw InputError(where, "manifests is not an array");
    for (size_t i = 0; i < m->size(); ++i)
      out.manifests.push_back(ParseDescriptor((*m)[i], where, "manifests[" + std::to_string(i) + "]"));
    out.annotations = StringMap(j, "annotations", where, "");
    return out;
  });
}

Manifest ParseOciManifest(std::string_view bytes, const std::string& where) {
  json j = ParseJson(bytes, where);
  return Guarded(where, [&] {
    RequireObject(j, where, "");
    Manifest out;
    out.schema_version = SchemaVersion(j, where);
    out.media_type = GetString(j, "mediaType", where, "");
    if (out.schema_version == 1 || (!out.media_type.empty() && ClassifyMediaType(out.media_type) == MediaKind::kLegacyManifest))
      throw InputError(where, "Docker image manifest schema 1 is not supported (convert the image to schema 2 or OCI)");
    if (!out.media_type.empty() && ClassifyMediaType(out.media_type) != MediaKind::kManifest)
      throw InputError(where, "mediaType " + Quote(out.media_type) + " is not an image manifest");
    RequireSchema2(out.schema_version, where);
    out.artifact_type = GetString(j, "artifactType", where, "");
    const json* c = Field(j, "config");
    if (!c) throw InputError(where, "config is missing");
    out.config = ParseDescriptor(*c, where, "config");
    const json* l = Field(j, "layers");
    if (!l) throw InputError(where, "layers is missing");
    if (!l->is_array()) throw InputError(where, "layers is not an array");
    for (size_t i = 0; i < l->size(); ++i)
      out.layers.push_back(ParseDescriptor((*l)[i], where, "layers[" + std::to_string(i) + "]"));
    if (const json* s = Field(j, "subject")) out.subject = ParseDescriptor(*s, where, "subject");
    out.annotations = StringMap(j, "annotations", where, "");
    return out;
  });
}

ImageConfig ParseImageConfig(std::string_view bytes, const std::string& where) {
  json j = ParseJson(bytes, where);
  return Guarded(where, [&] {
    RequireObject(j, where, "");
    ImageConfig out;
    out.platform.os = GetString(j, "os", where, "");
    out.platform.architecture = GetString(j, "architecture", where, "");
    out.platform.variant = GetString(j, "variant", where, "");
    out.os_version = GetString(j, "os.version", where, "");
    out.created = GetString(j, "created", where, "");
    const json* r = Field(j, "rootfs");
    if (!r) throw InputError(where, "rootfs is missing");
    RequireObject(*r, where, "rootfs");
    out.rootfs_type = RequireString(*r, "type", where, "rootfs");
    if (out.rootfs_type != "layers")
      throw InputError(where, "rootfs.type is " + Quote(out.rootfs_type) + ", expected \"layers\"");
    if (!Field(*r, "diff_ids")) throw InputError(where, "rootfs.diff_ids is missing");
    out.diff_ids = StringArray(*r, "diff_ids", where, "rootfs");
    for (size_t i = 0; i < out.diff_ids.size(); ++i)
      if (!IsSha256Digest(out.diff_ids[i]))
        throw InputError(where, "rootfs.diff_ids[" + std::to_string(i) + "] " + Quote(out.diff_ids[i]) +
                                    " is not a sha256 digest");
    if (const json* h = Field(j, "history")) {
      if (!h->is_array()) throw InputError(where, "history is not an array");
      for (size_t i = 0; i < h->size(); ++i) {
        const std::string ctx = "history[" + std::to_string(i) + "]";
        const json& e = (*h)[i];
        RequireObject(e, where, ctx);
        HistoryEntry he;
        he.created = GetString(e, "created", where, ctx);
        he.created_by = GetString(e, "created_by", where, ctx);
        he.author = GetString(e, "author", where, ctx);
        he.comment = GetString(e, "comment", where, ctx);
        if (const json* el = Field(e, "empty_layer")) {
          if (!el->is_boolean()) throw InputError(where, ctx + ".empty_layer is not a boolean");
          he.empty_layer = el->get<bool>();
        }
        out.history.push_back(std::move(he));
      }
    }
    return out;
  });
}

MediaKind DocumentKind(std::string_view bytes, const std::string& where) {
  json j = ParseJson(bytes, where);
  return Guarded(where, [&] {
    if (!j.is_object()) return MediaKind::kUnknown;
    std::string mt = GetString(j, "mediaType", where, "");
    if (!mt.empty()) return ClassifyMediaType(mt);
    if (SchemaVersion(j, where) == 1) return MediaKind::kLegacyManifest;
    if (Field(j, "manifests")) return MediaKind::kIndex;
    if (Field(j, "config") || Field(j, "layers")) return MediaKind::kManifest;
    if (Field(j, "rootfs")) return MediaKind::kConfig;
    return MediaKind::kUnknown;
  });
}

std::vector<std::string> LayerHistory(const ImageConfig& config) {
  std::vector<std::string> out;
  for (const auto& h : config.history)
    if (!h.empty_layer) out.push_back(h.created_by);
  return out;
}

// ---- digests -----------------------------------------------------------------------------------

bool IsValidDigest(std::string_view d) {
  size_t colon = d.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 >= d.size()) return false;
  std::string_view alg = d.substr(0, colon), enc = d.substr(colon + 1);
  // algorithm ::= component (separator component)*, component ::= [a-z0-9]+, separator ::= [+._-]
  bool need_component = true;
  for (char c : alg) {
    bool comp = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    bool sep = c == '+' || c == '.' || c == '_' || c == '-';
    if (comp) need_component = false;
    else if (sep && !need_component) need_component = true;
    else return false;
  }
  if (need_component) return false;
  for (char c : enc)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '=' || c == '_' || c == '-'))
      return false;
  if (alg == "sha256") return IsSha256Digest(d);
  if (alg == "sha512") {
    if (enc.size() != 128) return false;
    for (char c : enc)
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// ---- platforms ---------------------------------------------------------------------------------

Platform ParsePlatform(std::string_view spec) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t slash = spec.find('/', start);
    parts.emplace_back(spec.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  auto bad = [&]() {
    return UsageError("invalid platform " + Quote(spec) + ": expected os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8");
  };
  if (parts.size() < 2 || parts.size() > 3) throw bad();
  for (auto& p : parts) {
    std::transform(p.begin(), p.end(), p.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (!IsPlatformToken(p)) throw bad();
  }
  Platform out;
  out.os = parts[0];
  out.architecture = parts[1];
  if (parts.size() == 3) out.variant = parts[2];
  return out;
}

std::string FormatPlatform(const Platform& p) {
  std::string s = (p.os.empty() ? "?" : p.os) + "/" + (p.architecture.empty() ? "?" : p.architecture);
  if (!p.variant.empty()) s += "/" + p.variant;
  return Printable(s, 80);
}

Platform NormalizePlatform(Platform p) {
  auto lower = [](std::string& s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  };
  lower(p.os);
  lower(p.architecture);
  lower(p.variant);
  if (p.os == "macos") p.os = "darwin";
  std::string& a = p.architecture;
  std::string& v = p.variant;
  if (a == "x86_64" || a == "x86-64") a = "amd64";
  else if (a == "i386" || a == "i486" || a == "i586" || a == "i686" || a == "x86") a = "386";
  else if (a == "aarch64") a = "arm64";
  else if (a == "armhf") a = "arm", v = v.empty() ? "v7" : v;
  else if (a == "armel") a = "arm", v = v.empty() ? "v6" : v;
  if (!v.empty() && v[0] >= '0' && v[0] <= '9') v = "v" + v;  // "8" -> "v8"
  if (a == "arm64" && v.empty()) v = "v8";
  if (a == "arm" && v.empty()) v = "v7";
  if (a == "amd64" && v == "v1") v.clear();
  return p;
}

bool PlatformMatches(const Platform& have, const Platform& want) {
  Platform h = NormalizePlatform(have), w = NormalizePlatform(want);
  if (h.os != w.os || h.architecture != w.architecture) return false;
  if (h.variant == w.variant) return true;
  return want.variant.empty();
}

std::optional<size_t> SelectPlatform(const std::vector<Descriptor>& manifests, const Platform& want) {
  const Platform w = NormalizePlatform(want);
  for (size_t i = 0; i < manifests.size(); ++i) {
    if (!manifests[i].platform) continue;
    Platform h = NormalizePlatform(*manifests[i].platform);
    if (h.os == w.os && h.architecture == w.architecture && h.variant == w.variant) return i;
  }
  if (want.variant.empty()) {
    for (size_t i = 0; i < manifests.size(); ++i)
      if (manifests[i].platform && PlatformMatches(*manifests[i].platform, want)) return i;
  }
  return std::nullopt;
}

std::string ListPlatforms(const std::vector<Descriptor>& manifests) {
  std::vector<std::string> seen;
  for (const auto& d : manifests) {
    if (!d.platform) continue;
    std::string s = FormatPlatform(*d.platform);
    if (std::find(seen.begin(), seen.end(), s) == seen.end()) seen.push_back(s);
  }
  std::string out;
  for (const auto& s : seen) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace customs::oci
