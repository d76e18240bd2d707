// Packagist (Composer) versions: PHP's version_compare() after a Composer-style normalization,
// which is how Composer's constraints compare normalized versions.
//
// Normalization (a subset of Composer's VersionParser::normalize): surrounding spaces and a leading
// 'v' dropped, build metadata ("+...") dropped, a "stable" suffix dropped, and a numeric release of
// one to three numbers (the first of at most five digits, so not a date) padded to four:
// "v1.2" -> "1.2.0.0", "1.0.0-beta2" -> "1.0.0.0-beta2", "2.0.0-stable" -> "2.0.0.0".
//
// version_compare: '-', '_', '+' and every other non-alphanumeric character separate parts, and so
// does each change between digits and letters ("1.0rc1" -> 1.0.rc.1). Parts compare left to
// right: numbers numerically (unbounded); words by the special forms, matched as prefixes:
// dev < alpha = a < beta = b < RC = rc < (a number) < pl = p, any other word before dev ("patch"
// is p, "pre" is p too, as in PHP). When one side has more parts, its next part decides: a number
// makes it newer, a word is compared with a number ("1.0.0.0" < "1.0.0.0-p1",
// "1.0.0.0-rc1" < "1.0.0.0"). Branch names ("dev-master") thus sort before numbered versions.
//
// Deviations from PHP, where PHP is not a total order: empty parts (leading, doubled or trailing
// separators) are skipped (PHP finds "1." older than itself), and a leading non-alphanumeric
// character separates like any other. Every string is compared; Valid() accepts what Composer's
// normalize() accepts for numbered versions (classical "1.2.3.4[-stability[N]][-dev]" and dates)
// and "dev-" branches.
#include <string>
#include <vector>

#include "version/version.h"

