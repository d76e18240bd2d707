// Issue #14: `customs fs` of a Node project with package-lock.json and the node_modules it installed
// reports each package once (from the lockfile, "also_found_in" the installed package.json), so its
// advisories are counted once by the summary and the --max-total gate. A copy installed at a version
// the lockfile does not pin stays a package of its own. The project is written here as npm 9 writes
// it (lockfileVersion 3; the installed manifests as the packages publish them, trimmed); the
// advisory is the real GHSA-p6mc-m468-83gw (tests/e2e/data/ghsa, source in its README).
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "support/fixtures.h"
#include "support/vulndb_fixture.h"

namespace ct = customs_test;
using nlohmann::json;

namespace {

const char* kLock = R"({
  "name": "app",
  "version": "1.0.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {"name": "app", "version": "1.0.0", "dependencies": {"lodash": "^4.17.15", "left-pad": "1.3.0"}},
    "node_modules/left-pad": {"version": "1.3.0",
      "resolved": "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz", "license": "WTFPL"},
    "node_modules/lodash": {"version": "4.17.15",
      "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.15.tgz", "license": "MIT"}
  }
})";

std::map<std::string, json> NpmPackages(const json& report) {
  std::map<std::string, json> out;  // "name@version dbPath" -> package
  for (const auto& t : report.value("targets", json::array()))
    for (const auto& p : t.value("packages", json::array()))
      if (p.value("purl", "").rfind("pkg:npm/", 0) == 0)
        out[p.value("name", "") + "@" + p.value("version", "") + " " + p.value("dbPath", "")] = p;
  return out;
}

TEST(LangNpmDedupe, LockedAndInstalledPackageIsOnePackage) {
  ct::TempDir d;
  ct::WriteFile(d / "feeds/osv-npm/GHSA-p6mc-m468-83gw.json",
                ct::ReadFile(ct::SourceDir() + "/tests/e2e/data/ghsa/GHSA-p6mc-m468-83gw.json"));
  const std::string db = d / "customs.db";
  ct::RunResult b = ct::BuildVulnDb(d / "feeds", db);
  ASSERT_EQ(b.exit_code, 0) << b.Describe();

  const std::string app = d / "app";
  ct::WriteFile(app + "/package.json", R"({"name": "app", "version": "1.0.0",
    "dependencies": {"lodash": "^4.17.15", "left-pad": "1.3.0"}})");
  ct::WriteFile(app + "/package-lock.json", kLock);
  ct::WriteFile(app + "/node_modules/lodash/package.json",
                R"({"name": "lodash", "version": "4.17.15", "license": "MIT", "main": "lodash.js"})");
  ct::WriteFile(app + "/node_modules/left-pad/package.json",
                R"({"name": "left-pad", "version": "1.3.0", "license": "WTFPL", "main": "index.js"})");

  ct::RunResult r = ct::RunCustoms({"fs", app, "--db", db, "-f", "json", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  json report = ct::ParseJson(r.out);
  auto pkgs = NpmPackages(report);
  // As many components as the lockfile has packages.
  ASSERT_EQ(pkgs.size(), 2u) << r.out.substr(0, 4000);
  ASSERT_TRUE(pkgs.count("lodash@4.17.15 package-lock.json")) << r.out.substr(0, 4000);
  const json& lodash = pkgs["lodash@4.17.15 package-lock.json"];
  EXPECT_EQ(lodash["extra"].value("also_found_in", ""), "node_modules/lodash/package.json");
  EXPECT_EQ(pkgs["left-pad@1.3.0 package-lock.json"]["extra"].value("also_found_in", ""),
            "node_modules/left-pad/package.json");
  // The finding once, counted once.
  EXPECT_EQ(ct::ReportFindingIds(report),
            (ct::FindingSet{{"lodash", "GHSA-p6mc-m468-83gw"}, {"lodash", "CVE-2020-8203"}}));
  EXPECT_EQ(ct::ReportVulnerabilities(report).size(), 1u);
  EXPECT_EQ(report["summary"].value("total", -1), 1) << report["summary"].dump();
  ct::RunResult gate = ct::RunCustoms({"fs", app, "--db", db, "-q", "--max-total", "1"});
  EXPECT_EQ(gate.exit_code, 0) << "one finding is within --max-total 1: " << gate.Describe();
  ct::RunResult over = ct::RunCustoms({"fs", app, "--db", db, "-q", "--max-total", "0"});
  EXPECT_NE(over.exit_code, 0) << "and over --max-total 0: " << over.Describe();

  // A copy at another version than the lockfile pins is another package.
  ct::WriteFile(app + "/node_modules/left-pad/node_modules/lodash/package.json",
                R"({"name": "lodash", "version": "4.17.21", "license": "MIT"})");
  r = ct::RunCustoms({"fs", app, "--db", db, "-f", "json", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  pkgs = NpmPackages(ct::ParseJson(r.out));
  EXPECT_EQ(pkgs.size(), 3u);
  EXPECT_TRUE(pkgs.count("lodash@4.17.21 node_modules/left-pad/node_modules/lodash/package.json"));
}

// Without a lockfile, the installed packages are reported as before.
TEST(LangNpmDedupe, NodeModulesAloneStays) {
  ct::TempDir d;
  ct::WriteFile(d / "app/node_modules/lodash/package.json", R"({"name": "lodash", "version": "4.17.15"})");
  ct::RunResult r = ct::RunCustoms({"fs", d / "app", "-f", "json", "-q", "--scanners", "none"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  auto pkgs = NpmPackages(ct::ParseJson(r.out));
  ASSERT_EQ(pkgs.size(), 1u);
  EXPECT_TRUE(pkgs.count("lodash@4.17.15 node_modules/lodash/package.json"));
  EXPECT_FALSE(pkgs.begin()->second["extra"].contains("also_found_in"));
}

}  // namespace
