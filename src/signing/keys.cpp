#include "signing/keys.h"

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sodium.h>

#include <cstring>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/error.h"
#include "core/sha256.h"
#include "formats/json.h"

namespace customs::signing {

namespace {

constexpr size_t kSaltBytes = 32;
constexpr size_t kKeyBytes = 32;
static_assert(crypto_secretbox_KEYBYTES == kKeyBytes, "NaCl secretbox takes a 32-byte key");
static_assert(crypto_secretbox_NONCEBYTES == 24, "NaCl secretbox takes a 24-byte nonce");

void EnsureSodium() {
  if (sodium_init() < 0) throw Error(kExitInternal, "libsodium could not be initialized");
}

std::string OpenSslReason() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (!e) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

std::shared_ptr<EVP_PKEY> Own(EVP_PKEY* k) { return std::shared_ptr<EVP_PKEY>(k, EVP_PKEY_free); }

// Only ECDSA on P-256 is cosign's required scheme; other key types are refused with a clear reason.
void RequireP256(EVP_PKEY* k, const std::string& where) {
  if (EVP_PKEY_get_base_id(k) != EVP_PKEY_EC) throw InputError(where, "not an EC key (customs signs with ECDSA P-256)");
  char group[64] = {0};
  size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(k, "group", group, sizeof group, &len) != 1)
    throw InputError(where, "EC key without a named curve");
  if (std::string(group) != "prime256v1" && std::string(group) != "P-256")
    throw InputError(where, std::string("EC key on curve ") + group + ", not P-256");
}

// Wipes a std::string's bytes before it goes (decrypted keys, derived keys).
struct Wiped {
  std::string s;
  ~Wiped() {
    if (!s.empty()) sodium_memzero(s.data(), s.size());
  }
};

std::string DeriveKey(std::string_view password, std::string_view salt, const ScryptParams& p) {
  EnsureSodium();
  std::string key(kKeyBytes, '\0');
  if (crypto_pwhash_scryptsalsa208sha256_ll(reinterpret_cast<const uint8_t*>(password.data()), password.size(),
                                            reinterpret_cast<const uint8_t*>(salt.data()), salt.size(), p.n, p.r,
                                            p.p, reinterpret_cast<uint8_t*>(key.data()), key.size()) != 0)
    throw Error(kExitInternal, "scrypt failed (out of memory?)");
  return key;
}

std::string RandomBytes(size_t n) {
  EnsureSodium();
  std::string out(n, '\0');
  randombytes_buf(out.data(), n);
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Base64

std::string Base64Encode(std::string_view data) {
  EnsureSodium();
  std::string out(sodium_base64_encoded_len(data.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

bool Base64Decode(std::string_view text, std::string* out) {
  EnsureSodium();
  std::string buf(text.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(buf.data()), buf.size(), text.data(), text.size(), nullptr,
                        &len, &end, sodium_base64_VARIANT_ORIGINAL) != 0)
    return false;
  if (end != text.data() + text.size()) return false;  // trailing garbage
  buf.resize(len);
  *out = std::move(buf);
  return true;
}

// ---------------------------------------------------------------------------------------------
// PEM (OpenSSL's reader: any label, headers refused)

PemBlock ReadPem(std::string_view text, const std::string& where) {
  if (text.size() > (1u << 20)) throw InputError(where, "too large for a key file (over 1 MiB)");
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(text.data(), int(text.size())), BIO_free);
  if (!bio) throw Error(kExitInternal, "out of memory");
  char* name = nullptr;
  char* header = nullptr;
  unsigned char* data = nullptr;
  long len = 0;
  if (PEM_read_bio(bio.get(), &name, &header, &data, &len) != 1) {
    ERR_clear_error();
    throw InputError(where, "no PEM block (-----BEGIN ...----- / -----END ...-----) with valid base64");
  }
  PemBlock b;
  b.label = name;
  const bool has_header = header && *header;
  b.der.assign(reinterpret_cast<const char*>(data), size_t(len));
  OPENSSL_free(name);
  OPENSSL_free(header);
  OPENSSL_clear_free(data, size_t(len));
  if (has_header) throw InputError(where, "PEM block '" + b.label + "' has headers (encrypted OpenSSL PEM?); not a cosign key");
  return b;
}

std::string WritePem(std::string_view label, std::string_view der) {
  std::string b64 = Base64Encode(der);
  std::string out = "-----BEGIN " + std::string(label) + "-----\n";
  for (size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
  out += "-----END " + std::string(label) + "-----\n";
  return out;
}

// ---------------------------------------------------------------------------------------------
// Keys

PrivateKey PrivateKey::Generate() {
  EVP_PKEY* k = EVP_EC_gen("P-256");
  if (!k) throw Error(kExitInternal, "EC key generation failed: " + OpenSslReason());
  PrivateKey out;
  out.pkey_ = Own(k);
  return out;
}

PrivateKey PrivateKey::FromPkcs8Der(std::string_view der, const std::string& where) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  PKCS8_PRIV_KEY_INFO* info = d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, long(der.size()));
  if (!info || p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    PKCS8_PRIV_KEY_INFO_free(info);
    ERR_clear_error();
    throw InputError(where, "the decrypted key is not PKCS#8 DER");
  }
  EVP_PKEY* k = EVP_PKCS82PKEY(info);
  PKCS8_PRIV_KEY_INFO_free(info);
  if (!k) {
    ERR_clear_error();
    throw InputError(where, "the PKCS#8 key could not be read: " + OpenSslReason());
  }
  PrivateKey out;
  out.pkey_ = Own(k);
  RequireP256(k, where);
  return out;
}

std::string PrivateKey::Pkcs8Der() const {
  PKCS8_PRIV_KEY_INFO* info = EVP_PKEY2PKCS8(pkey_.get());
  if (!info) throw Error(kExitInternal, "PKCS#8 encoding failed: " + OpenSslReason());
  unsigned char* buf = nullptr;
  int len = i2d_PKCS8_PRIV_KEY_INFO(info, &buf);
  PKCS8_PRIV_KEY_INFO_free(info);
  if (len <= 0) throw Error(kExitInternal, "PKCS#8 encoding failed: " + OpenSslReason());
  std::string out(reinterpret_cast<const char*>(buf), size_t(len));
  OPENSSL_clear_free(buf, size_t(len));
  return out;
}

PublicKey PrivateKey::Public() const {
  unsigned char* buf = nullptr;
  int len = i2d_PUBKEY(pkey_.get(), &buf);
  if (len <= 0) throw Error(kExitInternal, "public key encoding failed: " + OpenSslReason());
  std::string der(reinterpret_cast<const char*>(buf), size_t(len));
  OPENSSL_free(buf);
  return PublicKey::FromSpkiDer(der, "public key");
}

std::string PrivateKey::Sign(std::string_view data) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  size_t len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1)
    throw Error(kExitInternal, "signing failed: " + OpenSslReason());
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1)
    throw Error(kExitInternal, "signing failed: " + OpenSslReason());
  sig.resize(len);
  return sig;
}

