// RubyGems versions, as Gem::Version (RubyGems 3.3) parses and orders them.
//
// Valid: optional surrounding whitespace around N(.[0-9A-Za-z]+)*(-[0-9A-Za-z-]+(.[0-9A-Za-z-]+)*)?
// or nothing at all (the blank version is "0"). Every '-' is read as ".pre.", so "1.0-1" is the
// pre-release 1.0.pre.1. The segments are the runs of digits (numbers, unbounded) and of letters
// (strings, case kept). Canonical segments: the numbers before the first string, and the segments
// from the first string on, each with its trailing zeros dropped ("1.0.a" == "1.a", "1.0" == "1").
//
// Order: canonical segments left to right, a missing segment counting as 0; a string is older
// than a number ("1.a" < "1" < "1.0.1", so letters mark pre-releases), numbers compare
// numerically, strings bytewise ("1.A" < "1.a").
//
// Invalid strings (Gem::Version raises ArgumentError) sort before every valid version, and bytewise
// among themselves.
#include <vector>

#include "version/version.h"

namespace customs::version {
namespace {

using detail::CompareBytes;
using detail::CompareDigits;
using detail::DigitRun;
using detail::IsAlnum;
using detail::IsAlpha;
using detail::IsDigit;

struct Segment {
  std::string_view text;
  bool number;
};

bool Match(std::string_view s) {
  if (s.empty()) return true;
  size_t i = DigitRun(s);
  if (i == 0) return false;
  while (i < s.size() && s[i] == '.') {
    size_t j = i + 1;
    while (j < s.size() && IsAlnum(s[j])) ++j;
    if (j == i + 1) return false;
    i = j;
  }
  if (i == s.size()) return true;
  if (s[i] != '-') return false;
  while (true) {  // s[i] is '-' (first time) or '.'
    size_t j = i + 1;
    while (j < s.size() && (IsAlnum(s[j]) || s[j] == '-')) ++j;
    if (j == i + 1) return false;
    i = j;
    if (i == s.size()) return true;
    if (s[i] != '.') return false;
  }
}

// The canonical segments of a valid (trimmed) version. '-' becomes ".pre.", which adds the
// string segment "pre" at each '-'.
std::vector<Segment> Canonical(std::string_view s) {
  std::vector<Segment> segs;
  if (s.empty()) return segs;  // "0": no segment after dropping zeros
  for (size_t i = 0; i < s.size();) {
    if (IsDigit(s[i])) {
      size_t j = i;
      while (j < s.size() && IsDigit(s[j])) ++j;
      segs.push_back({s.substr(i, j - i), true});
      i = j;
    } else if (IsAlpha(s[i])) {
      size_t j = i;
      while (j < s.size() && IsAlpha(s[j])) ++j;
      segs.push_back({s.substr(i, j - i), false});
      i = j;
    } else {
      if (s[i] == '-') segs.push_back({"pre", false});
      ++i;
    }
  }
  auto is_zero = [](const Segment& g) { return g.number && g.text.find_first_not_of('0') == std::string_view::npos; };
  size_t first_string = 0;
  while (first_string < segs.size() && segs[first_string].number) ++first_string;
  // Drop trailing zeros of the string part, then of the numeric part.
  std::vector<Segment> tail(segs.begin() + static_cast<std::ptrdiff_t>(first_string), segs.end());
  while (!tail.empty() && is_zero(tail.back())) tail.pop_back();
  segs.resize(first_string);
  while (!segs.empty() && is_zero(segs.back())) segs.pop_back();
  segs.insert(segs.end(), tail.begin(), tail.end());
  return segs;
}

class RubygemsComparator final : public Comparator {
 public:
  std::string_view Scheme() const override { return "rubygems"; }

  bool Valid(std::string_view v) const override { return Match(detail::Trim(v)); }

  int Compare(std::string_view a, std::string_view b) const override {
    std::string_view ta = detail::Trim(a), tb = detail::Trim(b);
    bool va = Match(ta), vb = Match(tb);
    if (int c = detail::CompareInvalid(va, vb, a, b); c != 2) return c;
    std::vector<Segment> x = Canonical(ta), y = Canonical(tb);
    static const Segment kZero{"0", true};
    for (size_t i = 0; i < x.size() || i < y.size(); ++i) {
      const Segment& l = i < x.size() ? x[i] : kZero;
      const Segment& r = i < y.size() ? y[i] : kZero;
      int c;
      if (l.number && r.number) {
        c = CompareDigits(l.text, r.text);
      } else if (l.number != r.number) {
        c = l.number ? 1 : -1;
      } else {
        c = CompareBytes(l.text, r.text);
      }
      if (c != 0) return c;
    }
    return 0;
  }
};

}  // namespace

const Comparator& Comparator_rubygems() {
  static const RubygemsComparator kInstance;
  return kInstance;
}

}  // namespace customs::version
