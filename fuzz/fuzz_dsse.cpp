// libFuzzer target: what `customs verify` and `verify-attestation` read from a registry
// (src/signing/): DSSE envelopes, the in-toto statements inside, simple-signing payloads and the
// .sig/.att manifests. All parsers report failure by returning false; none may crash.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "signing/cosign_layout.h"
#include "signing/dsse.h"
#include "signing/simple_signing.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace customs::signing;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string why;
  DsseEnvelope env;
  if (ParseEnvelope(input, &env, &why)) {
    InTotoStatement st;
    if (ParseStatement(env.payload, &st, &why)) (void)SerializeStatement(st);
    (void)Pae(env.payload_type, env.payload);
    (void)SerializeEnvelope(env);
  }
  InTotoStatement st;
  if (ParseStatement(input, &st, &why)) (void)SerializeStatement(st);
  SimpleSigningPayload p;
  (void)ParseSimpleSigningPayload(input, &p, &why);
  CosignManifest m;
  if (ParseCosignManifest(input, &m, &why)) {
    std::vector<std::string> ids;
    for (const auto& l : m.layers) ids.push_back(l.digest);
    (void)BuildManifest(m.config, m.layers);
    (void)BuildConfig(ids);
  }
  return 0;
}
