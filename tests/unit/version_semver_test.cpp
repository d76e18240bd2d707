// Semantic Versioning 2.0.0 comparison (the scheme of crates.io), against node-semver in strict mode
// (tests/node/semver_oracle.js; the npm package semver in tests/node/node_modules, or in
// $CUSTOMS_NODE_MODULES). Without node or the package, only the oracle part is skipped.
//
// Real data: every version named in the RustSec advisories' patched/unaffected requirements
// (crates.io) and every version of the Go vulnerability database (semver without the "v"). Both
// must parse and be totally ordered; pairs of them and generated near-miss strings are compared
// with node-semver. node-semver's strict mode accepts a leading "v", which semver.org does not:
// for those strings only the validity differs, by design.
//
// The hand-written vectors are semver.org's own examples (item 11) and edge cases, checked with
// node-semver 7.
#include "version_test_util.h"

namespace customs::version_test {
namespace {

const std::vector<Vector> kVectors = {
    // semver.org item 11, in order.
    {"1.0.0", "2.0.0", -1, "major"},
    {"2.0.0", "2.1.0", -1, "minor"},
    {"2.1.0", "2.1.1", -1, "patch"},
    {"1.0.0-alpha", "1.0.0", -1, "a pre-release is older"},
    {"1.0.0-alpha", "1.0.0-alpha.1", -1, "a longer identifier list is newer"},
    {"1.0.0-alpha.1", "1.0.0-alpha.beta", -1, "numeric before alphanumeric"},
    {"1.0.0-alpha.beta", "1.0.0-beta", -1, "ASCII order"},
    {"1.0.0-beta", "1.0.0-beta.2", -1, "a longer list is newer"},
    {"1.0.0-beta.2", "1.0.0-beta.11", -1, "numeric identifiers numerically"},
    {"1.0.0-beta.11", "1.0.0-rc.1", -1, "ASCII order"},
    {"1.0.0-rc.1", "1.0.0", -1, "a pre-release is older"},
    // Build metadata is ignored.
    {"1.0.0+20130313144700", "1.0.0", 0, "build ignored"},
    {"1.0.0-alpha+001", "1.0.0-alpha", 0, "build ignored"},
    {"1.0.0+a", "1.0.0+b", 0, "build ignored"},
    // Edge cases.
    {"1.2.10", "1.10.2", -1, "minor numerically"},
    {"1.0.0-1", "1.0.0-a", -1, "numeric before alphanumeric"},
    {"1.0.0-Z", "1.0.0-a", -1, "ASCII: uppercase before lowercase"},
    {"1.0.0-a-b", "1.0.0-a", 1, "hyphens in identifiers, longer is newer when a prefix"},
    {"1.0.0--", "1.0.0-0", 1, "\"-\" is alphanumeric"},
    {"1.0.0-rc.9", "1.0.0-rc.10", -1, "numerically"},
    {"1.0.0-1a", "1.0.0-1", 1, "\"1a\" is alphanumeric"},
    {"99999999999999999999.0.0", "100000000000000000000.0.0", -1, "numbers beyond 64 bits"},
    // Invalid strings: before every valid version, bytewise among themselves.
    {"1.0", "0.0.0", -1, "invalid (two parts) before valid"},
    {"v1.0.0", "0.0.1", -1, "invalid (v prefix) before valid"},
    {"01.0.0", "0.0.0-0", -1, "invalid (leading zero) before valid"},
    {"1.0", "1.1", -1, "invalid: bytewise"},
};

TEST(VersionSemver, HandVectors) { CheckVectors(Get("semver"), kVectors); }

TEST(VersionSemver, Valid) {
  const Comparator& c = Get("semver");
  for (std::string_view v : {"0.0.0", "1.2.3", "1.2.3-alpha.1", "1.2.3+build.5", "1.2.3-rc.1+b", "1.0.0--", "1.0.0-0a",
                             "10.20.30", "1.0.0-x-y-z.--"})
    EXPECT_TRUE(c.Valid(v)) << v;
  for (std::string_view v : {"", "1", "1.2", "1.2.3.4", "v1.2.3", "01.2.3", "1.02.3", "1.2.03", "1.2.3-01", "1.2.3-",
                             "1.2.3+", "1.2.3-a..b", "1.2.3-a_b", " 1.2.3", "1.2.3beta", "=1.2.3", "a.b.c"})
    EXPECT_FALSE(c.Valid(v)) << v;
  EXPECT_EQ(version::ComparatorFor("crates.io"), &c);
}

TEST(VersionSemver, RealDataIsTotallyOrdered) {
  const Comparator& c = Get("semver");
  std::vector<std::string> rust = RustsecVersions(), go = OsvGoVersions();
  if (rust.empty() && go.empty()) GTEST_SKIP() << "no RustSec or OSV Go data in " << SharedDir();
  EXPECT_GT(rust.size(), 500u);
  std::vector<std::string> all;
  for (const auto& v : Distinct(rust)) {
    // RustSec requirements abbreviate ("^0.3" means ^0.3.0): those are not full versions.
    if (std::count(v.begin(), v.end(), '.') >= 2 && v.find('+') == std::string::npos) {
      EXPECT_TRUE(c.Valid(v)) << v;
    }
    all.push_back(v);
  }
  for (const auto& v : Distinct(go)) {
    if (v != "0") {
      EXPECT_TRUE(c.Valid(v)) << v;
    }
    all.push_back(v);
  }
  CheckTotalPreorder(c, Distinct(all));
}

// A run of 16 or more digits: possibly beyond Number.MAX_SAFE_INTEGER, which node-semver refuses.
bool LongNumber(std::string_view s) {
  size_t run = 0;
  for (char ch : s) {
    run = version::detail::IsDigit(ch) ? run + 1 : 0;
    if (run >= 16) return true;
  }
  return false;
}

TEST(VersionSemver, AgainstNodeSemver) {
  const Comparator& c = Get("semver");
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const Vector& v : kVectors) pairs.emplace_back(v.a, v.b);
  std::vector<std::string> real = Distinct(RustsecVersions());
  for (const auto& v : Distinct(OsvGoVersions())) real.push_back(v);
  Rng rng(2000);
  for (size_t i = 0; i < 2000 && !real.empty(); ++i) pairs.emplace_back(rng.Pick(real), rng.Pick(real));
  for (size_t i = 0; i < 3000; ++i) {
    std::string a = RandomSemverish(rng, false);
    // Half the time a close relative: same numbers, other pre-release.
    std::string b = rng.Below(2) ? RandomSemverish(rng, false)
                                 : a.substr(0, a.find_first_of("-+")) + "-" + std::to_string(rng.Below(3));
    pairs.emplace_back(a, b);
  }
  std::vector<std::string> all;
  for (const auto& [a, b] : pairs) all.push_back(a), all.push_back(b);
  CheckTotalPreorder(c, Distinct(all));

