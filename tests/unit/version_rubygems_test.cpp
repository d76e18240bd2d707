// RubyGems version comparison, against Gem::Version itself: one `ruby -e` run answers every pair
// (Gem::Version.correct? and <=>). Ruby comes with Debian's ruby package; without it only the
// oracle part is skipped.
//
// There is no RubyGems advisory data in ../shared: the pairs are generated (fixed seed) in the
// shapes gems use ("1.2.3", "2.0.0.rc1", "1.0.0.pre.beta.2", "4.2.11.1", "1.0.0-x86") and near
// misses ("1..2", "1.0-", "v1.0", spaces), each paired with a random other and with a close
// relative. The comparator must be a total preorder on all of them.
//
// The hand-written vectors follow Gem::Version's documentation and were checked with RubyGems
// 3.3 (Ruby 3.1).
#include "version_test_util.h"

namespace customs::version_test {
namespace {

const std::vector<Vector> kVectors = {
    {"1.0", "1", 0, "trailing zeros"},
    {"1.0.0", "1", 0, "trailing zeros"},
    {"1.9.3", "1.10.0", -1, "numerically"},
    {"1.0.a", "1.0", -1, "a letter makes a pre-release"},
    {"1.0.a", "1.a", 0, "trailing zeros before the first letter are dropped too"},
    {"1.0.a2", "1.0.b1", -1, "letters bytewise"},
    {"1.0.0.pre", "1.0.0", -1, "pre-release"},
    {"1.0.0-rc1", "1.0.0.pre.rc1", 0, "'-' is .pre."},
    {"2.0.0.rc1", "2.0.0.rc2", -1, "pre-release numbers"},
    {"2.0.0.rc2", "2.0.0", -1, "pre-release before the release"},
    {"1.A", "1.a", -1, "letters bytewise: A < a"},
    {"1.a", "1.0.1", -1, "a string segment is older than a number"},
    {"1.0.0.1", "1.0.1", -1, "longer"},
    {"1.a.0", "1.a", 0, "trailing zeros of the string part"},
    {"1.0rc1", "1.0.rc.1", 0, "segments are runs of digits or letters"},
    {"", "0", 0, "the blank version is 0"},
    {" 1.0\n", "1", 0, "surrounding whitespace"},
    {"1.99999999999999999999", "1.100000000000000000000", -1, "numbers beyond 64 bits"},
    {"1.0-", "0", -1, "invalid before valid"},
    {"junk", "1.0-", 1, "invalid: bytewise"},
};

TEST(VersionRubygems, HandVectors) { CheckVectors(Get("rubygems"), kVectors); }

TEST(VersionRubygems, Valid) {
  const Comparator& c = Get("rubygems");
  for (std::string_view v : {"", "  ", "0", "1.2.3", "1.0.a", "1.0.0-rc1", "1.0.0-x86-mingw", "1.0--", "1.a.b.c",
                             " 1.0 ", "1.0rc1", "1.0-a.b"})
    EXPECT_TRUE(c.Valid(v)) << v;
  for (std::string_view v : {"1.0-", "1..0", "v1.0", "a1", "1.0 .1", "1.0_1", "1.", ".1", "1.0-a..b", "-1", "1a"})
    EXPECT_FALSE(c.Valid(v)) << v;
  EXPECT_EQ(version::ComparatorFor("RubyGems"), &c);
}

std::string RandomGem(Rng& rng) {
  static const std::vector<std::string> kSegments = {"0",   "1",   "2",    "3",     "10", "11", "00",  "a",   "b", "rc",
                                                     "rc1", "pre", "beta", "alpha", "A",  "0a", "1b2", "x86", "z"};
  static const std::vector<std::string> kDashParts = {"x86", "rc1", "mingw", "1", "a-b", "-", "java"};
  std::string v = std::to_string(rng.Below(3));
  size_t n = rng.Below(4);
  for (size_t i = 0; i < n; ++i) v += "." + rng.Pick(kSegments);
  if (rng.Below(6) == 0) v += "-" + rng.Pick(kDashParts) + (rng.Below(2) ? "." + rng.Pick(kDashParts) : "");
  switch (rng.Below(25)) {
    case 0:
      v += "-";
      break;
    case 1:
      v = "v" + v;
      break;
    case 2:
      v = " " + v + " ";
      break;
    case 3:
      v += "..";
      break;
    case 4:
      v = "";
      break;
    case 5:
      v += "_1";
      break;
    default:
      break;
  }
  return v;
}

constexpr const char* kOracle = R"(
puts "rubygems #{Gem::VERSION}"
STDIN.read.split("\n", -1).each do |line|
  next if line.empty?
  a, b = line.split("\t", -1)
  va = Gem::Version.correct?(a) ? true : false
  vb = Gem::Version.correct?(b) ? true : false
  c = (va && vb) ? (Gem::Version.new(a) <=> Gem::Version.new(b)).to_s : "x"
  puts "#{va ? 1 : 0} #{vb ? 1 : 0} #{c}"
end
)";

TEST(VersionRubygems, AgainstGemVersion) {
  const Comparator& c = Get("rubygems");
  Rng rng(33);
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const Vector& v : kVectors)
    if (v.a.find('\n') == std::string_view::npos) pairs.emplace_back(v.a, v.b);
  std::vector<std::string> pool;
  for (int i = 0; i < 1500; ++i) pool.push_back(RandomGem(rng));
  for (const auto& v : pool) {
    pairs.emplace_back(v, rng.Pick(pool));
    pairs.emplace_back(v, v + rng.Pick(std::vector<std::string>{".0", ".a", ".1", "-1", ".pre", "0"}));
  }
  std::vector<std::string> all;
  for (const auto& [a, b] : pairs) all.push_back(a), all.push_back(b);
  CheckTotalPreorder(c, Distinct(all));

  if (!Runs({"ruby", "-e", "exit 0"}))
    GTEST_SKIP() << "ruby is not installed (apt-get install ruby): Gem::Version comparison skipped";
  std::string input;
  for (const auto& [a, b] : pairs) input += a + "\t" + b + "\n";
  auto lines = RunOracle({"ruby", "-e", kOracle}, input);
  ASSERT_TRUE(lines);
  ASSERT_EQ(lines->size(), pairs.size() + 1);
  int bad = 0, compared = 0, invalid = 0;
  for (size_t i = 0; i < pairs.size(); ++i) {
    const auto& [a, b] = pairs[i];
    std::istringstream f((*lines)[i + 1]);
    int va = 0, vb = 0;
    std::string cmp;
    f >> va >> vb >> cmp;
    if (c.Valid(a) != (va == 1) && bad++ < 20) ADD_FAILURE() << "validity of \"" << a << "\": Gem::Version " << va;
    if (c.Valid(b) != (vb == 1) && bad++ < 20) ADD_FAILURE() << "validity of \"" << b << "\": Gem::Version " << vb;
    if (cmp == "x") {
      ++invalid;
      continue;
    }
    ++compared;
    int want = std::stoi(cmp), ours = Sign(c.Compare(a, b));
    if (ours != want && bad++ < 20)
      ADD_FAILURE() << (*lines)[0] << ": \"" << a << "\" " << Rel(want) << " \"" << b << "\", we say " << Rel(ours);
  }
  EXPECT_EQ(bad, 0);
  EXPECT_GT(compared, 2000);
  EXPECT_GT(invalid, 50);
}

}  // namespace
}  // namespace customs::version_test
