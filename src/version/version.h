// Version comparison, one scheme per file (version/<scheme>.cpp) plus one line in version/list.inc
// and its enum value in core/ecosystem.h.
//
// A Comparator orders the version strings of one ecosystem the way that ecosystem's own tool does
// (apk-tools, dpkg, rpm, node-semver, packaging, golang.org/x/mod/semver, Maven's
// ComparableVersion, Gem::Version, PHP's version_compare, NuGet.Versioning). Compare() is total: it
// never throws, accepts any bytes, and is a total preorder (reflexive, antisymmetric in sign,
// transitive) on all strings, including those Valid() rejects -- with one exception: Maven's own
// order has cycles on contrived strings, which the maven comparator reproduces (it stays reflexive
// and antisymmetric). How each scheme places invalid strings is documented in its file; the common
// rule for the schemes whose tools reject malformed versions (semver, npm, pep440, go, rubygems,
// nuget) is: an invalid version sorts before every valid one, and two invalid versions compare
// bytewise.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "core/ecosystem.h"

namespace customs::version {

class Comparator {
 public:
  virtual ~Comparator() = default;
  // The scheme id: "apk", "dpkg", "rpm", "semver", "npm", "pep440", "go", "maven", "rubygems",
  // "composer", "nuget".
  virtual std::string_view Scheme() const = 0;
  // True when `v` parses under the scheme.
  virtual bool Valid(std::string_view v) const = 0;
  // <0, 0 or >0 as a is older than, the same version as, or newer than b.
  virtual int Compare(std::string_view a, std::string_view b) const = 0;
};

// The comparator of a scheme id ("dpkg") or of an OSV ecosystem name ("Debian", "PyPI",
// "crates.io"...); ecosystem names with a release suffix ("Alpine:v3.18", "Ubuntu:22.04:LTS") map
// like their prefix, and names match case-insensitively. nullptr when unknown. The comparators are
// stateless singletons: thread-safe, never freed.
const Comparator* ComparatorFor(std::string_view scheme);
// The comparator of a scheme of the package-type table (core/ecosystem.h); never null.
const Comparator& ComparatorFor(ecosystem::Scheme scheme);

struct SchemeEntry {
  std::string_view id;  // "dpkg"
  const Comparator* comparator;
  std::vector<std::string_view> ecosystems;  // OSV ecosystem names: "Debian", "Ubuntu"
};
// Every scheme of version/list.inc, in table order.
const std::vector<SchemeEntry>& Schemes();

// Helpers the schemes share.
namespace detail {

inline int Sign(int c) { return (c > 0) - (c < 0); }

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
inline bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool IsAlpha(char c) { return IsLower(c) || IsUpper(c); }
inline bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }
inline char ToLower(char c) { return IsUpper(c) ? static_cast<char>(c - 'A' + 'a') : c; }
inline bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

inline std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Bytewise (unsigned) lexicographic order: -1, 0, 1.
inline int CompareBytes(std::string_view a, std::string_view b) {
  int c = a.compare(b);
  return Sign(c);
}

// Two runs of decimal digits compared as unbounded non-negative integers (leading zeros ignored):
// -1, 0, 1. Never overflows, whatever the length.
inline int CompareDigits(std::string_view a, std::string_view b) {
  while (!a.empty() && a.front() == '0') a.remove_prefix(1);
  while (!b.empty() && b.front() == '0') b.remove_prefix(1);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return CompareBytes(a, b);
}

// The length of the run of decimal digits at the start of `s`.
inline size_t DigitRun(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && IsDigit(s[i])) ++i;
  return i;
}

// The common placement of strings a scheme cannot parse: before every valid version, bytewise
// among themselves. `valid_a`/`valid_b` say whether each side parsed; returns the result when at
// least one side is invalid, or 2 when both are valid (compare them by the scheme's rules).
inline int CompareInvalid(bool valid_a, bool valid_b, std::string_view a, std::string_view b) {
  if (valid_a && valid_b) return 2;
  if (!valid_a && !valid_b) return CompareBytes(a, b);
  return valid_a ? 1 : -1;
}

}  // namespace detail
}  // namespace customs::version
