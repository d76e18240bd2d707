// A labelled corpus for the secret scanner: fake credentials in each provider's real format
// (random but well-formed: valid checksums and structures where the provider defines them),
// placed in many kinds of files, each true item labelled with its position; and decoy files that
// hold only things that look like secrets and are not (documented example keys, UUIDs, hashes,
// lorem ipsum, base64 images, git ids, placeholders, short or low-entropy values, near-misses
// with broken checksums, certificates and public keys, real-format tokens under paths that the
// built-in allow rules exclude).
//
// Everything comes from a seeded PRNG: the same seed writes the same bytes (with one standard
// library: std::uniform_int_distribution is implementation-defined). Nothing here uses
// customs' own secret code (checksums, base64, DER and bech32 are written independently), so the
// corpus checks the scanner rather than mirroring it.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace customs_test {

// Generators of well-formed fake credentials.
class FakeSecrets {
 public:
  explicit FakeSecrets(uint64_t seed) : rng_(seed) {}

  std::string Chars(std::string_view alphabet, size_t n);
  std::string Base62(size_t n);
  std::string Base64UrlChars(size_t n);  // n characters of [A-Za-z0-9_-]
  std::string Hex(size_t n);             // lowercase
  std::string HexUpper(size_t n);
  std::string Digits(size_t n);  // no leading zero
  std::string Bytes(size_t n);
  std::string Uuid();
  size_t Uniform(size_t lo, size_t hi);  // inclusive

  // gh?_ / npm_ tokens: prefix + 30 base62 + base62(CRC32) checksum.
  std::string ChecksummedToken(std::string_view prefix);
  // pypi-... : a version-2 macaroon for pypi.org (or test.pypi.org).
  std::string PypiToken(bool test_pypi = false);
  std::string Jwt();
  std::string BasicAuthBase64();  // base64("user:password")
  std::string AgeSecretKey();
  // A PEM block (64-column base64) whose body decodes to what `label` promises: "RSA PRIVATE KEY",
  // "EC PRIVATE KEY", "DSA PRIVATE KEY", "PRIVATE KEY", "ENCRYPTED PRIVATE KEY",
  // "OPENSSH PRIVATE KEY", "PGP PRIVATE KEY BLOCK"; legacy_encrypted adds Proc-Type/DEK-Info headers.
  std::string PemPrivateKey(std::string_view label, bool legacy_encrypted = false);
  std::string Ssh2EncryptedKey();
  std::string PuttyKey();

  std::mt19937_64& rng() { return rng_; }

 private:
  std::mt19937_64 rng_;
};

// Encodings used by the generators (standard or URL-safe alphabet, padded or not).
std::string EncodeBase64(std::string_view data, bool url = false, bool pad = true);

struct CorpusItem {
  std::string file;     // relative to the corpus directory
  std::string rule_id;  // the built-in rule that must report it
  std::string secret;   // the value the rule reports (its "secret" group)
  uint64_t line = 0;    // 1-based line of the secret's first byte
  uint64_t column = 0;  // 1-based byte column of the secret's first byte
};

// Writes the corpus under `dir` (created if needed) and returns the true items, sorted by file
// then position. Every built-in rule has items in at least two files. Relative paths of
// files that must yield no finding at all go to `decoy_files`; the other files must yield exactly
// the returned items (a generic rule may also report a value a specific rule reports).
std::vector<CorpusItem> WriteSecretCorpus(const std::string& dir, uint64_t seed,
                                          std::vector<std::string>* decoy_files = nullptr);

}  // namespace customs_test
