// Acceptance (#14, ratings): with the default offline database (../shared/vulndata, the NVD sample
// included) findings carry real ratings.
//  - Alpine 3.7.3: CVE-2019-14697 (musl) is CRITICAL from NVD's CVSS 3.1 9.8 with a title, and the
//    CI gate `--severity CRITICAL --exit-code 1` fails the run.
//  - Debian bullseye 11.0 (the shared dpkg status): the share of UNKNOWN findings drops from what a
//    database without NVD gives to exactly the share of findings that neither Debian's tracker nor
//    the NVD sample rates; both are computed here from the sample itself (read with nlohmann-json,
//    not customs).
//  - Every rating and risk score of both reports is checked by tests/node/ratings_oracle.js, which
//    recomputes docs/risk.md's precedence from the raw NVD records and scores vectors with the npm
//    package ae-cvss-calculator.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/fixtures.h"
#include "support/scenarios.h"
#include "support/vulndb_fixture.h"

namespace ct = customs_test;
namespace fs = std::filesystem;

namespace {

ct::RunOptions Fixed() {
  ct::RunOptions o;
  o.env = {"CUSTOMS_FIXED_TIME=2026-11-23T00:00:00Z"};
  return o;
}

std::string NvdSample() { return ct::SharedDir() + "/vulndata/nvd/nvd-sample.json"; }

// CVE ids the NVD sample gives at least one CVSS vector for.
std::set<std::string> NvdRatedCves() {
  std::set<std::string> out;
  auto page = nlohmann::json::parse(ct::ReadFile(NvdSample()));
  for (const auto& v : page.at("vulnerabilities")) {
    const auto& cve = v.at("cve");
    if (!cve.contains("metrics")) continue;
    for (const auto& [key, list] : cve["metrics"].items())
      if (key.rfind("cvssMetric", 0) == 0 && list.is_array() && !list.empty()) {
        out.insert(cve.at("id").get<std::string>());
        break;
      }
  }
  return out;
}

bool OracleAvailable(std::string* why) {
  if (ct::Run({"/bin/sh", "-c", "command -v node"}).exit_code != 0) {
    *why = "node is not installed (apt-get install nodejs): ratings oracle skipped";
    return false;
  }
  if (fs::exists(ct::SourceDir() + "/tests/node/node_modules/ae-cvss-calculator/package.json")) return true;
  if (const char* env = std::getenv("CUSTOMS_NODE_MODULES"))
    if (fs::exists(std::string(env) + "/ae-cvss-calculator/package.json")) return true;
  *why = "tests/node/node_modules/ae-cvss-calculator is missing (bash scripts/test-node-deps.sh): ratings oracle skipped";
  return false;
}

// Runs the oracle over a report file; fails the test on any mismatch. Returns the oracle's counts.
nlohmann::json CheckWithOracle(const std::string& report_file) {
  ct::RunResult r = ct::Run({"node", ct::SourceDir() + "/tests/node/ratings_oracle.js", NvdSample(), report_file});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  nlohmann::json out = nlohmann::json::parse(r.out, nullptr, false);
  EXPECT_TRUE(out.is_object()) << r.out;
  if (!out.is_object()) return out;
  EXPECT_TRUE(out["mismatches"].empty()) << out["mismatches"].dump(1);
  return out;
}

// A database from the shared snapshots without the NVD sample: the figure before NVD was part of it.
std::string DbWithoutNvd(const ct::TempDir& d) {
  const std::string from = d / "from";
  fs::create_directories(from);
  // The OS feeds a bullseye scan reads (db build does not follow links to feed folders).
  for (const char* src : {"debian-tracker", "kev"})
    fs::copy(ct::SharedDir() + "/vulndata/" + src, from + "/" + src, fs::copy_options::recursive);
  const std::string db = d / "no-nvd.db";
  ct::RunResult r = ct::BuildVulnDb(from, db);
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  return db;
}

}  // namespace

