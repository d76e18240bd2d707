// CVSS v2.0 (FIRST, "A Complete Guide to the Common Vulnerability Scoring System Version 2.0"), plus
// what every version shares: the METRIC:VALUE splitter and the Parse() dispatcher on the prefix
// (a vector with no "CVSS:x.y/" prefix is v2, as NVD and OSV write those).
#include <algorithm>
#include <cmath>
#include <iterator>
#include <string>

#include "cvss/cvss.h"

namespace customs::cvss {

namespace detail {

bool ParseMetrics(std::string_view body, const MetricDef* defs, int n, int* chosen, std::string* error) {
  auto fail = [&](std::string why) {
    if (error) *error = std::move(why);
    return false;
  };
  for (int i = 0; i < n; ++i) chosen[i] = -1;
  if (body.empty()) return fail("empty vector: no metrics");
  size_t pos = 0;
  int index = 0;
  while (true) {
    ++index;
    size_t slash = body.find('/', pos);
    std::string_view comp = body.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos);
    if (comp.empty()) return fail("empty component #" + std::to_string(index) + " (stray '/')");
    size_t colon = comp.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == comp.size() ||
        comp.find(':', colon + 1) != std::string_view::npos)
      return fail("component '" + std::string(comp) + "' is not METRIC:VALUE");
    std::string_view name = comp.substr(0, colon);
    std::string_view value = comp.substr(colon + 1);
    int m = -1;
    for (int i = 0; i < n; ++i)
      if (defs[i].name == name) m = i;
    if (m < 0) return fail("unknown metric '" + std::string(name) + "'");
    if (chosen[m] >= 0) return fail("duplicate metric '" + std::string(name) + "'");
    int v = -1;
    for (int j = 0; j < defs[m].value_count; ++j)
      if (defs[m].values[j] == value) v = j;
    if (v < 0) {
      std::string allowed;
      for (int j = 0; j < defs[m].value_count; ++j) {
        if (j) allowed += ", ";
        allowed += defs[m].values[j];
      }
      return fail("invalid value '" + std::string(value) + "' for metric '" + std::string(name) + "' (expected one of " +
                  allowed + ")");
    }
    chosen[m] = v;
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  for (int i = 0; i < n; ++i)
    if (defs[i].mandatory && chosen[i] < 0) return fail("missing base metric '" + std::string(defs[i].name) + "'");
  return true;
}

double RoundV2(double x) {
  // round_to_1_decimal, half up, on the value taken exact to 5 decimals.
  double fifth = std::round(x * 100000.0);
  return std::floor((fifth + 5000.0) / 10000.0) / 10.0;
}

namespace {

// Metric table of the v2 guide, section 2.4 (Table 13), in that order. The value order of each
// metric matches the weight arrays below.
constexpr std::string_view kAV[] = {"L", "A", "N"};
constexpr std::string_view kAC[] = {"H", "M", "L"};
constexpr std::string_view kAu[] = {"M", "S", "N"};
constexpr std::string_view kImpact[] = {"N", "P", "C"};
constexpr std::string_view kE[] = {"U", "POC", "F", "H", "ND"};
constexpr std::string_view kRL[] = {"OF", "TF", "W", "U", "ND"};
constexpr std::string_view kRC[] = {"UC", "UR", "C", "ND"};
constexpr std::string_view kCDP[] = {"N", "L", "LM", "MH", "H", "ND"};
constexpr std::string_view kTD[] = {"N", "L", "M", "H", "ND"};
constexpr std::string_view kReq[] = {"L", "M", "H", "ND"};

#define CUSTOMS_CVSS_DEF(name, values, mandatory) \
  MetricDef { name, values, static_cast<int>(std::size(values)), mandatory }
const MetricDef kDefs[] = {
    CUSTOMS_CVSS_DEF("AV", kAV, true),      CUSTOMS_CVSS_DEF("AC", kAC, true),
    CUSTOMS_CVSS_DEF("Au", kAu, true),      CUSTOMS_CVSS_DEF("C", kImpact, true),
    CUSTOMS_CVSS_DEF("I", kImpact, true),   CUSTOMS_CVSS_DEF("A", kImpact, true),
    CUSTOMS_CVSS_DEF("E", kE, false),       CUSTOMS_CVSS_DEF("RL", kRL, false),
    CUSTOMS_CVSS_DEF("RC", kRC, false),     CUSTOMS_CVSS_DEF("CDP", kCDP, false),
    CUSTOMS_CVSS_DEF("TD", kTD, false),     CUSTOMS_CVSS_DEF("CR", kReq, false),
    CUSTOMS_CVSS_DEF("IR", kReq, false),    CUSTOMS_CVSS_DEF("AR", kReq, false),
};
#undef CUSTOMS_CVSS_DEF
enum { AV, AC, Au, C, I, A, E, RL, RC, CDP, TD, CR, IR, AR, kCount };

// Weights, section 3.2.4 ("Metric Values").
constexpr double kWAV[] = {0.395, 0.646, 1.0};
constexpr double kWAC[] = {0.35, 0.61, 0.71};
constexpr double kWAu[] = {0.45, 0.56, 0.704};
constexpr double kWImpact[] = {0.0, 0.275, 0.660};
constexpr double kWE[] = {0.85, 0.9, 0.95, 1.0, 1.0};
constexpr double kWRL[] = {0.87, 0.90, 0.95, 1.0, 1.0};
constexpr double kWRC[] = {0.90, 0.95, 1.0, 1.0};
constexpr double kWCDP[] = {0.0, 0.1, 0.3, 0.4, 0.5, 0.0};
constexpr double kWTD[] = {0.0, 0.25, 0.75, 1.0, 1.0};
constexpr double kWReq[] = {0.5, 1.0, 1.51, 1.0};

// The base equation (3.2.1) for a given impact: round_to_1_decimal(((0.6*Impact)+(0.4*Exploitability)
// -1.5)*f(Impact)), f(Impact) = 0 if Impact = 0, 1.176 otherwise.
double BaseEquation(double impact, double exploitability) {
  double f = impact == 0.0 ? 0.0 : 1.176;
  double v = RoundV2(((0.6 * impact) + (0.4 * exploitability) - 1.5) * f);
  return v < 0 ? 0.0 : v;  // only -0.0 can come out; normalise it
}

}  // namespace

std::optional<Score> ParseV2(std::string_view body, std::string* error) {
  int ch[kCount];
  if (!ParseMetrics(body, kDefs, kCount, ch, error)) {
    // A v3/v4 vector that lost its prefix fails on its first non-v2 metric: say so.
    if (error && (body.find("PR:") != std::string_view::npos || body.find("AT:") != std::string_view::npos ||
                  body.find("S:U") != std::string_view::npos || body.find("S:C") != std::string_view::npos))
      *error += " (a v3/v4 vector needs its \"CVSS:3.1/\", \"CVSS:3.0/\" or \"CVSS:4.0/\" prefix)";
    return std::nullopt;
  }
  // Not defined: absent or ND (always the last value of a non-base metric).
  auto defined = [&](int m) { return ch[m] >= 0 && kDefs[m].values[ch[m]] != "ND"; };
  auto w = [&](const double* weights, int m, int absent) { return weights[ch[m] >= 0 ? ch[m] : absent]; };

  Score s;
  s.version = Version::kV2;
  s.vector = std::string(body);

  // 3.2.1 Base equation.
  const double c = kWImpact[ch[C]], i = kWImpact[ch[I]], a = kWImpact[ch[A]];
  const double impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a));
  const double exploitability = 20 * kWAV[ch[AV]] * kWAC[ch[AC]] * kWAu[ch[Au]];
  s.base = BaseEquation(impact, exploitability);

  // 3.2.2 Temporal equation.
  const double e = w(kWE, E, 4), rl = w(kWRL, RL, 4), rc = w(kWRC, RC, 3);
  if (defined(E) || defined(RL) || defined(RC)) s.temporal = RoundV2(s.base * e * rl * rc);

  // 3.2.3 Environmental equation: the temporal score recomputed with the base equation's impact
  // replaced by AdjustedImpact = min(10, 10.41*(1-(1-C*CR)*(1-I*IR)*(1-A*AR))).
  if (defined(CDP) || defined(TD) || defined(CR) || defined(IR) || defined(AR)) {
    const double cr = w(kWReq, CR, 3), ir = w(kWReq, IR, 3), ar = w(kWReq, AR, 3);
    const double adjusted_impact =
        std::min(10.0, 10.41 * (1 - (1 - c * cr) * (1 - i * ir) * (1 - a * ar)));
    const double adjusted_base = BaseEquation(adjusted_impact, exploitability);
    const double adjusted_temporal = RoundV2(adjusted_base * e * rl * rc);
    const double cdp = w(kWCDP, CDP, 5), td = w(kWTD, TD, 4);
    s.environmental = RoundV2((adjusted_temporal + (10 - adjusted_temporal) * cdp) * td);
  }
  s.overall = s.environmental ? *s.environmental : s.temporal ? *s.temporal : s.base;
  return s;
}

}  // namespace detail

