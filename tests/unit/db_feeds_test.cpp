// Each feed parser on the real shared data (tests/../shared/vulndata): counts, known records field by
// field, and malformed input -> a diagnostic and a skip, never a crash.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "db/schema.h"
#include "db_test_util.h"

using namespace customs::db;
using db_test::FeedOf;
using db_test::Vulndata;
using db_test::VectorSink;

namespace {

std::vector<RangeEvent> Ev(std::initializer_list<std::pair<const char*, const char*>> l) {
  std::vector<RangeEvent> v;
  for (auto& [k, ver] : l) v.push_back({k, ver});
  return v;
}

// ---------------------------------------------------------------------------------------------
// Alpine secdb

TEST(DbAlpineSecdb, V39MainOpensslSecfixes) {
  VectorSink s;
  FeedOf("alpine_secdb").ParsePath(Vulndata("alpine-secdb/v3.9/main.yaml"), s);
  EXPECT_TRUE(s.skipped.empty()) << s.skipped.front();
  std::map<std::string, std::string> openssl;  // CVE -> fixed version
  for (const auto& a : s.advisories) {
    ASSERT_EQ(a.affected.size(), 1u);
    const auto& af = a.affected[0];
    EXPECT_EQ(af.ecosystem, "alpine:v3.9");
    if (af.package == "openssl") openssl[a.id] = af.fixed_version;
  }
  std::map<std::string, std::string> want = {{"CVE-2019-1547", "1.1.1d-r0"}, {"CVE-2019-1549", "1.1.1d-r0"},
                                             {"CVE-2019-1563", "1.1.1d-r0"}, {"CVE-2019-1543", "1.1.1b-r1"},
                                             {"CVE-2018-0734", "1.1.1a-r0"}, {"CVE-2018-0735", "1.1.1a-r0"}};
  EXPECT_EQ(openssl, want);
  const auto* r = s.Find("CVE-2019-1547");
  ASSERT_NE(r, nullptr);
}

TEST(DbAlpineSecdb, AllBranchesParseWithAliasesAndSpacedIds) {
  VectorSink s;
  FeedOf("alpine_secdb").ParsePath(Vulndata("alpine-secdb"), s);
  EXPECT_GT(s.advisories.size(), 10000u);
  EXPECT_TRUE(s.skipped.empty()) << s.skipped.front();
  bool xsa = false, spaced = false;
  std::set<std::string> branches;
  for (const auto& a : s.advisories) {
    branches.insert(a.affected[0].ecosystem);
    if (a.id == "CVE-2017-8904" && a.aliases == std::vector<std::string>{"XSA-214"}) xsa = true;
    if (a.id == "CVE-2018-16859" && a.affected[0].package == "ansible") spaced = true;  // "CVE 2018-16859"
    EXPECT_EQ(a.id.find(' '), std::string::npos);
  }
  EXPECT_TRUE(xsa);
  EXPECT_TRUE(spaced);
  EXPECT_EQ(branches.size(), 9u);  // v3.3 ... v3.11
  EXPECT_TRUE(branches.count("alpine:v3.11"));
}

TEST(DbAlpineSecdb, JsonFormAndZeroMeansNotAffected) {
  VectorSink s;
  FeedOf("alpine_secdb").ParseBytes(R"({"distroversion":"v3.18","reponame":"main","packages":[
    {"pkg":{"name":"curl","secfixes":{"8.1.0-r0":["CVE-2023-28319"],"0":["CVE-2021-22897"]}}}]})",
                                    "v3.18-main.json", s);
  ASSERT_EQ(s.advisories.size(), 2u);
  const auto* fixed = s.Find("CVE-2023-28319");
  ASSERT_NE(fixed, nullptr);
  EXPECT_EQ(fixed->affected[0].ecosystem, "alpine:v3.18");
  EXPECT_EQ(fixed->affected[0].status, "fixed");
  EXPECT_EQ(fixed->affected[0].fixed_version, "8.1.0-r0");
  const auto* na = s.Find("CVE-2021-22897");
  ASSERT_NE(na, nullptr);
  EXPECT_EQ(na->affected[0].status, "not-affected");
  EXPECT_EQ(na->affected[0].fixed_version, "");
}

