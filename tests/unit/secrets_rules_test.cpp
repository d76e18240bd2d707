// The built-in secret rules, their validators and helpers, and the labelled corpus
// (tests/support/secret_corpus): every rule compiles with PCRE2 (JIT) and as a Hyperscan streaming
// prefilter; validators accept well-formed values and reject broken ones; and the rules applied
// with PCRE2 directly (secret group, keywords, entropy, validator, allow rules: what the engine
// does after its prefilter) find every true item of the corpus and nothing in its decoys.
#include <gtest/gtest.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <hs/hs.h>
#include <pcre2.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <set>

#include "secrets/rule.h"
#include "secrets/validators.h"
#include "support/fixtures.h"
#include "support/secret_corpus.h"

using namespace customs::secrets;
using customs_test::CorpusItem;
using customs_test::EncodeBase64;
using customs_test::FakeSecrets;
using customs_test::TempDir;

namespace {

// --- PCRE2 ---------------------------------------------------------------------------------------

struct Pcre {
  pcre2_code* code = nullptr;
  std::string error;
  explicit Pcre(const std::string& pattern, bool caseless = false) {
    int err = 0;
    PCRE2_SIZE off = 0;
    code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), caseless ? PCRE2_CASELESS : 0,
                         &err, &off, nullptr);
    if (!code) {
      PCRE2_UCHAR buf[256];
      pcre2_get_error_message(err, buf, sizeof buf);
      error = reinterpret_cast<char*>(buf) + std::string(" at offset ") + std::to_string(off);
      return;
    }
    if (pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) != 0) error = "JIT compilation failed";
  }
  ~Pcre() { pcre2_code_free(code); }
  Pcre(const Pcre&) = delete;
  Pcre& operator=(const Pcre&) = delete;

  bool Search(std::string_view s) const {
    auto* md = pcre2_match_data_create_from_pattern(code, nullptr);
    int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(s.data()), s.size(), 0, 0, md, nullptr);
    pcre2_match_data_free(md);
    return rc >= 0;
  }
};

// --- A reference scanner: the rules applied with PCRE2 over whole files -----------------------------

struct Found {
  std::string file, rule_id, secret;
  uint64_t line = 0, column = 0, offset = 0;
};

class ReferenceScanner {
 public:
  ReferenceScanner() {
    for (const Rule& r : BuiltinRules()) {
      Compiled c;
      c.rule = &r;
      c.re = std::make_unique<Pcre>(r.regex, r.caseless);
      c.secret_group = pcre2_substring_number_from_name(c.re->code, reinterpret_cast<PCRE2_SPTR>("secret"));
      if (!r.prefilter.empty()) c.prefilter_at_end = std::make_unique<Pcre>("(?:" + r.prefilter + ")\\z", r.caseless);
      if (!r.path.empty()) c.path = std::make_unique<Pcre>(r.path);
      for (const auto& a : r.allow) c.allow.push_back(std::make_unique<Pcre>(a));
      rules_.push_back(std::move(c));
    }
    for (const AllowRule& a : BuiltinAllowRules()) {
      GlobalAllow g;
      g.rule = &a;
      if (!a.regex.empty()) g.regex = std::make_unique<Pcre>(a.regex);
      if (!a.path.empty()) g.path = std::make_unique<Pcre>(a.path);
      allow_.push_back(std::move(g));
    }
  }