namespace customs::version {
namespace {

using detail::CompareDigits;
using detail::DigitRun;
using detail::IsAlnum;
using detail::IsDigit;
using detail::ToLower;

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (ToLower(s[i]) != prefix[i]) return false;
  return true;
}

bool EndsWithIgnoreCase(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && StartsWithIgnoreCase(s.substr(s.size() - suffix.size()), suffix);
}

std::string Normalize(std::string_view v) {
  v = detail::Trim(v);
  if (v.size() > 1 && (v[0] == 'v' || v[0] == 'V') && IsDigit(v[1])) v.remove_prefix(1);
  if (size_t plus = v.find('+'); plus != std::string_view::npos) v = v.substr(0, plus);
  if (EndsWithIgnoreCase(v, "stable")) {
    v.remove_suffix(6);
    if (!v.empty() && (v.back() == '-' || v.back() == '.' || v.back() == '_')) v.remove_suffix(1);
  }
  std::string out(v);
  size_t first = DigitRun(v);
  if (first == 0 || first > 5) return out;
  size_t i = first;
  int numbers = 1;
  while (numbers < 4 && i + 1 < v.size() && v[i] == '.' && IsDigit(v[i + 1])) {
    i += 1 + DigitRun(v.substr(i + 1));
    ++numbers;
  }
  std::string padded(v.substr(0, i));
  for (; numbers < 4; ++numbers) padded += ".0";
  padded += v.substr(i);
  return padded;
}

// The parts of PHP's canonical form: runs of digits or of letters, empty parts skipped.
std::vector<std::string_view> Parts(std::string_view s) {
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i < s.size()) {
    if (!IsAlnum(s[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    const bool digits = IsDigit(s[i]);
    while (j < s.size() && IsAlnum(s[j]) && IsDigit(s[j]) == digits) ++j;
    parts.push_back(s.substr(i, j - i));
    i = j;
  }
  return parts;
}

constexpr int kNumberOrder = 4;  // the special form "#" that numbers stand for

// PHP's special forms, matched as prefixes in this order; -1 when none matches.
int FormOrder(std::string_view word) {
  static constexpr std::pair<std::string_view, int> kForms[] = {
      {"dev", 0}, {"alpha", 1}, {"a", 1}, {"beta", 2}, {"b", 2}, {"RC", 3}, {"rc", 3}, {"pl", 5}, {"p", 5},
  };
  for (const auto& [name, order] : kForms)
    if (word.substr(0, name.size()) == name) return order;
  return -1;
}

int Cmp(int a, int b) { return a < b ? -1 : a > b ? 1 : 0; }

int ComparePart(std::string_view a, std::string_view b) {
  const bool da = IsDigit(a[0]), db = IsDigit(b[0]);
  if (da && db) return CompareDigits(a, b);
  if (!da && !db) return Cmp(FormOrder(a), FormOrder(b));
  return da ? Cmp(kNumberOrder, FormOrder(b)) : Cmp(FormOrder(a), kNumberOrder);
}

int VersionCompare(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return Cmp(!a.empty(), !b.empty());
  std::vector<std::string_view> x = Parts(a), y = Parts(b);
  size_t i = 0;
  for (; i < x.size() && i < y.size(); ++i)
    if (int c = ComparePart(x[i], y[i])) return c;
  if (i < x.size()) return IsDigit(x[i][0]) ? 1 : Cmp(FormOrder(x[i]), kNumberOrder);
  if (i < y.size()) return IsDigit(y[i][0]) ? -1 : Cmp(kNumberOrder, FormOrder(y[i]));
  return 0;
}

// Composer's classical version: v?N{1,5}(.N){0,3}[._-]?(stability(([.-]?N)*))?([.-]?dev)?
bool Classical(std::string_view s) {
  size_t n = DigitRun(s);
  if (n == 0 || n > 5) return false;
  size_t i = n;
  for (int k = 0; k < 3 && i + 1 < s.size() && s[i] == '.' && IsDigit(s[i + 1]); ++k) i += 1 + DigitRun(s.substr(i + 1));
  auto sep = [&](std::string_view set) {
    if (i < s.size() && set.find(s[i]) != std::string_view::npos) ++i;
  };
  sep("._-");
  static constexpr std::string_view kStabilities[] = {"stable", "beta", "b", "rc", "alpha", "a", "patch", "pl", "p"};
  for (std::string_view st : kStabilities) {
    if (StartsWithIgnoreCase(s.substr(i), st)) {
      i += st.size();
      while (true) {
        size_t j = i;
        if (j < s.size() && (s[j] == '.' || s[j] == '-')) ++j;
        size_t d = DigitRun(s.substr(j));
        if (d == 0) break;
        i = j + d;
      }
      break;
    }
  }
  if (StartsWithIgnoreCase(s.substr(i), "dev")) {
    i += 3;
  } else if (i < s.size() && (s[i] == '.' || s[i] == '-') && StartsWithIgnoreCase(s.substr(i + 1), "dev")) {
    i += 4;
  }
  return i == s.size();
}

// Composer's date version: N{4}([.:-]?N{2}){1,6}([.:-]?N{1,3}){0,2}, approximated as a run of
// at least six digits with [.:-] separators.
bool Date(std::string_view s) {
  if (DigitRun(s) < 4) return false;
  size_t digits = 0;
  for (char c : s) {
    if (IsDigit(c)) {
      ++digits;
    } else if (c != '.' && c != ':' && c != '-') {
      return false;
    }
  }
  return digits >= 6 && IsDigit(s.back());
}

class ComposerComparator final : public Comparator {
 public:
  std::string_view Scheme() const override { return "composer"; }

  bool Valid(std::string_view v) const override {
    v = detail::Trim(v);
    if (StartsWithIgnoreCase(v, "dev-")) return v.size() > 4;
    if (size_t plus = v.find('+'); plus != std::string_view::npos) {
      std::string_view build = v.substr(plus + 1);
      if (build.empty()) return false;
      for (char c : build)
        if (detail::IsSpace(c)) return false;
      v = v.substr(0, plus);
    }
    if (!v.empty() && (v[0] == 'v' || v[0] == 'V')) v.remove_prefix(1);
    return Classical(v) || Date(v);
  }

  int Compare(std::string_view a, std::string_view b) const override {
    return VersionCompare(Normalize(a), Normalize(b));
  }
};

}  // namespace

const Comparator& Comparator_composer() {
  static const ComposerComparator kInstance;
  return kInstance;
}

}  // namespace customs::version
