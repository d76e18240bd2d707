// The secret engine on its own rules: streaming must not change what is found (any block size, a
// secret across block boundaries, far into a large file), positions are exact, and allow rules,
// path scopes, inline ignores, entropy, validators and binary files behave as documented.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "core/error.h"
#include "secrets/engine.h"
#include "support/fixtures.h"

namespace cs = customs::secrets;

namespace {

cs::Rule MakeRule(std::string id, std::string regex) {
  cs::Rule r;
  r.id = std::move(id);
  r.category = "Test";
  r.title = r.id;
  r.regex = std::move(regex);
  return r;
}

cs::Config TestConfig() {
  cs::Config c;
  c.rules.push_back(MakeRule("akid", R"(\b(?<secret>AKIA[0-9A-Z]{16})\b)"));
  auto tok = MakeRule("tok", R"(tok_(?<secret>[a-z0-9]{20,40})(?![a-z0-9]))");
  tok.keywords = {"tok_"};
  tok.min_entropy = 3.0;
  c.rules.push_back(tok);
  auto pem = MakeRule("pem", R"(-----BEGIN TEST KEY-----\n(?:[A-Za-z0-9+/=]{16,64}\n){2,200}-----END TEST KEY-----)");
  pem.prefilter = "-----END TEST KEY-----";  // fires where every match ends; compiles fast
  pem.max_len = 16 * 1024;
  pem.multiline = true;
  c.rules.push_back(pem);
  auto txt = MakeRule("pw", R"re(password\s*=\s*"(?<secret>[^"\s]{8,64})")re");
  txt.text_only = true;
  c.rules.push_back(txt);
  auto scoped = MakeRule("npmrc", R"(_authToken=(?<secret>[A-Za-z0-9-]{16,64}))");
  scoped.path = R"((^|/)\.npmrc$)";
  c.rules.push_back(scoped);
  c.allow_rules.push_back({"example", "", "EXAMPLE", ""});
  c.allow_rules.push_back({"fixtures", "", "", "(^|/)fixtures/"});
  return c;
}

struct Found {
  std::string rule, secret;
  uint64_t line, column;
  bool operator==(const Found&) const = default;
  friend void PrintTo(const Found& f, std::ostream* os) {
    *os << f.rule << " " << f.secret.substr(0, 30) << " " << f.line << ":" << f.column;
  }
};

std::vector<Found> Scan(const cs::Engine& e, std::string_view path, std::string_view data, size_t block) {
  auto s = e.NewSession();
  s->Begin(path);
  for (size_t i = 0; i < data.size(); i += block)
    s->Feed(std::span<const char>(data.data() + i, std::min(block, data.size() - i)));
  std::vector<Found> out;
  for (auto& m : s->End()) out.push_back({e.Rules()[m.rule].id, m.secret, m.line, m.column});
  return out;
}

std::string Key() { return "AKIA" + std::string("Q7Z3MX4PLR8WNB2K"); }

std::string PemBody() {
  std::string b = "-----BEGIN TEST KEY-----\n";
  for (int i = 0; i < 20; ++i) b += "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0MTIzNDU2Nzg5MGFiY2Rl\n";
  return b + "-----END TEST KEY-----";
}

}  // namespace

TEST(SecretEngine, PositionsAreExactWhateverTheBlockSize) {
  auto e = cs::Engine::Build(TestConfig());
  const std::string text = "line one\n  key = " + Key() + "\nx tok_a8f3k2m9q1z7w4e6r5t0 y\n" + PemBody() + "\nend\n";
  const std::vector<Found> want = {
      {"akid", Key(), 2, 9},
      {"tok", "a8f3k2m9q1z7w4e6r5t0", 3, 7},
      {"pem", PemBody(), 4, 1},
  };
  for (size_t block : {size_t(1), size_t(2), size_t(7), size_t(64), size_t(4096), size_t(1) << 20})
    EXPECT_EQ(Scan(*e, "a.txt", text, block), want) << "block " << block;
}

TEST(SecretEngine, FindsSecretsFarIntoLargeFilesWithCorrectLines) {
  auto e = cs::Engine::Build(TestConfig());
  std::string text;
  std::mt19937 rng(7);
  uint64_t lines = 0;
  while (text.size() < (3u << 20)) {
    std::string l(20 + rng() % 100, 'a');
    for (auto& c : l) c = char('a' + rng() % 26);
    text += l + "\n";
    ++lines;
  }
  text += "xx " + Key() + "\n";
  // A very long line (minified code) holding a secret in its middle.
  std::string long_line(200000, 'q');
  long_line.replace(150000, 1, " " + Key() + " ");
  text += long_line + "\n";
  auto got = Scan(*e, "big.js", text, 65536);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], (Found{"akid", Key(), lines + 1, 4}));
  EXPECT_EQ(got[1], (Found{"akid", Key(), lines + 2, 150002}));
  EXPECT_EQ(Scan(*e, "big.js", text, 1000), got);
}

