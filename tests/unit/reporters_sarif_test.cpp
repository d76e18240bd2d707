// The SARIF 2.1.0 report: schema-valid (sarif-2.1.0 schema, through ajv), one rule per
// vulnerability id, one result per finding, ready for GitHub code scanning.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "support/schema.h"
#include "unit/reporters_vuln_sample.h"

namespace customs {
namespace {

using nlohmann::json;

json Sarif(const ScanResult& r, bool show_suppressed = false) {
  return json::parse(sample::RenderWith("sarif", r, show_suppressed));
}

const json* RuleNamed(const json& doc, const std::string& id) {
  for (const auto& r : doc["runs"][0]["tool"]["driver"]["rules"])
    if (r["id"] == id) return &r;
  return nullptr;
}

std::vector<const json*> ResultsFor(const json& doc, const std::string& id) {
  std::vector<const json*> out;
  for (const auto& r : doc["runs"][0]["results"])
    if (r["ruleId"] == id) out.push_back(&r);
  return out;
}

TEST(SarifReport, IsRegistered) {
  bool found = false;
  for (const auto& e : ReporterRegistry()) found = found || std::string(e.format) == "sarif";
  EXPECT_TRUE(found);
  EXPECT_EQ(MakeReporter("sarif")->Name(), "sarif");
}

TEST(SarifReport, ValidatesAgainstTheSchema) {
  ScanResult empty;
  empty.tool_version = "0.1.0";
  ScanResult clean = sample::Alpine();
  clean.vuln_scanned = true;
  struct Case {
    const char* name;
    ScanResult result;
    bool show_suppressed;
  };
  for (const auto& c : {Case{"vulns", sample::VulnerableAlpine(), false},
                        Case{"vulns-suppressed", sample::VulnerableAlpine(), true}, Case{"clean", clean, false},
                        Case{"inventory-only", sample::Debian(), false}, Case{"bare", sample::BareRootfs(), false},
                        Case{"empty", empty, false}}) {
    std::string path =
        sample::WriteTemp(std::string(c.name) + ".sarif", sample::RenderWith("sarif", c.result, c.show_suppressed));
    EXPECT_TRUE(ValidatesAgainstSchema("sarif-2.1.0", path)) << c.name;
  }
}

TEST(SarifReport, EnvelopeAndDriver) {
  json doc = Sarif(sample::VulnerableAlpine());
  EXPECT_EQ(doc["version"], "2.1.0");
  EXPECT_EQ(doc["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
  ASSERT_EQ(doc["runs"].size(), 1u);
  const json& run = doc["runs"][0];
  const json& driver = run["tool"]["driver"];
  EXPECT_EQ(driver["name"], "customs");
  EXPECT_EQ(driver["version"], "0.1.0");
  EXPECT_EQ(run["originalUriBaseIds"]["ROOTPATH"]["uri"], "file:///");
  EXPECT_EQ(run["properties"]["artifactName"], "alpine:3.9");
  EXPECT_EQ(run["properties"]["repoTags"], json::array({"alpine:3.9"}));
  // The notice is a tool execution notification.
  ASSERT_EQ(run["invocations"].size(), 1u);
  EXPECT_EQ(run["invocations"][0]["executionSuccessful"], true);
  EXPECT_EQ(run["invocations"][0]["toolExecutionNotifications"],
            json::parse(R"([{"level": "warning", "message": {"text":
                "alpine 3.9.6: past end of life (2020-11-01); the data may miss newer vulnerabilities"},
                "descriptor": {"id": "eol"}}])"));
}

TEST(SarifReport, OneRulePerVulnerabilityId) {
  json doc = Sarif(sample::VulnerableAlpine());
  const json& rules = doc["runs"][0]["tool"]["driver"]["rules"];
  std::vector<std::string> ids;
  for (const auto& r : rules) ids.push_back(r["id"]);
  // Sorted, unique; CVE-2021-3711 (two packages) once; the suppressed one absent.
  EXPECT_EQ(ids, (std::vector<std::string>{"CVE-2017-0001", "CVE-2018-1000500", "CVE-2021-22876", "CVE-2021-3711",
                                           "CVE-2021-3712", "CVE-2022-28391", "CVE-2023-38545"}));

  const json* r = RuleNamed(doc, "CVE-2021-3711");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ((*r)["name"], "OsPackageVulnerability");
  EXPECT_EQ((*r)["shortDescription"]["text"], "openssl: SM2 Decryption Buffer Overflow");
  EXPECT_EQ((*r)["fullDescription"]["text"],
            "In order to decrypt SM2 encrypted data an application is expected to call the API function.");
  EXPECT_EQ((*r)["helpUri"], "https://nvd.nist.gov/vuln/detail/CVE-2021-3711");
  EXPECT_EQ((*r)["defaultConfiguration"]["level"], "error");
  EXPECT_EQ((*r)["properties"]["precision"], "very-high");
  EXPECT_EQ((*r)["properties"]["security-severity"], "9.8");
  EXPECT_EQ((*r)["properties"]["tags"], json::array({"vulnerability", "security", "CRITICAL"}));
  const std::string text = (*r)["help"]["text"];
  EXPECT_NE(text.find("Vulnerability CVE-2021-3711\nSeverity: CRITICAL\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Package: libcrypto1.1\nFixed Version: 1.1.1l-r0"), std::string::npos) << text;
  EXPECT_NE(text.find("Package: libssl1.1\nFixed Version: 1.1.1l-r0"), std::string::npos) << text;
  const std::string md = (*r)["help"]["markdown"];
  EXPECT_NE(md.find("| Severity | Package | Fixed Version | Link |"), std::string::npos) << md;
  EXPECT_NE(md.find("|CRITICAL|libssl1.1|1.1.1l-r0|[CVE-2021-3711](https://nvd.nist.gov/vuln/detail/CVE-2021-3711)|"),
            std::string::npos)
      << md;

  // Levels and security-severity from the severity.
  EXPECT_EQ((*RuleNamed(doc, "CVE-2021-3712"))["defaultConfiguration"]["level"], "error");
  EXPECT_EQ((*RuleNamed(doc, "CVE-2021-3712"))["properties"]["security-severity"], "7.4");
  EXPECT_EQ((*RuleNamed(doc, "CVE-2021-22876"))["defaultConfiguration"]["level"], "warning");
  EXPECT_EQ((*RuleNamed(doc, "CVE-2022-28391"))["defaultConfiguration"]["level"], "note");
  EXPECT_EQ((*RuleNamed(doc, "CVE-2022-28391"))["properties"]["security-severity"], "2.0");  // no CVSS: stand-in
  EXPECT_EQ((*RuleNamed(doc, "CVE-2018-1000500"))["defaultConfiguration"]["level"], "note");
  EXPECT_EQ((*RuleNamed(doc, "CVE-2018-1000500"))["properties"]["security-severity"], "0.0");
  EXPECT_FALSE(RuleNamed(doc, "CVE-2018-1000500")->contains("helpUri"));  // no reference
  EXPECT_EQ((*RuleNamed(doc, "CVE-2017-0001"))["properties"]["security-severity"], "0.0");
  // The KEV one: HIGH by NVD's 7.5 (the GHSA 9.8 would make GitHub say critical), tagged kev.
  const json* kev = RuleNamed(doc, "CVE-2023-38545");
  EXPECT_EQ((*kev)["properties"]["security-severity"], "7.5");
  EXPECT_EQ((*kev)["properties"]["tags"], json::array({"vulnerability", "security", "HIGH", "kev"}));
  EXPECT_NE((*kev)["help"]["text"].get<std::string>().find("Known Exploited Vulnerabilities catalog (added 2024-01-10)"),
            std::string::npos);
}

TEST(SarifReport, OneResultPerFinding) {
  json doc = Sarif(sample::VulnerableAlpine());
  const json& results = doc["runs"][0]["results"];
  ASSERT_EQ(results.size(), 8u);
  const json& rules = doc["runs"][0]["tool"]["driver"]["rules"];
  std::set<std::string> fingerprints;
  for (const auto& r : results) {
    // ruleIndex points at the rule of ruleId.
    EXPECT_EQ(rules[r["ruleIndex"].get<size_t>()]["id"], r["ruleId"]);
    EXPECT_TRUE(fingerprints.insert(r["partialFingerprints"]["customs/v1"]).second);
    EXPECT_TRUE(std::regex_match(r["partialFingerprints"]["customs/v1"].get<std::string>(), std::regex("[0-9a-f]{64}")));
    EXPECT_FALSE(r.contains("suppressions"));
  }
  auto both = ResultsFor(doc, "CVE-2021-3711");
  ASSERT_EQ(both.size(), 2u);
  const json& ssl = *both[1];
  EXPECT_EQ(ssl["level"], "error");
  EXPECT_EQ(ssl["message"]["text"],
            "Package: libssl1.1\nInstalled Version: 1.1.1k-r0\nVulnerability CVE-2021-3711\nSeverity: CRITICAL\n"
            "Fixed Version: 1.1.1l-r0\nLink: [CVE-2021-3711](https://nvd.nist.gov/vuln/detail/CVE-2021-3711)");
  const json& loc = ssl["locations"][0]["physicalLocation"];
  EXPECT_EQ(loc["artifactLocation"], (json{{"uri", "lib/apk/db/installed"}, {"uriBaseId", "ROOTPATH"}}));
  EXPECT_EQ(loc["region"], (json{{"startLine", 1}, {"startColumn", 1}, {"endLine", 1}, {"endColumn", 1}}));
  EXPECT_EQ(ssl["properties"]["packageName"], "libssl1.1");
  EXPECT_EQ(ssl["properties"]["purl"], "pkg:apk/alpine/libssl1.1@1.1.1k-r0?arch=x86_64&distro=3.9.6");

  auto kev = ResultsFor(doc, "CVE-2023-38545");
  ASSERT_EQ(kev.size(), 1u);
  EXPECT_NE((*kev[0])["message"]["text"].get<std::string>().find("\nKnown exploited: CISA KEV (added 2024-01-10)"),
            std::string::npos);
  EXPECT_EQ((*kev[0])["level"], "error");
  EXPECT_EQ((*ResultsFor(doc, "CVE-2021-22876")[0])["level"], "warning");
  EXPECT_EQ((*ResultsFor(doc, "CVE-2022-28391")[0])["level"], "note");
  EXPECT_TRUE(ResultsFor(doc, "CVE-2020-28928").empty());  // suppressed: left out
}

TEST(SarifReport, SuppressedAsExternalSuppressions) {
  json doc = Sarif(sample::VulnerableAlpine(), /*show_suppressed=*/true);
  auto sup = ResultsFor(doc, "CVE-2020-28928");
  ASSERT_EQ(sup.size(), 1u);
  EXPECT_EQ((*sup[0])["suppressions"],
            json::parse(R"([{"kind": "external", "status": "accepted",
                "justification": "vulnerable_code_not_in_execute_path — CVE-2020-28928 not_affected for pkg:apk/alpine/musl",
                "properties": {"customsKind": "vex", "source": "alpine.openvex.json"}}])"));
  ASSERT_NE(RuleNamed(doc, "CVE-2020-28928"), nullptr);
  EXPECT_EQ(doc["runs"][0]["results"].size(), 9u);
  // The others carry no suppressions.
  EXPECT_FALSE(ResultsFor(doc, "CVE-2021-3712")[0]->contains("suppressions"));
}

TEST(SarifReport, EmptyWhenNothingFound) {
  for (bool scanned : {false, true}) {
    ScanResult r = sample::VulnerableAlpine();
    r.vuln_scanned = scanned;
    if (scanned) {
      r.vulnerabilities.clear();
      r.notices.clear();
    }
    json doc = Sarif(r);
    EXPECT_EQ(doc["runs"][0]["results"], json::array());
    EXPECT_EQ(doc["runs"][0]["tool"]["driver"]["rules"], json::array());
    EXPECT_FALSE(doc["runs"][0].contains("invocations"));
  }
}

TEST(SarifReport, DeterministicAndUriSafe) {
  ScanResult a = sample::VulnerableAlpine();
  ScanResult b = a;
  std::reverse(b.vulnerabilities.begin(), b.vulnerabilities.end());
  std::reverse(b.inventory.packages.begin(), b.inventory.packages.end());
  for (auto& f : b.vulnerabilities) f.package_index = b.inventory.packages.size() - 1 - f.package_index;
  EXPECT_EQ(sample::RenderWith("sarif", a, true), sample::RenderWith("sarif", b, true));

  // A package without a database path is located at the artifact, percent-encoded.
  ScanResult c = sample::VulnerableAlpine();
  for (auto& p : c.inventory.packages) p.db_path = "";
  c.vulnerabilities[0].references = {"not a url", "https://example.com/a"};
  json doc = Sarif(c, true);
  EXPECT_EQ(doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "alpine%3A3.9");
  EXPECT_EQ((*RuleNamed(doc, "CVE-2020-28928"))["helpUri"], "https://example.com/a");
  std::string path = sample::WriteTemp("nodb.sarif", doc.dump());
  EXPECT_TRUE(ValidatesAgainstSchema("sarif-2.1.0", path));
}

}  // namespace
}  // namespace customs
