// The severity precedence of detectors/affected.cpp (docs/risk.md "Severity") and the risk score of
// findings/risk.cpp. The CVSS scores the expectations use are written out here from the CVSS
// specifications' calculators (each checked with the npm ae-cvss-calculator the cvss oracle test
// runs: see tests/e2e/vuln_ratings_test.cpp for the end-to-end oracle over real NVD records).
#include <cmath>

#include <gtest/gtest.h>

#include "detectors/affected.h"
#include "findings/risk.h"

namespace customs {
namespace {

// Real vectors with known base scores.
constexpr const char* kV31Critical = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";  // 9.8
constexpr const char* kV30High = "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H";      // 7.5
constexpr const char* kV31Medium = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N";    // 5.3
constexpr const char* kV2High = "AV:N/AC:L/Au:N/C:P/I:P/A:P";                          // 7.5
constexpr const char* kV40 = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N";  // 6.9

db::AdvisoryDetails Details(std::vector<db::CvssVector> v) {
  db::AdvisoryDetails d;
  d.id = "CVE-2000-0001";
  d.cvss = std::move(v);
  return d;
}

VulnFinding Enriched(const db::AdvisoryDetails& d, const std::string& feed_severity, bool distro,
                     const std::string& feed = "osv-pypi") {
  VulnFinding f;
  f.id = d.id;
  Enrich(f, &d, feed_severity, std::nullopt, feed, distro);
  return f;
}

TEST(SeverityPrecedence, DistributionRatingWinsOverNvd) {
  auto d = Details({{"CVSS_V3", kV31Critical, "nvd"}});
  VulnFinding f = Enriched(d, "low", /*distro=*/true, "debian-tracker");
  EXPECT_EQ(f.severity, Severity::kLow);
  EXPECT_EQ(f.severity_source, "debian-tracker");
  EXPECT_EQ(f.severity_vector, "");
  // Ubuntu's and Red Hat's words.
  EXPECT_EQ(Enriched(d, "negligible", true, "osv-ubuntu").severity, Severity::kLow);
  EXPECT_EQ(Enriched(d, "important", true, "osv-redhat").severity, Severity::kHigh);
  EXPECT_EQ(Enriched(d, "moderate", true, "osv-redhat").severity, Severity::kMedium);
}

TEST(SeverityPrecedence, NoDistributionRatingFallsToNvdPrimary) {
  auto d = Details({{"CVSS_V3", kV31Medium, "nvd:cna@example.com"}, {"CVSS_V3", kV31Critical, "nvd"}});
  for (std::string none : {"", "not yet assigned", "unknown"}) {
    VulnFinding f = Enriched(d, none, true, "alpine-secdb");
    EXPECT_EQ(f.severity, Severity::kCritical) << none;
    EXPECT_EQ(f.severity_source, "nvd");
    EXPECT_EQ(f.severity_vector, kV31Critical);
  }
}

TEST(SeverityPrecedence, NewestCvssVersionWithinNvdPrimary) {
  // v4.0 > v3.1 > v3.0 > v2, whatever the order of the list.
  auto d = Details({{"CVSS_V2", kV2High, "nvd"}, {"CVSS_V3", kV30High, "nvd"}, {"CVSS_V4", kV40, "nvd"},
                    {"CVSS_V3", kV31Critical, "nvd"}});
  VulnFinding f = Enriched(d, "", true, "alpine-secdb");
  EXPECT_EQ(f.severity_vector, kV40);
  EXPECT_EQ(f.severity, Severity::kMedium);  // 6.9
  d = Details({{"CVSS_V2", kV2High, "nvd"}, {"CVSS_V3", kV30High, "nvd"}});
  EXPECT_EQ(Enriched(d, "", true, "alpine-secdb").severity_vector, kV30High);
  d = Details({{"CVSS_V2", kV2High, "nvd"}});
  f = Enriched(d, "", true, "alpine-secdb");
  EXPECT_EQ(f.severity, Severity::kHigh);  // v2 7.5: NVD's v2 band
  EXPECT_EQ(f.severity_vector, kV2High);
}

TEST(SeverityPrecedence, FeedVectorBeforeCnaThroughNvd) {
  // The feed's own vector (GHSA in OSV) ranks after NVD primary and before NVD's secondary (CNA).
  auto d = Details({{"CVSS_V3", kV31Critical, "nvd:security@apache.org"}, {"CVSS_V3", kV31Medium, "osv-pypi"}});
  VulnFinding f = Enriched(d, kV31Medium, false);
  EXPECT_EQ(f.severity, Severity::kMedium);
  EXPECT_EQ(f.severity_source, "osv-pypi");
  d.cvss.push_back({"CVSS_V3", kV30High, "nvd"});
  f = Enriched(d, kV31Medium, false);
  EXPECT_EQ(f.severity, Severity::kHigh);
  EXPECT_EQ(f.severity_source, "nvd");
  // Only a CNA's vector: it is used, named as such.
  d = Details({{"CVSS_V3", kV31Critical, "nvd:security@apache.org"}});
  f = Enriched(d, "", false);
  EXPECT_EQ(f.severity, Severity::kCritical);
  EXPECT_EQ(f.severity_source, "nvd:security@apache.org");
}

TEST(SeverityPrecedence, LanguageFeedWordAfterVectorsButBeforeCna) {
  auto d = Details({{"CVSS_V3", kV31Critical, "nvd:cna@example.com"}});
  VulnFinding f = Enriched(d, "MODERATE", false, "osv-go");
  EXPECT_EQ(f.severity, Severity::kMedium);
  EXPECT_EQ(f.severity_source, "osv-go");
  d.cvss.push_back({"CVSS_V3", kV30High, "nvd"});
  EXPECT_EQ(Enriched(d, "MODERATE", false, "osv-go").severity, Severity::kHigh);
  // A language feed's word is not a distribution rating: NVD primary wins over it.
}

TEST(SeverityPrecedence, NothingGivesUnknown) {
  auto d = Details({{"CVSS_V3", "CVSS:3.1/AV:N/garbage", "nvd"}});
  VulnFinding f = Enriched(d, "", true, "alpine-secdb");
  EXPECT_EQ(f.severity, Severity::kUnknown);
  EXPECT_EQ(f.severity_source, "");
}

TEST(NvdText, TitleAndDescriptionFallBackToNvd) {
  db::AdvisoryDetails d;
  d.id = "CVE-2019-14697";
  d.nvd_description =
      "musl libc through 1.1.23 has an x87 floating-point stack adjustment imbalance, related to the math/i386/ "
      "directory. In some cases, use of this library could introduce out-of-bounds writes.";
  d.nvd_published = "2019-08-06T16:15:11.017";
  VulnFinding f = Enriched(d, "", true, "alpine-secdb");
  EXPECT_EQ(f.description, d.nvd_description);
  EXPECT_LE(f.title.size(), 100u);
  EXPECT_EQ(f.title.rfind("musl libc through 1.1.23 has an x87", 0), 0u) << f.title;
  EXPECT_EQ(f.published, d.nvd_published);
  // The feed's own text wins.
  d.summary = "musl: stack imbalance";
  EXPECT_EQ(Enriched(d, "", true, "alpine-secdb").title, "musl: stack imbalance");
}

TEST(NvdText, TitleIsTheFirstSentenceCutAtAWord) {
  EXPECT_EQ(TitleFromDescription("Short one. Second sentence."), "Short one");
  EXPECT_EQ(TitleFromDescription("No full stop"), "No full stop");
  EXPECT_EQ(TitleFromDescription("Ends with a stop."), "Ends with a stop");
  std::string long_text(30, 'a');
  long_text += " " + std::string(40, 'b') + " " + std::string(40, 'c') + ".";
  std::string t = TitleFromDescription(long_text);
  EXPECT_LE(t.size(), 100u);
  EXPECT_EQ(t, std::string(30, 'a') + " " + std::string(40, 'b') + "...");
  EXPECT_EQ(TitleFromDescription("version 1.2.3 is bad. x"), "version 1.2.3 is bad");
}

TEST(Epss, CopiedFromTheDetailsOrAbsent) {
  db::AdvisoryDetails d = Details({});
  EXPECT_FALSE(Enriched(d, "", true, "alpine-secdb").epss);
  d.epss = db::EpssInfo{0.97, 0.999};
  VulnFinding f = Enriched(d, "", true, "alpine-secdb");
  ASSERT_TRUE(f.epss);
  EXPECT_DOUBLE_EQ(*f.epss, 0.97);
  EXPECT_DOUBLE_EQ(*f.epss_percentile, 0.999);
}

// The risk formula of docs/risk.md, computed independently here from its definition.
double Expected(double impact, double exploitation, bool fix) {
  return std::round(60 * impact / 10 + 30 * exploitation + (fix ? 10 : 0));
}

TEST(RiskScore, FollowsTheDocumentedFormula) {
  VulnFinding f;
  f.severity = Severity::kCritical;
  f.cvss = {{"nvd", "3.1", kV31Critical, 9.8}};
  f.severity_vector = kV31Critical;
  f.fixed_version = "1.1.23-r2";
  RiskScore r = Risk(f);
  EXPECT_EQ(r.score, Expected(9.8, 0, true));
  EXPECT_EQ(r.score, 69);
  EXPECT_EQ(r.impact_from, "cvss");
  EXPECT_EQ(r.exploitation_from, "none");
  EXPECT_EQ(r.missing, std::vector<std::string>{"epss"});
  f.kev = true;
  EXPECT_EQ(Risk(f).score, Expected(9.8, 1, true));
  EXPECT_TRUE(Risk(f).missing.empty());
  f.kev = false;
  f.epss = 0.5;
  f.fixed_version.clear();
  EXPECT_EQ(Risk(f).score, Expected(9.8, 0.5, false));
  EXPECT_EQ(Risk(f).exploitation_from, "epss");
  // A rating word: the band's middle.
  VulnFinding w;
  w.severity = Severity::kHigh;
  w.epss = 0.02;
  EXPECT_EQ(Risk(w).impact_from, "severity");
  EXPECT_EQ(Risk(w).score, Expected(8.0, 0.02, false));
  // Unknown severity is named missing.
  VulnFinding u;
  EXPECT_EQ(Risk(u).impact_from, "unknown");
  EXPECT_EQ(Risk(u).missing, (std::vector<std::string>{"severity", "epss"}));
  EXPECT_EQ(Risk(u).score, Expected(5.0, 0, false));
  // Bounds.
  VulnFinding top = f;
  top.kev = true;
  top.cvss[0].score = 10;
  top.fixed_version = "2";
  EXPECT_EQ(Risk(top).score, 100);
  VulnFinding none;
  none.severity = Severity::kNone;
  EXPECT_EQ(Risk(none).score, 0);
}

}  // namespace
}  // namespace customs
