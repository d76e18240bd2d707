// Secret config (src/secrets/config.cpp): the YAML file on top of the built-in rules — custom rules,
// allow rules, disable/enable lists — and every way a file can be wrong, each reported as
// "<file>:<line>: ..." with exit code 2. Regexes that come out of the loader are run here with PCRE2
// to check what they match, not only that they were accepted.
#include <gtest/gtest.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "secrets/config.h"
#include "support/fixtures.h"

namespace customs::secrets {
namespace {

using customs_test::TempDir;
using customs_test::WriteFile;

// The error message of loading `yaml`; fails the test when it loads.
std::string ErrorOf(std::string_view yaml, const std::string& origin = "cfg.yaml") {
  try {
    LoadConfig(yaml, origin);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), kExitUsage) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "loaded without error:\n" << yaml;
  return "";
}

#define EXPECT_HAS(haystack, needle)                                             \
  do {                                                                           \
    const std::string h_ = (haystack);                                           \
    EXPECT_NE(h_.find(needle), std::string::npos) << "missing \"" << (needle) << "\" in: " << h_; \
  } while (0)

const Rule* Find(const Config& c, const std::string& id) {
  for (const auto& r : c.rules)
    if (r.id == id) return &r;
  return nullptr;
}

std::vector<std::string> Ids(const std::vector<Rule>& rules) {
  std::vector<std::string> out;
  for (const auto& r : rules) out.push_back(r.id);
  return out;
}

std::vector<std::string> AllowIds(const std::vector<AllowRule>& rules) {
  std::vector<std::string> out;
  for (const auto& r : rules) out.push_back(r.id);
  return out;
}

// PCRE2 search of `re` in `subject`; the named group "secret" (else the whole match), or nullopt.
std::optional<std::string> Search(const std::string& re, std::string_view subject) {
  int err = 0;
  PCRE2_SIZE off = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(re.data()), re.size(), 0, &err, &off, nullptr);
  if (code == nullptr) {
    ADD_FAILURE() << "does not compile: " << re;
    return std::nullopt;
  }
  pcre2_match_data* md = pcre2_match_data_create_from_pattern(code, nullptr);
  std::optional<std::string> out;
  if (pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0, 0, md, nullptr) > 0) {
    const int g = pcre2_substring_number_from_name(code, reinterpret_cast<PCRE2_SPTR>("secret"));
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
    const int n = g > 0 ? g : 0;
    out = std::string(subject.substr(ov[2 * n], ov[2 * n + 1] - ov[2 * n]));
  }
  pcre2_match_data_free(md);
  pcre2_code_free(code);
  return out;
}

// The built-in table is another file's; these tests pick ids from it rather than hard-code many.
class SecretConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(BuiltinRules().size(), 2u);
    ASSERT_GE(BuiltinAllowRules().size(), 1u);
    b0 = BuiltinRules()[0].id;
    b1 = BuiltinRules()[1].id;
    a0 = BuiltinAllowRules()[0].id;
  }
  std::string b0, b1, a0;
};

TEST_F(SecretConfigTest, DefaultConfigIsEveryBuiltin) {
  const Config c = DefaultConfig();
  EXPECT_EQ(Ids(c.rules), Ids(BuiltinRules()));
  EXPECT_EQ(AllowIds(c.allow_rules), AllowIds(BuiltinAllowRules()));
  // The issue's own example id is built in.
  EXPECT_NE(Find(c, "aws-access-key-id"), nullptr);
}

TEST_F(SecretConfigTest, EmptyOrCommentOnlyFileIsTheDefaults) {
  for (std::string_view text : {"", "\n\n", "# nothing here\n", "---\n", "---\n...\n", "~\n"}) {
    const Config c = LoadConfig(text, "cfg.yaml");
    EXPECT_EQ(Ids(c.rules), Ids(BuiltinRules())) << text;
    EXPECT_EQ(AllowIds(c.allow_rules), AllowIds(BuiltinAllowRules())) << text;
  }
  // Keys present but empty change nothing either.
  const Config c = LoadConfig("rules:\nallow-rules:\ndisable-rules:\nenable-builtin-rules: []\n", "cfg.yaml");
  EXPECT_EQ(Ids(c.rules), Ids(BuiltinRules()));
}