TEST(DbAlpineSecdb, MalformedYamlAndRecordsAreSkipped) {
  VectorSink s;
  FeedOf("alpine_secdb").ParseBytes("distroversion: v3.9\npackages: [ {pkg: {name: x\n", "broken.yaml", s);
  EXPECT_EQ(s.advisories.size(), 0u);
  ASSERT_EQ(s.skipped.size(), 1u);
  EXPECT_NE(s.skipped[0].find("broken.yaml"), std::string::npos);
  VectorSink s2;
  FeedOf("alpine_secdb").ParseBytes(
      "distroversion: v3.9\npackages:\n  - pkg: {secfixes: {1-r0: [CVE-1]}}\n  - pkg: {name: a, secfixes: {1-r0: "
      "[CVE-2020-1, 'not an id']}}\n  - pkg: {name: b, secfixes: [1]}\n",
      "partial.yaml", s2);
  ASSERT_EQ(s2.advisories.size(), 1u);
  EXPECT_EQ(s2.advisories[0].id, "CVE-2020-1");
  EXPECT_EQ(s2.skipped.size(), 3u);
}

// ---------------------------------------------------------------------------------------------
// Debian tracker

TEST(DbDebianTracker, DsaListCountsAndBullseyeFix) {
  VectorSink s;
  FeedOf("debian_tracker").ParsePath(Vulndata("debian-tracker/DSA.list"), s);
  EXPECT_EQ(s.advisories.size() + s.skipped.size(), 5406u);
  EXPECT_LE(s.skipped.size(), 5u);
  const auto* r = s.Find("DSA-5380-1");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->published, "2023-03-29");
  EXPECT_EQ(r->summary, "xorg-server: security update");
  EXPECT_EQ(r->aliases, std::vector<std::string>{"CVE-2023-1393"});
  ASSERT_EQ(r->affected.size(), 1u);
  EXPECT_EQ(r->affected[0].ecosystem, "debian:bullseye");
  EXPECT_EQ(r->affected[0].package, "xorg-server");
  EXPECT_EQ(r->affected[0].status, "fixed");
  EXPECT_EQ(r->affected[0].fixed_version, "2:1.20.11-1+deb11u6");

  const auto* oo = s.Find("DSA-2275-1");
  ASSERT_NE(oo, nullptr);
  ASSERT_EQ(oo->affected.size(), 2u);
  EXPECT_EQ(oo->affected[0].ecosystem, "debian:squeeze");
  EXPECT_EQ(oo->affected[0].fixed_version, "1:3.2.1-11+squeeze3");
  EXPECT_EQ(oo->affected[1].ecosystem, "debian:lenny");
  EXPECT_EQ(oo->affected[1].status, "not-affected");
  EXPECT_EQ(oo->affected[1].status_note, "not-affected");
}

TEST(DbDebianTracker, DlaList) {
  VectorSink s;
  FeedOf("debian_tracker").ParsePath(Vulndata("debian-tracker/DLA.list"), s);
  EXPECT_EQ(s.advisories.size() + s.skipped.size(), 3534u);
  const auto* r = s.Find("DLA-3377-1");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->affected.at(0).ecosystem, "debian:buster");
  EXPECT_EQ(r->affected.at(0).fixed_version, "241-7~deb10u9");
}

