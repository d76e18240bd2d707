// Qualitative severity: one scale for CVSS scores and for the words vendors put on advisories.
//
// The scale is CVSS v3/v4's ("Qualitative Severity Rating Scale", v3.1 section 5, v4.0 section 6),
// plus UNKNOWN for "no usable rating". The enumerators are in ascending order, so `a < b` compares
// severities (UNKNOWN lowest).
//
// NONE is kept as its own level (CVSS 0.0 is "None" in v3/v4, CycloneDX has "none"), rather than
// folded into LOW (which would overstate it) or UNKNOWN (which would lose that it *was* rated). A
// report that wants Trivy's five levels can show NONE as it shows LOW.
//
// From CVSS scores (FromCvss / FromCvssScore):
//   v3.0, v3.1, v4.0   0.0 NONE, 0.1-3.9 LOW, 4.0-6.9 MEDIUM, 7.0-8.9 HIGH, 9.0-10.0 CRITICAL
//   v2.0               NVD's v2 ranges (v2 itself defines none): 0.0-3.9 LOW, 4.0-6.9 MEDIUM,
//                      7.0-10.0 HIGH
//
// From vendor words (ParseSeverity; case-insensitive, surrounding whitespace ignored):
//   word                 used by                                                        severity
//   critical             CVSS, NVD, GitHub, Red Hat, SUSE, Ubuntu, Amazon, Oracle, MS   CRITICAL
//   high                 CVSS, NVD, GitHub, Debian, Ubuntu                              HIGH
//   important            Red Hat, SUSE, Amazon Linux, Oracle Linux, Microsoft           HIGH
//   medium               CVSS, NVD, Debian, Ubuntu, Amazon Linux                        MEDIUM
//   moderate             GitHub (GHSA "MODERATE"), Red Hat, SUSE, Oracle, Microsoft, npm MEDIUM
//   low                  everyone                                                       LOW
//   negligible           Ubuntu (also Grype)                                            LOW
//   unimportant          Debian security tracker                                        LOW
//   none                 CVSS v3/v4                                                     NONE
//   info, informational  npm audit "info", CycloneDX "info": no security impact         NONE
//   unknown              Trivy, Grype, CycloneDX                                        UNKNOWN
//   untriaged            Ubuntu (not yet rated)                                         UNKNOWN
//   not yet assigned     Debian security tracker (not yet rated)                        UNKNOWN
//   unspecified          (generic "no rating")                                          UNKNOWN
// LOW/UNIMPORTANT/NEGLIGIBLE map as Trivy maps them (Debian "unimportant" and Ubuntu "negligible"
// to LOW). Any other word (Debian's "end-of-life", an empty string, a number) is nullopt: the
// caller decides, typically falling back to a CVSS score or UNKNOWN.
#pragma once

#include <optional>
#include <string_view>

#include "cvss/cvss.h"

namespace customs::cvss {

enum class Severity { kUnknown, kNone, kLow, kMedium, kHigh, kCritical };

// The severity of a score on the scale of `version` (see above). The score is rounded to one decimal
// first; out-of-range scores are clamped to [0, 10].
Severity FromCvssScore(double score, Version version);
// The severity of `s.overall` on the scale of its version.
Severity FromCvss(const Score& s);

// A vendor's severity word (see the table above); nullopt when not known.
std::optional<Severity> ParseSeverity(std::string_view word);

// "UNKNOWN", "NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL".
std::string_view Name(Severity s);

}  // namespace customs::cvss