TEST_F(SecretConfigTest, CustomRuleWithEveryKey) {
  const Config c = LoadConfig(R"(rules:
  - id: acme-api-key
    category: Acme
    title: Acme API key
    severity: critical
    regex: 'acme_(?P<secret>[a-z0-9]{32})'
    keywords: [ACME_, Acme-Key]
    path: '\.env$'
    max-length: 64
    entropy: 3.5
    multiline: false
)",
                              "cfg.yaml");
  ASSERT_EQ(c.rules.size(), BuiltinRules().size() + 1);
  const Rule& r = c.rules.back();  // custom rules come after the built-ins
  EXPECT_EQ(r.id, "acme-api-key");
  EXPECT_EQ(r.category, "Acme");
  EXPECT_EQ(r.title, "Acme API key");
  EXPECT_EQ(r.severity, Severity::kCritical);
  EXPECT_EQ(r.keywords, (std::vector<std::string>{"acme_", "acme-key"}));  // lowercased
  EXPECT_EQ(r.path, "\\.env$");
  EXPECT_EQ(r.max_len, 64u);
  EXPECT_DOUBLE_EQ(r.min_entropy, 3.5);
  EXPECT_FALSE(r.multiline);
  EXPECT_FALSE(r.caseless);
  EXPECT_TRUE(r.allow.empty());
  // Trivy's (?P<name>...) spelling is kept: PCRE2 reads it, and the group marks the secret.
  EXPECT_EQ(Search(r.regex, "token=acme_0123456789abcdef0123456789abcdef;"), "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(Search(r.regex, "token=acme_short"), std::nullopt);
}

TEST_F(SecretConfigTest, CustomRuleDefaults) {
  const Config c = LoadConfig("rules:\n  - id: only-regex\n    regex: 'tok_[A-Z]{10}'\n    multiline: yes\n", "x");
  const Rule& r = c.rules.back();
  EXPECT_EQ(r.id, "only-regex");
  EXPECT_EQ(r.category, "Custom");
  EXPECT_EQ(r.title, "only-regex");
  EXPECT_EQ(r.severity, Severity::kUnknown);
  EXPECT_EQ(r.max_len, 256u);
  EXPECT_EQ(r.min_entropy, 0.0);
  EXPECT_TRUE(r.keywords.empty());
  EXPECT_TRUE(r.path.empty());
  EXPECT_TRUE(r.multiline);
}

TEST_F(SecretConfigTest, SeverityWordsAreCaseInsensitive) {
  const std::pair<const char*, Severity> cases[] = {{"CRITICAL", Severity::kCritical}, {"High", Severity::kHigh},
                                                    {"medium", Severity::kMedium},     {"LoW", Severity::kLow},
                                                    {"unknown", Severity::kUnknown}};
  for (const auto& [word, sev] : cases) {
    const Config c = LoadConfig(std::string("rules:\n  - id: r\n    regex: 'x{8}'\n    severity: ") + word + "\n", "x");
    EXPECT_EQ(c.rules.back().severity, sev) << word;
  }
  // Vendor words that ParseSeverity knows are not rule severities.
  for (const char* word : {"important", "moderate", "none", "", "HIGHEST"}) {
    const std::string msg =
        ErrorOf(std::string("rules:\n  - id: r\n    regex: 'x{8}'\n    severity: '") + word + "'\n");
    EXPECT_HAS(msg, "cfg.yaml:4: ");
    EXPECT_HAS(msg, "unknown severity");
  }
}

