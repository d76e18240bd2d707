#include "signing/simple_signing.h"

#include <cctype>

#include "core/error.h"
#include "formats/json.h"

namespace customs::signing {

std::string BuildSimpleSigningPayload(const std::string& docker_reference, const std::string& manifest_digest,
                                      const std::map<std::string, std::string>& annotations) {
  nlohmann::ordered_json j;
  j["critical"]["identity"]["docker-reference"] = docker_reference;
  j["critical"]["image"]["docker-manifest-digest"] = manifest_digest;
  j["critical"]["type"] = kCosignSignatureType;
  if (annotations.empty()) {
    j["optional"] = nullptr;
  } else {
    nlohmann::ordered_json opt = nlohmann::ordered_json::object();
    for (const auto& [k, v] : annotations) opt[k] = v;  // std::map: sorted, as Go marshals maps
    j["optional"] = opt;
  }
  return j.dump();
}

namespace {

bool EqualFold(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

// Go's encoding/json: an exact key match wins, else the first case-insensitive one.
const nlohmann::json* Member(const nlohmann::json& obj, std::string_view name) {
  if (!obj.is_object()) return nullptr;
  if (auto it = obj.find(std::string(name)); it != obj.end()) return &*it;
  for (auto it = obj.begin(); it != obj.end(); ++it)
    if (EqualFold(it.key(), name)) return &*it;
  return nullptr;
}

}  // namespace

bool ParseSimpleSigningPayload(std::string_view bytes, SimpleSigningPayload* out, std::string* why) {
  nlohmann::json j;
  try {
    j = ParseJsonOrDiscarded(bytes, "simple signing payload");
  } catch (const LimitError& e) {
    return *why = e.what(), false;
  }
  if (j.is_discarded()) return *why = "the payload is not JSON", false;
  if (!j.is_object()) return *why = "the payload is not a JSON object", false;
  const nlohmann::json* critical = Member(j, "critical");
  if (!critical || !critical->is_object()) return *why = "the payload has no 'critical' object", false;
  const nlohmann::json* image = Member(*critical, "image");
  if (!image || !image->is_object()) return *why = "the payload has no 'critical.image' object", false;
  const nlohmann::json* digest = Member(*image, "docker-manifest-digest");
  if (!digest || !digest->is_string()) return *why = "the payload has no 'critical.image.docker-manifest-digest'", false;
  const nlohmann::json* type = Member(*critical, "type");
  if (!type || !type->is_string()) return *why = "the payload has no 'critical.type'", false;
  if (type->get<std::string>() != kCosignSignatureType)
    return *why = "the payload's critical.type is '" + type->get<std::string>() + "', not '" + kCosignSignatureType + "'",
           false;
  SimpleSigningPayload p;
  p.manifest_digest = digest->get<std::string>();
  p.type = type->get<std::string>();
  if (const nlohmann::json* identity = Member(*critical, "identity"); identity && identity->is_object())
    if (const nlohmann::json* ref = Member(*identity, "docker-reference"); ref && ref->is_string())
      p.docker_reference = ref->get<std::string>();
  if (const nlohmann::json* opt = Member(j, "optional"); opt) {
    if (!opt->is_null() && !opt->is_object()) return *why = "the payload's 'optional' is not an object", false;
    p.optional = *opt;
  }
  *out = std::move(p);
  return true;
}

}  // namespace customs::signing
