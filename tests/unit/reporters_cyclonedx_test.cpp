// The CycloneDX 1.6 report: schema-valid (bom-1.6 schema, through ajv), deterministic, complete.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "support/schema.h"
#include "unit/reporters_sample.h"

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
  ASSERT_EQ(bom["components"].size(), 2u);
  for (const auto& c : bom["components"]) EXPECT_EQ(c["type"], "library");
  EXPECT_EQ(bom["components"][0]["purl"], "pkg:deb/debian/odd%20pkg@1.0?arch=all");
  EXPECT_EQ(bom["components"][0]["licenses"], json::parse(R"J([{"license": {"name": "Custom License (see COPYING)"}}])J"));
  EXPECT_EQ(bom["components"][1]["purl"], "pkg:generic/thing@2.0");
}

}  // namespace
}  // namespace customs
