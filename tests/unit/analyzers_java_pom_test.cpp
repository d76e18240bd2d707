// java_pom analyzer: pom.xml files read offline (src/analyzers/java_pom.cpp): the project's own
// coordinates, declared dependencies with scopes, ${property} interpolation, dependencyManagement
// (the project's, the parents', imported BOMs'), parents by relativePath or from a local repository,
// transitive dependencies from a local repository (nearest wins, exclusions, non-transitive scopes),
// unresolved versions kept as written, and hostile XML. The POMs are small ones shaped like real
// projects' (Apache Commons layout: org.apache.commons:commons-parent as parent).
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "analyzers_test_util.h"

namespace customs {
namespace {

using namespace analyzers_test;

class TestView : public FileView {
 public:
  explicit TestView(std::map<std::string, std::string> files) : files_(std::move(files)) {}
  std::optional<std::string_view> Read(std::string_view path) const override {
    auto it = files_.find(std::string(path));
    if (it == files_.end()) return std::nullopt;
    return std::string_view(it->second);
  }
  std::vector<std::string> Paths() const override {
    std::vector<std::string> out;
    for (const auto& [p, _] : files_) out.push_back(p);
    return out;
  }

 private:
  std::map<std::string, std::string> files_;
};

AnalysisResult Analyze(std::map<std::string, std::string> files) {
  auto a = MakeAnalyzer("java_pom");
  EXPECT_NE(a, nullptr);
  AnalysisResult r;
  if (a) a->AnalyzeView(TestView(std::move(files)), 0, r);
  return r;
}

const PackageDB* Db(const AnalysisResult& r, std::string_view path) {
  for (const auto& db : r.package_dbs)
    if (db.path == path) return &db;
  return nullptr;
}

const Package* Pkg(const PackageDB* db, std::string_view name) {
  if (!db) return nullptr;
  for (const auto& p : db->packages)
    if (p.name == name) return &p;
  return nullptr;
}

std::string Ex(const Package* p, const char* k) {
  if (!p) return "<no package>";
  auto it = p->extra.find(k);
  return it == p->extra.end() ? "" : it->second;
}

// "name@version" of every package of the database.
std::set<std::string> Names(const PackageDB* db) {
  std::set<std::string> s;
  if (db)
    for (const auto& p : db->packages) s.insert(p.name + "@" + p.version);
  return s;
}

std::string Diagnostics(const AnalysisResult& r) {
  std::string s;
  for (const auto& d : r.diagnostics) s += d.where + ": " + d.message + "\n";
  return s;
}

std::string Pom(const std::string& coords, const std::string& body) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<project xmlns=\"http://maven.apache.org/POM/4.0.0\" "
         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
         "xsi:schemaLocation=\"http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd\">\n"
         "  <modelVersion>4.0.0</modelVersion>\n" +
         coords + body + "</project>\n";
}

std::string Dep(const std::string& g, const std::string& a, const std::string& v, const std::string& more = "") {
  return "<dependency><groupId>" + g + "</groupId><artifactId>" + a + "</artifactId>" +
         (v.empty() ? "" : "<version>" + v + "</version>") + more + "</dependency>\n";
}

TEST(JavaPom, Wants) {
  auto a = MakeAnalyzer("java_pom");
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->NeedsView());
  EXPECT_TRUE(a->Wants("pom.xml", Meta("pom.xml")));
  EXPECT_TRUE(a->Wants("app/module/pom.xml", Meta("x")));
  EXPECT_TRUE(a->Wants("root/.m2/repository/org/slf4j/slf4j-api/2.0.9/slf4j-api-2.0.9.pom", Meta("x")));
  EXPECT_TRUE(a->Wants(".m2/repository/junit/junit/4.13.2/junit-4.13.2.pom", Meta("x")));
  EXPECT_FALSE(a->Wants("root/.m2/repository/junit/junit/4.13.2/other.pom", Meta("x")));
  EXPECT_FALSE(a->Wants("app/META-INF/maven/org.x/y/pom.xml", Meta("x")));  // java_jar's
  EXPECT_FALSE(a->Wants("app/notpom.xml", Meta("x")));
  EXPECT_FALSE(a->Wants("usr/share/maven-repo/junit/junit/4.x/junit-4.x.pom", Meta("x")));
}