PublicKey PublicKey::FromSpkiDer(std::string_view der, const std::string& where) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  EVP_PKEY* k = d2i_PUBKEY(nullptr, &p, long(der.size()));
  if (!k || p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    EVP_PKEY_free(k);
    ERR_clear_error();
    throw InputError(where, "not a DER SubjectPublicKeyInfo");
  }
  PublicKey out;
  out.pkey_ = Own(k);
  RequireP256(k, where);
  return out;
}

PublicKey PublicKey::FromPem(std::string_view pem, const std::string& where) {
  PemBlock b = ReadPem(pem, where);
  if (b.label != kPublicKeyLabel)
    throw InputError(where, "PEM block '" + b.label + "' is not a public key (want '" + kPublicKeyLabel + "')");
  return FromSpkiDer(b.der, where);
}

std::string PublicKey::SpkiDer() const {
  unsigned char* buf = nullptr;
  int len = i2d_PUBKEY(pkey_.get(), &buf);
  if (len <= 0) throw Error(kExitInternal, "public key encoding failed: " + OpenSslReason());
  std::string der(reinterpret_cast<const char*>(buf), size_t(len));
  OPENSSL_free(buf);
  return der;
}

std::string PublicKey::Pem() const { return WritePem(kPublicKeyLabel, SpkiDer()); }