TEST(DbDebianTracker, TagsAndMalformedEntries) {
  VectorSink s;
  FeedOf("debian_tracker").ParseBytes(
      "[01 Apr 2023] DSA-9999-1 foo - security update\n"
      "\t{CVE-2023-0001 CVE-2023-0002}\n"
      "\t[bookworm] - foo <unfixed>\n"
      "\t[bullseye] - foo <no-dsa> (Minor issue)\n"
      "\tNOTE: whatever\n"
      "[xx Foo 2023] DSA-9998-1 bar - broken date\n"
      "\t[bullseye] - bar 1.0\n"
      "[02 Apr 2023] DSA-9997-1 baz - security update\n"
      "\t[bullseye] - baz\n"
      "[03 Apr 2023] DLA-1-1 qux - security update\n"
      "\t[buster] - qux 1.2-3\n",
      "test.list", s);
  ASSERT_EQ(s.advisories.size(), 2u);
  EXPECT_EQ(s.skipped.size(), 2u);
  const auto* r = s.Find("DSA-9999-1");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->aliases.size(), 2u);
  EXPECT_EQ(r->affected.at(0).status, "unfixed");
  EXPECT_EQ(r->affected.at(1).status, "unfixed");
  EXPECT_EQ(r->affected.at(1).status_note, "no-dsa");
  EXPECT_NE(s.Find("DLA-1-1"), nullptr);
}

TEST(DbDebianTracker, JsonExport) {
  VectorSink s;
  FeedOf("debian_tracker").ParseBytes(R"({"openssl": {"CVE-2023-0286": {"description": "X.400 type confusion",
      "releases": {"bullseye": {"status": "resolved", "fixed_version": "1.1.1n-0+deb11u4", "urgency": "high"},
                   "bookworm": {"status": "resolved", "fixed_version": "0", "urgency": "not yet assigned"},
                   "sid": {"status": "open", "urgency": "unimportant"}}}},
      "bad": [1,2]})",
                                      "tracker.json", s);
  ASSERT_EQ(s.advisories.size(), 1u);
  EXPECT_EQ(s.skipped.size(), 1u);
  const auto& r = s.advisories[0];
  EXPECT_EQ(r.id, "CVE-2023-0286");
  EXPECT_EQ(r.details, "X.400 type confusion");
  ASSERT_EQ(r.affected.size(), 3u);
  std::map<std::string, Affected> by;
  for (const auto& a : r.affected) by[a.ecosystem] = a;
  EXPECT_EQ(by["debian:bullseye"].fixed_version, "1.1.1n-0+deb11u4");
  EXPECT_EQ(by["debian:bullseye"].severity, "high");
  EXPECT_EQ(by["debian:bookworm"].status, "not-affected");
  EXPECT_EQ(by["debian:sid"].status, "unfixed");
}

// ---------------------------------------------------------------------------------------------
// OSV

TEST(DbOsv, GoDatabase) {
  VectorSink s;
  FeedOf("osv").ParsePath(Vulndata("osv-go"), s);
  EXPECT_EQ(s.advisories.size() + s.skipped.size(), 4291u);
  EXPECT_TRUE(s.skipped.empty()) << s.skipped.front();
  const auto* r = s.Find("GO-2024-2501");
  ASSERT_NE(r, nullptr);
  ASSERT_EQ(r->affected.size(), 1u);
  const auto& a = r->affected[0];
  EXPECT_EQ(a.ecosystem, "Go");
  EXPECT_EQ(a.package, "github.com/hashicorp/consul");
  ASSERT_EQ(a.ranges.size(), 1u);
  EXPECT_EQ(a.ranges[0].type, "SEMVER");
  EXPECT_EQ(a.ranges[0].events, Ev({{"introduced", "1.7.0"}, {"fixed", "1.7.9"}, {"introduced", "1.8.0"}, {"fixed", "1.8.5"}}));
  EXPECT_EQ(a.status, "fixed");
  EXPECT_EQ(a.fixed_version, "");  // language ecosystems: the ranges say it

  const auto* u = s.Find("GO-2024-2428");
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->published, "");  // the zero time is dropped
  EXPECT_EQ(u->aliases, (std::vector<std::string>{"CVE-2023-5044", "GHSA-fp9f-44c2-cw27"}));
  EXPECT_EQ(u->affected.at(0).status, "unfixed");
  EXPECT_EQ(u->references.size(), 6u);
}

