// Packagist (Composer) versions: Composer's VersionParser::normalize(), then PHP's
// version_compare() on the normalized strings, which is how composer/semver's constraints compare
// versions.
//
// normalize() (composer/semver 3): trims; drops an " as alias", an "@stability" flag and "+build"
// metadata; "master", "trunk" and "default" are the branches dev-master...; "dev-NAME" is a branch;
// a classical version v?N{1,5}(.N){0,3} or a date version (NNNN then [.:-]-separated digit pairs)
// gets padded to four numbers ("v1.2" -> "1.2.0.0") and may end with a stability modifier
// [._-]?(stable|beta|b|RC|alpha|a|patch|pl|p)([.-]?N)* and/or [.-]?dev, normalized to
// "-beta2", "-RC1", "-patch1", "-dev" ("1.0.0-stable" is "1.0.0.0"); "1.x-dev" style branches
// become 1.9999999.9999999.9999999-dev. Anything else is invalid (Valid() false).
//
// version_compare: '-', '_', '+' and every other non-alphanumeric character separate parts, and so
// does each change between digits and letters ("1.0.0.0-RC1" -> 1.0.0.0.RC.1). Parts compare left
// to right: numbers numerically (read as PHP's strtol does: beyond 2^63-1 they all equal 2^63-1);
// words by the special forms, matched as prefixes: dev < alpha = a < beta = b < RC = rc <
// (a number) < pl = p ("patch" is p), any other word before dev. When one side has more parts,
// its next part decides: a number makes it newer, a word is compared with a number
// ("1.0.0.0" < "1.0.0.0-patch1", "1.0.0.0-RC1" < "1.0.0.0").
//
// Branches: Composer only tells whether two branches are the same; here "dev-..." branches sort
// before every numbered version (as version_compare puts them) and bytewise among themselves.
// Invalid strings sort before everything valid, and bytewise among themselves.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "version/version.h"