TEST(SecretEngine, SeveralMatchesOfOneRuleAndAdjacentOnes) {
  auto e = cs::Engine::Build(TestConfig());
  std::string k2 = "AKIA" + std::string("ZZZZ3MX4PLR8WNB2");
  std::string text = Key() + " " + k2 + "\n" + Key() + Key() + "\n";  // the glued pair is one word: no \b between
  auto got = Scan(*e, "f", text, 3);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].secret, Key());
  EXPECT_EQ(got[1].secret, k2);
  EXPECT_EQ(got[1].column, 22u);
}

TEST(SecretEngine, AllowRulesPathScopesAndInlineIgnores) {
  auto e = cs::Engine::Build(TestConfig());
  // A value allow rule.
  EXPECT_TRUE(Scan(*e, "a", "AKIAIOSFODNN7EXAMPLE\n", 64).empty());
  // A path allow rule skips the file.
  EXPECT_TRUE(Scan(*e, "src/fixtures/keys.txt", Key() + "\n", 64).empty());
  EXPECT_EQ(Scan(*e, "src/fixturesx/keys.txt", Key() + "\n", 64).size(), 1u);
  // A path-scoped rule fires only on its path.
  const std::string npmrc = "//registry.npmjs.org/:_authToken=abcd1234efgh5678ijkl\n";
  EXPECT_EQ(Scan(*e, "home/u/.npmrc", npmrc, 64).size(), 1u);
  EXPECT_TRUE(Scan(*e, "home/u/npmrc.txt", npmrc, 64).empty());
  // Inline ignores: every rule, the named rule, another rule (no effect); comment after the secret,
  // beyond the first block.
  EXPECT_TRUE(Scan(*e, "a", "k=" + Key() + " # customs:ignore\n", 4).empty());
  EXPECT_TRUE(Scan(*e, "a", "k=" + Key() + " # customs:ignore:tok,akid\n", 4).empty());
  EXPECT_EQ(Scan(*e, "a", "k=" + Key() + " # customs:ignore:tok\n", 4).size(), 1u);
  EXPECT_EQ(Scan(*e, "a", "# customs:ignore\nk=" + Key() + "\n", 4).size(), 1u);  // other lines unaffected
  EXPECT_EQ(Scan(*e, "a", "k=" + Key() + " # customs:ignored\n", 4).size(), 1u);  // not the marker
}

TEST(SecretEngine, PerRuleAllowRulesByValuePathOrBoth) {
  cs::Config c;
  auto r = MakeRule("akid", R"(\b(?<secret>AKIA[0-9A-Z]{16})\b)");
  r.allow_rules.push_back({"value", "", "^AKIA0{16}$", ""});
  r.allow_rules.push_back({"path", "", "", "(^|/)fixtures/"});
  r.allow_rules.push_back({"both", "", "^AKIA1{16}$", "\\.example$"});
  c.rules.push_back(r);
  c.rules.push_back(MakeRule("other", R"(\b(?<secret>AKIA[0-9A-Z]{16})\b)"));  // same pattern, no allow rules
  auto e = cs::Engine::Build(c);
  auto ids = [&](std::string_view path, const std::string& data) {
    std::vector<std::string> out;
    for (const auto& f : Scan(*e, path, data, 7)) out.push_back(f.rule);
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(ids("a", Key() + "\n"), (V{"akid", "other"}));
  EXPECT_EQ(ids("a", "AKIA" + std::string(16, '0') + "\n"), V{"other"});            // value
  EXPECT_EQ(ids("x/fixtures/k", Key() + "\n"), V{"other"});                          // path
  EXPECT_EQ(ids("k.example", "AKIA" + std::string(16, '1') + "\n"), V{"other"});     // both hold
  EXPECT_EQ(ids("k.txt", "AKIA" + std::string(16, '1') + "\n"), (V{"akid", "other"}));  // only the value
  EXPECT_EQ(ids("k.example", Key() + "\n"), (V{"akid", "other"}));                   // only the path
}

TEST(SecretEngine, GenericMatchYieldsToAnOverlappingSpecificOne) {
  cs::Config c;
  c.rules.push_back(MakeRule("akid", R"(\b(?<secret>AKIA[0-9A-Z]{16})\b)"));
  auto g = MakeRule("generic", R"(secret\s*=\s*(?<secret>[A-Za-z0-9]{16,64}))");
  g.category = "Generic";
  c.rules.push_back(g);
  auto e = cs::Engine::Build(c);
  // Overlapping: only the specific rule. Apart: both.
  auto one = Scan(*e, "a", "secret = " + Key() + "\n", 64);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].rule, "akid");
  auto two = Scan(*e, "a", "secret = Zq8Xw3Vr9Tn2Lp5K\nid=" + Key() + "\n", 64);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0].rule, "generic");
  EXPECT_EQ(two[1].rule, "akid");
}

