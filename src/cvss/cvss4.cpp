// CVSS v4.0 (FIRST, "Common Vulnerability Scoring System Version 4.0: Specification Document",
// section 8 "CVSS v4.0 Scoring"). A vector is scored in three steps:
//  1. its MacroVector: six equivalence-class levels EQ1..EQ6 of its (effective) metric values;
//  2. the MacroVector's score, from the table of expert-assigned scores FIRST publishes with the
//     specification (kMacroVectorScores below);
//  3. an interpolation inside the MacroVector: for each EQ, the severity distance of the vector from
//     the MacroVector's highest severity vector, as a proportion of the MacroVector's depth, times the
//     score gap to the next lower MacroVector; the mean of those is subtracted from the table score.
// The arithmetic follows FIRST's reference calculator step for step (levels in steps of 0.1, the same
// order of operations, round half up after adding 1e-6) so that scores agree with it to the digit.
#include <cmath>
#include <initializer_list>
#include <iterator>
#include <string>

#include "cvss/cvss.h"

namespace customs::cvss {

namespace detail {

namespace {

// Metrics of section 7 (Table 23: Base, Threat, Environmental, Supplemental), in that order. "X"
// (Not Defined) is the first value of every non-base metric.
constexpr std::string_view kAV[] = {"N", "A", "L", "P"};
constexpr std::string_view kAC[] = {"L", "H"};
constexpr std::string_view kAT[] = {"N", "P"};
constexpr std::string_view kPR[] = {"N", "L", "H"};
constexpr std::string_view kUI[] = {"N", "P", "A"};
constexpr std::string_view kImpact[] = {"H", "L", "N"};
constexpr std::string_view kE[] = {"X", "A", "P", "U"};
constexpr std::string_view kReq[] = {"X", "H", "M", "L"};
constexpr std::string_view kMAV[] = {"X", "N", "A", "L", "P"};
constexpr std::string_view kMAC[] = {"X", "L", "H"};
constexpr std::string_view kMAT[] = {"X", "N", "P"};
constexpr std::string_view kMPR[] = {"X", "N", "L", "H"};
constexpr std::string_view kMUI[] = {"X", "N", "P", "A"};
constexpr std::string_view kMImpact[] = {"X", "H", "L", "N"};
constexpr std::string_view kMSafety[] = {"X", "S", "H", "L", "N"};  // MSI, MSA: S = Safety
constexpr std::string_view kS[] = {"X", "N", "P"};
constexpr std::string_view kAU[] = {"X", "N", "Y"};
constexpr std::string_view kR[] = {"X", "A", "U", "I"};
constexpr std::string_view kV[] = {"X", "D", "C"};
constexpr std::string_view kRE[] = {"X", "L", "M", "H"};
constexpr std::string_view kU[] = {"X", "Clear", "Green", "Amber", "Red"};

#define CUSTOMS_CVSS_DEF(name, values, mandatory) \
  MetricDef { name, values, static_cast<int>(std::size(values)), mandatory }
const MetricDef kDefs[] = {
    // Base
    CUSTOMS_CVSS_DEF("AV", kAV, true), CUSTOMS_CVSS_DEF("AC", kAC, true), CUSTOMS_CVSS_DEF("AT", kAT, true),
    CUSTOMS_CVSS_DEF("PR", kPR, true), CUSTOMS_CVSS_DEF("UI", kUI, true), CUSTOMS_CVSS_DEF("VC", kImpact, true),
    CUSTOMS_CVSS_DEF("VI", kImpact, true), CUSTOMS_CVSS_DEF("VA", kImpact, true),
    CUSTOMS_CVSS_DEF("SC", kImpact, true), CUSTOMS_CVSS_DEF("SI", kImpact, true),
    CUSTOMS_CVSS_DEF("SA", kImpact, true),
    // Threat
    CUSTOMS_CVSS_DEF("E", kE, false),
    // Environmental
    CUSTOMS_CVSS_DEF("CR", kReq, false), CUSTOMS_CVSS_DEF("IR", kReq, false), CUSTOMS_CVSS_DEF("AR", kReq, false),
    CUSTOMS_CVSS_DEF("MAV", kMAV, false), CUSTOMS_CVSS_DEF("MAC", kMAC, false),
    CUSTOMS_CVSS_DEF("MAT", kMAT, false), CUSTOMS_CVSS_DEF("MPR", kMPR, false),
    CUSTOMS_CVSS_DEF("MUI", kMUI, false), CUSTOMS_CVSS_DEF("MVC", kMImpact, false),
    CUSTOMS_CVSS_DEF("MVI", kMImpact, false), CUSTOMS_CVSS_DEF("MVA", kMImpact, false),
    CUSTOMS_CVSS_DEF("MSC", kMImpact, false), CUSTOMS_CVSS_DEF("MSI", kMSafety, false),
    CUSTOMS_CVSS_DEF("MSA", kMSafety, false),
    // Supplemental (no effect on the score)
    CUSTOMS_CVSS_DEF("S", kS, false), CUSTOMS_CVSS_DEF("AU", kAU, false), CUSTOMS_CVSS_DEF("R", kR, false),
    CUSTOMS_CVSS_DEF("V", kV, false), CUSTOMS_CVSS_DEF("RE", kRE, false), CUSTOMS_CVSS_DEF("U", kU, false),
};
#undef CUSTOMS_CVSS_DEF
enum {
  AV, AC, AT, PR, UI, VC, VI, VA, SC, SI, SA,  // base
  E,                                           // threat
  CR, IR, AR, MAV, MAC, MAT, MPR, MUI, MVC, MVI, MVA, MSC, MSI, MSA,  // environmental
  kSupplementalFirst, kCount = kSupplementalFirst + 6
};

// The MacroVector scores: the data FIRST publishes with the CVSS v4.0 specification (its reference
// calculator's cvss_lookup.js, FIRST / Red Hat, BSD-2-Clause; the same table is in the calculator at
// https://www.first.org/cvss/calculator/4.0), transcribed. Key: the levels EQ1 EQ2 EQ3 EQ4 EQ5 EQ6.
// 270 entries: every combination except EQ3=2 with EQ6=0, which cannot occur.
struct MacroVectorScore {
  char key[7];
  double score;
};
constexpr MacroVectorScore kMacroVectorScores[] = {
    {"000000", 10.0}, {"000001", 9.9}, {"000010", 9.8}, {"000011", 9.5}, {"000020", 9.5}, {"000021", 9.2},
    {"000100", 10.0}, {"000101", 9.6}, {"000110", 9.3}, {"000111", 8.7}, {"000120", 9.1}, {"000121", 8.1},
    {"000200", 9.3}, {"000201", 9.0}, {"000210", 8.9}, {"000211", 8.0}, {"000220", 8.1}, {"000221", 6.8},
    {"001000", 9.8}, {"001001", 9.5}, {"001010", 9.5}, {"001011", 9.2}, {"001020", 9.0}, {"001021", 8.4},
    {"001100", 9.3}, {"001101", 9.2}, {"001110", 8.9}, {"001111", 8.1}, {"001120", 8.1}, {"001121", 6.5},
    {"001200", 8.8}, {"001201", 8.0}, {"001210", 7.8}, {"001211", 7.0}, {"001220", 6.9}, {"001221", 4.8},
    {"002001", 9.2}, {"002011", 8.2}, {"002021", 7.2}, {"002101", 7.9}, {"002111", 6.9}, {"002121", 5.0},
    {"002201", 6.9}, {"002211", 5.5}, {"002221", 2.7}, {"010000", 9.9}, {"010001", 9.7}, {"010010", 9.5},
    {"010011", 9.2}, {"010020", 9.2}, {"010021", 8.5}, {"010100", 9.5}, {"010101", 9.1}, {"010110", 9.0},
    {"010111", 8.3}, {"010120", 8.4}, {"010121", 7.1}, {"010200", 9.2}, {"010201", 8.1}, {"010210", 8.2},
    {"010211", 7.1}, {"010220", 7.2}, {"010221", 5.3}, {"011000", 9.5}, {"011001", 9.3}, {"011010", 9.2},
    {"011011", 8.5}, {"011020", 8.5}, {"011021", 7.3}, {"011100", 9.2}, {"011101", 8.2}, {"011110", 8.0},
    {"011111", 7.2}, {"011120", 7.0}, {"011121", 5.9}, {"011200", 8.4}, {"011201", 7.0}, {"011210", 7.1},
    {"011211", 5.2}, {"011220", 5.0}, {"011221", 3.0}, {"012001", 8.6}, {"012011", 7.5}, {"012021", 5.2},
    {"012101", 7.1}, {"012111", 5.2}, {"012121", 2.9}, {"012201", 6.3}, {"012211", 2.9}, {"012221", 1.7},
    {"100000", 9.8}, {"100001", 9.5}, {"100010", 9.4}, {"100011", 8.7}, {"100020", 9.1}, {"100021", 8.1},
    {"100100", 9.4}, {"100101", 8.9}, {"100110", 8.6}, {"100111", 7.4}, {"100120", 7.7}, {"100121", 6.4},
    {"100200", 8.7}, {"100201", 7.5}, {"100210", 7.4}, {"100211", 6.3}, {"100220", 6.3}, {"100221", 4.9},
    {"101000", 9.4}, {"101001", 8.9}, {"101010", 8.8}, {"101011", 7.7}, {"101020", 7.6}, {"101021", 6.7},
    {"101100", 8.6}, {"101101", 7.6}, {"101110", 7.4}, {"101111", 5.8}, {"101120", 5.9}, {"101121", 5.0},
    {"101200", 7.2}, {"101201", 5.7}, {"101210", 5.7}, {"101211", 5.2}, {"101220", 5.2}, {"101221", 2.5},
    {"102001", 8.3}, {"102011", 7.0}, {"102021", 5.4}, {"102101", 6.5}, {"102111", 5.8}, {"102121", 2.6},
    {"102201", 5.3}, {"102211", 2.1}, {"102221", 1.3}, {"110000", 9.5}, {"110001", 9.0}, {"110010", 8.8},
    {"110011", 7.6}, {"110020", 7.6}, {"110021", 7.0}, {"110100", 9.0}, {"110101", 7.7}, {"110110", 7.5},
    {"110111", 6.2}, {"110120", 6.1}, {"110121", 5.3}, {"110200", 7.7}, {"110201", 6.6}, {"110210", 6.8},
    {"110211", 5.9}, {"110220", 5.2}, {"110221", 3.0}, {"111000", 8.9}, {"111001", 7.8}, {"111010", 7.6},
    {"111011", 6.7}, {"111020", 6.2}, {"111021", 5.8}, {"111100", 7.4}, {"111101", 5.9}, {"111110", 5.7},
    {"111111", 5.7}, {"111120", 4.7}, {"111121", 2.3}, {"111200", 6.1}, {"111201", 5.2}, {"111210", 5.7},
    {"111211", 2.9}, {"111220", 2.4}, {"111221", 1.6}, {"112001", 7.1}, {"112011", 5.9}, {"112021", 3.0},
    {"112101", 5.8}, {"112111", 2.6}, {"112121", 1.5}, {"112201", 2.3}, {"112211", 1.3}, {"112221", 0.6},
    {"200000", 9.3}, {"200001", 8.7}, {"200010", 8.6}, {"200011", 7.2}, {"200020", 7.5}, {"200021", 5.8},
    {"200100", 8.6}, {"200101", 7.4}, {"200110", 7.4}, {"200111", 6.1}, {"200120", 5.6}, {"200121", 3.4},
    {"200200", 7.0}, {"200201", 5.4}, {"200210", 5.2}, {"200211", 4.0}, {"200220", 4.0}, {"200221", 2.2},
    {"201000", 8.5}, {"201001", 7.5}, {"201010", 7.4}, {"201011", 5.5}, {"201020", 6.2}, {"201021", 5.1},
    {"201100", 7.2}, {"201101", 5.7}, {"201110", 5.5}, {"201111", 4.1}, {"201120", 4.6}, {"201121", 1.9},
    {"201200", 5.3}, {"201201", 3.6}, {"201210", 3.4}, {"201211", 1.9}, {"201220", 1.9}, {"201221", 0.8},
    {"202001", 6.4}, {"202011", 5.1}, {"202021", 2.0}, {"202101", 4.7}, {"202111", 2.1}, {"202121", 1.1},
    {"202201", 2.4}, {"202211", 0.9}, {"202221", 0.4}, {"210000", 8.8}, {"210001", 7.5}, {"210010", 7.3},
    {"210011", 5.3}, {"210020", 6.0}, {"210021", 5.0}, {"210100", 7.3}, {"210101", 5.5}, {"210110", 5.9},
    {"210111", 4.0}, {"210120", 4.1}, {"210121", 2.0}, {"210200", 5.4}, {"210201", 4.3}, {"210210", 4.5},
    {"210211", 2.2}, {"210220", 2.0}, {"210221", 1.1}, {"211000", 7.5}, {"211001", 5.5}, {"211010", 5.8},
    {"211011", 4.5}, {"211020", 4.0}, {"211021", 2.1}, {"211100", 6.1}, {"211101", 5.1}, {"211110", 4.8},
    {"211111", 1.8}, {"211120", 2.0}, {"211121", 0.9}, {"211200", 4.6}, {"211201", 1.8}, {"211210", 1.7},
    {"211211", 0.7}, {"211220", 0.8}, {"211221", 0.2}, {"212001", 5.3}, {"212011", 2.4}, {"212021", 1.4},
    {"212101", 2.4}, {"212111", 1.2}, {"212121", 0.5}, {"212201", 1.0}, {"212211", 0.3}, {"212221", 0.1},
};
static_assert(std::size(kMacroVectorScores) == 270);

// Scores by MacroVector, as an array indexed by the six levels; -1 where there is none (including
// levels one past the last, which "the next lower MacroVector" can ask for).
class MacroVectorTable {
 public:
  MacroVectorTable() {
    for (double& s : scores_) s = -1;
    for (const MacroVectorScore& m : kMacroVectorScores)
      At(m.key[0] - '0', m.key[1] - '0', m.key[2] - '0', m.key[3] - '0', m.key[4] - '0', m.key[5] - '0') = m.score;
  }
  // The score of a MacroVector, or -1 when it does not exist (any level out of its range).
  double Get(int eq1, int eq2, int eq3, int eq4, int eq5, int eq6) const {
    if (eq1 > 2 || eq2 > 1 || eq3 > 2 || eq4 > 2 || eq5 > 2 || eq6 > 1) return -1;
    return scores_[Index(eq1, eq2, eq3, eq4, eq5, eq6)];
  }

