#include "cvss/severity.h"

#include <cmath>
#include <string>

namespace customs::cvss {

Severity FromCvssScore(double score, Version version) {
  if (std::isnan(score)) return Severity::kUnknown;
  // Work in tenths so that 3.95 from arithmetic noise cannot fall between 3.9 and 4.0.
  long tenths = std::lround(std::fmin(std::fmax(score, 0.0), 10.0) * 10.0);
  if (version == Version::kV2) {
    if (tenths >= 70) return Severity::kHigh;
    if (tenths >= 40) return Severity::kMedium;
    return Severity::kLow;
  }
  if (tenths >= 90) return Severity::kCritical;
  if (tenths >= 70) return Severity::kHigh;
  if (tenths >= 40) return Severity::kMedium;
  if (tenths >= 1) return Severity::kLow;
  return Severity::kNone;
}

Severity FromCvss(const Score& s) { return FromCvssScore(s.overall, s.version); }

std::optional<Severity> ParseSeverity(std::string_view word) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  while (!word.empty() && space(word.front())) word.remove_prefix(1);
  while (!word.empty() && space(word.back())) word.remove_suffix(1);
  if (word.empty() || word.size() > 32) return std::nullopt;
  std::string w;
  for (char c : word) w.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);

  struct Entry {
    std::string_view word;
    Severity severity;
  };
  static constexpr Entry kWords[] = {
      {"critical", Severity::kCritical},
      {"high", Severity::kHigh},
      {"important", Severity::kHigh},
      {"medium", Severity::kMedium},
      {"moderate", Severity::kMedium},
      {"low", Severity::kLow},
      {"negligible", Severity::kLow},
      {"unimportant", Severity::kLow},
      {"none", Severity::kNone},
      {"info", Severity::kNone},
      {"informational", Severity::kNone},
      {"unknown", Severity::kUnknown},
      {"untriaged", Severity::kUnknown},
      {"not yet assigned", Severity::kUnknown},
      {"unspecified", Severity::kUnknown},
  };
  for (const Entry& e : kWords)
    if (e.word == w) return e.severity;
  return std::nullopt;
}

std::string_view Name(Severity s) {
  switch (s) {
    case Severity::kUnknown: return "UNKNOWN";
    case Severity::kNone: return "NONE";
    case Severity::kLow: return "LOW";
    case Severity::kMedium: return "MEDIUM";
    case Severity::kHigh: return "HIGH";
    case Severity::kCritical: return "CRITICAL";
  }
  return "UNKNOWN";
}

}  // namespace customs::cvss
