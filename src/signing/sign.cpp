// Pushing signatures and attestations: one layer appended to the image's .sig / .att manifest.
#include "signing/sign.h"

#include <spdlog/spdlog.h>

#include "core/error.h"
#include "core/sha256.h"
#include "signing/cosign_layout.h"

namespace customs::signing {

void ThrowRegistryError(const registry::RegistryError& e, const std::string& what) {
  using K = registry::RegistryError::Kind;
  switch (e.kind) {
    case K::kUnreachable:
      throw Error(kExitRegistryUnreachable, what + ": registry unreachable: " + e.what());
    case K::kAuth:
      throw Error(kExitIo, what + ": the registry refused the credentials: " + e.what());
    case K::kNotFound:
      throw Error(kExitIo, what + ": not found: " + e.what());
    case K::kDigestMismatch:
    case K::kTooLarge:
      throw Error(kExitInputRejected, what + ": " + e.what());
    case K::kProtocol:
      break;
  }
  throw Error(kExitIo, what + ": " + e.what());
}

std::string ResolveDigest(registry::Client& client, const registry::Reference& image) {
  return WithRegistryErrors("resolving " + image.String(), [&] {
    registry::Manifest m = client.GetManifest(image);
    if (!image.digest.empty() && m.digest != image.digest)
      throw Error(kExitInputRejected, image.String() + ": the registry served a manifest of digest " + m.digest);
    return m.digest;
  });
}

namespace {

// Appends `layer` (whose blob is `blob`) to the manifest at `tag` in the image's repository, creating it
// when absent; a layer already there with the same digest and annotations is not added twice (cosign
// de-duplicates the same way). Returns whether other layers were kept.
bool AppendLayer(registry::Client& client, const registry::Reference& image, const std::string& tag,
                 std::string_view blob, const Descriptor& layer) {
  const registry::Reference tag_ref = image.WithTag(tag);
  return WithRegistryErrors("pushing " + tag_ref.String(), [&] {
    std::vector<Descriptor> layers;
    if (auto existing = client.FindManifest(tag_ref)) {
      CosignManifest m;
      std::string why;
      if (!ParseCosignManifest(existing->body, &m, &why))
        throw InputError(tag_ref.String(), "the existing manifest is not a cosign signature manifest (" + why +
                                               "); not overwriting it");
      layers = std::move(m.layers);
    }
    const bool appended = !layers.empty();
    for (const auto& l : layers)
      if (l.digest == layer.digest && l.annotations == layer.annotations) {
        spdlog::info("{}: this signature is already there", tag_ref.String());
        return appended;
      }
    const std::string pushed = client.PutBlob(image, blob);
    if (pushed != layer.digest)
      throw Error(kExitInternal, "the registry stored the blob as " + pushed + ", expected " + layer.digest);
    layers.push_back(layer);
    std::vector<std::string> diff_ids;
    for (const auto& l : layers) diff_ids.push_back(l.digest);  // the layers are stored uncompressed
    const std::string config = BuildConfig(diff_ids);
    Descriptor config_desc;
    config_desc.media_type = kOciConfigMediaType;
    config_desc.size = config.size();
    config_desc.digest = client.PutBlob(image, config);
    client.PutManifest(tag_ref, kOciManifestMediaType, BuildManifest(config_desc, layers));
    return appended;
  });
}

}  // namespace

SignResult SignImage(registry::Client& client, const registry::Reference& image, const PrivateKey& key,
                     const std::map<std::string, std::string>& annotations) {
  SignResult r;
  r.digest = ResolveDigest(client, image);
  r.payload = BuildSimpleSigningPayload(image.Repository(), r.digest, annotations);
  r.signature_b64 = Base64Encode(key.Sign(r.payload));
  Descriptor layer;
  layer.media_type = kSimpleSigningMediaType;
  layer.size = r.payload.size();
  layer.digest = Sha256::Of(r.payload);
  layer.annotations[kSignatureAnnotation] = r.signature_b64;
  layer.annotations[kKeyHintAnnotation] = key.Public().Fingerprint();
  const std::string tag = SignatureTag(r.digest);
  r.appended = AppendLayer(client, image, tag, r.payload, layer);
  r.signature_ref = image.WithTag(tag).String();
  return r;
}

std::string PredicateTypeFor(const std::string& t) {
  if (t == "cyclonedx") return kCycloneDxPredicateType;
  if (t == "customs-scan") return kCustomsScanPredicateType;
  if (t.rfind("https://", 0) == 0 || t.rfind("http://", 0) == 0) return t;
  throw UsageError("--type: '" + t + "' is neither cyclonedx, customs-scan nor a predicate type URI");
}

AttestResult AttestImage(registry::Client& client, const registry::Reference& image, const PrivateKey& key,
                         const std::string& predicate_type, const nlohmann::ordered_json& predicate) {
  AttestResult r;
  r.digest = ResolveDigest(client, image);
  InTotoStatement st;
  st.predicate_type = predicate_type;
  InTotoSubject subject;
  subject.name = image.Repository();
  subject.digest["sha256"] = r.digest.substr(r.digest.find(':') + 1);
  st.subjects.push_back(subject);
  st.predicate = predicate;
  DsseEnvelope env;
  env.payload_type = kInTotoPayloadType;
  env.payload = SerializeStatement(st);
  env.signatures.push_back({"", key.Sign(Pae(env.payload_type, env.payload))});
  r.envelope = SerializeEnvelope(env);
  Descriptor layer;
  layer.media_type = kDsseEnvelopeMediaType;
  layer.size = r.envelope.size();
  layer.digest = Sha256::Of(r.envelope);
  layer.annotations[kSignatureAnnotation] = "";  // cosign: the signature lives inside the envelope
  layer.annotations[kPredicateTypeAnnotation] = predicate_type;
  layer.annotations[kKeyHintAnnotation] = key.Public().Fingerprint();
  const std::string tag = AttestationTag(r.digest);
  AppendLayer(client, image, tag, r.envelope, layer);
  r.attestation_ref = image.WithTag(tag).String();
  return r;
}

}  // namespace customs::signing