// Trivy's documented example, as a user would copy it.
TEST_F(SecretConfigTest, TrivyStyleFileLoads) {
  const Config c = LoadConfig(R"(rules:
  - id: rule1
    category: general
    title: Generic Rule
    severity: HIGH
    path: .*\.sh
    keywords:
      - secret
    regex: (?i)(?P<key>(secret))(=|:).{0,5}['"](?P<secret>[0-9a-zA-Z\-_=]{8,64})['"]
    secret-group-name: secret
    allow-rules:
      - id: skip-text
        description: skip text files
        path: .*\.txt
enable-builtin-rules:
  - )" + b0 + R"(
disable-allow-rules:
  - )" + a0 + R"(
allow-rules:
  - id: skip-md
    description: skip markdown
    path: .*\.md
)",
                              "trivy-secret.yaml");
  EXPECT_EQ(Ids(c.rules), (std::vector<std::string>{b0, "rule1"}));
  const Rule& r = c.rules.back();
  EXPECT_EQ(Search(r.regex, "export SECRET='abcdefgh12345678'"), "abcdefgh12345678");
  // The rule's path scope, and its own allow rule by path (the engine turns the rule off there).
  EXPECT_TRUE(Search(r.path, "app/run.sh"));
  EXPECT_FALSE(Search(r.path, "app/run.py"));
  ASSERT_EQ(r.allow_rules.size(), 1u);
  EXPECT_TRUE(Search(r.allow_rules[0].path, "docs/run.sh.txt"));
  EXPECT_FALSE(Search(r.allow_rules[0].path, "app/run.sh"));
  const std::vector<std::string> allow = AllowIds(c.allow_rules);
  EXPECT_EQ(std::count(allow.begin(), allow.end(), a0), 0);
  EXPECT_EQ(allow.back(), "skip-md");
  EXPECT_EQ(c.allow_rules.back().path, ".*\\.md");
  EXPECT_EQ(c.allow_rules.back().description, "skip markdown");
}

TEST_F(SecretConfigTest, SecretGroupNameRenamesTheGroup) {
  const Config c = LoadConfig(R"(rules:
  - id: named
    regex: 'key=(?P<value>[A-Z]{8})(?:\(?P<value>\))?'
    secret-group-name: value
)",
                              "x");
  const std::string& re = c.rules.back().regex;
  EXPECT_EQ(Search(re, "key=ABCDEFGH"), "ABCDEFGH");
  // The escaped lookalike after the group is literal text and stays as written.
  EXPECT_NE(re.find("\\(?P<value>\\)"), std::string::npos) << re;

  EXPECT_HAS(ErrorOf("rules:\n  - id: r\n    regex: 'k=(?P<v>[A-Z]{8})'\n    secret-group-name: w\n"),
             "cfg.yaml:4: rule \"r\": secret-group-name \"w\" does not name exactly one group");
  EXPECT_HAS(ErrorOf("rules:\n  - id: r\n    regex: 'k=(?P<v>[A-Z]{8})(?<secret>x)'\n    secret-group-name: v\n"),
             "also has a group named \"secret\"");
  EXPECT_HAS(ErrorOf("rules:\n  - id: r\n    regex: 'k=[A-Z]{8}'\n    secret-group-name: secret\n"),
             "cfg.yaml:4: rule \"r\": secret-group-name \"secret\" does not name a group");
}

TEST_F(SecretConfigTest, PathMayBeAList) {
  const Config c = LoadConfig("rules:\n  - id: r\n    regex: 'x{8}'\n    path: ['\\.env$', '(^|/)config\\.ya?ml$']\n", "x");
  const std::string& p = c.rules.back().path;
  EXPECT_TRUE(Search(p, "app/.env"));
  EXPECT_TRUE(Search(p, "etc/config.yml"));
  EXPECT_FALSE(Search(p, "etc/myconfig.yml"));
}

