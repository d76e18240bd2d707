#include "version/semver_precedence.h"

#include "version/version.h"

namespace customs::version::detail {

namespace {
bool AllDigits(std::string_view s) { return !s.empty() && DigitRun(s) == s.size(); }
}  // namespace

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

int CompareSemverParts(const SemverParts& x, const SemverParts& y) {
  if (int c = CompareDigits(x.major, y.major)) return c;
  if (int c = CompareDigits(x.minor, y.minor)) return c;
  if (int c = CompareDigits(x.patch, y.patch)) return c;
  if (x.has_prerelease != y.has_prerelease) return x.has_prerelease ? -1 : 1;
  return x.has_prerelease ? ComparePrerelease(x.prerelease, y.prerelease) : 0;
}

}  // namespace customs::version::detail
