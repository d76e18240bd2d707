// Vulnerability intelligence feeds: FIRST EPSS CSV, NVD JSON 2.0 data feeds (gzip, META files,
// duplicates across the yearly and modified feeds, bad vectors), and what the builder keeps of them.
// Formats:
//   EPSS   https://www.first.org/epss/data_stats (epss_scores-YYYY-MM-DD.csv.gz: one
//          "#model_version:...,score_date:..." line, the header cve,epss,percentile, the rows)
//   NVD    https://nvd.nist.gov/vuln/data-feeds (JSON 2.0 feeds: the CVE API 2.0 response shape;
//          the .meta beside each: lastModifiedDate, size, zipSize, gzSize, sha256 of the JSON)
#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <map>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "db/builder.h"
#include "db/update.h"
#include "db/vulndb.h"
#include "db_test_util.h"

using namespace customs::db;
using db_test::FeedOf;
using db_test::VectorSink;
namespace ct = customs_test;

namespace {

// The layout of FIRST's daily file (the rows are in its format; the values are this test's).
const char* kEpssCsv =
    "#model_version:v2025.03.14,score_date:2025-06-01T12:55:00Z\n"
    "cve,epss,percentile\n"
    "CVE-1999-0001,0.01130,0.77763\n"
    "CVE-2019-14697,0.04277,0.88519\n"
    "CVE-2021-44228,0.94358,0.99957\n";

TEST(DbEpss, ParsesScoresAndTheScoreDate) {
  VectorSink s;
  FeedOf("epss").ParseBytes(kEpssCsv, "epss_scores-2025-06-01.csv", s);
  EXPECT_TRUE(s.skipped.empty()) << s.skipped[0];
  EXPECT_EQ(s.snapshot, "2025-06-01T12:55:00Z");
  ASSERT_EQ(s.epss.size(), 3u);
  EXPECT_EQ(s.epss[1].cve, "CVE-2019-14697");
  EXPECT_DOUBLE_EQ(s.epss[1].epss, 0.04277);
  EXPECT_DOUBLE_EQ(s.epss[1].percentile, 0.88519);
  EXPECT_DOUBLE_EQ(s.epss[2].epss, 0.94358);
}

TEST(DbEpss, GzipAndCrlfGiveTheSameRecords) {
  std::string crlf;
  for (char c : std::string(kEpssCsv)) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  VectorSink plain, gz;
  FeedOf("epss").ParseBytes(kEpssCsv, "a.csv", plain);
  FeedOf("epss").ParseBytes(ct::Compress(crlf, ct::Compression::kGzip), "a.csv.gz", gz);
  EXPECT_TRUE(gz.skipped.empty());
  ASSERT_EQ(gz.epss.size(), plain.epss.size());
  for (size_t i = 0; i < gz.epss.size(); ++i) {
    EXPECT_EQ(gz.epss[i].cve, plain.epss[i].cve);
    EXPECT_EQ(gz.epss[i].epss, plain.epss[i].epss);
  }
  EXPECT_EQ(gz.snapshot, plain.snapshot);
}

TEST(DbEpss, BrokenRowsAreSkippedWithFileAndLine) {
  VectorSink s;
  FeedOf("epss").ParseBytes(
      "#model_version:v2025.03.14,score_date:2025-06-01T00:00:00Z\n"
      "cve,epss,percentile\n"
      "CVE-2021-44228,0.94358,0.99957\n"  // line 3: good
      "CVE-21-1,0.1,0.2\n"                // 4: bad id
      "CVE-2020-0001,abc,0.2\n"           // 5: not a number
      "CVE-2020-0002,1.5,0.2\n"           // 6: out of [0,1]
      "CVE-2020-0003,0.1\n"               // 7: two columns
      "CVE-2020-0004,0.1,0.2,9\n"         // 8: four columns
      "CVE-2020-0005,-0.1,0.2\n"          // 9: negative
      "CVE-2020-0006,0.1,nan\n"           // 10: NaN percentile
      "\n"
      "CVE-2020-0007,0.00001,0.0\n",      // 12: good
      "e.csv", s);
  ASSERT_EQ(s.epss.size(), 2u);
  EXPECT_EQ(s.epss[1].cve, "CVE-2020-0007");
  ASSERT_EQ(s.skipped.size(), 7u);
  for (int line = 4; line <= 10; ++line)
    EXPECT_EQ(s.skipped[size_t(line - 4)].rfind("e.csv:" + std::to_string(line) + ": ", 0), 0u) << s.skipped[size_t(line - 4)];
  EXPECT_NE(s.skipped[0].find("not a CVE id"), std::string::npos);
  EXPECT_NE(s.skipped[2].find("not a number in [0, 1]"), std::string::npos);
  EXPECT_NE(s.skipped[3].find("2 columns, the header has 3"), std::string::npos);
}

TEST(DbEpss, NotAnEpssFileIsOneSkip) {
  VectorSink s;
  FeedOf("epss").ParseBytes("<html>rate limited</html>\n", "x.csv", s);
  EXPECT_TRUE(s.epss.empty());
  ASSERT_EQ(s.skipped.size(), 1u);
  EXPECT_NE(s.skipped[0].find("not an EPSS scores CSV"), std::string::npos) << s.skipped[0];
  VectorSink t;
  std::string gz = ct::Compress(kEpssCsv, ct::Compression::kGzip);
  FeedOf("epss").ParseBytes(gz.substr(0, gz.size() / 2), "t.csv.gz", t);
  EXPECT_TRUE(t.epss.empty());
  ASSERT_EQ(t.skipped.size(), 1u);
  EXPECT_NE(t.skipped[0].find("truncated gzip"), std::string::npos) << t.skipped[0];
}

std::string NvdPage(const std::string& vulns, const std::string& ts = "2025-06-01T00:00:00.000") {
  return R"({"resultsPerPage":1,"startIndex":0,"totalResults":1,"format":"NVD_CVE","version":"2.0","timestamp":")" + ts +
         R"(","vulnerabilities":[)" + vulns + "]}";
}

