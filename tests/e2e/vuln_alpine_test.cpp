// Acceptance (vulnerability scanning, Alpine): the shared minirootfs images, packed as docker-archives,
// scanned with `customs image --db DB -f json` against the database built from ../shared/vulndata.
//
// The expected findings are computed here, independently of customs: the secdb YAML of the image's
// branch (v3.X/{main,community}.yaml, read with yaml-cpp) gives per origin package the secfix
// versions and their CVEs; every installed package (lib/apk/db/installed: P:, V:, o:) whose origin
// has a secfix version greater than the installed one (apk version order, implemented below) is
// affected by that secfix's CVEs. Releases the snapshot has no branch for (3.12 and later) must be
// reported as not covered: a "no-data" notice, no findings.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <stdexcept>
#include <sstream>
#include <string>
#include <vector>

#include "support/fixtures.h"
#include "support/scenarios.h"
#include "support/vulndb_fixture.h"

namespace ct = customs_test;

namespace {

// ---------------------------------------------------------------------------------------------
// apk version order (apk-tools' apk_version_compare rules), enough for Alpine package versions:
//   DIGITS('.'DIGITS)* [letter] ('_'SUFFIX[DIGITS])* ['-r'DIGITS]
// Numbers compare numerically (a later component with a leading zero compares as a fraction, i.e.
// textually); a version with more number components is greater; a letter is greater than none;
// suffixes rank alpha < beta < pre < rc < (none) < cvs < svn < git < hg < p; a missing -rN is lower
// than any -rN.
struct ApkVersion {
  std::vector<std::string> nums;
  int letter = -1;
  std::vector<std::pair<int, long long>> suffixes;  // (rank, number); (none) is rank 0
  long long rev = -1;
  bool ok = true;
};

int SuffixRank(const std::string& s) {
  static const std::map<std::string, int> ranks = {{"alpha", -4}, {"beta", -3}, {"pre", -2}, {"rc", -1},
                                                   {"cvs", 1},    {"svn", 2},   {"git", 3},  {"hg", 4},
                                                   {"p", 5}};
  auto it = ranks.find(s);
  return it == ranks.end() ? 100 : it->second;
}

ApkVersion ParseApk(const std::string& v) {
  ApkVersion r;
  size_t i = 0;
  auto digits = [&] {
    size_t b = i;
    while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) ++i;
    return v.substr(b, i - b);
  };
  std::string d = digits();
  if (d.empty()) r.ok = false;
  r.nums.push_back(d);
  while (i < v.size() && v[i] == '.') {
    ++i;
    d = digits();
    if (d.empty()) r.ok = false;
    r.nums.push_back(d);
  }
  if (i < v.size() && std::islower(static_cast<unsigned char>(v[i]))) r.letter = v[i++];
  while (i < v.size() && v[i] == '_') {
    ++i;
    size_t b = i;
    while (i < v.size() && std::islower(static_cast<unsigned char>(v[i]))) ++i;
    int rank = SuffixRank(v.substr(b, i - b));
    if (rank == 100) r.ok = false;
    std::string n = digits();
    r.suffixes.push_back({rank, n.empty() ? 0 : std::stoll(n)});
  }
  if (i + 1 < v.size() && v[i] == '-' && v[i + 1] == 'r') {
    i += 2;
    std::string n = digits();
    if (n.empty()) r.ok = false;
    r.rev = n.empty() ? 0 : std::stoll(n);
  }
  if (i != v.size()) r.ok = false;
  return r;
}

int Cmp(long long a, long long b) { return a < b ? -1 : a > b ? 1 : 0; }

