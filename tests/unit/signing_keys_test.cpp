// Cosign's key format (src/signing/keys.cpp): the encryption box round trip, wrong passwords, every way a
// key file can be malformed, and the format checked against an independent writer/reader in Python
// (tests/support/signing_oracle.py: hashlib.scrypt, PyNaCl's SecretBox, python3-cryptography).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "core/error.h"
#include "signing/keys.h"
#include "support/fixtures.h"

namespace customs::signing {
namespace {

namespace ct = customs_test;

// Low scrypt cost for the tests that do not check the format itself (N=2^15 takes ~100 ms per call).
const ScryptParams kFast{1024, 8, 1};

ExitCode CodeOf(const std::function<void()>& fn, std::string* message = nullptr) {
  try {
    fn();
  } catch (const Error& e) {
    if (message) *message = e.what();
    return e.code();
  }
  ADD_FAILURE() << "no error";
  return kExitOk;
}

std::string Oracle() { return ct::SourceDir() + "/tests/support/signing_oracle.py"; }

// The oracle runs with Debian's python3 (PyNaCl and cryptography are Debian packages).
ct::RunResult RunOracle(const std::vector<std::string>& args, const std::string& password) {
  std::vector<std::string> argv = {"/usr/bin/python3", Oracle()};
  argv.insert(argv.end(), args.begin(), args.end());
  ct::RunOptions o;
  o.env = {"ORACLE_PASSWORD=" + password};
  o.timeout_seconds = 120;
  return ct::Run(argv, o);
}

TEST(SigningKeys, BoxRoundTripAndFields) {
  const std::string secret = std::string("pkcs8 \0 bytes", 13);
  const std::string box = EncryptBox(secret, "correct horse", kFast);
  EXPECT_EQ(DecryptBox(box, "correct horse", "k"), secret);
  // The JSON cosign writes: three top-level fields, in this order, with these names.
  auto j = nlohmann::json::parse(box);
  auto jo = nlohmann::ordered_json::parse(box);
  std::vector<std::string> keys;
  for (auto it = jo.begin(); it != jo.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"kdf", "cipher", "ciphertext"}));
  EXPECT_EQ(j["kdf"]["name"], "scrypt");
  EXPECT_EQ(j["kdf"]["params"]["N"], 1024);
  EXPECT_EQ(j["kdf"]["params"]["r"], 8);
  EXPECT_EQ(j["kdf"]["params"]["p"], 1);
  EXPECT_EQ(j["cipher"]["name"], "nacl/secretbox");
  std::string salt, nonce, sealed;
  ASSERT_TRUE(Base64Decode(j["kdf"]["salt"].get<std::string>(), &salt));
  ASSERT_TRUE(Base64Decode(j["cipher"]["nonce"].get<std::string>(), &nonce));
  ASSERT_TRUE(Base64Decode(j["ciphertext"].get<std::string>(), &sealed));
  EXPECT_EQ(salt.size(), 32u);
  EXPECT_EQ(nonce.size(), 24u);
  EXPECT_EQ(sealed.size(), secret.size() + 16u);  // Poly1305 tag + ciphertext
  // Fresh salt and nonce every time.
  auto j2 = nlohmann::json::parse(EncryptBox(secret, "correct horse", kFast));
  EXPECT_NE(j2["kdf"]["salt"], j["kdf"]["salt"]);
  EXPECT_NE(j2["cipher"]["nonce"], j["cipher"]["nonce"]);
}

TEST(SigningKeys, DefaultCostIsCosigns) {
  auto j = nlohmann::json::parse(EncryptBox("x", "pw"));
  EXPECT_EQ(j["kdf"]["params"]["N"], 32768);
  EXPECT_EQ(j["kdf"]["params"]["r"], 8);
  EXPECT_EQ(j["kdf"]["params"]["p"], 1);
}