// A parent in the tree (default relativePath ../pom.xml) with properties and dependencyManagement,
// a child module that inherits groupId, version, a property and a dependency, overrides a property.
TEST(JavaPom, ParentPropertiesAndManagement) {
  const std::string parent = Pom(
      "<groupId>org.example</groupId><artifactId>app-parent</artifactId><version>1.4.0</version>"
      "<packaging>pom</packaging>\n",
      "<properties><commons-text.version>1.8</commons-text.version><guava.version>31.1-jre</guava.version>"
      "<slf4j.version>1.7.36</slf4j.version></properties>\n"
      "<dependencyManagement><dependencies>" +
          Dep("org.apache.commons", "commons-text", "${commons-text.version}") +
          Dep("com.google.guava", "guava", "${guava.version}") +
          Dep("junit", "junit", "4.13.1", "<scope>test</scope>") + "</dependencies></dependencyManagement>\n"
          "<dependencies>" + Dep("org.slf4j", "slf4j-api", "${slf4j.version}") + "</dependencies>\n");
  const std::string child = Pom(
      "<parent><groupId>org.example</groupId><artifactId>app-parent</artifactId><version>1.4.0</version></parent>"
      "<artifactId>app-core</artifactId>\n",
      "<properties><slf4j.version>2.0.9</slf4j.version></properties>\n"
      "<dependencies>" +
          Dep("org.apache.commons", "commons-text", "") + Dep("com.google.guava", "guava", "", "<optional>true</optional>") +
          Dep("junit", "junit", "") + Dep("org.example", "app-api", "${project.version}") +
          Dep("javax.servlet", "javax.servlet-api", "4.0.1", "<scope>provided</scope>") + "</dependencies>\n");
  auto r = Analyze({{"src/pom.xml", parent}, {"src/core/pom.xml", child}});
  const PackageDB* db = Db(r, "src/core/pom.xml");
  ASSERT_NE(db, nullptr) << Diagnostics(r);
  EXPECT_EQ(db->type, "maven");
  EXPECT_EQ(Names(db), (std::set<std::string>{"org.example:app-core@1.4.0", "org.apache.commons:commons-text@1.8",
                                              "com.google.guava:guava@31.1-jre", "junit:junit@4.13.1",
                                              "org.example:app-api@1.4.0", "javax.servlet:javax.servlet-api@4.0.1",
                                              // inherited, interpolated with the child's property
                                              "org.slf4j:slf4j-api@2.0.9"}));
  const Package* self = Pkg(db, "org.example:app-core");
  EXPECT_EQ(Ex(self, "root"), "true");
  EXPECT_EQ(Ex(Pkg(db, "junit:junit"), "dev"), "true");
  EXPECT_EQ(Ex(Pkg(db, "junit:junit"), "scope"), "test");
  EXPECT_EQ(Ex(Pkg(db, "org.apache.commons:commons-text"), "scope"), "compile");
  EXPECT_EQ(Ex(Pkg(db, "org.apache.commons:commons-text"), "dev"), "");
  EXPECT_EQ(Ex(Pkg(db, "org.apache.commons:commons-text"), "direct"), "true");
  EXPECT_EQ(Ex(Pkg(db, "com.google.guava:guava"), "optional"), "true");
  EXPECT_EQ(Ex(Pkg(db, "javax.servlet:javax.servlet-api"), "scope"), "provided");
  EXPECT_EQ(Ex(Pkg(db, "javax.servlet:javax.servlet-api"), "dev"), "");
  ASSERT_NE(self, nullptr);
  EXPECT_TRUE(std::count(self->depends.begin(), self->depends.end(), "org.apache.commons:commons-text@1.8"));
  // The parent is a project of its own.
  const PackageDB* pdb = Db(r, "src/pom.xml");
  ASSERT_NE(pdb, nullptr);
  EXPECT_EQ(Names(pdb), (std::set<std::string>{"org.example:app-parent@1.4.0", "org.slf4j:slf4j-api@1.7.36"}));
  EXPECT_EQ(Diagnostics(r), "");
}

