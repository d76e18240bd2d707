// Go module version comparison, against Go's own golang.org/x/mod/semver: the test compiles a
// tiny Go program (GOPATH mode, Debian's golang-go and golang-golang-x-mod-dev, which put the
// package in /usr/share/gocode) and runs it once over every pair. Without go or the package, only
// the oracle part is skipped.
//
// Real data: every version of the Go vulnerability database snapshot (../shared/vulndata/osv-go),
// written there without the "v" (which this comparator accepts, as OSV needs). They must all be
// valid and totally ordered; they are sorted and Go checks every neighbour pair (agreeing on all
// neighbours of a list sorted by us means agreeing on every pair, Go's order being total), plus
// random pairs and generated near misses. Go gets each string with a "v" added when it has none.
// x/mod/semver calls any two invalid strings equal, where we order them bytewise: such pairs are
// not compared.
//
// The hand-written vectors follow the Go modules reference (go.dev/ref/mod, "Versions" and
// "Pseudo-versions") and were checked with x/mod/semver 0.7.
#include "version_test_util.h"

namespace customs::version_test {
namespace {

const std::vector<Vector> kVectors = {
    {"v1.2.3", "v1.10.0", -1, "numbers numerically"},
    {"v1", "v1.0.0", 0, "v1 is shorthand for v1.0.0"},
    {"v1.2", "v1.2.0", 0, "v1.2 is shorthand for v1.2.0"},
    {"v1.0.0-alpha", "v1.0.0", -1, "a pre-release is older"},
    {"v1.0.0-alpha.1", "v1.0.0-alpha.beta", -1, "numeric identifiers before alphanumeric"},
    {"v1.0.0-beta.2", "v1.0.0-beta.11", -1, "numeric identifiers numerically"},
    {"v0.0.0-20191109021931-daa7c04131f5", "v0.0.0-20200101000000-aaaaaaaaaaaa", -1, "pseudo-versions by timestamp"},
    {"v0.0.0-20191109021931-daa7c04131f5", "v0.0.1", -1, "a vX.0.0 pseudo-version is before vX.0.1"},
    {"v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.3", 1, "a vX.Y.(Z+1)-0 pseudo-version is after vX.Y.Z"},
    {"v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4", -1, "... and before vX.Y.(Z+1)"},
    {"v1.2.3-pre.0.20191109021931-daa7c04131f5", "v1.2.3-pre", 1, "a pre-release pseudo-version is after its base"},
    {"v2.0.0+incompatible", "v2.0.0", 0, "build metadata (+incompatible) is ignored"},
    {"v2.0.0+incompatible", "v2.0.1", -1, "build metadata is ignored"},
    {"1.2.3", "v1.2.3", 0, "OSV writes Go versions without the v"},
    {"0", "v0.0.0", 0, "OSV's introduced \"0\""},
    {"0", "0.0.0-20191109021931-daa7c04131f5", 1, "\"0\" is v0.0.0, after its pseudo-versions"},
    {"v1.2.3.4", "v0.0.0", -1, "four numbers: invalid, before valid"},
    {"v01.2.3", "v0.0.0", -1, "leading zero: invalid"},
    {"v1.2-pre", "v0.0.0", -1, "a pre-release needs three numbers: invalid"},
    {"v1.2.3-01", "v0.0.0", -1, "numeric identifier with a leading zero: invalid"},
    {"", "v0.0.0", -1, "empty: invalid"},
};

TEST(VersionGo, HandVectors) { CheckVectors(Get("go"), kVectors); }

TEST(VersionGo, Valid) {
  const Comparator& c = Get("go");
  for (std::string_view v : {"v1", "v1.2", "v1.2.3", "1.2.3", "0", "v0.0.0-20191109021931-daa7c04131f5",
                             "v2.0.0+incompatible", "v1.2.3-rc.1+build.2", "v1.2.3-0a"})
    EXPECT_TRUE(c.Valid(v)) << v;
  for (std::string_view v : {"", "v", "vv1", "v1.", "v1.2.", "v1-pre", "v1.2+b", "v01", "v1.02", "v1.2.3-", "v1.2.3+",
                             "v1.2.3-a..b", "V1.2.3", " v1.2.3", "v1.2.3.4"})
    EXPECT_FALSE(c.Valid(v)) << v;
  EXPECT_EQ(version::ComparatorFor("Go"), &c);
}

constexpr const char* kOracleSource = R"(package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"golang.org/x/mod/semver"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		f := strings.SplitN(in.Text(), "\t", 2)
		if len(f) != 2 {
			continue
		}
		va, vb := 0, 0
		if semver.IsValid(f[0]) {
			va = 1
		}
		if semver.IsValid(f[1]) {
			vb = 1
		}
		fmt.Fprintf(out, "%d %d %d\n", va, vb, semver.Compare(f[0], f[1]))
	}
}
)";

