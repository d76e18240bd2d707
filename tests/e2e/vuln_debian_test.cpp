// Acceptance (vulnerability scanning, Debian): a bullseye root filesystem (the shared dpkg status
// file of the August 2021 bullseye image, a Debian 11 os-release) scanned with
// `customs rootfs DIR --db DB -f json` gives exactly the (binary package, CVE) pairs the Debian
// security tracker's DSA/DLA lists imply; the expectation is computed in the fixture
// (ExpectedBullseyeFindings: the lists parsed here, versions compared with dpkg --compare-versions).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/fixtures.h"
#include "support/scenarios.h"
#include "support/vulndb_fixture.h"

namespace ct = customs_test;

namespace {

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += "\n  " + x;
  return s;
}

TEST(VulnDebian, BullseyeFindingsAreExactlyWhatTheTrackerImplies) {
  const std::string db = ct::SharedVulnDb();
  ASSERT_FALSE(db.empty()) << ct::SharedVulnDbError();
  std::vector<std::string> log;
  const ct::FindingSet want = ct::ExpectedBullseyeFindings(&log);
  ASSERT_FALSE(want.empty()) << "the tracker lists fixes for the 2021 bullseye packages:" << Join(log);

  ct::TempDir d;
  ct::BullseyeRootfs(d / "root");
  ct::RunOptions o;
  o.env = {"CUSTOMS_FIXED_TIME=2026-11-23T00:00:00Z"};
  ct::JsonRun r = ct::RunCustomsJson({"rootfs", d / "root", "--db", db}, o);
  ASSERT_EQ(r.run.exit_code, 0) << r.run.Describe();
  ASSERT_TRUE(r.report.is_object()) << r.parse_error;
  ASSERT_TRUE(r.report.contains("summary")) << "the vulnerability scanner did not run";
  ASSERT_TRUE(r.report["os"].is_object());
  EXPECT_EQ(ct::Str(r.report["os"], "family"), "debian");
  EXPECT_EQ(ct::Str(r.report["os"], "codename"), "bullseye");
  EXPECT_EQ(ct::ReportPackages(r.report, "dpkg").size(), 96u);

  std::string diff;
  EXPECT_TRUE(ct::FindingsEqual(r.report, want, &diff)) << diff << "\ncomparisons made by the test:" << Join(log);

  for (const auto& n : r.report["notices"]) EXPECT_NE(ct::Str(n, "kind"), "no-data") << n.dump();
  size_t count = 0;
  for (const auto& v : ct::ReportVulnerabilities(r.report)) {
    ++count;
    SCOPED_TRACE(v.dump());
    EXPECT_EQ(ct::Str(v["dataSource"], "id"), "debian-tracker");
    EXPECT_FALSE(ct::Str(v, "installedVersion").empty());
  }
  EXPECT_EQ(r.report["summary"].value("total", -1), int(count)) << r.report["summary"].dump();
}

// The tracker's other forms, on a copy of the lists with a few advisories added for packages of the
// image: `<unfixed>` and `<end-of-life>` (affected: no fix for the release), `<not-affected>`
// (not), an advisory without
// CVEs (reported under its own id), a trailing note after the version, and epochs.
TEST(VulnDebian, TrackerTagsNotesAndEpochs) {
  ct::TempDir d;
  const std::string tracker = d / "vulndata/debian-tracker";
  const std::string shared = ct::SharedDir() + "/vulndata/debian-tracker";
  ct::WriteFile(tracker + "/DLA.list", ct::ReadFile(shared + "/DLA.list"));
  ct::WriteFile(tracker + "/DSA.list",
                "[01 Apr 2023] DSA-9999-1 zlib - security update\n"
                "\t{CVE-2099-0001}\n"
                "\t[bullseye] - zlib <unfixed>\n"
                "[01 Apr 2023] DSA-9998-1 bash - security update\n"
                "\t{CVE-2099-0002}\n"
                "\t[bullseye] - bash <not-affected> (vulnerable code not present)\n"
                "[01 Apr 2023] DSA-9997-1 sed - security update\n"
                "\t[bullseye] - sed 4.7-1+deb11u9\n"
                "[01 Apr 2023] DSA-9996-1 tar - security update\n"
                "\t{CVE-2099-0003 CVE-2099-0006}\n"
                "\t[bullseye] - tar 1.34+dfsg-1+deb11u9 (bug #999999)\n"
                "\t[buster] - tar <end-of-life>\n"
                "[01 Apr 2023] DSA-9995-1 zlib - security update\n"
                "\t{CVE-2099-0004}\n"
                "\t[bullseye] - zlib 1:1.2.11.dfsg-2+deb11u9\n"
                "[01 Apr 2023] DSA-9994-1 zlib - security update\n"
                "\t{CVE-2099-0005}\n"
                "\t[bullseye] - zlib 1.2.11.dfsg-9\n"
                "[01 Apr 2023] DSA-9993-1 sed - security update\n"
                "\t{CVE-2099-0007}\n"
                "\t[bullseye] - sed <end-of-life>\n" +
                    ct::ReadFile(shared + "/DSA.list"));
  std::vector<std::string> log;
  const ct::FindingSet want = ct::ExpectedBullseyeFindings(&log, tracker);
  // The test's own reading of the added entries.
  for (const auto& f : ct::FindingSet{{"zlib1g", "CVE-2099-0001"}, {"sed", "DSA-9997-1"}, {"tar", "CVE-2099-0003"},
                                      {"tar", "CVE-2099-0006"}, {"zlib1g", "CVE-2099-0004"},
                                      {"sed", "CVE-2099-0007"}})
    ASSERT_TRUE(want.count(f)) << f.first << " " << f.second << Join(log);
  for (const auto& f : ct::FindingSet{{"bash", "CVE-2099-0002"}, {"zlib1g", "CVE-2099-0005"}})
    ASSERT_FALSE(want.count(f)) << f.first << " " << f.second << Join(log);

  ct::RunResult b = ct::BuildVulnDb(d / "vulndata", d / "t.db");
  ASSERT_EQ(b.exit_code, 0) << b.Describe();
  ct::BullseyeRootfs(d / "root");
  ct::RunOptions o;
  o.env = {"CUSTOMS_FIXED_TIME=2026-11-23T00:00:00Z"};
  ct::JsonRun r = ct::RunCustomsJson({"rootfs", d / "root", "--db", d / "t.db"}, o);
  ASSERT_EQ(r.run.exit_code, 0) << r.run.Describe();
  std::string diff;
  EXPECT_TRUE(ct::FindingsEqual(r.report, want, &diff)) << diff;
  for (const auto& v : ct::ReportVulnerabilities(r.report)) {
    if (ct::Str(v, "id") != "CVE-2099-0001" && ct::Str(v, "id") != "CVE-2099-0007") continue;
    EXPECT_NE(ct::Str(v, "status"), "fixed") << v.dump();
    EXPECT_NE(ct::Str(v, "status"), "not_affected") << v.dump();
    EXPECT_EQ(ct::Str(v, "fixedVersion"), "") << v.dump();
  }
}

}  // namespace
