// Issue #4 acceptance (Java), through the CLI end to end: the real JARs of Debian's
// /usr/share/maven-repo (libmaven3-core-java and its dependencies, scripts/install-deps.sh) are
// identified by groupId:artifactId:version.
//
// Oracles, independent of customs:
//   - the repository path: maven-repo/<group path>/<artifact>/<version>/<artifact>-<version>[-classifier].jar;
//   - the JAR's own META-INF/maven/<group>/<artifact>/pom.properties, read here with libarchive, which
//     says whether "pom.properties" is the right provenance and which embedded (shaded) artifacts a
//     JAR may also report.
//
// Debian's generic versions. maven-repo-helper installs most artifacts a second (and third) time
// under a version Debian makes up so that its own packages need not pin versions: "debian"
// (org/slf4j/slf4j-api/debian/slf4j-api-debian.jar) and "<major>.x" (maven-core/3.x/). Those are
// links to the same file as the real version's path, so they give no version of their own: the
// real files are deduplicated (symlinks resolved) and each is expected at its real-version path
// (among several real-version paths of one file, e.g. jsr305 under two groupIds, the first in
// order). A file reachable only through generic versions would have no expected version: there is
// none today, and the test says so if that changes. What customs reports at the generic paths
// themselves is the subject of the last test: nothing with a made-up version.
//
// Symlinks: scanning /usr/share/maven-repo itself does not work, since its links lead out of it
// (../../../../../java/x.jar, i.e. /usr/share/java/x.jar) and customs keeps every path inside the
// scanned root, as it must for an image. The tests therefore scan temporary roots: copies of the
// real files laid out as a repository, the same files outside any repository layout, and the
// repository's links plus copies of their targets at the same places.
#include <archive.h>
#include <archive_entry.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "support/fixtures.h"

namespace ct = customs_test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const char* kRepo = "/usr/share/maven-repo";

struct Coord {
  std::string group, artifact, version;
  std::string Name() const { return group + ":" + artifact; }
  std::string Str() const { return Name() + ":" + version; }
  bool operator<(const Coord& o) const {
    return std::tie(group, artifact, version) < std::tie(o.group, o.artifact, o.version);
  }
  bool operator==(const Coord& o) const {
    return group == o.group && artifact == o.artifact && version == o.version;
  }
};

bool IsGenericVersion(const std::string& v) {
  return v == "debian" || (v.size() > 2 && v.compare(v.size() - 2, 2, ".x") == 0);
}

struct RepoJar {
  std::string rel;  // path below maven-repo
  Coord coord;      // from the path
  bool generic = false;
};

// The coordinates a repository path spells, if it is a Maven layout path of an artifact's JAR.
std::optional<RepoJar> ParseRepoPath(const std::string& rel) {
  std::vector<std::string> parts;
  for (const auto& c : fs::path(rel)) parts.push_back(c.string());
  if (parts.size() < 4) return std::nullopt;
  RepoJar j;
  j.rel = rel;
  j.coord.version = parts[parts.size() - 2];
  j.coord.artifact = parts[parts.size() - 3];
  for (size_t i = 0; i + 3 < parts.size(); ++i) j.coord.group += (i ? "." : "") + parts[i];
  const std::string stem = j.coord.artifact + "-" + j.coord.version;
  const std::string& file = parts.back();
  if (file.rfind(stem, 0) != 0) return std::nullopt;
  const std::string rest = file.substr(stem.size());
  if (rest != ".jar" && !(rest.size() > 5 && rest[0] == '-' && rest.compare(rest.size() - 4, 4, ".jar") == 0))
    return std::nullopt;  // only "<artifact>-<version>.jar" and "<artifact>-<version>-<classifier>.jar"
  j.generic = IsGenericVersion(j.coord.version);
  return j;
}

struct RealJar {
  std::string file;            // canonical path of the real file
  std::vector<RepoJar> real;   // its real-version repository paths, sorted
  std::vector<RepoJar> alias;  // its generic-version paths
  std::set<Coord> poms;        // the pom.properties it carries (top level)
};

// pom.properties: "key=value" / "key: value" lines, '#' and '!' comments.
Coord ParsePom(const std::string& text) {
  Coord c;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? text.size() : nl + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty() || line[0] == '#' || line[0] == '!') continue;
    size_t sep = line.find_first_of("=:");
    if (sep == std::string::npos) continue;
    std::string key = line.substr(0, sep), value = line.substr(sep + 1);
    while (!key.empty() && key.back() == ' ') key.pop_back();
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    if (key == "groupId") c.group = value;
    if (key == "artifactId") c.artifact = value;
    if (key == "version") c.version = value;
  }
  return c;
}

