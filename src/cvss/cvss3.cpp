// CVSS v3.0 and v3.1 (FIRST, "CVSS v3.0 Specification Document" section 8 and "CVSS v3.1
// Specification Document" section 7). The two share metrics and weights; they differ in Roundup
// (v3.1 Appendix A) and in the Modified Impact equation for a changed modified scope.
#include <algorithm>
#include <cmath>
#include <iterator>
#include <string>

#include "cvss/cvss.h"

namespace customs::cvss {

namespace detail {

double RoundUpV30(double x) { return std::ceil(x * 10.0) / 10.0; }

double RoundUpV31(double x) {
  // Appendix A: work on the input as an integer of 1/100000ths so that floating point noise such as
  // 4.000000000000001 does not round up to 4.1.
  const long long int_input = std::llround(x * 100000.0);
  if (int_input % 10000 == 0) return static_cast<double>(int_input) / 100000.0;
  return static_cast<double>(int_input / 10000 + 1) / 10.0;  // int_input >= 0 here: floor is truncation
}

namespace {

// Metrics of section 6 (Table 15 in v3.1), in that order. Value order matches the weight arrays.
// "X" (Not Defined) is always the first value of a non-base metric.
constexpr std::string_view kAV[] = {"N", "A", "L", "P"};
constexpr std::string_view kAC[] = {"L", "H"};
constexpr std::string_view kPR[] = {"N", "L", "H"};
constexpr std::string_view kUI[] = {"N", "R"};
constexpr std::string_view kS[] = {"U", "C"};
constexpr std::string_view kCIA[] = {"H", "L", "N"};
constexpr std::string_view kE[] = {"X", "H", "F", "P", "U"};
constexpr std::string_view kRL[] = {"X", "U", "W", "T", "O"};
constexpr std::string_view kRC[] = {"X", "C", "R", "U"};
constexpr std::string_view kReq[] = {"X", "H", "M", "L"};
constexpr std::string_view kMAV[] = {"X", "N", "A", "L", "P"};
constexpr std::string_view kMAC[] = {"X", "L", "H"};
constexpr std::string_view kMPR[] = {"X", "N", "L", "H"};
constexpr std::string_view kMUI[] = {"X", "N", "R"};
constexpr std::string_view kMS[] = {"X", "U", "C"};
constexpr std::string_view kMCIA[] = {"X", "H", "L", "N"};

#define CUSTOMS_CVSS_DEF(name, values, mandatory) \
  MetricDef { name, values, static_cast<int>(std::size(values)), mandatory }
const MetricDef kDefs[] = {
    CUSTOMS_CVSS_DEF("AV", kAV, true),    CUSTOMS_CVSS_DEF("AC", kAC, true),    CUSTOMS_CVSS_DEF("PR", kPR, true),
    CUSTOMS_CVSS_DEF("UI", kUI, true),    CUSTOMS_CVSS_DEF("S", kS, true),      CUSTOMS_CVSS_DEF("C", kCIA, true),
    CUSTOMS_CVSS_DEF("I", kCIA, true),    CUSTOMS_CVSS_DEF("A", kCIA, true),    CUSTOMS_CVSS_DEF("E", kE, false),
    CUSTOMS_CVSS_DEF("RL", kRL, false),   CUSTOMS_CVSS_DEF("RC", kRC, false),   CUSTOMS_CVSS_DEF("CR", kReq, false),
    CUSTOMS_CVSS_DEF("IR", kReq, false),  CUSTOMS_CVSS_DEF("AR", kReq, false),  CUSTOMS_CVSS_DEF("MAV", kMAV, false),
    CUSTOMS_CVSS_DEF("MAC", kMAC, false), CUSTOMS_CVSS_DEF("MPR", kMPR, false), CUSTOMS_CVSS_DEF("MUI", kMUI, false),
    CUSTOMS_CVSS_DEF("MS", kMS, false),   CUSTOMS_CVSS_DEF("MC", kMCIA, false), CUSTOMS_CVSS_DEF("MI", kMCIA, false),
    CUSTOMS_CVSS_DEF("MA", kMCIA, false),
};
#undef CUSTOMS_CVSS_DEF
enum { AV, AC, PR, UI, S, C, I, A, E, RL, RC, CR, IR, AR, MAV, MAC, MPR, MUI, MS, MC, MI, MA, kCount };

// Weights, section 7.4 (v3.1) / 8.4 (v3.0), indexed like the value arrays above (base metrics; the
// modified metrics use the same arrays after dropping their leading X).
constexpr double kWAV[] = {0.85, 0.62, 0.55, 0.2};
constexpr double kWAC[] = {0.77, 0.44};
constexpr double kWPRUnchanged[] = {0.85, 0.62, 0.27};
constexpr double kWPRChanged[] = {0.85, 0.68, 0.5};
constexpr double kWUI[] = {0.85, 0.62};
constexpr double kWCIA[] = {0.56, 0.22, 0.0};
constexpr double kWE[] = {1.0, 1.0, 0.97, 0.94, 0.91};
constexpr double kWRL[] = {1.0, 1.0, 0.97, 0.96, 0.95};
constexpr double kWRC[] = {1.0, 1.0, 0.96, 0.92};
constexpr double kWReq[] = {1.0, 1.5, 1.0, 0.5};

}  // namespace

std::optional<Score> ParseV3(std::string_view body, Version version, std::string* error) {
  int ch[kCount];
  if (!ParseMetrics(body, kDefs, kCount, ch, error)) return std::nullopt;
  const bool v31 = version == Version::kV3_1;
  auto roundup = [&](double x) { return v31 ? RoundUpV31(x) : RoundUpV30(x); };
  // Absent and X are the same: index 0 of every non-base metric.
  auto opt = [&](int m) { return ch[m] < 0 ? 0 : ch[m]; };
  // The value of a modified metric, falling back to its base metric (as an index into the base
  // metric's value array).
  auto modified = [&](int mm, int base) { return opt(mm) == 0 ? ch[base] : opt(mm) - 1; };

  Score s;
  s.version = version;
  s.vector = "CVSS:" + std::string(VersionName(version)) + "/" + std::string(body);

  // Base (7.1).
  const bool changed = ch[S] == 1;
  const double iss = 1 - ((1 - kWCIA[ch[C]]) * (1 - kWCIA[ch[I]]) * (1 - kWCIA[ch[A]]));
  const double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  const double exploitability =
      8.22 * kWAV[ch[AV]] * kWAC[ch[AC]] * (changed ? kWPRChanged : kWPRUnchanged)[ch[PR]] * kWUI[ch[UI]];
  if (impact <= 0)
    s.base = 0;
  else if (changed)
    s.base = roundup(std::min(1.08 * (impact + exploitability), 10.0));
  else
    s.base = roundup(std::min(impact + exploitability, 10.0));

  // Temporal (7.2).
  const double e = kWE[opt(E)], rl = kWRL[opt(RL)], rc = kWRC[opt(RC)];
  if (opt(E) || opt(RL) || opt(RC)) s.temporal = roundup(s.base * e * rl * rc);

  // Environmental (7.3).
  bool env = false;
  for (int m = CR; m <= MA; ++m) env = env || opt(m) != 0;
  if (env) {
    const bool mchanged = modified(MS, S) == 1;
    const double miss =
        std::min(1 - (1 - kWReq[opt(CR)] * kWCIA[modified(MC, C)]) * (1 - kWReq[opt(IR)] * kWCIA[modified(MI, I)]) *
                         (1 - kWReq[opt(AR)] * kWCIA[modified(MA, A)]),
                 0.915);
    double mimpact;
    if (!mchanged)
      mimpact = 6.42 * miss;
    else if (v31)
      mimpact = 7.52 * (miss - 0.029) - 3.25 * std::pow(miss * 0.9731 - 0.02, 13);
    else
      mimpact = 7.52 * (miss - 0.029) - 3.25 * std::pow(miss - 0.02, 15);
    const double mexploitability = 8.22 * kWAV[modified(MAV, AV)] * kWAC[modified(MAC, AC)] *
                                   (mchanged ? kWPRChanged : kWPRUnchanged)[modified(MPR, PR)] *
                                   kWUI[modified(MUI, UI)];
    if (mimpact <= 0)
      s.environmental = 0.0;
    else if (mchanged)
      s.environmental = roundup(roundup(std::min(1.08 * (mimpact + mexploitability), 10.0)) * e * rl * rc);
    else
      s.environmental = roundup(roundup(std::min(mimpact + mexploitability, 10.0)) * e * rl * rc);
  }
  s.overall = s.environmental ? *s.environmental : s.temporal ? *s.temporal : s.base;
  return s;
}

}  // namespace detail

}  // namespace customs::cvss
