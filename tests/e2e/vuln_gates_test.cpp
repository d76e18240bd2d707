// Acceptance (vulnerability scanning, policy gates): --severity, --exit-code, ignore files with
// expiry, OpenVEX not_affected, --show-suppressed, and the --max-critical/--max-high/--max-total
// thresholds, on the Alpine 3.7.3 image (musl CVE-2019-14697) and the bullseye root filesystem.
//
// The shared data rates nothing (no NVD data: every finding is UNKNOWN). For CRITICAL and HIGH
// findings, the suite builds a second database from a copy of the Alpine and Debian feeds plus a
// tiny NVD CVE API 2.0 page (nvd/nvdcve-2.0.json) rating three CVEs the targets have:
//   CVE-2019-14697 (musl)  CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H  9.8 CRITICAL
//   CVE-2022-1664  (dpkg)  CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H  9.8 CRITICAL
//   CVE-2022-1271  (gzip, xz-utils) CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H 8.8 HIGH
// (NVD's own ratings of these CVEs.)
#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "support/fixtures.h"
#include "support/scenarios.h"
#include "support/schema.h"
#include "support/vulndb_fixture.h"

namespace ct = customs_test;

namespace {

const char* kMuslCve = "CVE-2019-14697";
const char* kCritical = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
const char* kHigh = "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H";

nlohmann::json NvdEntry(const std::string& id, const std::string& vector, double score, const std::string& sev) {
  return {{"cve",
           {{"id", id},
            {"sourceIdentifier", "cve@mitre.org"},
            {"published", "2022-01-01T00:00:00.000"},
            {"lastModified", "2023-01-01T00:00:00.000"},
            {"vulnStatus", "Analyzed"},
            {"descriptions", {{{"lang", "en"}, {"value", "test rating of " + id}}}},
            {"metrics",
             {{"cvssMetricV31",
               {{{"source", "nvd@nist.gov"},
                 {"type", "Primary"},
                 {"cvssData",
                  {{"version", "3.1"}, {"vectorString", vector}, {"baseScore", score}, {"baseSeverity", sev}}},
                 {"exploitabilityScore", 3.9},
                 {"impactScore", 5.9}}}}}},
            {"weaknesses",
             {{{"source", "nvd@nist.gov"},
               {"type", "Primary"},
               {"description", {{{"lang", "en"}, {"value", "CWE-787"}}}}}}}}}};
}

ct::RunOptions Fixed() {
  ct::RunOptions o;
  o.env = {"CUSTOMS_FIXED_TIME=2026-11-23T00:00:00Z"};
  return o;
}

std::vector<std::string> PolicyLines(const std::string& err) {
  std::vector<std::string> out;
  std::istringstream ss(err);
  for (std::string l; std::getline(ss, l);)
    if (l.find("policy: ") != std::string::npos) out.push_back(l);
  return out;
}

std::string Plural(size_t n, const std::string& what) {
  return std::to_string(n) + " " + what + (n == 1 ? " vulnerability" : " vulnerabilities");
}

class VulnGates : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<ct::TempDir>("customs-vulngates");
    ct::ImageInfo info = ct::AlpineDockerArchive("3.7.3", *dir_ / "alpine-3.7.3.tar");
    image_ = *dir_ / "alpine-3.7.3.tar";
    bullseye_ = ct::BullseyeRootfs(*dir_ / "bullseye");
    // The enriched feeds: copies of the two OS feeds + the NVD page.
    const std::string from = *dir_ / "vulndata";
    ct::WriteFile(from + "/.x", "");  // creates the directory
    for (const char* feed : {"alpine-secdb", "debian-tracker"}) {
      ct::RunResult cp = ct::Run({"cp", "-r", ct::SharedDir() + "/vulndata/" + feed, from + "/"});
      if (cp.exit_code != 0) setup_error_ += "cp " + std::string(feed) + ": " + cp.Describe();
    }
    nlohmann::json page = {{"resultsPerPage", 3},
                           {"startIndex", 0},
                           {"totalResults", 3},
                           {"format", "NVD_CVE"},
                           {"version", "2.0"},
                           {"timestamp", "2026-11-20T00:00:00.000"},
                           {"vulnerabilities",
                            {NvdEntry(kMuslCve, kCritical, 9.8, "CRITICAL"),
                             NvdEntry("CVE-2022-1664", kCritical, 9.8, "CRITICAL"),
                             NvdEntry("CVE-2022-1271", kHigh, 8.8, "HIGH")}}};
    ct::WriteFile(from + "/nvd/nvdcve-2.0.json", page.dump(2));
    ct::RemoveTree(from + "/.x");
    rated_db_ = *dir_ / "rated.db";
    ct::RunResult b = ct::BuildVulnDb(from, rated_db_);
    if (b.exit_code != 0) setup_error_ += "db build of the rated feeds: " + b.Describe();
    build_out_ = b.out;
  }
  static void TearDownTestSuite() { dir_.reset(); }

  void SetUp() override {
    db_ = ct::SharedVulnDb();
    ASSERT_FALSE(db_.empty()) << ct::SharedVulnDbError();
    ASSERT_TRUE(setup_error_.empty()) << setup_error_;
  }

  ct::JsonRun ScanImage(const std::string& db, std::vector<std::string> extra) {
    std::vector<std::string> a = {"image", "--input", image_, "--db", db};
    a.insert(a.end(), extra.begin(), extra.end());
    return ct::RunCustomsJson(a, Fixed());
  }
  ct::JsonRun ScanBullseye(const std::string& db, std::vector<std::string> extra) {
    std::vector<std::string> a = {"rootfs", bullseye_, "--db", db};
    a.insert(a.end(), extra.begin(), extra.end());
    return ct::RunCustomsJson(a, Fixed());
  }
  std::string Write(const std::string& name, const std::string& text) {
    ct::WriteFile(local_ / name, text);
    return local_ / name;
  }

  static std::unique_ptr<ct::TempDir> dir_;
  static std::string image_, bullseye_, rated_db_, setup_error_, build_out_;
  std::string db_;
  ct::TempDir local_{"customs-vulngates-case"};
};

