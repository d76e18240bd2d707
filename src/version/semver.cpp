// Semantic Versioning 2.0.0 (semver.org), the scheme of crates.io.
//
// MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD], strictly: no leading "v", no spaces, numeric parts and
// numeric pre-release identifiers without leading zeros, identifiers of [0-9A-Za-z-], none empty.
// Precedence (spec item 11): major, minor, patch numerically (unbounded); a version with a
// pre-release is older than the same version without; pre-release identifiers compare left to
// right, numeric ones numerically, alphanumeric ones bytewise (ASCII), numeric before alphanumeric,
// and a shorter list that is a prefix of the other is older. Build metadata is ignored, so
// "1.0.0+a" and "1.0.0+b" compare equal.
//
// Invalid strings sort before every valid version, and bytewise among themselves.
#include "version/semver_precedence.h"
#include "version/version.h"

namespace customs::version {
namespace {

using detail::CompareBytes;
using detail::CompareDigits;
using detail::IsAlnum;
using detail::IsDigit;

struct Parsed : detail::SemverParts {};

bool IsIdentChar(char c) { return IsAlnum(c) || c == '-'; }

bool AllDigits(std::string_view s) { return !s.empty() && detail::DigitRun(s) == s.size(); }

// A numeric part: digits, no leading zero unless it is "0".
bool Numeric(std::string_view s) { return AllDigits(s) && (s.size() == 1 || s[0] != '0'); }

// Dot-separated identifiers of [0-9A-Za-z-]; `strict_numbers` forbids leading zeros in the
// all-digit ones.
bool Identifiers(std::string_view s, bool strict_numbers) {
  if (s.empty()) return false;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    std::string_view id = s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (id.empty()) return false;
    for (char c : id)
      if (!IsIdentChar(c)) return false;
    if (strict_numbers && AllDigits(id) && id.size() > 1 && id[0] == '0') return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool Parse(std::string_view v, Parsed& out) {
  size_t plus = v.find('+');
  if (plus != std::string_view::npos) {
    if (!Identifiers(v.substr(plus + 1), false)) return false;
    v = v.substr(0, plus);
  }
  size_t dash = v.find('-');
  if (dash != std::string_view::npos) {
    out.prerelease = v.substr(dash + 1);
    out.has_prerelease = true;
    if (!Identifiers(out.prerelease, true)) return false;
    v = v.substr(0, dash);
  }
  size_t d1 = v.find('.');
  if (d1 == std::string_view::npos) return false;
  size_t d2 = v.find('.', d1 + 1);
  if (d2 == std::string_view::npos) return false;
  out.major = v.substr(0, d1);
  out.minor = v.substr(d1 + 1, d2 - d1 - 1);
  out.patch = v.substr(d2 + 1);
  return Numeric(out.major) && Numeric(out.minor) && Numeric(out.patch);
}

class SemverComparator final : public Comparator {
 public:
  std::string_view Scheme() const override { return "semver"; }

  bool Valid(std::string_view v) const override {
    Parsed p;
    return Parse(v, p);
  }

  int Compare(std::string_view a, std::string_view b) const override {
    Parsed x, y;
    bool vx = Parse(a, x), vy = Parse(b, y);
    if (int c = detail::CompareInvalid(vx, vy, a, b); c != 2) return c;
    return detail::CompareSemverParts(x, y);
  }
};

}  // namespace

const Comparator& Comparator_semver() {
  static const SemverComparator kInstance;
  return kInstance;
}

}  // namespace customs::version