  std::vector<Found> Scan(const std::string& path, std::string_view data) const {
    std::vector<Found> out;
    bool binary = std::memchr(data.data(), 0, std::min<size_t>(data.size(), 8192)) != nullptr;
    for (const Compiled& c : rules_) {
      if (c.rule->text_only && binary) continue;
      if (c.path && !c.path->Search(path)) continue;
      auto* md = pcre2_match_data_create_from_pattern(c.re->code, nullptr);
      size_t start = 0;
      while (start <= data.size()) {
        int rc = pcre2_match(c.re->code, reinterpret_cast<PCRE2_SPTR>(data.data()), data.size(), start, 0, md, nullptr);
        if (rc < 0) break;
        PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
        size_t lo = ov[0], hi = ov[1];
        size_t slo = lo, shi = hi;
        if (c.secret_group > 0 && ov[2 * c.secret_group] != PCRE2_UNSET) {
          slo = ov[2 * c.secret_group];
          shi = ov[2 * c.secret_group + 1];
        }
        Consider(c, path, data, lo, hi, slo, shi, out);
        start = hi > lo ? hi : lo + 1;
      }
      pcre2_match_data_free(md);
    }
    return out;
  }

 private:
  struct Compiled {
    const Rule* rule = nullptr;
    std::unique_ptr<Pcre> re, path, prefilter_at_end;
    std::vector<std::unique_ptr<Pcre>> allow;
    int secret_group = -1;
  };
  struct GlobalAllow {
    const AllowRule* rule = nullptr;
    std::unique_ptr<Pcre> regex, path;
  };

  void Consider(const Compiled& c, const std::string& path, std::string_view data, size_t lo, size_t hi, size_t slo,
                size_t shi, std::vector<Found>& out) const {
    const Rule& r = *c.rule;
    std::string whole(data.substr(lo, hi - lo)), secret(data.substr(slo, shi - slo));
    EXPECT_LE(hi - lo, r.max_len) << r.id << " matched more than max_len in " << path;
    // The engine needs Hyperscan to report where the match ends.
    if (c.prefilter_at_end) EXPECT_TRUE(c.prefilter_at_end->Search(whole)) << r.id << " prefilter in " << path;
    if (!r.keywords.empty()) {
      std::string lower = whole;
      for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (std::none_of(r.keywords.begin(), r.keywords.end(),
                       [&](const std::string& k) { return lower.find(k) != std::string::npos; }))
        return;
    }
    if (r.min_entropy > 0 && ShannonEntropy(secret) < r.min_entropy) return;
    if (r.validate && !r.validate(secret)) return;
    for (const auto& a : c.allow)
      if (a->Search(secret)) return;
    for (const auto& a : allow_) {
      bool value_ok = !a.regex || a.regex->Search(secret);
      bool path_ok = !a.path || a.path->Search(path);
      if (value_ok && path_ok) return;
    }
    Found f;
    f.file = path;
    f.rule_id = r.id;
    f.secret = secret;
    f.offset = slo;
    size_t nl = slo == 0 ? std::string_view::npos : data.rfind('\n', slo - 1);
    f.line = 1 + std::count(data.begin(), data.begin() + slo, '\n');
    f.column = nl == std::string_view::npos ? slo + 1 : slo - nl;
    out.push_back(std::move(f));
  }

  std::vector<Compiled> rules_;
  std::vector<GlobalAllow> allow_;
};

const Rule* FindRule(const std::string& id) {
  for (const Rule& r : BuiltinRules())
    if (r.id == id) return &r;
  return nullptr;
}

std::string Flip(std::string s, size_t i) {
  s[i] = s[i] == 'a' ? 'b' : 'a';
  return s;
}

}  // namespace

// --- The rule table --------------------------------------------------------------------------------

TEST(SecretRules, TableIsWellFormed) {
  const auto& rules = BuiltinRules();
  EXPECT_GE(rules.size(), 80u);
  std::set<std::string> ids;
  std::regex kebab("^[a-z0-9]+(-[a-z0-9]+)*$");
  for (const Rule& r : rules) {
    EXPECT_TRUE(ids.insert(r.id).second) << "duplicate id " << r.id;
    EXPECT_TRUE(std::regex_match(r.id, kebab)) << r.id;
    EXPECT_FALSE(r.category.empty()) << r.id;
    EXPECT_FALSE(r.title.empty()) << r.id;
    EXPECT_GT(r.max_len, 0u) << r.id;
    EXPECT_NE(r.severity, Severity::kUnknown) << r.id;
    for (const auto& k : r.keywords) {
      EXPECT_FALSE(k.empty()) << r.id;
      for (char c : k) EXPECT_FALSE(c >= 'A' && c <= 'Z') << r.id << " keyword " << k << " is not lowercase";
    }
    // No backreferences: Hyperscan's prefilter cannot honour them.
    EXPECT_FALSE(std::regex_search(r.regex, std::regex(R"(\\[1-9]|\\k<|\(\?P=)"))) << r.id;
  }
  std::set<std::string> allow_ids;
  for (const AllowRule& a : BuiltinAllowRules()) {
    EXPECT_TRUE(allow_ids.insert(a.id).second) << a.id;
    EXPECT_FALSE(a.regex.empty() && a.path.empty()) << a.id;
  }
}