std::string PublicKey::Fingerprint() const { return Sha256::Of(SpkiDer()); }

bool PublicKey::Verify(std::string_view data, std::string_view der_signature) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey_.get()) != 1) {
    ERR_clear_error();
    return false;
  }
  int rc = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(der_signature.data()),
                            der_signature.size(), reinterpret_cast<const unsigned char*>(data.data()), data.size());
  ERR_clear_error();
  return rc == 1;
}

// ---------------------------------------------------------------------------------------------
// The encryption box

std::string EncryptBox(std::string_view plaintext, std::string_view password, const ScryptParams& params) {
  EnsureSodium();
  const std::string salt = RandomBytes(kSaltBytes);
  const std::string nonce = RandomBytes(crypto_secretbox_NONCEBYTES);
  Wiped key{DeriveKey(password, salt, params)};
  std::string sealed(plaintext.size() + crypto_secretbox_MACBYTES, '\0');
  crypto_secretbox_easy(reinterpret_cast<unsigned char*>(sealed.data()),
                        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                        reinterpret_cast<const unsigned char*>(nonce.data()),
                        reinterpret_cast<const unsigned char*>(key.s.data()));
  // Field order as cosign (Go struct order) writes it.
  nlohmann::ordered_json j;
  j["kdf"]["name"] = "scrypt";
  j["kdf"]["params"]["N"] = params.n;
  j["kdf"]["params"]["r"] = params.r;
  j["kdf"]["params"]["p"] = params.p;
  j["kdf"]["salt"] = Base64Encode(salt);
  j["cipher"]["name"] = "nacl/secretbox";
  j["cipher"]["nonce"] = Base64Encode(nonce);
  j["ciphertext"] = Base64Encode(sealed);
  return j.dump();
}

namespace {

const nlohmann::json& Field(const nlohmann::json& obj, const char* name, const std::string& where) {
  if (!obj.is_object() || !obj.contains(name)) throw InputError(where, std::string("encrypted key: no '") + name + "'");
  return obj.at(name);
}

std::string StringField(const nlohmann::json& obj, const char* name, const std::string& where) {
  const auto& v = Field(obj, name, where);
  if (!v.is_string()) throw InputError(where, std::string("encrypted key: '") + name + "' is not a string");
  return v.get<std::string>();
}

std::string Base64Field(const nlohmann::json& obj, const char* name, const std::string& where) {
  std::string out;
  if (!Base64Decode(StringField(obj, name, where), &out))
    throw InputError(where, std::string("encrypted key: '") + name + "' is not base64");
  return out;
}

uint64_t UintField(const nlohmann::json& obj, const char* name, const std::string& where) {
  const auto& v = Field(obj, name, where);
  if (!v.is_number_unsigned()) throw InputError(where, std::string("encrypted key: '") + name + "' is not a positive integer");
  return v.get<uint64_t>();
}

}  // namespace