TEST_F(SecretConfigTest, PerRuleAllowRules) {
  const Config c = LoadConfig(R"(rules:
  - id: acme
    regex: 'acme_[a-z0-9]{16}'
    allow-rules:
      - id: doc-value
        regex: 'acme_0{16}'
      - id: fixtures
        path: '(^|/)fixtures/'
      - id: vendor
        path: ['^vendor/', '\.lock$']
)",
                              "x");
  const Rule& r = c.rules.back();
  // Kept as written, on the rule itself (the engine applies them: tests/unit/secrets_engine_test.cpp).
  ASSERT_EQ(r.allow_rules.size(), 3u);
  EXPECT_EQ(r.allow_rules[0].id, "doc-value");
  EXPECT_EQ(r.allow_rules[0].regex, "acme_0{16}");
  EXPECT_EQ(r.allow_rules[0].path, "");
  EXPECT_EQ(r.allow_rules[1].path, "(^|/)fixtures/");
  EXPECT_TRUE(Search(r.allow_rules[2].path, "vendor/lib.js"));
  EXPECT_TRUE(Search(r.allow_rules[2].path, "Gemfile.lock"));
  EXPECT_FALSE(Search(r.allow_rules[2].path, "src/vendor/app.js"));  // '^vendor/' is anchored
  EXPECT_EQ(r.path, "");  // the rule's own scope is untouched
  // Per-rule allow rules do not leak into the global list.
  EXPECT_EQ(AllowIds(c.allow_rules), AllowIds(BuiltinAllowRules()));

  // Both regex and path inside a rule: both must hold, as for a global allow rule.
  const Config both = LoadConfig(R"(rules:
  - id: acme
    regex: 'acme_[a-z0-9]{16}'
    allow-rules:
      - id: both
        regex: 'x'
        path: 'y'
)",
                                 "x");
  ASSERT_EQ(both.rules.back().allow_rules.size(), 1u);
  EXPECT_EQ(both.rules.back().allow_rules[0].regex, "x");
  EXPECT_EQ(both.rules.back().allow_rules[0].path, "y");
}

TEST_F(SecretConfigTest, GlobalAllowRules) {
  const Config c = LoadConfig(R"(allow-rules:
  - id: tests
    description: test fixtures
    path: '(^|/)testdata/'
  - id: placeholder
    regex: 'XXXXXXXX'
  - id: both
    regex: 'dummy'
    path: '\.example$'
)",
                              "x");
  ASSERT_EQ(c.allow_rules.size(), BuiltinAllowRules().size() + 3);
  const AllowRule* a = &c.allow_rules[BuiltinAllowRules().size()];
  EXPECT_EQ(a[0].id, "tests");
  EXPECT_EQ(a[0].description, "test fixtures");
  EXPECT_EQ(a[0].path, "(^|/)testdata/");
  EXPECT_EQ(a[0].regex, "");
  EXPECT_EQ(a[1].regex, "XXXXXXXX");
  EXPECT_EQ(a[1].path, "");
  EXPECT_EQ(a[2].regex, "dummy");
  EXPECT_EQ(a[2].path, "\\.example$");
  EXPECT_EQ(Ids(c.rules), Ids(BuiltinRules()));

  EXPECT_HAS(ErrorOf("allow-rules:\n  - id: nothing\n    description: allows everything\n"),
             "cfg.yaml:2: allow rule \"nothing\" needs a regex, a path or both");
  EXPECT_HAS(ErrorOf("allow-rules:\n  - regex: x\n"), "cfg.yaml:2: an allow rule needs an id");
  EXPECT_HAS(ErrorOf("allow-rules:\n  - id: a\n    regex: x\n  - id: a\n    path: y\n"),
             "cfg.yaml:4: duplicate allow rule id \"a\" (first at line 2)");
  EXPECT_HAS(ErrorOf("allow-rules:\n  - id: " + a0 + "\n    regex: x\n"), "is a built-in allow rule");
  EXPECT_HAS(ErrorOf("allow-rules:\n  - id: a\n    regex: '(x'\n"), "cfg.yaml:3: allow rule regex does not compile");
  EXPECT_HAS(ErrorOf("allow-rules:\n  - id: a\n    path: '[z-a]'\n"), "cfg.yaml:3: allow rule path does not compile");
  EXPECT_HAS(ErrorOf("allow-rules:\n  - id: a\n    paths: x\n"), "cfg.yaml:3: unknown key \"paths\" in an allow rule (did you mean path?)");
  EXPECT_HAS(ErrorOf("allow-rules: {id: a}\n"), "cfg.yaml:1: allow-rules must be a list");
  EXPECT_HAS(ErrorOf("allow-rules:\n  - just-a-string\n"), "cfg.yaml:2: each entry of allow-rules must be a mapping");
}

