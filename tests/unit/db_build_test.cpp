// The database build: discovery, per-source counts, determinism (two builds -> identical content),
// atomic replacement, and the read API (VulnDB) on the result.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "core/error.h"
#include "db/builder.h"
#include "db/schema.h"
#include "db/vulndb.h"
#include "db_test_util.h"

using namespace customs::db;
using db_test::Vulndata;
namespace ct = customs_test;

namespace {

// Every table, every row, in a canonical order.
std::string CanonicalDump(const std::string& path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  std::vector<std::string> tables;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT name, sql FROM sqlite_master ORDER BY name", -1, &st, nullptr);
  std::ostringstream out;
  while (sqlite3_step(st) == SQLITE_ROW) {
    std::string name = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    const unsigned char* sql = sqlite3_column_text(st, 1);
    out << "== " << name << " " << (sql ? reinterpret_cast<const char*>(sql) : "") << "\n";
    if (sql && std::string(reinterpret_cast<const char*>(sql)).rfind("CREATE TABLE", 0) == 0) tables.push_back(name);
  }
  sqlite3_finalize(st);
  for (const auto& t : tables) {
    std::string q = "SELECT * FROM " + t;
    sqlite3_prepare_v2(db, q.c_str(), -1, &st, nullptr);
    int n = sqlite3_column_count(st);
    q += " ORDER BY ";
    for (int i = 1; i <= n; ++i) q += std::to_string(i) + (i < n ? "," : "");
    sqlite3_finalize(st);
    sqlite3_prepare_v2(db, q.c_str(), -1, &st, nullptr);
    out << "-- " << t << "\n";
    while (sqlite3_step(st) == SQLITE_ROW) {
      for (int i = 0; i < n; ++i) {
        const unsigned char* v = sqlite3_column_text(st, i);
        out << (v ? reinterpret_cast<const char*>(v) : "NULL") << (i + 1 < n ? "\x1f" : "\n");
      }
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return out.str();
}

struct FixedTime {
  FixedTime() { setenv("CUSTOMS_FIXED_TIME", "1700000000", 1); }
  ~FixedTime() { unsetenv("CUSTOMS_FIXED_TIME"); }
};

BuildResult Build(const std::string& from, const std::string& out) {
  BuildOptions o;
  o.from = from;
  o.output = out;
  return BuildDatabase(o);
}

// One full build shared by the read-API tests.
class DbBuilt : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    FixedTime t;
    dir_ = new ct::TempDir("customs-db");
    result_ = new BuildResult(Build(Vulndata(), dir_->Join("customs.db")));
  }
  static void TearDownTestSuite() {
    delete result_;
    delete dir_;
  }
  static std::string Path() { return dir_->Join("customs.db"); }
  static ct::TempDir* dir_;
  static BuildResult* result_;
};
ct::TempDir* DbBuilt::dir_ = nullptr;
BuildResult* DbBuilt::result_ = nullptr;

TEST(DbDiscover, SharedVulndataLayout) {
  std::vector<std::string> ignored;
  auto s = DiscoverSources(Vulndata(), &ignored);
  std::vector<std::string> got;
  for (const auto& i : s) got.push_back(i.name + "=" + i.feed);
  EXPECT_EQ(got, (std::vector<std::string>{"alpine-secdb=alpine_secdb", "debian-tracker=debian_tracker",
                                           "kev=kev", "nvd=nvd", "osv-go=osv", "osv-pypi=osv", "rustsec=rustsec"}));
  // by content, under unrelated names
  ct::TempDir d;
  ct::WriteFile(d / "feeds/a/x.json", ct::ReadFile(Vulndata("kev/known_exploited_vulnerabilities.json")));
  ct::WriteFile(d / "feeds/b/GO-2024-2501.json", ct::ReadFile(Vulndata("osv-go/GO-2024-2501.json")));
  ct::WriteFile(d / "feeds/list", ct::ReadFile(Vulndata("debian-tracker/DSA.list")));
  ct::WriteFile(d / "feeds/notes.txt", "hello");
  ignored.clear();
  s = DiscoverSources(d / "feeds", &ignored);
  got.clear();
  for (const auto& i : s) got.push_back(i.name + "=" + i.feed);
  EXPECT_EQ(got, (std::vector<std::string>{"a=kev", "b=osv", "list=debian_tracker"}));
  EXPECT_EQ(ignored.size(), 1u);
}

TEST_F(DbBuilt, CountsPerSource) {
  std::map<std::string, SourceSummary> by;
  for (const auto& s : result_->sources) by[s.name] = s;
  ASSERT_EQ(by.size(), 7u);
  // ../shared/vulndata/nvd/nvd-sample.json: one NVD CVE API 2.0 page of 318 CVEs (totalResults 318).
  EXPECT_EQ(by["nvd"].records + by["nvd"].skipped, 318);
  EXPECT_EQ(by["osv-go"].records, 4291);
  EXPECT_EQ(by["osv-go"].skipped, 0);
  EXPECT_EQ(by["rustsec"].records, 1205);
  EXPECT_EQ(by["kev"].records, 1404);
  EXPECT_EQ(by["debian-tracker"].records + by["debian-tracker"].skipped, 5406 + 3534);
  EXPECT_EQ(by["osv-pypi"].records + by["osv-pypi"].skipped, 2661);
  EXPECT_GT(by["alpine-secdb"].records, 10000);
  EXPECT_EQ(by["kev"].snapshot, "2025-08-25T17:04:19.9796Z");

  auto db = VulnDB::Open(Path());
  DbInfo info = db->Info();
  EXPECT_EQ(info.schema_version, kSchemaVersion);
  EXPECT_EQ(info.built, "2023-11-14T22:13:20Z");
  ASSERT_EQ(info.sources.size(), 7u);
  for (const auto& s : info.sources) {
    EXPECT_EQ(s.records, by[s.name].records) << s.name;
    EXPECT_EQ(s.skipped, by[s.name].skipped) << s.name;
  }
  EXPECT_EQ(info.kev, 1404);
  EXPECT_EQ(info.advisories, result_->advisories);
}

TEST_F(DbBuilt, AffectingAlpineOpenssl) {
  auto db = VulnDB::Open(Path());
  auto rows = db->AffectingWithIds("alpine:v3.9", "openssl");
  std::map<std::string, std::string> fixed;
  for (const auto& [id, a] : rows) {
    EXPECT_EQ(a.source, "alpine-secdb");
    fixed[id] = a.fixed_version;
  }
  EXPECT_EQ(fixed["CVE-2019-1547"], "1.1.1d-r0");
  EXPECT_EQ(fixed["CVE-2018-0735"], "1.1.1a-r0");
  EXPECT_EQ(db->Affecting("Alpine:v3.9", "openssl").size(), rows.size());
  EXPECT_TRUE(db->Affecting("alpine:v3.9", "no-such-package").empty());
}

TEST_F(DbBuilt, AffectingDebianByNumberOrCodename) {
  auto db = VulnDB::Open(Path());
  auto a = db->AffectingWithIds("debian:11", "xorg-server");
  auto b = db->AffectingWithIds("debian:bullseye", "xorg-server");
  ASSERT_EQ(a.size(), b.size());
  bool found = false;
  for (const auto& [id, r] : b)
    if (id == "DSA-5380-1") {
      found = true;
      EXPECT_EQ(r.fixed_version, "2:1.20.11-1+deb11u6");
      EXPECT_EQ(r.status, "fixed");
    }
  EXPECT_TRUE(found);
  auto ids = db->ByAlias("CVE-2023-1393");
  EXPECT_NE(std::find(ids.begin(), ids.end(), "DSA-5380-1"), ids.end());
}

TEST_F(DbBuilt, AdvisoryDetailsRangesAndKev) {
  auto db = VulnDB::Open(Path());
  auto go = db->Advisory("GO-2024-2501");
  ASSERT_TRUE(go.has_value());
  ASSERT_EQ(go->affected.size(), 1u);
  EXPECT_EQ(go->affected[0].ranges.at(0).events.size(), 4u);
  EXPECT_EQ(go->affected[0].ranges[0].events[3].kind, "fixed");
  EXPECT_EQ(go->affected[0].ranges[0].events[3].version, "1.8.5");

  auto py = db->Advisory("PYSEC-2020-342");
  ASSERT_TRUE(py.has_value());
  EXPECT_EQ(py->aliases, std::vector<std::string>{"CVE-2020-13921"});
  ASSERT_EQ(py->cvss.size(), 1u);
  EXPECT_EQ(py->cvss[0].source, "osv-pypi");
  EXPECT_EQ(py->affected.at(0).versions.size(), 10u);
  EXPECT_EQ(db->Affecting("PyPI", "Apache_Skywalking").size(), db->Affecting("PyPI", "apache-skywalking").size());

  // KEV through an alias: some advisory aliasing a KEV CVE. CVE-2021-44228 (log4shell) is in KEV;
  // Go's and PyPI's databases do not carry it, so look up the KEV row directly as well.
  auto kev = db->Kev("CVE-2025-48384");
  ASSERT_TRUE(kev.has_value());
  EXPECT_EQ(kev->date_added, "2025-08-25");
  EXPECT_EQ(kev->ransomware_use, "Unknown");
  // An advisory whose alias is in KEV gets the flag.
  bool any = false;
  for (const char* id : {"GO-2022-0603", "GO-2021-0113"}) {
    auto adv = db->Advisory(id);
    if (adv && adv->kev) any = true;
  }
  (void)any;  // informational: which Go advisories are in KEV depends on the snapshot
  auto rs = db->Advisory("RUSTSEC-2026-0041");
  ASSERT_TRUE(rs.has_value());
  EXPECT_EQ(rs->affected.at(0).ranges.at(0).events.size(), 4u);
  EXPECT_FALSE(db->Advisory("NOPE-1").has_value());
}

TEST(DbBuild, TwoBuildsGiveIdenticalContent) {
  FixedTime t;
  ct::TempDir d;
  auto r1 = Build(Vulndata(), d / "one.db");
  auto r2 = Build(Vulndata(), d / "two.db");
  ASSERT_EQ(r1.sources.size(), r2.sources.size());
  for (size_t i = 0; i < r1.sources.size(); ++i) {
    EXPECT_EQ(r1.sources[i].records, r2.sources[i].records);
    EXPECT_EQ(r1.sources[i].skipped, r2.sources[i].skipped);
  }
  std::string a = CanonicalDump(d / "one.db"), b = CanonicalDump(d / "two.db");
  EXPECT_GT(a.size(), 1000000u);
  EXPECT_TRUE(a == b) << "canonical dumps differ";
  // and even the files are byte-identical
  EXPECT_EQ(ct::Sha256DigestOfFile(d / "one.db"), ct::Sha256DigestOfFile(d / "two.db"));
}

TEST(DbBuild, FailedBuildLeavesOldDatabase) {
  ct::TempDir d;
  const std::string out = d / "customs.db";
  ct::WriteFile(d / "in/kev/kev.json", ct::ReadFile(Vulndata("kev/known_exploited_vulnerabilities.json")));
  Build(d / "in", out);
  const std::string before = ct::Sha256DigestOfFile(out);
  ct::WriteFile(d / "empty/readme.txt", "nothing");
  EXPECT_THROW(Build(d / "empty", out), customs::Error);
  EXPECT_THROW(Build(d / "missing", out), customs::Error);
  EXPECT_EQ(ct::Sha256DigestOfFile(out), before);
  for (const auto& f : d.List()) EXPECT_EQ(f.find(".tmp-"), std::string::npos) << f;
}

TEST(DbBuild, SchemaMismatchIsAClearError) {
  ct::TempDir d;
  const std::string out = d / "customs.db";
  ct::WriteFile(d / "in/kev/kev.json", ct::ReadFile(Vulndata("kev/known_exploited_vulnerabilities.json")));
  Build(d / "in", out);
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(out.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "UPDATE meta SET value='999' WHERE key='schema_version'", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  try {
    VulnDB::Open(out);
    FAIL() << "expected an error";
  } catch (const customs::Error& e) {
    EXPECT_EQ(e.code(), customs::kExitIo);
    EXPECT_NE(std::string(e.what()).find("database schema 999, this customs needs " + std::to_string(kSchemaVersion)),
              std::string::npos)
        << e.what();
  }
  ct::WriteFile(d / "junk.db", "not sqlite at all, just text................................................");
  EXPECT_THROW(VulnDB::Open(d / "junk.db"), customs::Error);
  EXPECT_THROW(VulnDB::Open(d / "absent.db"), customs::Error);
}

TEST(DbBuild, DefaultPathHonoursXdgCacheHome) {
  const char* saved_env = getenv("XDG_CACHE_HOME");
  const std::string saved = saved_env ? saved_env : "";
  setenv("XDG_CACHE_HOME", "/x/cache", 1);
  EXPECT_EQ(DefaultDatabasePath(), "/x/cache/customs/db/customs.db");
  unsetenv("XDG_CACHE_HOME");
  std::string home = getenv("HOME") ? getenv("HOME") : "";
  if (!home.empty()) {
    EXPECT_EQ(DefaultDatabasePath(), home + "/.cache/customs/db/customs.db");
  }
  if (saved_env) setenv("XDG_CACHE_HOME", saved.c_str(), 1);
}

}  // namespace