// The parent from a local repository (relativePath does not hold it), and the transitive graph.
TEST(JavaPom, LocalRepositoryParentAndTransitives) {
  const std::string repo = "home/dev/.m2/repository/";
  std::map<std::string, std::string> files;
  files[repo + "org/apache/commons/commons-parent/52/commons-parent-52.pom"] =
      Pom("<groupId>org.apache.commons</groupId><artifactId>commons-parent</artifactId><version>52</version>"
          "<packaging>pom</packaging>\n",
          "<properties><commons.lang3.version>3.11</commons.lang3.version></properties>\n");
  // commons-configuration2 2.7 depends on commons-lang3 and commons-text (compile), commons-logging
  // (excluded below), a test dependency and an optional one (neither transitive).
  files[repo + "org/apache/commons/commons-configuration2/2.7/commons-configuration2-2.7.pom"] = Pom(
      "<parent><groupId>org.apache.commons</groupId><artifactId>commons-parent</artifactId><version>52</version>"
      "</parent><artifactId>commons-configuration2</artifactId><version>2.7</version>\n",
      "<dependencies>" + Dep("org.apache.commons", "commons-lang3", "${commons.lang3.version}") +
          Dep("org.apache.commons", "commons-text", "1.8") + Dep("commons-logging", "commons-logging", "1.2") +
          Dep("junit", "junit", "4.13", "<scope>test</scope>") +
          Dep("org.springframework", "spring-core", "4.3.29.RELEASE", "<optional>true</optional>") +
          "</dependencies>\n");
  // commons-text 1.8 depends on commons-lang3 3.9: farther than 3.11 above, so 3.11 wins.
  files[repo + "org/apache/commons/commons-text/1.8/commons-text-1.8.pom"] = Pom(
      "<groupId>org.apache.commons</groupId><artifactId>commons-text</artifactId><version>1.8</version>\n",
      "<dependencies>" + Dep("org.apache.commons", "commons-lang3", "3.9") + "</dependencies>\n");
  files["work/app/pom.xml"] = Pom(
      "<parent><groupId>org.apache.commons</groupId><artifactId>commons-parent</artifactId><version>52</version>"
      "</parent><artifactId>app</artifactId><version>0.1</version>\n",
      "<dependencies>" +
          Dep("org.apache.commons", "commons-configuration2", "2.7",
              "<exclusions><exclusion><groupId>commons-logging</groupId><artifactId>*</artifactId></exclusion>"
              "</exclusions>") +
          Dep("org.mockito", "mockito-core", "4.11.0", "<scope>test</scope>") + "</dependencies>\n");
  auto r = Analyze(files);
  const PackageDB* db = Db(r, "work/app/pom.xml");
  ASSERT_NE(db, nullptr) << Diagnostics(r);
  EXPECT_EQ(Names(db), (std::set<std::string>{"org.apache.commons:app@0.1",  // groupId from the parent
                                              "org.apache.commons:commons-configuration2@2.7",
                                              "org.apache.commons:commons-lang3@3.11", "org.apache.commons:commons-text@1.8",
                                              "org.mockito:mockito-core@4.11.0"}));
  EXPECT_EQ(Ex(Pkg(db, "org.apache.commons:commons-text"), "direct"), "false");
  EXPECT_EQ(Ex(Pkg(db, "org.apache.commons:commons-text"), "scope"), "compile");
  const Package* conf = Pkg(db, "org.apache.commons:commons-configuration2");
  ASSERT_NE(conf, nullptr);
  EXPECT_TRUE(std::count(conf->depends.begin(), conf->depends.end(), "org.apache.commons:commons-text@1.8"));
  const Package* text = Pkg(db, "org.apache.commons:commons-text");
  ASSERT_NE(text, nullptr);
  // Pinned to the version mediation chose.
  EXPECT_EQ(text->depends, (std::vector<std::string>{"org.apache.commons:commons-lang3@3.11"}));
  // Local repository POMs are not projects.
  EXPECT_EQ(r.package_dbs.size(), 1u);
  EXPECT_EQ(Diagnostics(r), "");
}