TEST(SigningKeys, WrongPasswordIsItsOwnCleanError) {
  const std::string box = EncryptBox("secret", "right", kFast);
  std::string msg;
  EXPECT_EQ(CodeOf([&] { DecryptBox(box, "wrong", "cosign.key"); }, &msg), kExitBadPassword);
  EXPECT_NE(msg.find("cosign.key"), std::string::npos) << msg;
  EXPECT_NE(msg.find("wrong password"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("right"), std::string::npos) << "the password in a message: " << msg;
  EXPECT_EQ(CodeOf([&] { DecryptBox(box, "", "cosign.key"); }), kExitBadPassword);
  // A flipped ciphertext bit fails the MAC the same way.
  auto j = nlohmann::json::parse(box);
  std::string sealed;
  ASSERT_TRUE(Base64Decode(j["ciphertext"].get<std::string>(), &sealed));
  sealed[sealed.size() - 1] ^= 1;
  j["ciphertext"] = Base64Encode(sealed);
  EXPECT_EQ(CodeOf([&] { DecryptBox(j.dump(), "right", "k"); }), kExitBadPassword);
}

TEST(SigningKeys, MalformedBoxesAreInputErrors) {
  const auto good = nlohmann::json::parse(EncryptBox("secret", "pw", kFast));
  struct Case {
    const char* what;
    std::function<void(nlohmann::json&)> edit;
    const char* expect;
  };
  const std::vector<Case> cases = {
      {"other kdf", [](nlohmann::json& j) { j["kdf"]["name"] = "argon2"; }, "unknown kdf"},
      {"other cipher", [](nlohmann::json& j) { j["cipher"]["name"] = "aes-gcm"; }, "unknown cipher"},
      {"no kdf", [](nlohmann::json& j) { j.erase("kdf"); }, "'kdf'"},
      {"no params", [](nlohmann::json& j) { j["kdf"].erase("params"); }, "'params'"},
      {"N not a power of two", [](nlohmann::json& j) { j["kdf"]["params"]["N"] = 1000; }, "out of bounds"},
      {"N huge", [](nlohmann::json& j) { j["kdf"]["params"]["N"] = 1ull << 40; }, "out of bounds"},
      {"r huge", [](nlohmann::json& j) { j["kdf"]["params"]["r"] = 100000; }, "out of bounds"},
      {"p zero", [](nlohmann::json& j) { j["kdf"]["params"]["p"] = 0; }, "out of bounds"},
      {"N negative", [](nlohmann::json& j) { j["kdf"]["params"]["N"] = -32768; }, "positive integer"},
      {"N string", [](nlohmann::json& j) { j["kdf"]["params"]["N"] = "32768"; }, "positive integer"},
      {"salt not base64", [](nlohmann::json& j) { j["kdf"]["salt"] = "@@@"; }, "not base64"},
      {"salt empty", [](nlohmann::json& j) { j["kdf"]["salt"] = ""; }, "salt of 0 bytes"},
      {"nonce short", [](nlohmann::json& j) { j["cipher"]["nonce"] = Base64Encode("short"); }, "nonce of 5 bytes"},
      {"ciphertext short", [](nlohmann::json& j) { j["ciphertext"] = Base64Encode("tiny"); }, "shorter than its MAC"},
      {"ciphertext number", [](nlohmann::json& j) { j["ciphertext"] = 5; }, "not a string"},
  };
  for (const auto& c : cases) {
    nlohmann::json j = good;
    c.edit(j);
    std::string msg;
    EXPECT_EQ(CodeOf([&] { DecryptBox(j.dump(), "pw", "k.key"); }, &msg), kExitInputRejected) << c.what;
    EXPECT_NE(msg.find(c.expect), std::string::npos) << c.what << ": " << msg;
  }
  for (const std::string bad : {"", "not json", "[]", "{\"kdf\":1}", "null"})
    EXPECT_EQ(CodeOf([&] { DecryptBox(bad, "pw", "k.key"); }), kExitInputRejected) << bad;
}

TEST(SigningKeys, PemParsingErrors) {
  const PrivateKey key = PrivateKey::Generate();
  const std::string pem = EncryptPrivateKeyPem(key, "pw", kFast);
  std::string msg;
  // No block, broken base64, unterminated block, wrong labels.
  EXPECT_EQ(CodeOf([&] { DecryptPrivateKeyPem("", "pw", "k"); }, &msg), kExitInputRejected);
  EXPECT_NE(msg.find("no PEM block"), std::string::npos) << msg;
  EXPECT_EQ(CodeOf([&] { DecryptPrivateKeyPem("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n!!!!\n"
                                              "-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n", "pw", "k"); }),
            kExitInputRejected);
  EXPECT_EQ(CodeOf([&] { DecryptPrivateKeyPem(pem.substr(0, pem.size() / 2), "pw", "k"); }), kExitInputRejected);
  EXPECT_EQ(CodeOf([&] { DecryptPrivateKeyPem(key.Public().Pem(), "pw", "k"); }, &msg), kExitInputRejected);
  EXPECT_NE(msg.find("not a cosign private key"), std::string::npos) << msg;
  EXPECT_EQ(CodeOf([&] { PublicKey::FromPem(pem, "k.pub"); }, &msg), kExitInputRejected);
  EXPECT_NE(msg.find("not a public key"), std::string::npos) << msg;
  // A box holding something that is not PKCS#8.
  const std::string not_pkcs8 = WritePem(kSigstorePrivateKeyLabel, EncryptBox("garbage", "pw", kFast));
  EXPECT_EQ(CodeOf([&] { DecryptPrivateKeyPem(not_pkcs8, "pw", "k"); }, &msg), kExitInputRejected);
  EXPECT_NE(msg.find("PKCS#8"), std::string::npos) << msg;
  // Text around the block is ignored, as PEM readers do; the old cosign label loads too.
  EXPECT_NO_THROW(DecryptPrivateKeyPem("comment line\n" + pem + "trailer\n", "pw", "k"));
  std::string body = pem;
  for (const char* from : {"BEGIN ", "END "}) {
    size_t at = body.find(std::string(from) + kSigstorePrivateKeyLabel);
    body.replace(at + std::strlen(from), std::strlen(kSigstorePrivateKeyLabel), kCosignPrivateKeyLabel);
  }
  EXPECT_EQ(DecryptPrivateKeyPem(body, "pw", "k").Public().Fingerprint(), key.Public().Fingerprint());
}

TEST(SigningKeys, SignVerify) {
  const PrivateKey key = PrivateKey::Generate();
  const PublicKey pub = PublicKey::FromPem(key.Public().Pem(), "pub");
  const std::string sig = key.Sign("payload");
  EXPECT_TRUE(pub.Verify("payload", sig));
  EXPECT_FALSE(pub.Verify("payloaD", sig));
  EXPECT_FALSE(pub.Verify("payload", sig.substr(1)));
  EXPECT_FALSE(pub.Verify("payload", ""));
  EXPECT_FALSE(PrivateKey::Generate().Public().Verify("payload", sig));
  const PrivateKey loaded = DecryptPrivateKeyPem(EncryptPrivateKeyPem(key, "pw", kFast), "pw", "k");
  EXPECT_EQ(loaded.Pkcs8Der(), key.Pkcs8Der());
  EXPECT_TRUE(pub.Verify("x", loaded.Sign("x")));
  EXPECT_EQ(pub.Fingerprint().rfind("sha256:", 0), 0u);
}

// A key written by the Python oracle in cosign's format loads; what customs signs with it verifies in
// the oracle and with the oracle's public key.
TEST(SigningKeysOracle, KeyWrittenByOracleLoadsAndSigns) {
  ct::TempDir d;
  for (const std::string label : {kSigstorePrivateKeyLabel, kCosignPrivateKeyLabel}) {
    ct::RunResult w = RunOracle({"write-key", d / "py", label}, "oracle pw");
    ASSERT_EQ(w.exit_code, 0) << w.Describe();
    const PrivateKey key = DecryptPrivateKeyPem(ct::ReadFile(d / "py.key"), "oracle pw", "py.key");
    const PublicKey pub = PublicKey::FromPem(ct::ReadFile(d / "py.pub"), "py.pub");
    EXPECT_EQ(key.Public().Fingerprint(), pub.Fingerprint()) << label;
    const std::string data = "{\"critical\":{}}";
    const std::string sig = key.Sign(data);
    EXPECT_TRUE(pub.Verify(data, sig));
    ct::WriteFile(d / "data", data);
    ct::RunResult v = RunOracle({"verify", d / "py.pub", d / "data", Base64Encode(sig)}, "");
    EXPECT_EQ(v.exit_code, 0) << v.Describe();
    ct::RunResult bad = RunOracle({"verify", d / "py.pub", d / "data", Base64Encode(PrivateKey::Generate().Sign(data))}, "");
    EXPECT_EQ(bad.exit_code, 1) << "the oracle accepts anything: " << bad.Describe();
    EXPECT_EQ(CodeOf([&] { DecryptPrivateKeyPem(ct::ReadFile(d / "py.key"), "other", "py.key"); }), kExitBadPassword);
  }
}

// A key written by customs decrypts in the oracle, with cosign's parameters, and its public key is the
// one customs wrote.
TEST(SigningKeysOracle, KeyWrittenByCustomsDecryptsInOracle) {
  ct::TempDir d;
  const PrivateKey key = PrivateKey::Generate();
  ct::WriteFile(d / "c.key", EncryptPrivateKeyPem(key, "customs pw"));
  ct::WriteFile(d / "c.pub", key.Public().Pem());
  ct::RunResult r = RunOracle({"read-key", d / "c.key"}, "customs pw");
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(r.out, ct::ReadFile(d / "c.pub"));
  EXPECT_NE(r.err.find("label=ENCRYPTED SIGSTORE PRIVATE KEY kdf=scrypt N=32768 r=8 p=1 salt=32 "
                       "cipher=nacl/secretbox nonce=24 keys=kdf,cipher,ciphertext"),
            std::string::npos)
      << r.err;
  ct::RunResult wrong = RunOracle({"read-key", d / "c.key"}, "not it");
  EXPECT_EQ(wrong.exit_code, 3) << wrong.Describe();
}

}  // namespace
}  // namespace customs::signing