std::unique_ptr<ct::TempDir> VulnGates::dir_;
std::string VulnGates::image_, VulnGates::bullseye_, VulnGates::rated_db_, VulnGates::setup_error_,
    VulnGates::build_out_;

// The musl findings of the 3.7.3 image (musl, musl-utils: origin musl 1.1.18-r3 < 1.1.18-r4).
const ct::FindingSet kMuslFindings = {{"musl", kMuslCve}, {"musl-utils", kMuslCve}};

TEST_F(VulnGates, SeverityAndExitCode) {
  auto base = ScanImage(db_, {});
  ASSERT_EQ(base.run.exit_code, 0) << "findings alone do not fail the run: " << base.run.Describe();
  ASSERT_EQ(ct::ReportFindings(base.report), kMuslFindings);
  // The shared data's NVD sample (../shared/vulndata/nvd) rates CVE-2019-14697: CVSS 3.1 9.8, CRITICAL;
  // Alpine's secdb gives no rating of its own.
  for (const auto& v : ct::ReportVulnerabilities(base.report)) {
    EXPECT_EQ(ct::Str(v, "severity"), "CRITICAL") << "rated by the NVD sample: " << v.dump();
    EXPECT_EQ(ct::Str(v, "severitySource"), "nvd") << v.dump();
  }

  auto any = ScanImage(db_, {"--exit-code", "1"});
  EXPECT_EQ(any.run.exit_code, 1) << any.run.Describe();

  auto critical = ScanImage(db_, {"--severity", "CRITICAL", "--exit-code", "1"});
  EXPECT_EQ(critical.run.exit_code, 1) << critical.run.Describe();
  EXPECT_EQ(ct::ReportFindings(critical.report), kMuslFindings);

  auto unknown = ScanImage(db_, {"--severity", "UNKNOWN", "--exit-code", "1"});
  EXPECT_EQ(unknown.run.exit_code, 0) << "no UNKNOWN finding survives: " << unknown.run.Describe();
  EXPECT_TRUE(ct::ReportFindings(unknown.report).empty());
  EXPECT_EQ(unknown.report["summary"].value("total", -1), 0) << unknown.report["summary"].dump();

  auto other = ScanImage(db_, {"--severity", "HIGH,CRITICAL", "--exit-code", "3"});
  EXPECT_EQ(other.run.exit_code, 3) << other.run.Describe();
}