// The coordinates of every META-INF/maven/*/*/pom.properties of a JAR (nested archives not opened).
std::set<Coord> PomsOf(const std::string& jar, std::string* error) {
  std::set<Coord> out;
  archive* a = archive_read_new();
  archive_read_support_format_zip(a);
  if (archive_read_open_filename(a, jar.c_str(), 1 << 16) != ARCHIVE_OK) {
    *error = jar + ": " + archive_error_string(a);
    archive_read_free(a);
    return out;
  }
  archive_entry* e;
  while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
    const std::string name = archive_entry_pathname(e) ? archive_entry_pathname(e) : "";
    if (name.rfind("META-INF/maven/", 0) != 0 || name.size() < 15 ||
        name.compare(name.size() - 15, 15, "/pom.properties") != 0)
      continue;
    std::string text;
    char buf[8192];
    la_ssize_t n;
    while ((n = archive_read_data(a, buf, sizeof buf)) > 0) text.append(buf, size_t(n));
    Coord c = ParsePom(text);
    if (!c.group.empty() && !c.artifact.empty() && !c.version.empty()) out.insert(c);
  }
  archive_read_free(a);
  return out;
}

// Every real JAR of the repository, with its paths and pom.properties.
std::map<std::string, RealJar> ScanRepository(std::string* error) {
  std::map<std::string, RealJar> jars;
  for (const auto& e : fs::recursive_directory_iterator(kRepo)) {
    const fs::path p = e.path();
    if (p.extension() != ".jar" || !fs::is_regular_file(p)) continue;  // follows the links
    auto j = ParseRepoPath(p.lexically_relative(kRepo).string());
    if (!j) continue;
    const std::string real = fs::canonical(p).string();
    RealJar& r = jars[real];
    r.file = real;
    (j->generic ? r.alias : r.real).push_back(*j);
  }
  for (auto& [real, r] : jars) {
    auto by_rel = [](const RepoJar& a, const RepoJar& b) { return a.rel < b.rel; };
    std::sort(r.real.begin(), r.real.end(), by_rel);
    std::sort(r.alias.begin(), r.alias.end(), by_rel);
    r.poms = PomsOf(real, error);
  }
  return jars;
}