std::string NvdCve(const std::string& id, const std::string& modified, const std::string& vector,
                   const std::string& desc = "d") {
  return R"({"cve":{"id":")" + id + R"(","published":"2019-08-10T19:15:00.000","lastModified":")" + modified +
         R"(","descriptions":[{"lang":"en","value":")" + desc +
         R"("}],"metrics":{"cvssMetricV31":[{"source":"nvd@nist.gov","type":"Primary","cvssData":{"version":"3.1","vectorString":")" +
         vector + R"("}}]}}})";
}

const std::string kCritical = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
const std::string kMedium = "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N";

TEST(DbNvdFeeds, GzipFeedTruncatedFeedAndWrongSchema) {
  const std::string page = NvdPage(NvdCve("CVE-2019-14697", "2020-01-01T00:00:00.000", kCritical));
  VectorSink gz;
  FeedOf("nvd").ParseBytes(ct::Compress(page, ct::Compression::kGzip), "nvdcve-2.0-2019.json.gz", gz);
  ASSERT_EQ(gz.nvd.size(), 1u);
  EXPECT_TRUE(gz.skipped.empty());
  EXPECT_EQ(gz.nvd[0].cvss.at(0).vector, kCritical);

  VectorSink cut;
  std::string bytes = ct::Compress(page, ct::Compression::kGzip);
  FeedOf("nvd").ParseBytes(bytes.substr(0, bytes.size() - 9), "nvdcve-2.0-2019.json.gz", cut);
  EXPECT_TRUE(cut.nvd.empty());
  ASSERT_EQ(cut.skipped.size(), 1u);
  EXPECT_EQ(cut.skipped[0], "nvdcve-2.0-2019.json.gz: truncated gzip data");

  VectorSink legacy;  // the retired 1.1 feed: CVE_Items, not vulnerabilities
  FeedOf("nvd").ParseBytes(R"({"CVE_data_type":"CVE","CVE_data_format":"MITRE","CVE_Items":[]})", "nvdcve-1.1-2019.json", legacy);
  ASSERT_EQ(legacy.skipped.size(), 1u);
  EXPECT_NE(legacy.skipped[0].find("not an NVD CVE API 2.0 response"), std::string::npos) << legacy.skipped[0];
  VectorSink other;
  FeedOf("nvd").ParseBytes(R"({"format":"NVD_CPE","vulnerabilities":[]})", "x.json", other);
  ASSERT_EQ(other.skipped.size(), 1u);
  EXPECT_NE(other.skipped[0].find("NVD_CPE"), std::string::npos);
}

