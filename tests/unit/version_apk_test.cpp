// apk version comparison. There is no apk binary on Debian to ask, so the vectors are written by
// hand from apk-tools' rules (src/version.c of apk-tools 2.12+, which Alpine 3.14 onwards ship; the
// rule each vector exercises is named with it), and the order is checked for consistency on real
// data: every version of the official Alpine minirootfs databases and every fixed version of the
// Alpine secdb snapshot must parse, the comparator must be a total preorder on all of them, and a
// package's version must never go down from one Alpine release to the next.
#include <map>

#include "analyzers_test_util.h"
#include "version_test_util.h"

namespace customs::version_test {
namespace {

namespace fs = std::filesystem;

// Rules (apk-tools version.c): the first number numerically (R1); later '.' numbers numerically
// unless either has a leading zero, then as strings (R2); more numbers is newer (R3); an end or a
// later token kind is older than another kind (R4: digit < letter < suffix < suffix number < hash <
// revision < end, in grammar order, the later one older); a letter compares by character (R5);
// suffixes rank alpha < beta < pre < rc < (none) < cvs < svn < git < hg < p, and a pre-release
// suffix is older than anything else at that point (R6); suffix numbers and -rN numerically (R7);
// a token that does not parse is older than any valid continuation or the end (R8).
const std::vector<Vector> kVectors = {
    {"1.0", "1.0", 0, "identical"},
    {"1.0", "1.1", -1, "R2 numeric"},
    {"1.2", "1.10", -1, "R2 numeric, not string"},
    {"1.9", "1.10", -1, "R2 numeric"},
    {"2", "10", -1, "R1 first number numeric"},
    {"006", "1.0.0", 1, "R1: the first number is numeric even with leading zeros"},
    {"021109-r3", "3.0.0-r2", 1, "R1"},
    {"1.01", "1.1", -1, "R2 leading zero: \"01\" < \"1\" as strings"},
    {"1.0", "1.00", -1, "R2 leading zero: \"0\" is a prefix of \"00\""},
    {"1.001", "1.01", -1, "R2 leading zero: \"001\" < \"01\""},
    {"1.09", "1.1", -1, "R2 leading zero: \"09\" < \"1\""},
    {"1.10", "1.09", 1, "R2 leading zero: \"10\" > \"09\""},
    {"1.02.07", "1.02.10-r1", -1, "R2 leading zero and then numbers"},
    {"2.01.01_alpha10", "0.94", 1, "R1"},
    {"1.2", "1.2.1", -1, "R3 more numbers"},
    {"1.2.0", "1.2", 1, "R3/R4: the end is older than another number, even .0"},
    {"0.9.28.1", "0.9.28", 1, "R3"},
    {"1.2a", "1.2.1", -1, "R4: a letter where the other has a number is older"},
    {"1.2", "1.2a", -1, "R4: the end is older than a letter"},
    {"1.2a", "1.2b", -1, "R5"},
    {"0.9.8c-r1", "0.9.8d", -1, "R5 before the revision"},
    {"2.5.1-r8", "2.5.1a-r1", -1, "R4 letter newer than the revision"},
    {"1.2_alpha", "1.2_beta", -1, "R6 alpha < beta"},
    {"1.2_beta", "1.2_pre", -1, "R6 beta < pre"},
    {"1.2_pre", "1.2_rc", -1, "R6 pre < rc"},
    {"1.2_rc", "1.2", -1, "R6 rc < no suffix"},
    {"1.2", "1.2_cvs", -1, "R6 no suffix < cvs"},
    {"1.2_cvs", "1.2_svn", -1, "R6 cvs < svn"},
    {"1.2_svn", "1.2_git", -1, "R6 svn < git"},
    {"1.2_git", "1.2_hg", -1, "R6 git < hg"},
    {"1.2_hg", "1.2_p", -1, "R6 hg < p"},
    {"1.2_p1", "1.2-r5", 1, "R4: a post suffix is newer than a revision"},
    {"1.2_rc1-r3", "1.2-r0", -1, "R6: a pre-release suffix is older than anything else"},
    {"1.2_rc1", "1.2.1", -1, "R6 before R4"},
    {"1.2_p1", "1.2.1", -1, "R4: a suffix where the other has a number is older"},
    {"1.2_rc", "1.2_rc0", -1, "R4: the end is older than a suffix number"},
    {"1.2_rc1", "1.2_rc2", -1, "R7"},
    {"1.2_rc9", "1.2_rc10", -1, "R7 numeric"},
    {"1.2_p9", "1.2_p10", -1, "R7 numeric"},
    {"0.1.0_alpha_pre2", "0.1.0_alpha", -1, "R6: a second pre-release suffix"},
    {"1.2_p1", "1.2_p1_rc1", 1, "R6: a second pre-release suffix"},
    {"1.2_p1_p1", "1.2_p1", 1, "R6: a second post-release suffix"},
    {"1.0.0_pre20191002222144-r0", "1.0.0_pre20210530193627-r0", -1, "R7 beyond 32 bits"},
    {"1.2-r1", "1.2", 1, "R4: a revision is newer than the end"},
    {"1.2-r1", "1.2-r2", -1, "R7"},
    {"1.2-r9", "1.2-r10", -1, "R7 numeric"},
    {"1.2-r0", "1.2", 1, "R4: even -r0"},
    {"1.2~abc-r0", "1.2-r0", 1, "R4: a hash (apk-tools 3) where the other has the revision"},
    {"1.2~abc", "1.2~abd", -1, "hashes as strings"},
    {"20050718-r1", "2.59", 1, "R1"},
    {"1.0", "1.0bc", -1, "R4 letter, then R8 (apk-tools' test data)"},
    {"1.0bc", "1.0b", -1, "R8: the invalid rest is older than the end"},
    {"1.0-r", "1.0", -1, "R8: -r without a number"},
    {"abc", "0", -1, "R8: no leading number"},
    {"1.0bc", "1.0bd", -1, "R8, then bytewise (apk calls them equal)"},
    {"1.0_foo", "1.0", -1, "R8: unknown suffix"},
    {"23_foo", "4_beta", 1, "R1 before R8 (apk-tools' test data)"},
};

TEST(VersionApk, HandVectors) { CheckVectors(Get("apk"), kVectors); }

TEST(VersionApk, Valid) {
  const Comparator& c = Get("apk");
  for (std::string_view v : {"1", "1.2.3", "1.2.3_rc1-r0", "1.2a_p1-r3", "1.2_alpha_pre2", "1.2~abc123-r0",
                             "20240705-r0", "1.0_git20200101", "006"})
    EXPECT_TRUE(c.Valid(v)) << v;
  for (std::string_view v : {"", "v1.2", "1.2A", "1.2-3", "1.2_foo", "1.2a3", "1.2ab", "1.2-r", "1.2~XYZ", "1..2",
                             "1.2.", "1.2_rc.1", "1.2-r1-r2", "1.2 ", "-r1"})
    EXPECT_FALSE(c.Valid(v)) << v;
}

// Versions of the official minirootfs databases: {release -> {package -> version}}.
std::map<std::string, std::map<std::string, std::string>> InstalledVersions() {
  std::map<std::string, std::map<std::string, std::string>> out;
  for (const auto& [tarball, release] : analyzers_test::AlpineTarballs()) {
    auto files = analyzers_test::TarMembers(tarball, {"lib/apk/db/installed"});
    std::istringstream in(files["lib/apk/db/installed"]);
    std::string package;
    for (std::string line; std::getline(in, line);) {
      if (line.starts_with("P:")) package = line.substr(2);
      if (line.starts_with("V:")) out[release][package] = line.substr(2);
    }
  }
  return out;
}

// The fixed versions (secfixes keys) of the Alpine secdb snapshot.
std::vector<std::string> SecdbVersions() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& branch : fs::directory_iterator(SharedDir() / "vulndata" / "alpine-secdb", ec)) {
    if (!branch.is_directory()) continue;
    for (std::string_view repo : {"main.yaml", "community.yaml"}) {
      auto text = analyzers_test::ReadFile((branch.path() / repo).string());
      if (!text) continue;
      std::istringstream in(*text);
      bool in_secfixes = false;
      for (std::string line; std::getline(in, line);) {
        std::string_view t = version::detail::Trim(line);
        if (t == "secfixes:") {
          in_secfixes = true;
        } else if (t.starts_with("- pkg:") || t.starts_with("pkg:")) {
          in_secfixes = false;
        } else if (in_secfixes && t.ends_with(":") && !t.starts_with("-")) {
          std::string key(t.substr(0, t.size() - 1));
          if (key.size() >= 2 && (key.front() == '"' || key.front() == '\'')) key = key.substr(1, key.size() - 2);
          out.push_back(key);
        }
      }
    }
  }
  return out;
}

