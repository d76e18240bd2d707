// java_jar and java_gradle. Real data: the JARs of Debian's /usr/share/maven-repo (packages
// libmaven3-core-java and its dependencies), whose Maven repository path is the oracle
// (<group path>/<artifact>/<version>/<artifact>-<version>[-classifier].jar).
#include <gtest/gtest.h>

#include <archive.h>
#include <archive_entry.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "analyzers/java_util.h"
#include "analyzers_test_util.h"

namespace customs {
std::unique_ptr<Analyzer> Make_java_jar();
std::unique_ptr<Analyzer> Make_java_gradle();
}  // namespace customs

namespace customs::analyzers_test {
namespace {

namespace fs = std::filesystem;

// A zip archive in memory.
std::string Zip(const std::vector<std::pair<std::string, std::string>>& files) {
  archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  std::vector<char> buf(64 << 20);
  size_t used = 0;
  archive_write_open_memory(a, buf.data(), buf.size(), &used);
  for (const auto& [name, data] : files) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(data.size()));
    archive_write_header(a, e);
    archive_write_data(a, data.data(), data.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return std::string(buf.data(), used);
}

const PackageDB* OnlyDb(const AnalysisResult& r) { return r.package_dbs.size() == 1 ? &r.package_dbs[0] : nullptr; }

TEST(JavaJar, WantsArchivesOnly) {
  auto a = Make_java_jar();
  EXPECT_TRUE(a->Wants("app/lib/foo-1.0.jar", Meta("app/lib/foo-1.0.jar")));
  EXPECT_TRUE(a->Wants("srv/app.WAR", Meta("srv/app.WAR")));
  EXPECT_TRUE(a->Wants("x.ear", Meta("x.ear")));
  EXPECT_FALSE(a->Wants("x.jar.txt", Meta("x.jar.txt")));
  EXPECT_FALSE(a->Wants("jar", Meta("jar")));
  EXPECT_FALSE(a->Wants("usr/lib/x.zip", Meta("usr/lib/x.zip")));
}

TEST(JavaJar, PomPropertiesWinsAndNestedWarIsRead) {
  const std::string inner = Zip({
      {"META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nImplementation-Title: wrong\r\nImplementation-Version: 9\r\n"},
      {"META-INF/maven/com.fasterxml.jackson.core/jackson-databind/pom.properties",
       "#Created by Apache Maven 3.8.1\nversion=2.13.4.2\ngroupId=com.fasterxml.jackson.core\nartifactId=jackson-databind\n"},
  });
  const std::string manifest_only = Zip({{"META-INF/MANIFEST.MF",
                                          "Manifest-Version: 1.0\nBundle-SymbolicName: org.example.tools;singleton:=true\n"
                                          "Bundle-Version: 3.1.0\nImplementation-Title: My Tools Library\n"}});
  const std::string named_only = Zip({{"a/B.class", "\xca\xfe\xba\xbe"}});
  const std::string war = Zip({
      {"WEB-INF/web.xml", "<web-app/>"},
      {"WEB-INF/lib/jackson-databind-2.13.4.2.jar", inner},
      {"WEB-INF/lib/tools.jar", manifest_only},
      {"WEB-INF/lib/legacy-util-1.4.2.jar", named_only},
  });
  auto a = Make_java_jar();
  AnalysisResult r = AnalyzeOne(*a, "srv/app.war", war);
  const PackageDB* db = OnlyDb(r);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->type, "maven");
  EXPECT_EQ(db->path, "srv/app.war");
  const Package* jd = FindPackage(db->packages, "com.fasterxml.jackson.core:jackson-databind");
  ASSERT_NE(jd, nullptr);
  EXPECT_EQ(jd->version, "2.13.4.2");
  EXPECT_EQ(jd->extra.at("identified_by"), "pom.properties");
  EXPECT_EQ(jd->extra.at("archive"), "srv/app.war!/WEB-INF/lib/jackson-databind-2.13.4.2.jar");
  EXPECT_EQ(jd->db_path, "srv/app.war");
  const Package* tools = FindPackage(db->packages, "org.example:tools");
  ASSERT_NE(tools, nullptr);
  EXPECT_EQ(tools->version, "3.1.0");
  EXPECT_EQ(tools->extra.at("identified_by"), "manifest");
  const Package* legacy = FindPackage(db->packages, "legacy-util");
  ASSERT_NE(legacy, nullptr);
  EXPECT_EQ(legacy->version, "1.4.2");
  EXPECT_EQ(legacy->extra.at("identified_by"), "filename");
  // The WAR itself has no identity: a diagnostic, not a package.
  EXPECT_EQ(db->packages.size(), 3u);
}

TEST(JavaJar, MalformedInputGivesDiagnostics) {
  auto a = Make_java_jar();
  for (std::string junk : {std::string(), std::string("PK\x03\x04garbage", 12), std::string(1000, 'x')}) {
    AnalysisResult r = AnalyzeOne(*a, "x.jar", junk);
    ASSERT_NE(OnlyDb(r), nullptr);
    EXPECT_TRUE(r.package_dbs[0].packages.empty());
    EXPECT_FALSE(r.diagnostics.empty());
  }
  // Truncated real archive.
  const std::string jar = Zip({{"META-INF/maven/g/a/pom.properties", "groupId=g\nartifactId=a\nversion=1\n"}});
  AnalysisResult r = AnalyzeOne(*a, "a-1.jar", jar.substr(0, jar.size() / 2));
  EXPECT_FALSE(r.diagnostics.empty());
}

TEST(JavaJar, NestingDepthIsBounded) {
  // 8 levels of nesting: only the first 5 archives (depth 0..4) are opened.
  std::string jar = Zip({{"META-INF/maven/g/level8/pom.properties", "groupId=g\nartifactId=level8\nversion=1\n"}});
  for (int level = 7; level >= 0; --level)
    jar = Zip({{"META-INF/maven/g/level" + std::to_string(level) + "/pom.properties",
                "groupId=g\nartifactId=level" + std::to_string(level) + "\nversion=1\n"},
               {"lib/inner.jar", jar}});
  auto a = Make_java_jar();
  AnalysisResult r = AnalyzeOne(*a, "deep.jar", jar);
  ASSERT_NE(OnlyDb(r), nullptr);
  std::set<std::string> names;
  for (const auto& p : r.package_dbs[0].packages) names.insert(p.name);
  EXPECT_EQ(names, (std::set<std::string>{"g:level0", "g:level1", "g:level2", "g:level3", "g:level4"}));
}

TEST(JavaJar, ZipBombIsBounded) {
  // One highly compressible 80 MiB entry inside a nested jar: over the per-entry limit, skipped.
  const std::string big = Zip({{"lib/huge.jar", std::string(80u << 20, '\0')}});
  auto a = Make_java_jar();
  AnalysisResult r = AnalyzeOne(*a, "bomb.jar", big);
  ASSERT_NE(OnlyDb(r), nullptr);
  EXPECT_FALSE(r.diagnostics.empty());
}

TEST(JavaJar, ParseHelpers) {
  EXPECT_EQ(java::ParseFileName("commons-io-2.11.0.jar").artifact, "commons-io");
  EXPECT_EQ(java::ParseFileName("commons-io-2.11.0.jar").version, "2.11.0");
  EXPECT_EQ(java::ParseFileName("guice-4.2.3-no_aop.jar").version, "4.2.3-no_aop");
  EXPECT_EQ(java::ParseFileName("jsr305-0.1-SNAPSHOT.jar").version, "0.1-SNAPSHOT");
  EXPECT_TRUE(java::ParseFileName("commons-io.jar").artifact.empty());
  auto mf = java::ParseManifest("Manifest-Version: 1.0\r\nBundle-SymbolicName: org.apache.commons.comm\r\n ons-io\r\n\r\nName: x\r\nFoo: bar\r\n");
  EXPECT_EQ(mf["Bundle-SymbolicName"], "org.apache.commons.commons-io");
  EXPECT_EQ(mf.count("Foo"), 0u);
  auto rc = java::FromRepositoryPath("root/.m2/repository/org/foo/bar/1.0/bar-1.0-tests.jar");
  EXPECT_EQ(rc.group + ":" + rc.artifact + ":" + rc.version, "org.foo:bar:1.0");
  EXPECT_EQ(java::FromRepositoryPath("opt/lib/bar-1.0.jar").group, "");
  EXPECT_EQ(java::FromRepositoryPath("root/.m2/repository/bar/1.0/baz-1.0.jar").group, "");
}

// Oracle: every JAR of /usr/share/maven-repo (symlinks resolved; "debian" alias versions skipped).
// A JAR linked from several places (Debian installs aliases such as org/jsr-305 and
// com/google/code/findbugs for jsr305) must match one of them.
TEST(JavaJar, DebianMavenRepoOracle) {
  const std::string repo = "/usr/share/maven-repo";
  if (!fs::is_directory(repo)) GTEST_SKIP() << "install libmaven3-core-java";
  std::map<std::string, std::set<std::string>> expected;  // real file -> {g:a:v}
  std::map<std::string, std::string> image_path;          // real file -> one path under maven-repo
  for (const auto& e : fs::recursive_directory_iterator(repo)) {
    const fs::path p = e.path();
    if (p.extension() != ".jar" || !fs::is_regular_file(p)) continue;
    const fs::path rel = p.lexically_relative(repo);
    std::vector<std::string> parts;
    for (const auto& c : rel) parts.push_back(c.string());
    if (parts.size() < 4) continue;
    const std::string version = parts[parts.size() - 2], artifact = parts[parts.size() - 3];
    // Debian's made-up versions ("debian", "3.x") are aliases of a real-version path.
    if (version == "debian" || (version.size() > 2 && version.ends_with(".x") &&
                                version.find_first_not_of("0123456789.") == version.size() - 1))
      continue;
    if (!parts.back().starts_with(artifact + "-" + version)) continue;
    std::string group;
    for (size_t i = 0; i + 3 < parts.size(); ++i) group += (group.empty() ? "" : ".") + parts[i];
    const std::string real = fs::canonical(p).string();
    expected[real].insert(group + ":" + artifact + ":" + version);
    if (!image_path.count(real)) image_path[real] = "usr/share/maven-repo/" + rel.string();
  }
  ASSERT_GE(expected.size(), 20u);
  auto a = Make_java_jar();
  std::map<std::string, int> by_how;
  int matched = 0;
  std::string failures;
  for (const auto& [real, want] : expected) {
    auto content = ReadFile(real);
    ASSERT_TRUE(content.has_value());
    AnalysisResult r = AnalyzeOne(*a, image_path[real], *content);
    ASSERT_NE(OnlyDb(r), nullptr);
    bool ok = false;
    std::string got;
    for (const auto& pkg : r.package_dbs[0].packages) {
      if (pkg.extra.count("archive")) continue;
      got += " " + pkg.name + ":" + pkg.version + "(" + pkg.extra.at("identified_by") + ")";
      if (want.count(pkg.name + ":" + pkg.version)) {
        ok = true;
        by_how[pkg.extra.at("identified_by")]++;
      }
    }
    if (ok) ++matched;
    else failures += "\n  " + real + ": want " + *want.begin() + ", got" + got;
  }
  std::string summary;
  for (const auto& [k, v] : by_how) summary += " " + k + "=" + std::to_string(v);
  std::printf("maven-repo oracle: %d/%zu matched;%s\n", matched, expected.size(), summary.c_str());
  EXPECT_EQ(failures, "");
  // Content alone (the JAR outside any repository layout): pom.properties must give the oracle.
  int content_matched = 0;
  for (const auto& [real, want] : expected) {
    AnalysisResult r = AnalyzeOne(*a, "opt/app/lib/" + fs::path(real).filename().string(), *ReadFile(real));
    for (const auto& pkg : r.package_dbs[0].packages)
      if (want.count(pkg.name + ":" + pkg.version)) {
        ++content_matched;
        break;
      }
  }
  std::printf("content alone: %d/%zu matched\n", content_matched, expected.size());
  EXPECT_GE(content_matched, by_how["pom.properties"]);
}

TEST(JavaGradle, Lockfile) {
  auto a = Make_java_gradle();
  EXPECT_TRUE(a->Wants("src/app/gradle.lockfile", Meta("src/app/gradle.lockfile")));
  EXPECT_TRUE(a->Wants("app/gradle/dependency-locks/compileClasspath.lockfile", Meta("x")));
  EXPECT_FALSE(a->Wants("app/other.lockfile", Meta("x")));
  const std::string lock =
      "# This is a Gradle generated file for dependency locking.\n"
      "# Manual edits can break the build and are not advised.\n"
      "# This file is expected to be part of source control.\n"
      "com.google.code.findbugs:jsr305:3.0.2=compileClasspath,runtimeClasspath\n"
      "com.google.guava:guava:31.1-jre=compileClasspath,runtimeClasspath\n"
      "junit:junit:4.13.2=testCompileClasspath,testRuntimeClasspath\n"
      "not a coordinate\n"
      "empty=annotationProcessor\n";
  AnalysisResult r = AnalyzeOne(*a, "app/gradle.lockfile", lock);
  ASSERT_NE(OnlyDb(r), nullptr);
  const auto& pkgs = r.package_dbs[0].packages;
  ASSERT_EQ(pkgs.size(), 3u);
  EXPECT_EQ(pkgs[1].name, "com.google.guava:guava");
  EXPECT_EQ(pkgs[1].version, "31.1-jre");
  EXPECT_EQ(pkgs[2].extra.at("configurations"), "testCompileClasspath,testRuntimeClasspath");
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_NE(r.diagnostics[0].message.find("line 7"), std::string::npos);
  AnalysisResult old = AnalyzeOne(*a, "gradle/dependency-locks/compileClasspath.lockfile",
                                  "# comment\norg.slf4j:slf4j-api:1.7.36\n");
  ASSERT_EQ(old.package_dbs[0].packages.size(), 1u);
  EXPECT_EQ(old.package_dbs[0].packages[0].version, "1.7.36");
}

}  // namespace
}  // namespace customs::analyzers_test