constexpr const char* kGopath = "/usr/share/gocode";

// Builds the oracle into `dir`; empty on success, else why it cannot run.
std::string BuildOracle(const customs_test::TempDir& dir) {
  if (!Runs({"go", "version"})) return "go is not installed (apt-get install golang-go)";
  if (!std::filesystem::exists(std::string(kGopath) + "/src/golang.org/x/mod/semver/semver.go"))
    return std::string("golang.org/x/mod/semver is not in ") + kGopath + " (apt-get install golang-golang-x-mod-dev)";
  customs_test::WriteFile(dir / "main.go", kOracleSource);
  customs_test::RunOptions opts;
  opts.cwd = dir.path();
  opts.env = {"GO111MODULE=off", std::string("GOPATH=") + kGopath, "GOCACHE=" + (dir / "cache"), "HOME=" + dir.path(),
              "GOFLAGS="};
  opts.timeout_seconds = 300;
  customs_test::RunResult r = customs_test::Run({"go", "build", "-o", dir / "oracle", "main.go"}, opts);
  if (r.exit_code != 0) return "building the Go oracle failed: " + r.Describe();
  return "";
}

std::string WithV(const std::string& s) { return s.starts_with("v") ? s : "v" + s; }

TEST(VersionGo, AgainstXModSemver) {
  const Comparator& c = Get("go");
  std::vector<std::string> real = Distinct(OsvGoVersions());
  if (real.empty()) GTEST_SKIP() << "no osv-go data in " << SharedDir();
  EXPECT_GT(real.size(), 2000u);
  for (const auto& v : real) EXPECT_TRUE(c.Valid(v)) << v;
  std::vector<std::string> sorted = CheckTotalPreorder(c, real);

  std::vector<std::pair<std::string, std::string>> pairs;
  for (size_t i = 0; i + 1 < sorted.size(); ++i) pairs.emplace_back(sorted[i], sorted[i + 1]);
  Rng rng(1190);
  for (size_t i = 0; i < 1500; ++i) pairs.emplace_back(rng.Pick(real), rng.Pick(real));
  for (const Vector& v : kVectors) pairs.emplace_back(v.a, v.b);
  for (size_t i = 0; i < 2000; ++i) {
    std::string a = RandomSemverish(rng, false), b = RandomSemverish(rng, false);
    // Shorthands ("1", "1.2") and their long forms.
    if (rng.Below(4) == 0) a = a.substr(0, a.find('.'));
    if (rng.Below(4) == 0) b = b.substr(0, b.find('.', b.find('.') + 1));
    pairs.emplace_back(a, b);
  }
  std::vector<std::string> all;
  for (const auto& [a, b] : pairs) all.push_back(a), all.push_back(b);
  CheckTotalPreorder(c, Distinct(all));

  customs_test::TempDir dir("customs-go-oracle");
  std::string why = BuildOracle(dir);
  if (!why.empty()) GTEST_SKIP() << why << ": x/mod/semver comparison skipped (vectors and order properties checked)";
  std::string input;
  for (const auto& [a, b] : pairs) input += WithV(a) + "\t" + WithV(b) + "\n";
  auto lines = RunOracle({dir / "oracle"}, input);
  ASSERT_TRUE(lines);
  ASSERT_EQ(lines->size(), pairs.size());
  int bad = 0, compared = 0, invalid = 0;
  for (size_t i = 0; i < pairs.size(); ++i) {
    const auto& [a, b] = pairs[i];
    std::istringstream f((*lines)[i]);
    int va = 0, vb = 0, want = 0;
    f >> va >> vb >> want;
    // Our "v"-less leniency: "x" is valid exactly when "vx" is.
    if (c.Valid(a) != (va == 1) && bad++ < 20) ADD_FAILURE() << "validity of \"" << a << "\": x/mod/semver " << va;
    if (c.Valid(b) != (vb == 1) && bad++ < 20) ADD_FAILURE() << "validity of \"" << b << "\": x/mod/semver " << vb;
    if (va == 0 && vb == 0) {
      ++invalid;
      continue;
    }
    ++compared;
    int ours = Sign(c.Compare(a, b));
    if (ours != Sign(want) && bad++ < 20)
      ADD_FAILURE() << "x/mod/semver: \"" << WithV(a) << "\" " << Rel(want) << " \"" << WithV(b) << "\", we say "
                    << Rel(ours);
  }
  EXPECT_EQ(bad, 0);
  EXPECT_GT(compared, 4000);
  EXPECT_GT(invalid, 50);
}

}  // namespace
}  // namespace customs::version_test