TEST_F(SecretConfigTest, DisableRules) {
  const Config c = LoadConfig("disable-rules: [" + b1 + ", mine]\nrules:\n  - id: mine\n    regex: 'm{8}'\n  - id: kept\n    regex: 'k{8}'\n", "x");
  std::vector<std::string> want = Ids(BuiltinRules());
  want.erase(std::find(want.begin(), want.end(), b1));
  want.push_back("kept");
  EXPECT_EQ(Ids(c.rules), want);
  // A single id may be given without a list.
  EXPECT_EQ(LoadConfig("disable-rules: " + b0 + "\n", "x").rules.size(), BuiltinRules().size() - 1);

  EXPECT_HAS(ErrorOf("disable-rules:\n  - " + b0 + "\n  - no-such-rule\n"), "cfg.yaml:3: disable-rules: unknown rule id \"no-such-rule\"");
  // A one-letter typo is caught and the intended id suggested.
  std::string typo = b0;
  typo.back() = typo.back() == 'x' ? 'y' : 'x';
  EXPECT_HAS(ErrorOf("disable-rules: [" + typo + "]\n"), "(did you mean " + b0 + "?)");
  EXPECT_HAS(ErrorOf("disable-rules: {a: b}\n"), "cfg.yaml:1: disable-rules must be a string or a list of strings");
  EXPECT_HAS(ErrorOf("disable-rules: [[a]]\n"), "disable-rules must be a list of strings");
}

TEST_F(SecretConfigTest, EnableBuiltinRulesKeepsCustomRules) {
  const Config c = LoadConfig("enable-builtin-rules: [" + b1 + "]\nrules:\n  - id: mine\n    regex: 'm{8}'\n", "x");
  EXPECT_EQ(Ids(c.rules), (std::vector<std::string>{b1, "mine"}));
  // Disabling wins over enabling.
  const Config d = LoadConfig("enable-builtin-rules: [" + b0 + ", " + b1 + "]\ndisable-rules: [" + b0 + "]\n", "x");
  EXPECT_EQ(Ids(d.rules), (std::vector<std::string>{b1}));
  // The built-in order is kept whatever order the list has.
  const Config e = LoadConfig("enable-builtin-rules: [" + b1 + ", " + b0 + "]\n", "x");
  EXPECT_EQ(Ids(e.rules), (std::vector<std::string>{b0, b1}));

  EXPECT_HAS(ErrorOf("enable-builtin-rules:\n  - nope\n"), "cfg.yaml:2: enable-builtin-rules: \"nope\" is not a built-in rule");
  EXPECT_HAS(ErrorOf("enable-builtin-rules: [mine]\nrules:\n  - id: mine\n    regex: 'm{8}'\n"),
             "cfg.yaml:1: enable-builtin-rules: \"mine\" is not a built-in rule (custom rules are always enabled)");
}

TEST_F(SecretConfigTest, DisableAllowRules) {
  const Config c = LoadConfig("disable-allow-rules: [" + a0 + "]\n", "x");
  std::vector<std::string> want = AllowIds(BuiltinAllowRules());
  want.erase(std::find(want.begin(), want.end(), a0));
  EXPECT_EQ(AllowIds(c.allow_rules), want);
  EXPECT_EQ(Ids(c.rules), Ids(BuiltinRules()));
  EXPECT_HAS(ErrorOf("disable-allow-rules: [" + b0 + "]\n"), "cfg.yaml:1: disable-allow-rules: \"" + b0 + "\" is not a built-in allow rule");
  // Only built-in ones: the file's own allow rules are removed by deleting them.
  EXPECT_HAS(ErrorOf("allow-rules:\n  - id: mine\n    regex: x\ndisable-allow-rules: [mine]\n"), "cfg.yaml:4: ");
}

