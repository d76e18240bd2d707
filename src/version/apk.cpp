// Alpine's apk versions, as apk-tools (2.12 and later, src/version.c) orders them.
//
// Grammar: digits {'.' digits} [letter] {'_' suffix [digits]} ['~' hash] ['-r' digits], where a
// letter is one of a-z, a suffix one of alpha beta pre rc (pre-releases, older than no suffix) or
// cvs svn git hg p (newer than no suffix), and the hash is lowercase hex (apk-tools 3).
//
// Comparison walks both strings token by token. Tokens of the same kind compare by value:
//   - the first number numerically; a later '.' number numerically too, unless either side has a
//     leading zero, then as strings ("1.01" < "1.1", "1.0" < "1.00": Gentoo's rule);
//   - letters by character, suffixes by rank (alpha < beta < pre < rc < cvs < svn < git < hg < p),
//     suffix numbers and -r revisions numerically, hashes as strings.
// At the first position where the kinds differ (one side ended, or went on with another kind), a
// pre-release suffix is older than anything; otherwise the side whose token comes later in the
// grammar (digit < letter < suffix < suffix number < hash < revision < end) is the older one:
// "1.2" < "1.2.1" (one more number), "1.2a" < "1.2.1" (a letter comes after the numbers),
// "1.2" < "1.2-r1", "1.2_rc1" < "1.2" < "1.2_p1".
//
// Invalid strings (Valid() false) compare like apk compares them: up to the token that does not
// parse, and an unparsable rest is older than the end of the string or any valid continuation.
// apk calls two strings equal when they become invalid at the same token; here they are then
// ordered bytewise by their unparsed rests, so that only equivalent strings compare equal. Numbers
// are unbounded (apk-tools reads them into 64 bits).
#include "version/version.h"

namespace customs::version {
namespace {

using detail::CompareBytes;
using detail::CompareDigits;
using detail::DigitRun;
using detail::IsDigit;
using detail::IsLower;

// Token kinds in grammar order; the order matters for the comparison of different kinds.
enum Kind { kInitialDigit, kDigit, kLetter, kSuffix, kSuffixNo, kCommitHash, kRevisionNo, kEnd, kInvalid };

// Suffix ranks: pre-release suffixes below kNoSuffix, post-release ones above.
enum Suffix { kAlpha = 1, kBeta, kPre, kRc, kNoSuffix, kCvs, kSvn, kGit, kHg, kP };

int SuffixRank(std::string_view s) {
  static constexpr std::pair<std::string_view, int> kSuffixes[] = {
      {"alpha", kAlpha}, {"beta", kBeta}, {"pre", kPre}, {"rc", kRc}, {"cvs", kCvs},
      {"svn", kSvn},     {"git", kGit},   {"hg", kHg},   {"p", kP},
  };
  for (const auto& [name, rank] : kSuffixes)
    if (s == name) return rank;
  return 0;
}

struct Token {
  Kind kind = kInvalid;
  std::string_view value;  // the digits, letter, suffix name or hash; the unparsed rest when invalid
  int suffix = 0;
};

class Tokenizer {
 public:
  explicit Tokenizer(std::string_view s) : rest_(s) {
    size_t n = DigitRun(rest_);
    if (n == 0) {
      tok_ = {kInvalid, rest_, 0};
    } else {
      tok_ = {kInitialDigit, rest_.substr(0, n), 0};
      rest_.remove_prefix(n);
    }
  }
  const Token& token() const { return tok_; }

