// DSSE (Dead Simple Signing Envelope) v1 and the in-toto Statement it carries in cosign attestations:
// PAE, the JSON envelope {"payloadType","payload","signatures":[{"keyid","sig"}]}, and
// {"_type","predicateType","subject":[{"name","digest":{"sha256"}}],"predicate"}.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace customs::signing {

inline constexpr const char* kInTotoPayloadType = "application/vnd.in-toto+json";
inline constexpr const char* kInTotoStatementV01 = "https://in-toto.io/Statement/v0.1";
inline constexpr const char* kInTotoStatementV1 = "https://in-toto.io/Statement/v1";

// "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in ASCII decimal.
std::string Pae(std::string_view payload_type, std::string_view body);

struct DsseSignature {
  std::string keyid;  // unauthenticated hint; "" when unset
  std::string sig;    // raw signature bytes (decoded)
};

struct DsseEnvelope {
  std::string payload_type;
  std::string payload;  // decoded body
  std::vector<DsseSignature> signatures;
};

// Compact JSON, standard base64, fields in the order cosign writes them.
std::string SerializeEnvelope(const DsseEnvelope& env);
// Returns false with `*why` when the bytes are not an envelope: not JSON, a required field (payload,
// payloadType, signatures, sig) missing or of the wrong type, base64 that is neither standard nor URL-safe.
// Unknown fields are ignored (the DSSE parsing rules).
bool ParseEnvelope(std::string_view bytes, DsseEnvelope* out, std::string* why);

struct InTotoSubject {
  std::string name;
  std::map<std::string, std::string> digest;  // algorithm -> lowercase hex
};

struct InTotoStatement {
  std::string type = kInTotoStatementV01;  // _type
  std::string predicate_type;
  std::vector<InTotoSubject> subjects;
  nlohmann::ordered_json predicate;  // key order kept as produced
};

std::string SerializeStatement(const InTotoStatement& st);
// Accepts Statement v0.1 and v1. False with `*why` on anything else (no subject, a subject without a
// digest object, a non-string digest value, no predicateType).
bool ParseStatement(std::string_view bytes, InTotoStatement* out, std::string* why);

}  // namespace customs::signing
