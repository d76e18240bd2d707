// Maven version comparison, against Maven's own ComparableVersion: its main() compares each
// argument with the next, so one `java -cp maven-artifact.jar
// org.apache.maven.artifact.versioning.ComparableVersion a1 b1 a2 b2 ...` run answers every pair.
// The jar comes with Debian's libmaven3-core-java (/usr/share/java/maven3-artifact.jar, Maven 3.8;
// $CUSTOMS_MAVEN_ARTIFACT_JAR overrides). Without java or the jar, only the oracle part is skipped.
//
// There is no Maven advisory data in ../shared: the pairs are generated (fixed seed), both in the
// shapes versions on Maven Central have ("1.2.3", "2.0-SNAPSHOT", "5.2.1.RELEASE", "1.0-beta-2",
// "3.0.0.M1") and contrived from the pieces ComparableVersion treats specially (qualifiers and their
// aliases, single letters before digits, leading zeros, empty items, '-' and '.' and letter/digit
// changes, mixed case), each paired with a random other and with a one-piece mutation of itself.
// ComparableVersion is not transitive on contrived strings (a cycle of Maven's own is among the
// vectors), so the total preorder is checked on the Central-shaped versions only.
//
// The hand-written vectors follow ComparableVersion's documentation and were checked with Maven
// 3.8.7's ComparableVersion.
#include "version_test_util.h"

namespace customs::version_test {
namespace {

const std::vector<Vector> kVectors = {
    {"1", "1.0", 0, "trailing zeros are dropped"},
    {"1", "1.0.0", 0, "trailing zeros are dropped"},
    {"1", "1-0", 0, "a trailing -0 is dropped"},
    {"1", "1-ga", 0, "ga = release"},
    {"1", "1-final", 0, "final = release"},
    {"1", "1-release", 0, "release = release"},
    {"1", "1.0.0-GA", 0, "case-insensitive"},
    {"1-alpha", "1-beta", -1, "alpha < beta"},
    {"1-beta", "1-milestone", -1, "beta < milestone"},
    {"1-milestone", "1-rc", -1, "milestone < rc"},
    {"1-rc", "1-cr", 0, "cr = rc"},
    {"1-rc", "1-snapshot", -1, "rc < snapshot"},
    {"1-snapshot", "1", -1, "snapshot < release"},
    {"1", "1-sp", -1, "release < sp"},
    {"1-sp", "1-foo", -1, "sp < unknown qualifiers"},
    {"1-bar", "1-foo", -1, "unknown qualifiers alphabetically"},
    {"1-a1", "1-alpha-1", 0, "a followed by a digit is alpha"},
    {"1-b1", "1-beta-1", 0, "b followed by a digit is beta"},
    {"1-m1", "1-milestone-1", 0, "m followed by a digit is milestone"},
    {"1-a", "1-sp", 1, "a alone is an unknown qualifier"},
    {"1.0-alpha1", "1.0alpha1", 0, "a letter/digit change is like '-'"},
    {"1.0-SNAPSHOT", "1.0", -1, "snapshot"},
    {"1.0-rc1", "1.0-rc2", -1, "qualifier numbers"},
    {"1.0-rc-1", "1.0-rc1", 0, "same tree"},
    {"1-1", "1.1", -1, "a list is older than a number"},
    {"1-sp", "1-1", -1, "a string is older than a list"},
    {"1.1", "1-sp", 1, "a number is newer than a string"},
    {"1.0.1", "1-1", 1, "number after list"},
    {"1..1", "1.0.1", 0, "an empty item is 0"},
    {"1.2", "1.10", -1, "numerically"},
    {"1.010", "1.10", 0, "leading zeros"},
    {"1.12345678901234567890", "1.9", 1, "beyond 64 bits"},
    {"1.123456789", "1.1234567890", -1, "int and long items by value"},
    {"2.0", "2.0.0.1-alpha", -1, "a later number"},
    {"1.0.RC1", "1.0-RC1", 0, "a qualifier followed by digits opens a list: [1, [rc, [1]]] both"},
    {"1.0.foo-1", "1.0-foo-1", 1, "... but not when it is followed by '-': [1, 0, foo, [1]]"},
    {"2.sp", "2sp", 0, "a qualifier ending the string opens a list too"},
    {"1-0.1", "1", 1, "a list against nothing compares its items"},
    {"", "1", -1, "the empty version"},
    {"", "0", 0, "the empty version is 0"},
    // ComparableVersion is not transitive on contrived strings; this cycle is Maven's own.
    {"1.b_0_x", "1-0.beta00", -1, "Maven's cycle, 1/3"},
    {"1-0.beta00", "1", -1, "Maven's cycle, 2/3"},
    {"1", "1.b_0_x", -1, "Maven's cycle, 3/3"},
};

TEST(VersionMaven, HandVectors) { CheckVectors(Get("maven"), kVectors); }

TEST(VersionMaven, Valid) {
  const Comparator& c = Get("maven");
  for (std::string_view v : {"1", "1.0-SNAPSHOT", "1.2.3.Final", "2.0-rc1", "foo"}) EXPECT_TRUE(c.Valid(v)) << v;
  for (std::string_view v : {"", "1 0", "1\n"}) EXPECT_FALSE(c.Valid(v)) << v;
  EXPECT_EQ(version::ComparatorFor("Maven"), &c);
}

std::string RandomMaven(Rng& rng) {
  static const std::vector<std::string> kPieces = {
      "1",       "0",    "2",         "10",  "00", "01",   "123456789012", "alpha",    "a",  "b",
      "m",       "beta", "milestone", "rc",  "cr", "RC",   "snapshot",     "SNAPSHOT", "ga", "final",
      "release", "sp",   "foo",       "bar", "x",  "Final"};
  static const std::vector<std::string> kSeps = {".", "-", "", ".", "-", "", "_"};
  std::string v = rng.Below(8) == 0 ? "" : std::to_string(rng.Below(3));
  size_t n = rng.Below(5);
  for (size_t i = 0; i < n; ++i) v += rng.Pick(kSeps) + rng.Pick(kPieces);
  if (rng.Below(10) == 0) v += rng.Pick(kSeps);
  return v.empty() ? "1" : v;
}

// A version in a shape Maven Central has.
std::string RealisticMaven(Rng& rng) {
  static const std::vector<std::string> kQualifiers = {
      "-SNAPSHOT",   "-alpha",   "-alpha-1", "-alpha1", "-beta", "-beta-2", "-beta2",   "-M1",
      ".M2",         "-RC1",     "-rc-2",    ".RC3",    "-CR1",  ".Final",  ".FINAL",   "-GA",
      ".RELEASE",    "-release", "-SP1",     "-sp",     ".SR1",  "-jre",    "-android", "-20200101.123456-1",
      "-incubating", "-b01",     "-m3"};
  std::string v = std::to_string(rng.Below(4));
  size_t n = rng.Below(4);
  for (size_t i = 0; i < n; ++i) v += "." + std::to_string(rng.Below(3) == 0 ? rng.Below(20) : rng.Below(3));
  if (rng.Below(2) == 0) v += rng.Pick(kQualifiers);
  return v;
}

std::string Mutate(Rng& rng, const std::string& s) {
  static const std::vector<std::string> kPieces = {".0", "-0", "-1", ".1", "1", "a", "-sp", "-ga", ".rc1", "-", "."};
  std::string t = s;
  size_t pos = rng.Below(t.size() + 1);
  if (rng.Below(2) == 0) {
    t.insert(pos, rng.Pick(kPieces));
  } else if (pos < t.size()) {
    t.erase(pos, 1);
  }
  return t.empty() ? "0" : t;
}

std::string MavenJar() {
  if (const char* env = std::getenv("CUSTOMS_MAVEN_ARTIFACT_JAR")) return env;
  for (const char* p : {"/usr/share/java/maven3-artifact.jar", "/usr/share/maven/lib/maven-artifact-3.x.jar",
                        "/usr/share/java/maven-artifact.jar"})
    if (std::filesystem::exists(p)) return p;
  return "";
}

TEST(VersionMaven, AgainstComparableVersion) {
  const Comparator& c = Get("maven");
  Rng rng(387);
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const Vector& v : kVectors) pairs.emplace_back(v.a, v.b);
  std::vector<std::string> realistic, contrived;
  for (int i = 0; i < 1000; ++i) realistic.push_back(RealisticMaven(rng));
  for (int i = 0; i < 1000; ++i) contrived.push_back(RandomMaven(rng));
  for (const auto* pool : {&realistic, &contrived})
    for (const auto& v : *pool) {
      pairs.emplace_back(v, rng.Pick(*pool));
      pairs.emplace_back(v, Mutate(rng, v));
    }
  CheckTotalPreorder(c, Distinct(realistic));