TEST(SecretRules, EveryPatternCompilesWithPcre2Jit) {
  for (const Rule& r : BuiltinRules()) {
    Pcre re(r.regex, r.caseless);
    EXPECT_TRUE(re.code && re.error.empty()) << r.id << ": " << re.error;
    if (!r.path.empty()) EXPECT_TRUE(Pcre(r.path).error.empty()) << r.id;
    for (const auto& a : r.allow) EXPECT_TRUE(Pcre(a).error.empty()) << r.id << " allow " << a;
  }
  for (const AllowRule& a : BuiltinAllowRules()) {
    if (!a.regex.empty()) EXPECT_TRUE(Pcre(a.regex).error.empty()) << a.id;
    if (!a.path.empty()) EXPECT_TRUE(Pcre(a.path).error.empty()) << a.id;
  }
}

TEST(SecretRules, EveryPatternCompilesAsHyperscanStreamingPrefilter) {
  const auto& rules = BuiltinRules();
  std::vector<const char*> patterns;
  std::vector<unsigned> flags, ids;
  for (size_t i = 0; i < rules.size(); ++i) {
    // What the engine gives Hyperscan: the rule's trigger if it has one, else its pattern.
    const std::string& pattern = rules[i].prefilter.empty() ? rules[i].regex : rules[i].prefilter;
    unsigned f = HS_FLAG_PREFILTER | (rules[i].caseless ? HS_FLAG_CASELESS : 0);
    hs_database_t* db = nullptr;
    hs_compile_error_t* err = nullptr;
    if (hs_compile(pattern.c_str(), f, HS_MODE_STREAM, nullptr, &db, &err) != HS_SUCCESS) {
      ADD_FAILURE() << rules[i].id << ": " << (err ? err->message : "?");
      hs_free_compile_error(err);
      continue;
    }
    hs_free_database(db);
    patterns.push_back(pattern.c_str());
    flags.push_back(f);
    ids.push_back(static_cast<unsigned>(i));
  }
  // All of them in one database, as the engine builds it.
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  ASSERT_EQ(hs_compile_multi(patterns.data(), flags.data(), ids.data(), static_cast<unsigned>(patterns.size()),
                             HS_MODE_STREAM, nullptr, &db, &err),
            HS_SUCCESS)
      << (err ? err->message : "?");
  size_t stream_size = 0;
  ASSERT_EQ(hs_stream_size(db, &stream_size), HS_SUCCESS);
  EXPECT_LT(stream_size, 4096u) << "per-stream state of the whole rule set";
  hs_free_database(db);
}

