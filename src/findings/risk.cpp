#include "findings/risk.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace customs {

double SeverityStandInScore(Severity s) {
  switch (s) {
    case Severity::kCritical: return 9.5;
    case Severity::kHigh: return 8.0;
    case Severity::kMedium: return 5.5;
    case Severity::kLow: return 2.0;
    case Severity::kNone: return 0.0;
    default: return 5.0;
  }
}

std::string FormatProbability(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.5f", p);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s.empty() ? "0" : s;
}

RiskScore Risk(const VulnFinding& f) {
  RiskScore r;
  const CvssEntry* used = nullptr;
  if (!f.severity_vector.empty())
    for (const auto& c : f.cvss)
      if (c.vector == f.severity_vector) {
        used = &c;
        break;
      }
  if (used) {
    r.impact = used->score;
    r.impact_from = "cvss";
  } else if (f.severity != Severity::kUnknown) {
    r.impact = SeverityStandInScore(f.severity);
    r.impact_from = "severity";
  } else {
    r.impact = SeverityStandInScore(Severity::kUnknown);
    r.impact_from = "unknown";
    r.missing.push_back("severity");
  }
  if (f.kev) {
    r.exploitation = 1;
    r.exploitation_from = "kev";
  } else if (f.epss) {
    r.exploitation = std::clamp(*f.epss, 0.0, 1.0);
    r.exploitation_from = "epss";
  } else {
    r.exploitation_from = "none";
    r.missing.push_back("epss");
  }
  r.fix = !f.fixed_version.empty();
  const double raw = 60 * std::clamp(r.impact, 0.0, 10.0) / 10 + 30 * r.exploitation + (r.fix ? 10 : 0);
  r.score = static_cast<int>(std::lround(std::clamp(raw, 0.0, 100.0)));
  return r;
}

}  // namespace customs