TEST_F(VulnGates, CriticalFromNvdRatingFailsAndIgnoringItPasses) {
  EXPECT_NE(build_out_.find("nvd"), std::string::npos) << build_out_;
  auto base = ScanImage(rated_db_, {});
  ASSERT_EQ(base.run.exit_code, 0) << base.run.Describe();
  ASSERT_EQ(ct::ReportFindings(base.report), kMuslFindings);
  for (const auto& v : ct::ReportVulnerabilities(base.report)) {
    SCOPED_TRACE(v.dump());
    EXPECT_EQ(ct::Str(v, "severity"), "CRITICAL");
    EXPECT_EQ(ct::Str(v, "severitySource"), "nvd");
    bool vec = false;
    for (const auto& c : v["cvss"])
      if (ct::Str(c, "vector") == kCritical && c.value("score", 0.0) == 9.8) vec = true;
    EXPECT_TRUE(vec) << "the NVD vector with score 9.8 is not in cvss";
    EXPECT_EQ(v["cwes"], nlohmann::json::array({"CWE-787"}));
  }
  EXPECT_EQ(base.report["summary"]["vulnerabilities"].value("CRITICAL", -1), 2) << base.report["summary"].dump();

  auto crit = ScanImage(rated_db_, {"--severity", "CRITICAL", "--exit-code", "1"});
  EXPECT_EQ(crit.run.exit_code, 1) << crit.run.Describe();
  EXPECT_EQ(ct::ReportFindings(crit.report), kMuslFindings);

  auto high = ScanImage(rated_db_, {"--severity", "HIGH", "--exit-code", "1"});
  EXPECT_EQ(high.run.exit_code, 0) << high.run.Describe();

  const std::string ignore = Write(".customsignore", std::string("# accepted for the test\n") + kMuslCve + "\n");
  auto ignored = ScanImage(rated_db_, {"--severity", "CRITICAL", "--exit-code", "1", "--ignorefile", ignore});
  EXPECT_EQ(ignored.run.exit_code, 0) << ignored.run.Describe();
  EXPECT_TRUE(ct::ReportFindings(ignored.report).empty());
}

TEST_F(VulnGates, IgnoreEntryExpiry) {
  struct Case {
    std::string line;
    bool suppresses;
  };
  // Today is 2026-11-23 (CUSTOMS_FIXED_TIME); an entry suppresses through the day it names.
  const std::vector<Case> cases = {
      {std::string(kMuslCve) + " exp:2020-01-01", false},
      {std::string(kMuslCve) + " exp:2026-11-22", false},
      {std::string(kMuslCve) + " exp:2026-11-23", true},
      {std::string(kMuslCve) + " exp:2030-01-01", true},
      {std::string(kMuslCve), true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.line);
    const std::string f = Write("ignore.txt", c.line + "\n");
    auto r = ScanImage(db_, {"--exit-code", "1", "--ignorefile", f});
    ASSERT_TRUE(r.report.is_object()) << r.run.Describe();
    if (c.suppresses) {
      EXPECT_EQ(r.run.exit_code, 0) << r.run.Describe();
      EXPECT_TRUE(ct::ReportFindings(r.report).empty());
      EXPECT_EQ(r.report["summary"].value("total", -1), 0);
      EXPECT_EQ(r.run.err.find("expired"), std::string::npos) << r.run.err;
    } else {
      EXPECT_EQ(r.run.exit_code, 1) << "an expired entry no longer suppresses: " << r.run.Describe();
      EXPECT_EQ(ct::ReportFindings(r.report), kMuslFindings);
      EXPECT_NE(r.run.err.find("expired"), std::string::npos) << "no expiry warning: " << r.run.err;
      EXPECT_NE(r.run.err.find(kMuslCve), std::string::npos) << r.run.err;
    }
  }
  // A package scope: only musl's finding is suppressed.
  const std::string f = Write("scoped.txt", std::string(kMuslCve) + " exp:2030-01-01 pkg:musl\n");
  auto r = ScanImage(db_, {"--exit-code", "1", "--ignorefile", f, "--show-suppressed"});
  EXPECT_EQ(r.run.exit_code, 1) << r.run.Describe();
  for (const auto& v : ct::ReportVulnerabilities(r.report)) {
    SCOPED_TRACE(v.dump());
    ASSERT_TRUE(v.contains("suppressed") && v["suppressed"].is_array());
    if (v["_package"] == "musl") {
      ASSERT_EQ(v["suppressed"].size(), 1u);
      EXPECT_EQ(ct::Str(v["suppressed"][0], "kind"), "ignore-file");
    } else {
      EXPECT_TRUE(v["suppressed"].empty());
    }
  }
  EXPECT_EQ(r.report["summary"].value("total", -1), 1);
  EXPECT_EQ(r.report["summary"].value("suppressed", -1), 1);
}

