// Acceptance: an rpm database made by rpmbuild + `rpm --justdb` (sqlite backend; ndb too, written
// by rpm where it can, else converted from rpm's sqlite database by the fixture), scanned with
// `customs rootfs`; `rpm -qa` is the oracle, run by the fixture on the database rpm wrote (before
// any conversion: Debian's rpm cannot read ndb).
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>

#include "support/fixtures.h"
#include "support/scenarios.h"

namespace ct = customs_test;

namespace {

struct RpmFacts {
  std::string epoch, version, release, arch, license, sourcerpm;
};

// `rpm -qa --qf ct::kRpmQaFactsFormat`, as RpmRoot recorded it.
std::map<std::string, RpmFacts> RecordedRpmFacts(const std::string& work_dir) {
  std::map<std::string, RpmFacts> out;
  std::istringstream ss(ct::ReadFile(ct::RpmQaFactsFile(work_dir)));
  for (std::string line; std::getline(ss, line);) {
    std::vector<std::string> f;
    std::istringstream ls(line);
    for (std::string x; std::getline(ls, x, '\t');) f.push_back(x);
    if (f.size() < 7) continue;
    out[f[0]] = RpmFacts{f[1], f[2], f[3], f[4], f[5], f[6]};
  }
  return out;
}

// The brief's oracle, verbatim: `rpm -qa --qf '%{NAME} %{VERSION}-%{RELEASE}\n'` (ct::kRpmQaFormat),
// as RpmRoot recorded it.
ct::NameVersionSet RecordedRpmNameVersionRelease(const std::string& work_dir) {
  ct::NameVersionSet s;
  std::istringstream ss(ct::ReadFile(ct::RpmQaFile(work_dir)));
  for (std::string line; std::getline(ss, line);) {
    auto sp = line.find(' ');
    if (sp != std::string::npos) s.insert({line.substr(0, sp), line.substr(sp + 1)});
  }
  return s;
}

void CheckRpmRoot(ct::RpmDbBackend backend) {
  std::string why;
  if (!ct::RpmRootAvailable(backend, &why)) GTEST_SKIP() << why;
  ct::TempDir d;
  auto root = ct::RpmRoot(d.path(), &why, backend);
  ASSERT_TRUE(root) << why;
  const std::string dbdir = *root + "/var/lib/rpm";
  if (backend == ct::RpmDbBackend::kNdb) {  // only an ndb database: customs must read that one
    ASSERT_TRUE(ct::PathExists(dbdir + "/Packages.db"));
    EXPECT_FALSE(ct::PathExists(dbdir + "/rpmdb.sqlite"));
  } else {
    ASSERT_TRUE(ct::PathExists(dbdir + "/rpmdb.sqlite"));
    EXPECT_FALSE(ct::PathExists(dbdir + "/Packages.db"));
  }
  auto facts = RecordedRpmFacts(d.path());
  ct::NameVersionSet oracle = RecordedRpmNameVersionRelease(d.path());
  ASSERT_EQ(facts.size(), ct::DefaultRpmSpecs().size());
  ASSERT_EQ(oracle.size(), ct::DefaultRpmSpecs().size());

  ct::JsonRun r = ct::RunCustomsJson({"rootfs", *root, "-f", "json"});
  ASSERT_EQ(r.run.exit_code, 0) << r.run.Describe();
  ASSERT_TRUE(r.report.is_object()) << r.parse_error;
  EXPECT_EQ(r.run.err, "");

  // Name and VERSION-RELEASE, as rpm -qa prints them (customs' `version` carries the epoch when
  // there is one, like rpm's %{EVR}; its upstreamVersion and release fields do not).
  ct::NameVersionSet got;
  for (const auto& p : ct::ReportPackages(r.report, "rpm"))
    got.insert({ct::Str(p, "name"), ct::Str(p, "upstreamVersion") + "-" + ct::Str(p, "release")});
  EXPECT_EQ(got, oracle) << ct::DescribeDiff(oracle, got);
  EXPECT_EQ(ct::ReportPackages(r.report, "rpm").size(), oracle.size());

  for (const auto& p : ct::ReportPackages(r.report, "rpm")) {
    const std::string name = ct::Str(p, "name");
    SCOPED_TRACE(name);
    EXPECT_EQ(ct::Str(p, "dbPath"), backend == ct::RpmDbBackend::kNdb ? "var/lib/rpm/Packages.db"
                                                                      : "var/lib/rpm/rpmdb.sqlite");
    auto it = facts.find(name);
    ASSERT_NE(it, facts.end());
    const RpmFacts& f = it->second;
    std::string evr = (f.epoch == "0" ? "" : f.epoch + ":") + f.version + "-" + f.release;
    EXPECT_EQ(ct::Str(p, "version"), evr);
    EXPECT_EQ(ct::Str(p, "epoch"), f.epoch);
    EXPECT_EQ(ct::Str(p, "arch"), f.arch);
    // SOURCERPM "customs-tool-2.3.4-5.fc39.src.rpm": source name = the package's name here.
    EXPECT_EQ(ct::Str(p, "srcName"), name) << f.sourcerpm;
    ASSERT_TRUE(p["licenses"].is_array());
    ASSERT_FALSE(p["licenses"].empty());
    EXPECT_EQ(p["licenses"][0], f.license);
    EXPECT_EQ(ct::Str(p, "purl").rfind("pkg:rpm/", 0), 0u) << ct::Str(p, "purl");
  }
}

TEST(RpmRootfs, SqliteDatabaseMatchesRpmQuery) { CheckRpmRoot(ct::RpmDbBackend::kSqlite); }

TEST(RpmRootfs, NdbDatabaseMatchesRpmQuery) { CheckRpmRoot(ct::RpmDbBackend::kNdb); }

TEST(RpmRootfs, OsReleaseOfTheRoot) {
  std::string why;
  ct::TempDir d;
  auto root = ct::RpmRoot(d.path(), &why);
  ASSERT_TRUE(root) << why;
  ct::JsonRun r = ct::RunCustomsJson({"rootfs", *root});
  ASSERT_EQ(r.run.exit_code, 0) << r.run.Describe();
  ASSERT_TRUE(r.report["os"].is_object()) << r.report.dump();
  EXPECT_EQ(ct::Str(r.report["os"], "family"), "fedora");
  EXPECT_EQ(ct::Str(r.report["os"], "version"), "39");
}

}  // namespace