TEST(SecretEngine, KeywordsEntropyAndTextOnly) {
  auto e = cs::Engine::Build(TestConfig());
  EXPECT_TRUE(Scan(*e, "a", "tok_aaaaaaaaaaaaaaaaaaaaaaaa\n", 64).empty()) << "entropy too low";
  EXPECT_EQ(Scan(*e, "a", "password = \"hunter2hunter2\"\n", 64).size(), 1u);
  std::string bin("\x7f" "ELF\0\0\0", 7);
  bin += "password = \"hunter2hunter2\" " + Key() + "\n";
  auto got = Scan(*e, "bin/app", bin, 64);
  ASSERT_EQ(got.size(), 1u) << "text-only rule skipped in a binary, others still apply";
  EXPECT_EQ(got[0].rule, "akid");
}

TEST(SecretEngine, SessionsAreReusableAcrossFiles) {
  auto e = cs::Engine::Build(TestConfig());
  auto s = e->NewSession();
  for (int i = 0; i < 3; ++i) {
    s->Begin("a");
    std::string t = "zz " + Key();  // ends without newline: found at end of data
    s->Feed(std::span<const char>(t.data(), t.size()));
    auto m = s->End();
    ASSERT_EQ(m.size(), 1u) << i;
    EXPECT_EQ(m[0].offset, 3u);
    EXPECT_EQ(m[0].line, 1u);
    s->Begin("b");
    EXPECT_TRUE(s->End().empty());
  }
}

TEST(SecretEngine, BadPatternsAreUsageErrors) {
  cs::Config c;
  c.rules.push_back(MakeRule("bad", "(unclosed"));
  try {
    cs::Engine::Build(c);
    FAIL() << "expected an error";
  } catch (const customs::Error& err) {
    EXPECT_NE(std::string(err.what()).find("bad"), std::string::npos) << err.what();
  }
}

// The compiled-database cache: Build(cfg, dir) never writes; StoreCompiled writes one file that the next
// Build loads (same findings); a damaged file is ignored (compiled as without a cache) and rewritten by
// the next StoreCompiled; CUSTOMS_NO_SECRET_CACHE turns loading off.
TEST(SecretEngine, CompiledDatabaseCache) {
  namespace fs = std::filesystem;
  customs_test::TempDir d;
  const std::string dir = d / "db";
  auto files = [&] {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) out.push_back(e.path());
    return out;
  };
  const std::string text = "x\nkey = " + Key() + "\n";
  const auto want = Scan(*cs::Engine::Build(TestConfig(), dir), "a.txt", text, 7);
  ASSERT_EQ(want.size(), 1u);
  EXPECT_TRUE(files().empty()) << "a scan never writes the cache";
  const std::string stored = cs::Engine::StoreCompiled(TestConfig(), dir);
  ASSERT_EQ(files().size(), 1u);
  const fs::path file = files()[0];
  EXPECT_EQ(file.string(), stored);
  EXPECT_EQ(file.extension(), ".hsdb");
  EXPECT_EQ(Scan(*cs::Engine::Build(TestConfig(), dir), "a.txt", text, 7), want);
  // Another rule set misses the file (its name is the rules' hash) and still works.
  cs::Config other = TestConfig();
  other.rules.pop_back();
  EXPECT_NE(cs::Engine::StoreCompiled(other, d / "other"), "");
  EXPECT_NE(fs::path(cs::Engine::StoreCompiled(other, dir)).filename(), file.filename());
  fs::remove(cs::Engine::StoreCompiled(other, dir));
  // Damaged: the checksum line no longer matches; the rules are compiled and still find the secret.
  { std::ofstream(file, std::ios::binary | std::ios::app) << "junk"; }
  EXPECT_EQ(Scan(*cs::Engine::Build(TestConfig(), dir), "a.txt", text, 7), want);
  { std::ofstream(file, std::ios::binary | std::ios::trunc) << "sha256:00\nnot a database"; }
  EXPECT_EQ(Scan(*cs::Engine::Build(TestConfig(), dir), "a.txt", text, 7), want);
  EXPECT_EQ(cs::Engine::StoreCompiled(TestConfig(), dir), stored);
  std::ifstream in(file, std::ios::binary);
  std::string head;
  std::getline(in, head);
  EXPECT_EQ(head.rfind("sha256:", 0), 0u);
  EXPECT_GT(head.size(), 20u);
  ::setenv("CUSTOMS_NO_SECRET_CACHE", "1", 1);
  EXPECT_EQ(Scan(*cs::Engine::Build(TestConfig(), dir), "a.txt", text, 7), want);
  ::unsetenv("CUSTOMS_NO_SECRET_CACHE");
}
