// Debian versions, as dpkg orders them (Debian Policy 5.6.12, dpkg's verrevcmp).
//
// [epoch:]upstream_version[-debian_revision]: the epoch is the number before the first ':'
// (absent = 0), the revision everything after the last '-' (absent = empty, which sorts like "0").
// Epochs compare numerically; upstream versions and then revisions compare by alternating
// non-digit and digit runs: non-digit runs character by character, where '~' sorts before
// everything (even the end of the run), the end of the run next, then letters (ASCII order),
// then every other character (ASCII order); digit runs numerically (an empty run is 0).
//
// Invalid strings (Valid() false: no leading digit, characters outside [A-Za-z0-9.+~-] (and ':'
// after an epoch), an empty upstream version or revision, a non-numeric epoch) are still ordered by
// the same algorithm, as `dpkg --compare-versions` does after its "bad syntax" warning; a
// non-numeric epoch is not split off (the whole string, ':' included, is the upstream version).
// Leading and trailing spaces are ignored, as dpkg does. Numbers are unbounded.
#include "version/version.h"

namespace customs::version {
namespace {

using detail::CompareDigits;
using detail::DigitRun;
using detail::IsAlpha;
using detail::IsDigit;

struct Evr {
  std::string_view epoch;  // digits, or empty for 0
  std::string_view upstream;
  std::string_view revision;
  bool epoch_ok = true;
  bool has_revision = false;
};

Evr Split(std::string_view v) {
  Evr out;
  v = detail::Trim(v);
  size_t colon = v.find(':');
  if (colon != std::string_view::npos) {
    std::string_view e = v.substr(0, colon);
    if (!e.empty() && DigitRun(e) == e.size()) {
      out.epoch = e;
      v.remove_prefix(colon + 1);
    } else {
      out.epoch_ok = false;
    }
  }
  size_t dash = v.rfind('-');
  if (dash != std::string_view::npos) {
    out.upstream = v.substr(0, dash);
    out.revision = v.substr(dash + 1);
    out.has_revision = true;
  } else {
    out.upstream = v;
  }
  return out;
}

// dpkg's weight of a character in a non-digit run; 0 is the end of the run.
int Order(char c) {
  if (IsDigit(c)) return 0;
  if (IsAlpha(c)) return static_cast<unsigned char>(c);
  if (c == '~') return -1;
  return static_cast<unsigned char>(c) + 256;
}

int VerRevCmp(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    while ((i < a.size() && !IsDigit(a[i])) || (j < b.size() && !IsDigit(b[j]))) {
      int ac = i < a.size() ? Order(a[i]) : 0;
      int bc = j < b.size() ? Order(b[j]) : 0;
      if (ac != bc) return ac < bc ? -1 : 1;
      ++i;
      ++j;
    }
    // Within the loop above equal weights are never the end of a run, so i and j stay in range.
    size_t na = DigitRun(a.substr(i));
    size_t nb = DigitRun(b.substr(j));
    int c = CompareDigits(a.substr(i, na), b.substr(j, nb));
    if (c != 0) return c;
    i += na;
    j += nb;
  }
  return 0;
}

bool ValidPart(std::string_view s, bool upstream, bool allow_colon) {
  if (s.empty()) return false;
  if (upstream && !IsDigit(s[0])) return false;
  for (char c : s) {
    if (detail::IsAlnum(c) || c == '.' || c == '+' || c == '~') continue;
    if (upstream && c == '-') continue;
    if (upstream && allow_colon && c == ':') continue;
    return false;
  }
  return true;
}

class DpkgComparator final : public Comparator {
 public:
  std::string_view Scheme() const override { return "dpkg"; }

  bool Valid(std::string_view v) const override {
    if (detail::Trim(v).empty()) return false;
    Evr e = Split(v);
    if (!e.epoch_ok) return false;
    if (!ValidPart(e.upstream, true, !e.epoch.empty())) return false;
    return !e.has_revision || ValidPart(e.revision, false, false);
  }

  int Compare(std::string_view a, std::string_view b) const override {
    Evr x = Split(a), y = Split(b);
    if (int c = CompareDigits(x.epoch, y.epoch)) return c;
    if (int c = VerRevCmp(x.upstream, y.upstream)) return c;
    return VerRevCmp(x.revision, y.revision);
  }
};

}  // namespace

const Comparator& Comparator_dpkg() {
  static const DpkgComparator kInstance;
  return kInstance;
}

}  // namespace customs::version