TEST(VersionApk, RealDataParsesAndIsTotallyOrdered) {
  const Comparator& c = Get("apk");
  auto installed = InstalledVersions();
  std::vector<std::string> secdb = SecdbVersions();
  if (installed.empty() && secdb.empty()) GTEST_SKIP() << "no Alpine data in " << SharedDir();
  std::vector<std::string> all;
  for (const auto& [release, pkgs] : installed)
    for (const auto& [name, v] : pkgs) {
      EXPECT_TRUE(c.Valid(v)) << release << ": " << name << " " << v;
      all.push_back(v);
    }
  size_t from_images = all.size();
  EXPECT_GT(from_images, 100u);
  EXPECT_GT(secdb.size(), 1000u);
  // The secdb has a handful of typos that apk itself rejects ("1.7.5.-r1", "2.7.16-33",
  // "6.6.2p1-r0"); they must stay a handful, and still be ordered.
  std::vector<std::string> invalid;
  for (const auto& v : Distinct(secdb))
    if (!c.Valid(v)) invalid.push_back(v);
  EXPECT_LT(invalid.size(), 30u);
  EXPECT_TRUE(std::find(invalid.begin(), invalid.end(), "1.7.5.-r1") != invalid.end() || secdb.empty());
  all.insert(all.end(), secdb.begin(), secdb.end());
  all = Distinct(all);
  std::vector<std::string> sorted = CheckTotalPreorder(c, all);
  ASSERT_FALSE(sorted.empty());
  EXPECT_EQ(sorted.front(), "0") << "\"0\" (the secdb's never-affected marker) is the oldest version";
}

