#include "signing/cosign_layout.h"

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/sha256.h"
#include "formats/json.h"

namespace customs::signing {

namespace {

std::string DigestTag(std::string_view digest, const char* suffix) {
  const size_t colon = digest.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == digest.size())
    throw UsageError("not a digest: '" + std::string(digest) + "'");
  return std::string(digest.substr(0, colon)) + "-" + std::string(digest.substr(colon + 1)) + suffix;
}

nlohmann::ordered_json DescriptorJson(const Descriptor& d) {
  nlohmann::ordered_json j;
  j["mediaType"] = d.media_type;
  j["size"] = d.size;
  j["digest"] = d.digest;
  if (!d.annotations.empty()) {
    j["annotations"] = nlohmann::ordered_json::object();
    for (const auto& [k, v] : d.annotations) j["annotations"][k] = v;
  }
  return j;
}

bool ParseDescriptor(const nlohmann::json& j, Descriptor* out, std::string* why) {
  if (!j.is_object()) return *why = "a descriptor is not an object", false;
  auto mt = j.find("mediaType");
  if (mt == j.end() || !mt->is_string()) return *why = "a descriptor has no mediaType", false;
  auto size = j.find("size");
  if (size == j.end() || !size->is_number_unsigned()) return *why = "a descriptor has no size", false;
  auto dg = j.find("digest");
  if (dg == j.end() || !dg->is_string()) return *why = "a descriptor has no digest", false;
  if (!IsSha256Digest(dg->get<std::string>())) return *why = "a descriptor digest is not sha256:<64 hex>", false;
  Descriptor d;
  d.media_type = mt->get<std::string>();
  d.size = size->get<uint64_t>();
  d.digest = dg->get<std::string>();
  if (auto ann = j.find("annotations"); ann != j.end() && !ann->is_null()) {
    if (!ann->is_object()) return *why = "descriptor annotations are not an object", false;
    for (auto it = ann->begin(); it != ann->end(); ++it) {
      if (!it->is_string()) return *why = "annotation '" + it.key() + "' is not a string", false;
      d.annotations[it.key()] = it->get<std::string>();
    }
  }
  *out = std::move(d);
  return true;
}

}  // namespace

std::string SignatureTag(std::string_view digest) { return DigestTag(digest, ".sig"); }
std::string AttestationTag(std::string_view digest) { return DigestTag(digest, ".att"); }

std::string BuildConfig(const std::vector<std::string>& diff_ids) {
  // Field order as go-containerregistry's ConfigFile marshals it.
  nlohmann::ordered_json j;
  j["architecture"] = "";
  j["created"] = "0001-01-01T00:00:00Z";
  j["history"] = nlohmann::ordered_json::array();
  for (size_t i = 0; i < diff_ids.size(); ++i) j["history"].push_back({{"created", "0001-01-01T00:00:00Z"}});
  j["os"] = "";
  j["rootfs"]["type"] = "layers";
  j["rootfs"]["diff_ids"] = diff_ids;
  j["config"] = nlohmann::ordered_json::object();
  return j.dump();
}

std::string BuildManifest(const Descriptor& config, const std::vector<Descriptor>& layers) {
  nlohmann::ordered_json j;
  j["schemaVersion"] = 2;
  j["mediaType"] = kOciManifestMediaType;
  j["config"] = DescriptorJson(config);
  j["layers"] = nlohmann::ordered_json::array();
  for (const auto& l : layers) j["layers"].push_back(DescriptorJson(l));
  return j.dump();
}

bool ParseCosignManifest(std::string_view body, CosignManifest* out, std::string* why) {
  nlohmann::json j;
  try {
    j = ParseJsonOrDiscarded(body, "cosign signature manifest");
  } catch (const LimitError& e) {
    return *why = e.what(), false;
  }
  if (j.is_discarded() || !j.is_object()) return *why = "the manifest is not a JSON object", false;
  auto sv = j.find("schemaVersion");
  if (sv == j.end() || !sv->is_number_integer() || sv->get<int64_t>() != 2)
    return *why = "the manifest's schemaVersion is not 2", false;
  CosignManifest m;
  if (auto mt = j.find("mediaType"); mt != j.end()) {
    if (!mt->is_string()) return *why = "the manifest's mediaType is not a string", false;
    m.media_type = mt->get<std::string>();
    if (m.media_type != kOciManifestMediaType && m.media_type != "application/vnd.docker.distribution.manifest.v2+json")
      return *why = "the manifest is a '" + m.media_type + "', not an image manifest", false;
  }
  auto cfg = j.find("config");
  if (cfg == j.end()) return *why = "the manifest has no config", false;
  if (!ParseDescriptor(*cfg, &m.config, why)) return false;
  auto layers = j.find("layers");
  if (layers == j.end() || !layers->is_array()) return *why = "the manifest has no layers array", false;
  for (const auto& l : *layers) {
    Descriptor d;
    if (!ParseDescriptor(l, &d, why)) return false;
    m.layers.push_back(std::move(d));
  }
  *out = std::move(m);
  return true;
}

}  // namespace customs::signing
