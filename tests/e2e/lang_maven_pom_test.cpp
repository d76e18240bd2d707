// Issue #14 (Maven source trees): `customs fs` reads pom.xml, offline, as Trivy does. The tree is a
// multi-module project: a parent POM (packaging pom, a property and dependencyManagement) and a
// child module that inherits groupId and version from it and declares commons-configuration2 without
// a version, plus a test dependency; the project's local Maven repository (.m2/repository, in the
// tree) holds the POM of org.apache.commons:commons-configuration2:2.7 (trimmed to its dependencies,
// which are those the published 2.7 POM declares: commons-lang3 3.9, commons-text 1.8,
// commons-logging 1.2), so commons-text 1.8 is a transitive dependency. That version is in the range
// of the real advisory GHSA-599f-7c49-w659 / CVE-2022-42889 ("Text4Shell", [1.5, 1.10.0);
// tests/e2e/data/ghsa, source in its README), so the scan must report it for the module.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "support/fixtures.h"
#include "support/vulndb_fixture.h"

namespace ct = customs_test;
using nlohmann::json;

namespace {

const char* kParent = R"(<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.example.shop</groupId>
  <artifactId>shop-parent</artifactId>
  <version>1.0.0</version>
  <packaging>pom</packaging>
  <modules>
    <module>core</module>
  </modules>
  <properties>
    <commons-configuration.version>2.7</commons-configuration.version>
    <junit.version>4.13.2</junit.version>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>org.apache.commons</groupId>
        <artifactId>commons-configuration2</artifactId>
        <version>${commons-configuration.version}</version>
      </dependency>
      <dependency>
        <groupId>junit</groupId>
        <artifactId>junit</artifactId>
        <version>${junit.version}</version>
        <scope>test</scope>
      </dependency>
    </dependencies>
  </dependencyManagement>
</project>
)";

const char* kCore = R"(<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>org.example.shop</groupId>
    <artifactId>shop-parent</artifactId>
    <version>1.0.0</version>
  </parent>
  <artifactId>shop-core</artifactId>
  <dependencies>
    <dependency>
      <groupId>org.apache.commons</groupId>
      <artifactId>commons-configuration2</artifactId>
    </dependency>
    <dependency>
      <groupId>junit</groupId>
      <artifactId>junit</artifactId>
    </dependency>
  </dependencies>
</project>
)";

const char* kConfiguration2 = R"(<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.apache.commons</groupId>
  <artifactId>commons-configuration2</artifactId>
  <version>2.7</version>
  <properties>
    <commons.text.version>1.8</commons.text.version>
  </properties>
  <dependencies>
    <dependency>
      <groupId>org.apache.commons</groupId>
      <artifactId>commons-lang3</artifactId>
      <version>3.9</version>
    </dependency>
    <dependency>
      <groupId>org.apache.commons</groupId>
      <artifactId>commons-text</artifactId>
      <version>${commons.text.version}</version>
    </dependency>
    <dependency>
      <groupId>commons-logging</groupId>
      <artifactId>commons-logging</artifactId>
      <version>1.2</version>
    </dependency>
    <dependency>
      <groupId>org.springframework</groupId>
      <artifactId>spring-core</artifactId>
      <version>4.3.26.RELEASE</version>
      <optional>true</optional>
    </dependency>
    <dependency>
      <groupId>junit</groupId>
      <artifactId>junit</artifactId>
      <version>4.12</version>
      <scope>test</scope>
    </dependency>
  </dependencies>
</project>
)";