TEST(VulnRatings, AlpineMuslIsCriticalWithATitleAndTheGateFails) {
  if (!ct::PathExists(NvdSample())) GTEST_SKIP() << NvdSample() << " not found";
  const std::string db = ct::SharedVulnDb();
  ASSERT_FALSE(db.empty()) << ct::SharedVulnDbError();
  ct::TempDir d;
  ct::AlpineDockerArchive("3.7.3", d / "image.tar");
  ct::JsonRun r = ct::RunCustomsJson({"image", "--input", d / "image.tar", "--db", db}, Fixed());
  ASSERT_EQ(r.run.exit_code, 0) << r.run.Describe();
  bool seen = false;
  for (const auto& v : ct::ReportVulnerabilities(r.report)) {
    if (ct::Str(v, "id") != "CVE-2019-14697") continue;
    seen = true;
    EXPECT_EQ(ct::Str(v, "severity"), "CRITICAL") << v.dump(1);
    EXPECT_EQ(ct::Str(v, "severitySource"), "nvd");
    EXPECT_EQ(ct::Str(v, "severityVector"), "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    EXPECT_FALSE(ct::Str(v, "title").empty());
    EXPECT_NE(ct::Str(v, "description").find("musl libc through 1.1.23"), std::string::npos) << ct::Str(v, "description");
    EXPECT_EQ(v["risk"]["score"], 69) << v["risk"].dump();  // 60 x 0.98 + 0 (no EPSS in the sample) + 10 (fixed)
    EXPECT_EQ(v["risk"]["missing"], nlohmann::json::array({"epss"}));
    EXPECT_FALSE(v.contains("epss")) << "no EPSS data in the offline database: the field must be absent";
  }
  EXPECT_TRUE(seen) << "CVE-2019-14697 not reported";
  // The table's Title column is filled.
  ct::RunResult table = ct::RunCustoms({"image", "--input", d / "image.tar", "--db", db}, Fixed());
  ASSERT_EQ(table.exit_code, 0) << table.Describe();
  const size_t row = table.out.find("CVE-2019-14697");
  ASSERT_NE(row, std::string::npos) << table.out;
  const std::string line = table.out.substr(row, table.out.find('\n', row) - row);
  EXPECT_NE(line.find("CRITICAL"), std::string::npos) << line;
  EXPECT_NE(line.find("musl libc"), std::string::npos) << line;
  // The CI gate.
  ct::RunResult gate = ct::RunCustoms(
      {"image", "--input", d / "image.tar", "--db", db, "--severity", "CRITICAL", "--exit-code", "1", "-q"}, Fixed());
  EXPECT_EQ(gate.exit_code, 1) << gate.Describe();
  ct::RunResult fine = ct::RunCustoms(
      {"image", "--input", d / "image.tar", "--db", db, "--severity", "CRITICAL", "--exit-code", "1", "-q",
       "--ignorefile", "/dev/null"},
      Fixed());
  EXPECT_EQ(fine.exit_code, 1) << "an empty ignore file changes nothing: " << fine.Describe();

  std::string why;
  if (!OracleAvailable(&why)) GTEST_SKIP() << why;
  ct::WriteFile(d / "report.json", r.run.out);
  nlohmann::json counts = CheckWithOracle(d / "report.json");
  EXPECT_GE(counts.value("nvdRated", 0), 1) << counts.dump();
}

TEST(VulnRatings, BullseyeUnknownShareDropsToWhatTheNvdSampleDoesNotCover) {
  if (!ct::PathExists(NvdSample())) GTEST_SKIP() << NvdSample() << " not found";
  const std::string db = ct::SharedVulnDb();
  ASSERT_FALSE(db.empty()) << ct::SharedVulnDbError();
  ct::TempDir d;
  const std::string root = ct::BullseyeRootfs(d / "root");
  const std::string before_db = DbWithoutNvd(d);

  ct::JsonRun before = ct::RunCustomsJson({"rootfs", root, "--db", before_db}, Fixed());
  ASSERT_EQ(before.run.exit_code, 0) << before.run.Describe();
  ct::JsonRun after = ct::RunCustomsJson({"rootfs", root, "--db", db}, Fixed());
  ASSERT_EQ(after.run.exit_code, 0) << after.run.Describe();

  const std::set<std::string> rated = NvdRatedCves();
  ASSERT_GT(rated.size(), 100u);
  auto vulns_before = ct::ReportVulnerabilities(before.report);
  auto vulns_after = ct::ReportVulnerabilities(after.report);
  ASSERT_EQ(vulns_before.size(), vulns_after.size()) << "NVD data must not change what is found, only its rating";
  ASSERT_GT(vulns_after.size(), 20u);

  size_t unknown_before = 0, unknown_after = 0, expected_unknown = 0, debian_rated = 0;
  for (const auto& v : vulns_before) unknown_before += ct::Str(v, "severity") == "UNKNOWN";
  for (const auto& v : vulns_after) {
    const bool debian = ct::Str(v, "severitySource") == "debian-tracker";
    debian_rated += debian;
    bool covered = rated.count(ct::Str(v, "id")) > 0;
    for (const auto& a : v["aliases"]) covered = covered || rated.count(a.get<std::string>()) > 0;
    const bool unknown = ct::Str(v, "severity") == "UNKNOWN";
    unknown_after += unknown;
    expected_unknown += !debian && !covered;
    if (!debian && covered) EXPECT_FALSE(unknown) << "the NVD sample rates " << v.dump();
  }
  const double n = static_cast<double>(vulns_after.size());
  std::printf("bullseye 11.0: %zu findings; UNKNOWN %.1f%% without NVD, %.1f%% with the NVD sample "
              "(expected %.1f%%: %zu neither Debian nor the sample rates); %zu rated by Debian's urgency\n",
              vulns_after.size(), 100 * unknown_before / n, 100 * unknown_after / n, 100 * expected_unknown / n,
              expected_unknown, debian_rated);
  EXPECT_EQ(unknown_after, expected_unknown);
  EXPECT_LT(unknown_after, unknown_before);

  std::string why;
  if (!OracleAvailable(&why)) GTEST_SKIP() << why;
  ct::WriteFile(d / "report.json", after.run.out);
  nlohmann::json counts = CheckWithOracle(d / "report.json");
  EXPECT_EQ(counts.value("nvdRated", 0), vulns_after.size()) << counts.dump();
}

// A Python project pinning releases with known-exploited holes (Pillow 10.0.0: CVE-2023-4863, the
// libwebp overflow; Salt 3000: CVE-2020-11651/11652, both in CISA KEV) and a plain one (requests).
TEST(VulnRatings, RiskSortKevOnlyMinEpssAndMaxKev) {
  const std::string db = ct::SharedVulnDb();
  ASSERT_FALSE(db.empty()) << ct::SharedVulnDbError();
  ct::TempDir d;
  const std::string root = d / "app";
  ct::WriteFile(root + "/requirements.txt", "requests==2.19.0\npillow==10.0.0\nsalt==3000\n");
  ct::JsonRun r = ct::RunCustomsJson({"fs", root, "--db", db, "--sort", "risk"}, Fixed());
  ASSERT_EQ(r.run.exit_code, 0) << r.run.Describe();
  // Within each package, riskiest first; packages by their riskiest finding.
  int last_top = 101;
  size_t kev = 0;
  for (const auto& t : r.report["targets"])
    for (const auto& p : t["packages"]) {
      int last = 101;
      for (const auto& v : p["vulnerabilities"]) {
        const int s = v["risk"]["score"].get<int>();
        EXPECT_LE(s, last) << p["name"];
        if (last == 101) {
          EXPECT_LE(s, last_top) << p["name"] << " out of risk order";
          last_top = s;
        }
        last = s;
        kev += v["kev"].get<bool>();
      }
    }
  ASSERT_GT(kev, 0u) << "the shared KEV catalog lists CVE-2023-4863 and CVE-2020-11651";
  // The table gains a Risk column.
  ct::RunResult table = ct::RunCustoms({"fs", root, "--db", db, "--sort", "risk"}, Fixed());
  EXPECT_NE(table.out.find("│ Risk │"), std::string::npos) << table.out.substr(0, 2000);
  // --kev-only keeps exactly the KEV findings; --max-kev gates on them.
  ct::JsonRun k = ct::RunCustomsJson({"fs", root, "--db", db, "--kev-only"}, Fixed());
  ASSERT_EQ(k.run.exit_code, 0) << k.run.Describe();
  size_t shown = 0;
  for (const auto& v : ct::ReportVulnerabilities(k.report)) {
    EXPECT_TRUE(v["kev"].get<bool>()) << v.dump();
    ++shown;
  }
  EXPECT_EQ(shown, kev);
  ct::RunResult gate = ct::RunCustoms({"fs", root, "--db", db, "--max-kev", "0", "-q"}, Fixed());
  EXPECT_EQ(gate.exit_code, 1) << gate.Describe();
  EXPECT_NE(gate.err.find("Known Exploited Vulnerabilities catalog, more than --max-kev 0"), std::string::npos)
      << gate.err;
  // max-kev from a policy file.
  ct::WriteFile(d / "policy.yaml", "max-kev: 0\n");
  EXPECT_EQ(ct::RunCustoms({"fs", root, "--db", db, "--policy", d / "policy.yaml", "-q"}, Fixed()).exit_code, 1);
  ct::WriteFile(d / "policy2.yaml", "max-kev: " + std::to_string(kev) + "\n");
  EXPECT_EQ(ct::RunCustoms({"fs", root, "--db", db, "--policy", d / "policy2.yaml", "-q"}, Fixed()).exit_code, 0);
  // --min-epss without EPSS data: only KEV-listed findings stay (the rest have no score).
  ct::JsonRun e = ct::RunCustomsJson({"fs", root, "--db", db, "--min-epss", "0.1"}, Fixed());
  ASSERT_EQ(e.run.exit_code, 0) << e.run.Describe();
  EXPECT_EQ(ct::ReportVulnerabilities(e.report).size(), kev);
  // Bad values are usage errors.
  for (std::vector<std::string> bad : {std::vector<std::string>{"--min-epss", "2"}, {"--min-epss", "nan"},
                                       {"--sort", "cvss"}, {"--max-kev", "-1"}}) {
    std::vector<std::string> args = {"fs", root, "--db", db, "-q"};
    args.insert(args.end(), bad.begin(), bad.end());
    ct::RunResult u = ct::RunCustoms(args, Fixed());
    EXPECT_EQ(u.exit_code, 2) << bad[0] << " " << bad[1] << ": " << u.Describe();
  }
}

// Thresholds and the summary count a (vulnerability, package, version) once per artifact, however
// many targets show it: two requirements files pinning the same vulnerable requests.
TEST(VulnCounting, SamePackageInTwoTargetsCountsOnce) {
  const std::string db = ct::SharedVulnDb();
  ASSERT_FALSE(db.empty()) << ct::SharedVulnDbError();
  ct::TempDir d;
  ct::WriteFile(d / "src/a/requirements.txt", "requests==2.19.0\n");
  ct::WriteFile(d / "src/b/requirements.txt", "requests==2.19.0\n");
  ct::JsonRun r = ct::RunCustomsJson({"fs", d / "src", "--db", db}, Fixed());
  ASSERT_EQ(r.run.exit_code, 0) << r.run.Describe();
  std::map<std::string, std::set<std::string>> ids_by_target;
  size_t rows = 0;
  for (const auto& t : r.report["targets"])
    for (const auto& p : t["packages"])
      for (const auto& v : p["vulnerabilities"]) {
        ids_by_target[ct::Str(t, "target")].insert(ct::Str(v, "id"));
        ++rows;
      }
  ASSERT_EQ(ids_by_target.size(), 2u) << r.report["targets"].dump(1).substr(0, 3000);
  const std::set<std::string>& ids = ids_by_target.begin()->second;
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(ids, ids_by_target.rbegin()->second);
  EXPECT_EQ(rows, 2 * ids.size());
  EXPECT_EQ(r.report["summary"]["total"].get<size_t>(), ids.size()) << r.report["summary"].dump();
  const std::string n = std::to_string(ids.size());
  EXPECT_EQ(ct::RunCustoms({"fs", d / "src", "--db", db, "-q", "--max-total", n}, Fixed()).exit_code, 0);
  ct::RunResult over = ct::RunCustoms({"fs", d / "src", "--db", db, "-q", "--max-total", std::to_string(ids.size() - 1)}, Fixed());
  EXPECT_EQ(over.exit_code, 1) << over.Describe();
  EXPECT_NE(over.err.find("policy: " + n + " vulnerabilit"), std::string::npos) << over.err;
}

// EPSS in the database: findings carry epss/epssPercentile, the risk score uses them, --min-epss
// filters by them. The CSV is in FIRST's daily format; its scores are test values chosen to sit on
// both sides of the threshold (the shared snapshots hold no EPSS file).
TEST(VulnRatings, EpssScoresReachFindingsRiskAndMinEpss) {
  ct::TempDir d;
  const std::string from = d / "from";
  fs::create_directories(from + "/epss");
  for (const char* src : {"debian-tracker", "nvd", "kev"})
    fs::copy(ct::SharedDir() + "/vulndata/" + src, from + "/" + src, fs::copy_options::recursive);
  const std::string root = ct::BullseyeRootfs(d / "root");
  // Which CVEs the image has: from a scan without EPSS.
  const std::string plain_db = d / "plain.db";
  ASSERT_EQ(ct::BuildVulnDb(from, plain_db).exit_code, 0);
  ct::JsonRun plain = ct::RunCustomsJson({"rootfs", root, "--db", plain_db}, Fixed());
  ASSERT_EQ(plain.run.exit_code, 0) << plain.run.Describe();
  std::vector<std::string> cves;
  for (const auto& v : ct::ReportVulnerabilities(plain.report))
    if (std::find(cves.begin(), cves.end(), ct::Str(v, "id")) == cves.end()) cves.push_back(ct::Str(v, "id"));
  ASSERT_GE(cves.size(), 2u);
  std::string csv = "#model_version:v2025.03.14,score_date:2026-11-23T00:00:00Z\ncve,epss,percentile\n";
  csv += cves[0] + ",0.50000,0.99000\n";  // above 0.1
  csv += cves[1] + ",0.00100,0.20000\n";  // below
  ct::WriteFile(from + "/epss/epss_scores-2026-11-23.csv", csv);
  const std::string db = d / "epss.db";
  ct::RunResult b = ct::BuildVulnDb(from, db);
  ASSERT_EQ(b.exit_code, 0) << b.Describe();

  ct::JsonRun r = ct::RunCustomsJson({"rootfs", root, "--db", db}, Fixed());
  ASSERT_EQ(r.run.exit_code, 0) << r.run.Describe();
  std::map<std::string, nlohmann::json> by_id;
  for (const auto& v : ct::ReportVulnerabilities(r.report)) by_id[ct::Str(v, "id")] = v;
  ASSERT_TRUE(by_id.count(cves[0]) && by_id.count(cves[1]));
  EXPECT_DOUBLE_EQ(by_id[cves[0]]["epss"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(by_id[cves[0]]["epssPercentile"].get<double>(), 0.99);
  EXPECT_EQ(ct::Str(by_id[cves[0]]["risk"], "exploitationFrom"), "epss");
  EXPECT_TRUE(by_id[cves[0]]["risk"]["missing"].empty() || by_id[cves[0]]["risk"]["missing"][0] != "epss");
  for (const auto& [id, v] : by_id)
    if (id != cves[0] && id != cves[1]) EXPECT_FALSE(v.contains("epss")) << id;

  ct::JsonRun f = ct::RunCustomsJson({"rootfs", root, "--db", db, "--min-epss", "0.1"}, Fixed());
  ASSERT_EQ(f.run.exit_code, 0) << f.run.Describe();
  std::set<std::string> kept;
  for (const auto& v : ct::ReportVulnerabilities(f.report)) kept.insert(ct::Str(v, "id"));
  EXPECT_TRUE(kept.count(cves[0]));
  EXPECT_FALSE(kept.count(cves[1]));
  for (const auto& id : kept) EXPECT_TRUE(id == cves[0] || by_id[id]["kev"].get<bool>()) << id;
  // --show-suppressed says why.
  ct::JsonRun s = ct::RunCustomsJson(
      {"rootfs", root, "--db", db, "--min-epss", "0.1", "--show-suppressed"}, Fixed());
  bool why = false;
  for (const auto& v : ct::ReportVulnerabilities(s.report))
    if (ct::Str(v, "id") == cves[1])
      for (const auto& sup : v["suppressed"])
        why = why || (ct::Str(sup, "kind") == "min-epss" && ct::Str(sup, "justification").find("0.001") != std::string::npos);
  EXPECT_TRUE(why) << s.run.out.substr(0, 4000);
}
