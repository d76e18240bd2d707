#include "signing/dsse.h"

#include <sodium.h>

#include "core/error.h"
#include "formats/json.h"
#include "signing/keys.h"

namespace customs::signing {

std::string Pae(std::string_view payload_type, std::string_view body) {
  std::string out = "DSSEv1 ";
  out += std::to_string(payload_type.size());
  out += ' ';
  out += payload_type;
  out += ' ';
  out += std::to_string(body.size());
  out += ' ';
  out += body;
  return out;
}

namespace {

// DSSE allows standard or URL-safe base64; producers vary on padding.
bool DecodeAnyBase64(std::string_view text, std::string* out) {
  if (Base64Decode(text, out)) return true;
  if (sodium_init() < 0) return false;
  for (int variant : {sodium_base64_VARIANT_ORIGINAL_NO_PADDING, sodium_base64_VARIANT_URLSAFE,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING}) {
    std::string buf(text.size() / 4 * 3 + 3, '\0');
    size_t len = 0;
    const char* end = nullptr;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(buf.data()), buf.size(), text.data(), text.size(), nullptr,
                          &len, &end, variant) == 0 &&
        end == text.data() + text.size()) {
      buf.resize(len);
      *out = std::move(buf);
      return true;
    }
  }
  return false;
}

}  // namespace

std::string SerializeEnvelope(const DsseEnvelope& env) {
  nlohmann::ordered_json j;
  j["payloadType"] = env.payload_type;
  j["payload"] = Base64Encode(env.payload);
  j["signatures"] = nlohmann::ordered_json::array();
  for (const auto& s : env.signatures) {
    nlohmann::ordered_json sj;
    sj["keyid"] = s.keyid;
    sj["sig"] = Base64Encode(s.sig);
    j["signatures"].push_back(sj);
  }
  return j.dump();
}

bool ParseEnvelope(std::string_view bytes, DsseEnvelope* out, std::string* why) {
  nlohmann::json j;
  try {
    j = ParseJsonOrDiscarded(bytes, "DSSE envelope");
  } catch (const LimitError& e) {
    return *why = e.what(), false;
  }
  if (j.is_discarded() || !j.is_object()) return *why = "the envelope is not a JSON object", false;
  DsseEnvelope env;
  auto pt = j.find("payloadType");
  if (pt == j.end() || !pt->is_string()) return *why = "the envelope has no string 'payloadType'", false;
  env.payload_type = pt->get<std::string>();
  auto pl = j.find("payload");
  if (pl == j.end() || !pl->is_string()) return *why = "the envelope has no string 'payload'", false;
  if (!DecodeAnyBase64(pl->get<std::string>(), &env.payload)) return *why = "the envelope's payload is not base64", false;
  auto sigs = j.find("signatures");
  if (sigs == j.end() || !sigs->is_array()) return *why = "the envelope has no 'signatures' array", false;
  for (const auto& s : *sigs) {
    if (!s.is_object()) return *why = "an envelope signature is not an object", false;
    DsseSignature ds;
    auto sig = s.find("sig");
    if (sig == s.end() || !sig->is_string()) return *why = "an envelope signature has no string 'sig'", false;
    if (!DecodeAnyBase64(sig->get<std::string>(), &ds.sig)) return *why = "an envelope signature is not base64", false;
    if (auto kid = s.find("keyid"); kid != s.end()) {
      if (!kid->is_string() && !kid->is_null()) return *why = "an envelope signature's 'keyid' is not a string", false;
      if (kid->is_string()) ds.keyid = kid->get<std::string>();
    }
    env.signatures.push_back(std::move(ds));
  }
  *out = std::move(env);
  return true;
}

std::string SerializeStatement(const InTotoStatement& st) {
  nlohmann::ordered_json j;
  j["_type"] = st.type;
  j["predicateType"] = st.predicate_type;
  j["subject"] = nlohmann::ordered_json::array();
  for (const auto& s : st.subjects) {
    nlohmann::ordered_json sj;
    sj["name"] = s.name;
    sj["digest"] = nlohmann::ordered_json::object();
    for (const auto& [alg, hex] : s.digest) sj["digest"][alg] = hex;
    j["subject"].push_back(sj);
  }
  j["predicate"] = st.predicate;
  return j.dump();
}

bool ParseStatement(std::string_view bytes, InTotoStatement* out, std::string* why) {
  nlohmann::ordered_json j;
  try {
    j = ParseOrderedJsonOrDiscarded(bytes, "in-toto statement");
  } catch (const LimitError& e) {
    return *why = e.what(), false;
  }
  if (j.is_discarded() || !j.is_object()) return *why = "the statement is not a JSON object", false;
  InTotoStatement st;
  auto type = j.find("_type");
  if (type == j.end() || !type->is_string()) return *why = "the statement has no '_type'", false;
  st.type = type->get<std::string>();
  if (st.type != kInTotoStatementV01 && st.type != kInTotoStatementV1)
    return *why = "unknown statement _type '" + st.type + "' (want in-toto Statement v0.1 or v1)", false;
  auto pt = j.find("predicateType");
  if (pt == j.end() || !pt->is_string() || pt->get<std::string>().empty())
    return *why = "the statement has no 'predicateType'", false;
  st.predicate_type = pt->get<std::string>();
  auto subj = j.find("subject");
  if (subj == j.end() || !subj->is_array() || subj->empty()) return *why = "the statement has no 'subject'", false;
  for (const auto& s : *subj) {
    if (!s.is_object()) return *why = "a statement subject is not an object", false;
    InTotoSubject is;
    if (auto n = s.find("name"); n != s.end()) {
      if (!n->is_string()) return *why = "a statement subject's 'name' is not a string", false;
      is.name = n->get<std::string>();
    }
    auto d = s.find("digest");
    if (d == s.end() || !d->is_object()) return *why = "a statement subject has no 'digest' object", false;
    for (auto it = d->begin(); it != d->end(); ++it) {
      if (!it->is_string()) return *why = "a statement subject digest is not a string", false;
      is.digest[it.key()] = it->get<std::string>();
    }
    st.subjects.push_back(std::move(is));
  }
  if (auto p = j.find("predicate"); p != j.end()) st.predicate = *p;
  *out = std::move(st);
  return true;
}

}  // namespace customs::signing
