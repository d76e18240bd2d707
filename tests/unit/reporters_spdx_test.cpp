// The SPDX 2.3 JSON report: schema-valid (spdx-2.3 schema, through ajv), deterministic, and valid
// where the schema does not look (SPDXID syntax, license expressions, relationships).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "support/schema.h"
#include "unit/reporters_sample.h"

namespace customs {
namespace {

using nlohmann::json;

json Doc(const ScanResult& r) { return json::parse(sample::Render("spdx-json", r)); }

const json* PackageNamed(const json& doc, const std::string& name, const std::string& version = "") {
  for (const auto& p : doc["packages"])
    if (p["name"] == name && (version.empty() || p.value("versionInfo", "") == version)) return &p;
  return nullptr;
}

bool HasRelationship(const json& doc, const std::string& from, const std::string& type, const std::string& to) {
  for (const auto& r : doc["relationships"])
    if (r["spdxElementId"] == from && r["relationshipType"] == type && r["relatedSpdxElement"] == to) return true;
  return false;
}

// A Python project: a poetry.lock and the installed dist-info metadata of the same packages.
ScanResult PythonApp() {
  ScanResult r = sample::Base("/srv/app", ArtifactType::kFilesystem);
  auto py = [](const std::string& name, const std::string& version, const std::string& db,
               std::map<std::string, std::string> extra, std::vector<std::string> deps) {
    Package p = sample::Pkg("pypi", name, version, "", -1);
    p.db_path = db;
    p.extra = std::move(extra);
    p.depends = std::move(deps);
    return p;
  };
  const std::string site = "usr/lib/python3/site-packages/";
  r.inventory.packages = {
      py("requests", "2.32.3", "app/poetry.lock", {{"source", "poetry"}}, {"urllib3@2.2.2", "idna@3.7"}),
      py("urllib3", "2.2.2", "app/poetry.lock", {{"source", "poetry"}}, {}),
      py("idna", "3.7", "app/poetry.lock", {{"source", "poetry"}}, {}),
      py("requests", "2.32.3", site + "requests-2.32.3.dist-info/METADATA", {{"source", "dist-info"}},
         {"urllib3", "IDNA"}),
      py("urllib3", "2.2.2", site + "urllib3-2.2.2.dist-info/METADATA", {{"source", "dist-info"}}, {}),
      py("idna", "3.7", site + "idna-3.7.dist-info/METADATA", {{"source", "dist-info"}}, {}),
  };
  return r;
}

std::vector<ScanResult> AllSamples() {
  ScanResult empty;
  empty.tool_version = "0.1.0";
  empty.scanned_at = "2024-05-06T07:08:09Z";
  return {sample::Alpine(), sample::Debian(), sample::Rocky(), sample::BareRootfs(), empty, PythonApp()};
}

TEST(SpdxReport, ValidatesAgainstTheSchema) {
  int i = 0;
  for (const auto& r : AllSamples()) {
    std::string path = sample::WriteTemp(std::to_string(i++) + ".spdx.json", sample::Render("spdx-json", r));
    EXPECT_TRUE(ValidatesAgainstSchema("spdx-2.3", path)) << path;
  }
}

// What the schema leaves to the specification: SPDXID syntax and uniqueness, references that
// resolve, license expressions made of listed identifiers or declared LicenseRefs.
TEST(SpdxReport, IdentifiersReferencesAndLicensesAreValid) {
  const std::regex id_re("SPDXRef-[A-Za-z0-9.-]+");
  const std::regex ref_re("LicenseRef-[A-Za-z0-9.-]+");
  for (const auto& r : AllSamples()) {
    json doc = Doc(r);
    std::set<std::string> ids{"SPDXRef-DOCUMENT"};
    for (const auto& p : doc["packages"]) {
      std::string id = p["SPDXID"];
      EXPECT_TRUE(std::regex_match(id, id_re)) << id;
      EXPECT_TRUE(ids.insert(id).second) << "duplicate " << id;
    }
    for (const auto& rel : doc["relationships"]) {
      EXPECT_TRUE(ids.count(rel["spdxElementId"])) << rel;
      EXPECT_TRUE(ids.count(rel["relatedSpdxElement"])) << rel;
    }
    std::set<std::string> declared;
    for (const auto& info : doc.value("hasExtractedLicensingInfos", json::array())) {
      EXPECT_TRUE(std::regex_match(info["licenseId"].get<std::string>(), ref_re)) << info;
      EXPECT_FALSE(info["extractedText"].get<std::string>().empty());
      declared.insert(info["licenseId"]);
    }
    std::set<std::string> used;
    for (const auto& p : doc["packages"])
      for (const char* field : {"licenseConcluded", "licenseDeclared"}) {
        if (!p.contains(field)) continue;
        std::string expr = p[field];
        for (std::sregex_iterator it(expr.begin(), expr.end(), ref_re), end; it != end; ++it) {
          EXPECT_TRUE(declared.count(it->str())) << it->str() << " is not in hasExtractedLicensingInfos";
          used.insert(it->str());
        }
      }
    EXPECT_EQ(used, declared);  // no unused extracted licenses
  }
}

TEST(SpdxReport, DocumentHeader) {
  json doc = Doc(sample::Alpine());
  EXPECT_EQ(doc["spdxVersion"], "SPDX-2.3");
  EXPECT_EQ(doc["dataLicense"], "CC0-1.0");
  EXPECT_EQ(doc["SPDXID"], "SPDXRef-DOCUMENT");
  EXPECT_EQ(doc["name"], "alpine:3.9");
  EXPECT_TRUE(std::regex_match(
      doc["documentNamespace"].get<std::string>(),
      std::regex("https://spdx\\.org/spdxdocs/customs/container_image/alpine-3\\.9-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-"
                 "[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
  EXPECT_EQ(doc["creationInfo"]["creators"], json::array({"Tool: customs-0.1.0"}));
  EXPECT_EQ(doc["creationInfo"]["created"], "2024-05-06T07:08:09Z");
}

TEST(SpdxReport, DeterministicNamespace) {
  ScanResult a = sample::Debian();
  ScanResult b = sample::Debian();
  std::reverse(b.inventory.packages.begin(), b.inventory.packages.end());
  EXPECT_EQ(sample::Render("spdx-json", a), sample::Render("spdx-json", b));
  ScanResult c = sample::Debian();
  c.inventory.packages[0].version = "2.31-13+deb11u1";
  EXPECT_NE(Doc(a)["documentNamespace"], Doc(c)["documentNamespace"]);
}

TEST(SpdxReport, PackagesAndRelationships) {
  json doc = Doc(sample::Alpine());
  ASSERT_EQ(doc["packages"].size(), 7u);  // artifact, OS, 5 packages
  const json& artifact = doc["packages"][0];
  EXPECT_EQ(artifact["name"], "alpine:3.9");
  EXPECT_EQ(artifact["primaryPackagePurpose"], "CONTAINER");
  const json& os = doc["packages"][1];
  EXPECT_EQ(os["name"], "alpine");
  EXPECT_EQ(os["versionInfo"], "3.9.6");
  EXPECT_EQ(os["primaryPackagePurpose"], "OPERATING_SYSTEM");
  EXPECT_TRUE(HasRelationship(doc, "SPDXRef-DOCUMENT", "DESCRIBES", artifact["SPDXID"]));
  EXPECT_TRUE(HasRelationship(doc, artifact["SPDXID"], "CONTAINS", os["SPDXID"]));

  const json* musl = PackageNamed(doc, "musl");
  ASSERT_NE(musl, nullptr);
  EXPECT_EQ((*musl)["versionInfo"], "1.1.20-r4");
  EXPECT_EQ((*musl)["downloadLocation"], "NOASSERTION");
  EXPECT_EQ((*musl)["filesAnalyzed"], false);
  EXPECT_EQ((*musl)["licenseDeclared"], "MIT");
  EXPECT_EQ((*musl)["licenseConcluded"], "NOASSERTION");
  EXPECT_EQ((*musl)["supplier"], "Organization: Timo Teräs (timo.teras@iki.fi)");
  EXPECT_EQ((*musl)["primaryPackagePurpose"], "LIBRARY");
  EXPECT_EQ((*musl)["externalRefs"], json::parse(R"([{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
      "referenceLocator": "pkg:apk/alpine/musl@1.1.20-r4?arch=x86_64&distro=3.9.6"}])"));
  EXPECT_TRUE(HasRelationship(doc, artifact["SPDXID"], "CONTAINS", (*musl)["SPDXID"]));

  const json* curl = PackageNamed(doc, "curl");
  const json* ssl = PackageNamed(doc, "libssl1.1");
  const json* crypto = PackageNamed(doc, "libcrypto1.1");
  ASSERT_TRUE(curl && ssl && crypto);
  EXPECT_EQ((*curl)["licenseDeclared"], "MIT AND BSD-3-Clause");
  EXPECT_FALSE(curl->contains("supplier"));  // unknown: left out
  EXPECT_TRUE(HasRelationship(doc, (*curl)["SPDXID"], "DEPENDS_ON", (*ssl)["SPDXID"]));
  EXPECT_TRUE(HasRelationship(doc, (*ssl)["SPDXID"], "DEPENDS_ON", (*crypto)["SPDXID"]));
  EXPECT_TRUE(HasRelationship(doc, (*ssl)["SPDXID"], "DEPENDS_ON", (*musl)["SPDXID"]));
  size_t depends = 0;
  for (const auto& r : doc["relationships"]) depends += r["relationshipType"] == "DEPENDS_ON";
  EXPECT_EQ(depends, 5u);  // busybox->musl, curl->libssl, libssl->musl, libssl->libcrypto, libcrypto->musl
}

TEST(SpdxReport, LanguageTargetsAreApplications) {
  json doc = Doc(PythonApp());
  std::string artifact;
  std::map<std::string, std::string> app_of_target;  // application name -> SPDXID
  for (const auto& p : doc["packages"]) {
    if (p["primaryPackagePurpose"] == "FILE") artifact = p["SPDXID"];
    if (p["primaryPackagePurpose"] == "APPLICATION") app_of_target[p["name"]] = p["SPDXID"];
  }
  ASSERT_EQ(app_of_target.size(), 2u);
  const std::string lock_app = app_of_target["app/poetry.lock"], site_app = app_of_target["Python"];
  ASSERT_FALSE(lock_app.empty());
  ASSERT_FALSE(site_app.empty());
  EXPECT_TRUE(HasRelationship(doc, artifact, "CONTAINS", lock_app));
  EXPECT_TRUE(HasRelationship(doc, artifact, "CONTAINS", site_app));

  // Each package is contained by its application (not the artifact), and the graph stays within
  // the target: the lockfile's requests -> its urllib3 and idna; the installed requests -> the
  // installed ones (names as the metadata writes them, compared PEP 503-normalized).
  auto id_of = [&](const std::string& name, const std::string& app) {
    for (const auto& p : doc["packages"])
      if (p["name"] == name && HasRelationship(doc, app, "CONTAINS", p["SPDXID"])) return p["SPDXID"].get<std::string>();
    ADD_FAILURE() << name << " not in " << app;
    return std::string();
  };
  std::set<std::tuple<std::string, std::string, std::string>> rels;
  for (const auto& r : doc["relationships"]) rels.emplace(r["spdxElementId"], r["relationshipType"], r["relatedSpdxElement"]);
  for (const std::string& app : {lock_app, site_app}) {
    SCOPED_TRACE(app);
    const std::string req = id_of("requests", app), u3 = id_of("urllib3", app), idna = id_of("idna", app);
    EXPECT_FALSE(rels.count({artifact, "CONTAINS", req}));
    EXPECT_TRUE(rels.count({app, "DEPENDS_ON", req}));  // nothing else needs requests
    EXPECT_FALSE(rels.count({app, "DEPENDS_ON", u3}));
    EXPECT_TRUE(rels.count({req, "DEPENDS_ON", u3}));
    EXPECT_TRUE(rels.count({req, "DEPENDS_ON", idna}));
  }
  size_t depends = 0;
  for (const auto& [from, type, to] : rels) depends += type == "DEPENDS_ON";
  EXPECT_EQ(depends, 6u);  // two applications -> requests, two requests -> urllib3 and idna
}

TEST(SpdxReport, LicenseExpressionsAndLicenseRefs) {
  json deb = Doc(sample::Debian());
  EXPECT_EQ((*PackageNamed(deb, "libc6"))["licenseDeclared"], "GPL-2.0 AND LGPL-2.1");
  EXPECT_EQ((*PackageNamed(deb, "bsdutils"))["licenseDeclared"], "BSD-4-Clause AND (GPL-2.0-or-later WITH Linux-syscall-note)");
  std::string tar = (*PackageNamed(deb, "tar"))["licenseDeclared"];
  EXPECT_TRUE(std::regex_match(tar, std::regex("LicenseRef-GPL-3--[0-9a-f]{8} AND LicenseRef-public-domain"))) << tar;
  std::map<std::string, std::string> texts;
  for (const auto& info : deb["hasExtractedLicensingInfos"]) texts[info["extractedText"]] = info["licenseId"];
  EXPECT_EQ(texts.size(), 2u);
  EXPECT_EQ(texts["public-domain"], "LicenseRef-public-domain");
  EXPECT_EQ((*PackageNamed(deb, "libc6"))["supplier"],
            "Organization: GNU Libc Maintainers (debian-glibc@lists.debian.org)");

  json rpm = Doc(sample::Rocky());
  std::string glibc = (*PackageNamed(rpm, "glibc"))["licenseDeclared"];
  EXPECT_EQ(glibc, "LGPL-2.1-or-later AND LicenseRef-SunPro AND LGPL-2.1-or-later WITH GCC-exception-2.0 AND BSD-3-Clause");
  // The vendor stands in for a missing packager.
  EXPECT_EQ((*PackageNamed(rpm, "bash"))["supplier"], "Organization: Rocky Enterprise Software Foundation");
  // Multilib twins get distinct identifiers.
  std::set<std::string> glibc_ids;
  for (const auto& p : rpm["packages"])
    if (p["name"] == "glibc") glibc_ids.insert(p["SPDXID"]);
  EXPECT_EQ(glibc_ids.size(), 2u);

  json bare = Doc(sample::BareRootfs());
  EXPECT_EQ((*PackageNamed(bare, "thing"))["licenseDeclared"], "NOASSERTION");
  EXPECT_EQ(bare["packages"][0]["primaryPackagePurpose"], "FILE");
}

}  // namespace
}  // namespace customs