TEST_F(SecretConfigTest, DuplicateAndInvalidIds) {
  EXPECT_HAS(ErrorOf("rules:\n  - id: r\n    regex: 'a{8}'\n  - id: r\n    regex: 'b{8}'\n"),
             "cfg.yaml:4: duplicate rule id \"r\" (first at line 2)");
  EXPECT_HAS(ErrorOf("rules:\n  - id: " + b0 + "\n    regex: 'a{8}'\n"),
             "cfg.yaml:2: rule id \"" + b0 + "\" is a built-in rule");
  // Ids are written in customs:ignore:<id>,<id> comments: no spaces or commas.
  for (const char* bad : {"'a b'", "'a,b'", "''", "-lead", "'x/y'"}) {
    EXPECT_HAS(ErrorOf(std::string("rules:\n  - id: ") + bad + "\n    regex: 'a{8}'\n"), "cfg.yaml:2: rule id");
  }
  EXPECT_HAS(ErrorOf("rules:\n  - id: " + std::string(129, 'a') + "\n    regex: 'a{8}'\n"), "is not valid");
  EXPECT_HAS(ErrorOf("rules:\n  - regex: 'a{8}'\n"), "cfg.yaml:2: a rule needs an id");
  EXPECT_HAS(ErrorOf("rules:\n  - id: r\n    title: no regex\n"), "cfg.yaml:2: rule \"r\": a rule needs a regex");
}

TEST_F(SecretConfigTest, UnknownAndRepeatedKeys) {
  EXPECT_HAS(ErrorOf("rules: []\ndisable-rule: [x]\n"),
             "cfg.yaml:2: unknown key \"disable-rule\" in the secret config (did you mean disable-rules?)");
  EXPECT_HAS(ErrorOf("rules:\n  - id: r\n    regex: 'a{8}'\n    keyword: [a]\n"),
             "cfg.yaml:4: unknown key \"keyword\" in a rule (did you mean keywords?)");
  EXPECT_HAS(ErrorOf("rules:\n  - id: r\n    regex: 'a{8}'\n    exclude-block: {}\n"), "unknown key \"exclude-block\"");
  EXPECT_HAS(ErrorOf("rules:\n  - id: r\n    regex: 'a{8}'\n    regex: 'b{8}'\n"), "cfg.yaml:4: key \"regex\" given twice in a rule");
  EXPECT_HAS(ErrorOf("disable-rules: []\ndisable-rules: []\n"), "cfg.yaml:2: key \"disable-rules\" given twice");
  EXPECT_HAS(ErrorOf("? [a]\n: b\n"), "cfg.yaml:1: keys of the secret config must be strings");
}

TEST_F(SecretConfigTest, WrongDocumentShape) {
  EXPECT_HAS(ErrorOf("- a\n- b\n"), "cfg.yaml:1: the secret config must be a YAML mapping");
  EXPECT_HAS(ErrorOf("just words\n"), "cfg.yaml:1: the secret config must be a YAML mapping");
  EXPECT_HAS(ErrorOf("rules: []\n---\nrules: []\n"), "cfg.yaml:2: the secret config must be a single YAML document");
  EXPECT_HAS(ErrorOf("rules: [\n  - id: x\n"), "cfg.yaml:");
  EXPECT_HAS(ErrorOf("rules:\n  - id: x\n   regex: y\n"), "not valid YAML");
  EXPECT_HAS(ErrorOf("rules: {id: x}\n"), "cfg.yaml:1: rules must be a list");
  EXPECT_HAS(ErrorOf("rules:\n  - x\n"), "cfg.yaml:2: each entry of rules must be a mapping");
  // The origin given by the caller is what the message names.
  EXPECT_HAS(ErrorOf("- a\n", "/etc/customs/secret.yaml"), "/etc/customs/secret.yaml:1: ");
}