TEST(DbNvdFeeds, InvalidVectorIsDroppedAndReportedWithTheRecord) {
  VectorSink s;
  FeedOf("nvd").ParseBytes(NvdPage(NvdCve("CVE-2020-0001", "2020-01-01T00:00:00.000", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H") +
                                   "," + NvdCve("CVE-2020-0002", "2020-01-01T00:00:00.000", kMedium)),
                           "p.json", s);
  ASSERT_EQ(s.nvd.size(), 2u);
  EXPECT_TRUE(s.nvd[0].cvss.empty());
  EXPECT_EQ(s.nvd[1].cvss.size(), 1u);
  ASSERT_EQ(s.skipped.size(), 1u);
  EXPECT_EQ(s.skipped[0].rfind("p.json: vulnerabilities[0] (CVE-2020-0001): cvssMetricV31[0]: invalid CVSS vector", 0), 0u)
      << s.skipped[0];
}

TEST(DbNvdFeeds, BuilderKeepsTheNewestRecordOfACveAcrossFiles) {
  ct::TempDir d;
  // The yearly feed has the old record; the modified feed a newer one with another vector.
  ct::WriteFile(d / "in/nvd/nvdcve-2.0-2019.json.gz",
                ct::Compress(NvdPage(NvdCve("CVE-2019-14697", "2020-01-01T00:00:00.000", kMedium, "old") + "," +
                                     NvdCve("CVE-2019-0002", "2021-01-01T00:00:00.000", kMedium, "only")),
                             ct::Compression::kGzip));
  ct::WriteFile(d / "in/nvd/nvdcve-2.0-modified.json.gz",
                ct::Compress(NvdPage(NvdCve("CVE-2019-14697", "2024-03-05T10:00:00.000", kCritical, "new")),
                             ct::Compression::kGzip));
  // And a file read after both with an older copy again: it must not win.
  ct::WriteFile(d / "in/nvd/zz-old-page.json", NvdPage(NvdCve("CVE-2019-14697", "2019-09-01T00:00:00.000", kMedium, "older")));
  BuildOptions o;
  o.from = d / "in";
  o.output = d / "db";
  auto res = BuildDatabase(o);
  ASSERT_EQ(res.sources.size(), 1u);
  EXPECT_EQ(res.sources[0].records, 4);
  EXPECT_EQ(res.sources[0].skipped, 0);
  auto vdb = VulnDB::Open(d / "db");
  auto adv = vdb->Advisory("CVE-2019-14697", false);
  ASSERT_TRUE(adv);
  EXPECT_EQ(adv->nvd_description, "new");
  EXPECT_EQ(adv->nvd_modified, "2024-03-05T10:00:00.000");
  ASSERT_EQ(adv->cvss.size(), 1u) << "one record's vectors, not the union";
  EXPECT_EQ(adv->cvss[0].vector, kCritical);
  EXPECT_EQ(vdb->Info().nvd, 2);
}

TEST(DbEpssBuild, DiscoveredByDirectoryNameAndScoreDateIsTheSnapshot) {
  ct::TempDir d;
  ct::WriteFile(d / "in/epss/epss_scores-2025-06-01.csv.gz", ct::Compress(kEpssCsv, ct::Compression::kGzip));
  BuildOptions o;
  o.from = d / "in";
  o.output = d / "db";
  auto res = BuildDatabase(o);
  ASSERT_EQ(res.sources.size(), 1u);
  EXPECT_EQ(res.sources[0].name, "epss");
  EXPECT_EQ(res.sources[0].feed, "epss");
  EXPECT_EQ(res.sources[0].records, 3);
  EXPECT_EQ(res.sources[0].snapshot, "2025-06-01T12:55:00Z");
  auto vdb = VulnDB::Open(d / "db");
  auto e = vdb->Epss("CVE-2021-44228");
  ASSERT_TRUE(e);
  EXPECT_DOUBLE_EQ(e->score, 0.94358);
  EXPECT_DOUBLE_EQ(e->percentile, 0.99957);
  EXPECT_FALSE(vdb->Epss("CVE-2000-0001"));
}

TEST(DbNvdMeta, ParsesTheMetaFileAndVerifiesTheBody) {
  const std::string json = NvdPage(NvdCve("CVE-2019-14697", "2020-01-01T00:00:00.000", kCritical));
  const std::string gz = ct::Compress(json, ct::Compression::kGzip);
  ct::TempDir d;
  ct::WriteFile(d / "f.json.gz", gz);
  std::string sha = ct::Sha256Hex(json);
  std::string upper = sha;
  for (auto& c : upper) c = char(std::toupper(static_cast<unsigned char>(c)));
  // The layout NVD serves: CRLF lines, uppercase hex.
  const std::string text = "lastModifiedDate:2025-06-01T03:00:01-04:00\r\nsize:" + std::to_string(json.size()) +
                           "\r\nzipSize:123\r\ngzSize:" + std::to_string(gz.size()) + "\r\nsha256:" + upper + "\r\n";
  NvdMeta m;
  std::string err;
  ASSERT_TRUE(ParseNvdMeta(text, m, err)) << err;
  EXPECT_EQ(m.last_modified, "2025-06-01T03:00:01-04:00");
  EXPECT_EQ(m.size, json.size());
  EXPECT_EQ(m.gz_size, gz.size());
  EXPECT_EQ(m.sha256, sha);
  EXPECT_TRUE(VerifyAgainstMeta(d / "f.json.gz", m, err)) << err;

  NvdMeta wrong = m;
  wrong.sha256[0] = wrong.sha256[0] == 'a' ? 'b' : 'a';
  EXPECT_FALSE(VerifyAgainstMeta(d / "f.json.gz", wrong, err));
  EXPECT_NE(err.find("sha256"), std::string::npos) << err;
  ct::WriteFile(d / "cut.json.gz", gz.substr(0, gz.size() - 9));
  NvdMeta cut = m;
  cut.gz_size = gz.size() - 9;
  EXPECT_FALSE(VerifyAgainstMeta(d / "cut.json.gz", cut, err));
  EXPECT_EQ(err, "truncated gzip data");
  EXPECT_FALSE(VerifyAgainstMeta(d / "cut.json.gz", m, err));
  EXPECT_NE(err.find("gzSize"), std::string::npos) << err;

  EXPECT_FALSE(ParseNvdMeta("<html>Not found</html>", m, err));
  EXPECT_FALSE(ParseNvdMeta("lastModifiedDate:x\nsize:1\ngzSize:1\nsha256:abc\n", m, err));
  EXPECT_NE(err.find("64 hex"), std::string::npos) << err;
}

TEST(DbNvdTable, YearsFrom2002ToNowPlusModifiedEachWithItsMeta) {
  auto nvd = SelectFeeds("nvd");
  ASSERT_GE(nvd.size(), 26u);
  EXPECT_EQ(nvd.front().url, "https://nvd.nist.gov/feeds/json/cve/2.0/nvdcve-2.0-2002.json.gz");
  EXPECT_EQ(nvd.front().meta_url, "https://nvd.nist.gov/feeds/json/cve/2.0/nvdcve-2.0-2002.meta");
  EXPECT_EQ(nvd.front().file, "nvd/nvdcve-2.0-2002.json.gz");
  EXPECT_EQ(nvd.back().year, "modified");
  EXPECT_EQ(nvd.back().url, "https://nvd.nist.gov/feeds/json/cve/2.0/nvdcve-2.0-modified.json.gz");
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  EXPECT_EQ(nvd[nvd.size() - 2].year, std::to_string(tm.tm_year + 1900));
  EXPECT_EQ(nvd.size(), size_t(tm.tm_year + 1900 - 2002 + 2));

  auto some = FilterNvdYears(nvd, "2002, 2019-2020");
  ASSERT_EQ(some.size(), 4u);
  EXPECT_EQ(some[0].year, "2002");
  EXPECT_EQ(some[1].year, "2019");
  EXPECT_EQ(some[2].year, "2020");
  EXPECT_EQ(some[3].year, "modified");
  EXPECT_EQ(FilterNvdYears(SelectFeeds("kev,nvd"), "2019").size(), 3u);  // kev stays
  for (const char* bad : {"19", "2020-2019", "abcd", "2019-"}) EXPECT_THROW(FilterNvdYears(nvd, bad), customs::Error) << bad;

  auto epss = SelectFeeds("epss");
  ASSERT_EQ(epss.size(), 1u);
  EXPECT_EQ(epss[0].url, "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz");
  EXPECT_TRUE(epss[0].meta_url.empty());
}

}  // namespace

