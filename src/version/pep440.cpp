// Python package versions (PEP 440), as packaging.version.Version parses and orders them.
//
// [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local], accepted in every spelling PEP 440 normalizes:
// case-insensitive, optional leading 'v' and surrounding spaces, '-', '_' or '.' (or nothing)
// between the parts, "alpha"/"beta"/"c"/"pre"/"preview" for a/b/rc, "rev"/"r" or a bare "-N" for
// post, implicit 0 numbers ("1.0a" == "1.0a0", "1.0.post" == "1.0.post0"), local parts split on
// [-_.]. So "1.0.0a1" == "1.0a1" (trailing zeros of the release do not count) and
// "1.0-post1" == "1.0.post1".
//
// Order (packaging's _cmpkey): epoch, then release (trailing zeros stripped, numbers unbounded),
// then dev-only releases (1.0.dev1 < 1.0a1) before pre-releases (a < b < rc, then the number)
// before the release, then no post < post N, then dev N < no dev, then no local < local, local
// parts compared one by one with alphanumeric parts (bytewise, lowercased) before numeric ones
// (numerically), a shorter prefix list older.
//
// Invalid strings (no LegacyVersion here) sort before every valid version, and bytewise among
// themselves.
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

struct Parsed {
  std::string_view epoch;                 // digits, empty = 0
  std::vector<std::string_view> release;  // trailing zeros stripped
  int pre_kind = 0;                       // 0 none, 1 a, 2 b, 3 rc
  std::string_view pre_n;
  bool has_post = false;
  std::string_view post_n;
  bool has_dev = false;
  std::string_view dev_n;
  std::vector<std::string> local;  // lowercased
};

bool IsSep(char c) { return c == '-' || c == '_' || c == '.'; }

// Case-insensitive: does `s` at `i` start with the lowercase word `w`?
bool WordAt(std::string_view s, size_t i, std::string_view w) {
  if (s.size() - i < w.size()) return false;
  for (size_t k = 0; k < w.size(); ++k)
    if (ToLower(s[i + k]) != w[k]) return false;
  return true;
}

bool IsZero(std::string_view digits) { return digits.find_first_not_of('0') == std::string_view::npos; }

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(detail::Trim(s)) {}

  bool Parse(Parsed& out) {
    if (i_ < s_.size() && ToLower(s_[i_]) == 'v') ++i_;
    // Epoch, or the first release number.
    std::string_view n = Digits();
    if (n.empty()) return false;
    if (i_ < s_.size() && s_[i_] == '!') {
      out.epoch = n;
      ++i_;
      n = Digits();
      if (n.empty()) return false;
    }
    out.release.push_back(n);
    while (i_ + 1 < s_.size() && s_[i_] == '.' && IsDigit(s_[i_ + 1])) {
      ++i_;
      out.release.push_back(Digits());
    }
    while (!out.release.empty() && IsZero(out.release.back())) out.release.pop_back();

    ParsePre(out);
    ParsePost(out);
    ParseDev(out);
    if (i_ < s_.size() && s_[i_] == '+') {
      ++i_;
      if (!ParseLocal(out)) return false;
    }
    return i_ == s_.size();
  }

 private:
  std::string_view Digits() {
    size_t n = DigitRun(s_.substr(i_));
    std::string_view d = s_.substr(i_, n);
    i_ += n;
    return d;
  }

  // [-_.]? word [-_.]? N? at i_, one of `words` (tried in order, as the regular expression's
  // alternation does); consumed only when a word matches. A separator after the word is consumed
  // even when no number follows ("1.0a-" is 1.0a0), as the optional group of the regex does.
  // Returns false when no word matches; else sets `which` (index in `words`) and `number`.
  bool Labeled(std::initializer_list<std::string_view> words, std::string_view& number, size_t& which) {
    size_t j = i_;
    if (j < s_.size() && IsSep(s_[j])) ++j;
    which = 0;
    for (std::string_view w : words) {
      if (WordAt(s_, j, w)) {
        j += w.size();
        if (j < s_.size() && IsSep(s_[j])) ++j;
        size_t nd = DigitRun(s_.substr(j));
        number = s_.substr(j, nd);
        i_ = j + nd;
        return true;
      }
      ++which;
    }
    return false;
  }

  void ParsePre(Parsed& out) {
    // Alternation order matters for prefixes: "alpha" before "a", "preview" before "pre".
    std::string_view n;
    size_t which = 0;
    if (!Labeled({"alpha", "a", "beta", "b", "preview", "pre", "c", "rc"}, n, which)) return;
    static constexpr int kKinds[] = {1, 1, 2, 2, 3, 3, 3, 3};
    out.pre_kind = kKinds[which];
    out.pre_n = n;
  }

  void ParsePost(Parsed& out) {
    // "-N" first.
    if (i_ + 1 < s_.size() && s_[i_] == '-' && IsDigit(s_[i_ + 1])) {
      ++i_;
      out.has_post = true;
      out.post_n = Digits();
      return;
    }
    std::string_view n;
    size_t which = 0;
    if (!Labeled({"post", "rev", "r"}, n, which)) return;
    out.has_post = true;
    out.post_n = n;
  }

  void ParseDev(Parsed& out) {
    std::string_view n;
    size_t which = 0;
    if (!Labeled({"dev"}, n, which)) return;
    out.has_dev = true;
    out.dev_n = n;
  }

  // [a-z0-9]+ ([-_.][a-z0-9]+)*
  bool ParseLocal(Parsed& out) {
    while (true) {
      size_t start = i_;
      while (i_ < s_.size() && IsAlnum(s_[i_])) ++i_;
      if (i_ == start) return false;
      std::string part(s_.substr(start, i_ - start));
      for (char& c : part) c = ToLower(c);
      out.local.push_back(std::move(part));
      if (i_ + 1 < s_.size() && IsSep(s_[i_]) && IsAlnum(s_[i_ + 1])) {
        ++i_;
        continue;
      }
      return true;
    }
  }

  std::string_view s_;
  size_t i_ = 0;
};