TEST_F(SecretConfigTest, ValueTypes) {
  const std::string head = "rules:\n  - id: r\n    regex: 'a{8}'\n";
  EXPECT_HAS(ErrorOf(head + "    max-length: 0\n"), "cfg.yaml:4: max-length must be a whole number of bytes from 1 to 65536");
  EXPECT_HAS(ErrorOf(head + "    max-length: 65537\n"), "max-length must be");
  EXPECT_HAS(ErrorOf(head + "    max-length: -1\n"), "max-length must be");
  EXPECT_HAS(ErrorOf(head + "    max-length: 12abc\n"), "max-length must be");
  EXPECT_HAS(ErrorOf(head + "    max-length: [1]\n"), "max-length must be");
  EXPECT_EQ(LoadConfig(head + "    max-length: 65536\n", "x").rules.back().max_len, 65536u);
  EXPECT_HAS(ErrorOf(head + "    entropy: 8.5\n"), "cfg.yaml:4: entropy must be a number of bits per character from 0 to 8");
  EXPECT_HAS(ErrorOf(head + "    entropy: -0.1\n"), "entropy must be");
  EXPECT_HAS(ErrorOf(head + "    entropy: .nan\n"), "entropy must be");
  EXPECT_HAS(ErrorOf(head + "    entropy: high\n"), "entropy must be");
  EXPECT_HAS(ErrorOf(head + "    multiline: maybe\n"), "cfg.yaml:4: multiline must be true or false");
  EXPECT_HAS(ErrorOf(head + "    keywords: [[a]]\n"), "cfg.yaml:4: keywords must be a list of strings");
  EXPECT_HAS(ErrorOf(head + "    keywords: ['']\n"), "cfg.yaml:4: rule \"r\": empty keyword");
  EXPECT_HAS(ErrorOf(head + "    max-length: 8\n    keywords: [abcdefghi]\n"), "cfg.yaml:5: rule \"r\": keyword is longer than max-length");
  EXPECT_HAS(ErrorOf(head + "    title: [a]\n"), "cfg.yaml:4: title must be a string");
  // An empty value is reported on its key's line.
  EXPECT_HAS(ErrorOf("rules:\n  - id: r\n    regex:\n"), "cfg.yaml:3: regex must be a string");
}

TEST_F(SecretConfigTest, RegexErrorsNameTheRegexLine) {
  // PCRE2 refuses.
  std::string msg = ErrorOf("rules:\n  - id: r\n    title: t\n    regex: 'abc(def'\n");
  EXPECT_HAS(msg, "cfg.yaml:4: rule \"r\": regex does not compile (PCRE2): missing closing parenthesis");
  // A block scalar: the line of the regex's value.
  msg = ErrorOf("rules:\n  - id: r\n    regex: >-\n      [z-a]+\n");
  EXPECT_HAS(msg, "rule \"r\": regex does not compile (PCRE2)");
  EXPECT_TRUE(msg.rfind("cfg.yaml:3: ", 0) == 0 || msg.rfind("cfg.yaml:4: ", 0) == 0) << msg;
  // PCRE2 accepts these, Hyperscan does not: they would only fail when the engine is built.
  for (const char* re : {"a\\Kbcdefgh", "(?U)tok_[a-z]+", "(?|(a)|(b))xyz", "a(?R)?b"}) {
    msg = ErrorOf(std::string("rules:\n  - id: r\n    regex: '") + re + "'\n");
    EXPECT_HAS(msg, "cfg.yaml:3: rule \"r\": regex is not supported by Hyperscan");
  }
  // Lookarounds and backreferences are fine: Hyperscan approximates them as a prefilter.
  EXPECT_NO_THROW(LoadConfig("rules:\n  - id: r\n    regex: '(?<=key=)([a-z])\\1[a-z]{6}(?=;)'\n", "x"));
  // A rule that can match nothing would report empty secrets everywhere.
  for (const char* re : {"a*", "x{0,5}", "(?:)", "\\b", "^"}) {
    msg = ErrorOf(std::string("rules:\n  - id: r\n    regex: '") + re + "'\n");
    EXPECT_HAS(msg, "cfg.yaml:3: rule \"r\": regex can match an empty string");
  }
  EXPECT_HAS(ErrorOf("rules:\n  - id: r\n    regex: 'a{300}'\n"), "regex needs at least 300 bytes but max-length is 256");
  EXPECT_NO_THROW(LoadConfig("rules:\n  - id: r\n    regex: 'a{300}'\n    max-length: 300\n", "x"));
  EXPECT_HAS(ErrorOf("rules:\n  - id: r\n    regex: \"a\\0b\"\n"), "contains a NUL byte");
  EXPECT_HAS(ErrorOf("rules:\n  - id: r\n    regex: 'a{8}'\n    path: '(unclosed'\n"), "cfg.yaml:4: path does not compile");
}

