// PEP 440 version comparison, against packaging.version.Version, the implementation pip uses
// (pip's vendored pip._vendor.packaging, or a standalone packaging), run in one python3 process.
// Without python3 or packaging (Debian: python3-pip), only the oracle part is skipped.
//
// Real data: every version of the PyPA advisory snapshot (../shared/vulndata/osv-pypi: affected
// ranges' introduced/fixed/last_affected and the versions lists). The comparator must be a total
// preorder on them; validity must match Version() for every one; they are sorted and packaging
// checks every neighbour pair (agreeing on all neighbours of a list sorted by us means agreeing on
// every pair of it, packaging's order being total), plus random pairs and generated spellings.
//
// The hand-written vectors were checked with packaging 21.3 (pip 23's vendored copy).
#include "version_test_util.h"

namespace customs::version_test {
namespace {

namespace fs = std::filesystem;

const std::vector<Vector> kVectors = {
    {"1.0.0a1", "1.0a1", 0, "trailing zeros of the release do not count"},
    {"1.0-post1", "1.0.post1", 0, "normalization of the post separator"},
    {"1", "1.0.0", 0, "trailing zeros"},
    {"v1.0", "1.0", 0, "leading v"},
    {" 1.0  ", "1.0", 0, "surrounding spaces"},
    {"1.0ALPHA1", "1.0a1", 0, "case, alpha = a"},
    {"1.0beta2", "1.0b2", 0, "beta = b"},
    {"1.0c1", "1.0rc1", 0, "c = rc"},
    {"1.0pre1", "1.0rc1", 0, "pre = rc"},
    {"1.0preview1", "1.0rc1", 0, "preview = rc"},
    {"1.0a", "1.0a0", 0, "implicit pre-release number"},
    {"1.0-a.1", "1.0a1", 0, "separators around the pre-release"},
    {"1.0-1", "1.0.post1", 0, "bare -N is a post-release"},
    {"1.0r1", "1.0.post1", 0, "r = post"},
    {"1.0rev1", "1.0.post1", 0, "rev = post"},
    {"1.0.post", "1.0.post0", 0, "implicit post number"},
    {"1.0-dev", "1.0.dev0", 0, "implicit dev number"},
    {"1.0a-1", "1.0a1", 0, "a '-' after the pre-release letter is a separator"},
    {"1.0+AbC.1", "1.0+abc-1", 0, "local: case and separators"},
    {"1.0.dev0", "1.0a0", -1, "a dev release of the final is before its pre-releases"},
    {"1.0a0", "1.0a1", -1, "pre-release numbers"},
    {"1.0a1", "1.0b1", -1, "a < b"},
    {"1.0b1", "1.0rc1", -1, "b < rc"},
    {"1.0rc1", "1.0", -1, "pre-release before the release"},
    {"1.0", "1.0.post0", -1, "post-release after the release"},
    {"1.0a1.dev1", "1.0a1", -1, "a dev release of a pre-release"},
    {"1.0a1.post1", "1.0a2", -1, "post-release of a pre-release"},
    {"1.0.post1.dev0", "1.0.post1", -1, "dev release of a post-release"},
    {"1.0", "1.0.post1.dev0", -1, "any post-release is after the release"},
    {"1.0.dev1", "1.0.dev2", -1, "dev numbers"},
    {"1.0", "1.0+local", -1, "a local version is newer"},
    {"1.0+abc", "1.0+1", -1, "local: alphanumeric parts before numeric ones"},
    {"1.0+1", "1.0+1.a", -1, "local: a longer list is newer"},
    {"1.0+2", "1.0+10", -1, "local: numeric parts numerically"},
    {"1!0.1", "2.0", 1, "the epoch first"},
    {"0!1.0", "1.0", 0, "epoch 0"},
    {"1.2", "1.10", -1, "release numerically"},
    {"1.0.0.0.0.1", "1.0.1", -1, "long releases"},
    {"1.99999999999999999999", "1.100000000000000000000", -1, "numbers beyond 64 bits"},
    {"1.0-foo", "0", -1, "invalid before valid"},
    {"french toast", "1.0-foo", 1, "invalid: bytewise"},
};

TEST(VersionPep440, HandVectors) { CheckVectors(Get("pep440"), kVectors); }

TEST(VersionPep440, Valid) {
  const Comparator& c = Get("pep440");
  for (std::string_view v : {"0", "1.0", "1!2.0.post3.dev4+loc.5", "1.0a", "1.0-1", "v1.0", " 1.0 ", "1.0.DEV", "1.0a-",
                             "1.0_rc_1", "2012.10", "1.0+ubuntu-1"})
    EXPECT_TRUE(c.Valid(v)) << v;
  for (std::string_view v : {"", "1.0-", "1.0.", ".1", "1..0", "1.0foo", "1.0+", "1.0+a..b", "1!", "a1.0", "1.0 a1",
                             "1.0-1-1", "1.0al", "1.0prev"})
    EXPECT_FALSE(c.Valid(v)) << v;
  EXPECT_EQ(version::ComparatorFor("PyPI"), &c);
}

std::vector<std::string> PypiVersions() {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(SharedDir() / "vulndata" / "osv-pypi", ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (it->path().extension() != ".yaml") continue;
    auto text = Slurp(it->path());
    if (!text) continue;
    std::istringstream in(*text);
    bool in_versions = false;
    for (std::string line; std::getline(in, line);) {
      std::string_view t = version::detail::Trim(line);
      std::string value;
      if (t == "versions:") {
        in_versions = true;
        continue;
      }
      if (!t.starts_with("- ")) {
        in_versions = false;
        for (std::string_view key : {"- introduced: ", "- fixed: ", "- last_affected: "})
          if (t.starts_with(key)) value = std::string(t.substr(key.size()));
      } else {
        for (std::string_view key : {"- introduced: ", "- fixed: ", "- last_affected: "})
          if (t.starts_with(key)) value = std::string(t.substr(key.size()));
        if (value.empty() && in_versions) value = std::string(t.substr(2));
      }
      if (value.empty()) continue;
      if (value.size() >= 2 && (value.front() == '"' || value.front() == '\''))
        value = value.substr(1, value.size() - 2);
      bool git = value.size() == 40 && value.find_first_not_of("0123456789abcdef") == std::string::npos;
      if (!git) out.push_back(value);
    }
  }
  return out;
}

constexpr const char* kOracle = R"(
import sys
try:
    from pip._vendor.packaging.version import Version, InvalidVersion
    import pip._vendor.packaging as pkg
except ImportError:
    from packaging.version import Version, InvalidVersion
    import packaging as pkg
print("packaging", pkg.__version__)
def parse(s):
    try:
        return Version(s)
    except InvalidVersion:
        return None
for line in sys.stdin.read().split("\n"):
    if not line:
        continue
    a, b = line.split("\t")
    x, y = parse(a), parse(b)
    c = "x" if x is None or y is None else str((x > y) - (x < y))
    print(int(x is not None), int(y is not None), c)
)";

std::string PythonMissing() {
  if (!Runs({"python3", "-c", "import sys"})) return "python3 is not installed";
  if (!Runs({"python3", "-c", "import pip._vendor.packaging.version"}) &&
      !Runs({"python3", "-c", "import packaging.version"}))
    return "python3 has neither pip's vendored packaging nor packaging (apt-get install python3-pip)";
  return "";
}

TEST(VersionPep440, AgainstPackaging) {
  const Comparator& c = Get("pep440");
  std::vector<std::string> real = Distinct(PypiVersions());
  if (real.empty()) GTEST_SKIP() << "no osv-pypi data in " << SharedDir();
  EXPECT_GT(real.size(), 1500u);
  std::vector<std::string> sorted = CheckTotalPreorder(c, real);

  // The pairs: neighbours of the sorted real data, random real pairs, hand vectors, and generated
  // spellings with their normalized twins.
  std::vector<std::pair<std::string, std::string>> pairs;
  for (size_t i = 0; i + 1 < sorted.size(); ++i) pairs.emplace_back(sorted[i], sorted[i + 1]);
  Rng rng(440);
  for (size_t i = 0; i < 1500; ++i) pairs.emplace_back(rng.Pick(real), rng.Pick(real));
  for (const Vector& v : kVectors) pairs.emplace_back(v.a, v.b);
  static const std::vector<std::string> kParts = {
      "",  "a", "b", "rc", "c",    "alpha", "beta", "pre", "preview", "post", "rev", "r", "dev",  "-",  ".",
      "_", "1", "0", "12", "+loc", "+1.a",  "!",    "v",   "A",       "..",   "+",   " ", "POST", "Dev"};
  for (size_t i = 0; i < 2000; ++i) {
    std::string a = std::to_string(rng.Below(3)) + (rng.Below(2) ? "." + std::to_string(rng.Below(11)) : "");
    size_t n = rng.Below(5);
    for (size_t k = 0; k < n; ++k) a += rng.Pick(kParts);
    std::string b = std::to_string(rng.Below(3)) + "." + std::to_string(rng.Below(2));
    n = rng.Below(4);
    for (size_t k = 0; k < n; ++k) b += rng.Pick(kParts);
    pairs.emplace_back(a, b);
  }
  std::vector<std::string> all;
  for (const auto& [a, b] : pairs) all.push_back(a), all.push_back(b);
  CheckTotalPreorder(c, Distinct(all));

  std::string why = PythonMissing();
  if (!why.empty()) GTEST_SKIP() << why << ": packaging comparison skipped (vectors and order properties checked)";
  std::string input;
  for (const auto& [a, b] : pairs) input += a + "\t" + b + "\n";
  auto lines = RunOracle({"python3", "-c", kOracle}, input);
  ASSERT_TRUE(lines);
  ASSERT_EQ(lines->size(), pairs.size() + 1);
  int bad = 0, compared = 0, invalid = 0;
  for (size_t i = 0; i < pairs.size(); ++i) {
    const auto& [a, b] = pairs[i];
    std::istringstream f((*lines)[i + 1]);
    int va = 0, vb = 0;
    std::string cmp;
    f >> va >> vb >> cmp;
    if (c.Valid(a) != (va == 1) && bad++ < 20) ADD_FAILURE() << "validity of \"" << a << "\": packaging " << va;
    if (c.Valid(b) != (vb == 1) && bad++ < 20) ADD_FAILURE() << "validity of \"" << b << "\": packaging " << vb;
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
  EXPECT_GT(compared, 3000);
  EXPECT_GT(invalid, 200);
}

}  // namespace
}  // namespace customs::version_test
