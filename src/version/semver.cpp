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
#include "version/version.h"

namespace customs::version {
namespace {

using detail::CompareBytes;
using detail::CompareDigits;
using detail::IsAlnum;
using detail::IsDigit;

struct Parsed {
  std::string_view major, minor, patch;
  std::string_view prerelease;  // without the '-'
  bool has_prerelease = false;
};

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

int ComparePrerelease(std::string_view a, std::string_view b) {
  while (true) {
    size_t da = a.find('.'), db = b.find('.');
    std::string_view ia = a.substr(0, da), ib = b.substr(0, db);
    bool na = AllDigits(ia), nb = AllDigits(ib);
    int c;
    if (na && nb) {
      c = CompareDigits(ia, ib);
    } else if (na != nb) {
      c = na ? -1 : 1;
    } else {
      c = CompareBytes(ia, ib);
    }
    if (c != 0) return c;
    if (da == std::string_view::npos || db == std::string_view::npos) {
      if (da == db) return 0;
      return da == std::string_view::npos ? -1 : 1;
    }
    a.remove_prefix(da + 1);
    b.remove_prefix(db + 1);
  }
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
    if (int c = CompareDigits(x.major, y.major)) return c;
    if (int c = CompareDigits(x.minor, y.minor)) return c;
    if (int c = CompareDigits(x.patch, y.patch)) return c;
    if (x.has_prerelease != y.has_prerelease) return x.has_prerelease ? -1 : 1;
    return x.has_prerelease ? ComparePrerelease(x.prerelease, y.prerelease) : 0;
  }
};

}  // namespace

const Comparator& Comparator_semver() {
  static const SemverComparator kInstance;
  return kInstance;
}

}  // namespace customs::version