TEST_F(SecretConfigTest, Limits) {
  // A regex of 4 KiB is accepted, one byte more is not.
  const std::string ok(4096, 'a');
  EXPECT_NO_THROW(LoadConfig("rules:\n  - id: r\n    regex: '" + ok + "'\n    max-length: 4096\n", "x"));
  EXPECT_HAS(ErrorOf("rules:\n  - id: r\n    regex: '" + ok + "a'\n    max-length: 8192\n"),
             "cfg.yaml:3: rule \"r\": regex is 4097 bytes long (at most 4096)");
  EXPECT_HAS(ErrorOf("allow-rules:\n  - id: a\n    path: '" + ok + "a'\n"), "allow rule path is 4097 bytes long");

  // 10,001 rules are refused before any of them is compiled.
  std::string many = "rules:\n";
  for (int i = 0; i <= 10'000; ++i) many += "  - {id: r" + std::to_string(i) + ", regex: 'a{8}'}\n";
  EXPECT_HAS(ErrorOf(many), "cfg.yaml:2: too many rules (at most 10000)");
  std::string allows = "allow-rules:\n";
  for (int i = 0; i <= 10'000; ++i) allows += "  - {id: a" + std::to_string(i) + ", regex: x}\n";
  EXPECT_HAS(ErrorOf(allows), "too many allow rules (at most 10000)");
}

TEST_F(SecretConfigTest, HostileYamlIsAnErrorNotACrash) {
  // Deep nesting, alias references and binary bytes: errors with the file name, nothing else.
  const std::string deep = std::string(5000, '[') + std::string(5000, ']');
  for (const std::string& text :
       {deep, std::string("rules: &a [*a]\n"), std::string("a: &x 1\nrules: *x\n"),
        std::string("rules:\n  - id: \xff\xfe\n    regex: x\n"), std::string("\0\0\0rules: []", 13),
        std::string("rules:\n  - &r {id: r, regex: 'a{8}'}\n  - *r\n"),
        // Found by the fuzzer: yaml-cpp's LoadAll reports documents forever on a stray '%' line.
        std::string("disable-rules:\n% - aws-accerules:\n !ss-ke,y- - di :typo\n    regx:]id\nds\n")}) {
    try {
      LoadConfig(text, "cfg.yaml");
      ADD_FAILURE() << "loaded: " << text.substr(0, 60);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), kExitUsage);
      EXPECT_EQ(std::string(e.what()).rfind("cfg.yaml", 0), 0u) << e.what();
    }
  }
}

TEST_F(SecretConfigTest, LoadConfigFile) {
  TempDir dir;
  const std::string path = dir / "secret.yaml";
  WriteFile(path, "rules:\n  - id: from-file\n    regex: 'ff_[0-9]{12}'\n");
  const Config c = LoadConfigFile(path);
  EXPECT_EQ(c.rules.back().id, "from-file");

  WriteFile(path, "rules:\n  - id: from-file\n    regex: 'ff_[0-9]{12}'\n    severity: severe\n");
  try {
    LoadConfigFile(path);
    ADD_FAILURE() << "loaded";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), kExitUsage);
    EXPECT_EQ(std::string(e.what()).rfind(path + ":4: ", 0), 0u) << e.what();
  }
  for (const std::string& bad : {dir / "missing.yaml", dir.path()}) {
    try {
      LoadConfigFile(bad);
      ADD_FAILURE() << "loaded " << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), kExitIo) << e.what();
      EXPECT_EQ(std::string(e.what()).rfind(bad + ": ", 0), 0u) << e.what();
    }
  }
}

}  // namespace
}  // namespace customs::secrets