namespace {

// OSV records (schema https://ossf.github.io/osv-schema/) written for this test.
std::string OsvRecord(const std::string& id, const std::vector<std::string>& aliases, const std::string& published,
                      const std::string& modified) {
  nlohmann::json j = {{"schema_version", "1.6.0"}, {"id", id}, {"modified", modified}, {"aliases", aliases},
                      {"affected", {{{"package", {{"ecosystem", "Go"}, {"name", "example.com/m"}}},
                                     {"ranges", {{{"type", "SEMVER"}, {"events", {{{"introduced", "0"}}, {{"fixed", "1.2.3"}}}}}}}}}}};
  if (!published.empty()) j["published"] = published;
  return j.dump();
}

TEST(DbInfoStats, NewestDatesAndCoverageOfTheCveIds) {
  ct::TempDir d;
  // CVE ids of the database: CVE-2020-0001 (alias), CVE-2020-0002 (an id), CVE-2020-0003 (alias) = 3.
  ct::WriteFile(d / "in/osv-test/GO-2024-0001.json",
                OsvRecord("GO-2024-0001", {"CVE-2020-0001", "GHSA-aaaa-bbbb-cccc"}, "2023-12-01T00:00:00Z", "2024-01-02T00:00:00Z"));
  ct::WriteFile(d / "in/osv-test/CVE-2020-0002.json", OsvRecord("CVE-2020-0002", {}, "2024-03-01T00:00:00Z", "2024-02-01T00:00:00Z"));
  ct::WriteFile(d / "in/osv-test/GO-2024-0003.json", OsvRecord("GO-2024-0003", {"CVE-2020-0003"}, "", "2022-01-01T00:00:00Z"));
  // NVD: a rating for 0001 only (0002 has a record without metrics; 2099 is no id of the database).
  ct::WriteFile(d / "in/nvd/page.json",
                NvdPage(NvdCve("CVE-2020-0001", "2025-01-01T00:00:00.000", kCritical) + "," +
                        R"({"cve":{"id":"CVE-2020-0002","published":"2020-01-01T00:00:00.000","lastModified":"2025-02-03T00:00:00.000"}},)" +
                        NvdCve("CVE-2099-0001", "2025-01-05T00:00:00.000", kMedium)));
  // EPSS: scores for 0002 and for an id the database does not have.
  ct::WriteFile(d / "in/epss/epss_scores-2025-06-01.csv",
                "#model_version:v2025.03.14,score_date:2025-06-01T00:00:00Z\ncve,epss,percentile\n"
                "CVE-2020-0002,0.5,0.9\nCVE-2099-0001,0.1,0.2\n");
  ct::WriteFile(d / "in/kev/kev.json",
                R"({"title":"t","catalogVersion":"2025.06.01","dateReleased":"2025-06-01T00:00:00Z","count":2,"vulnerabilities":[
                   {"cveID":"CVE-2020-0001","dateAdded":"2024-05-06"},{"cveID":"CVE-2020-0003","dateAdded":"2025-01-07"}]})");
  BuildOptions o;
  o.from = d / "in";
  o.output = d / "db";
  BuildDatabase(o);
  auto vdb = VulnDB::Open(d / "db");
  DbInfo plain = vdb->Info();
  EXPECT_EQ(plain.cve_ids, 0) << "only Info(true) computes the statistics";
  DbInfo info = vdb->Info(true);
  EXPECT_EQ(info.cve_ids, 3);
  EXPECT_EQ(info.cve_ids_nvd_rated, 1);
  EXPECT_EQ(info.cve_ids_epss_scored, 1);
  EXPECT_EQ(info.nvd, 3);
  EXPECT_EQ(info.epss, 2);
  std::map<std::string, std::string> newest;
  for (const auto& s : info.sources) newest[s.name] = s.newest;
  EXPECT_EQ(newest["osv-test"], "2024-03-01T00:00:00Z");  // CVE-2020-0002's published is later than any modified
  EXPECT_EQ(newest["nvd"], "2025-02-03T00:00:00.000");
  EXPECT_EQ(newest["epss"], "2025-06-01T00:00:00Z");
  EXPECT_EQ(newest["kev"], "2025-01-07");
}

}  // namespace

