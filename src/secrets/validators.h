// Checks a secret rule's pattern cannot express: checksums a provider embeds in its tokens and
// structures a value must decode to. Each is a `Validator` (rule.h): given the secret a rule
// matched, false means "not a real credential of that kind" and the match is dropped.
//
// They look only at the value (no network, no state), accept any well-formed value of the kind and
// never throw: malformed input is simply false.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace customs::secrets {

// GitHub's tokens (ghp_, gho_, ghu_, ghs_, ghr_: 4-character prefix, 30 random base62 characters,
// then 6 characters holding the CRC32 of those 30, in base62 (0-9A-Za-z) left-padded with '0').
// https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/
bool ValidGitHubToken(std::string_view token);

// GitHub refresh tokens (ghr_): the 40-character ones carry the checksum above; longer ones (the
// format allows up to 76 characters after the prefix) have no published checksum and pass.
bool ValidGitHubRefreshToken(std::string_view token);

// npm's granular/automation tokens (npm_ + 36 base62 characters) use GitHub's scheme.
// https://github.blog/2021-09-23-announcing-npms-new-access-token-format/
bool ValidNpmToken(std::string_view token);

// PyPI API tokens: "pypi-" + base64url of a version-2 macaroon whose location is pypi.org or
// test.pypi.org, with an identifier, well-formed caveat sections and a 32-byte signature.
bool ValidPypiToken(std::string_view token);

// JSON Web Tokens (JWS compact form): the header decodes to a JSON object with a string "alg", the
// payload to a JSON object, the signature is non-empty base64url.
bool ValidJwt(std::string_view token);

// base64("user:password"), as in ~/.docker/config.json "auth" and .npmrc "_auth": decodes to
// printable text with a non-empty user and a non-empty password around the first ':'.
bool ValidBasicAuthBase64(std::string_view value);

// A PEM private key block (-----BEGIN <label>-----...-----END <label>-----): the body is base64
// and decodes to what the label promises: one DER SEQUENCE spanning exactly the decoded bytes
// (RSA/EC/DSA/PKCS#8/encrypted PKCS#8; legacy "Proc-Type: 4,ENCRYPTED" bodies are ciphertext and
// only need to decode), "openssh-key-v1\0" for OPENSSH, an OpenPGP secret-key packet (and a
// matching CRC24 armor checksum when present) for PGP, the SSH2 magic for ssh.com keys.
bool ValidPemPrivateKey(std::string_view block);

// The same block as a JSON string body ("-----BEGIN PRIVATE KEY-----\n...": escaped newlines), as
// in a Google service-account key file.
bool ValidJsonEscapedPemPrivateKey(std::string_view escaped);

// age's X25519 identities: AGE-SECRET-KEY-1 + bech32 data whose checksum holds (BIP-173) and that
// carries 32 bytes. https://age-encryption.org/v1
bool ValidAgeSecretKey(std::string_view key);

// --- Encodings, exposed for the engine and the tests ---------------------------------------------

// Standard (+/) or URL-safe (-_) base64, with or without '=' padding; whitespace is not accepted.
// nullopt when the text is not base64 (bad character, impossible length, padding in the middle).
std::optional<std::string> DecodeBase64(std::string_view text);

// The 6-character base62 form of a CRC32 used by GitHub and npm tokens.
std::string Base62Checksum(uint32_t crc);

}  // namespace customs::secrets