// The root's dependencyManagement overrides a transitive version; a test dependency's transitive
// dependencies are test (dev) too; a BOM imported from the local repository manages versions.
TEST(JavaPom, ManagementOverridesTransitivesAndBoms) {
  const std::string repo = ".m2/repository/";
  std::map<std::string, std::string> files;
  files[repo + "com/fasterxml/jackson/jackson-bom/2.15.2/jackson-bom-2.15.2.pom"] =
      Pom("<groupId>com.fasterxml.jackson</groupId><artifactId>jackson-bom</artifactId><version>2.15.2</version>"
          "<packaging>pom</packaging>\n",
          "<properties><jackson.version>2.15.2</jackson.version></properties><dependencyManagement><dependencies>" +
              Dep("com.fasterxml.jackson.core", "jackson-databind", "${jackson.version}") +
              Dep("com.fasterxml.jackson.core", "jackson-core", "${jackson.version}") +
              "</dependencies></dependencyManagement>\n");
  files[repo + "com/fasterxml/jackson/core/jackson-databind/2.15.2/jackson-databind-2.15.2.pom"] =
      Pom("<groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId>"
          "<version>2.15.2</version>\n",
          "<dependencies>" + Dep("com.fasterxml.jackson.core", "jackson-core", "2.15.2") + "</dependencies>\n");
  files[repo + "org/mockito/mockito-core/4.11.0/mockito-core-4.11.0.pom"] =
      Pom("<groupId>org.mockito</groupId><artifactId>mockito-core</artifactId><version>4.11.0</version>\n",
          "<dependencies>" + Dep("net.bytebuddy", "byte-buddy", "1.12.19") + "</dependencies>\n");
  files["pom.xml"] = Pom(
      "<groupId>org.example</groupId><artifactId>svc</artifactId><version>2.0</version>\n",
      "<dependencyManagement><dependencies>" +
          Dep("com.fasterxml.jackson", "jackson-bom", "2.15.2", "<type>pom</type><scope>import</scope>") +
          Dep("com.fasterxml.jackson.core", "jackson-core", "2.15.3") + "</dependencies></dependencyManagement>\n"
          "<dependencies>" + Dep("com.fasterxml.jackson.core", "jackson-databind", "") +
          Dep("org.mockito", "mockito-core", "4.11.0", "<scope>test</scope>") + "</dependencies>\n");
  auto r = Analyze(files);
  const PackageDB* db = Db(r, "pom.xml");
  ASSERT_NE(db, nullptr) << Diagnostics(r);
  EXPECT_EQ(Names(db), (std::set<std::string>{"org.example:svc@2.0", "com.fasterxml.jackson.core:jackson-databind@2.15.2",
                                              "com.fasterxml.jackson.core:jackson-core@2.15.3",
                                              "org.mockito:mockito-core@4.11.0", "net.bytebuddy:byte-buddy@1.12.19"}));
  EXPECT_EQ(Ex(Pkg(db, "net.bytebuddy:byte-buddy"), "dev"), "true");
  EXPECT_EQ(Ex(Pkg(db, "net.bytebuddy:byte-buddy"), "scope"), "test");
  EXPECT_EQ(Ex(Pkg(db, "com.fasterxml.jackson.core:jackson-core"), "dev"), "");
  EXPECT_EQ(Diagnostics(r), "");
}

// What cannot be resolved offline is reported as written, with a note, never guessed.
TEST(JavaPom, UnresolvedVersionsAreKeptAsWritten) {
  auto r = Analyze({{"pom.xml", Pom("<groupId>g</groupId><artifactId>a</artifactId><version>1</version>\n",
                                    "<properties><loop.a>${loop.b}</loop.a><loop.b>${loop.a}</loop.b></properties>"
                                    "<dependencies>" +
                                        Dep("x", "ranged", "[1.0,2.0)") + Dep("x", "undefined", "${nobody.defines}") +
                                        Dep("x", "cyclic", "${loop.a}") + Dep("x", "unmanaged", "") +
                                        "</dependencies>\n")}});
  const PackageDB* db = Db(r, "pom.xml");
  ASSERT_NE(db, nullptr) << Diagnostics(r);
  EXPECT_EQ(Names(db), (std::set<std::string>{"g:a@1", "x:ranged@[1.0,2.0)", "x:undefined@${nobody.defines}",
                                              "x:cyclic@${loop.a}", "x:unmanaged@"}));
  for (const char* n : {"x:ranged", "x:undefined", "x:cyclic", "x:unmanaged"})
    EXPECT_NE(Ex(Pkg(db, n), "note"), "") << n;
  const std::string diags = Diagnostics(r);
  EXPECT_NE(diags.find("4 dependenc(y/ies) reported with an unresolved version"), std::string::npos) << diags;
  EXPECT_NE(diags.find("refers to itself"), std::string::npos) << diags;
}

