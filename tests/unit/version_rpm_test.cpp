// rpm version comparison, against rpm itself: one `rpm --eval '%{lua: ...}'` run compares a few
// thousand pairs with rpm's Lua API, rpm.vercmp (rpmvercmp, for version strings) and rpm.ver
// (rpmverCmp, for epoch:version-release strings).
//
// There is no RPM data in ../shared, so the pairs are generated (fixed seed): RHEL-like EVRs
// ("2:1.8.0-3.el9_2", "~rc", "^git" snapshots) and random strings over digits, letters and the
// separators rpm treats specially, each paired with a random other and with a one-character
// mutation of itself (the pairs that compare deep into the strings). The comparator must be a total
// preorder on all of them.
//
// The hand-written vectors below were checked with rpm 4.18's rpm.ver; when rpm is installed the
// test checks them with it again.
#include <fstream>

#include "version_test_util.h"

namespace customs::version_test {
namespace {

namespace fs = std::filesystem;

const std::vector<Vector> kVectors = {
    {"1.0", "1.0", 0, "identical"},
    {"1.0", "1.0.0", -1, "more segments"},
    {"1.0", "1_0", 0, "separators do not matter"},
    {"1.0", "1..0", 0, "separators do not matter"},
    {"1.2", "1.10", -1, "numeric segments"},
    {"1.0010", "1.9", 1, "leading zeros: 10 > 9"},
    {"1.05", "1.5", 0, "leading zeros"},
    {"1.0a", "1.0.1", -1, "a letter segment is older than a digit segment"},
    {"1.0a", "1.0", 1, "more segments"},
    {"1.0A", "1.0a", -1, "letters bytewise"},
    {"1.0~rc1", "1.0", -1, "~ before the end"},
    {"1.0~rc1", "1.0~rc2", -1, "~ then segments"},
    {"1.0~~", "1.0~", -1, "~~ before ~"},
    {"1.0^git1", "1.0", 1, "^ after the end"},
    {"1.0^git1", "1.0.1", -1, "^ before another segment"},
    {"1.0^git1", "1.0~rc1", 1, "^ after ~"},
    {"1.0^", "1.0", 1, "^ after the end"},
    {"1.0~rc1^git1", "1.0~rc1", 1, "^ after ~rc1"},
    {"2.0.1-1.el9", "2.0.1-1.el9_2", -1, "release segments"},
    {"2.0.1-2.el9", "2.0.1-10.el9", -1, "release numerically"},
    {"1:1.0-1", "2.0-1", 1, "the epoch first"},
    {"0:2.0-1", "2.0-1", 0, "an absent epoch is 0"},
    {"10:1-1", "9:2-2", 1, "epochs numerically"},
    {"2.0", "2.0-1", -1, "no release is older than any release (rpm.ver)"},
    {"2.0", "2.0-~1", -1, "no release is older than any release, even one starting with ~"},
    {"2.0-1", "2.0-1~beta", 1, "~ in the release"},
    {"2.0-", "2.0", 1, "an empty release is still a release"},
    {"2.0-~", "2.0-", -1, "~ before the end of the release"},
    {"1.0-1", "1.0.1", -1, "the release is not part of the version"},
    {"a:1.0", "1.0", -1, "a non-numeric 'epoch' is part of the version, and letters are older than digits"},
    {"1.99999999999999999999", "1.100000000000000000000", -1, "numbers beyond 64 bits"},
    {"", "0", -1, "the empty version is older than anything"},
};

TEST(VersionRpm, HandVectors) { CheckVectors(Get("rpm"), kVectors); }

TEST(VersionRpm, Valid) {
  const Comparator& c = Get("rpm");
  for (std::string_view v : {"1", "1.0", "1:1.0-1", "2.0.1-1.el9_2", "1.0~rc1^git2-3", "0:1.0", "1.0+b1"})
    EXPECT_TRUE(c.Valid(v)) << v;
  for (std::string_view v : {"", "1.0-", "-1", "a:1.0", "1.0 1", "1.0-1-2", "1.0/1", "1:"})
    EXPECT_FALSE(c.Valid(v)) << v;
}

std::string Piece(Rng& rng, size_t max_len) {
  static constexpr std::string_view kAlphabet = "0123456789012345678901234567890123456789abczABZ......~~~^^^_+";
  std::string s;
  size_t len = 1 + rng.Below(max_len);
  for (size_t i = 0; i < len; ++i) s.push_back(kAlphabet[rng.Below(kAlphabet.size())]);
  return s;
}

std::string RhelLike(Rng& rng) {
  std::string v;
  if (rng.Below(5) == 0) v += std::to_string(rng.Below(3)) + ":";
  v += std::to_string(rng.Below(4)) + "." + std::to_string(rng.Below(12));
  if (rng.Below(2)) v += "." + std::to_string(rng.Below(30));
  if (rng.Below(6) == 0)
    v += std::vector<std::string>{"~rc1", "~rc2", "~beta", "^20230101git1a2b", "a", "p1"}[rng.Below(6)];
  if (rng.Below(8) != 0) {
    v += "-" + std::to_string(1 + rng.Below(12));
    if (rng.Below(2))
      v += "." + std::vector<std::string>{"el8", "el9", "el9_2", "el9_3", "fc38", "module+el8.9.0+19"}[rng.Below(6)];
    if (rng.Below(4) == 0) v += "." + std::to_string(rng.Below(5));
  }
  return v;
}

std::string Mutate(Rng& rng, std::string s) {
  static constexpr std::string_view kChars = "0129az.~^_-:";
  size_t pos = rng.Below(s.size() + 1);
  switch (rng.Below(3)) {
    case 0:
      s.insert(s.begin() + static_cast<std::ptrdiff_t>(pos), kChars[rng.Below(kChars.size())]);
      break;
    case 1:
      if (pos < s.size()) s[pos] = kChars[rng.Below(kChars.size())];
      break;
    default:
      if (pos < s.size()) s.erase(pos, 1);
      break;
  }
  return s.empty() ? "0" : s;
}

struct Pair {
  std::string a, b;
  bool evr;  // compare with rpm.ver (epoch:version-release), else rpm.vercmp (plain strings)
};

std::vector<Pair> GeneratePairs() {
  Rng rng(4180);
  std::vector<Pair> pairs;
  std::vector<std::string> evrs, plains;
  for (int i = 0; i < 700; ++i) evrs.push_back(RhelLike(rng));
  for (int i = 0; i < 300; ++i) {
    // EVRs of random pieces.
    std::string v;
    if (rng.Below(4) == 0) v += std::to_string(rng.Below(3)) + ":";
    v += Piece(rng, 8);
    if (rng.Below(2)) v += "-" + Piece(rng, 6);
    evrs.push_back(v);
  }
  for (int i = 0; i < 800; ++i) plains.push_back(Piece(rng, 10));
  for (const auto& v : evrs) {
    pairs.push_back({v, rng.Pick(evrs), true});
    pairs.push_back({v, Mutate(rng, v), true});
  }
  for (const auto& v : plains) {
    pairs.push_back({v, rng.Pick(plains), false});
    std::string m = Mutate(rng, v);
    if (m.find_first_of("-:") == std::string::npos) pairs.push_back({v, m, false});
  }
  return pairs;
}

bool HaveRpm() { return Runs({"rpm", "--eval", "%{lua: print(rpm.vercmp('1', '2'))}"}); }

// sign of rpm's comparison for each pair, or nullopt when rpm failed.
std::optional<std::vector<int>> AskRpm(const std::vector<Pair>& pairs) {
  customs_test::TempDir dir("customs-rpm-oracle");
  const std::string in = dir / "pairs.txt";
  {
    std::ofstream f(in);
    for (const auto& p : pairs) f << (p.evr ? "e" : "v") << '\t' << p.a << '\t' << p.b << '\n';
  }
  std::string lua =
      "%{lua: for line in io.lines('" + in +
      "') do "
      "local m, a, b = line:match('^(.)\\t(.-)\\t(.*)$') "
      "local r "
      "if m == 'v' then r = rpm.vercmp(a, b) "
      "else local x, y = rpm.ver(a), rpm.ver(b); if x < y then r = -1 elseif y < x then r = 1 else r = 0 end end "
      "print(r) print('\\n') end }";
  auto lines = RunOracle({"rpm", "--eval", lua}, "");
  if (!lines) return std::nullopt;
  std::vector<int> out;
  for (const auto& l : *lines)
    if (!l.empty()) out.push_back(Sign(std::stoi(l)));
  if (out.size() != pairs.size()) {
    ADD_FAILURE() << "rpm answered " << out.size() << " of " << pairs.size();
    return std::nullopt;
  }
  return out;
}

TEST(VersionRpm, HandVectorsAgainstRpm) {
  if (!HaveRpm()) GTEST_SKIP() << "rpm is not installed: oracle check of the hand vectors skipped";
  std::vector<Pair> pairs;
  for (const Vector& v : kVectors)
    if (!v.a.empty() && !v.b.empty()) pairs.push_back({std::string(v.a), std::string(v.b), true});
  auto answers = AskRpm(pairs);
  ASSERT_TRUE(answers);
  for (size_t i = 0, k = 0; i < kVectors.size(); ++i) {
    if (kVectors[i].a.empty() || kVectors[i].b.empty()) continue;
    EXPECT_EQ((*answers)[k], kVectors[i].want) << "rpm: " << kVectors[i].a << " vs " << kVectors[i].b;
    ++k;
  }
}

TEST(VersionRpm, GeneratedAgainstRpm) {
  const Comparator& c = Get("rpm");
  std::vector<Pair> pairs = GeneratePairs();
  std::vector<std::string> all;
  for (const auto& p : pairs) all.push_back(p.a), all.push_back(p.b);
  CheckTotalPreorder(c, Distinct(all));
  if (!HaveRpm()) GTEST_SKIP() << "rpm is not installed: oracle check skipped (order properties checked)";
  auto answers = AskRpm(pairs);
  ASSERT_TRUE(answers);
  int bad = 0, less = 0, equal = 0;
  for (size_t i = 0; i < pairs.size(); ++i) {
    int ours = Sign(c.Compare(pairs[i].a, pairs[i].b));
    less += (*answers)[i] < 0;
    equal += (*answers)[i] == 0;
    if (ours != (*answers)[i] && bad++ < 20)
      ADD_FAILURE() << "rpm " << (pairs[i].evr ? "rpm.ver" : "rpm.vercmp") << ": \"" << pairs[i].a << "\" "
                    << Rel((*answers)[i]) << " \"" << pairs[i].b << "\", we say " << Rel(ours);
  }
  EXPECT_EQ(bad, 0) << "of " << pairs.size() << " pairs";
  EXPECT_GT(less, 500);
  EXPECT_GT(equal, 20);
}

}  // namespace
}  // namespace customs::version_test