std::string_view VersionName(Version v) {
  switch (v) {
    case Version::kV2: return "2.0";
    case Version::kV3_0: return "3.0";
    case Version::kV3_1: return "3.1";
    case Version::kV4_0: return "4.0";
  }
  return "";
}

std::string_view Nomenclature(const Score& s) {
  if (s.version != Version::kV4_0) return "";
  if (s.v4_threat && s.v4_environmental) return "CVSS-BTE";
  if (s.v4_threat) return "CVSS-BT";
  if (s.v4_environmental) return "CVSS-BE";
  return "CVSS-B";
}

namespace {
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
}  // namespace

std::optional<Score> Parse(std::string_view vector, std::string* error) {
  while (!vector.empty() && IsSpace(vector.front())) vector.remove_prefix(1);
  while (!vector.empty() && IsSpace(vector.back())) vector.remove_suffix(1);
  if (vector.empty()) {
    if (error) *error = "empty vector";
    return std::nullopt;
  }
  if (vector.substr(0, 5) == "CVSS:") {
    size_t slash = vector.find('/');
    std::string_view version = vector.substr(5, slash == std::string_view::npos ? std::string_view::npos : slash - 5);
    std::string_view body = slash == std::string_view::npos ? std::string_view() : vector.substr(slash + 1);
    const bool known = version == "2.0" || version == "3.0" || version == "3.1" || version == "4.0";
    if (known && slash == std::string_view::npos) {
      if (error) *error = "no metrics after the \"CVSS:" + std::string(version) + "\" prefix";
      return std::nullopt;
    }
    if (version == "3.1") return detail::ParseV3(body, Version::kV3_1, error);
    if (version == "3.0") return detail::ParseV3(body, Version::kV3_0, error);
    if (version == "4.0") return detail::ParseV4(body, error);
    if (version == "2.0") return detail::ParseV2(body, error);  // v2 is kept in NVD's prefix-less form
    if (error)
      *error = version.empty() ? "\"CVSS:\" prefix without a version"
                               : "unsupported CVSS version '" + std::string(version.substr(0, 16)) +
                                     "' (known: 2.0, 3.0, 3.1, 4.0)";
    return std::nullopt;
  }
  if (vector.front() == '(') {
    if (vector.back() != ')') {
      if (error) *error = "unbalanced parenthesis: '(' without closing ')'";
      return std::nullopt;
    }
    vector = vector.substr(1, vector.size() - 2);
  }
  return detail::ParseV2(vector, error);
}

}  // namespace customs::cvss