TEST_F(VulnGates, VexNotAffectedSuppresses) {
  auto base = ScanImage(db_, {});
  ASSERT_EQ(base.run.exit_code, 0) << base.run.Describe();
  std::string musl_purl;
  for (const auto& v : ct::ReportVulnerabilities(base.report))
    if (v["_package"] == "musl") musl_purl = v["_purl"];
  ASSERT_FALSE(musl_purl.empty()) << base.report.dump().substr(0, 2000);

  const std::string justification = "vulnerable_code_not_in_execute_path";
  nlohmann::json vex = {
      {"@context", "https://openvex.dev/ns/v0.2.0"},
      {"@id", "https://example.com/vex/customs-e2e-1"},
      {"author", "customs e2e tests"},
      {"timestamp", "2026-11-01T00:00:00Z"},
      {"version", 1},
      {"statements",
       {{{"vulnerability", {{"name", kMuslCve}}},
         {"products", {{{"@id", musl_purl}}}},
         {"status", "not_affected"},
         {"justification", justification},
         {"impact_statement", "printf(3) is not used with %z here"}}}}};
  const std::string vex_file = Write("musl.openvex.json", vex.dump(2));
  EXPECT_TRUE(ValidatesAgainstSchema("openvex", vex_file)) << "the test's own VEX document";

  auto r = ScanImage(db_, {"--vex", vex_file, "--exit-code", "1"});
  EXPECT_EQ(r.run.exit_code, 1) << "musl-utils' finding still stands: " << r.run.Describe();
  EXPECT_EQ(ct::ReportFindings(r.report), (ct::FindingSet{{"musl-utils", kMuslCve}}));
  EXPECT_EQ(r.report["summary"].value("total", -1), 1);

  auto shown = ScanImage(db_, {"--vex", vex_file, "--show-suppressed"});
  ASSERT_EQ(shown.run.exit_code, 0) << shown.run.Describe();
  EXPECT_EQ(ct::ReportFindings(shown.report), kMuslFindings) << "suppressed findings are listed";
  for (const auto& v : ct::ReportVulnerabilities(shown.report)) {
    SCOPED_TRACE(v.dump());
    ASSERT_TRUE(v.contains("suppressed") && v["suppressed"].is_array());
    if (v["_package"] == "musl") {
      ASSERT_EQ(v["suppressed"].size(), 1u);
      EXPECT_EQ(ct::Str(v["suppressed"][0], "kind"), "vex");
      EXPECT_NE(ct::Str(v["suppressed"][0], "justification").find(justification), std::string::npos);
      EXPECT_NE(ct::Str(v["suppressed"][0], "source").find("musl.openvex.json"), std::string::npos);
    } else {
      EXPECT_TRUE(v["suppressed"].empty());
    }
  }
  EXPECT_EQ(shown.report["summary"].value("total", -1), 1) << shown.report["summary"].dump();
  EXPECT_EQ(shown.report["summary"].value("suppressed", -1), 1) << shown.report["summary"].dump();

  // The table shows it flagged too.
  ct::RunResult table = ct::RunCustoms({"image", "--input", image_, "--db", db_, "--vex", vex_file, "--show-suppressed"},
                                       Fixed());
  EXPECT_EQ(table.exit_code, 0) << table.Describe();
  EXPECT_NE(table.out.find(justification), std::string::npos) << table.out;
}

