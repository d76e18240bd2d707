// Signing keys in cosign's formats: ECDSA P-256, the private key as PKCS#8 DER encrypted with a password
// (scrypt + NaCl secretbox, JSON, PEM block "ENCRYPTED SIGSTORE PRIVATE KEY"), the public key as a PEM
// "PUBLIC KEY" (SubjectPublicKeyInfo). OpenSSL does the EC arithmetic and the DER, libsodium the scrypt and
// the secretbox; the JSON wrapper is cosign's (sigstore's "encrypted" package) and is written here.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

typedef struct evp_pkey_st EVP_PKEY;

namespace customs::signing {

// PEM labels.
inline constexpr const char* kSigstorePrivateKeyLabel = "ENCRYPTED SIGSTORE PRIVATE KEY";
inline constexpr const char* kCosignPrivateKeyLabel = "ENCRYPTED COSIGN PRIVATE KEY";  // cosign < 1.x
inline constexpr const char* kPublicKeyLabel = "PUBLIC KEY";

// Cosign's scrypt cost (sigstore's encrypted package: N=32768, r=8, p=1), 32-byte salt, 24-byte nonce.
struct ScryptParams {
  uint64_t n = 32768;
  uint32_t r = 8;
  uint32_t p = 1;
};

class PublicKey;

// An ECDSA P-256 private key (OpenSSL EVP_PKEY).
class PrivateKey {
 public:
  static PrivateKey Generate();
  // PKCS#8 DER (PrivateKeyInfo). InputError naming `where` when it is not an EC P-256 key.
  static PrivateKey FromPkcs8Der(std::string_view der, const std::string& where);
  std::string Pkcs8Der() const;
  PublicKey Public() const;
  // ECDSA over SHA-256(data); the ASN.1 DER signature (what cosign base64-encodes).
  std::string Sign(std::string_view data) const;

 private:
  std::shared_ptr<EVP_PKEY> pkey_;
  friend class PublicKey;
};

class PublicKey {
 public:
  // PEM "PUBLIC KEY" (SubjectPublicKeyInfo), EC P-256. InputError naming `where` otherwise.
  static PublicKey FromPem(std::string_view pem, const std::string& where);
  static PublicKey FromSpkiDer(std::string_view der, const std::string& where);
  std::string SpkiDer() const;
  std::string Pem() const;
  // "sha256:<hex>" of the SubjectPublicKeyInfo DER.
  std::string Fingerprint() const;
  // True when `der_signature` is a valid ECDSA-SHA256 signature of `data` by this key. Malformed
  // signatures are simply not valid.
  bool Verify(std::string_view data, std::string_view der_signature) const;

 private:
  std::shared_ptr<EVP_PKEY> pkey_;
  friend class PrivateKey;
};

// The cosign encryption box: JSON {"kdf":{"name":"scrypt","params":{"N","r","p"},"salt"},
// "cipher":{"name":"nacl/secretbox","nonce"},"ciphertext"} (base64 standard encoding).
struct EncryptedBox {
  ScryptParams params;
  std::string salt, nonce, sealed;  // decoded; `sealed` is the Poly1305 tag followed by the ciphertext
};
// Reads the box without deriving the key (no scrypt): InputError naming `where` as below.
EncryptedBox ParseBox(std::string_view json, const std::string& where);
std::string EncryptBox(std::string_view plaintext, std::string_view password, const ScryptParams& params = {});
// Error(kExitBadPassword) when the password does not open the box; InputError naming `where` when the
// JSON is not a box (unknown kdf or cipher, bad base64, sizes, scrypt costs out of bounds).
std::string DecryptBox(std::string_view json, std::string_view password, const std::string& where);

// The private key as cosign writes it (PEM "ENCRYPTED SIGSTORE PRIVATE KEY").
std::string EncryptPrivateKeyPem(const PrivateKey& key, std::string_view password,
                                 const ScryptParams& params = {});
// Reads "ENCRYPTED SIGSTORE PRIVATE KEY" or "ENCRYPTED COSIGN PRIVATE KEY" PEMs.
PrivateKey DecryptPrivateKeyPem(std::string_view pem, std::string_view password, const std::string& where);

// One PEM block: its label and decoded bytes. InputError naming `where` when there is none, the base64 is
// broken, or the block is not terminated. Text before and after the block is ignored, as PEM readers do.
struct PemBlock {
  std::string label;
  std::string der;
};
PemBlock ReadPem(std::string_view text, const std::string& where);
std::string WritePem(std::string_view label, std::string_view der);

// Base64 (standard alphabet, padded), strict on decode (no whitespace, no missing padding): nullopt-like
// failure is reported by returning false.
std::string Base64Encode(std::string_view data);
bool Base64Decode(std::string_view text, std::string* out);

}  // namespace customs::signing