namespace customs::version {
namespace {

using detail::CompareBytes;
using detail::CompareDigits;
using detail::DigitRun;
using detail::IsAlnum;
using detail::IsDigit;
using detail::ToLower;

bool StartsWithIgnoreCase(std::string_view s, size_t pos, std::string_view word) {
  if (pos > s.size() || s.size() - pos < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i)
    if (ToLower(s[pos + i]) != ToLower(word[i])) return false;
  return true;
}

bool IsRegexSpace(char c) { return detail::IsSpace(c); }

// PHP's trim(): " \t\n\r\0\x0B".
std::string_view PhpTrim(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0' || c == '\x0b'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

struct Modifiers {
  std::string stability;  // as written ("beta", "B", "RC", "stable"), empty when none
  std::string numbers;    // the ([.-]?N)* after it, as written
  bool dev = false;
};

// [.-]?dev$ (or nothing) at `p`, in the regex's order of preference.
bool DevThenEnd(std::string_view s, size_t p, bool& dev) {
  if (p < s.size() && (s[p] == '.' || s[p] == '-') && StartsWithIgnoreCase(s, p + 1, "dev") && p + 4 == s.size()) {
    dev = true;
    return true;
  }
  if (StartsWithIgnoreCase(s, p, "dev") && p + 3 == s.size()) {
    dev = true;
    return true;
  }
  dev = false;
  return p == s.size();
}

// Composer's modifier regex anchored at `pos` and at the end:
// [._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\d+)*+)?)?([.-]?dev)?$
std::optional<Modifiers> ModifierTail(std::string_view s, size_t pos) {
  static constexpr std::string_view kWords[] = {"stable", "beta", "b", "RC", "alpha", "a", "patch", "pl", "p"};
  for (int take_sep = 1; take_sep >= 0; --take_sep) {
    size_t p1 = pos;
    if (take_sep) {
      if (p1 < s.size() && (s[p1] == '.' || s[p1] == '_' || s[p1] == '-'))
        ++p1;
      else
        continue;
    }
    for (std::string_view w : kWords) {
      if (!StartsWithIgnoreCase(s, p1, w)) continue;
      size_t p2 = p1 + w.size();
      while (true) {  // possessive ([.-]?\d+)*
        size_t q = p2;
        if (q < s.size() && (s[q] == '.' || s[q] == '-')) ++q;
        size_t d = q < s.size() ? DigitRun(s.substr(q)) : 0;
        if (d == 0) break;
        p2 = q + d;
      }
      Modifiers m;
      if (DevThenEnd(s, p2, m.dev)) {
        m.stability = std::string(s.substr(p1, w.size()));
        m.numbers = std::string(s.substr(p1 + w.size(), p2 - p1 - w.size()));
        return m;
      }
    }
    Modifiers m;
    if (DevThenEnd(s, p1, m.dev)) return m;
  }
  return std::nullopt;
}

std::string ExpandStability(std::string s) {
  for (char& c : s) c = ToLower(c);
  if (s == "a") return "alpha";
  if (s == "b") return "beta";
  if (s == "p" || s == "pl") return "patch";
  if (s == "rc") return "RC";
  return s;
}

// The end positions of \d{4}(?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3})? from `start`, in the regex's
// order of preference (greedy).
void DateEnds(std::string_view s, size_t start, std::vector<size_t>& out) {
  auto digits_at = [&](size_t p, size_t n) {
    if (p + n > s.size()) return false;
    for (size_t i = 0; i < n; ++i)
      if (!IsDigit(s[p + i])) return false;
    return true;
  };
  auto is_sep = [&](size_t p) { return p < s.size() && (s[p] == '.' || s[p] == ':' || s[p] == '-'); };
  if (!digits_at(start, 4)) return;
  auto tail = [&](size_t p) {
    // (?:[.:-]?\d{1,3})? greedy: with separator first, longest first, then without it, then none.
    for (int sep = 1; sep >= 0; --sep) {
      size_t q = p;
      if (sep) {
        if (!is_sep(q)) continue;
        ++q;
      }
      for (size_t n = 3; n >= 1; --n)
        if (digits_at(q, n)) out.push_back(q + n);
    }
    out.push_back(p);
  };
  // Recursive greedy enumeration of the {1,6} pairs.
  std::function<void(size_t, int)> pairs = [&](size_t p, int k) {
    if (k < 6) {
      for (int sep = 1; sep >= 0; --sep) {
        size_t q = p;
        if (sep) {
          if (!is_sep(q)) continue;
          ++q;
        }
        if (digits_at(q, 2)) pairs(q + 2, k + 1);
      }
    }
    if (k >= 1) tail(p);
  };
  pairs(start + 4, 0);
}

// The branch part of "(.*?)[.-]?dev$": normalizeBranch() for numeric branches ("1.x" ->
// "1.9999999.9999999.9999999-dev"); nullopt for other names.
std::optional<std::string> NumericBranch(std::string_view name) {
  name = PhpTrim(name);
  size_t i = 0;
  if (i < name.size() && (name[i] == 'v' || name[i] == 'V')) ++i;
  size_t n = DigitRun(name.substr(i));
  if (n == 0) return std::nullopt;
  std::string out(name.substr(i, n));
  i += n;
  int parts = 1;
  while (i < name.size() && parts < 4) {
    if (name[i] != '.') return std::nullopt;
    ++i;
    size_t d = DigitRun(name.substr(i));
    if (d > 0) {
      out += "." + std::string(name.substr(i, d));
      i += d;
    } else if (i < name.size() && (name[i] == 'x' || name[i] == 'X' || name[i] == '*')) {
      out += ".x";
      ++i;
    } else {
      return std::nullopt;
    }
    ++parts;
  }
  if (i != name.size()) return std::nullopt;
  for (; parts < 4; ++parts) out += ".x";
  std::string expanded;
  for (char c : out) {
    if (c == 'x')
      expanded += "9999999";
    else
      expanded.push_back(c);
  }
  return expanded + "-dev";
}

std::optional<std::string> Normalize(std::string_view input) {
  std::string_view v = PhpTrim(input);
  // An alias "X as Y" normalizes as X: ^([^,\s]++) ++as ++([^,\s]++)$
  if (size_t sp = v.find(' '); sp != std::string_view::npos && sp > 0) {
    auto plain = [](std::string_view x) {
      if (x.empty()) return false;
      for (char c : x)
        if (c == ',' || IsRegexSpace(c)) return false;
      return true;
    };
    std::string_view first = v.substr(0, sp), rest = v.substr(sp);
    size_t spaces = rest.find_first_not_of(' ');
    if (spaces != std::string_view::npos && rest.substr(spaces).starts_with("as ")) {
      rest = rest.substr(spaces + 3);
      while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
      if (plain(first) && plain(rest)) v = first;
    }
  }
  // A stability flag.
  for (std::string_view flag : {"@stable", "@RC", "@beta", "@alpha", "@dev"}) {
    if (v.size() >= flag.size() && StartsWithIgnoreCase(v, v.size() - flag.size(), flag)) {
      v.remove_suffix(flag.size());
      break;
    }
  }
  std::string owned;
  if (v == "master" || v == "trunk" || v == "default") {
    owned = "dev-" + std::string(v);
    v = owned;
  }
  if (StartsWithIgnoreCase(v, 0, "dev-")) return "dev-" + std::string(v.substr(4));
  // Build metadata: ^([^,\s+]++)\+[^\s]++$
  if (size_t plus = v.find('+'); plus != std::string_view::npos && plus > 0) {
    bool ok = true;
    for (size_t i = 0; i < plus; ++i) ok = ok && v[i] != ',' && !IsRegexSpace(v[i]);
    for (size_t i = plus + 1; i < v.size(); ++i) ok = ok && !IsRegexSpace(v[i]);
    if (ok && plus + 1 < v.size()) v = v.substr(0, plus);
  }

  auto finish = [](std::string version, const Modifiers& m) {
    if (!m.stability.empty()) {
      if (m.stability == "stable") return version;
      std::string numbers = m.numbers;
      while (!numbers.empty() && (numbers.front() == '.' || numbers.front() == '-')) numbers.erase(0, 1);
      version += "-" + ExpandStability(m.stability) + numbers;
    }
    if (m.dev) version += "-dev";
    return version;
  };

  // Classical: v?(\d{1,5})(\.\d++)?(\.\d++)?(\.\d++)? + modifiers.
  {
    size_t i = 0;
    if (i < v.size() && (v[i] == 'v' || v[i] == 'V')) ++i;
    size_t n = DigitRun(v.substr(i));
    if (n >= 1 && n <= 5) {
      std::string version(v.substr(i, n));
      i += n;
      int groups = 0;
      while (groups < 3 && i + 1 < v.size() && v[i] == '.' && IsDigit(v[i + 1])) {
        size_t d = DigitRun(v.substr(i + 1));
        version += std::string(v.substr(i, 1 + d));
        i += 1 + d;
        ++groups;
      }
      for (; groups < 3; ++groups) version += ".0";
      if (auto m = ModifierTail(v, i)) return finish(version, *m);
    }
  }
  // Date: v?(\d{4}(?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3})?) + modifiers.
  {
    size_t start = (!v.empty() && (v[0] == 'v' || v[0] == 'V')) ? 1 : 0;
    std::vector<size_t> ends;
    DateEnds(v, start, ends);
    for (size_t end : ends) {
      if (auto m = ModifierTail(v, end)) {
        std::string version(v.substr(start, end - start));
        for (char& c : version)
          if (!IsDigit(c)) c = '.';
        return finish(version, *m);
      }
    }
  }
  // Numeric branches: (.*?)[.-]?dev$
  if (v.size() >= 3 && StartsWithIgnoreCase(v, v.size() - 3, "dev")) {
    // The lazy (.*?) takes the shortest name, so a '.' or '-' before "dev" is the separator.
    std::string_view name = v.substr(0, v.size() - 3);
    if (!name.empty() && (name.back() == '.' || name.back() == '-')) name.remove_suffix(1);
    if (auto b = NumericBranch(name)) return b;
  }
  return std::nullopt;
}

// The parts of PHP's canonical form: runs of digits or of letters.
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

// A run of digits as strtol() reads it on 64 bits: saturated at LONG_MAX.
std::string_view Saturate(std::string_view digits) {
  static constexpr std::string_view kLongMax = "9223372036854775807";
  return CompareDigits(digits, kLongMax) > 0 ? kLongMax : digits;
}

int ComparePart(std::string_view a, std::string_view b) {
  const bool da = IsDigit(a[0]), db = IsDigit(b[0]);
  if (da && db) return CompareDigits(Saturate(a), Saturate(b));
  if (!da && !db) return Cmp(FormOrder(a), FormOrder(b));
  return da ? Cmp(kNumberOrder, FormOrder(b)) : Cmp(FormOrder(a), kNumberOrder);
}

// PHP's version_compare() on normalized versions (which have no empty parts).
int VersionCompare(std::string_view a, std::string_view b) {
  std::vector<std::string_view> x = Parts(a), y = Parts(b);
  size_t i = 0;
  for (; i < x.size() && i < y.size(); ++i)
    if (int c = ComparePart(x[i], y[i])) return c;
  if (i < x.size()) return IsDigit(x[i][0]) ? 1 : Cmp(FormOrder(x[i]), kNumberOrder);
  if (i < y.size()) return IsDigit(y[i][0]) ? -1 : Cmp(kNumberOrder, FormOrder(y[i]));
  return 0;
}

class ComposerComparator final : public Comparator {
 public:
  std::string_view Scheme() const override { return "composer"; }

  bool Valid(std::string_view v) const override { return Normalize(v).has_value(); }

  int Compare(std::string_view a, std::string_view b) const override {
    std::optional<std::string> x = Normalize(a), y = Normalize(b);
    if (int c = detail::CompareInvalid(x.has_value(), y.has_value(), a, b); c != 2) return c;
    const bool bx = x->starts_with("dev-"), by = y->starts_with("dev-");
    if (bx || by) return bx && by ? CompareBytes(*x, *y) : (bx ? -1 : 1);
    return VersionCompare(*x, *y);
  }
};

}  // namespace

const Comparator& Comparator_composer() {
  static const ComposerComparator kInstance;
  return kInstance;
}

}  // namespace customs::version