  std::string why = NodeSemverMissing();
  if (!why.empty()) GTEST_SKIP() << why << ": node-semver comparison skipped (vectors and order properties checked)";
  std::string oracle_version;
  auto answers = AskNodeSemver(pairs, false, &oracle_version);
  ASSERT_TRUE(answers);
  int bad = 0, compared = 0, invalid = 0;
  for (size_t i = 0; i < pairs.size(); ++i) {
    const auto& [a, b] = pairs[i];
    const NodeSemverAnswer& o = (*answers)[i];
    // node-semver (not semver.org) allows a leading "v", and refuses numbers beyond 2^53.
    bool node_only_a = a.starts_with("v") || LongNumber(a), node_only_b = b.starts_with("v") || LongNumber(b);
    if (!node_only_a && c.Valid(a) != o.valid_a && bad++ < 20)
      ADD_FAILURE() << "validity of \"" << a << "\": node-semver " << o.valid_a;
    if (!node_only_b && c.Valid(b) != o.valid_b && bad++ < 20)
      ADD_FAILURE() << "validity of \"" << b << "\": node-semver " << o.valid_b;
    if (!c.Valid(a) || !c.Valid(b)) {
      ++invalid;
      continue;
    }
    if (!o.cmp) continue;
    ++compared;
    int ours = Sign(c.Compare(a, b));
    if (o.cmp && ours != *o.cmp && bad++ < 20)
      ADD_FAILURE() << "node-semver " << oracle_version << ": \"" << a << "\" " << Rel(*o.cmp) << " \"" << b
                    << "\", we say " << Rel(ours);
  }
  EXPECT_EQ(bad, 0);
  EXPECT_GT(compared, 3000);
  EXPECT_GT(invalid, 200);
}

}  // namespace
}  // namespace customs::version_test