int CompareNum(const std::string& a, const std::string& b, bool first) {
  if (!first && ((a.size() > 1 && a[0] == '0') || (b.size() > 1 && b[0] == '0'))) return a.compare(b) < 0 ? -1 : a.compare(b) > 0 ? 1 : 0;
  // numeric, without overflow: strip leading zeros, longer is greater
  size_t ia = a.find_first_not_of('0'), ib = b.find_first_not_of('0');
  std::string x = ia == std::string::npos ? "" : a.substr(ia), y = ib == std::string::npos ? "" : b.substr(ib);
  if (x.size() != y.size()) return x.size() < y.size() ? -1 : 1;
  int c = x.compare(y);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

// <0, 0, >0.
int ApkCompare(const std::string& a, const std::string& b) {
  ApkVersion x = ParseApk(a), y = ParseApk(b);
  if (!x.ok || !y.ok) throw std::runtime_error("not an apk version this test understands: " + (x.ok ? b : a));
  for (size_t i = 0; i < std::min(x.nums.size(), y.nums.size()); ++i)
    if (int c = CompareNum(x.nums[i], y.nums[i], i == 0)) return c;
  if (x.nums.size() != y.nums.size()) return x.nums.size() > y.nums.size() ? 1 : -1;
  if (int c = Cmp(x.letter, y.letter)) return c;
  for (size_t i = 0; i < std::max(x.suffixes.size(), y.suffixes.size()); ++i) {
    std::pair<int, long long> sx = i < x.suffixes.size() ? x.suffixes[i] : std::pair<int, long long>{0, 0};
    std::pair<int, long long> sy = i < y.suffixes.size() ? y.suffixes[i] : std::pair<int, long long>{0, 0};
    if (int c = Cmp(sx.first, sy.first)) return c;
    if (int c = Cmp(sx.second, sy.second)) return c;
  }
  return Cmp(x.rev, y.rev);
}

// ---------------------------------------------------------------------------------------------
// Inputs.

struct Installed {
  std::string name, version, origin;
};

std::vector<Installed> ParseInstalled(const std::string& db) {
  std::vector<Installed> out;
  Installed cur;
  auto flush = [&] {
    if (!cur.name.empty()) {
      if (cur.origin.empty()) cur.origin = cur.name;
      out.push_back(cur);
    }
    cur = {};
  };
  std::istringstream ss(db);
  for (std::string line; std::getline(ss, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      flush();
      continue;
    }
    if (line.size() < 2 || line[1] != ':') continue;
    std::string val = line.substr(2);
    if (line[0] == 'P') cur.name = val;
    if (line[0] == 'V') cur.version = val;
    if (line[0] == 'o') cur.origin = val;
  }
  flush();
  return out;
}

struct Secfix {
  std::string fixed;
  std::vector<std::string> ids;
};

// origin -> secfixes of branch "v3.X" (main and community).
std::map<std::string, std::vector<Secfix>> LoadSecdb(const std::string& branch) {
  std::map<std::string, std::vector<Secfix>> out;
  for (const char* repo : {"main", "community"}) {
    const std::string path = ct::SharedDir() + "/vulndata/alpine-secdb/" + branch + "/" + repo + ".yaml";
    YAML::Node doc = YAML::LoadFile(path);
    for (const auto& entry : doc["packages"]) {
      const YAML::Node pkg = entry["pkg"];
      const std::string name = pkg["name"].as<std::string>();
      const YAML::Node sf = pkg["secfixes"];
      if (!sf || !sf.IsMap()) continue;
      for (const auto& kv : sf) {
        Secfix f;
        f.fixed = kv.first.as<std::string>();
        if (kv.second.IsSequence())
          for (const auto& item : kv.second) {
            if (!item.IsScalar()) continue;
            std::istringstream words(item.as<std::string>());
            for (std::string w; words >> w;)
              if (w.rfind("CVE-", 0) == 0 || w.rfind("ALPINE-", 0) == 0 || w.rfind("XSA-", 0) == 0) f.ids.push_back(w);
          }
        out[name].push_back(f);
      }
    }
  }
  return out;
}

std::string InstalledDbOf(const std::string& version) {
  for (const auto& f : ct::AlpineMinirootfsFiles()) {
    if (f.version != version) continue;
    for (const auto& e : ct::ReadTarEntries(f.path)) {
      std::string p = e.path;
      if (p.rfind("./", 0) == 0) p = p.substr(2);
      if (p == "lib/apk/db/installed") return e.content;
    }
  }
  return "";
}

struct Expectation {
  ct::FindingSet findings;
  std::vector<std::string> comparisons;  // "installed < fixed" lines, for the failure message
};

Expectation ExpectedFindings(const std::string& version) {
  Expectation e;
  const std::string branch = "v" + version.substr(0, version.rfind('.'));
  const auto secdb = LoadSecdb(branch);
  for (const auto& p : ParseInstalled(InstalledDbOf(version))) {
    auto it = secdb.find(p.origin);
    if (it == secdb.end()) continue;
    for (const auto& f : it->second) {
      if (f.fixed == "0") continue;  // "0": never affected (not-affected marker)
      const int c = ApkCompare(p.version, f.fixed);
      e.comparisons.push_back(p.name + " (" + p.origin + ") " + p.version + (c < 0 ? " < " : c > 0 ? " > " : " = ") +
                              f.fixed);
      if (c < 0)
        for (const auto& id : f.ids) e.findings.insert({p.name, id});
    }
  }
  return e;
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += "\n  " + x;
  return s;
}

ct::RunOptions Fixed() {
  ct::RunOptions o;
  o.env = {"CUSTOMS_FIXED_TIME=2026-11-23T00:00:00Z"};
  return o;
}

// ---------------------------------------------------------------------------------------------

// The comparator on every (installed, fixed) pair the covered images involve, with the order apk
// gives (checked by hand against apk-tools' rules), plus the rules themselves.
TEST(VulnAlpine, ApkVersionOrderOnThePairsInvolved) {
  struct P {
    const char* a;
    const char* b;
    int want;
  };
  const P pairs[] = {
      // 3.7.3
      {"1.1.18-r3", "1.1.18-r4", -1}, {"1.1.18-r3", "1.1.15-r4", 1}, {"1.27.2-r11", "1.27.2-r4", 1},
      {"2.6.5-r0", "2.6.5-r0", 0}, {"2.6.5-r0", "2.5.3-r1", 1},
      // 3.9.6
      {"1.1.20-r5", "1.1.20-r5", 0}, {"1.1.20-r5", "1.1.15-r4", 1}, {"1.29.3-r10", "1.29.3-r10", 0},
      {"1.29.3-r10", "1.27.2-r4", 1}, {"1.1.1g-r0", "1.1.1d-r0", 1}, {"1.1.1g-r0", "1.1.1b-r1", 1},
      {"1.1.1g-r0", "1.1.1a-r0", 1},
      // 3.10.9
      {"1.1.22-r4", "1.1.22-r3", 1}, {"1.1.22-r4", "1.1.15-r4", 1}, {"1.30.1-r5", "1.30.1-r2", 1},
      {"1.30.1-r5", "1.29.3-r10", 1}, {"1.30.1-r5", "1.27.2-r4", 1}, {"1.1.1k-r0", "1.1.1d-r0", 1},
      {"1.1.1k-r0", "1.1.1b-r1", 1},
      // the rules
      {"1.2", "1.2.1", -1}, {"1.2_rc1", "1.2", -1}, {"1.2_p1", "1.2", 1}, {"1.2a", "1.2", 1},
      {"1.2_alpha2", "1.2_beta1", -1}, {"1.2", "1.2-r0", -1}, {"1.10-r0", "1.9-r0", 1}, {"1.2-r10", "1.2-r9", 1},
      {"1.0.02", "1.0.1", -1}, {"2.7.13-r0", "2.7.8-r0", 1},
  };
  for (const auto& p : pairs) {
    EXPECT_EQ(ApkCompare(p.a, p.b), p.want) << p.a << " vs " << p.b;
    EXPECT_EQ(ApkCompare(p.b, p.a), -p.want) << p.b << " vs " << p.a;
  }
}

class VulnAlpineCovered : public testing::TestWithParam<std::string> {};

TEST_P(VulnAlpineCovered, FindsExactlyTheSecdbPairs) {
  const std::string version = GetParam();
  const std::string db = ct::SharedVulnDb();
  ASSERT_FALSE(db.empty()) << ct::SharedVulnDbError();
  Expectation want = ExpectedFindings(version);
  if (version == "3.7.3") {
    ASSERT_FALSE(want.findings.empty()) << "3.7.3 must have findings (musl CVE-2019-14697):" << Join(want.comparisons);
    EXPECT_TRUE(want.findings.count({"musl", "CVE-2019-14697"})) << Join(want.comparisons);
  }
  ct::TempDir d;
  ct::AlpineDockerArchive(version, d / "image.tar");
  ct::JsonRun r = ct::RunCustomsJson({"image", "--input", d / "image.tar", "--db", db}, Fixed());
  ASSERT_EQ(r.run.exit_code, 0) << r.run.Describe();
  ASSERT_TRUE(r.report.is_object()) << r.parse_error;
  ASSERT_TRUE(r.report.contains("summary")) << "the vulnerability scanner did not run";
  ASSERT_TRUE(r.report.contains("notices"));
  EXPECT_EQ(ct::Str(r.report["os"], "version"), version);

  std::string diff;
  EXPECT_TRUE(ct::FindingsEqual(r.report, want.findings, &diff))
      << diff << "\ncomparisons made by the test:" << Join(want.comparisons);

  for (const auto& n : r.report["notices"])
    EXPECT_NE(ct::Str(n, "kind"), "no-data") << "alpine " << version << " is covered by the secdb: " << n.dump();

  // Each finding as documented: from the secdb, the installed version, a fixed version above it.
  size_t n = 0;
  for (const auto& v : ct::ReportVulnerabilities(r.report)) {
    ++n;
    SCOPED_TRACE(v.dump());
    EXPECT_EQ(ct::Str(v["dataSource"], "id"), "alpine-secdb");
    EXPECT_EQ(ct::Str(v, "status"), "fixed");
    EXPECT_LT(ApkCompare(ct::Str(v, "installedVersion"), ct::Str(v, "fixedVersion")), 0);
  }
  ASSERT_TRUE(r.report["summary"].is_object());
  EXPECT_EQ(r.report["summary"].value("total", -1), int(n)) << r.report["summary"].dump();
  int sum = 0;
  for (const auto& [k, c] : r.report["summary"]["vulnerabilities"].items()) sum += c.get<int>();
  EXPECT_EQ(sum, int(n)) << r.report["summary"].dump();
}

INSTANTIATE_TEST_SUITE_P(Vuln, VulnAlpineCovered, testing::Values("3.7.3", "3.9.6", "3.10.9"),
                         [](const testing::TestParamInfo<std::string>& i) {
                           std::string s = "alpine_" + i.param;
                           for (auto& c : s)
                             if (c == '.') c = '_';
                           return s;
                         });

class VulnAlpineUncovered : public testing::TestWithParam<std::string> {};

TEST_P(VulnAlpineUncovered, SaysNoDataCoversTheRelease) {
  const std::string version = GetParam();
  const std::string db = ct::SharedVulnDb();
  ASSERT_FALSE(db.empty()) << ct::SharedVulnDbError();
  ct::TempDir d;
  ct::AlpineDockerArchive(version, d / "image.tar");

  ct::JsonRun r = ct::RunCustomsJson({"image", "--input", d / "image.tar", "--db", db}, Fixed());
  ASSERT_EQ(r.run.exit_code, 0) << r.run.Describe();
  ASSERT_TRUE(r.report.is_object()) << r.parse_error;
  ASSERT_TRUE(r.report.contains("notices") && r.report["notices"].is_array()) << r.report.dump().substr(0, 400);
  bool no_data = false;
  std::string no_data_message;
  for (const auto& n : r.report["notices"])
    if (ct::Str(n, "kind") == "no-data") {
      no_data = true;
      no_data_message = ct::Str(n, "message");
      EXPECT_NE(ct::Str(n, "message").find(version), std::string::npos) << n.dump();
    }
  EXPECT_TRUE(no_data) << r.report["notices"].dump();
  EXPECT_TRUE(ct::ReportVulnerabilities(r.report).empty());
  EXPECT_EQ(r.report["summary"].value("total", -1), 0) << r.report["summary"].dump();
  EXPECT_FALSE(ct::ReportPackages(r.report, "apk").empty()) << "the inventory is still reported";

  ct::RunResult t = ct::RunCustoms({"image", "--input", d / "image.tar", "--db", db}, Fixed());
  ASSERT_EQ(t.exit_code, 0) << t.Describe();
  bool notice_line = false;
  std::istringstream ss(t.out);
  for (std::string line; std::getline(ss, line);)
    if (line.rfind("NOTICE", 0) == 0 && !no_data_message.empty() && line.find(no_data_message) != std::string::npos)
      notice_line = true;
  EXPECT_TRUE(notice_line) << "no NOTICE line with the no-data notice '" << no_data_message << "' in the table:\n"
                           << t.out;
}

INSTANTIATE_TEST_SUITE_P(Vuln, VulnAlpineUncovered, testing::Values("3.12.12", "3.15.11", "3.18.9", "3.20.3"),
                         [](const testing::TestParamInfo<std::string>& i) {
                           std::string s = "alpine_" + i.param;
                           for (auto& c : s)
                             if (c == '.') c = '_';
                           return s;
                         });

}  // namespace
