// CVSS vectors: parsing and scoring of CVSS v2.0, v3.0, v3.1 and v4.0 vector strings, implemented
// from FIRST's specifications:
//   v2.0  "A Complete Guide to the Common Vulnerability Scoring System Version 2.0", section 3.2
//         (equations) and 2.4 (vector);                       https://www.first.org/cvss/v2/guide
//   v3.0  "CVSS v3.0 Specification Document", sections 6 (vector) and 8 (equations);
//         Roundup = the smallest one-decimal number >= its input (ceil(10x)/10).
//   v3.1  "CVSS v3.1 Specification Document", sections 6 (vector) and 7 (equations); Roundup as
//         defined in its Appendix A (exact to 5 decimals, so 4.000000001 stays 4.0).
//   v4.0  "CVSS v4.0 Specification Document", sections 7 (vector) and 8 (MacroVectors EQ1-EQ6, the
//         MacroVector score table and the severity-distance interpolation); the table is FIRST's
//         published data (see cvss4.cpp).
//
// Accepted forms (surrounding whitespace is ignored; metric names and values are case-sensitive, as
// the specifications define them):
//   "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"          v3.1 (likewise "CVSS:3.0/...")
//   "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
//   "AV:N/AC:L/Au:N/C:P/I:P/A:P"                            v2 as NVD and OSV write it
//   "(AV:N/AC:L/Au:N/C:P/I:P/A:P)", "CVSS:2.0/AV:N/..."     v2 as the v2 guide / some feeds write it
// Every version: each base metric exactly once, other metrics optional (value X, or ND for v2,
// means "not defined"), no metric twice, no unknown metric or value, no empty component. Metrics are
// accepted in any order: the v3.x documents allow it, and v4.0 vectors out of the documented order
// occur in real advisories (GHSA), which the v4.0 document is not consistent about.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace customs::cvss {

enum class Version { kV2, kV3_0, kV3_1, kV4_0 };

// "2.0", "3.0", "3.1", "4.0".
std::string_view VersionName(Version v);

struct Score {
  Version version = Version::kV3_1;
  // The vector as parsed: trimmed, v2 without "(...)" or "CVSS:2.0/" (NVD's form), v3/v4 with their
  // "CVSS:x.y/" prefix; metrics in the order given.
  std::string vector;

  // v2/v3: the Base score. v4: CVSS-B, the score of the base metrics alone (threat and
  // environmental metrics ignored).
  double base = 0;
  // v2/v3 only: present when the vector defines at least one temporal (resp. environmental) metric
  // with a value other than X / ND. Always nullopt for v4 (see `overall`).
  std::optional<double> temporal;
  std::optional<double> environmental;
  // The score to use: v2/v3 environmental if present, else temporal if present, else base. v4: the
  // score of the whole vector, i.e. CVSS-B, -BT, -BE or -BTE as Nomenclature() names it (undefined
  // threat/environmental metrics take the values the v4.0 document prescribes: E:X as E:A,
  // CR/IR/AR:X as H, a modified metric X as its base metric).
  double overall = 0;

  // v4 only: which metric groups the vector defines beyond the base (a value other than X).
  bool v4_threat = false;
  bool v4_environmental = false;
};

// Parses and scores a vector. nullopt for a malformed one, with the reason in *error (when given):
// bad or unsupported "CVSS:x.y/" prefix, empty component, component not METRIC:VALUE, unknown
// metric, invalid value, duplicate metric, missing base metric.
std::optional<Score> Parse(std::string_view vector, std::string* error = nullptr);

// The v4.0 nomenclature of a score: "CVSS-B", "CVSS-BT", "CVSS-BE" or "CVSS-BTE"; for v2/v3 "" .
std::string_view Nomenclature(const Score& s);

namespace detail {
// Per-version parsers, `body` being the vector without its "CVSS:x.y/" prefix (and for v2 without
// parentheses). Used by Parse; exposed for tests.
std::optional<Score> ParseV2(std::string_view body, std::string* error);
std::optional<Score> ParseV3(std::string_view body, Version version, std::string* error);
std::optional<Score> ParseV4(std::string_view body, std::string* error);

// The Roundup functions: v3.0 ceil(10x)/10; v3.1 the Appendix A definition. v2's round_to_1_decimal
// (half up, decided on the value exact to 5 decimals, so that 9.149999999 from binary floating
// point reads as the 9.15 it stands for and gives the guide's 9.2).
double RoundUpV30(double x);
double RoundUpV31(double x);
double RoundV2(double x);

// A metric of a version's vector: its abbreviation and allowed values (the order of `values` is the
// index ParseMetrics reports). `mandatory`: a base metric, which must be present.
struct MetricDef {
  std::string_view name;
  const std::string_view* values;
  int value_count;
  bool mandatory;
};

// Splits `body` on '/' into METRIC:VALUE components and checks them against `defs` (`n` of them).
// On success, chosen[i] is the index of metric i's value in defs[i].values, or -1 when absent. On
// failure returns false with the reason in *error. `chosen` must have room for n ints.
bool ParseMetrics(std::string_view body, const MetricDef* defs, int n, int* chosen, std::string* error);
}  // namespace detail

}  // namespace customs::cvss