namespace {

// Wolfi's secdb (wolfictl advisory secdb; layout: urlprefix, apkurl, reponame, archs, packages, no
// distroversion) for the avahi advisories of github.com/wolfi-dev/advisories, avahi.advisories.yaml
// at commit 1450b94d354e6b1813e9a45f1c3112df17f6f4e4: CVE-2021-3468 fixed in 0.8-r1, CVE-2021-26720
// not affected (secdb's "0").
const char* kWolfiSecdb = R"({
  "apkurl": "{{urlprefix}}/{{reponame}}/{{arch}}/{{pkg.name}}-{{pkg.ver}}.apk",
  "archs": ["x86_64", "aarch64"],
  "reponame": "os",
  "urlprefix": "https://packages.wolfi.dev",
  "packages": [{"pkg": {"name": "avahi", "secfixes": {"0": ["CVE-2021-26720"], "0.8-r1": ["CVE-2021-3468"]}}}]
})";

TEST(DbWolfiSecdb, RollingDistributionsGetReleaseLessKeys) {
  VectorSink w;
  FeedOf("alpine_secdb").ParseBytes(kWolfiSecdb, "wolfi-secdb/security.json", w);
  EXPECT_TRUE(w.skipped.empty());
  ASSERT_EQ(w.advisories.size(), 2u);
  const auto* fixed = w.Find("CVE-2021-3468");
  ASSERT_NE(fixed, nullptr);
  ASSERT_EQ(fixed->affected.size(), 1u);
  EXPECT_EQ(fixed->affected[0].ecosystem, "wolfi");
  EXPECT_EQ(fixed->affected[0].package, "avahi");
  EXPECT_EQ(fixed->affected[0].fixed_version, "0.8-r1");
  EXPECT_EQ(fixed->affected[0].purl, "pkg:apk/wolfi/avahi?distro=wolfi");
  EXPECT_EQ(w.Find("CVE-2021-26720")->affected[0].status, kStatusNotAffected);

  std::string cg = kWolfiSecdb;
  cg.replace(cg.find("https://packages.wolfi.dev"), 26, "https://packages.cgr.dev");
  cg.replace(cg.find("\"os\""), 4, "\"chainguard\"");
  VectorSink c;
  FeedOf("alpine_secdb").ParseBytes(cg, "chainguard-secdb/security.json", c);
  ASSERT_EQ(c.advisories.size(), 2u);
  EXPECT_EQ(c.Find("CVE-2021-3468")->affected[0].ecosystem, "chainguard");

  std::string other = kWolfiSecdb;
  other.replace(other.find("https://packages.wolfi.dev"), 26, "https://example.org/wolfi.dev");
  VectorSink o;
  FeedOf("alpine_secdb").ParseBytes(other, "x.json", o);
  EXPECT_TRUE(o.advisories.empty());
  ASSERT_EQ(o.skipped.size(), 1u);
  EXPECT_NE(o.skipped[0].find("neither Wolfi nor Chainguard"), std::string::npos) << o.skipped[0];

  // The builder finds the feeds by their directory names.
  ct::TempDir d;
  ct::WriteFile(d / "in/wolfi-secdb/security.json", kWolfiSecdb);
  ct::WriteFile(d / "in/chainguard-secdb/security.json", cg);
  auto found = DiscoverSources(d / "in");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].name, "chainguard-secdb");
  EXPECT_EQ(found[0].feed, "alpine_secdb");
  EXPECT_EQ(found[1].name, "wolfi-secdb");
}

}  // namespace

