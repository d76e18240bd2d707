// npm versions, as node-semver 7 compares them with `loose: true` (semver.compare(a, b, true)).
//
// The loose grammar, after trimming spaces: any run of 'v', '=' and spaces, then
// MAJOR.MINOR.PATCH with leading zeros allowed, then an optional pre-release introduced by an
// optional '-' ("1.2.3beta" == "1.2.3-beta"), then optional "+build". Identifiers are runs of
// [0-9A-Za-z-]. As node-semver's regular expression backtracks, digits of the patch number may
// start the pre-release when nothing else matches: "1.2.34.5" is 1.2.3-4.5, and "1.2.3-" is
// 1.2.3 with the pre-release "-". Strings longer than 256 characters and numbers above
// Number.MAX_SAFE_INTEGER are invalid, as in node-semver.
//
// Precedence is semver's: major, minor, patch numerically, a pre-release older than none,
// pre-release identifiers left to right (numeric ones numerically, so "01" == "1", and before
// alphanumeric ones, which compare bytewise), a shorter prefix list older; build metadata ignored.
// node-semver compares huge numeric pre-release identifiers (beyond 2^53) as doubles; here they
// compare exactly. Only ASCII whitespace counts as space.
//
// Invalid strings sort before every valid version, and bytewise among themselves.
#include "version/semver_precedence.h"
#include "version/version.h"

namespace customs::version {
namespace {

using detail::CompareBytes;
using detail::CompareDigits;
using detail::DigitRun;
using detail::IsAlnum;
using detail::IsDigit;
using detail::IsSpace;

constexpr size_t kMaxLength = 256;
constexpr std::string_view kMaxSafeInteger = "9007199254740991";

struct Parsed : detail::SemverParts {};

bool IsIdentChar(char c) { return IsAlnum(c) || c == '-'; }
bool SafeInteger(std::string_view digits) { return CompareDigits(digits, kMaxSafeInteger) <= 0; }

// ID ('.' ID)* at the start of `s`, identifiers being maximal runs of [0-9A-Za-z-]; returns the
// length matched (0 when `s` does not start with an identifier).
size_t IdentifierList(std::string_view s) {
  size_t i = 0;
  while (true) {
    size_t start = i;
    while (i < s.size() && IsIdentChar(s[i])) ++i;
    if (i == start) return start == 0 ? 0 : start - 1;  // "x." : give the dot back
    if (i < s.size() && s[i] == '.') {
      ++i;
      continue;
    }
    return i;
  }
}

// The rest after the patch number: [ '-'? IDS ] [ '+' IDS ] end.
bool Tail(std::string_view t, Parsed& out) {
  auto build_ok = [](std::string_view b) {
    if (b.empty()) return true;
    if (b[0] != '+') return false;
    size_t n = IdentifierList(b.substr(1));
    return n > 0 && n == b.size() - 1;
  };
  if (t.empty() || t[0] == '+') {
    out.has_prerelease = false;
    return build_ok(t);
  }
  // With the '-' taken as the separator first, as the regular expression tries it.
  if (t[0] == '-') {
    size_t n = IdentifierList(t.substr(1));
    if (n > 0 && build_ok(t.substr(1 + n))) {
      out.prerelease = t.substr(1, n);
      out.has_prerelease = true;
      return true;
    }
  }
  size_t n = IdentifierList(t);
  if (n > 0 && build_ok(t.substr(n))) {
    out.prerelease = t.substr(0, n);
    out.has_prerelease = true;
    return true;
  }
  return false;
}

bool Parse(std::string_view v, Parsed& out) {
  if (v.size() > kMaxLength) return false;
  v = detail::Trim(v);
  while (!v.empty() && (v[0] == 'v' || v[0] == '=' || IsSpace(v[0]))) v.remove_prefix(1);
  size_t n = DigitRun(v);
  if (n == 0 || n == v.size() || v[n] != '.') return false;
  out.major = v.substr(0, n);
  v.remove_prefix(n + 1);
  n = DigitRun(v);
  if (n == 0 || n == v.size() || v[n] != '.') return false;
  out.minor = v.substr(0, n);
  v.remove_prefix(n + 1);
  n = DigitRun(v);
  if (n == 0) return false;
  bool matched = false;
  for (size_t len = n; len >= 1 && !matched; --len) {
    if (Tail(v.substr(len), out)) {
      out.patch = v.substr(0, len);
      matched = true;
    }
  }
  if (!matched) return false;
  return SafeInteger(out.major) && SafeInteger(out.minor) && SafeInteger(out.patch);
}

class NpmComparator final : public Comparator {
 public:
  std::string_view Scheme() const override { return "npm"; }

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

const Comparator& Comparator_npm() {
  static const NpmComparator kInstance;
  return kInstance;
}

}  // namespace customs::version