  std::string jar = MavenJar();
  if (!Runs({"java", "-version"})) GTEST_SKIP() << "java is not installed: ComparableVersion comparison skipped";
  if (jar.empty())
    GTEST_SKIP() << "no maven-artifact jar (apt-get install libmaven3-core-java, or set "
                    "$CUSTOMS_MAVEN_ARTIFACT_JAR): ComparableVersion comparison skipped";
  std::vector<std::string> argv = {"java", "-cp", jar, "org.apache.maven.artifact.versioning.ComparableVersion"};
  for (const auto& [a, b] : pairs) argv.push_back(a), argv.push_back(b);
  auto lines = RunOracle(argv, "");
  ASSERT_TRUE(lines);
  // Comparison lines are "   A op B", one between each argument and the next: (a1 b1), (b1 a2), ...
  std::vector<std::string> ops;
  for (const auto& l : *lines)
    if (l.starts_with("   ")) ops.push_back(l);
  ASSERT_EQ(ops.size(), 2 * pairs.size() - 1);
  int bad = 0;
  for (size_t i = 0; i < pairs.size(); ++i) {
    const auto& [a, b] = pairs[i];
    const std::string& line = ops[2 * i];
    std::string expect_prefix = "   " + a + " ";
    ASSERT_TRUE(line.starts_with(expect_prefix)) << line;
    std::string op = line.substr(expect_prefix.size(), line.find(' ', expect_prefix.size()) - expect_prefix.size());
    int want = op == "<" ? -1 : op == ">" ? 1 : 0;
    ASSERT_TRUE(op == "<" || op == ">" || op == "==") << line;
    int ours = Sign(c.Compare(a, b));
    if (ours != want && bad++ < 20)
      ADD_FAILURE() << "ComparableVersion: \"" << a << "\" " << op << " \"" << b << "\", we say " << Rel(ours);
  }
  EXPECT_EQ(bad, 0) << "of " << pairs.size() << " pairs";
}

}  // namespace
}  // namespace customs::version_test