namespace {

// canonical/ubuntu-security-notices, osv/cve/2023/CVE-2023-0286.json at commit
// f7269e52117ed7b1e1bee9d2eccd4ec8c7e022a8, cut to two of its affected entries (details shortened,
// versions lists shortened); every field kept is as published.
const char* kUbuntuCve20230286 = R"({
  "schema_version": "1.6.3",
  "id": "CVE-2023-0286",
  "details": "There is a type confusion vulnerability relating to X.400 address processing inside an X.509 GeneralName.",
  "aliases": [],
  "related": [],
  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:H"}],
  "published": "2023-02-07T00:00:00Z",
  "modified": "2024-08-23T16:30:36Z",
  "affected": [
    {"package": {"ecosystem": "Ubuntu:22.04:LTS", "name": "openssl",
                 "purl": "pkg:deb/ubuntu/openssl@3.0.2-0ubuntu1.8?arch=src?distro=jammy"},
     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.2-0ubuntu1.8"}]}],
     "versions": ["3.0.2-0ubuntu1.6", "3.0.2-0ubuntu1.7"],
     "ecosystem_specific": {"availability": "No subscription required", "ubuntu_priority": "high"}},
    {"package": {"ecosystem": "Ubuntu:22.04:LTS", "name": "edk2"},
     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}],
     "versions": ["2022.02-3ubuntu0.22.04.2"]}
  ]
})";

