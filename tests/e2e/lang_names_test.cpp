// Issue #14: package names are matched by each ecosystem's own name rules (core/ecosystem.cpp), on
// both sides: the database key (db build) and the scanned package (db lookup). For each ecosystem
// whose registry folds names, a database is built from a real advisory that spells the package one
// way and `customs fs` scans a project whose lockfile spells it another way the registry treats as
// the same package; the finding must be reported, under the name as the lockfile wrote it.
//   - PyPI (PEP 503): ../shared/vulndata/osv-pypi/aiohttp-session/PYSEC-2018-35.yaml names
//     "aiohttp-session"; requirements.txt writes "AIOHTTP_Session==2.6.0".
//   - crates.io (case-insensitive, '-' and '_' equivalent): ../shared/vulndata/rustsec's
//     RUSTSEC-2021-0081 names "actix-http"; Cargo.lock writes "actix_http" 2.2.0.
//   - Packagist (case-insensitive): GHSA-52m2-vc4m-jj33 names "twig/twig"; composer.lock writes
//     "Twig/Twig" v2.14.0.
//   - NuGet (case-insensitive ids): GHSA-5crp-9r3c-p9vr names "Newtonsoft.Json";
//     packages.lock.json writes "newtonsoft.json" 12.0.3.
// The GHSA records are in tests/e2e/data/ghsa (sources in its README). And the exact ecosystems stay
// exact: npm's legacy mixed-case names are other packages than their lowercase spelling.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/fixtures.h"
#include "support/vulndb_fixture.h"

namespace ct = customs_test;

namespace {

struct NameCase {
  std::string label;
  std::string feed_dir;     // the feed folder the record goes to, under the db source directory
  std::string record_from;  // the real record
  std::string record_to;    // its path under feed_dir
  std::string project_file, project_text;
  std::string reported_name;  // as the project file spells it
  std::string id;
};

std::vector<NameCase> Cases() {
  const std::string shared = ct::SharedDir() + "/vulndata", ghsa = ct::SourceDir() + "/tests/e2e/data/ghsa";
  return {
      {"PyPI", "osv-pypi", shared + "/osv-pypi/aiohttp-session/PYSEC-2018-35.yaml",
       "aiohttp-session/PYSEC-2018-35.yaml", "requirements.txt", "AIOHTTP_Session==2.6.0\n", "AIOHTTP_Session",
       "PYSEC-2018-35"},
      {"crates.io", "rustsec", shared + "/rustsec/crates/actix-http/RUSTSEC-2021-0081.md",
       "crates/actix-http/RUSTSEC-2021-0081.md", "Cargo.lock",
       "version = 3\n\n[[package]]\nname = \"actix_http\"\nversion = \"2.2.0\"\n"
       "source = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
       "actix_http", "RUSTSEC-2021-0081"},
      {"Packagist", "osv-ghsa", ghsa + "/GHSA-52m2-vc4m-jj33.json", "GHSA-52m2-vc4m-jj33.json", "composer.lock",
       R"({"packages": [{"name": "Twig/Twig", "version": "v2.14.0"}], "packages-dev": []})", "Twig/Twig",
       "GHSA-52m2-vc4m-jj33"},
      {"NuGet", "osv-ghsa", ghsa + "/GHSA-5crp-9r3c-p9vr.json", "GHSA-5crp-9r3c-p9vr.json", "packages.lock.json",
       R"J({"version": 1, "dependencies": {"net6.0": {"newtonsoft.json": {"type": "Direct",
          "requested": "[12.0.3, )", "resolved": "12.0.3", "contentHash": "x"}}}})J",
       "newtonsoft.json", "GHSA-5crp-9r3c-p9vr"},
  };
}

TEST(LangNames, RegistryFoldedNamesMatchTheAdvisory) {
  for (const NameCase& c : Cases()) {
    SCOPED_TRACE(c.label);
    ct::TempDir d;
    ct::WriteFile(d / ("feeds/" + c.feed_dir + "/" + c.record_to), ct::ReadFile(c.record_from));
    const std::string db = d / "customs.db";
    ct::RunResult b = ct::BuildVulnDb(d / "feeds", db);
    ASSERT_EQ(b.exit_code, 0) << b.Describe();
    ct::WriteFile(d / ("project/" + c.project_file), c.project_text);
    ct::RunResult r = ct::RunCustoms({"fs", d / "project", "--db", db, "-f", "json", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.Describe();
    std::string err;
    const auto report = ct::ParseJson(r.out, &err);
    ASSERT_TRUE(report.is_object()) << err;
    // By id or alias (a record with a CVE alias is reported under the CVE).
    EXPECT_TRUE(ct::ReportFindingIds(report).count({c.reported_name, c.id})) << r.out.substr(0, 4000);
    // Nothing else: the one package, the one advisory.
    EXPECT_EQ(ct::ReportVulnerabilities(report).size(), 1u) << r.out.substr(0, 4000);
  }
}

// The control: in npm names are exact, so an advisory for "JSONStream"-style mixed case does not
// reach a lowercase package of that spelling (and the folded ecosystems above are not matched by
// accident of a case-insensitive database).
TEST(LangNames, ExactEcosystemsStayExact) {
  ct::TempDir d;
  ct::WriteFile(d / "feeds/osv-npm/X-1.json",
                R"({"id":"X-1","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"JSONStream"},)"
                R"("ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"9.0.0"}]}]}]})");
  const std::string db = d / "customs.db";
  ct::RunResult b = ct::BuildVulnDb(d / "feeds", db);
  ASSERT_EQ(b.exit_code, 0) << b.Describe();
  for (const std::string name : {"jsonstream", "JSONStream"}) {
    ct::WriteFile(d / (name + "/package-lock.json"),
                  R"({"name": "p", "lockfileVersion": 3, "packages": {"": {"name": "p", "dependencies": {")" + name +
                      R"(": "1.0.0"}}, "node_modules/)" + name + R"(": {"version": "1.0.0"}}})");
    ct::RunResult r = ct::RunCustoms({"fs", d / name, "--db", db, "-f", "json", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.Describe();
    const auto found = ct::ReportFindings(ct::ParseJson(r.out));
    if (name == "JSONStream") EXPECT_EQ(found, (ct::FindingSet{{"JSONStream", "X-1"}})) << r.out;
    else EXPECT_TRUE(found.empty()) << r.out;
  }
}

}  // namespace