// Each rule matches a value of its own kind (from the corpus generators) and not its neighbours':
// a direct look at patterns and boundaries, before the corpus test runs them all in context.
TEST(SecretRules, PatternsMatchTheirOwnFormatOnly) {
  FakeSecrets f(7);
  struct Case {
    std::string rule, text, secret;
  };
  std::string gh = f.ChecksummedToken("ghp_");
  std::string npm = f.ChecksummedToken("npm_");
  std::string aws = "AKIA" + f.Chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
  std::vector<Case> cases = {
      {"github-pat", "token: " + gh + "\n", gh},
      {"npm-access-token", "//registry.npmjs.org/:_authToken=" + npm, npm},
      {"aws-access-key-id", "aws_access_key_id=" + aws, aws},
      {"postgres-url-password", "DATABASE_URL=postgres://app:s3cr3tPassw0rd@db:5432/app", "s3cr3tPassw0rd"},
      {"basic-auth-url", "git clone https://ci:Zq8xLm2Pw9Rt@git.corp.internal/x.git", "Zq8xLm2Pw9Rt"},
  };
  ReferenceScanner scanner;
  for (const Case& c : cases) {
    auto found = scanner.Scan("x.txt", c.text);
    bool hit = std::any_of(found.begin(), found.end(),
                           [&](const Found& x) { return x.rule_id == c.rule && x.secret == c.secret; });
    EXPECT_TRUE(hit) << c.rule << " in " << c.text;
  }
  // Boundaries: a token glued inside a longer word is not a token.
  EXPECT_TRUE(scanner.Scan("x", "x" + gh + "x").empty());
  EXPECT_TRUE(scanner.Scan("x", aws + "Q").empty());
  // A port is not a password: https://host:8443@ is not basic auth.
  EXPECT_TRUE(scanner.Scan("x", "see https://proxy:8443@mirror").empty());
}

// --- Validators ------------------------------------------------------------------------------------