// AlmaLinux/osv-database, advisories/almalinux9/ALSA-2022:6157.json at commit
// 2c20b62ed5bc9bf5e6a977f5a47638bfb95107e2, cut to its first affected entry and two references.
const char* kAlsa20226157 = R"({
  "id": "ALSA-2022:6157",
  "summary": "Moderate: curl security update",
  "affected": [{"package": {"ecosystem": "AlmaLinux:9", "name": "curl"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "7.76.1-14.el9_0.5"}]}]}],
  "related": ["CVE-2022-32206", "CVE-2022-32207", "CVE-2022-32208"],
  "published": "2022-08-24T00:00:00Z",
  "modified": "2022-08-30T18:17:01Z",
  "details": "The curl packages provide the libcurl library and the curl utility.",
  "references": [{"url": "https://access.redhat.com/errata/RHSA-2022:6157", "type": "ADVISORY"},
                 {"url": "https://errata.almalinux.org/9/ALSA-2022-6157.html", "type": "ADVISORY"}]
})";

TEST(DbDistroRatings, UbuntuPriorityIsThePackagesSeverity) {
  VectorSink s;
  FeedOf("osv").ParseBytes(kUbuntuCve20230286, "CVE-2023-0286.json", s);
  ASSERT_EQ(s.advisories.size(), 1u) << (s.skipped.empty() ? "" : s.skipped[0]);
  const auto& r = s.advisories[0];
  ASSERT_EQ(r.affected.size(), 2u);
  EXPECT_EQ(r.affected[0].severity, "high");
  EXPECT_EQ(r.affected[0].fixed_version, "3.0.2-0ubuntu1.8");
  EXPECT_EQ(r.affected[1].severity, "") << "edk2 carries no ubuntu_priority";
  ASSERT_EQ(r.cvss.size(), 1u);
  EXPECT_EQ(r.cvss[0].type, "CVSS_V3");

  // OSV.dev's form of the same rating: a severity[] entry of type "Ubuntu"; it is no CVSS vector.
  nlohmann::json j = nlohmann::json::parse(kUbuntuCve20230286);
  j["affected"][0].erase("ecosystem_specific");
  j["severity"].push_back({{"type", "Ubuntu"}, {"score", "medium"}});
  VectorSink t;
  FeedOf("osv").ParseBytes(j.dump(), "CVE-2023-0286.json", t);
  ASSERT_EQ(t.advisories.size(), 1u);
  EXPECT_EQ(t.advisories[0].affected[0].severity, "medium");
  EXPECT_EQ(t.advisories[0].affected[1].severity, "medium");
  ASSERT_EQ(t.advisories[0].cvss.size(), 1u);
}

