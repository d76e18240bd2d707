// The severity scale: from CVSS scores per version, from vendor words, and its names.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "cvss/cvss.h"
#include "cvss/severity.h"

namespace customs::cvss {
namespace {

TEST(CvssSeverity, V3AndV4QualitativeScale) {
  // v3.1 section 5 / v4.0 section 6: None 0.0, Low 0.1-3.9, Medium 4.0-6.9, High 7.0-8.9,
  // Critical 9.0-10.0; the boundaries on both sides.
  for (Version v : {Version::kV3_0, Version::kV3_1, Version::kV4_0}) {
    EXPECT_EQ(FromCvssScore(0.0, v), Severity::kNone);
    EXPECT_EQ(FromCvssScore(0.1, v), Severity::kLow);
    EXPECT_EQ(FromCvssScore(3.9, v), Severity::kLow);
    EXPECT_EQ(FromCvssScore(4.0, v), Severity::kMedium);
    EXPECT_EQ(FromCvssScore(6.9, v), Severity::kMedium);
    EXPECT_EQ(FromCvssScore(7.0, v), Severity::kHigh);
    EXPECT_EQ(FromCvssScore(8.9, v), Severity::kHigh);
    EXPECT_EQ(FromCvssScore(9.0, v), Severity::kCritical);
    EXPECT_EQ(FromCvssScore(10.0, v), Severity::kCritical);
  }
}

TEST(CvssSeverity, V2NvdRanges) {
  // NVD: Low 0.0-3.9, Medium 4.0-6.9, High 7.0-10.0; v2 has no None and no Critical.
  EXPECT_EQ(FromCvssScore(0.0, Version::kV2), Severity::kLow);
  EXPECT_EQ(FromCvssScore(3.9, Version::kV2), Severity::kLow);
  EXPECT_EQ(FromCvssScore(4.0, Version::kV2), Severity::kMedium);
  EXPECT_EQ(FromCvssScore(6.9, Version::kV2), Severity::kMedium);
  EXPECT_EQ(FromCvssScore(7.0, Version::kV2), Severity::kHigh);
  EXPECT_EQ(FromCvssScore(10.0, Version::kV2), Severity::kHigh);
}

TEST(CvssSeverity, ScoresAreTakenToTheTenth) {
  // Arithmetic noise cannot fall between two tenths; out-of-range scores clamp; NaN is unknown.
  EXPECT_EQ(FromCvssScore(3.9999999, Version::kV3_1), Severity::kMedium);
  EXPECT_EQ(FromCvssScore(6.8999999999, Version::kV3_1), Severity::kMedium);
  EXPECT_EQ(FromCvssScore(0.04, Version::kV3_1), Severity::kNone);
  EXPECT_EQ(FromCvssScore(-1, Version::kV3_1), Severity::kNone);
  EXPECT_EQ(FromCvssScore(11, Version::kV3_1), Severity::kCritical);
  EXPECT_EQ(FromCvssScore(std::nan(""), Version::kV3_1), Severity::kUnknown);
}

TEST(CvssSeverity, FromParsedVectors) {
  auto sev = [](const char* v) {
    auto s = Parse(v);
    EXPECT_TRUE(s) << v;
    return s ? FromCvss(*s) : Severity::kUnknown;
  };
  EXPECT_EQ(sev("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), Severity::kCritical);      // 9.8
  EXPECT_EQ(sev("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"), Severity::kHigh);          // 7.5
  EXPECT_EQ(sev("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"), Severity::kMedium);        // 6.1
  EXPECT_EQ(sev("CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N"), Severity::kLow);           // 3.1
  EXPECT_EQ(sev("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"), Severity::kNone);          // 0.0
  EXPECT_EQ(sev("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U"), Severity::kHigh);  // 7.8: uses overall
  EXPECT_EQ(sev("AV:N/AC:L/Au:N/C:C/I:C/A:C"), Severity::kHigh);                            // v2 10.0
  EXPECT_EQ(sev("AV:N/AC:L/Au:N/C:N/I:N/A:N"), Severity::kLow);                             // v2 0.0
  EXPECT_EQ(sev("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"), Severity::kCritical);      // 9.3
  EXPECT_EQ(sev("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U"), Severity::kHigh);      // 8.1
}

TEST(CvssSeverity, VendorWords) {
  struct Case {
    const char* word;
    Severity severity;
  };
  const Case cases[] = {
      {"CRITICAL", Severity::kCritical}, {"critical", Severity::kCritical},  {"Critical", Severity::kCritical},
      {"HIGH", Severity::kHigh},         {"important", Severity::kHigh},     {"Important", Severity::kHigh},
      {"MEDIUM", Severity::kMedium},     {"moderate", Severity::kMedium},    {"MODERATE", Severity::kMedium},
      {"LOW", Severity::kLow},           {"negligible", Severity::kLow},     {"unimportant", Severity::kLow},
      {"NONE", Severity::kNone},         {"info", Severity::kNone},          {"informational", Severity::kNone},
      {"UNKNOWN", Severity::kUnknown},   {"untriaged", Severity::kUnknown},  {"not yet assigned", Severity::kUnknown},
      {"unspecified", Severity::kUnknown}, {"  high\n", Severity::kHigh},
  };
  for (const Case& c : cases) {
    auto s = ParseSeverity(c.word);
    ASSERT_TRUE(s) << "'" << c.word << "'";
    EXPECT_EQ(*s, c.severity) << "'" << c.word << "'";
  }
  for (const char* word : {"", "   ", "end-of-life", "severe", "hi", "7.5", "critical!", "low low"})
    EXPECT_FALSE(ParseSeverity(word)) << "'" << word << "'";
}

TEST(CvssSeverity, NamesRoundTripAndOrder) {
  const Severity all[] = {Severity::kUnknown, Severity::kNone, Severity::kLow,
                          Severity::kMedium,  Severity::kHigh, Severity::kCritical};
  const char* names[] = {"UNKNOWN", "NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL"};
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(Name(all[i]), names[i]);
    EXPECT_EQ(ParseSeverity(Name(all[i])), all[i]);
    if (i > 0) EXPECT_LT(all[i - 1], all[i]);  // ascending: thresholds compare with <
  }
}

}  // namespace
}  // namespace customs::cvss