TEST_F(VulnGates, ThresholdsEachHaveTheirMessage) {
  const ct::FindingSet want = ct::ExpectedBullseyeFindings();
  size_t critical = 0, high = 0;
  for (const auto& [pkg, id] : want) {
    if (id == "CVE-2022-1664") ++critical;
    if (id == "CVE-2022-1271") ++high;
  }
  ASSERT_GT(critical, 0u) << "the tracker data changed: dpkg CVE-2022-1664 expected";
  ASSERT_GT(high, 0u) << "the tracker data changed: gzip CVE-2022-1271 expected";
  const size_t total = want.size();

  auto base = ScanBullseye(rated_db_, {});
  ASSERT_EQ(base.run.exit_code, 0) << base.run.Describe();
  const auto& sum = base.report["summary"];
  EXPECT_EQ(sum["vulnerabilities"].value("CRITICAL", -1), int(critical)) << sum.dump();
  EXPECT_EQ(sum["vulnerabilities"].value("HIGH", -1), int(high)) << sum.dump();
  EXPECT_EQ(sum.value("total", -1), int(total)) << sum.dump();

  const std::string m_total = "policy: " + std::to_string(total) + (total == 1 ? " vulnerability" : " vulnerabilities") +
                              ", more than --max-total 0";
  const std::string m_high = "policy: " + Plural(high, "HIGH") + ", more than --max-high 0";
  const std::string m_crit = "policy: " + Plural(critical, "CRITICAL") + ", more than --max-critical 0";

  struct Case {
    std::vector<std::string> flags;
    std::vector<std::string> messages;
  };
  const std::vector<Case> cases = {
      {{"--max-total", "0"}, {m_total}},
      {{"--max-high", "0"}, {m_high}},
      {{"--max-critical", "0"}, {m_crit}},
      {{"--max-critical", "0", "--max-high", "0", "--max-total", "0"}, {m_crit, m_high, m_total}},
  };
  for (const auto& c : cases) {
    std::string name;
    for (const auto& f : c.flags) name += f + " ";
    SCOPED_TRACE(name);
    auto r = ScanBullseye(rated_db_, c.flags);
    EXPECT_EQ(r.run.exit_code, 1) << r.run.Describe();
    ASSERT_TRUE(r.report.is_object()) << "the report is still written: " << r.parse_error;
    auto lines = PolicyLines(r.run.err);
    EXPECT_EQ(lines.size(), c.messages.size()) << r.run.err;
    for (const auto& m : c.messages) {
      bool found = false;
      for (const auto& l : lines)
        if (l.find(m) != std::string::npos) found = true;
      EXPECT_TRUE(found) << "missing '" << m << "' in stderr:\n" << r.run.err;
    }
  }

  // The limits are inclusive; --exit-code gives the failing code.
  auto at = ScanBullseye(rated_db_, {"--max-total", std::to_string(total), "--max-high", std::to_string(high),
                                     "--max-critical", std::to_string(critical)});
  EXPECT_EQ(at.run.exit_code, 0) << at.run.Describe();
  EXPECT_TRUE(PolicyLines(at.run.err).empty()) << at.run.err;
  auto code = ScanBullseye(rated_db_, {"--max-high", "0", "--exit-code", "9"});
  EXPECT_EQ(code.run.exit_code, 9) << code.run.Describe();
  // Filters come first: with only CRITICAL kept, --max-high 0 does not fail.
  auto filtered = ScanBullseye(rated_db_, {"--severity", "CRITICAL", "--max-high", "0"});
  EXPECT_EQ(filtered.run.exit_code, 0) << filtered.run.Describe();
}

}  // namespace