TEST(JavaPom, MissingAndCyclicParentsAreReported) {
  auto r = Analyze(
      {{"a/pom.xml",
        Pom("<parent><groupId>g</groupId><artifactId>b</artifactId><version>1</version>"
            "<relativePath>../b</relativePath></parent><artifactId>a</artifactId>\n", "")},
       {"b/pom.xml",
        Pom("<parent><groupId>g</groupId><artifactId>a</artifactId><version>1</version>"
            "<relativePath>../a/pom.xml</relativePath></parent><artifactId>b</artifactId>\n", "")},
       {"c/pom.xml", Pom("<parent><groupId>org.absent</groupId><artifactId>p</artifactId><version>9</version></parent>"
                         "<artifactId>c</artifactId>\n",
                         "<dependencies>" + Dep("x", "y", "${from.parent}") + "</dependencies>")}});
  const std::string diags = Diagnostics(r);
  EXPECT_NE(diags.find("cycle of parents"), std::string::npos) << diags;
  EXPECT_NE(diags.find("parent POM org.absent:p:9 not found"), std::string::npos) << diags;
  EXPECT_EQ(Names(Db(r, "a/pom.xml")), (std::set<std::string>{"g:a@1"}));
  EXPECT_EQ(Names(Db(r, "c/pom.xml")), (std::set<std::string>{"org.absent:c@9", "x:y@${from.parent}"}));
}

// Hostile XML: not well-formed, not a POM, an internal entity bomb (never expanded: pugixml reads no
// DTD), an external entity (never fetched), deep nesting (no recursion), an oversized file.
TEST(JavaPom, HostileXml) {
  std::string bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE project [\n<!ENTITY a \"aaaaaaaaaa\">\n";
  for (int i = 1; i < 10; ++i)
    bomb += "<!ENTITY " + std::string(1, char('a' + i)) + " \"" + std::string(10, '&') + "\">\n";
  bomb += "<!ENTITY x SYSTEM \"file:///etc/passwd\">\n]>\n"
          "<project><groupId>g</groupId><artifactId>bomb</artifactId><version>&j;&x;</version></project>\n";
  std::string deep = "<project><groupId>g</groupId><artifactId>deep</artifactId><version>1</version>";
  for (int i = 0; i < 200000; ++i) deep += "<a>";
  std::string huge = Pom("<groupId>g</groupId><artifactId>huge</artifactId><version>1</version>",
                         "<!--" + std::string(9u << 20, 'x') + "-->");
  auto r = Analyze({{"bad/pom.xml", "<project><groupId>g</groupId"},
                    {"notpom/pom.xml", "<settings/>"},
                    {"bomb/pom.xml", bomb},
                    {"deep/pom.xml", deep},
                    {"huge/pom.xml", huge}});
  const std::string diags = Diagnostics(r);
  EXPECT_NE(diags.find("bad/pom.xml: not well-formed XML"), std::string::npos) << diags;
  EXPECT_NE(diags.find("notpom/pom.xml: no <project> root element"), std::string::npos) << diags;
  EXPECT_NE(diags.find("deep/pom.xml: not well-formed XML"), std::string::npos) << diags;
  EXPECT_NE(diags.find("huge/pom.xml: larger than 8 MiB"), std::string::npos) << diags;
  const PackageDB* db = Db(r, "bomb/pom.xml");
  ASSERT_NE(db, nullptr) << diags;
  ASSERT_EQ(db->packages.size(), 1u);
  // The references stay as written: nothing was expanded or read.
  EXPECT_LT(db->packages[0].version.size(), 16u) << db->packages[0].version;
  EXPECT_EQ(db->packages[0].version.find("root:"), std::string::npos);
}

}  // namespace
}  // namespace customs
