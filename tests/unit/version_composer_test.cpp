// Packagist (Composer) version comparison, against Composer itself: one `php` run normalizes each
// string with composer/semver's VersionParser::normalize() and compares the normalized versions
// with PHP's version_compare(), as composer/semver's constraints do. Debian packages: php-cli and
// php-composer-semver (/usr/share/php/Composer/Semver/autoload.php); without them only the oracle
// part is skipped.
//
// There is no Packagist advisory data in ../shared: the pairs are generated (fixed seed) in the
// shapes Packagist versions have ("v1.2.3", "2.0.0-beta2", "1.0.0-RC1", "3.0.x-dev", "dev-main",
// "20200101", "1.0.0-p1", "1.0.0+build") and near misses, each paired with a random other. Validity
// must match normalize(); for two branches ("dev-...") Composer has no order, so those pairs are
// not compared. The comparator must be a total preorder on all of them.
//
// The hand-written vectors were checked with composer/semver 3.3.2 on PHP 8.2.
#include "version_test_util.h"

namespace customs::version_test {
namespace {

const std::vector<Vector> kVectors = {
    {"1.0", "1.0.0", 0, "padded to four numbers"},
    {"v1.0.0", "1.0.0.0", 0, "leading v"},
    {"1.0.0-beta2", "1.0.0-b2", 0, "b = beta"},
    {"1.0.0-rc1", "1.0.0-RC1", 0, "rc = RC"},
    {"1.0.0-p1", "1.0.0-patch1", 0, "p = patch"},
    {"1.0.0-pl1", "1.0.0-patch1", 0, "pl = patch"},
    {"1.0.0-stable", "1.0.0", 0, "stable is the release"},
    {"1.0.0+build.5", "1.0.0", 0, "build metadata dropped"},
    {"1.0.0-dev", "1.0.0-alpha", -1, "dev < alpha"},
    {"1.0.0-alpha", "1.0.0-beta", -1, "alpha < beta"},
    {"1.0.0-beta", "1.0.0-RC1", -1, "beta < RC"},
    {"1.0.0-RC1", "1.0.0", -1, "RC < release"},
    {"1.0.0", "1.0.0-patch1", -1, "release < patch"},
    {"1.0.0-beta2", "1.0.0-beta10", -1, "numerically"},
    {"1.2.9", "1.2.10", -1, "numerically"},
    {"1.0.0-beta1-dev", "1.0.0-beta1", -1, "a -dev of a pre-release"},
    {"dev-master", "0.0.1", -1, "branches before numbered versions"},
    {"dev-feature", "dev-master", -1, "branches bytewise"},
    {"1.x-dev", "1.99", 1, "1.x-dev is 1.9999999.9999999.9999999-dev"},
    {"20200101", "2020.01.01", 1, "a date version is one big number"},
    {"1.0.0 as 2.0.0", "1.0.0", 0, "an alias compares as its source"},
    {"1.0.0@beta", "1.0.0", 0, "a stability flag is dropped"},
    {"1.99999999999999999999", "1.100000000000000000000", 0, "PHP reads numbers with strtol: beyond 2^63-1 all equal"},
    {"1.9223372036854775806", "1.9223372036854775807", -1, "up to 2^63-1 numerically"},
    {"1.0.0-foo", "0.0.0", -1, "invalid before valid"},
    {"1.0.0.0.0", "1.0.0-foo", 1, "invalid: bytewise"},
};

TEST(VersionComposer, HandVectors) { CheckVectors(Get("composer"), kVectors); }

TEST(VersionComposer, Valid) {
  const Comparator& c = Get("composer");
  for (std::string_view v : {"1", "1.0.0", "v2.3.4.5", "1.0.0-beta.2", "1.0-RC1", "1.0.0-dev", "dev-main", "master",
                             "1.x-dev", "2.0.*-dev", "20200101", "2020-01-01-beta", "1.0.0+abc", "1.0-", "123456.1"})
    EXPECT_TRUE(c.Valid(v)) << v;
  for (std::string_view v : {"", "x", "1.0.0-foo", "1.0.0.0.0", "abc.1", "1.0 beta", "v", "1.0.0-beta-2x"})
    EXPECT_FALSE(c.Valid(v)) << v;
  EXPECT_EQ(version::ComparatorFor("Packagist"), &c);
}

std::string RandomPackagist(Rng& rng) {
  static const std::vector<std::string> kMods = {
      "-beta",      "-beta2", "-b1",     "-alpha",  "-a3",  "-RC1",   "-rc.2", "RC1", "-p1", "-pl2",  "-patch3", "-dev",
      "-beta1-dev", ".x-dev", "-stable", "-STABLE", "-foo", "+build", "@beta", "-",   ".",   "_beta", "beta.1.2"};
  std::string v;
  switch (rng.Below(12)) {
    case 0:
      return std::vector<std::string>{"dev-master", "dev-main", "master", "dev-feature/x", "trunk"}[rng.Below(5)];
    case 1:
      v = std::to_string(2000 + rng.Below(30)) + (rng.Below(2) ? "-" : "") + "0" + std::to_string(1 + rng.Below(9)) +
          "0" + std::to_string(1 + rng.Below(9));
      break;
    default: {
      if (rng.Below(4) == 0) v = "v";
      v += std::to_string(rng.Below(3));
      size_t n = rng.Below(5);
      for (size_t i = 0; i < n; ++i) v += "." + std::to_string(rng.Below(3) == 0 ? rng.Below(20) : rng.Below(2));
    }
  }
  if (rng.Below(2) == 0) v += rng.Pick(kMods);
  return v;
}

constexpr const char* kAutoload = "/usr/share/php/Composer/Semver/autoload.php";

constexpr const char* kOracle = R"(
require getenv('COMPOSER_SEMVER_AUTOLOAD');
$p = new Composer\Semver\VersionParser();
function norm($p, $v) { try { return $p->normalize($v); } catch (\Exception $e) { return null; } }
echo "php ", PHP_VERSION, "\n";
foreach (explode("\n", stream_get_contents(STDIN)) as $line) {
  if ($line === '') continue;
  [$a, $b] = explode("\t", $line);
  $x = norm($p, $a); $y = norm($p, $b);
  $c = 'x';
  if ($x !== null && $y !== null) {
    $c = (strpos($x, 'dev-') === 0 && strpos($y, 'dev-') === 0) ? 'b' : (string) version_compare($x, $y);
  }
  echo ($x !== null ? 1 : 0), " ", ($y !== null ? 1 : 0), " ", $c, "\n";
}
)";

TEST(VersionComposer, AgainstComposerSemver) {
  const Comparator& c = Get("composer");
  Rng rng(332);
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const Vector& v : kVectors) pairs.emplace_back(v.a, v.b);
  std::vector<std::string> pool;
  for (int i = 0; i < 1500; ++i) pool.push_back(RandomPackagist(rng));
  for (const auto& v : pool) {
    pairs.emplace_back(v, rng.Pick(pool));
    pairs.emplace_back(v, rng.Pick(pool));
  }
  std::vector<std::string> all;
  for (const auto& [a, b] : pairs) all.push_back(a), all.push_back(b);
  CheckTotalPreorder(c, Distinct(all));

