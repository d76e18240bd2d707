// The CycloneDX 1.6 report: schema-valid (bom-1.6 schema, through ajv), deterministic, complete.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "support/schema.h"
#include "unit/reporters_sample.h"
#include "unit/reporters_vuln_sample.h"

namespace customs {
namespace {

using nlohmann::json;

json Bom(const ScanResult& r) { return json::parse(sample::Render("cyclonedx", r)); }

const json* Component(const json& bom, const std::string& ref) {
  for (const auto& c : bom["components"])
    if (c["bom-ref"] == ref) return &c;
  return nullptr;
}

const json* DependencyOf(const json& bom, const std::string& ref) {
  for (const auto& d : bom["dependencies"])
    if (d["ref"] == ref) return &d;
  return nullptr;
}

std::string Property(const json& component, const std::string& name) {
  for (const auto& p : component.value("properties", json::array()))
    if (p["name"] == name) return p["value"];
  return "";
}

TEST(CycloneDxReport, ValidatesAgainstTheSchema) {
  struct Case {
    const char* name;
    ScanResult result;
  };
  ScanResult empty;
  empty.tool_version = "0.1.0";
  empty.scanned_at = "2024-05-06T07:08:09Z";
  for (const auto& c : {Case{"alpine", sample::Alpine()}, Case{"debian", sample::Debian()},
                        Case{"rocky", sample::Rocky()}, Case{"bare", sample::BareRootfs()}, Case{"empty", empty}}) {
    std::string path = sample::WriteTemp(std::string(c.name) + ".cdx.json", sample::Render("cyclonedx", c.result));
    EXPECT_TRUE(ValidatesAgainstSchema("cyclonedx-1.6", path)) << c.name;
  }
}

TEST(CycloneDxReport, HeaderAndMetadata) {
  json bom = Bom(sample::Alpine());
  EXPECT_EQ(bom["bomFormat"], "CycloneDX");
  EXPECT_EQ(bom["specVersion"], "1.6");
  EXPECT_EQ(bom["version"], 1);
  EXPECT_TRUE(std::regex_match(bom["serialNumber"].get<std::string>(),
                               std::regex("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
  EXPECT_EQ(bom["metadata"]["timestamp"], "2024-05-06T07:08:09Z");
  EXPECT_EQ(bom["metadata"]["tools"]["components"][0]["name"], "customs");
  EXPECT_EQ(bom["metadata"]["tools"]["components"][0]["version"], "0.1.0");
  const json& subject = bom["metadata"]["component"];
  EXPECT_EQ(subject["type"], "container");
  EXPECT_EQ(subject["name"], "alpine:3.9");
  EXPECT_EQ(subject["version"], "sha256:" + std::string(64, 'c'));
  EXPECT_EQ(Property(subject, "customs:RepoTag"), "alpine:3.9");

  json fs = Bom(sample::BareRootfs());
  EXPECT_EQ(fs["metadata"]["component"]["type"], "file");
  EXPECT_EQ(fs["metadata"]["component"]["name"], "/srv/rootfs");
  EXPECT_FALSE(fs["metadata"]["component"].contains("version"));
}

TEST(CycloneDxReport, SerialNumberIsDeterministic) {
  ScanResult a = sample::Alpine();
  ScanResult b = sample::Alpine();
  std::reverse(b.inventory.packages.begin(), b.inventory.packages.end());
  EXPECT_EQ(sample::Render("cyclonedx", a), sample::Render("cyclonedx", b));
  ScanResult c = sample::Alpine();
  c.inventory.packages.pop_back();
  EXPECT_NE(Bom(a)["serialNumber"], Bom(c)["serialNumber"]);
}

TEST(CycloneDxReport, OsAndPackageComponents) {
  json bom = Bom(sample::Alpine());
  ASSERT_EQ(bom["components"].size(), 6u);
  const json& os = bom["components"][0];
  EXPECT_EQ(os["type"], "operating-system");
  EXPECT_EQ(os["name"], "alpine");
  EXPECT_EQ(os["version"], "3.9.6");

  const std::string musl_purl = "pkg:apk/alpine/musl@1.1.20-r4?arch=x86_64&distro=3.9.6";
  const json* musl = Component(bom, musl_purl);
  ASSERT_NE(musl, nullptr);
  EXPECT_EQ((*musl)["type"], "library");
  EXPECT_EQ((*musl)["name"], "musl");
  EXPECT_EQ((*musl)["version"], "1.1.20-r4");
  EXPECT_EQ((*musl)["purl"], musl_purl);
  EXPECT_EQ((*musl)["licenses"], json::parse(R"([{"license": {"id": "MIT"}}])"));
  EXPECT_EQ(Property(*musl, "customs:PkgType"), "apk");
  EXPECT_EQ(Property(*musl, "customs:SrcName"), "musl");
  EXPECT_EQ(Property(*musl, "customs:SrcVersion"), "1.1.20-r4");
  EXPECT_EQ(Property(*musl, "customs:LayerDiffID"), sample::kLayer0);
  EXPECT_EQ(Property(*musl, "customs:DBPath"), "lib/apk/db/installed");

  // A compound expression of listed identifiers stays one expression.
  const json* curl = Component(bom, "pkg:apk/alpine/curl@7.64.0-r5?arch=x86_64&distro=3.9.6");
  ASSERT_NE(curl, nullptr);
  EXPECT_EQ((*curl)["licenses"], json::parse(R"([{"expression": "MIT AND BSD-3-Clause"}])"));

  // Properties are sorted by name.
  std::vector<std::string> names;
  for (const auto& p : (*musl)["properties"]) names.push_back(p["name"]);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
}

TEST(CycloneDxReport, LicensesFallBackToNames) {
  json deb = Bom(sample::Debian());
  const json* tar = Component(deb, "pkg:deb/debian/tar@1.34%2Bdfsg-1?arch=amd64&distro=debian-11.0");
  ASSERT_NE(tar, nullptr);
  EXPECT_EQ((*tar)["licenses"], json::parse(R"([{"license": {"name": "GPL-3+"}}, {"license": {"name": "public-domain"}}])"));
  const json* bsd = Component(deb, "pkg:deb/debian/bsdutils@1:2.36.1-8?arch=amd64&distro=debian-11.0");
  ASSERT_NE(bsd, nullptr);
  // Several licenses: one entry each; a compound one is kept as a name.
  EXPECT_EQ((*bsd)["licenses"], json::parse(R"([{"license": {"id": "BSD-4-Clause"}},
      {"license": {"name": "GPL-2.0-or-later WITH Linux-syscall-note"}}])"));

  json rpm = Bom(sample::Rocky());
  const json* ssl = Component(rpm, "pkg:rpm/rocky/openssl-libs@3.0.7-24.el9?arch=x86_64&distro=rocky-9.3&epoch=1");
  ASSERT_NE(ssl, nullptr);
  EXPECT_EQ((*ssl)["licenses"], json::parse(R"([{"license": {"name": "ASL 2.0"}}])"));
  EXPECT_EQ(Property(*ssl, "customs:SrcEpoch"), "1");
}

TEST(CycloneDxReport, BomRefsAreUniqueAndDependenciesResolve) {
  ScanResult r = sample::Alpine();
  r.inventory.packages.push_back(r.inventory.packages[0]);  // the same package twice (two databases)
  r.inventory.packages.back().db_path = "lib/apk/db/installed.other";
  json bom = Bom(r);
  std::set<std::string> refs{bom["metadata"]["component"]["bom-ref"].get<std::string>()};
  for (const auto& c : bom["components"]) EXPECT_TRUE(refs.insert(c["bom-ref"]).second) << c["bom-ref"];
  std::string path = sample::WriteTemp("dup.cdx.json", bom.dump());
  EXPECT_TRUE(ValidatesAgainstSchema("cyclonedx-1.6", path));

  // Every component is in the graph; every dependsOn names a component.
  for (const auto& c : bom["components"]) EXPECT_NE(DependencyOf(bom, c["bom-ref"]), nullptr) << c["bom-ref"];
  for (const auto& d : bom["dependencies"])
    for (const auto& on : d["dependsOn"]) EXPECT_TRUE(refs.count(on)) << on;

  // The artifact depends on the OS and every package.
  const json* root = DependencyOf(bom, bom["metadata"]["component"]["bom-ref"]);
  ASSERT_NE(root, nullptr);
  EXPECT_EQ((*root)["dependsOn"].size(), bom["components"].size());
  EXPECT_EQ((*root)["dependsOn"][0], "os:alpine@3.9.6");

  // libssl1.1 -> musl, libcrypto1.1 (both copies of musl; names outside the inventory are dropped).
  const json* ssl = DependencyOf(bom, "pkg:apk/alpine/libssl1.1@1.1.1k-r0?arch=x86_64&distro=3.9.6");
  ASSERT_NE(ssl, nullptr);
  EXPECT_EQ((*ssl)["dependsOn"], json::parse(R"([
      "pkg:apk/alpine/libcrypto1.1@1.1.1k-r0?arch=x86_64&distro=3.9.6",
      "pkg:apk/alpine/musl@1.1.20-r4?arch=x86_64&distro=3.9.6",
      "pkg:apk/alpine/musl@1.1.20-r4?arch=x86_64&distro=3.9.6&package-id=2"])"));
  const json* busybox = DependencyOf(bom, "pkg:apk/alpine/busybox@1.29.3-r10?arch=x86_64&distro=3.9.6");
  ASSERT_NE(busybox, nullptr);
  EXPECT_EQ((*busybox)["dependsOn"].size(), 2u);
}

TEST(CycloneDxReport, NoOsNoOsComponent) {
  json bom = Bom(sample::BareRootfs());
  // The dpkg package, then the language target of "thing" (an application) and its package.
  ASSERT_EQ(bom["components"].size(), 3u);
  for (const auto& c : bom["components"]) EXPECT_NE(c["type"], "operating-system");
  EXPECT_EQ(bom["components"][0]["purl"], "pkg:deb/debian/odd%20pkg@1.0?arch=all");
  EXPECT_EQ(bom["components"][0]["licenses"], json::parse(R"J([{"license": {"name": "Custom License (see COPYING)"}}])J"));
  EXPECT_EQ(bom["components"][1]["type"], "application");
  EXPECT_EQ(bom["components"][2]["type"], "library");
  EXPECT_EQ(bom["components"][2]["purl"], "pkg:generic/thing@2.0");
}

// ---- language packages: applications and their dependency graphs ----

// A project with a lockfile, installed: package-lock.json and the node_modules manifests, plus an OS
// package.
ScanResult LangApp() {
  ScanResult r = sample::Base("/srv/app", ArtifactType::kFilesystem);
  auto npm = [](const std::string& name, const std::string& version, const std::string& db,
                std::map<std::string, std::string> extra, std::vector<std::string> deps) {
    Package p = sample::Pkg("npm", name, version, "", -1);
    p.db_path = db;
    p.extra = std::move(extra);
    p.depends = std::move(deps);
    return p;
  };
  const std::string lock = "app/package-lock.json";
  Package base = sample::Pkg("dpkg", "base-files", "12.4", "amd64", -1);
  base.db_path = "var/lib/dpkg/status";
  r.inventory.packages = {
      base,
      npm("a", "1.0.0", lock, {{"source", "package-lock"}, {"direct", "true"}}, {"b@1.0.0", "@s/c@2.0.0"}),
      npm("b", "1.0.0", lock, {{"source", "package-lock"}, {"direct", "false"}}, {}),
      npm("@s/c", "2.0.0", lock, {{"source", "package-lock"}, {"direct", "true"}}, {}),
      npm("a", "1.0.0", "app/node_modules/a/package.json", {{"source", "node_modules"}}, {"b@1.0.0", "@s/c@2.0.0"}),
      npm("b", "1.0.0", "app/node_modules/b/package.json", {{"source", "node_modules"}}, {}),
      npm("@s/c", "2.0.0", "app/node_modules/@s/c/package.json", {{"source", "node_modules"}}, {"b"}),
  };
  return r;
}

// bom-ref of the library `name` read from `db_path`.
std::string RefOf(const json& bom, const std::string& name, const std::string& db_path) {
  for (const auto& c : bom["components"])
    if (c["name"] == name && Property(c, "customs:DBPath") == db_path) return c["bom-ref"];
  ADD_FAILURE() << name << " from " << db_path;
  return "";
}

TEST(CycloneDxReport, LanguageTargetsAreApplications) {
  json bom = Bom(LangApp());
  std::string path = sample::WriteTemp("lang.cdx.json", bom.dump());
  EXPECT_TRUE(ValidatesAgainstSchema("cyclonedx-1.6", path));

  const json* nodejs = Component(bom, "application:npm:Node.js");
  const json* locked = Component(bom, "application:npm:app/package-lock.json");
  ASSERT_NE(nodejs, nullptr);
  ASSERT_NE(locked, nullptr);
  EXPECT_EQ((*nodejs)["type"], "application");
  EXPECT_EQ((*nodejs)["name"], "Node.js");
  EXPECT_EQ(Property(*nodejs, "customs:Type"), "npm");
  EXPECT_EQ(Property(*nodejs, "customs:Path"), "");  // many manifests: each package keeps its DBPath
  EXPECT_EQ((*locked)["name"], "app/package-lock.json");
  EXPECT_EQ(Property(*locked, "customs:Path"), "app/package-lock.json");
  EXPECT_EQ(Property(*locked, "customs:Class"), "lang-pkgs");

  // The artifact holds the OS packages and the applications, not the language packages themselves.
  const std::string lock = "app/package-lock.json";
  const json* root = DependencyOf(bom, bom["metadata"]["component"]["bom-ref"]);
  ASSERT_NE(root, nullptr);
  EXPECT_EQ((*root)["dependsOn"], json::array({RefOf(bom, "base-files", "var/lib/dpkg/status"),
                                               "application:npm:Node.js", "application:npm:app/package-lock.json"}));
  // The lockfile's application: its direct packages; the installed tree's: what nothing else needs.
  EXPECT_EQ((*DependencyOf(bom, "application:npm:app/package-lock.json"))["dependsOn"],
            json::array({RefOf(bom, "@s/c", lock), RefOf(bom, "a", lock)}));
  EXPECT_EQ((*DependencyOf(bom, "application:npm:Node.js"))["dependsOn"],
            json::array({RefOf(bom, "a", "app/node_modules/a/package.json")}));
  // Packages depend on the packages of their own target.
  EXPECT_EQ((*DependencyOf(bom, RefOf(bom, "a", lock)))["dependsOn"],
            json::array({RefOf(bom, "@s/c", lock), RefOf(bom, "b", lock)}));
  EXPECT_EQ((*DependencyOf(bom, RefOf(bom, "a", "app/node_modules/a/package.json")))["dependsOn"],
            json::array({RefOf(bom, "@s/c", "app/node_modules/@s/c/package.json"),
                         RefOf(bom, "b", "app/node_modules/b/package.json")}));
  // A bare name resolves when the target has one package of that name.
  EXPECT_EQ((*DependencyOf(bom, RefOf(bom, "@s/c", "app/node_modules/@s/c/package.json")))["dependsOn"],
            json::array({RefOf(bom, "b", "app/node_modules/b/package.json")}));

  // Every component is in the graph, once; bom-refs are unique.
  std::set<std::string> refs, deps;
  for (const auto& c : bom["components"]) EXPECT_TRUE(refs.insert(c["bom-ref"]).second) << c["bom-ref"];
  for (const auto& d : bom["dependencies"]) EXPECT_TRUE(deps.insert(d["ref"]).second) << d["ref"];
  for (const auto& r : refs) EXPECT_TRUE(deps.count(r)) << r;

  // Deterministic whatever the inventory order.
  ScanResult shuffled = LangApp();
  std::reverse(shuffled.inventory.packages.begin(), shuffled.inventory.packages.end());
  EXPECT_EQ(sample::Render("cyclonedx", shuffled), sample::Render("cyclonedx", LangApp()));
}

// ---- vulnerabilities ----

json VulnBom(const ScanResult& r, bool show_suppressed = false) {
  return json::parse(sample::RenderWith("cyclonedx", r, show_suppressed));
}

std::vector<const json*> VulnsWithId(const json& bom, const std::string& id) {
  std::vector<const json*> out;
  for (const auto& v : bom["vulnerabilities"])
    if (v["id"] == id) out.push_back(&v);
  return out;
}

const std::string kSslRef = "pkg:apk/alpine/libssl1.1@1.1.1k-r0?arch=x86_64&distro=3.9.6";
const std::string kCryptoRef = "pkg:apk/alpine/libcrypto1.1@1.1.1k-r0?arch=x86_64&distro=3.9.6";

TEST(CycloneDxReport, VulnerabilitiesValidateAgainstTheSchema) {
  ScanResult clean = sample::Alpine();
  clean.vuln_scanned = true;
  int i = 0;
  for (const auto& [r, sup] : std::vector<std::pair<ScanResult, bool>>{
           {sample::VulnerableAlpine(), false}, {sample::VulnerableAlpine(), true}, {clean, false}}) {
    std::string path = sample::WriteTemp("vulns" + std::to_string(i++) + ".cdx.json", sample::RenderWith("cyclonedx", r, sup));
    EXPECT_TRUE(ValidatesAgainstSchema("cyclonedx-1.6", path)) << path;
  }
}

TEST(CycloneDxReport, UnchangedWhenNotVulnScanned) {
  ScanResult r = sample::VulnerableAlpine();
  r.vuln_scanned = false;
  EXPECT_EQ(sample::RenderWith("cyclonedx", r, true), sample::Render("cyclonedx", sample::Alpine()));
  EXPECT_FALSE(Bom(r).contains("vulnerabilities"));
}

TEST(CycloneDxReport, VulnerabilityEntries) {
  json bom = VulnBom(sample::VulnerableAlpine());
  ASSERT_TRUE(bom.contains("vulnerabilities"));
  std::vector<std::string> ids;
  for (const auto& v : bom["vulnerabilities"]) ids.push_back(v["id"]);
  // One entry per id (CVE-2021-3711 affects two packages), sorted; the suppressed one left out.
  EXPECT_EQ(ids, (std::vector<std::string>{"CVE-2017-0001", "CVE-2018-1000500", "CVE-2021-22876", "CVE-2021-3711",
                                           "CVE-2021-3712", "CVE-2022-28391", "CVE-2023-38545"}));
  // Vulnerability bom-refs are unique among all bom-refs.
  std::set<std::string> refs{bom["metadata"]["component"]["bom-ref"].get<std::string>()};
  for (const auto& c : bom["components"]) refs.insert(c["bom-ref"].get<std::string>());
  for (const auto& v : bom["vulnerabilities"]) EXPECT_TRUE(refs.insert(v["bom-ref"].get<std::string>()).second);

  const json& ssl = *VulnsWithId(bom, "CVE-2021-3711").at(0);
  EXPECT_EQ(ssl["bom-ref"], "vuln:CVE-2021-3711");
  EXPECT_EQ(ssl["source"], (json{{"name", "Alpine Secdb"}, {"url", "https://secdb.alpinelinux.org/"}}));
  EXPECT_FALSE(ssl.contains("references"));  // no aliases
  EXPECT_EQ(ssl["ratings"], json::parse(R"([
      {"source": {"name": "nvd"}, "score": 9.8, "severity": "critical", "method": "CVSSv31",
       "vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
      {"source": {"name": "nvd"}, "score": 7.5, "severity": "high", "method": "CVSSv2",
       "vector": "AV:N/AC:L/Au:N/C:P/I:P/A:P"},
      {"source": {"name": "nvd"}, "severity": "critical", "method": "other",
       "justification": "the severity customs reports: the rating of nvd"}])"));
  EXPECT_EQ(ssl["cwes"], json::array({120}));
  EXPECT_EQ(ssl["description"],
            "In order to decrypt SM2 encrypted data an application is expected to call the API function.");
  EXPECT_EQ(ssl["recommendation"], "Upgrade libcrypto1.1 to 1.1.1l-r0; Upgrade libssl1.1 to 1.1.1l-r0");
  EXPECT_EQ(ssl["advisories"], json::parse(R"([{"url": "https://nvd.nist.gov/vuln/detail/CVE-2021-3711"},
      {"url": "https://www.openssl.org/news/secadv/20210824.txt"}])"));
  EXPECT_EQ(ssl["published"], "2021-08-24T15:15:00Z");
  EXPECT_EQ(ssl["updated"], "2023-11-07T03:38:00Z");
  EXPECT_EQ(ssl["affects"], json::parse(R"([
      {"ref": ")" + kCryptoRef + R"(", "versions": [{"version": "1.1.1k-r0", "status": "affected"}]},
      {"ref": ")" + kSslRef + R"(", "versions": [{"version": "1.1.1k-r0", "status": "affected"}]}])"));
  EXPECT_FALSE(ssl.contains("analysis"));
  EXPECT_EQ(Property(ssl, "customs:Title"), "openssl: SM2 Decryption Buffer Overflow");
  EXPECT_EQ(Property(ssl, "customs:DataSource"), "alpine-secdb");
  EXPECT_EQ(Property(ssl, "customs:Status"), "fixed");
  EXPECT_EQ(Property(ssl, "customs:KEV"), "");

  // A bare date becomes a date-time; non-numeric CWEs are left out.
  const json& crypto = *VulnsWithId(bom, "CVE-2021-3712").at(0);
  EXPECT_EQ(crypto["published"], "2021-08-24T00:00:00Z");
  EXPECT_FALSE(crypto.contains("updated"));
  const json& curl_med = *VulnsWithId(bom, "CVE-2021-22876").at(0);
  EXPECT_EQ(curl_med["cwes"], json::array({359}));
  EXPECT_EQ(curl_med["ratings"].back(), (json{{"source", {{"name", "alpine"}}},
                   {"severity", "medium"},
                   {"method", "other"},
                   {"justification", "the severity customs reports: the rating of alpine"}}));
  EXPECT_EQ(curl_med["description"], "curl: Leak of authentication credentials in URL via automatic Referer");

  // KEV and aliases.
  const json& kev = *VulnsWithId(bom, "CVE-2023-38545").at(0);
  EXPECT_EQ(Property(kev, "customs:KEV"), "true");
  EXPECT_EQ(Property(kev, "customs:KEVDateAdded"), "2024-01-10");
  EXPECT_EQ(kev["references"], json::parse(R"([{"id": "GHSA-9hjq-xxxx-yyyy", "source":
      {"name": "GitHub Advisory Database", "url": "https://github.com/advisories/GHSA-9hjq-xxxx-yyyy"}}])"));

  // NONE and UNKNOWN severities.
  EXPECT_EQ((*VulnsWithId(bom, "CVE-2017-0001").at(0))["ratings"][0]["severity"], "none");
  const json& unk = *VulnsWithId(bom, "CVE-2018-1000500").at(0);
  EXPECT_EQ(unk["ratings"], json::parse(R"([{"source": {"name": "nvd"}, "severity": "unknown", "method": "other",
                             "justification": "the severity customs reports: the rating of nvd"}])"));
  EXPECT_FALSE(unk.contains("advisories"));
  EXPECT_EQ(Property(unk, "customs:Status"), "unknown");

  // Every affects ref names a component.
  for (const auto& v : bom["vulnerabilities"])
    for (const auto& a : v["affects"]) EXPECT_NE(Component(bom, a["ref"]), nullptr) << a["ref"];

  // The notice is a metadata property; the serial number differs from the inventory-only BOM.
  EXPECT_EQ(Property(bom["metadata"], "customs:Notice"),
            "eol: alpine 3.9.6: past end of life (2020-11-01); the data may miss newer vulnerabilities");
  EXPECT_NE(bom["serialNumber"], Bom(sample::Alpine())["serialNumber"]);
}

TEST(CycloneDxReport, SuppressedCarryTheAnalysis) {
  json bom = VulnBom(sample::VulnerableAlpine(), /*show_suppressed=*/true);
  auto sup = VulnsWithId(bom, "CVE-2020-28928");
  ASSERT_EQ(sup.size(), 1u);
  const json& v = *sup[0];
  EXPECT_EQ(v["bom-ref"], "vuln:CVE-2020-28928#suppressed");
  EXPECT_EQ(v["analysis"], json::parse(R"({"state": "not_affected", "justification": "code_not_reachable",
      "detail": "suppressed by vex (alpine.openvex.json): CVE-2020-28928 not_affected for pkg:apk/alpine/musl — vulnerable_code_not_in_execute_path"})"));
  EXPECT_EQ(v["affects"][0]["versions"][0], (json{{"version", "1.1.20-r4"}, {"status", "unaffected"}}));
  EXPECT_EQ(Property(v, "customs:SuppressedBy"), "vex");
  EXPECT_FALSE(v.contains("recommendation"));  // the VEX says it is not affected
  EXPECT_FALSE(VulnsWithId(bom, "CVE-2021-3711")[0]->contains("analysis"));

  // The same id standing on one package and suppressed (by policy) on another: two entries.
  ScanResult r = sample::VulnerableAlpine();
  r.vulnerabilities[5].suppressed_by = {{"ignore-file", "CVE-2021-3711", "accepted until the rebuild", ".customsignore"}};
  json two = VulnBom(r, true);
  auto entries = VulnsWithId(two, "CVE-2021-3711");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_FALSE(entries[0]->contains("analysis"));
  EXPECT_EQ((*entries[0])["affects"].size(), 1u);
  // A policy ignore is not an analysis: no state, only the detail.
  EXPECT_EQ((*entries[1])["analysis"], (json{{"detail",
      "suppressed by ignore-file (.customsignore): CVE-2021-3711 — accepted until the rebuild"}}));
  EXPECT_EQ((*entries[1])["affects"][0]["versions"][0]["status"], "affected");
  std::string path = sample::WriteTemp("policy.cdx.json", two.dump());
  EXPECT_TRUE(ValidatesAgainstSchema("cyclonedx-1.6", path));

  // VEX "fixed": resolved; a justification followed by an impact statement still maps.
  ScanResult vex = sample::VulnerableAlpine();
  vex.vulnerabilities[5].suppressed_by = {{"vex", "CVE-2021-3711 fixed for pkg:apk/alpine/libcrypto1.1 (stmt-1)",
                                           "backported in r1", "v.json"}};
  vex.vulnerabilities[0].suppressed_by[0].justification =
      "vulnerable_code_cannot_be_controlled_by_adversary: input is never untrusted";
  json three = VulnBom(vex, true);
  const json& fixed = *VulnsWithId(three, "CVE-2021-3711").at(1);
  EXPECT_EQ(fixed["analysis"]["state"], "resolved");
  EXPECT_FALSE(fixed["analysis"].contains("justification"));
  EXPECT_EQ(fixed["affects"][0]["versions"][0]["status"], "unaffected");
  const json& musl = *VulnsWithId(three, "CVE-2020-28928").at(0);
  EXPECT_EQ(musl["analysis"]["state"], "not_affected");
  EXPECT_EQ(musl["analysis"]["justification"], "requires_environment");
  path = sample::WriteTemp("vex.cdx.json", three.dump());
  EXPECT_TRUE(ValidatesAgainstSchema("cyclonedx-1.6", path));
}

TEST(CycloneDxReport, VulnerabilitiesDeterministic) {
  ScanResult a = sample::VulnerableAlpine();
  ScanResult b = a;
  std::reverse(b.vulnerabilities.begin(), b.vulnerabilities.end());
  EXPECT_EQ(sample::RenderWith("cyclonedx", a, true), sample::RenderWith("cyclonedx", b, true));
  ScanResult clean = sample::Alpine();
  clean.vuln_scanned = true;
  EXPECT_EQ(Bom(clean)["vulnerabilities"], json::array());
}

}  // namespace
}  // namespace customs