EncryptedBox ParseBox(std::string_view text, const std::string& where) {
  nlohmann::json j = ParseJsonOrDiscarded(text, where);
  if (j.is_discarded() || !j.is_object()) throw InputError(where, "encrypted key: not a JSON object");
  const auto& kdf = Field(j, "kdf", where);
  const auto& cipher = Field(j, "cipher", where);
  if (StringField(kdf, "name", where) != "scrypt")
    throw InputError(where, "encrypted key: unknown kdf '" + StringField(kdf, "name", where) + "' (want scrypt)");
  if (StringField(cipher, "name", where) != "nacl/secretbox")
    throw InputError(where, "encrypted key: unknown cipher '" + StringField(cipher, "name", where) +
                                "' (want nacl/secretbox)");
  const auto& params = Field(kdf, "params", where);
  ScryptParams p;
  p.n = UintField(params, "N", where);
  uint64_t r = UintField(params, "r", where), pp = UintField(params, "p", where);
  // Bounds, so that a hostile key file cannot make scrypt take gigabytes or hours: N a power of two
  // from 2^10 to 2^20 (cosign writes 2^15), r up to 32, p up to 16, memory (128*N*r) at most 1 GiB.
  if (p.n < 1024 || p.n > (1u << 20) || (p.n & (p.n - 1)) != 0)
    throw InputError(where, "encrypted key: scrypt N=" + std::to_string(p.n) + " out of bounds (a power of two, 2^10..2^20)");
  if (r < 1 || r > 32 || pp < 1 || pp > 16)
    throw InputError(where, "encrypted key: scrypt r/p out of bounds (r 1..32, p 1..16)");
  if (128ull * p.n * r > (1ull << 30)) throw InputError(where, "encrypted key: scrypt memory over 1 GiB");
  p.r = uint32_t(r);
  p.p = uint32_t(pp);
  EncryptedBox box;
  box.params = p;
  const std::string& salt = box.salt = Base64Field(kdf, "salt", where);
  const std::string& nonce = box.nonce = Base64Field(cipher, "nonce", where);
  const std::string& sealed = box.sealed = Base64Field(j, "ciphertext", where);
  if (salt.empty() || salt.size() > 1024) throw InputError(where, "encrypted key: salt of " + std::to_string(salt.size()) + " bytes");
  if (nonce.size() != crypto_secretbox_NONCEBYTES)
    throw InputError(where, "encrypted key: nonce of " + std::to_string(nonce.size()) + " bytes (want 24)");
  if (sealed.size() < crypto_secretbox_MACBYTES) throw InputError(where, "encrypted key: ciphertext shorter than its MAC");
  if (sealed.size() > (64u << 10)) throw InputError(where, "encrypted key: ciphertext over 64 KiB");
  return box;
}

std::string DecryptBox(std::string_view text, std::string_view password, const std::string& where) {
  const EncryptedBox box = ParseBox(text, where);
  const std::string& nonce = box.nonce;
  const std::string& sealed = box.sealed;
  Wiped key{DeriveKey(password, box.salt, box.params)};
  std::string plain(sealed.size() - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                 reinterpret_cast<const unsigned char*>(sealed.data()), sealed.size(),
                                 reinterpret_cast<const unsigned char*>(nonce.data()),
                                 reinterpret_cast<const unsigned char*>(key.s.data())) != 0)
    throw Error(kExitBadPassword, where + ": wrong password for the private key (or the key file is corrupted)");
  return plain;
}

std::string EncryptPrivateKeyPem(const PrivateKey& key, std::string_view password, const ScryptParams& params) {
  Wiped der{key.Pkcs8Der()};
  return WritePem(kSigstorePrivateKeyLabel, EncryptBox(der.s, password, params));
}

PrivateKey DecryptPrivateKeyPem(std::string_view pem, std::string_view password, const std::string& where) {
  PemBlock b = ReadPem(pem, where);
  if (b.label != kSigstorePrivateKeyLabel && b.label != kCosignPrivateKeyLabel)
    throw InputError(where, "PEM block '" + b.label + "' is not a cosign private key (want '" +
                                kSigstorePrivateKeyLabel + "')");
  Wiped der{DecryptBox(b.der, password, where)};
  return PrivateKey::FromPkcs8Der(der.s, where);
}

}  // namespace customs::signing
