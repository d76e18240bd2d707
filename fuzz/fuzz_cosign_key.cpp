// libFuzzer target: cosign key files (src/signing/keys.cpp): the PEM reader, the encrypted-key JSON box,
// the PKCS#8 and SubjectPublicKeyInfo decoders. Every failure must be a customs::Error.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"
#include "signing/keys.h"

namespace {

void TryBox(std::string_view json) {
  using namespace customs::signing;
  try {
    EncryptedBox box = ParseBox(json, "fuzz");
    // Full decryption only at the cheapest scrypt cost, so that each input stays fast.
    if (box.params.n == 1024 && box.params.r <= 8 && box.params.p == 1) {
      std::string der = DecryptBox(json, "fuzz", "fuzz");
      (void)PrivateKey::FromPkcs8Der(der, "fuzz");
    }
  } catch (const customs::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace customs::signing;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    PemBlock b = ReadPem(input, "fuzz");
    if (b.label == kSigstorePrivateKeyLabel || b.label == kCosignPrivateKeyLabel) TryBox(b.der);
    if (b.label == kPublicKeyLabel) (void)PublicKey::FromSpkiDer(b.der, "fuzz").Fingerprint();
  } catch (const customs::Error&) {
  }
  TryBox(input);
  try {
    (void)PrivateKey::FromPkcs8Der(input, "fuzz");
  } catch (const customs::Error&) {
  }
  try {
    (void)PublicKey::FromSpkiDer(input, "fuzz");
  } catch (const customs::Error&) {
  }
  std::string out;
  (void)Base64Decode(input, &out);
  return 0;
}