TEST(DbOsv, PypiYaml) {
  VectorSink s;
  FeedOf("osv").ParsePath(Vulndata("osv-pypi"), s);
  EXPECT_EQ(s.advisories.size() + s.skipped.size(), 2661u);
  EXPECT_LE(s.skipped.size(), 5u);
  const auto* r = s.Find("PYSEC-2020-342");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->aliases, std::vector<std::string>{"CVE-2020-13921"});
  EXPECT_EQ(r->published, "2020-08-05T14:15:00Z");
  ASSERT_EQ(r->cvss.size(), 1u);
  EXPECT_EQ(r->cvss[0].type, "CVSS_V3");
  EXPECT_EQ(r->cvss[0].vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
  const auto& a = r->affected.at(0);
  EXPECT_EQ(a.ecosystem, "PyPI");
  EXPECT_EQ(a.package, "apache-skywalking");
  EXPECT_EQ(a.versions.size(), 10u);
  EXPECT_EQ(a.ranges.at(0).events, Ev({{"introduced", "0"}}));
  EXPECT_NE(r->details.find("SQL injection"), std::string::npos);
}

TEST(DbOsv, DistroEcosystemsMapOntoDistroKeys) {
  VectorSink s;
  FeedOf("osv").ParseBytes(R"({"id":"DEBIAN-CVE-2023-1","modified":"2024-01-01T00:00:00Z",
     "affected":[{"package":{"ecosystem":"Debian:11","name":"openssl"},
                  "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.1.1n-0+deb11u4"}]}]},
                 {"package":{"ecosystem":"Alpine:v3.18","name":"openssl"},
                  "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"3.1.0-r1"}]}]},
                 {"package":{"ecosystem":"Ubuntu:22.04:LTS","name":"openssl"},
                  "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]},
                 {"package":{"ecosystem":"PyPI","name":"Django_Rest.Framework"},"versions":["1.0"]}]})",
                           "x.json", s);
  ASSERT_EQ(s.advisories.size(), 1u) << (s.skipped.empty() ? "" : s.skipped[0]);
  const auto& af = s.advisories[0].affected;
  EXPECT_EQ(af[0].ecosystem, "debian:bullseye");
  EXPECT_EQ(af[0].fixed_version, "1.1.1n-0+deb11u4");
  EXPECT_EQ(af[1].ecosystem, "alpine:v3.18");
  EXPECT_EQ(af[2].ecosystem, "ubuntu:22.04");
  EXPECT_EQ(af[2].status, "unfixed");
  EXPECT_EQ(af[3].package, "django-rest-framework");
}

TEST(DbOsv, MalformedRecordsAreSkipped) {
  VectorSink s;
  auto& f = FeedOf("osv");
  f.ParseBytes("{\"id\": \"X-1\", ", "trunc.json", s);
  f.ParseBytes("id: [unclosed", "bad.yaml", s);
  f.ParseBytes(R"({"modified":"x"})", "noid.json", s);
  f.ParseBytes(R"({"id":"X-2","affected":[{"package":{"ecosystem":"Go","name":"a"},"ranges":[{"type":"SEMVER","events":[{"bogus":"1"}]}]}]})",
               "event.json", s);
  f.ParseBytes(R"([{"id":"X-3"},{"id":4.5,"affected":"no"}])", "list.json", s);
  EXPECT_EQ(s.advisories.size(), 1u);
  EXPECT_EQ(s.skipped.size(), 5u);
  std::string all;
  for (const auto& d : s.skipped) all += d + "\n";
  for (const char* name : {"trunc.json", "bad.yaml", "noid.json", "event.json", "list.json[1]"})
    EXPECT_NE(all.find(name), std::string::npos) << name << " not in:\n" << all;
}

// ---------------------------------------------------------------------------------------------
// RustSec

