// The customs JSON report (docs/json-format.md, schemaVersion 1).
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "unit/reporters_sample.h"
#include "unit/reporters_vuln_sample.h"

namespace customs {
namespace {

using nlohmann::json;

json Report(const ScanResult& r) { return json::parse(sample::Render("json", r)); }

template <typename J>
std::vector<std::string> Keys(const J& obj) {
  std::vector<std::string> k;
  for (auto it = obj.begin(); it != obj.end(); ++it) k.push_back(it.key());
  return k;
}

TEST(JsonReport, TopLevelShape) {
  std::string text = sample::Render("json", sample::Alpine());
  json doc = json::parse(text);
  // Fixed key order (ordered output), every key present.
  auto ordered = nlohmann::ordered_json::parse(text);
  std::vector<std::string> top;
  for (auto it = ordered.begin(); it != ordered.end(); ++it) top.push_back(it.key());
  EXPECT_EQ(top, (std::vector<std::string>{"schemaVersion", "tool", "createdAt", "artifact", "os", "layers", "targets",
                                           "diagnostics"}));
  EXPECT_EQ(doc["schemaVersion"], 1);
  EXPECT_EQ(doc["tool"], (json{{"name", "customs"}, {"version", "0.1.0"}}));
  EXPECT_EQ(doc["createdAt"], "2024-05-06T07:08:09Z");

  const json& a = doc["artifact"];
  EXPECT_EQ(a["name"], "alpine:3.9");
  EXPECT_EQ(a["type"], "container_image");
  EXPECT_EQ(a["imageId"], "sha256:" + std::string(64, 'c'));
  EXPECT_EQ(a["manifestDigest"], "");
  EXPECT_EQ(a["repoTags"], json::array({"alpine:3.9"}));
  EXPECT_EQ(a["platform"], (json{{"os", "linux"}, {"architecture", "amd64"}, {"variant", ""}}));
  EXPECT_EQ(a["created"], "2020-04-24T01:05:03.92860976Z");

  EXPECT_EQ(doc["os"], (json{{"family", "alpine"}, {"name", "Alpine Linux v3.9"}, {"version", "3.9.6"}, {"codename", ""}}));

  ASSERT_EQ(doc["layers"].size(), 2u);
  EXPECT_EQ(doc["layers"][1], (json{{"index", 1},
                                    {"digest", "sha256:" + std::string(64, '1')},
                                    {"diffId", sample::kLayer1},
                                    {"mediaType", "application/vnd.oci.image.layer.v1.tar+gzip"},
                                    {"size", 1001},
                                    {"uncompressedSize", 5001},
                                    {"createdBy", "/bin/sh -c apk add curl"}}));

  EXPECT_EQ(doc["diagnostics"], json::array({{{"where", "lib/apk/db/installed"}, {"message", "line 42: unknown field 'Z'"}}}));
}

TEST(JsonReport, TargetsAndPackages) {
  json doc = Report(sample::Alpine());
  ASSERT_EQ(doc["targets"].size(), 1u);
  const json& t = doc["targets"][0];
  EXPECT_EQ(t["target"], "alpine:3.9 (alpine 3.9.6)");
  EXPECT_EQ(t["class"], "os-pkgs");
  EXPECT_EQ(t["type"], "apk");
  std::vector<std::string> names;
  for (const auto& p : t["packages"]) names.push_back(p["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"busybox", "curl", "libcrypto1.1", "libssl1.1", "musl"}));

  const json& musl = t["packages"][4];
  // Every field, in the documented order.
  auto ordered = nlohmann::ordered_json::parse(sample::Render("json", sample::Alpine()));
  EXPECT_EQ(Keys(ordered["targets"][0]["packages"][4]),
            (std::vector<std::string>{"name", "version", "epoch", "upstreamVersion", "release", "arch", "srcName",
                                      "srcVersion", "srcEpoch", "licenses", "maintainer", "purl", "dbPath", "layer",
                                      "dependsOn", "files", "extra"}));
  EXPECT_EQ(Keys(ordered["targets"][0]), (std::vector<std::string>{"target", "class", "type", "packages"}));
  EXPECT_EQ(Keys(ordered["artifact"]),
            (std::vector<std::string>{"name", "type", "imageId", "manifestDigest", "repoTags", "repoDigests", "platform",
                                      "created"}));
  EXPECT_EQ(musl["version"], "1.1.20-r4");
  EXPECT_EQ(musl["epoch"], 0);
  EXPECT_EQ(musl["upstreamVersion"], "1.1.20");
  EXPECT_EQ(musl["release"], "r4");
  EXPECT_EQ(musl["arch"], "x86_64");
  EXPECT_EQ(musl["srcName"], "musl");
  EXPECT_EQ(musl["licenses"], json::array({"MIT"}));
  EXPECT_EQ(musl["maintainer"], "Timo Teräs <timo.teras@iki.fi>");
  EXPECT_EQ(musl["purl"], "pkg:apk/alpine/musl@1.1.20-r4?arch=x86_64&distro=3.9.6");
  EXPECT_EQ(musl["dbPath"], "lib/apk/db/installed");
  EXPECT_EQ(musl["layer"], (json{{"index", 0}, {"diffId", sample::kLayer0}}));
  EXPECT_EQ(musl["dependsOn"], json::array());
  EXPECT_EQ(musl["files"], json::array({"lib/ld-musl-x86_64.so.1", "lib/libc.musl-x86_64.so.1"}));
  EXPECT_EQ(musl["extra"], json::object());

  const json& curl = t["packages"][1];
  EXPECT_EQ(curl["dependsOn"], json::array({"libssl1.1", "ca-certificates"}));  // as the database lists them
  EXPECT_EQ(curl["extra"], (json{{"checksum", "Q1abc="}, {"url", "https://curl.haxx.se/"}}));
}

TEST(JsonReport, DebianEpochsAndRpm) {
  json deb = Report(sample::Debian());
  const json& pk = deb["targets"][0]["packages"];
  EXPECT_EQ(pk[0]["name"], "bsdutils");
  EXPECT_EQ(pk[0]["version"], "1:2.36.1-8");
  EXPECT_EQ(pk[0]["epoch"], 1);
  EXPECT_EQ(pk[0]["purl"], "pkg:deb/debian/bsdutils@1:2.36.1-8?arch=amd64&distro=debian-11.0");
  EXPECT_EQ(deb["targets"][0]["target"], "debian:11 (debian 11.0)");
  EXPECT_EQ(deb["targets"][0]["type"], "dpkg");
  EXPECT_EQ(deb["os"]["codename"], "bullseye");

  json rpm = Report(sample::Rocky());
  const json& rp = rpm["targets"][0]["packages"];
  ASSERT_EQ(rp.size(), 4u);
  EXPECT_EQ(rp[3]["name"], "openssl-libs");
  EXPECT_EQ(rp[3]["srcEpoch"], 1);
  EXPECT_EQ(rp[3]["purl"], "pkg:rpm/rocky/openssl-libs@3.0.7-24.el9?arch=x86_64&distro=rocky-9.3&epoch=1");
}

TEST(JsonReport, NoOsNoLayers) {
  json doc = Report(sample::BareRootfs());
  EXPECT_TRUE(doc["os"].is_null());
  EXPECT_EQ(doc["layers"], json::array());
  EXPECT_EQ(doc["artifact"]["type"], "rootfs");
  EXPECT_EQ(doc["artifact"]["repoTags"], json::array());
  ASSERT_EQ(doc["targets"].size(), 2u);
  EXPECT_EQ(doc["targets"][0]["target"], "/srv/rootfs");
  const json& odd = doc["targets"][0]["packages"][0];
  EXPECT_TRUE(odd["layer"].is_null());
  EXPECT_EQ(odd["purl"], "pkg:deb/debian/odd%20pkg@1.0?arch=all");
  EXPECT_EQ(doc["targets"][1]["class"], "lang-pkgs");
  EXPECT_EQ(doc["targets"][1]["packages"][0]["purl"], "pkg:generic/thing@2.0");
  EXPECT_EQ(doc["diagnostics"], json::array());
}

TEST(JsonReport, LanguageTargetsAndPinnedDependencies) {
  // Installed packages: one target per ecosystem, each package with its own dbPath; lockfiles: one
  // target per file. dependsOn keeps the entries as the analyzers wrote them ("name@version").
  ScanResult r = sample::Base("/srv/app", ArtifactType::kFilesystem);
  auto npm = [](const std::string& name, const std::string& db, const std::string& source,
                std::vector<std::string> deps) {
    Package p = sample::Pkg("npm", name, "1.0.0", "", -1);
    p.db_path = db;
    p.extra["source"] = source;
    p.depends = std::move(deps);
    return p;
  };
  r.inventory.packages = {npm("@s/a", "node_modules/@s/a/package.json", "node_modules", {"b@1.0.0"}),
                          npm("b", "node_modules/b/package.json", "node_modules", {}),
                          npm("@s/a", "package-lock.json", "package-lock", {"b"})};
  json doc = Report(r);
  ASSERT_EQ(doc["targets"].size(), 2u);
  EXPECT_EQ(doc["targets"][0]["target"], "Node.js");
  EXPECT_EQ(doc["targets"][0]["class"], "lang-pkgs");
  EXPECT_EQ(doc["targets"][0]["type"], "npm");
  ASSERT_EQ(doc["targets"][0]["packages"].size(), 2u);
  EXPECT_EQ(doc["targets"][0]["packages"][0]["dbPath"], "node_modules/@s/a/package.json");
  EXPECT_EQ(doc["targets"][0]["packages"][0]["dependsOn"], json::array({"b@1.0.0"}));
  EXPECT_EQ(doc["targets"][1]["target"], "package-lock.json");
  EXPECT_EQ(doc["targets"][1]["packages"][0]["dependsOn"], json::array({"b"}));
}

TEST(JsonReport, EmptyInventory) {
  ScanResult r;
  r.tool_version = "0.1.0";
  json doc = Report(r);
  EXPECT_EQ(doc["targets"], json::array());
  EXPECT_EQ(doc["artifact"]["type"], "filesystem");
  EXPECT_TRUE(doc["os"].is_null());
}

TEST(JsonReport, DeterministicAndIndependentOfInputOrder) {
  ScanResult a = sample::Alpine();
  ScanResult b = sample::Alpine();
  std::reverse(b.inventory.packages.begin(), b.inventory.packages.end());
  EXPECT_EQ(sample::Render("json", a), sample::Render("json", a));
  EXPECT_EQ(sample::Render("json", a), sample::Render("json", b));
}

TEST(JsonReport, InvalidUtf8DoesNotAbort) {
  ScanResult r = sample::Alpine();
  r.inventory.packages[0].maintainer = "bad \xff\xfe bytes";
  json doc = Report(r);
  EXPECT_EQ(doc["targets"][0]["packages"].size(), 5u);
}

// ---- vulnerabilities ----

json VulnReport(const ScanResult& r, bool show_suppressed = false) {
  return json::parse(sample::RenderWith("json", r, show_suppressed));
}

const json& PackageNamed(const json& doc, const std::string& name) {
  for (const auto& p : doc["targets"][0]["packages"])
    if (p["name"] == name) return p;
  static const json kNull;
  return kNull;
}

std::vector<std::string> Ids(const json& vulns) {
  std::vector<std::string> ids;
  for (const auto& v : vulns) ids.push_back(v["id"]);
  return ids;
}

TEST(JsonReport, NoVulnerabilityFieldsWhenNotScanned) {
  ScanResult r = sample::VulnerableAlpine();
  r.vuln_scanned = false;
  // Findings handed over without vuln_scanned change nothing: same bytes as the plain inventory.
  EXPECT_EQ(sample::RenderWith("json", r, true), sample::Render("json", sample::Alpine()));
  json doc = Report(r);
  EXPECT_FALSE(doc.contains("notices"));
  EXPECT_FALSE(doc.contains("summary"));
  EXPECT_FALSE(doc["targets"][0]["packages"][0].contains("vulnerabilities"));
}

TEST(JsonReport, VulnerabilityFieldsAndOrder) {
  std::string text = sample::RenderWith("json", sample::VulnerableAlpine(), false);
  auto ordered = nlohmann::ordered_json::parse(text);
  EXPECT_EQ(Keys(ordered), (std::vector<std::string>{"schemaVersion", "tool", "createdAt", "artifact", "os", "layers",
                                                     "targets", "diagnostics", "notices", "summary"}));
  json doc = json::parse(text);

  const json& ssl = PackageNamed(doc, "libssl1.1");
  ASSERT_EQ(ssl["vulnerabilities"].size(), 1u);
  // The package fields are unchanged; "vulnerabilities" comes last.
  EXPECT_EQ(Keys(ordered["targets"][0]["packages"][3]).back(), "vulnerabilities");
  EXPECT_EQ(Keys(ordered["targets"][0]["packages"][3]["vulnerabilities"][0]),
            (std::vector<std::string>{"id", "aliases", "installedVersion", "fixedVersion", "status", "severity",
                                      "severitySource", "severityVector", "cvss", "kev", "kevDateAdded", "risk", "title", "description",
                                      "references", "cwes", "published", "modified", "dataSource", "layer"}));
  const json& v = ssl["vulnerabilities"][0];
  EXPECT_EQ(v["id"], "CVE-2021-3711");
  EXPECT_EQ(v["aliases"], json::array());
  EXPECT_EQ(v["installedVersion"], "1.1.1k-r0");
  EXPECT_EQ(v["fixedVersion"], "1.1.1l-r0");
  EXPECT_EQ(v["status"], "fixed");
  EXPECT_EQ(v["severity"], "CRITICAL");
  EXPECT_EQ(v["severitySource"], "nvd");
  EXPECT_EQ(v["cvss"], json::parse(R"([
      {"source": "nvd", "version": "3.1", "vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "score": 9.8},
      {"source": "nvd", "version": "2.0", "vector": "AV:N/AC:L/Au:N/C:P/I:P/A:P", "score": 7.5}])"));
  EXPECT_EQ(v["kev"], false);
  EXPECT_EQ(v["kevDateAdded"], "");
  EXPECT_EQ(v["title"], "openssl: SM2 Decryption Buffer Overflow");
  EXPECT_EQ(v["references"], json::array({"https://nvd.nist.gov/vuln/detail/CVE-2021-3711",
                                          "https://www.openssl.org/news/secadv/20210824.txt"}));
  EXPECT_EQ(v["cwes"], json::array({"CWE-120"}));
  EXPECT_EQ(v["published"], "2021-08-24T15:15:00Z");
  EXPECT_EQ(v["modified"], "2023-11-07T03:38:00Z");
  EXPECT_EQ(v["dataSource"], (json{{"id", "alpine-secdb"}, {"name", "Alpine Secdb"}, {"url", "https://secdb.alpinelinux.org/"}}));
  EXPECT_EQ(v["layer"], (json{{"index", 1}, {"diffId", sample::kLayer1}}));  // the package's layer

  // Per package, sorted by id; clean packages carry [].
  EXPECT_EQ(Ids(PackageNamed(doc, "busybox")["vulnerabilities"]),
            (std::vector<std::string>{"CVE-2017-0001", "CVE-2018-1000500", "CVE-2022-28391"}));
  EXPECT_EQ(Ids(PackageNamed(doc, "libcrypto1.1")["vulnerabilities"]),
            (std::vector<std::string>{"CVE-2021-3711", "CVE-2021-3712"}));
  const json& bb = PackageNamed(doc, "busybox")["vulnerabilities"];
  EXPECT_EQ(bb[0]["severity"], "NONE");
  EXPECT_EQ(bb[0]["status"], "will_not_fix");
  EXPECT_EQ(bb[1]["severity"], "UNKNOWN");
  EXPECT_EQ(bb[1]["status"], "unknown");
  EXPECT_EQ(bb[1]["cvss"], json::array());
  EXPECT_EQ(bb[2]["status"], "affected");
  EXPECT_EQ(bb[2]["fixedVersion"], "");

  const json& curl = PackageNamed(doc, "curl")["vulnerabilities"];
  ASSERT_EQ(curl.size(), 2u);
  EXPECT_EQ(curl[1]["id"], "CVE-2023-38545");
  EXPECT_EQ(curl[1]["kev"], true);
  EXPECT_EQ(curl[1]["kevDateAdded"], "2024-01-10");
  EXPECT_EQ(curl[1]["aliases"], json::array({"GHSA-9hjq-xxxx-yyyy"}));
  EXPECT_EQ(curl[0]["fixedVersion"], "7.76.0-r0, 7.77.0-r1");
  EXPECT_EQ(curl[0]["cwes"], json::array({"CWE-359", "NVD-CWE-Other"}));

  // Suppressed findings are left out entirely, and no "suppressed" key appears.
  EXPECT_EQ(PackageNamed(doc, "musl")["vulnerabilities"], json::array());
  EXPECT_FALSE(v.contains("suppressed"));

  EXPECT_EQ(doc["notices"],
            json::parse(R"([{"kind": "eol", "message": "alpine 3.9.6: past end of life (2020-11-01); the data may miss newer vulnerabilities"}])"));
  EXPECT_EQ(Keys(ordered["summary"]["vulnerabilities"]),
            (std::vector<std::string>{"CRITICAL", "HIGH", "MEDIUM", "LOW", "NONE", "UNKNOWN"}));
  EXPECT_EQ(doc["summary"], json::parse(R"({"vulnerabilities": {"CRITICAL": 2, "HIGH": 2, "MEDIUM": 1, "LOW": 1,
      "NONE": 1, "UNKNOWN": 1}, "total": 8, "kev": 1})"));
}

TEST(JsonReport, SuppressedOnlyUnderShowSuppressed) {
  json doc = VulnReport(sample::VulnerableAlpine(), /*show_suppressed=*/true);
  const json& musl = PackageNamed(doc, "musl")["vulnerabilities"];
  ASSERT_EQ(musl.size(), 1u);
  EXPECT_EQ(musl[0]["id"], "CVE-2020-28928");
  EXPECT_EQ(musl[0]["suppressed"], json::parse(R"([{"kind": "vex", "statement": "CVE-2020-28928 not_affected for pkg:apk/alpine/musl",
      "justification": "vulnerable_code_not_in_execute_path", "source": "alpine.openvex.json"}])"));
  // Standing findings carry "suppressed": [] under show_suppressed.
  EXPECT_EQ(PackageNamed(doc, "libssl1.1")["vulnerabilities"][0]["suppressed"], json::array());
  // The counts stay those of the standing findings; the suppressed ones are counted apart.
  EXPECT_EQ(doc["summary"]["total"], 8);
  EXPECT_EQ(doc["summary"]["vulnerabilities"]["MEDIUM"], 1);
  EXPECT_EQ(doc["summary"]["suppressed"], 1);
}

TEST(JsonReport, CleanScanHasEmptyListsAndZeroCounts) {
  ScanResult r = sample::Alpine();
  r.vuln_scanned = true;
  json doc = Report(r);
  for (const auto& p : doc["targets"][0]["packages"]) EXPECT_EQ(p["vulnerabilities"], json::array());
  EXPECT_EQ(doc["notices"], json::array());
  EXPECT_EQ(doc["summary"]["total"], 0);
  EXPECT_EQ(doc["summary"]["vulnerabilities"]["CRITICAL"], 0);
  EXPECT_FALSE(doc["summary"].contains("suppressed"));
}

TEST(JsonReport, VulnerabilitiesIndependentOfInputOrder) {
  ScanResult a = sample::VulnerableAlpine();
  ScanResult b = a;
  std::reverse(b.vulnerabilities.begin(), b.vulnerabilities.end());
  EXPECT_EQ(sample::RenderWith("json", a, true), sample::RenderWith("json", b, true));
  // A finding whose package index is out of range is not reported (and does not crash).
  b.vulnerabilities.push_back(b.vulnerabilities[0]);
  b.vulnerabilities.back().package_index = 99;
  EXPECT_EQ(sample::RenderWith("json", a, true), sample::RenderWith("json", b, true));
}

}  // namespace
}  // namespace customs
