// How cosign stores signatures and attestations in a registry (specs/SIGNATURE_SPEC.md,
// specs/ATTESTATION_SPEC.md): an OCI image manifest at tag "sha256-<hex>.sig" (".att") in the image's
// repository; each signature is one layer whose blob is the signed payload, with the signature in the
// layer annotation "dev.cosignproject.cosign/signature"; the config is the minimal OCI config that lists
// the layers as diff_ids.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace customs::signing {

inline constexpr const char* kSimpleSigningMediaType = "application/vnd.dev.cosign.simplesigning.v1+json";
inline constexpr const char* kDsseEnvelopeMediaType = "application/vnd.dsse.envelope.v1+json";
inline constexpr const char* kSignatureAnnotation = "dev.cosignproject.cosign/signature";
inline constexpr const char* kPredicateTypeAnnotation = "predicateType";
// customs' own, unsigned hint: the SHA-256 of the signer's SubjectPublicKeyInfo. verify uses it only to
// tell "another key signed this" from "this key signed it, then the payload was changed"; it never
// makes a signature valid. Cosign ignores annotations it does not know.
inline constexpr const char* kKeyHintAnnotation = "dev.customs.signing/key-sha256";
inline constexpr const char* kOciManifestMediaType = "application/vnd.oci.image.manifest.v1+json";
inline constexpr const char* kOciConfigMediaType = "application/vnd.oci.image.config.v1+json";

// "sha256:<hex>" -> "sha256-<hex>.sig" / ".att". UsageError on a digest that is not "alg:hex".
std::string SignatureTag(std::string_view digest);
std::string AttestationTag(std::string_view digest);

struct Descriptor {
  std::string media_type;
  uint64_t size = 0;
  std::string digest;
  std::map<std::string, std::string> annotations;  // sorted, as Go writes maps
};

struct CosignManifest {
  std::string media_type;  // the manifest's own mediaType field ("" when absent)
  Descriptor config;
  std::vector<Descriptor> layers;
};

// The config cosign's library writes for a signature image: zero times, empty os/architecture, the layer
// digests as diff_ids (its layers are stored uncompressed). 233 bytes for one layer.
std::string BuildConfig(const std::vector<std::string>& diff_ids);
// The OCI image manifest: schemaVersion 2, mediaType, config, layers (with their annotations).
std::string BuildManifest(const Descriptor& config, const std::vector<Descriptor>& layers);
// Reads a .sig/.att manifest. False with `*why` when it is not an image manifest with descriptors
// (missing/ill-typed mediaType, size, digest; a digest that is not sha256:<64 hex>; non-string annotations).
bool ParseCosignManifest(std::string_view body, CosignManifest* out, std::string* why);

}  // namespace customs::signing