  if (!Runs({"php", "-r", "exit(0);"}))
    GTEST_SKIP() << "php is not installed (apt-get install php-cli): oracle skipped";
  if (!std::filesystem::exists(kAutoload))
    GTEST_SKIP() << kAutoload << " is missing (apt-get install php-composer-semver): oracle skipped";
  std::string input;
  for (const auto& [a, b] : pairs) input += a + "\t" + b + "\n";
  auto lines = RunOracle({"php", "-r", kOracle}, input, {std::string("COMPOSER_SEMVER_AUTOLOAD=") + kAutoload});
  ASSERT_TRUE(lines);
  ASSERT_EQ(lines->size(), pairs.size() + 1);
  int bad = 0, compared = 0, invalid = 0;
  for (size_t i = 0; i < pairs.size(); ++i) {
    const auto& [a, b] = pairs[i];
    std::istringstream f((*lines)[i + 1]);
    int va = 0, vb = 0;
    std::string cmp;
    f >> va >> vb >> cmp;
    if (c.Valid(a) != (va == 1) && bad++ < 20) ADD_FAILURE() << "validity of \"" << a << "\": normalize() " << va;
    if (c.Valid(b) != (vb == 1) && bad++ < 20) ADD_FAILURE() << "validity of \"" << b << "\": normalize() " << vb;
    if (cmp == "x" || cmp == "b") {
      invalid += cmp == "x";
      continue;
    }
    ++compared;
    int want = std::stoi(cmp), ours = Sign(c.Compare(a, b));
    if (ours != want && bad++ < 20)
      ADD_FAILURE() << (*lines)[0] << ": \"" << a << "\" " << Rel(want) << " \"" << b << "\", we say " << Rel(ours);
  }
  EXPECT_EQ(bad, 0);
  EXPECT_GT(compared, 1500);
  EXPECT_GT(invalid, 50);
}

}  // namespace
}  // namespace customs::version_test
