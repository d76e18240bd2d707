// RPM versions, as rpm 4.18 orders them (rpmvercmp, and rpmverCmp for epoch:version-release).
//
// A string is [epoch:]version[-release]: the epoch is the run of digits before a ':' (absent = 0),
// the release everything after the last '-'. Epochs, then versions, then releases compare with
// rpmvercmp: both strings are cut into runs of ASCII digits and runs of ASCII letters, anything
// else separating them, except '~' and '^' which are tokens of their own. At the first difference:
//   '~' sorts before anything, the end of the string included ("1.0~rc1" < "1.0");
//   the end of the string sorts next, then '^' ("1.0" < "1.0^git1" < "1.0.1");
//   a letter run is older than a digit run ("1.0a" < "1.0.1");
//   digit runs compare numerically (unbounded), letter runs bytewise ("1.0A" < "1.0a").
// Separators themselves never matter: "1.0" == "1_0" == "1..0".
//
// As in rpm's rpmverCmp (Lua's rpm.ver), a missing epoch is 0 and a version without a release is
// older than the same version with any release, even an empty one or one starting with '~'
// ("1.0" < "1.0-~1" < "1.0-1"); rpm's dependency matching instead skips the release when one side
// has none ("1.0" satisfies "= 1.0-1"), which is not an order. Every string is accepted; Valid() is
// false for an empty version or release, a non-numeric epoch, or characters rpm forbids in a
// version (anything but ASCII letters, digits and ._+~^).
#include "version/version.h"

namespace customs::version {
namespace {

using detail::CompareBytes;
using detail::CompareDigits;
using detail::IsAlnum;
using detail::IsAlpha;
using detail::IsDigit;

int RpmVerCmp(std::string_view a, std::string_view b) {
  if (a == b) return 0;
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    while (i < a.size() && !IsAlnum(a[i]) && a[i] != '~' && a[i] != '^') ++i;
    while (j < b.size() && !IsAlnum(b[j]) && b[j] != '~' && b[j] != '^') ++j;

    const bool a_end = i == a.size(), b_end = j == b.size();
    const char ca = a_end ? '\0' : a[i], cb = b_end ? '\0' : b[j];
    if (ca == '~' || cb == '~') {
      if (ca != '~') return 1;
      if (cb != '~') return -1;
      ++i, ++j;
      continue;
    }
    if (ca == '^' || cb == '^') {
      if (a_end) return -1;
      if (b_end) return 1;
      if (ca != '^') return 1;
      if (cb != '^') return -1;
      ++i, ++j;
      continue;
    }
    if (a_end || b_end) break;

    const bool numeric = IsDigit(ca);
    auto run = [numeric](std::string_view s, size_t k) {
      size_t e = k;
      while (e < s.size() && (numeric ? IsDigit(s[e]) : IsAlpha(s[e]))) ++e;
      return s.substr(k, e - k);
    };
    std::string_view ra = run(a, i), rb = run(b, j);
    if (rb.empty()) return numeric ? 1 : -1;  // different kinds: the digit run is newer
    int c = numeric ? CompareDigits(ra, rb) : CompareBytes(ra, rb);
    if (c != 0) return c;
    i += ra.size();
    j += rb.size();
  }
  const bool a_end = i >= a.size(), b_end = j >= b.size();
  if (a_end && b_end) return 0;
  return a_end ? -1 : 1;
}

struct Evr {
  std::string_view epoch;  // empty = 0
  std::string_view version;
  std::string_view release;
  bool has_release = false;
  bool epoch_ok = true;
};

Evr Split(std::string_view v) {
  Evr out;
  size_t digits = detail::DigitRun(v);
  if (digits < v.size() && v[digits] == ':') {
    out.epoch = v.substr(0, digits);
    v.remove_prefix(digits + 1);
  } else if (v.find(':') != std::string_view::npos) {
    out.epoch_ok = false;
  }
  size_t dash = v.rfind('-');
  if (dash != std::string_view::npos) {
    out.release = v.substr(dash + 1);
    out.has_release = true;
    v = v.substr(0, dash);
  }
  out.version = v;
  return out;
}

bool ValidPart(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!IsAlnum(c) && c != '.' && c != '_' && c != '+' && c != '~' && c != '^') return false;
  return true;
}

class RpmComparator final : public Comparator {
 public:
  std::string_view Scheme() const override { return "rpm"; }

  bool Valid(std::string_view v) const override {
    Evr e = Split(v);
    return e.epoch_ok && ValidPart(e.version) && (!e.has_release || ValidPart(e.release));
  }

  int Compare(std::string_view a, std::string_view b) const override {
    Evr x = Split(a), y = Split(b);
    // An empty epoch is "0"; epochs are digit runs, so rpmvercmp on them is a numeric comparison.
    if (int c = CompareDigits(x.epoch, y.epoch)) return c;
    if (int c = RpmVerCmp(x.version, y.version)) return c;
    if (x.has_release != y.has_release) return x.has_release ? 1 : -1;
    return RpmVerCmp(x.release, y.release);
  }
};

}  // namespace

const Comparator& Comparator_rpm() {
  static const RpmComparator kInstance;
  return kInstance;
}

}  // namespace customs::version