TEST(LangMavenPom, ParentModuleAndLocalRepository) {
  ct::TempDir d;
  ct::WriteFile(d / "feeds/osv-ghsa/GHSA-599f-7c49-w659.json",
                ct::ReadFile(ct::SourceDir() + "/tests/e2e/data/ghsa/GHSA-599f-7c49-w659.json"));
  const std::string db = d / "customs.db";
  ct::RunResult b = ct::BuildVulnDb(d / "feeds", db);
  ASSERT_EQ(b.exit_code, 0) << b.Describe();

  const std::string proj = d / "shop";
  ct::WriteFile(proj + "/pom.xml", kParent);
  ct::WriteFile(proj + "/core/pom.xml", kCore);
  ct::WriteFile(proj + "/.m2/repository/org/apache/commons/commons-configuration2/2.7/commons-configuration2-2.7.pom",
                kConfiguration2);

  ct::RunResult r = ct::RunCustoms({"fs", proj, "--db", db, "-f", "json", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  std::string err;
  const json report = ct::ParseJson(r.out, &err);
  ASSERT_TRUE(report.is_object()) << err;

  // dbPath -> {name@version -> extra}
  std::map<std::string, std::map<std::string, json>> by_file;
  for (const auto& t : report["targets"])
    for (const auto& p : t.value("packages", json::array()))
      if (p.value("purl", "").rfind("pkg:maven/", 0) == 0)
        by_file[p["dbPath"]][p["name"].get<std::string>() + "@" + p["version"].get<std::string>()] = p;
  ASSERT_EQ(by_file.size(), 2u) << r.out.substr(0, 4000);
  std::set<std::string> core;
  for (const auto& [k, _] : by_file["core/pom.xml"]) core.insert(k);
  EXPECT_EQ(core, (std::set<std::string>{"org.example.shop:shop-core@1.0.0",
                                         "org.apache.commons:commons-configuration2@2.7",
                                         "org.apache.commons:commons-lang3@3.9", "org.apache.commons:commons-text@1.8",
                                         "commons-logging:commons-logging@1.2", "junit:junit@4.13.2"}))
      << r.out.substr(0, 4000);
  std::set<std::string> parent;
  for (const auto& [k, _] : by_file["pom.xml"]) parent.insert(k);
  EXPECT_EQ(parent, (std::set<std::string>{"org.example.shop:shop-parent@1.0.0"}));

  const json& text = by_file["core/pom.xml"]["org.apache.commons:commons-text@1.8"];
  EXPECT_EQ(text["purl"], "pkg:maven/org.apache.commons/commons-text@1.8");
  EXPECT_EQ(text["extra"].value("direct", ""), "false");
  EXPECT_EQ(by_file["core/pom.xml"]["junit:junit@4.13.2"]["extra"].value("dev", ""), "true");
  const json& conf = by_file["core/pom.xml"]["org.apache.commons:commons-configuration2@2.7"];
  EXPECT_EQ(conf["extra"].value("direct", ""), "true");
  std::set<std::string> conf_deps;
  for (const auto& x : conf["dependsOn"]) conf_deps.insert(x.get<std::string>());
  EXPECT_EQ(conf_deps, (std::set<std::string>{"org.apache.commons:commons-lang3@3.9",
                                              "org.apache.commons:commons-text@1.8",
                                              "commons-logging:commons-logging@1.2"}));

  // The finding, through the transitive dependency, once.
  EXPECT_EQ(ct::ReportFindingIds(report), (ct::FindingSet{{"org.apache.commons:commons-text", "GHSA-599f-7c49-w659"},
                                                          {"org.apache.commons:commons-text", "CVE-2022-42889"}}))
      << r.out.substr(0, 4000);
  EXPECT_EQ(ct::ReportVulnerabilities(report).size(), 1u);
  // The repository's POM is not a project of its own, and nothing went unread.
  for (const auto& dg : report["diagnostics"]) ADD_FAILURE() << dg.dump();
}

// The same project inside a root filesystem (an image's view): the parent POM is not beside the
// module but in root's local repository (root/.m2/repository), as `mvn install` of the parent leaves
// it, and so is the dependency's POM.
TEST(LangMavenPom, RootfsWithRootsLocalRepository) {
  ct::TempDir d;
  const std::string root = d / "rootfs";
  const std::string repo = root + "/root/.m2/repository/";
  ct::WriteFile(root + "/etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n");
  ct::WriteFile(root + "/opt/shop/pom.xml", kCore);  // module alone: ../pom.xml is not there
  ct::WriteFile(repo + "org/example/shop/shop-parent/1.0.0/shop-parent-1.0.0.pom", kParent);
  ct::WriteFile(repo + "org/apache/commons/commons-configuration2/2.7/commons-configuration2-2.7.pom", kConfiguration2);
  ct::RunResult r = ct::RunCustoms({"rootfs", root, "-f", "json", "-q", "--scanners", "none"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  const json report = ct::ParseJson(r.out);
  std::set<std::string> got;
  for (const auto& t : report["targets"])
    for (const auto& p : t.value("packages", json::array()))
      if (p.value("purl", "").rfind("pkg:maven/", 0) == 0)
        got.insert(p["dbPath"].get<std::string>() + " " + p["name"].get<std::string>() + "@" +
                   p["version"].get<std::string>());
  EXPECT_EQ(got, (std::set<std::string>{"opt/shop/pom.xml org.example.shop:shop-core@1.0.0",
                                        "opt/shop/pom.xml org.apache.commons:commons-configuration2@2.7",
                                        "opt/shop/pom.xml org.apache.commons:commons-lang3@3.9",
                                        "opt/shop/pom.xml org.apache.commons:commons-text@1.8",
                                        "opt/shop/pom.xml commons-logging:commons-logging@1.2",
                                        "opt/shop/pom.xml junit:junit@4.13.2"}))
      << r.out.substr(0, 4000);
}

}  // namespace