TEST(DbDistroRatings, RedHatFamilyErrataSeverityFromTheSummary) {
  VectorSink s;
  FeedOf("osv").ParseBytes(kAlsa20226157, "ALSA-2022:6157.json", s);
  ASSERT_EQ(s.advisories.size(), 1u) << (s.skipped.empty() ? "" : s.skipped[0]);
  ASSERT_EQ(s.advisories[0].affected.size(), 1u);
  EXPECT_EQ(s.advisories[0].affected[0].severity, "moderate");
  EXPECT_EQ(s.advisories[0].affected[0].fixed_version, "7.76.1-14.el9_0.5");
  // A summary that does not open with an errata severity is no rating.
  nlohmann::json j = nlohmann::json::parse(kAlsa20226157);
  j["summary"] = "curl bug fix update";
  VectorSink t;
  FeedOf("osv").ParseBytes(j.dump(), "x.json", t);
  EXPECT_EQ(t.advisories.at(0).affected.at(0).severity, "");
}

TEST(DbDistroRatings, DebianUrgencyOnlyLowMediumHigh) {
  // The tracker's JSON export (https://security-tracker.debian.org/tracker/data/json) shape.
  VectorSink s;
  FeedOf("debian_tracker").ParseBytes(R"({"zlib": {
      "CVE-2023-45853": {"description": "MiniZip integer overflow", "releases": {
        "bookworm": {"status": "open", "urgency": "unimportant"},
        "bullseye": {"status": "resolved", "fixed_version": "1:1.2.11.dfsg-2+deb11u3", "urgency": "not yet assigned"}}},
      "CVE-2022-37434": {"description": "inflateGetHeader overflow", "releases": {
        "bullseye": {"status": "resolved", "fixed_version": "1:1.2.11.dfsg-2+deb11u2", "urgency": "medium**"},
        "buster": {"status": "open", "urgency": "end-of-life"}}}}})",
                                      "tracker.json", s);
  std::map<std::string, const Affected*> by;
  for (const auto& r : s.advisories)
    for (const auto& a : r.affected) by[r.id + " " + a.ecosystem] = &a;
  ASSERT_EQ(by.size(), 4u);
  for (const auto& [k, a] : by) {
    if (k.rfind("CVE-2022-37434", 0) == 0 && a->status == kStatusFixed)
      EXPECT_EQ(a->severity, "medium") << k;
    else
      EXPECT_EQ(a->severity, "") << k;
  }
}

}  // namespace