// Across the minirootfs releases in release order, no package's version goes down.
TEST(VersionApk, UpgradesAcrossReleasesNeverGoDown) {
  const Comparator& c = Get("apk");
  auto installed = InstalledVersions();
  if (installed.size() < 2) GTEST_SKIP() << "fewer than two Alpine minirootfs in " << SharedDir();
  std::vector<std::string> releases;
  for (const auto& [release, pkgs] : installed) releases.push_back(release);
  // Release names are versions too ("3.9.6" < "3.10.9"): order them with the comparator itself.
  std::sort(releases.begin(), releases.end(),
            [&c](const std::string& a, const std::string& b) { return c.Compare(a, b) < 0; });
  EXPECT_EQ(releases.front(), "3.6.5");
  size_t checked = 0, increased = 0;
  for (size_t i = 0; i + 1 < releases.size(); ++i) {
    for (const auto& [name, old_version] : installed[releases[i]]) {
      auto it = installed[releases[i + 1]].find(name);
      if (it == installed[releases[i + 1]].end()) continue;
      ++checked;
      int cmp = c.Compare(old_version, it->second);
      EXPECT_LE(cmp, 0) << name << " " << old_version << " (" << releases[i] << ") vs " << it->second << " ("
                        << releases[i + 1] << ")";
      increased += cmp < 0;
    }
  }
  EXPECT_GT(checked, 50u);
  EXPECT_GT(increased, checked / 2);
}

}  // namespace
}  // namespace customs::version_test
