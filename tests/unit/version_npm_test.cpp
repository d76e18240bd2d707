// npm version comparison (node-semver with `loose: true`), against node-semver itself
// (tests/node/semver_oracle.js; the npm package semver in tests/node/node_modules, or in
// $CUSTOMS_NODE_MODULES). Without node or the package, only the oracle part is skipped.
//
// There is no npm advisory data in ../shared: the pairs are the crates.io and Go versions of the
// snapshots (valid semver, which loose parsing must treat like strict) and generated strings in the
// spellings loose mode accepts or nearly accepts ("v1.2.3", "=1.2.3", " 1.2.3 ", "1.2.3beta",
// "01.2.3", "1.2.34.5"). Validity and order must match node-semver exactly (numbers are kept below
// 2^53, where node-semver stops being exact).
//
// The hand-written vectors were checked with node-semver 7.6.3 (semver.compare(a, b, true)).
#include "version_test_util.h"

namespace customs::version_test {
namespace {

const std::vector<Vector> kVectors = {
    {"v1.2.3", "1.2.3", 0, "leading v"},
    {"=1.2.3", "1.2.3", 0, "leading ="},
    {" 1.2.3 ", "1.2.3", 0, "surrounding spaces"},
    {"v=v 1.2.3", "1.2.3", 0, "any run of v, = and spaces"},
    {"1.2.3beta", "1.2.3-beta", 0, "the '-' before the pre-release is optional"},
    {"01.02.03", "1.2.3", 0, "leading zeros"},
    {"1.2.3-01", "1.2.3-1", 0, "numeric identifiers numerically, leading zeros too"},
    {"1.2.34.5", "1.2.3-4.5", 0, "the regular expression backtracks into the patch number"},
    {"1.2.3-", "1.2.3--", 0, "\"1.2.3-\" has the pre-release \"-\""},
    {"1.2.3-+b", "1.2.3--", 0, "\"-\" pre-release, then build"},
    {"1.2.3--beta", "1.2.3-beta", -1, "pre-release \"-beta\" < \"beta\""},
    {"1.2.3-beta.2", "1.2.3-beta.11", -1, "numerically"},
    {"1.2.3-beta", "1.2.3", -1, "a pre-release is older"},
    {"1.2.3+build", "1.2.3", 0, "build ignored"},
    {"9007199254740991.0.0", "1.0.0", 1, "Number.MAX_SAFE_INTEGER is still valid"},
    {"9007199254740992.0.0", "0.0.0", -1, "above Number.MAX_SAFE_INTEGER: invalid"},
    {"1.2.3.4", "0.0.0", -1, "four numbers: invalid"},
    {"1.2", "0.0.0", -1, "two numbers: invalid"},
    {"1.2.3 -beta", "0.0.0", -1, "a space inside: invalid"},
    {"1.2.3-beta.", "0.0.0", -1, "an empty identifier: invalid"},
};

TEST(VersionNpm, HandVectors) { CheckVectors(Get("npm"), kVectors); }

TEST(VersionNpm, Valid) {
  const Comparator& c = Get("npm");
  for (std::string_view v : {"1.2.3", "v1.2.3", "=1.2.3", "  v1.2.3\t", "1.2.3-alpha.1+b", "1.2.3alpha", "01.2.3",
                             "1.2.34.5", "1.2.3-", "1.2.3--"})
    EXPECT_TRUE(c.Valid(v)) << v;
  for (std::string_view v : {"", "1", "1.2", "1.2.3.4", "x1.2.3", "1.2.3-a..b", "1.2.3+", "1.2.3 beta",
                             "9007199254740992.0.0", "1.2.3-beta."})
    EXPECT_FALSE(c.Valid(v)) << v;
  EXPECT_TRUE(c.Valid("1.0.0-" + std::string(250, 'a')));   // 256 characters
  EXPECT_FALSE(c.Valid("1.0.0-" + std::string(251, 'a')));  // 257: node-semver's MAX_LENGTH is 256
  EXPECT_EQ(version::ComparatorFor("npm"), &c);
}

TEST(VersionNpm, AgainstNodeSemver) {
  const Comparator& c = Get("npm");
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const Vector& v : kVectors) pairs.emplace_back(v.a, v.b);
  std::vector<std::string> real = Distinct(RustsecVersions());
  for (const auto& v : Distinct(OsvGoVersions())) real.push_back(v);
  Rng rng(3000);
  for (size_t i = 0; i < 1000 && !real.empty(); ++i) pairs.emplace_back(rng.Pick(real), rng.Pick(real));
  for (size_t i = 0; i < 3000; ++i) {
    std::string a = RandomSemverish(rng, true);
    std::string b = rng.Below(2) ? RandomSemverish(rng, true)
                                 : a.substr(0, a.find_first_of("-+")) + "-" + std::to_string(rng.Below(3));
    pairs.emplace_back(a, b);
  }
  std::vector<std::string> all;
  for (const auto& [a, b] : pairs) all.push_back(a), all.push_back(b);
  CheckTotalPreorder(c, Distinct(all));

  std::string why = NodeSemverMissing();
  if (!why.empty()) GTEST_SKIP() << why << ": node-semver comparison skipped (vectors and order properties checked)";
  std::string oracle_version;
  auto answers = AskNodeSemver(pairs, true, &oracle_version);
  ASSERT_TRUE(answers);
  int bad = 0, compared = 0, invalid = 0;
  for (size_t i = 0; i < pairs.size(); ++i) {
    const auto& [a, b] = pairs[i];
    const NodeSemverAnswer& o = (*answers)[i];
    if (c.Valid(a) != o.valid_a && bad++ < 20)
      ADD_FAILURE() << "validity of \"" << a << "\": node-semver " << o.valid_a;
    if (c.Valid(b) != o.valid_b && bad++ < 20)
      ADD_FAILURE() << "validity of \"" << b << "\": node-semver " << o.valid_b;
    if (!o.cmp) {
      ++invalid;
      continue;
    }
    ++compared;
    int ours = Sign(c.Compare(a, b));
    if (ours != *o.cmp && bad++ < 20)
      ADD_FAILURE() << "node-semver " << oracle_version << " (loose): \"" << a << "\" " << Rel(*o.cmp) << " \"" << b
                    << "\", we say " << Rel(ours);
  }
  EXPECT_EQ(bad, 0);
  EXPECT_GT(compared, 2500);
  EXPECT_GT(invalid, 100);
}

}  // namespace
}  // namespace customs::version_test
