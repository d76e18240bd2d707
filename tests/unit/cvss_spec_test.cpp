// CVSS scoring against the specifications' own examples, and the vector syntax each one defines.
#include <gtest/gtest.h>

#include <string>

#include "cvss/cvss.h"

namespace customs::cvss {
namespace {

Score MustParse(const std::string& v) {
  std::string err;
  auto s = Parse(v, &err);
  EXPECT_TRUE(s.has_value()) << v << ": " << err;
  return s.value_or(Score{});
}

std::string Rejection(const std::string& v) {
  std::string err;
  auto s = Parse(v, &err);
  EXPECT_FALSE(s.has_value()) << v << " was accepted";
  EXPECT_FALSE(err.empty()) << v << ": no reason given";
  return err;
}

// ---- CVSS v2: the guide's worked examples (section 3.3) ----

TEST(CvssV2, GuideExampleCve2002_0392) {
  // Apache chunked-encoding memory corruption.
  Score s = MustParse("AV:N/AC:L/Au:N/C:N/I:N/A:C");
  EXPECT_EQ(s.version, Version::kV2);
  EXPECT_DOUBLE_EQ(s.base, 7.8);
  EXPECT_FALSE(s.temporal);
  EXPECT_FALSE(s.environmental);
  EXPECT_DOUBLE_EQ(s.overall, 7.8);
  s = MustParse("AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C");
  EXPECT_DOUBLE_EQ(s.base, 7.8);
  EXPECT_DOUBLE_EQ(s.temporal.value_or(-1), 6.4);
  EXPECT_DOUBLE_EQ(s.overall, 6.4);
  // AdjustedTemporal 8.3, environmental (8.3 + 1.7 * 0.5) * 1.0 = 9.15 -> 9.2 (binary floating point
  // evaluates 9.15 as 9.1499999..., which would round to 9.1).
  s = MustParse("AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:H");
  EXPECT_DOUBLE_EQ(s.temporal.value_or(-1), 6.4);
  EXPECT_DOUBLE_EQ(s.environmental.value_or(-1), 9.2);
  EXPECT_DOUBLE_EQ(s.overall, 9.2);
}

TEST(CvssV2, GuideExampleCve2003_0818) {
  // Microsoft Windows ASN.1 library integer handling.
  Score s = MustParse("AV:N/AC:L/Au:N/C:C/I:C/A:C");
  EXPECT_DOUBLE_EQ(s.base, 10.0);
  s = MustParse("AV:N/AC:L/Au:N/C:C/I:C/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:L");
  EXPECT_DOUBLE_EQ(s.temporal.value_or(-1), 8.3);
  EXPECT_DOUBLE_EQ(s.environmental.value_or(-1), 9.0);
}

TEST(CvssV2, GuideExampleCve2003_0062) {
  // NOD32 antivirus buffer overflow.
  Score s = MustParse("AV:L/AC:H/Au:N/C:C/I:C/A:C");
  EXPECT_DOUBLE_EQ(s.base, 6.2);
  s = MustParse("AV:L/AC:H/Au:N/C:C/I:C/A:C/E:POC/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:M");
  EXPECT_DOUBLE_EQ(s.temporal.value_or(-1), 4.9);
  EXPECT_DOUBLE_EQ(s.environmental.value_or(-1), 7.5);  // 4.9 + 5.1 * 0.5 = 7.45 -> 7.5
}

TEST(CvssV2, AcceptedForms) {
  // NVD/OSV's bare form, the guide's parenthesised form, and a CVSS:2.0/ prefix all read the same
  // and give NVD's form back.
  for (const char* v : {"AV:N/AC:L/Au:N/C:P/I:P/A:P", "(AV:N/AC:L/Au:N/C:P/I:P/A:P)", "CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P",
                        "  AV:N/AC:L/Au:N/C:P/I:P/A:P\n"}) {
    Score s = MustParse(v);
    EXPECT_EQ(s.version, Version::kV2) << v;
    EXPECT_EQ(s.vector, "AV:N/AC:L/Au:N/C:P/I:P/A:P") << v;
    EXPECT_DOUBLE_EQ(s.base, 7.5) << v;
  }
}

TEST(CvssV2, NotDefinedMetricsAddNoScore) {
  Score s = MustParse("AV:N/AC:L/Au:N/C:P/I:P/A:P/E:ND/RL:ND/RC:ND/CDP:ND/TD:ND/CR:ND/IR:ND/AR:ND");
  EXPECT_FALSE(s.temporal);
  EXPECT_FALSE(s.environmental);
  EXPECT_DOUBLE_EQ(s.overall, 7.5);
  // TD:N zeroes the environmental score, which then is the score to use.
  s = MustParse("AV:N/AC:L/Au:N/C:P/I:P/A:P/TD:N");
  EXPECT_DOUBLE_EQ(s.environmental.value_or(-1), 0.0);
  EXPECT_DOUBLE_EQ(s.overall, 0.0);
}

TEST(CvssV2, NoImpactScoresZero) {
  EXPECT_DOUBLE_EQ(MustParse("AV:N/AC:L/Au:N/C:N/I:N/A:N").base, 0.0);
}

TEST(CvssV2, RoundToOneDecimalIsHalfUpOnTheExactValue) {
  EXPECT_DOUBLE_EQ(detail::RoundV2(9.15), 9.2);
  EXPECT_DOUBLE_EQ(detail::RoundV2(8.3 + (10 - 8.3) * 0.5), 9.2);  // 9.149999999999999 in binary
  EXPECT_DOUBLE_EQ(detail::RoundV2(9.1499), 9.1);
  EXPECT_DOUBLE_EQ(detail::RoundV2(6.4467), 6.4);
  EXPECT_DOUBLE_EQ(detail::RoundV2(0.0), 0.0);
}

// ---- CVSS v3.1: the specification's examples document (base scores) ----

struct Example {
  const char* cve;
  const char* vector;
  double base;
};

// "CVSS v3.1 Examples" (FIRST), each with its published base score.
const Example kV31Examples[] = {
    {"CVE-2013-1937 phpMyAdmin reflected XSS", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1},
    {"CVE-2013-0375 MySQL stored SQL injection", "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4},
    {"CVE-2014-3566 SSLv3 POODLE", "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 3.1},
    {"CVE-2012-1516 VMware guest to host escape", "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9},
    {"CVE-2009-0783 Apache Tomcat XML parser", "CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L", 4.2},
    {"CVE-2012-0384 Cisco IOS command execution", "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 8.8},
    {"CVE-2015-1098 Apple iWork denial of service", "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.8},
    {"CVE-2014-0160 OpenSSL Heartbleed", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5},
    {"CVE-2014-6271 GNU Bash Shellshock", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8},
    {"CVE-2008-1447 DNS Kaminsky bug", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N", 6.8},
    {"CVE-2014-2005 Sophos login screen bypass", "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 6.8},
    {"CVE-2010-0467 Joomla directory traversal", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N", 5.8},
    {"CVE-2012-1342 Cisco access control bypass", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:L/A:N", 5.8},
    {"CVE-2014-9253 DokuWiki reflected XSS", "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N", 5.4},
    {"CVE-2009-0658 Adobe Acrobat buffer overflow", "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.8},
    {"CVE-2011-1265 Microsoft Windows Bluetooth RCE", "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.8},
    {"CVE-2014-2019 Apple iOS security control bypass", "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N", 4.6},
    {"CVE-2015-0970 SearchBlox CSRF", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 8.8},
    {"CVE-2014-0224 OpenSSL CCS injection", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N", 7.4},
    {"CVE-2012-5376 Google Chrome sandbox bypass", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H", 9.6},
    {"CVE-2016-1645 Chrome PDFium JPEG 2000 RCE", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 8.8},
    {"CVE-2016-0128 Windows SAM/LSAD downgrade (Badlock)", "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:N", 6.8},
    {"CVE-2016-5729 Lenovo BIOS privilege escalation", "CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H", 8.2},
    {"CVE-2018-3652 Intel DCI debug access", "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 7.6},
};

TEST(CvssV31, ExamplesDocument) {
  for (const Example& e : kV31Examples) {
    Score s = MustParse(e.vector);
    EXPECT_EQ(s.version, Version::kV3_1) << e.cve;
    EXPECT_DOUBLE_EQ(s.base, e.base) << e.cve << " " << e.vector;
    EXPECT_DOUBLE_EQ(s.overall, e.base) << e.cve;
    EXPECT_FALSE(s.temporal) << e.cve;
    EXPECT_FALSE(s.environmental) << e.cve;
    EXPECT_EQ(s.vector, e.vector);
  }
}

TEST(CvssV30, ExamplesScoreTheSameBaseAsInV31) {
  // The v3.1 examples were rescored from v3.0's; their base scores did not change.
  for (const Example& e : kV31Examples) {
    std::string v = std::string("CVSS:3.0/") + (e.vector + 9);
    Score s = MustParse(v);
    EXPECT_EQ(s.version, Version::kV3_0);
    EXPECT_DOUBLE_EQ(s.base, e.base) << e.cve;
  }
}

TEST(CvssV31, TemporalAndEnvironmental) {
  // Section 7.2: Roundup(9.8 * 0.91 * 0.95 * 0.92) = Roundup(7.7935...) = 7.8.
  Score s = MustParse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U");
  EXPECT_DOUBLE_EQ(s.base, 9.8);
  EXPECT_DOUBLE_EQ(s.temporal.value_or(-1), 7.8);
  EXPECT_FALSE(s.environmental);
  EXPECT_DOUBLE_EQ(s.overall, 7.8);
  // Section 7.3: modified metrics fall back to the base ones; requirements weigh the impact.
  s = MustParse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MAV:L/CR:L/IR:L/AR:L");
  EXPECT_FALSE(s.temporal);
  ASSERT_TRUE(s.environmental);
  // MISS = 1 - 0.72^3 = 0.626752, MI = 6.42 * MISS = 4.0237, ME = 8.22*.55*.77*.85*.85 = 2.5153.
  EXPECT_DOUBLE_EQ(*s.environmental, 6.6);
  EXPECT_DOUBLE_EQ(s.overall, 6.6);
  // All X: nothing defined, base is the score.
  s = MustParse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:X/RL:X/RC:X/CR:X/MAV:X/MS:X");
  EXPECT_FALSE(s.temporal);
  EXPECT_FALSE(s.environmental);
  EXPECT_DOUBLE_EQ(s.overall, 9.8);
}

TEST(CvssV31, ModifiedScopeChangesPrivilegesWeight) {
  // PR:L weighs 0.62 unchanged, 0.68 changed; MS:C takes the changed weight even though S:U.
  Score s = MustParse("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H/MS:C");
  EXPECT_DOUBLE_EQ(s.base, 8.8);
  // Modified exploitability 8.22*.85*.77*.68*.85 = 3.1, modified impact 6.05, 1.08 * 9.15 capped at 10.
  EXPECT_DOUBLE_EQ(s.environmental.value_or(-1), 10.0);
}

TEST(CvssV3, NoImpactScoresZero) {
  EXPECT_DOUBLE_EQ(MustParse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:N/A:N").base, 0.0);
  EXPECT_DOUBLE_EQ(MustParse("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N").base, 0.0);
}

// ---- Roundup: v3.1 Appendix A vs v3.0's plain ceiling ----

TEST(CvssRoundup, V31AppendixA) {
  EXPECT_DOUBLE_EQ(detail::RoundUpV31(4.0), 4.0);
  EXPECT_DOUBLE_EQ(detail::RoundUpV31(4.02), 4.1);
  EXPECT_DOUBLE_EQ(detail::RoundUpV31(4.000000000000001), 4.0);  // floating point noise is not a tenth
  EXPECT_DOUBLE_EQ(detail::RoundUpV31(4.00001), 4.1);
  EXPECT_DOUBLE_EQ(detail::RoundUpV31(0.0), 0.0);
  EXPECT_DOUBLE_EQ(detail::RoundUpV31(9.99), 10.0);
  // v3.0 rounds the noise up, as its specification's (and FIRST's v3.0 calculator's) ceiling does.
  EXPECT_DOUBLE_EQ(detail::RoundUpV30(4.000000000000001), 4.1);
  EXPECT_DOUBLE_EQ(detail::RoundUpV30(4.0), 4.0);
  EXPECT_DOUBLE_EQ(detail::RoundUpV30(4.02), 4.1);
}

TEST(CvssRoundup, V30AndV31DifferOnNoise) {
  // Temporal 10.0 * 0.92 is 9.200000000000001 in binary floating point: v3.0's ceiling gives 9.3,
  // v3.1's Roundup 9.2 (both as ae-cvss-calculator computes them).
  Score s30 = MustParse("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/RC:U");
  Score s31 = MustParse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/RC:U");
  EXPECT_DOUBLE_EQ(s30.base, 10.0);
  EXPECT_DOUBLE_EQ(s31.base, 10.0);
  EXPECT_DOUBLE_EQ(s30.temporal.value_or(-1), 9.3);
  EXPECT_DOUBLE_EQ(s31.temporal.value_or(-1), 9.2);
}

// ---- CVSS v4.0 ----

TEST(CvssV4, ExamplesDocument) {
  // "CVSS v4.0 Examples" (FIRST): CVE-2022-41741, nginx mp4 module memory corruption: CVSS-B 7.3.
  Score s = MustParse("CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N");
  EXPECT_EQ(s.version, Version::kV4_0);
  EXPECT_DOUBLE_EQ(s.base, 7.3);
  EXPECT_DOUBLE_EQ(s.overall, 7.3);
  EXPECT_EQ(Nomenclature(s), "CVSS-B");
}

TEST(CvssV4, MacroVectorMaximaScoreTheTable) {
  // A MacroVector's highest severity vector scores its table value exactly (no interpolation).
  EXPECT_DOUBLE_EQ(MustParse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/MSI:S/MSA:S").overall,
                   10.0);                                                                               // 000000
  EXPECT_DOUBLE_EQ(MustParse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H").base, 10.0);  // 000100
  EXPECT_DOUBLE_EQ(MustParse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N").base, 9.3);   // 000200
  EXPECT_DOUBLE_EQ(
      MustParse("CVSS:4.0/AV:P/AC:H/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:L/SI:L/SA:L/E:U/CR:H/IR:H/AR:H").overall,
      0.1);  // 212221, the lowest MacroVector
}

TEST(CvssV4, InterpolatedScores) {
  // Scores inside a MacroVector, as FIRST's calculator gives them (and ae-cvss-calculator).
  EXPECT_DOUBLE_EQ(MustParse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N").base, 6.9);
  EXPECT_DOUBLE_EQ(MustParse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N").base, 8.7);
}

TEST(CvssV4, ThreatAndEnvironmental) {
  const std::string base = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";
  Score s = MustParse(base + "/E:U");
  EXPECT_DOUBLE_EQ(s.base, 9.3);     // CVSS-B
  EXPECT_DOUBLE_EQ(s.overall, 8.1);  // CVSS-BT
  EXPECT_EQ(Nomenclature(s), "CVSS-BT");
  EXPECT_FALSE(s.temporal);
  EXPECT_FALSE(s.environmental);
  s = MustParse(base + "/MAV:P");
  EXPECT_EQ(Nomenclature(s), "CVSS-BE");
  EXPECT_LT(s.overall, s.base);
  s = MustParse(base + "/E:P/CR:L");
  EXPECT_EQ(Nomenclature(s), "CVSS-BTE");
  // Undefined threat/environmental metrics score as the specification's defaults: E:X is E:A,
  // CR:X is CR:H. Supplemental metrics never change the score.
  s = MustParse(base + "/E:X/CR:X/IR:X/AR:X/MAV:X/S:P/AU:Y/R:I/V:C/RE:H/U:Red");
  EXPECT_EQ(Nomenclature(s), "CVSS-B");
  EXPECT_DOUBLE_EQ(s.overall, 9.3);
  EXPECT_DOUBLE_EQ(MustParse(base + "/E:A/CR:H/IR:H/AR:H").overall, 9.3);
}

TEST(CvssV4, NoImpactScoresZero) {
  EXPECT_DOUBLE_EQ(MustParse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N").base, 0.0);
  // ... including when the environment removes every impact.
  Score s = MustParse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MVC:N/MVI:N/MVA:N");
  EXPECT_DOUBLE_EQ(s.base, 9.3);
  EXPECT_DOUBLE_EQ(s.overall, 0.0);
}

TEST(CvssV4, SafetyValueOnlyInModifiedMetrics) {
  EXPECT_NE(Rejection("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N").find("invalid value 'S'"),
            std::string::npos);
  // MSI:S puts the vector in EQ4 level 0 (the table's 000200 -> 000000 path): 10.0.
  Score s = MustParse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSI:S");
  EXPECT_DOUBLE_EQ(s.base, 9.3);
  EXPECT_DOUBLE_EQ(s.overall, 10.0);
}

// ---- Syntax common to all versions ----

TEST(CvssSyntax, MetricOrderDoesNotMatter) {
  // GHSA publishes v4 vectors with VC/SC/VI/SI/VA/SA interleaved; v3.x allows any order.
  EXPECT_DOUBLE_EQ(MustParse("CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/SC:N/VI:H/SI:N/VA:H/SA:N").base,
                   MustParse("CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N").base);
  EXPECT_DOUBLE_EQ(MustParse("CVSS:3.1/S:U/A:H/I:H/C:H/UI:N/PR:N/AC:L/AV:N").base, 9.8);
  EXPECT_DOUBLE_EQ(MustParse("A:C/I:N/C:N/Au:N/AC:L/AV:N").base, 7.8);
}

TEST(CvssSyntax, VersionAndVectorKept) {
  EXPECT_EQ(VersionName(Version::kV2), "2.0");
  EXPECT_EQ(VersionName(Version::kV3_0), "3.0");
  EXPECT_EQ(VersionName(Version::kV3_1), "3.1");
  EXPECT_EQ(VersionName(Version::kV4_0), "4.0");
  EXPECT_EQ(MustParse(" CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\t").vector,
            "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
  EXPECT_EQ(Nomenclature(MustParse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")), "");
}

TEST(CvssSyntax, MalformedVectorsAreRejectedWithAReason) {
  const std::string v31 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
  const std::string v40 = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";
  struct Case {
    std::string vector;
    std::string reason;  // a part of the expected message
  };
  const Case cases[] = {
      {"", "empty vector"},
      {"   ", "empty vector"},
      {v31 + "/XX:Y", "unknown metric 'XX'"},
      {v31 + "/AV:L", "duplicate metric 'AV'"},
      {v31 + "/", "empty component"},
      {"CVSS:3.1//AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "empty component"},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", "missing base metric 'A'"},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H", "missing base metric 'S'"},
      {"CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "invalid value 'Q' for metric 'AV'"},
      {"CVSS:3.1/AV:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "invalid value 'n'"},  // case-sensitive
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:ND", "invalid value 'ND' for metric 'E'"},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AT:N", "unknown metric 'AT'"},
      {"CVSS:3.1/AVN/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "not METRIC:VALUE"},
      {"CVSS:3.1/AV:N:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "not METRIC:VALUE"},
      {"CVSS:3.1/AV:/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "not METRIC:VALUE"},
      {"CVSS:3.1/AV:N /AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "invalid value 'N '"},
      {"CVSS:3.1", "no metrics after"},
      {"CVSS:3.1/", "empty vector"},
      {"CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unsupported CVSS version '3.2'"},
      {"CVSS:/AV:N", "prefix without a version"},
      {"CVSS:x/AV:N", "unsupported CVSS version 'x'"},
      {"CVSS:", "prefix without a version"},
      {"cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unknown metric 'cvss'"},
      {"AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "needs its \"CVSS:3.1/\""},  // v3 without prefix
      {"CVSS:3.1/AV:N/AC:L/Au:N/C:P/I:P/A:P", "unknown metric 'Au'"},     // v2 metrics under a v3 prefix
      {"(AV:N/AC:L/Au:N/C:P/I:P/A:P", "unbalanced parenthesis"},
      {"AV:N/AC:L/Au:N/C:P/I:P/A:P/E:F/E:H", "duplicate metric 'E'"},
      {"AV:N/AC:L/Au:N/C:P/I:P/A:P/E:X", "invalid value 'X' for metric 'E'"},  // v2 uses ND
      {"AV:N/AC:L/Au:N/C:P/I:P", "missing base metric 'A'"},
      {v40 + "/E:Q", "invalid value 'Q' for metric 'E'"},
      {v40 + "/U:red", "invalid value 'red' for metric 'U'"},
      {v40 + "/SC:N", "duplicate metric 'SC'"},
      {"CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "missing base metric 'AT'"},
      {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/S:U/C:H/I:H/A:H", "invalid value 'U' for metric 'S'"},  // v3 under v4
  };
  for (const Case& c : cases) {
    std::string why = Rejection(c.vector);
    EXPECT_NE(why.find(c.reason), std::string::npos) << c.vector << ": \"" << why << "\" lacks \"" << c.reason << "\"";
  }
  // The error pointer is optional.
  EXPECT_FALSE(Parse("garbage"));
}

}  // namespace
}  // namespace customs::cvss
