// Verifying signatures and attestations. Fails closed: every layer is checked on its own, the image
// passes when at least one layer verifies with the key and names the image's digest; otherwise the most
// telling failure decides the exit code (a valid signature for another digest, then an altered object,
// then "no signature verifies with this key").
#include <spdlog/spdlog.h>

#include "core/error.h"
#include "core/sha256.h"
#include "signing/cosign_layout.h"
#include "signing/sign.h"

namespace customs::signing {

namespace {

constexpr uint64_t kMaxPayloadBytes = 1u << 20;        // simple-signing payloads are a few hundred bytes
constexpr uint64_t kMaxEnvelopeBytes = 128ull << 20;   // attestations carry SBOMs

// The failures seen so far; Throw() raises the most telling one.
class Failures {
 public:
  void Add(ExitCode code, std::string message) {
    if (Rank(code) > Rank(best_code_)) {
      best_code_ = code;
      best_ = std::move(message);
    }
    ++count_;
  }
  [[noreturn]] void Throw(const std::string& subject) const {
    std::string msg = subject + ": " + best_;
    if (count_ > 1) msg += " (" + std::to_string(count_ - 1) + " other layer(s) failed too)";
    throw Error(best_code_, msg);
  }
  bool empty() const { return count_ == 0; }

 private:
  static int Rank(ExitCode c) {
    switch (c) {
      case kExitSignatureDigest: return 3;
      case kExitSignatureTampered: return 2;
      case kExitSignatureWrongKey: return 1;
      default: return 0;
    }
  }
  ExitCode best_code_ = kExitOk;
  std::string best_;
  int count_ = 0;
};

struct FetchedLayer {
  bool ok = false;
  std::string bytes;
};

// The layer's blob, checked against its descriptor (digest by the client, size here). Altered or missing
// blobs are recorded as tampering; an unreachable registry is thrown.
FetchedLayer FetchLayer(registry::Client& client, const registry::Reference& image, const Descriptor& d,
                        uint64_t max_bytes, const std::string& label, Failures& failures) {
  FetchedLayer f;
  if (d.size > max_bytes) {
    failures.Add(kExitSignatureTampered, label + ": the blob's declared size " + std::to_string(d.size) +
                                             " is over the limit of " + std::to_string(max_bytes));
    return f;
  }
  try {
    f.bytes = client.GetBlob(image, d.digest, max_bytes);
  } catch (const registry::RegistryError& e) {
    using K = registry::RegistryError::Kind;
    if (e.kind == K::kDigestMismatch || e.kind == K::kTooLarge || e.kind == K::kNotFound) {
      failures.Add(kExitSignatureTampered, label + ": the blob " + d.digest + " cannot be trusted: " + e.what());
      return f;
    }
    ThrowRegistryError(e, label);
  }
  if (Sha256::Of(f.bytes) != d.digest) {  // the client checks too; a second look costs nothing
    failures.Add(kExitSignatureTampered, label + ": the blob does not match its digest " + d.digest);
    return f;
  }
  if (f.bytes.size() != d.size) {
    failures.Add(kExitSignatureTampered, label + ": the blob is " + std::to_string(f.bytes.size()) +
                                             " bytes, its descriptor says " + std::to_string(d.size));
    return f;
  }
  f.ok = true;
  return f;
}

// A signature that does not verify: "another key" or "this key, then changed", told apart by customs'
// unsigned key hint when the layer carries one.
void AddBadSignature(const Descriptor& d, const PublicKey& key, const std::string& label, Failures& failures) {
  auto hint = d.annotations.find(kKeyHintAnnotation);
  const std::string mine = key.Fingerprint();
  if (hint != d.annotations.end() && hint->second == mine)
    failures.Add(kExitSignatureTampered,
                 label + ": the signature does not match the payload: it was made with this key, and the payload "
                         "or the signature was changed afterwards");
  else if (hint != d.annotations.end() && !hint->second.empty())
    failures.Add(kExitSignatureWrongKey, label + ": signed with another key (" + hint->second + "), not with " + mine);
  else
    failures.Add(kExitSignatureWrongKey, label + ": the signature does not verify with the key " + mine +
                                             " (signed with another key, or changed after signing)");
}

std::optional<CosignManifest> FetchCosignManifest(registry::Client& client, const registry::Reference& ref,
                                                  const std::string& what) {
  auto m = WithRegistryErrors("fetching " + ref.String(), [&] { return client.FindManifest(ref); });
  if (!m) return std::nullopt;
  CosignManifest parsed;
  std::string why;
  if (!ParseCosignManifest(m->body, &parsed, &why))
    throw Error(kExitSignatureTampered, ref.String() + ": the " + what + " manifest is not valid: " + why);
  return parsed;
}

}  // namespace

VerifyResult VerifyImage(registry::Client& client, const registry::Reference& image, const PublicKey& key) {
  VerifyResult r;
  r.digest = ResolveDigest(client, image);
  const std::string subject = image.Repository() + "@" + r.digest;
  const registry::Reference sig_ref = image.WithTag(SignatureTag(r.digest));
  auto manifest = FetchCosignManifest(client, sig_ref, "signature");
  if (!manifest)
    throw Error(kExitNoSignature, subject + ": no signatures found (no tag " + SignatureTag(r.digest) + ")");
  Failures failures;
  int candidates = 0;
  for (size_t i = 0; i < manifest->layers.size(); ++i) {
    const Descriptor& d = manifest->layers[i];
    if (d.media_type != kSimpleSigningMediaType) continue;
    ++candidates;
    const std::string label = "signature " + std::to_string(i + 1);
    auto ann = d.annotations.find(kSignatureAnnotation);
    std::string sig;
    if (ann == d.annotations.end() || ann->second.empty()) {
      failures.Add(kExitSignatureTampered, label + ": no " + std::string(kSignatureAnnotation) + " annotation");
      continue;
    }
    if (!Base64Decode(ann->second, &sig)) {
      failures.Add(kExitSignatureTampered, label + ": the signature annotation is not base64");
      continue;
    }
    FetchedLayer blob = FetchLayer(client, image, d, kMaxPayloadBytes, label, failures);
    if (!blob.ok) continue;
    SimpleSigningPayload payload;
    std::string why;
    if (!ParseSimpleSigningPayload(blob.bytes, &payload, &why)) {
      failures.Add(kExitSignatureTampered, label + ": " + why);
      continue;
    }
    if (!key.Verify(blob.bytes, sig)) {
      AddBadSignature(d, key, label, failures);
      continue;
    }
    if (payload.manifest_digest != r.digest) {
      failures.Add(kExitSignatureDigest, label + ": a valid signature, but for the image " +
                                             payload.manifest_digest + ", not " + r.digest +
                                             " (the tag was moved, or a signature was copied)");
      continue;
    }
    r.signatures.push_back({blob.bytes, payload, d.digest});
  }
  if (!r.signatures.empty()) {
    if (!failures.empty()) spdlog::debug("{}: some signature layers did not verify", subject);
    return r;
  }
  if (candidates == 0 || failures.empty())
    throw Error(kExitNoSignature, subject + ": the signature manifest holds no cosign signature layer");
  failures.Throw(subject);
}

VerifyAttestationResult VerifyAttestations(registry::Client& client, const registry::Reference& image,
                                           const PublicKey& key, const std::string& predicate_type) {
  VerifyAttestationResult r;
  r.digest = ResolveDigest(client, image);
  const std::string subject = image.Repository() + "@" + r.digest;
  const std::string hex = r.digest.substr(r.digest.find(':') + 1);
  const registry::Reference att_ref = image.WithTag(AttestationTag(r.digest));
  auto manifest = FetchCosignManifest(client, att_ref, "attestation");
  if (!manifest)
    throw Error(kExitNoSignature, subject + ": no attestations found (no tag " + AttestationTag(r.digest) + ")");
  Failures failures;
  int of_type = 0;
  for (size_t i = 0; i < manifest->layers.size(); ++i) {
    const Descriptor& d = manifest->layers[i];
    if (d.media_type != kDsseEnvelopeMediaType) continue;
    const std::string label = "attestation " + std::to_string(i + 1);
    FetchedLayer blob = FetchLayer(client, image, d, kMaxEnvelopeBytes, label, failures);
    if (!blob.ok) continue;
    DsseEnvelope env;
    std::string why;
    if (!ParseEnvelope(blob.bytes, &env, &why)) {
      failures.Add(kExitSignatureTampered, label + ": " + why);
      continue;
    }
    if (env.payload_type != kInTotoPayloadType) {
      failures.Add(kExitSignatureTampered, label + ": payloadType '" + env.payload_type + "', not " + kInTotoPayloadType);
      continue;
    }
    InTotoStatement st;
    if (!ParseStatement(env.payload, &st, &why)) {
      failures.Add(kExitSignatureTampered, label + ": " + why);
      continue;
    }
    const std::string pae = Pae(env.payload_type, env.payload);
    bool verified = false;
    for (const auto& s : env.signatures) verified = verified || key.Verify(pae, s.sig);
    if (!verified) {
      AddBadSignature(d, key, label, failures);
      continue;
    }
    // The predicate type inside the signed statement decides (the layer annotation is only a hint).
    if (!predicate_type.empty() && st.predicate_type != predicate_type) continue;
    ++of_type;
    bool names_image = false;
    for (const auto& sub : st.subjects) {
      auto it = sub.digest.find("sha256");
      names_image = names_image || (it != sub.digest.end() && it->second == hex);
    }
    if (!names_image) {
      failures.Add(kExitSignatureDigest, label + ": a valid attestation, but its subject is not " + r.digest);
      continue;
    }
    r.attestations.push_back({blob.bytes, std::move(st)});
  }
  if (!r.attestations.empty()) return r;
  if (failures.empty()) {
    if (!predicate_type.empty())
      throw Error(kExitNoSignature, subject + ": no attestation of type " + predicate_type);
    throw Error(kExitNoSignature, subject + ": the attestation manifest holds no DSSE layer");
  }
  failures.Throw(subject);
}

}  // namespace customs::signing
