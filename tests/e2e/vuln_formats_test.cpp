// Acceptance (vulnerability scanning, output formats): the SARIF (`-f sarif`) and CycloneDX
// (`-f cyclonedx --scanners vuln`) reports of the Alpine 3.7.3 image and the bullseye root filesystem
// validate against their official schemas (../shared/specs/schemas, through ajv), and carry the
// findings of the JSON report: SARIF with one rule per vulnerability id and one result per finding,
// located at the package database file; CycloneDX with one vulnerability per id whose `affects`
// point at components of the BOM.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "support/fixtures.h"
#include "support/scenarios.h"
#include "support/schema.h"
#include "support/vulndb_fixture.h"

namespace ct = customs_test;

namespace {

struct Target {
  std::string name;
  std::vector<std::string> args;  // the scan command without --db / format
  std::string db_file;            // where SARIF results must point
};

ct::RunOptions Fixed() {
  ct::RunOptions o;
  o.env = {"CUSTOMS_FIXED_TIME=2026-11-23T00:00:00Z"};
  return o;
}

class VulnFormats : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = ct::SharedVulnDb();
    ASSERT_FALSE(db_.empty()) << ct::SharedVulnDbError();
    if (GetParam() == "alpine_3_7_3") {
      ct::AlpineDockerArchive("3.7.3", d_ / "image.tar");
      target_ = {"alpine 3.7.3", {"image", "--input", d_ / "image.tar"}, "lib/apk/db/installed"};
    } else {
      target_ = {"bullseye", {"rootfs", ct::BullseyeRootfs(d_ / "root")}, "var/lib/dpkg/status"};
    }
  }
  std::vector<std::string> Args(std::vector<std::string> extra) {
    std::vector<std::string> a = target_.args;
    a.insert(a.end(), {"--db", db_});
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
  ct::TempDir d_;
  std::string db_;
  Target target_;
};

TEST_P(VulnFormats, SarifValidatesAndHasOneRulePerId) {
  ct::JsonRun j = ct::RunCustomsJson(Args({}), Fixed());
  ASSERT_EQ(j.run.exit_code, 0) << j.run.Describe();
  const auto findings = ct::ReportFindings(j.report);
  ASSERT_FALSE(findings.empty()) << target_.name << " has findings";
  std::set<std::string> ids;
  for (const auto& [pkg, id] : findings) ids.insert(id);

  const std::string out = d_ / "report.sarif";
  ct::RunResult r = ct::RunCustoms(Args({"-f", "sarif", "-o", out}), Fixed());
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_TRUE(ValidatesAgainstSchema("sarif-2.1.0", out));
  nlohmann::json s = ct::ParseJson(ct::ReadFile(out));
  ASSERT_TRUE(s.is_object());
  EXPECT_EQ(ct::Str(s, "version"), "2.1.0");
  ASSERT_EQ(s["runs"].size(), 1u);
  const auto& run = s["runs"][0];

  std::vector<std::string> rule_ids;
  for (const auto& rule : run["tool"]["driver"]["rules"]) rule_ids.push_back(ct::Str(rule, "id"));
  EXPECT_EQ(std::set<std::string>(rule_ids.begin(), rule_ids.end()).size(), rule_ids.size()) << "duplicate rules";
  EXPECT_EQ(std::set<std::string>(rule_ids.begin(), rule_ids.end()), ids);

  ct::FindingSet seen;
  ASSERT_TRUE(run["results"].is_array());
  EXPECT_EQ(run["results"].size(), findings.size()) << "one result per (package, vulnerability)";
  for (const auto& res : run["results"]) {
    SCOPED_TRACE(res.dump());
    const std::string rule = ct::Str(res, "ruleId");
    EXPECT_TRUE(ids.count(rule));
    if (res.contains("ruleIndex")) {
      ASSERT_LT(res["ruleIndex"].get<size_t>(), rule_ids.size());
      EXPECT_EQ(rule_ids[res["ruleIndex"].get<size_t>()], rule);
    }
    ASSERT_TRUE(res["locations"].is_array() && !res["locations"].empty());
    for (const auto& loc : res["locations"])
      EXPECT_EQ(ct::Str(loc["physicalLocation"]["artifactLocation"], "uri"), target_.db_file);
    // The package is named in the message (as Trivy writes it: "Package: NAME").
    const std::string text = ct::Str(res["message"], "text");
    for (const auto& [pkg, id] : findings)
      if (id == rule && text.find("Package: " + pkg + "\n") != std::string::npos) seen.insert({pkg, id});
  }
  EXPECT_EQ(seen, findings) << "every finding has its result";
}

TEST_P(VulnFormats, CycloneDxWithVulnerabilitiesValidates) {
  ct::JsonRun j = ct::RunCustomsJson(Args({}), Fixed());
  ASSERT_EQ(j.run.exit_code, 0) << j.run.Describe();
  const auto findings = ct::ReportFindings(j.report);
  ASSERT_FALSE(findings.empty());
  std::map<std::string, std::set<std::string>> purls_of_id;
  for (const auto& v : ct::ReportVulnerabilities(j.report)) purls_of_id[ct::Str(v, "id")].insert(ct::Str(v, "_purl"));

  const std::string out = d_ / "report.cdx.json";
  ct::RunResult r = ct::RunCustoms(Args({"-f", "cyclonedx", "--scanners", "vuln", "-o", out}), Fixed());
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_TRUE(ValidatesAgainstSchema("cyclonedx-1.6", out));
  nlohmann::json bom = ct::ParseJson(ct::ReadFile(out));
  ASSERT_TRUE(bom.is_object());
  EXPECT_EQ(ct::Str(bom, "specVersion"), "1.6");

  std::map<std::string, std::string> purl_of_ref;
  std::function<void(const nlohmann::json&)> walk = [&](const nlohmann::json& comps) {
    if (!comps.is_array()) return;
    for (const auto& c : comps) {
      purl_of_ref[ct::Str(c, "bom-ref")] = ct::Str(c, "purl");
      if (c.contains("components")) walk(c["components"]);
    }
  };
  walk(bom["components"]);

  ASSERT_TRUE(bom.contains("vulnerabilities") && bom["vulnerabilities"].is_array()) << "no vulnerabilities in the BOM";
  std::map<std::string, std::set<std::string>> got;
  for (const auto& v : bom["vulnerabilities"]) {
    SCOPED_TRACE(v.dump().substr(0, 600));
    const std::string id = ct::Str(v, "id");
    EXPECT_FALSE(got.count(id)) << "one vulnerability entry per id";
    for (const auto& a : v["affects"]) {
      const std::string ref = ct::Str(a, "ref");
      ASSERT_TRUE(purl_of_ref.count(ref)) << "affects ref " << ref << " is not a component";
      got[id].insert(purl_of_ref[ref]);
    }
  }
  EXPECT_EQ(got, purls_of_id);
}

INSTANTIATE_TEST_SUITE_P(Vuln, VulnFormats, testing::Values("alpine_3_7_3", "bullseye"),
                         [](const testing::TestParamInfo<std::string>& i) { return i.param; });

}  // namespace