#define MAVEN_REPO_OR_FAIL(var)                                                                          \
  std::string err_##var;                                                                                 \
  ASSERT_TRUE(fs::is_directory(kRepo))                                                                   \
      << kRepo << " is missing: install libmaven3-core-java (scripts/install-deps.sh installs it)";      \
  const auto var = ScanRepository(&err_##var);                                                           \
  ASSERT_TRUE(err_##var.empty()) << err_##var;                                                           \
  ASSERT_GE(var.size(), 20u) << "fewer JARs than libmaven3-core-java installs";                          \
  for (const auto& [real_, r_] : var)                                                                    \
  ASSERT_FALSE(r_.real.empty()) << real_ << " is reachable only through Debian generic versions (" \
                                << r_.alias.front().rel << "): no version to expect"

struct Pkg {
  std::string name, version, how, archive;
};

// Maven packages of every "lang-pkgs" target, by dbPath (whatever the targets are named).
std::map<std::string, std::vector<Pkg>> MavenPackages(const std::string& root, std::string* error) {
  std::map<std::string, std::vector<Pkg>> out;
  ct::RunResult r = ct::RunCustoms({"fs", root, "-f", "json", "-q", "--scanners", "none"});
  json doc = ct::ParseJson(r.out, error);
  if (r.exit_code != 0 || !doc.is_object()) {
    *error = r.Describe() + " " + *error;
    return out;
  }
  for (const auto& t : doc.value("targets", json::array())) {
    if (t.value("class", "") != "lang-pkgs") continue;
    for (const auto& p : t.at("packages")) {
      if (p.value("purl", "").rfind("pkg:maven/", 0) != 0) continue;
      const json& x = p.at("extra");
      out[p.at("dbPath").get<std::string>()].push_back(
          {p.at("name").get<std::string>(), p.at("version").get<std::string>(), x.value("identified_by", ""),
           x.value("archive", "")});
    }
  }
  return out;
}

std::string Describe(const std::vector<Pkg>& pkgs) {
  std::string s;
  for (const auto& p : pkgs)
    s += " " + p.name + "@" + p.version + "(" + p.how + (p.archive.empty() ? "" : " in " + p.archive) + ")";
  return s.empty() ? " nothing" : s;
}

// Checks what customs reports for one JAR: `want` with the right provenance, and besides it only
// the artifacts the JAR's own pom.properties name (a shaded JAR's embedded ones) or nested archives'.
void CheckJar(const std::string& db_path, const RealJar& jar, const Coord& want, const std::vector<Pkg>& got,
              std::map<std::string, int>& by_how) {
  const std::string want_how = jar.poms.count(want) ? "pom.properties" : "filename";
  bool found = false;
  for (const auto& p : got) {
    if (!p.archive.empty()) continue;  // a nested archive's
    if (p.name == want.Name() && p.version == want.version) {
      found = true;
      EXPECT_EQ(p.how, want_how) << db_path << ": provenance";
      by_how[p.how]++;
      continue;
    }
    const bool embedded =
        p.how == "pom.properties" &&
        std::any_of(jar.poms.begin(), jar.poms.end(), [&](const Coord& c) { return c.Name() == p.name && c.version == p.version; });
    EXPECT_TRUE(embedded) << db_path << ": " << p.name << "@" << p.version << " (" << p.how
                          << ") is neither the JAR's artifact nor one its pom.properties name";
  }
  EXPECT_TRUE(found) << db_path << ": want " << want.Str() << " (" << want_how << "), got" << Describe(got);
}

TEST(LangJava, MavenRepoJarsIdentifiedByCoordinates) {
  MAVEN_REPO_OR_FAIL(jars);
  ct::TempDir d("customs-java-repo");
  std::map<std::string, std::pair<const RealJar*, Coord>> placed;  // dbPath -> jar, expected coordinates
  for (const auto& [real, jar] : jars) {
    const RepoJar& at = jar.real.front();
    const std::string db_path = "usr/share/maven-repo/" + at.rel;
    fs::create_directories(fs::path(d / db_path).parent_path());
    fs::copy_file(real, d / db_path);
    placed[db_path] = {&jar, at.coord};
  }
  std::string err;
  const auto pkgs = MavenPackages(d.path(), &err);
  ASSERT_TRUE(err.empty()) << err;
  std::map<std::string, int> by_how;
  for (const auto& [db_path, jp] : placed) {
    auto it = pkgs.find(db_path);
    CheckJar(db_path, *jp.first, jp.second, it == pkgs.end() ? std::vector<Pkg>{} : it->second, by_how);
  }
  for (const auto& [db_path, got] : pkgs) EXPECT_TRUE(placed.count(db_path)) << "stray:" << Describe(got);
  std::printf("maven-repo layout: %zu JARs; identified by pom.properties %d, by repository path %d\n", placed.size(),
              by_how["pom.properties"], by_how["filename"]);
  // Both provenances are exercised by the real data.
  EXPECT_GT(by_how["pom.properties"], 0);
  EXPECT_GT(by_how["filename"], 0);
}

// The same files as an application ships them (lib/<artifact>-<version>.jar), where the path
// holds no groupId: the JAR's own pom.properties must give its exact coordinates; the rest must
// still be identified (manifest or file name) with the path's artifactId-version file name.
TEST(LangJava, JarsOutsideARepositoryLayout) {
  MAVEN_REPO_OR_FAIL(jars);
  ct::TempDir d("customs-java-lib");
  std::map<std::string, std::pair<const RealJar*, Coord>> placed;
  int i = 0;
  for (const auto& [real, jar] : jars) {
    const RepoJar& at = jar.real.front();
    // One directory each: two different files may carry the same Maven file name.
    const std::string db_path = "opt/app/lib/" + std::to_string(i++) + "/" + fs::path(at.rel).filename().string();
    fs::create_directories(fs::path(d / db_path).parent_path());
    fs::copy_file(real, d / db_path);
    placed[db_path] = {&jar, at.coord};
  }
  std::string err;
  const auto pkgs = MavenPackages(d.path(), &err);
  ASSERT_TRUE(err.empty()) << err;
  int by_pom = 0, other = 0, other_exact = 0;
  for (const auto& [db_path, jp] : placed) {
    const auto& [jar, want] = jp;
    auto it = pkgs.find(db_path);
    const std::vector<Pkg> got = it == pkgs.end() ? std::vector<Pkg>{} : it->second;
    if (jar->poms.count(want)) {
      ++by_pom;
      bool found = false;
      for (const auto& p : got)
        if (p.archive.empty() && p.name == want.Name() && p.version == want.version) {
          found = true;
          EXPECT_EQ(p.how, "pom.properties") << db_path;
        }
      EXPECT_TRUE(found) << db_path << ": want " << want.Str() << " from pom.properties, got" << Describe(got);
      continue;
    }
    ++other;
    bool identified = false, exact = false;
    for (const auto& p : got) {
      if (!p.archive.empty() || p.how == "pom.properties") continue;
      identified = true;
      EXPECT_TRUE(p.how == "manifest" || p.how == "filename") << db_path << ": provenance " << p.how;
      if (p.name == want.Name() && p.version == want.version) exact = true;
    }
    EXPECT_TRUE(identified) << db_path << " (" << want.Str() << ") not identified:" << Describe(got);
    if (exact) ++other_exact;
    else std::printf("  without pom.properties: %s is %s; customs says%s\n", db_path.c_str(), want.Str().c_str(),
                     Describe(got).c_str());
  }
  std::printf("outside a repository: %d JARs with their pom.properties, %d without (%d of them exact)\n", by_pom, other,
              other_exact);
  EXPECT_GT(by_pom, 0);
  EXPECT_GT(other, 0);
}

// The repository as Debian installs it: links into /usr/share/java, with their targets, in a root
// filesystem. customs follows the links inside the root; every real-version path is identified as
// in the copy above.
TEST(LangJava, MavenRepoLinksFollowedInsideTheRoot) {
  MAVEN_REPO_OR_FAIL(jars);
  ct::TempDir d("customs-java-links");
  fs::create_directories(d / "usr/share");
  fs::copy(kRepo, d / "usr/share/maven-repo", fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  // Each link's target (absolute, or relative like ../../../../../java/x.jar) gets a copy of the
  // host's file at the same place inside the root.
  size_t links = 0;
  for (const auto& e : fs::recursive_directory_iterator(kRepo)) {
    if (!e.is_symlink()) continue;
    ++links;
    const fs::path target = fs::read_symlink(e.path());
    const fs::path where = (target.is_absolute() ? target : e.path().parent_path() / target).lexically_normal();
    const fs::path inside = fs::path(d.path()) / where.relative_path();
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(inside, ec)) && fs::is_regular_file(e.path(), ec)) {
      fs::create_directories(inside.parent_path());
      fs::copy_file(fs::canonical(e.path()), inside);
    }
  }
  ASSERT_GT(links, 0u) << "Debian's maven-repo links into /usr/share/java; no link found";
  std::string err;
  const auto pkgs = MavenPackages(d.path(), &err);
  ASSERT_TRUE(err.empty()) << err;
  std::map<std::string, int> by_how;
  size_t checked = 0;
  for (const auto& [real, jar] : jars) {
    for (const auto& at : jar.real) {
      const std::string db_path = "usr/share/maven-repo/" + at.rel;
      auto it = pkgs.find(db_path);
      CheckJar(db_path, jar, at.coord, it == pkgs.end() ? std::vector<Pkg>{} : it->second, by_how);
      ++checked;
    }
  }
  std::printf("maven-repo with %zu links: %zu real-version paths checked\n", links, checked);
}

// At a generic path (org/slf4j/slf4j-api/debian/slf4j-api-debian.jar, a link to the same file as
// 1.7.32/slf4j-api-1.7.32.jar) nothing may be reported with the version "debian" or "3.x": what is
// reported there must be one of the file's real coordinates (its real-version paths', or those its
// pom.properties name; Debian also keeps relocated groupIds such as org.sonatype.plexus as aliases).
TEST(LangJava, DebianGenericVersionsAreNotReportedAsVersions) {
  MAVEN_REPO_OR_FAIL(jars);
  ct::TempDir d("customs-java-generic");
  std::map<std::string, const RealJar*> placed;
  for (const auto& [real, jar] : jars) {
    for (const auto& at : jar.alias) {
      const std::string db_path = "usr/share/maven-repo/" + at.rel;
      fs::create_directories(fs::path(d / db_path).parent_path());
      fs::copy_file(real, d / db_path);
      placed[db_path] = &jar;
    }
  }
  ASSERT_FALSE(placed.empty());
  std::string err;
  const auto pkgs = MavenPackages(d.path(), &err);
  ASSERT_TRUE(err.empty()) << err;
  for (const auto& [db_path, jar] : placed) {
    auto it = pkgs.find(db_path);
    if (it == pkgs.end()) continue;
    std::set<Coord> real = jar->poms;
    for (const auto& r : jar->real) real.insert(r.coord);
    for (const auto& p : it->second) {
      if (!p.archive.empty()) continue;
      const bool known = std::any_of(real.begin(), real.end(), [&](const Coord& c) {
        return c.Name() == p.name && c.version == p.version;
      });
      EXPECT_TRUE(known) << db_path << ": " << p.name << "@" << p.version << " (" << p.how << ")";
    }
  }
}

}  // namespace
