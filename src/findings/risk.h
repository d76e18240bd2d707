// The risk score of a vulnerability finding: one number, 0-100, for ordering work. docs/risk.md is
// the user-facing definition; keep the two in step.
//
//   risk = round(60 * impact + 30 * exploitation + 10 * fix)
//
//   impact        the CVSS base score of the vector that gave the severity, / 10; when the severity
//                 came from a rating word, the middle of that severity's band (CRITICAL 9.5, HIGH
//                 8.0, MEDIUM 5.5, LOW 2.0, NONE 0) / 10; UNKNOWN counts 5.0 and is named missing.
//   exploitation  1 when the CVE is in CISA's KEV catalog; else FIRST's EPSS probability (0..1);
//                 else 0, and "epss" is named missing (the score is then a lower bound).
//   fix           1 when a fixed version exists: the finding can be acted on now.
#pragma once

#include <string>
#include <vector>

#include "findings/findings.h"

namespace customs {

struct RiskScore {
  int score = 0;               // 0..100
  double impact = 0;           // 0..10: the CVSS base score used
  std::string impact_from;     // "cvss" (severity_vector), "severity" (a rating word), "unknown"
  double exploitation = 0;     // 0..1
  std::string exploitation_from;  // "kev", "epss", "none"
  bool fix = false;
  std::vector<std::string> missing;  // inputs the database did not have: "severity", "epss"
};

RiskScore Risk(const VulnFinding& f);

// The score that stands for a severity when no CVSS score gave it: the middle of the band (as
// GitHub's security-severity bands, and Trivy, use them).
double SeverityStandInScore(Severity s);

// A probability (EPSS) as text: up to 5 decimals, no trailing zeros ("0.97565", "0.1", "0").
std::string FormatProbability(double p);

}  // namespace customs
