// Signing, verifying and attesting images in a registry the way cosign does (key-based, no transparency
// log): the operations behind `customs sign`, `verify`, `attest` and `verify-attestation`.
//
// Every verification failure is a customs::Error with its own exit code (core/exit_codes.h):
// kExitNoSignature, kExitSignatureWrongKey, kExitSignatureDigest, kExitSignatureTampered,
// kExitRegistryUnreachable.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "registry/client.h"
#include "signing/dsse.h"
#include "signing/keys.h"
#include "signing/simple_signing.h"

namespace customs::signing {

// Runs `fn`, turning a registry::RegistryError into a customs::Error: kUnreachable ->
// kExitRegistryUnreachable; kAuth, kProtocol -> kExitIo; kNotFound -> kExitIo ("not found");
// kDigestMismatch, kTooLarge -> kExitInputRejected. `what` names the operation in the message.
template <typename Fn>
auto WithRegistryErrors(const std::string& what, Fn&& fn) -> decltype(fn());
[[noreturn]] void ThrowRegistryError(const registry::RegistryError& e, const std::string& what);

// The image's manifest digest: the reference's own digest when it has one (after checking the registry
// has it), else the digest its tag resolves to now.
std::string ResolveDigest(registry::Client& client, const registry::Reference& image);

struct SignResult {
  std::string digest;           // the image digest signed
  std::string signature_ref;    // registry/repo:sha256-<hex>.sig
  std::string payload;          // the signed payload bytes
  std::string signature_b64;    // the layer annotation value
  bool appended = false;        // other signatures were already there (kept)
};
SignResult SignImage(registry::Client& client, const registry::Reference& image, const PrivateKey& key,
                     const std::map<std::string, std::string>& annotations);

struct VerifiedSignature {
  std::string payload;  // bytes as stored
  SimpleSigningPayload parsed;
  std::string layer_digest;
};
struct VerifyResult {
  std::string digest;
  std::vector<VerifiedSignature> signatures;  // at least one, else VerifyImage threw
};
VerifyResult VerifyImage(registry::Client& client, const registry::Reference& image, const PublicKey& key);

// predicateType URIs of `--type`.
inline constexpr const char* kCycloneDxPredicateType = "https://cyclonedx.org/bom";
inline constexpr const char* kCustomsScanPredicateType = "https://customs.dev/attestation/scan/v1";
// "cyclonedx" / "customs-scan" -> the URI; a URI is kept as is; UsageError otherwise.
std::string PredicateTypeFor(const std::string& type_or_uri);

struct AttestResult {
  std::string digest;
  std::string attestation_ref;
  std::string envelope;  // the DSSE envelope JSON pushed
};
AttestResult AttestImage(registry::Client& client, const registry::Reference& image, const PrivateKey& key,
                         const std::string& predicate_type, const nlohmann::ordered_json& predicate);

struct VerifiedAttestation {
  std::string envelope;  // the DSSE envelope JSON as stored
  InTotoStatement statement;
};
struct VerifyAttestationResult {
  std::string digest;
  std::vector<VerifiedAttestation> attestations;
};
// `predicate_type`: only attestations of that type count (empty: any).
VerifyAttestationResult VerifyAttestations(registry::Client& client, const registry::Reference& image,
                                           const PublicKey& key, const std::string& predicate_type);

// ---------------------------------------------------------------------------------------------

template <typename Fn>
auto WithRegistryErrors(const std::string& what, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const registry::RegistryError& e) {
    ThrowRegistryError(e, what);
  }
}

}  // namespace customs::signing
