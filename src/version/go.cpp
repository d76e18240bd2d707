// Go module versions, as golang.org/x/mod/semver orders them (the rules of the Go modules
// reference), which is also how the Go vulnerability database's OSV ranges are meant.
//
// vMAJOR[.MINOR[.PATCH[-PRERELEASE][+BUILD]]]: "v1" and "v1.2" are shorthands for v1.0.0 and
// v1.2.0 (a pre-release or build needs all three numbers); numbers and numeric pre-release
// identifiers have no leading zeros. The leading "v" is optional here, because OSV's Go ranges
// and the "0" that opens them are written without it ("1.2.3" is v1.2.3).
//
// Precedence is semver's: numbers numerically (unbounded), a pre-release older than none,
// identifiers numeric-before-alphanumeric, a shorter prefix list older. Pseudo-versions are plain
// pre-releases and sort by their timestamps (v0.0.0-20191109021931-daa7c04131f5); build
// metadata, "+incompatible" included, is ignored (v2.0.0+incompatible == v2.0.0).
//
// x/mod/semver calls every invalid string equal and older than any valid one; here invalid strings
// also sort before every valid version but compare bytewise among themselves.
#include "version/semver_precedence.h"
#include "version/version.h"

namespace customs::version {
namespace {

using detail::CompareBytes;
using detail::CompareDigits;
using detail::DigitRun;
using detail::IsAlnum;

struct Parsed : detail::SemverParts {
  Parsed() { minor = "0"; patch = "0"; }
};

bool AllDigits(std::string_view s) { return !s.empty() && DigitRun(s) == s.size(); }

// A number at the start of `s` (no leading zero unless "0"); returns its length, 0 if none.
size_t Number(std::string_view s) {
  size_t n = DigitRun(s);
  if (n > 1 && s[0] == '0') return 0;
  return n;
}

// IDENT ('.' IDENT)* filling all of `s`; `prerelease` forbids leading zeros in numeric identifiers.
bool Identifiers(std::string_view s, bool prerelease) {
  if (s.empty()) return false;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    std::string_view id = s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (id.empty()) return false;
    for (char c : id)
      if (!IsAlnum(c) && c != '-') return false;
    if (prerelease && AllDigits(id) && id.size() > 1 && id[0] == '0') return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool Parse(std::string_view v, Parsed& out) {
  if (!v.empty() && v[0] == 'v') v.remove_prefix(1);
  size_t n = Number(v);
  if (n == 0) return false;
  out.major = v.substr(0, n);
  v.remove_prefix(n);
  if (v.empty()) return true;  // "v1"
  if (v[0] != '.') return false;
  v.remove_prefix(1);
  n = Number(v);
  if (n == 0) return false;
  out.minor = v.substr(0, n);
  v.remove_prefix(n);
  if (v.empty()) return true;  // "v1.2"
  if (v[0] != '.') return false;
  v.remove_prefix(1);
  n = Number(v);
  if (n == 0) return false;
  out.patch = v.substr(0, n);
  v.remove_prefix(n);
  size_t plus = v.find('+');
  if (plus != std::string_view::npos) {
    if (!Identifiers(v.substr(plus + 1), false)) return false;
    v = v.substr(0, plus);
  }
  if (v.empty()) return true;
  if (v[0] != '-') return false;
  out.prerelease = v.substr(1);
  out.has_prerelease = true;
  return Identifiers(out.prerelease, true);
}

class GoComparator final : public Comparator {
 public:
  std::string_view Scheme() const override { return "go"; }

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

const Comparator& Comparator_go() {
  static const GoComparator kInstance;
  return kInstance;
}

}  // namespace customs::version