TEST(SecretValidators, GitHubAndNpmChecksums) {
  // A token from a public write-up of GitHub's format (CRC32 over the 30 random characters).
  EXPECT_TRUE(ValidGitHubToken("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"));
  EXPECT_EQ(Base62Checksum(0), "000000");
  EXPECT_EQ(Base62Checksum(61), "00000z");
  EXPECT_EQ(Base62Checksum(62), "000010");
  EXPECT_EQ(Base62Checksum(0xFFFFFFFFu), "4gfFC3");

  FakeSecrets f(42);
  for (const char* p : {"ghp_", "gho_", "ghu_", "ghs_", "ghr_"}) {
    for (int i = 0; i < 20; ++i) {
      std::string t = f.ChecksummedToken(p);
      EXPECT_TRUE(ValidGitHubToken(t)) << t;
      EXPECT_FALSE(ValidGitHubToken(Flip(t, 4 + i))) << t;       // a random character changed
      EXPECT_FALSE(ValidGitHubToken(Flip(t, 34 + i % 6))) << t;  // the checksum changed
      EXPECT_FALSE(ValidNpmToken(t)) << "not an npm token";
    }
  }
  EXPECT_TRUE(ValidGitHubRefreshToken("ghr_" + f.Base62(76)));  // long form: no checksum published
  EXPECT_TRUE(ValidGitHubRefreshToken(f.ChecksummedToken("ghr_")));
  EXPECT_FALSE(ValidGitHubRefreshToken(Flip(f.ChecksummedToken("ghr_"), 8)));
  EXPECT_FALSE(ValidGitHubToken(f.ChecksummedToken("ghx_")));
  EXPECT_FALSE(ValidGitHubToken(f.ChecksummedToken("ghp_") + "A"));
  EXPECT_FALSE(ValidGitHubToken("ghp_16C7e42F292c6912E7710c838347Ae178B4a"));  // GitHub docs' example
  EXPECT_FALSE(ValidGitHubToken("ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
  std::string bad_char = f.ChecksummedToken("ghp_");
  bad_char[7] = '-';
  EXPECT_FALSE(ValidGitHubToken(bad_char));

  for (int i = 0; i < 20; ++i) {
    std::string t = f.ChecksummedToken("npm_");
    EXPECT_TRUE(ValidNpmToken(t)) << t;
    EXPECT_FALSE(ValidNpmToken(Flip(t, 5 + i))) << t;
  }
  EXPECT_FALSE(ValidNpmToken("npm_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"));
}

TEST(SecretValidators, PypiMacaroons) {
  FakeSecrets f(3);
  for (int i = 0; i < 10; ++i) {
    std::string live = f.PypiToken(false), test = f.PypiToken(true);
    EXPECT_EQ(live.substr(0, 20), "pypi-AgEIcHlwaS5vcmc");
    EXPECT_EQ(test.substr(0, 27), "pypi-AgENdGVzdC5weXBpLm9yZw");
    EXPECT_TRUE(ValidPypiToken(live)) << live;
    EXPECT_TRUE(ValidPypiToken(test)) << test;
    // Truncated: the signature is gone or short.
    EXPECT_FALSE(ValidPypiToken(live.substr(0, live.size() - 8))) << live;
  }
  // Another location: same structure, not PyPI's.
  auto raw = DecodeBase64(f.PypiToken(false).substr(5));
  ASSERT_TRUE(raw);
  std::string other = *raw;
  other.replace(other.find("pypi.org"), 8, "evil.org");
  EXPECT_FALSE(ValidPypiToken("pypi-" + EncodeBase64(other, true, false)));
  // Trailing garbage after the signature.
  EXPECT_FALSE(ValidPypiToken("pypi-" + EncodeBase64(*raw + "x", true, false)));
  EXPECT_FALSE(ValidPypiToken("pypi-AgEIcHlwaS5vcmc"));
  EXPECT_FALSE(ValidPypiToken("pypi-!!!!"));
}

TEST(SecretValidators, JwtStructure) {
  FakeSecrets f(5);
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(ValidJwt(f.Jwt()));
  auto b64 = [](std::string_view s) { return EncodeBase64(s, true, false); };
  std::string payload = b64(R"({"sub":"1"})"), sig = f.Base64UrlChars(43);
  EXPECT_TRUE(ValidJwt(b64(R"({"alg":"RS256"})") + "." + payload + "." + sig));
  EXPECT_FALSE(ValidJwt(b64(R"({"alg":"HS256")") + "." + payload + "." + sig));  // header is not JSON
  EXPECT_FALSE(ValidJwt(b64(R"({"typ":"JWT"})") + "." + payload + "." + sig));   // no alg
  EXPECT_FALSE(ValidJwt(b64(R"({"alg":7})") + "." + payload + "." + sig));       // alg not a string
  EXPECT_FALSE(ValidJwt(b64(R"({"alg":"HS256"})") + "." + b64("[1,2]") + "." + sig));
  EXPECT_FALSE(ValidJwt(b64(R"({"alg":"HS256"})") + "." + payload + "."));
  EXPECT_FALSE(ValidJwt(b64(R"({"alg":"HS256"})") + "." + payload));
  EXPECT_FALSE(ValidJwt(b64(R"({"alg":"HS256"})") + "." + payload + "." + sig + ".x"));
  EXPECT_FALSE(ValidJwt(b64(R"({"alg":"HS256"})") + "." + payload + ".a+b/"));
}

TEST(SecretValidators, BasicAuthBase64) {
  FakeSecrets f(9);
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(ValidBasicAuthBase64(f.BasicAuthBase64()));
  EXPECT_TRUE(ValidBasicAuthBase64(EncodeBase64("user:pa:ss")));
  EXPECT_TRUE(ValidBasicAuthBase64(EncodeBase64("user:pass", false, false)));
  EXPECT_FALSE(ValidBasicAuthBase64(EncodeBase64("userpass")));
  EXPECT_FALSE(ValidBasicAuthBase64(EncodeBase64(":pass")));
  EXPECT_FALSE(ValidBasicAuthBase64(EncodeBase64("user:")));
  EXPECT_FALSE(ValidBasicAuthBase64(EncodeBase64(std::string("us\0r:pass", 9))));
  EXPECT_FALSE(ValidBasicAuthBase64(EncodeBase64("user:p\xC3\xA4ss")));
  EXPECT_FALSE(ValidBasicAuthBase64("bearer"));
  EXPECT_FALSE(ValidBasicAuthBase64("dXNlcjpwYXNz="));  // wrong padding
}

TEST(SecretValidators, PemPrivateKeys) {
  FakeSecrets f(11);
  for (const char* label : {"RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY", "PRIVATE KEY",
                            "ENCRYPTED PRIVATE KEY", "OPENSSH PRIVATE KEY", "PGP PRIVATE KEY BLOCK"}) {
    for (int i = 0; i < 3; ++i) {
      std::string pem = f.PemPrivateKey(label);
      EXPECT_TRUE(ValidPemPrivateKey(pem)) << pem;
      // Indented (a YAML block scalar) and with CRLF line ends.
      std::string indented = "  ", crlf;
      for (char c : pem) {
        indented += c;
        if (c == '\n') indented += "  ";
        if (c == '\n') crlf += '\r';
        crlf += c;
      }
      EXPECT_TRUE(ValidPemPrivateKey(indented)) << indented;
      EXPECT_TRUE(ValidPemPrivateKey(crlf)) << label;
      // Four base64 characters (three bytes) dropped from the first body line: the DER length,
      // the OpenSSH magic or the PGP packet and checksum no longer hold.
      size_t at = 0;
      for (size_t nl = pem.find('\n'); nl != std::string::npos; nl = pem.find('\n', nl + 1)) {
        size_t end = pem.find('\n', nl + 1);
        std::string_view line = std::string_view(pem).substr(nl + 1, end - nl - 1);
        if (line.size() >= 40 && line.find(':') == std::string_view::npos) {
          at = nl + 1;
          break;
        }
      }
      ASSERT_GT(at, 0u) << pem;
      std::string cut = pem.substr(0, at) + pem.substr(at + 4);
      EXPECT_FALSE(ValidPemPrivateKey(cut)) << cut;
      // The END label must match the BEGIN label.
      std::string other = pem.substr(0, pem.rfind("-----END ")) + "-----END CERTIFICATE-----";
      EXPECT_FALSE(ValidPemPrivateKey(other)) << label;
    }
  }
  EXPECT_TRUE(ValidPemPrivateKey(f.PemPrivateKey("RSA PRIVATE KEY", true)));
  EXPECT_TRUE(ValidPemPrivateKey(f.PemPrivateKey("EC PRIVATE KEY", true)));
  EXPECT_TRUE(ValidPemPrivateKey(f.Ssh2EncryptedKey()));
  // Random bodies under every label.
  for (const char* label : {"RSA PRIVATE KEY", "PRIVATE KEY", "OPENSSH PRIVATE KEY", "PGP PRIVATE KEY BLOCK"}) {
    std::string fake =
        std::string("-----BEGIN ") + label + "-----\n" + EncodeBase64(f.Bytes(600)) + "\n-----END " + label + "-----";
    EXPECT_FALSE(ValidPemPrivateKey(fake)) << label;
  }
  EXPECT_FALSE(
      ValidPemPrivateKey("-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n-----END RSA PRIVATE KEY-----"));
  EXPECT_FALSE(
      ValidPemPrivateKey("-----BEGIN PUBLIC KEY-----\n" + EncodeBase64(f.Bytes(300)) + "\n-----END PUBLIC KEY-----"));
  EXPECT_FALSE(ValidPemPrivateKey(""));
  EXPECT_FALSE(ValidPemPrivateKey("-----BEGIN RSA PRIVATE KEY-----"));
  // The JSON-escaped form of a service-account key.
  std::string pem = f.PemPrivateKey("PRIVATE KEY") + "\n", escaped;
  for (char c : pem) escaped += c == '\n' ? std::string("\\n") : std::string(1, c);
  EXPECT_TRUE(ValidJsonEscapedPemPrivateKey(escaped));
  EXPECT_FALSE(ValidJsonEscapedPemPrivateKey(escaped.substr(0, escaped.size() / 2) + "\\u0041" +
                                             escaped.substr(escaped.size() / 2)));
}

TEST(SecretValidators, AgeIdentities) {
  FakeSecrets f(13);
  for (int i = 0; i < 20; ++i) {
    std::string k = f.AgeSecretKey();
    EXPECT_TRUE(ValidAgeSecretKey(k)) << k;
    std::string changed = k;
    size_t at = 16 + i * 2;
    changed[at] = changed[at] == 'Q' ? 'P' : 'Q';
    EXPECT_FALSE(ValidAgeSecretKey(changed)) << changed;
  }
  EXPECT_FALSE(ValidAgeSecretKey("AGE-SECRET-KEY-1"));
  EXPECT_FALSE(ValidAgeSecretKey(f.AgeSecretKey().substr(0, 70)));
}

TEST(SecretValidators, Base64Decoding) {
  EXPECT_EQ(DecodeBase64("dXNlcjpwYXNz"), "user:pass");
  EXPECT_EQ(DecodeBase64("dXNlcjpwYXM="), "user:pas");
  EXPECT_EQ(DecodeBase64("dXNlcjpwYXM"), "user:pas");
  EXPECT_EQ(DecodeBase64("-_-_"), DecodeBase64("+/+/"));
  EXPECT_EQ(DecodeBase64(""), "");
  EXPECT_FALSE(DecodeBase64("dXNlc"));     // 5 characters: impossible length
  EXPECT_FALSE(DecodeBase64("dXNl=jpw"));  // padding in the middle
  EXPECT_FALSE(DecodeBase64("dXNlcjpwYXM==="));
  EXPECT_FALSE(DecodeBase64("dXNl cjpw"));
}

// --- Helpers ---------------------------------------------------------------------------------------

TEST(SecretUtil, ShannonEntropy) {
  EXPECT_DOUBLE_EQ(ShannonEntropy(""), 0);
  EXPECT_DOUBLE_EQ(ShannonEntropy("aaaa"), 0);
  EXPECT_DOUBLE_EQ(ShannonEntropy("ab"), 1);
  EXPECT_DOUBLE_EQ(ShannonEntropy("abcd"), 2);
  EXPECT_DOUBLE_EQ(ShannonEntropy("aabb"), 1);
  EXPECT_NEAR(ShannonEntropy("aab"), 0.9182958, 1e-6);
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  EXPECT_DOUBLE_EQ(ShannonEntropy(all), 8);
}

TEST(SecretUtil, Mask) {
  EXPECT_EQ(Mask("AKIAIOSFODNN7EXAMPLE"), "AKIA****************");
  EXPECT_EQ(Mask("0123456789abcdef"), "0123************");  // 16: the first four kept
  EXPECT_EQ(Mask("0123456789abcde"), "***************");    // 15: nothing kept
  EXPECT_EQ(Mask("hunter2"), "*******");
  EXPECT_EQ(Mask(""), "");
}

// --- The corpus ------------------------------------------------------------------------------------

TEST(SecretCorpus, IsDeterministicAndCoversEveryRule) {
  TempDir a("secret-corpus"), b("secret-corpus");
  std::vector<std::string> decoys_a, decoys_b;
  auto items_a = customs_test::WriteSecretCorpus(a.path(), 1234, &decoys_a);
  auto items_b = customs_test::WriteSecretCorpus(b.path(), 1234, &decoys_b);
  ASSERT_EQ(items_a.size(), items_b.size());
  for (size_t i = 0; i < items_a.size(); ++i) {
    EXPECT_EQ(items_a[i].secret, items_b[i].secret);
    EXPECT_EQ(items_a[i].file, items_b[i].file);
    EXPECT_EQ(items_a[i].line, items_b[i].line);
  }
  EXPECT_EQ(decoys_a, decoys_b);
  EXPECT_EQ(a.List(), b.List());
  for (const auto& rel : a.List())
    if (rel.back() != '/') EXPECT_EQ(customs_test::ReadFile(a / rel), customs_test::ReadFile(b / rel)) << rel;

  std::map<std::string, std::set<std::string>> files_per_rule;
  for (const auto& it : items_a) files_per_rule[it.rule_id].insert(it.file);
  for (const Rule& r : BuiltinRules()) EXPECT_GE(files_per_rule[r.id].size(), 2u) << r.id;
  for (const auto& [id, files] : files_per_rule) EXPECT_TRUE(FindRule(id)) << "corpus labels unknown rule " << id;
  EXPECT_GE(decoys_a.size(), 20u);

  // Another seed, other values.
  TempDir c("secret-corpus");
  auto items_c = customs_test::WriteSecretCorpus(c.path(), 99, nullptr);
  ASSERT_FALSE(items_c.empty());
  EXPECT_NE(items_a.front().secret, items_c.front().secret);
}

class SecretCorpusRecall : public ::testing::TestWithParam<uint64_t> {};

// 100% recall on the true items, nothing on the decoys, and nothing else on the true files but a
// generic rule reporting a value a specific rule reports too.
TEST_P(SecretCorpusRecall, RulesFindEveryTrueItemAndNoDecoy) {
  TempDir dir("secret-corpus");
  std::vector<std::string> decoys;
  auto items = customs_test::WriteSecretCorpus(dir.path(), GetParam(), &decoys);
  ASSERT_GT(items.size(), 300u);
  std::set<std::string> decoy_set(decoys.begin(), decoys.end());

  ReferenceScanner scanner;
  std::map<std::string, std::vector<Found>> found;
  for (const auto& rel : dir.List()) {
    if (rel.back() == '/') continue;
    found[rel] = scanner.Scan(rel, customs_test::ReadFile(dir / rel));
  }

  // Recall.
  size_t missed = 0;
  for (const CorpusItem& it : items) {
    const auto& f = found[it.file];
    bool hit = std::any_of(f.begin(), f.end(), [&](const Found& x) {
      return x.rule_id == it.rule_id && x.line == it.line && x.column == it.column && x.secret == it.secret;
    });
    if (!hit) {
      ++missed;
      std::string near;
      for (const Found& x : f)
        if (x.line == it.line) near += " [" + x.rule_id + " col " + std::to_string(x.column) + "]";
      ADD_FAILURE() << "missed " << it.rule_id << " at " << it.file << ":" << it.line << ":" << it.column << " "
                    << it.secret.substr(0, 80) << (near.empty() ? "" : "; found on that line:" + near);
    }
  }
  EXPECT_EQ(missed, 0u) << "of " << items.size();

  // Precision.
  for (const auto& rel : decoys) {
    for (const Found& x : found[rel])
      ADD_FAILURE() << "decoy " << rel << ":" << x.line << ":" << x.column << " matched " << x.rule_id << ": "
                    << x.secret.substr(0, 80);
  }
  std::map<std::string, std::vector<const CorpusItem*>> by_file;
  for (const CorpusItem& it : items) by_file[it.file].push_back(&it);
  for (const auto& [rel, list] : found) {
    if (decoy_set.count(rel)) continue;
    const std::string data = customs_test::ReadFile(dir / rel);
    for (const Found& x : list) {
      bool labelled = false, overlaps = false;
      for (const CorpusItem* it : by_file[rel]) {
        if (it->rule_id == x.rule_id && it->line == x.line && it->column == x.column) labelled = true;
        // The item's offset from its line and column.
        size_t off = 0;
        for (uint64_t l = 1; l < it->line; ++l) off = data.find('\n', off) + 1;
        off += it->column - 1;
        if (x.offset < off + it->secret.size() && off < x.offset + x.secret.size()) overlaps = true;
      }
      const Rule* r = FindRule(x.rule_id);
      if (!labelled && !(overlaps && r && r->category == "Generic"))
        ADD_FAILURE() << "unlabelled match " << x.rule_id << " at " << rel << ":" << x.line << ":" << x.column << ": "
                      << x.secret.substr(0, 80);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, SecretCorpusRecall, ::testing::Values(1u, 2u, 20240501u));
