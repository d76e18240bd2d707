// The simple-signing payload cosign signs (containers/image "JSON data format", cosign's semantics):
//   {"critical":{"identity":{"docker-reference":REPO},"image":{"docker-manifest-digest":DIGEST},
//                "type":"cosign container image signature"},"optional":{...}|null}
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace customs::signing {

inline constexpr const char* kCosignSignatureType = "cosign container image signature";

struct SimpleSigningPayload {
  std::string docker_reference;  // critical.identity.docker-reference (cosign ignores it on verify)
  std::string manifest_digest;   // critical.image.docker-manifest-digest
  std::string type;              // critical.type
  nlohmann::json optional;       // null or an object
};

// The bytes cosign writes for that image: compact JSON, fields in cosign's order, "optional" null when
// there are no annotations (Go's nil map), else the annotations (sorted by key, as Go writes maps).
std::string BuildSimpleSigningPayload(const std::string& docker_reference, const std::string& manifest_digest,
                                      const std::map<std::string, std::string>& annotations);

// Parses a payload. Returns false with `*why` set when the bytes are not a cosign simple-signing payload:
// not JSON, no critical object, a missing or non-string digest, a type other than cosign's. Key names match
// exactly or case-insensitively (cosign reads them with Go's encoding/json, which folds case; the
// specification's own example spells "Docker-manifest-digest").
bool ParseSimpleSigningPayload(std::string_view bytes, SimpleSigningPayload* out, std::string* why);

}  // namespace customs::signing
