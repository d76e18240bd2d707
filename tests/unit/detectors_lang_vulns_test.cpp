// The language-package detector over a database built from OSV records written here: ranges,
// versions lists, GIT-only ranges, and one finding per advisory group (shared aliases).
#include <gtest/gtest.h>

#include "db/builder.h"
#include "db/vulndb.h"
#include "detectors/detector.h"
#include "support/fixtures.h"

using namespace customs;
namespace ct = customs_test;

namespace {

// Two records of one advisory (GHSA and PYSEC-like ids sharing the CVE), a record with an
// explicit versions list, and a GIT-only record.
const char* kGhsa = R"({"schema_version":"1.6.0","id":"GHSA-p6mc-m468-83gw","aliases":["CVE-2020-8203"],
 "summary":"Prototype pollution in lodash","affected":[{"package":{"ecosystem":"npm","name":"lodash"},
 "ranges":[{"type":"SEMVER","events":[{"introduced":"3.7.0"},{"fixed":"4.17.19"}]}]}]})";
const char* kOther = R"({"schema_version":"1.6.0","id":"OSV-2020-0001","aliases":["CVE-2020-8203"],
 "affected":[{"package":{"ecosystem":"npm","name":"lodash"},
 "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"4.17.20"}]}]}]})";
const char* kVersions = R"({"schema_version":"1.6.0","id":"GHSA-vh95-rmgr-6w4m","aliases":["CVE-2020-7598"],
 "affected":[{"package":{"ecosystem":"npm","name":"minimist"},"versions":["1.2.0","1.2.1"]}]})";
const char* kGit = R"({"schema_version":"1.6.0","id":"OSV-GIT-1","affected":[{"package":{"ecosystem":"npm","name":"minimist"},
 "ranges":[{"type":"GIT","repo":"https://example.org/x.git","events":[{"introduced":"0"},{"fixed":"abc123"}]}]}]})";
const char* kLastAffected = R"({"schema_version":"1.6.0","id":"GHSA-last-aff-ectd","affected":[{"package":{"ecosystem":"PyPI","name":"Django_Thing"},
 "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"1.0"},{"last_affected":"1.4.2"}]}]}]})";

ScanResult Detect(const std::string& dbpath, std::vector<Package> pkgs) {
  ScanResult r;
  r.inventory.packages = std::move(pkgs);
  auto vdb = db::VulnDB::Open(dbpath);
  DetectOptions o;
  o.db = vdb.get();
  for (const auto& d : MakeDetectors("vuln")) d->Detect(o, r);
  return r;
}

Package Pkg(const char* type, const char* name, const char* version) {
  Package p;
  p.type = type;
  p.name = name;
  p.version = version;
  return p;
}

}  // namespace

TEST(LangVulns, OsvRangesVersionsAliasesAndGitRanges) {
  ct::TempDir d;
  ct::WriteFile(d / "feeds/osv-npm/GHSA-p6mc-m468-83gw.json", kGhsa);
  ct::WriteFile(d / "feeds/osv-npm/OSV-2020-0001.json", kOther);
  ct::WriteFile(d / "feeds/osv-npm/GHSA-vh95-rmgr-6w4m.json", kVersions);
  ct::WriteFile(d / "feeds/osv-npm/OSV-GIT-1.json", kGit);
  ct::WriteFile(d / "feeds/osv-pypi/GHSA-last-aff-ectd.json", kLastAffected);
  db::BuildOptions bo;
  bo.from = d / "feeds";
  bo.output = d / "v.db";
  db::BuildDatabase(bo);

  ScanResult r = Detect(d / "v.db", {Pkg("npm", "lodash", "4.17.15"), Pkg("npm", "minimist", "1.2.0"),
                                     Pkg("npm", "minimist", "1.2.5"), Pkg("pypi", "django-thing", "1.4.2"),
                                     Pkg("pypi", "Django_Thing", "1.4.3"), Pkg("npm", "lodash", "4.17.20")});
  ASSERT_EQ(r.vulnerabilities.size(), 3u);
  const VulnFinding& lodash = r.vulnerabilities[0];
  EXPECT_EQ(lodash.package_index, 0u);
  EXPECT_EQ(lodash.id, "CVE-2020-8203");  // one finding for the two records naming the CVE
  EXPECT_EQ(lodash.aliases, (std::vector<std::string>{"GHSA-p6mc-m468-83gw", "OSV-2020-0001"}));
  EXPECT_EQ(lodash.fixed_version, "4.17.19");  // the lowest fix above the installed version
  EXPECT_EQ(lodash.status, FixStatus::kFixed);
  EXPECT_EQ(r.vulnerabilities[1].package_index, 1u);  // minimist 1.2.0 is in the versions list
  EXPECT_EQ(r.vulnerabilities[1].id, "CVE-2020-7598");
  EXPECT_EQ(r.vulnerabilities[1].status, FixStatus::kAffected);
  EXPECT_EQ(r.vulnerabilities[2].package_index, 3u);  // last_affected is inclusive; 1.4.3 is not
  bool git_notice = false;
  for (const auto& n : r.notices) git_notice |= n.kind == "git-ranges";
  EXPECT_TRUE(git_notice);
}