  void Next() {
    if (tok_.kind >= kEnd) return;
    if (rest_.empty()) {
      tok_ = {kEnd, {}, 0};
      return;
    }
    const std::string_view start = rest_;
    const Kind prev = tok_.kind;
    const char c = rest_[0];
    if (IsLower(c)) {
      if (prev > kDigit) return Invalid(start);
      tok_ = {kLetter, rest_.substr(0, 1), 0};
      rest_.remove_prefix(1);
    } else if (c == '.' || IsDigit(c)) {
      if (c == '.') {
        if (prev > kDigit) return Invalid(start);
        rest_.remove_prefix(1);
      }
      Kind kind;
      if (prev == kInitialDigit || prev == kDigit) {
        kind = kDigit;
      } else if (prev == kSuffix && c != '.') {
        kind = kSuffixNo;
      } else {
        return Invalid(start);
      }
      size_t n = DigitRun(rest_);
      if (n == 0) return Invalid(start);
      tok_ = {kind, rest_.substr(0, n), 0};
      rest_.remove_prefix(n);
    } else if (c == '_') {
      if (prev > kSuffixNo) return Invalid(start);
      size_t n = 1;
      while (n < rest_.size() && IsLower(rest_[n])) ++n;
      int rank = SuffixRank(rest_.substr(1, n - 1));
      if (rank == 0) return Invalid(start);
      tok_ = {kSuffix, rest_.substr(1, n - 1), rank};
      rest_.remove_prefix(n);
    } else if (c == '~') {
      if (prev >= kCommitHash) return Invalid(start);
      size_t n = 1;
      while (n < rest_.size() && (IsDigit(rest_[n]) || (rest_[n] >= 'a' && rest_[n] <= 'f'))) ++n;
      if (n == 1) return Invalid(start);
      tok_ = {kCommitHash, rest_.substr(1, n - 1), 0};
      rest_.remove_prefix(n);
    } else if (c == '-') {
      if (prev >= kRevisionNo || rest_.size() < 2 || rest_[1] != 'r') return Invalid(start);
      size_t n = DigitRun(rest_.substr(2));
      if (n == 0) return Invalid(start);
      tok_ = {kRevisionNo, rest_.substr(2, n), 0};
      rest_.remove_prefix(2 + n);
    } else {
      Invalid(start);
    }
  }

 private:
  void Invalid(std::string_view start) { tok_ = {kInvalid, start, 0}; }

  std::string_view rest_;
  Token tok_;
};

// Two tokens of the same kind (below kEnd).
int CompareTokens(const Token& a, const Token& b) {
  switch (a.kind) {
    case kDigit:
      if (a.value[0] == '0' || b.value[0] == '0') return CompareBytes(a.value, b.value);
      return CompareDigits(a.value, b.value);
    case kInitialDigit:
    case kSuffixNo:
    case kRevisionNo:
      return CompareDigits(a.value, b.value);
    case kLetter:
      return CompareBytes(a.value, b.value);
    case kSuffix:
      return a.suffix < b.suffix ? -1 : a.suffix > b.suffix ? 1 : 0;
    default:
      return CompareBytes(a.value, b.value);
  }
}

class ApkComparator final : public Comparator {
 public:
  std::string_view Scheme() const override { return "apk"; }

  bool Valid(std::string_view v) const override {
    Tokenizer t(v);
    while (t.token().kind < kEnd) t.Next();
    return t.token().kind == kEnd;
  }

  int Compare(std::string_view a, std::string_view b) const override {
    Tokenizer ta(a), tb(b);
    for (; ta.token().kind == tb.token().kind && ta.token().kind < kEnd; ta.Next(), tb.Next()) {
      int c = CompareTokens(ta.token(), tb.token());
      if (c != 0) return c;
    }
    const Token& x = ta.token();
    const Token& y = tb.token();
    if (x.kind == y.kind) return x.kind == kInvalid ? CompareBytes(x.value, y.value) : 0;
    if (x.kind == kSuffix && x.suffix < kNoSuffix) return -1;
    if (y.kind == kSuffix && y.suffix < kNoSuffix) return 1;
    return x.kind > y.kind ? -1 : 1;
  }
};

}  // namespace

const Comparator& Comparator_apk() {
  static const ApkComparator kInstance;
  return kInstance;
}

}  // namespace customs::version