TEST(DbRustsec, PatchedVersionsBecomeOsvRanges) {
  VectorSink s;
  FeedOf("rustsec").ParsePath(Vulndata("rustsec"), s);
  EXPECT_EQ(s.advisories.size() + s.skipped.size(), 1205u);
  EXPECT_TRUE(s.skipped.empty()) << s.skipped.front();
  const auto* r = s.Find("RUSTSEC-2026-0041");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->summary,
            "Decompressing invalid data can leak information from uninitialized memory or reused output buffer");
  EXPECT_EQ(r->aliases, (std::vector<std::string>{"CVE-2026-32829", "GHSA-vvp9-7p8x-rfvv"}));
  ASSERT_EQ(r->cvss.size(), 1u);
  EXPECT_EQ(r->cvss[0].type, "CVSS_V4");
  const auto& a = r->affected.at(0);
  EXPECT_EQ(a.ecosystem, "crates.io");
  EXPECT_EQ(a.package, "lz4_flex");
  ASSERT_EQ(a.ranges.size(), 1u);
  EXPECT_EQ(a.ranges[0].type, "SEMVER");
  EXPECT_EQ(a.ranges[0].events,
            Ev({{"introduced", "0"}, {"fixed", "0.11.6"}, {"introduced", "0.12.0"}, {"fixed", "0.12.1"}}));
  EXPECT_EQ(a.status, "fixed");

  const auto* info = s.Find("RUSTSEC-2022-0057");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->affected.at(0).status, "unfixed");
  EXPECT_EQ(info->affected.at(0).status_note, "informational:unmaintained");
  EXPECT_EQ(info->affected.at(0).ranges.at(0).events, Ev({{"introduced", "0"}}));
}