 private:
  static int Index(int eq1, int eq2, int eq3, int eq4, int eq5, int eq6) {
    return ((((eq1 * 2 + eq2) * 3 + eq3) * 3 + eq4) * 3 + eq5) * 2 + eq6;
  }
  double& At(int eq1, int eq2, int eq3, int eq4, int eq5, int eq6) { return scores_[Index(eq1, eq2, eq3, eq4, eq5, eq6)]; }
  double scores_[3 * 2 * 3 * 3 * 3 * 2];
};

const MacroVectorTable& Table() {
  static const MacroVectorTable table;
  return table;
}

// Severity levels of the metric values, in steps of 0.1 from the most severe value (section 8.2's
// "severity distance"; the reference calculator's values). SC starts at 0.1 because SI/SA have the
// extra, more severe Safety value.
double LevelAV(char v) { return v == 'N' ? 0.0 : v == 'A' ? 0.1 : v == 'L' ? 0.2 : 0.3; }
double LevelPR(char v) { return v == 'N' ? 0.0 : v == 'L' ? 0.1 : 0.2; }
double LevelUI(char v) { return v == 'N' ? 0.0 : v == 'P' ? 0.1 : 0.2; }
double LevelAC(char v) { return v == 'L' ? 0.0 : 0.1; }
double LevelAT(char v) { return v == 'N' ? 0.0 : 0.1; }
double LevelVuln(char v) { return v == 'H' ? 0.0 : v == 'L' ? 0.1 : 0.2; }        // VC, VI, VA
double LevelSubC(char v) { return v == 'H' ? 0.1 : v == 'L' ? 0.2 : 0.3; }        // SC
double LevelSubIA(char v) { return v == 'S' ? 0.0 : v == 'H' ? 0.1 : v == 'L' ? 0.2 : 0.3; }  // SI, SA
double LevelReq(char v) { return v == 'H' ? 0.0 : v == 'M' ? 0.1 : 0.2; }         // CR, IR, AR

// The effective value of every metric that scores: the modified metric when defined, else the base
// metric; E:X counts as E:A and CR/IR/AR:X as H (section 8: "the worst case").
struct Effective {
  char av, ac, at, pr, ui, vc, vi, va, sc, si, sa, e, cr, ir, ar;
};

// Highest severity vectors of each EQ level (section 8.2; the reference calculator's
// max_composed.js), as effective values.
struct Eq1Max { char av, pr, ui; };
struct Eq2Max { char ac, at; };
struct Eq3Eq6Max { char vc, vi, va, cr, ir, ar; };
struct Eq4Max { char sc, si, sa; };

struct Eq1Maxes { int n; Eq1Max v[3]; };
const Eq1Maxes kEq1Max[3] = {
    {1, {{'N', 'N', 'N'}}},
    {3, {{'A', 'N', 'N'}, {'N', 'L', 'N'}, {'N', 'N', 'P'}}},
    {2, {{'P', 'N', 'N'}, {'A', 'L', 'P'}}},
};
struct Eq2Maxes { int n; Eq2Max v[2]; };
const Eq2Maxes kEq2Max[2] = {
    {1, {{'L', 'N'}}},
    {2, {{'H', 'N'}, {'L', 'P'}}},
};
struct Eq3Eq6Maxes { int n; Eq3Eq6Max v[5]; };
const Eq3Eq6Maxes kEq3Eq6Max[3][2] = {
    {{1, {{'H', 'H', 'H', 'H', 'H', 'H'}}},                                    // EQ3 0, EQ6 0
     {2, {{'H', 'H', 'L', 'M', 'M', 'H'}, {'H', 'H', 'H', 'M', 'M', 'M'}}}},    // EQ3 0, EQ6 1
    {{2, {{'L', 'H', 'H', 'H', 'H', 'H'}, {'H', 'L', 'H', 'H', 'H', 'H'}}},    // EQ3 1, EQ6 0
     {5,
      {{'L', 'H', 'L', 'H', 'M', 'H'},
       {'L', 'H', 'H', 'H', 'M', 'M'},
       {'H', 'L', 'H', 'M', 'H', 'M'},
       {'H', 'L', 'L', 'M', 'H', 'H'},
       {'L', 'L', 'H', 'H', 'H', 'M'}}}},                                       // EQ3 1, EQ6 1
    {{0, {}},                                                                   // EQ3 2, EQ6 0: none
     {1, {{'L', 'L', 'L', 'H', 'H', 'H'}}}},                                    // EQ3 2, EQ6 1
};
const Eq4Max kEq4Max[3] = {{'H', 'S', 'S'}, {'H', 'H', 'H'}, {'L', 'L', 'L'}};

// Depth of each EQ level: its largest severity distance, plus one (the reference calculator's
// max_severity.js); EQ5 has none (its proportion is always 0).
const int kEq1Depth[3] = {1, 4, 5};
const int kEq2Depth[2] = {1, 2};
const int kEq3Eq6Depth[3][2] = {{7, 6}, {8, 8}, {0, 10}};
const int kEq4Depth[3] = {6, 5, 4};

double ScoreEffective(const Effective& m) {
  // No impact on either system: 0 whatever the rest.
  if (m.vc == 'N' && m.vi == 'N' && m.va == 'N' && m.sc == 'N' && m.si == 'N' && m.sa == 'N') return 0.0;

  // 1. The MacroVector (section 8.1, Tables 24-29).
  int eq1;
  if (m.av == 'N' && m.pr == 'N' && m.ui == 'N')
    eq1 = 0;
  else if ((m.av == 'N' || m.pr == 'N' || m.ui == 'N') && m.av != 'P')
    eq1 = 1;
  else
    eq1 = 2;
  const int eq2 = (m.ac == 'L' && m.at == 'N') ? 0 : 1;
  const int eq3 = (m.vc == 'H' && m.vi == 'H') ? 0 : (m.vc == 'H' || m.vi == 'H' || m.va == 'H') ? 1 : 2;
  const int eq4 = (m.si == 'S' || m.sa == 'S') ? 0 : (m.sc == 'H' || m.si == 'H' || m.sa == 'H') ? 1 : 2;
  const int eq5 = m.e == 'A' ? 0 : m.e == 'P' ? 1 : 2;
  const int eq6 = ((m.cr == 'H' && m.vc == 'H') || (m.ir == 'H' && m.vi == 'H') || (m.ar == 'H' && m.va == 'H')) ? 0 : 1;

  // 2. Its score.
  const MacroVectorTable& t = Table();
  double value = t.Get(eq1, eq2, eq3, eq4, eq5, eq6);

  // 3a. The next lower MacroVector of each EQ (-1: none). EQ3 and EQ6 move together: from (0,0)
  // either to (0,1) or to (1,0), whichever scores higher; (0,1) and (1,1) go to EQ3+1; (1,0) to
  // EQ6+1; (2,1) has none.
  const double lower_eq1 = t.Get(eq1 + 1, eq2, eq3, eq4, eq5, eq6);
  const double lower_eq2 = t.Get(eq1, eq2 + 1, eq3, eq4, eq5, eq6);
  double lower_eq3eq6;
  if (eq3 == 0 && eq6 == 0) {
    const double left = t.Get(eq1, eq2, eq3, eq4, eq5, eq6 + 1);
    const double right = t.Get(eq1, eq2, eq3 + 1, eq4, eq5, eq6);
    lower_eq3eq6 = left > right ? left : right;
  } else if (eq6 == 1) {
    lower_eq3eq6 = t.Get(eq1, eq2, eq3 + 1, eq4, eq5, eq6);  // (2,1) -> EQ3 3: none
  } else {
    lower_eq3eq6 = t.Get(eq1, eq2, eq3, eq4, eq5, eq6 + 1);
  }
  const double lower_eq4 = t.Get(eq1, eq2, eq3, eq4 + 1, eq5, eq6);
  const double lower_eq5 = t.Get(eq1, eq2, eq3, eq4, eq5 + 1, eq6);

  // 3b. The severity distances from the first of the MacroVector's highest severity vectors that the
  // vector does not exceed on any metric. The EQ parts are independent, so the first such composed
  // vector is made of each part's first such vector; were there none, the last composition would be
  // used (as the reference calculator does; it does not happen for valid vectors).
  auto ok = [](std::initializer_list<double> ds) {
    for (double d : ds)
      if (d < 0) return false;
    return true;
  };
  double d_av = 0, d_pr = 0, d_ui = 0, d_ac = 0, d_at = 0, d_vc = 0, d_vi = 0, d_va = 0, d_cr = 0, d_ir = 0, d_ar = 0,
         d_sc = 0, d_si = 0, d_sa = 0;
  auto eq1_dist = [&](const Eq1Max& x) {
    d_av = LevelAV(m.av) - LevelAV(x.av);
    d_pr = LevelPR(m.pr) - LevelPR(x.pr);
    d_ui = LevelUI(m.ui) - LevelUI(x.ui);
    return ok({d_av, d_pr, d_ui});
  };
  auto eq2_dist = [&](const Eq2Max& x) {
    d_ac = LevelAC(m.ac) - LevelAC(x.ac);
    d_at = LevelAT(m.at) - LevelAT(x.at);
    return ok({d_ac, d_at});
  };
  auto eq3eq6_dist = [&](const Eq3Eq6Max& x) {
    d_vc = LevelVuln(m.vc) - LevelVuln(x.vc);
    d_vi = LevelVuln(m.vi) - LevelVuln(x.vi);
    d_va = LevelVuln(m.va) - LevelVuln(x.va);
    d_cr = LevelReq(m.cr) - LevelReq(x.cr);
    d_ir = LevelReq(m.ir) - LevelReq(x.ir);
    d_ar = LevelReq(m.ar) - LevelReq(x.ar);
    return ok({d_vc, d_vi, d_va, d_cr, d_ir, d_ar});
  };
  auto eq4_dist = [&](const Eq4Max& x) {
    d_sc = LevelSubC(m.sc) - LevelSubC(x.sc);
    d_si = LevelSubIA(m.si) - LevelSubIA(x.si);
    d_sa = LevelSubIA(m.sa) - LevelSubIA(x.sa);
    return ok({d_sc, d_si, d_sa});
  };
  int i1 = 0, i2 = 0, i36 = 0;
  const Eq1Maxes& m1 = kEq1Max[eq1];
  const Eq2Maxes& m2 = kEq2Max[eq2];
  const Eq3Eq6Maxes& m36 = kEq3Eq6Max[eq3][eq6];
  while (i1 < m1.n && !eq1_dist(m1.v[i1])) ++i1;
  while (i2 < m2.n && !eq2_dist(m2.v[i2])) ++i2;
  while (i36 < m36.n && !eq3eq6_dist(m36.v[i36])) ++i36;
  const bool found4 = eq4_dist(kEq4Max[eq4]);
  const bool all_found = i1 < m1.n && i2 < m2.n && i36 < m36.n && found4;
  if (!all_found) {
    eq1_dist(m1.v[m1.n - 1]);
    eq2_dist(m2.v[m2.n - 1]);
    if (m36.n > 0) eq3eq6_dist(m36.v[m36.n - 1]);
  }
  const double dist_eq1 = d_av + d_pr + d_ui;
  const double dist_eq2 = d_ac + d_at;
  const double dist_eq3eq6 = d_vc + d_vi + d_va + d_cr + d_ir + d_ar;
  const double dist_eq4 = d_sc + d_si + d_sa;

  // 3c/3d. For each EQ with a lower MacroVector: the score gap to it times the proportion of the
  // distance to the depth; then the mean over those EQs (EQ5 counts, with proportion 0).
  constexpr double kStep = 0.1;
  int n_lower = 0;
  double sum = 0;
  auto add = [&](double lower, double distance, int depth) {
    if (lower < 0 || depth <= 0) return;
    ++n_lower;
    sum += (value - lower) * (distance / (depth * kStep));
  };
  add(lower_eq1, dist_eq1, kEq1Depth[eq1]);
  add(lower_eq2, dist_eq2, kEq2Depth[eq2]);
  add(lower_eq3eq6, dist_eq3eq6, kEq3Eq6Depth[eq3][eq6]);
  add(lower_eq4, dist_eq4, kEq4Depth[eq4]);
  if (lower_eq5 >= 0) ++n_lower;  // proportion 0: adds nothing but counts in the mean
  if (n_lower > 0) value -= sum / n_lower;

  if (value < 0) value = 0;
  if (value > 10) value = 10;
  return std::round((value + 1e-6) * 10) / 10;  // round half up to one decimal
}

}  // namespace

std::optional<Score> ParseV4(std::string_view body, std::string* error) {
  int ch[kCount];
  if (!ParseMetrics(body, kDefs, kCount, ch, error)) return std::nullopt;
  auto value = [&](int metric) { return kDefs[metric].values[ch[metric]][0]; };
  auto defined = [&](int metric) { return ch[metric] > 0; };  // present and not X
  // The effective values with (all = true) or without (false) the threat and environmental metrics.
  auto effective = [&](bool all) {
    auto pick = [&](int base, int modified) { return all && defined(modified) ? value(modified) : value(base); };
    auto req = [&](int metric) { return all && defined(metric) ? value(metric) : 'H'; };
    return Effective{pick(AV, MAV), pick(AC, MAC), pick(AT, MAT), pick(PR, MPR), pick(UI, MUI),
                     pick(VC, MVC), pick(VI, MVI), pick(VA, MVA), pick(SC, MSC), pick(SI, MSI),
                     pick(SA, MSA), all && defined(E) ? value(E) : 'A', req(CR), req(IR), req(AR)};
  };

  Score s;
  s.version = Version::kV4_0;
  s.vector = "CVSS:4.0/" + std::string(body);
  s.v4_threat = defined(E);
  for (int m = CR; m <= MSA; ++m) s.v4_environmental = s.v4_environmental || defined(m);
  s.base = ScoreEffective(effective(false));
  s.overall = (s.v4_threat || s.v4_environmental) ? ScoreEffective(effective(true)) : s.base;
  return s;
}

}  // namespace detail

}  // namespace customs::cvss