bool Parse(std::string_view v, Parsed& out) { return Parser(v).Parse(out); }

bool AllDigits(std::string_view s) { return !s.empty() && DigitRun(s) == s.size(); }

int CompareRelease(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i)
    if (int c = CompareDigits(a[i], b[i])) return c;
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

// The pre-release key: dev-only releases lowest, then a/b/rc by number, then "none" highest.
int ComparePre(const Parsed& a, const Parsed& b) {
  auto rank = [](const Parsed& p) {
    if (p.pre_kind == 0) return (!p.has_post && p.has_dev) ? 0 : 4;
    return p.pre_kind;
  };
  int ra = rank(a), rb = rank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  if (a.pre_kind != 0) return CompareDigits(a.pre_n, b.pre_n);
  return 0;
}

int CompareLocal(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    bool na = AllDigits(a[i]), nb = AllDigits(b[i]);
    int c;
    if (na && nb) {
      c = CompareDigits(a[i], b[i]);
    } else if (na != nb) {
      c = na ? 1 : -1;  // alphanumeric parts sort before numeric ones
    } else {
      c = CompareBytes(a[i], b[i]);
    }
    if (c != 0) return c;
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

class Pep440Comparator final : public Comparator {
 public:
  std::string_view Scheme() const override { return "pep440"; }

  bool Valid(std::string_view v) const override {
    Parsed p;
    return Parse(v, p);
  }

  int Compare(std::string_view a, std::string_view b) const override {
    Parsed x, y;
    bool vx = Parse(a, x), vy = Parse(b, y);
    if (int c = detail::CompareInvalid(vx, vy, a, b); c != 2) return c;
    if (int c = CompareDigits(x.epoch, y.epoch)) return c;
    if (int c = CompareRelease(x.release, y.release)) return c;
    if (int c = ComparePre(x, y)) return c;
    if (x.has_post != y.has_post) return x.has_post ? 1 : -1;
    if (x.has_post)
      if (int c = CompareDigits(x.post_n, y.post_n)) return c;
    if (x.has_dev != y.has_dev) return x.has_dev ? -1 : 1;
    if (x.has_dev)
      if (int c = CompareDigits(x.dev_n, y.dev_n)) return c;
    return CompareLocal(x.local, y.local);
  }
};

}  // namespace

const Comparator& Comparator_pep440() {
  static const Pep440Comparator kInstance;
  return kInstance;
}

}  // namespace customs::version