TEST(DbRustsec, RequirementForms) {
  VectorSink s;
  FeedOf("rustsec").ParseBytes(R"(```toml
[advisory]
id = "RUSTSEC-0000-0001"
package = "demo"
date = 2021-01-02

[versions]
patched = ["^1.2.3", ">= 2.0.0"]
unaffected = ["< 0.5", "=0.7.1"]
```
# Title here

Body.
)",
                               "RUSTSEC-0000-0001.md", s);
  ASSERT_EQ(s.advisories.size(), 1u) << (s.skipped.empty() ? "" : s.skipped[0]);
  const auto& r = s.advisories[0];
  EXPECT_EQ(r.published, "2021-01-02");
  EXPECT_EQ(r.summary, "Title here");
  EXPECT_EQ(r.details, "Body.");
  EXPECT_EQ(r.affected.at(0).ranges.at(0).events,
            Ev({{"introduced", "0.5.0"}, {"fixed", "0.7.1"}, {"introduced", "0.7.2"}, {"fixed", "1.2.3"}}));
}

TEST(DbRustsec, MalformedTomlIsSkipped) {
  VectorSink s;
  auto& f = FeedOf("rustsec");
  f.ParseBytes("```toml\n[advisory\nid = 1\n```\n# x\n", "RUSTSEC-bad.md", s);
  f.ParseBytes("# no front matter\n", "RUSTSEC-none.md", s);
  f.ParseBytes("```toml\n[advisory]\nid = \"RUSTSEC-1\"\npackage = \"p\"\n[versions]\npatched = [\">= what\"]\n```\n",
               "RUSTSEC-req.md", s);
  f.ParseBytes("```toml\n[advisory]\nid = \"RUSTSEC-1\"\n", "RUSTSEC-unterminated.md", s);
  EXPECT_EQ(s.advisories.size(), 0u);
  EXPECT_EQ(s.skipped.size(), 4u);
}

// ---------------------------------------------------------------------------------------------
// KEV, NVD

TEST(DbKev, Catalog) {
  VectorSink s;
  FeedOf("kev").ParsePath(Vulndata("kev"), s);
  EXPECT_EQ(s.kev.size(), 1404u);
  EXPECT_TRUE(s.skipped.empty());
  EXPECT_EQ(s.snapshot, "2025-08-25T17:04:19.9796Z");
  auto it = std::find_if(s.kev.begin(), s.kev.end(), [](const KevRecord& k) { return k.cve == "CVE-2025-48384"; });
  ASSERT_NE(it, s.kev.end());
  EXPECT_EQ(it->date_added, "2025-08-25");
  EXPECT_EQ(it->due_date, "2025-09-15");
  EXPECT_EQ(it->ransomware_use, "Unknown");
  EXPECT_EQ(it->vendor, "Git");
  EXPECT_EQ(it->cwes, (std::vector<std::string>{"CWE-59", "CWE-436"}));
  size_t known = std::count_if(s.kev.begin(), s.kev.end(), [](const KevRecord& k) { return k.ransomware_use == "Known"; });
  EXPECT_GT(known, 100u);
}

TEST(DbNvd, CvssEnrichment) {
  VectorSink s;
  FeedOf("nvd").ParseBytes(R"({"resultsPerPage":2,"startIndex":0,"totalResults":2,"format":"NVD_CVE","version":"2.0",
    "timestamp":"2024-05-01T00:00:00.000","vulnerabilities":[
    {"cve":{"id":"CVE-2021-44228","published":"2021-12-10T10:15:09.143","lastModified":"2024-04-03T17:15:00.000",
      "metrics":{"cvssMetricV31":[{"source":"nvd@nist.gov","type":"Primary","cvssData":{"version":"3.1",
        "vectorString":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H","baseScore":10.0}}],
        "cvssMetricV2":[{"source":"nvd@nist.gov","type":"Primary","cvssData":{"version":"2.0","vectorString":"AV:N/AC:M/Au:N/C:C/I:C/A:C"}}]},
      "weaknesses":[{"source":"nvd@nist.gov","type":"Primary","description":[{"lang":"en","value":"CWE-917"},{"lang":"en","value":"NVD-CWE-Other"}]}]}},
    {"nocve":{}}]})",
                           "nvd.json", s);
  ASSERT_EQ(s.nvd.size(), 1u);
  EXPECT_EQ(s.skipped.size(), 1u);
  EXPECT_EQ(s.snapshot, "2024-05-01T00:00:00.000");
  const auto& r = s.nvd[0];
  EXPECT_EQ(r.cve, "CVE-2021-44228");
  ASSERT_EQ(r.cvss.size(), 2u);
  EXPECT_EQ(r.cvss[0].type, "CVSS_V3");
  EXPECT_EQ(r.cvss[0].vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H");
  EXPECT_EQ(r.cvss[1].type, "CVSS_V2");
  EXPECT_EQ(r.cwes, std::vector<std::string>{"CWE-917"});
}

TEST(DbSchema, EcosystemKeys) {
  EXPECT_EQ(NormalizeEcosystem("Debian:11"), "debian:bullseye");
  EXPECT_EQ(NormalizeEcosystem("debian:bullseye"), "debian:bullseye");
  EXPECT_EQ(NormalizeEcosystem("Debian:12"), "debian:bookworm");
  EXPECT_EQ(NormalizeEcosystem("Alpine:v3.18"), "alpine:v3.18");
  EXPECT_EQ(NormalizeEcosystem("alpine:3.9"), "alpine:v3.9");
  EXPECT_EQ(NormalizeEcosystem("Ubuntu:22.04:LTS"), "ubuntu:22.04");
  EXPECT_EQ(NormalizeEcosystem("ubuntu:22.04"), "ubuntu:22.04");
  EXPECT_EQ(NormalizeEcosystem("pypi"), "PyPI");
  EXPECT_EQ(NormalizeEcosystem("crates.io"), "crates.io");
  EXPECT_EQ(NormalizePackage("PyPI", "Zope.Interface"), "zope-interface");
  EXPECT_EQ(NormalizePackage("Go", "github.com/A/b"), "github.com/A/b");
}

}  // namespace
