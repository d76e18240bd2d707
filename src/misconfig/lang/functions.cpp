// The functions of the check language (see functions.h; docs/checks.md lists them with examples).
// String positions (indexOf, substring, charAt) and size() count Unicode code points, as in CEL.
#include "misconfig/lang/functions.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <list>
#include <mutex>
#include <unordered_map>

#include "misconfig/lang/ast.h"
#include "misconfig/lang/program.h"
#include "misconfig/lang/regex.h"

namespace customs::misconfig::lang {
namespace {

using K = Val::Kind;

std::string Signature(const CallArgs& c) {
  std::string s;
  const bool recv = c.node.method;
  if (recv) { s += TypeName(c.a[0]); s += '.'; }
  s += c.node.name;
  s += '(';
  for (int k = recv ? 1 : 0; k < c.n; ++k) {
    if (k > (recv ? 1 : 0)) s += ", ";
    s += TypeName(c.a[k]);
  }
  s += ')';
  return s;
}
Val NoOverload(const CallArgs& c) { return Val::Error("no such overload: " + Signature(c)); }

bool Is(const CallArgs& c, int k, K kind) { return k < c.n && c.a[k].kind == kind; }
bool AllStrings(const CallArgs& c) {
  for (int k = 0; k < c.n; ++k)
    if (c.a[k].kind != K::kString) return false;
  return true;
}

// Byte offsets of each code point of s, plus s.size() at the end.
std::vector<size_t> CodePoints(std::string_view s) {
  std::vector<size_t> out;
  out.reserve(s.size() + 1);
  for (size_t k = 0; k < s.size();) {
    out.push_back(k);
    const unsigned char c = s[k];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (k + len > s.size()) len = 1;
    for (size_t j = 1; j < len; ++j)
      if ((static_cast<unsigned char>(s[k + j]) & 0xC0) != 0x80) { len = 1; break; }
    k += len;
  }
  out.push_back(s.size());
  return out;
}

Val TooLarge() { return Val::Error("result larger than 1 MiB"); }

// ---- size, strings ------------------------------------------------------------------------------
Val FnSize(const CallArgs& c) {
  const Val& x = c.a[0];
  switch (x.kind) {
    case K::kString: return Val::Int(static_cast<int64_t>(CodePointCount(x.str())));
    case K::kBytes: return Val::Int(static_cast<int64_t>(x.str().size()));
    case K::kList: case K::kMap: return Val::Int(static_cast<int64_t>(x.size()));
    default: return NoOverload(c);
  }
}
Val FnContains(const CallArgs& c) {
  if (!AllStrings(c)) return NoOverload(c);
  return Val::Bool(c.a[0].str().find(c.a[1].str()) != std::string_view::npos);
}
Val FnStartsWith(const CallArgs& c) {
  if (!AllStrings(c)) return NoOverload(c);
  const auto s = c.a[0].str(), p = c.a[1].str();
  return Val::Bool(s.substr(0, p.size()) == p);
}
Val FnEndsWith(const CallArgs& c) {
  if (!AllStrings(c)) return NoOverload(c);
  const auto s = c.a[0].str(), p = c.a[1].str();
  return Val::Bool(s.size() >= p.size() && s.substr(s.size() - p.size()) == p);
}

// A small per-thread cache of patterns that were not literals.
std::shared_ptr<const Regex> CachedRegex(std::string_view pattern, std::string* error) {
  thread_local std::unordered_map<std::string, std::shared_ptr<const Regex>> cache;
  auto it = cache.find(std::string(pattern));
  if (it != cache.end()) return it->second;
  auto re = CompileRegex(pattern, error);
  if (!re) return nullptr;
  if (cache.size() >= 64) cache.clear();
  cache.emplace(std::string(pattern), re);
  return re;
}
Val FnMatches(const CallArgs& c) {
  if (!AllStrings(c)) return NoOverload(c);
  std::string error;
  std::shared_ptr<const Regex> re = c.node.regex;
  if (!re) re = CachedRegex(c.a[1].str(), &error);
  if (!re) return Val::Error(error);
  const int r = RegexSearch(*re, c.a[0].str(), &error);
  if (r < 0) return Val::Error(error);
  return Val::Bool(r == 1);
}
// Kubernetes' regex library: s.find(re) is the first match ("" when none); s.findAll(re[, n]) the
// first n (all when n < 0) non-overlapping matches.
Val FnFind(const CallArgs& c) {
  if (!AllStrings(c)) return NoOverload(c);
  std::string error;
  std::shared_ptr<const Regex> re = c.node.regex;
  if (!re) re = CachedRegex(c.a[1].str(), &error);
  if (!re) return Val::Error(error);
  size_t b = 0, e = 0;
  const int r = RegexSearch(*re, c.a[0].str(), &error, 0, &b, &e);
  if (r < 0) return Val::Error(error);
  return Val::String(r == 1 ? std::string(c.a[0].str().substr(b, e - b)) : std::string());
}
Val FnFindAll(const CallArgs& c) {
  if (!Is(c, 0, K::kString) || !Is(c, 1, K::kString) || (c.n == 3 && !Is(c, 2, K::kInt))) return NoOverload(c);
  std::string error;
  std::shared_ptr<const Regex> re = c.node.regex;
  if (!re) re = CachedRegex(c.a[1].str(), &error);
  if (!re) return Val::Error(error);
  const std::string_view s = c.a[0].str();
  int64_t limit = c.n == 3 ? c.a[2].i : -1;
  std::vector<Val> out;
  size_t from = 0;
  while (limit != 0 && from <= s.size()) {
    size_t b = 0, e = 0;
    const int r = RegexSearch(*re, s, &error, from, &b, &e);
    if (r < 0) return Val::Error(error);
    if (r == 0) break;
    out.push_back(Val::String(std::string(s.substr(b, e - b))));
    if (out.size() > kMaxCollection) return Val::Error("findAll(): more than 100000 matches");
    if (limit > 0) --limit;
    from = e > b ? e : e + 1;  // an empty match: step past it
    while (from < s.size() && (static_cast<unsigned char>(s[from]) & 0xC0) == 0x80) ++from;  // whole code points
  }
  return Val::List(std::move(out));
}

// Kubernetes' list library: sum(), min(), max() of a list of numbers (min/max also of strings).
Val FnSum(const CallArgs& c) {
  if (!Is(c, 0, K::kList)) return NoOverload(c);
  const Val& l = c.a[0];
  if (l.size() == 0) return Val::Int(0);
  const K kind = l.at(0).kind;
  int64_t si = 0;
  uint64_t su = 0;
  double sd = 0;
  for (size_t k = 0; k < l.size(); ++k) {
    const Val e = l.at(k);
    if (e.kind != kind || (kind != K::kInt && kind != K::kUint && kind != K::kDouble))
      return Val::Error("sum(): the list must hold numbers of one type");
    if (kind == K::kInt && __builtin_add_overflow(si, e.i, &si)) return Val::Error("sum(): integer overflow");
    if (kind == K::kUint && __builtin_add_overflow(su, e.u, &su)) return Val::Error("sum(): unsigned integer overflow");
    if (kind == K::kDouble) sd += e.d;
  }
  return kind == K::kInt ? Val::Int(si) : kind == K::kUint ? Val::Uint(su) : Val::Double(sd);
}
Val MinMax(const CallArgs& c, bool want_max) {
  if (!Is(c, 0, K::kList)) return NoOverload(c);
  const Val& l = c.a[0];
  if (l.size() == 0) return Val::Error(std::string(want_max ? "max" : "min") + "(): empty list");
  Val best = l.at(0);
  for (size_t k = 1; k < l.size(); ++k) {
    const Val e = l.at(k);
    int r;
    if (!Compare(e, best, &r)) return Val::Error(std::string(want_max ? "max" : "min") + "(): elements cannot be compared");
    if (want_max ? r > 0 : r < 0) best = e;
  }
  return best;
}
Val FnMin(const CallArgs& c) { return MinMax(c, false); }
Val FnMax(const CallArgs& c) { return MinMax(c, true); }

Val FnLowerAscii(const CallArgs& c) {
  if (!AllStrings(c)) return NoOverload(c);
  std::string s(c.a[0].str());
  for (char& ch : s)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return Val::String(std::move(s));
}
Val FnUpperAscii(const CallArgs& c) {
  if (!AllStrings(c)) return NoOverload(c);
  std::string s(c.a[0].str());
  for (char& ch : s)
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  return Val::String(std::move(s));
}
Val FnSplit(const CallArgs& c) {
  if (!Is(c, 0, K::kString) || !Is(c, 1, K::kString) || (c.n == 3 && !Is(c, 2, K::kInt))) return NoOverload(c);
  const std::string_view s = c.a[0].str(), sep = c.a[1].str();
  int64_t limit = c.n == 3 ? c.a[2].i : -1;
  std::vector<Val> out;
  if (limit == 0) return Val::List({});
  if (sep.empty()) {
    const auto cps = CodePoints(s);
    for (size_t k = 0; k + 1 < cps.size(); ++k) {
      if (limit > 0 && static_cast<int64_t>(out.size()) == limit - 1) {
        out.push_back(Val::String(std::string(s.substr(cps[k]))));
        return Val::List(std::move(out));
      }
      if (out.size() >= kMaxCollection) return Val::Error("split(): more than 100000 parts");
      out.push_back(Val::String(std::string(s.substr(cps[k], cps[k + 1] - cps[k]))));
    }
    return Val::List(std::move(out));
  }
  size_t start = 0;
  for (;;) {
    if (limit > 0 && static_cast<int64_t>(out.size()) == limit - 1) break;
    const size_t at = s.find(sep, start);
    if (at == std::string_view::npos) break;
    if (out.size() >= kMaxCollection) return Val::Error("split(): more than 100000 parts");
    out.push_back(Val::String(std::string(s.substr(start, at - start))));
    start = at + sep.size();
  }
  out.push_back(Val::String(std::string(s.substr(start))));
  return Val::List(std::move(out));
}
Val FnJoin(const CallArgs& c) {
  if (!Is(c, 0, K::kList) || (c.n == 2 && !Is(c, 1, K::kString))) return NoOverload(c);
  const std::string_view sep = c.n == 2 ? c.a[1].str() : std::string_view();
  std::string out;
  for (size_t k = 0; k < c.a[0].size(); ++k) {
    const Val e = c.a[0].at(k);
    if (e.kind != K::kString) return Val::Error("join(): list element " + std::to_string(k) + " is " + std::string(TypeName(e)) + ", not string");
    if (k) out += sep;
    out += e.str();
    if (out.size() > kMaxStringBytes) return TooLarge();
  }
  return Val::String(std::move(out));
}
bool IsSpaceAt(std::string_view s, size_t k, size_t* len) {
  const unsigned char c = s[k];
  if (c == ' ' || (c >= '\t' && c <= '\r')) { *len = 1; return true; }
  // U+0085, U+00A0 (2 bytes); U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000 (3 bytes).
  if (c == 0xC2 && k + 1 < s.size() && (static_cast<unsigned char>(s[k + 1]) == 0x85 || static_cast<unsigned char>(s[k + 1]) == 0xA0)) { *len = 2; return true; }
  if (k + 2 < s.size()) {
    const unsigned char b1 = s[k + 1], b2 = s[k + 2];
    const uint32_t cp = ((c & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F);
    if ((c >> 4) == 0xE && (b1 & 0xC0) == 0x80 && (b2 & 0xC0) == 0x80 &&
        (cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000)) { *len = 3; return true; }
  }
  return false;
}
Val FnTrim(const CallArgs& c) {
  if (!AllStrings(c)) return NoOverload(c);
  const std::string_view s = c.a[0].str();
  const auto cps = CodePoints(s);
  size_t b = 0, e = cps.size() - 1;  // code point indexes
  size_t len;
  while (b < e && IsSpaceAt(s, cps[b], &len) && cps[b] + len == cps[b + 1]) ++b;
  while (e > b && IsSpaceAt(s, cps[e - 1], &len) && cps[e - 1] + len == cps[e]) --e;
  return Val::String(std::string(s.substr(cps[b], cps[e] - cps[b])));
}
Val FnReplace(const CallArgs& c) {
  if (!Is(c, 0, K::kString) || !Is(c, 1, K::kString) || !Is(c, 2, K::kString) || (c.n == 4 && !Is(c, 3, K::kInt)))
    return NoOverload(c);
  const std::string_view s = c.a[0].str(), from = c.a[1].str(), to = c.a[2].str();
  int64_t limit = c.n == 4 ? c.a[3].i : -1;
  std::string out;
  if (from.empty()) {
    // Go's strings.Replace: insert `to` before every code point and at the end.
    const auto cps = CodePoints(s);
    for (size_t k = 0; k < cps.size(); ++k) {
      if (limit != 0) { out += to; if (limit > 0) --limit; }
      if (k + 1 < cps.size()) out += s.substr(cps[k], cps[k + 1] - cps[k]);
      if (out.size() > kMaxStringBytes) return TooLarge();
    }
    return Val::String(std::move(out));
  }
  size_t start = 0;
  while (limit != 0) {
    const size_t at = s.find(from, start);
    if (at == std::string_view::npos) break;
    out += s.substr(start, at - start);
    out += to;
    if (out.size() > kMaxStringBytes) return TooLarge();
    start = at + from.size();
    if (limit > 0) --limit;
  }
  out += s.substr(start);
  if (out.size() > kMaxStringBytes) return TooLarge();
  return Val::String(std::move(out));
}
Val FnIndexOf(const CallArgs& c) {
  if (Is(c, 0, K::kList) && c.n == 2) {
    for (size_t k = 0; k < c.a[0].size(); ++k)
      if (Equal(c.a[0].at(k), c.a[1])) return Val::Int(static_cast<int64_t>(k));
    return Val::Int(-1);
  }
  if (!Is(c, 0, K::kString) || !Is(c, 1, K::kString) || (c.n == 3 && !Is(c, 2, K::kInt))) return NoOverload(c);
  const std::string_view s = c.a[0].str(), sub = c.a[1].str();
  const auto cps = CodePoints(s);
  const int64_t n = static_cast<int64_t>(cps.size() - 1);
  const int64_t off = c.n == 3 ? c.a[2].i : 0;
  if (off < 0 || off > n) return Val::Error("indexOf(): offset " + std::to_string(off) + " out of range");
  const size_t at = s.find(sub, cps[static_cast<size_t>(off)]);
  if (at == std::string_view::npos) return Val::Int(-1);
  return Val::Int(static_cast<int64_t>(std::lower_bound(cps.begin(), cps.end(), at) - cps.begin()));
}
Val FnLastIndexOf(const CallArgs& c) {
  if (Is(c, 0, K::kList) && c.n == 2) {
    for (size_t k = c.a[0].size(); k-- > 0;)
      if (Equal(c.a[0].at(k), c.a[1])) return Val::Int(static_cast<int64_t>(k));
    return Val::Int(-1);
  }
  if (!Is(c, 0, K::kString) || !Is(c, 1, K::kString) || (c.n == 3 && !Is(c, 2, K::kInt))) return NoOverload(c);
  const std::string_view s = c.a[0].str(), sub = c.a[1].str();
  const auto cps = CodePoints(s);
  const int64_t n = static_cast<int64_t>(cps.size() - 1);
  const int64_t off = c.n == 3 ? c.a[2].i : n;
  if (off < 0 || off > n) return Val::Error("lastIndexOf(): offset " + std::to_string(off) + " out of range");
  const size_t at = s.rfind(sub, cps[static_cast<size_t>(off)]);
  if (at == std::string_view::npos) return Val::Int(-1);
  return Val::Int(static_cast<int64_t>(std::lower_bound(cps.begin(), cps.end(), at) - cps.begin()));
}
Val FnSubstring(const CallArgs& c) {
  if (!Is(c, 0, K::kString) || !Is(c, 1, K::kInt) || (c.n == 3 && !Is(c, 2, K::kInt))) return NoOverload(c);
  const std::string_view s = c.a[0].str();
  const auto cps = CodePoints(s);
  const int64_t n = static_cast<int64_t>(cps.size() - 1);
  const int64_t b = c.a[1].i, e = c.n == 3 ? c.a[2].i : n;
  if (b < 0 || b > n || e < b || e > n)
    return Val::Error("substring(): range [" + std::to_string(b) + ", " + std::to_string(e) + ") out of range");
  return Val::String(std::string(s.substr(cps[static_cast<size_t>(b)], cps[static_cast<size_t>(e)] - cps[static_cast<size_t>(b)])));
}
Val FnCharAt(const CallArgs& c) {
  if (!Is(c, 0, K::kString) || !Is(c, 1, K::kInt)) return NoOverload(c);
  const std::string_view s = c.a[0].str();
  const auto cps = CodePoints(s);
  const int64_t n = static_cast<int64_t>(cps.size() - 1), k = c.a[1].i;
  if (k < 0 || k > n) return Val::Error("charAt(): index " + std::to_string(k) + " out of range");
  if (k == n) return Val::String("");
  return Val::String(std::string(s.substr(cps[static_cast<size_t>(k)], cps[static_cast<size_t>(k) + 1] - cps[static_cast<size_t>(k)])));
}

// ---- conversions -------------------------------------------------------------------------------
bool ParseInt(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 32) return false;
  std::string t(s);
  if (t[0] == '+' ) return false;
  for (size_t k = (t[0] == '-') ? 1 : 0; k < t.size(); ++k)
    if (t[k] < '0' || t[k] > '9') return false;
  if (t == "-") return false;
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(t.c_str(), &end, 10);
  if (errno != 0 || *end) return false;
  *out = v;
  return true;
}
Val FnInt(const CallArgs& c) {
  const Val& x = c.a[0];
  switch (x.kind) {
    case K::kInt: return Val::Int(x.i);
    case K::kUint:
      if (x.u > static_cast<uint64_t>(INT64_MAX)) return Val::Error("int(): " + std::to_string(x.u) + "u out of range");
      return Val::Int(static_cast<int64_t>(x.u));
    case K::kDouble:
      if (!(x.d > -9223372036854775808.0 && x.d < 9223372036854775808.0)) return Val::Error("int(): double out of range");
      return Val::Int(static_cast<int64_t>(x.d));
    case K::kString: {
      int64_t v;
      if (!ParseInt(x.str(), &v)) return Val::Error("int(): cannot convert \"" + std::string(x.str().substr(0, 64)) + "\" to int");
      return Val::Int(v);
    }
    default: return NoOverload(c);
  }
}
Val FnUint(const CallArgs& c) {
  const Val& x = c.a[0];
  switch (x.kind) {
    case K::kUint: return Val::Uint(x.u);
    case K::kInt:
      if (x.i < 0) return Val::Error("uint(): " + std::to_string(x.i) + " out of range");
      return Val::Uint(static_cast<uint64_t>(x.i));
    case K::kDouble:
      if (!(x.d > -1.0 && x.d < 18446744073709551616.0)) return Val::Error("uint(): double out of range");
      return Val::Uint(static_cast<uint64_t>(x.d));
    case K::kString: {
      const std::string t(x.str());
      bool ok = !t.empty() && t.size() <= 24;
      for (char ch : t) ok = ok && ch >= '0' && ch <= '9';
      errno = 0;
      char* end = nullptr;
      const unsigned long long v = ok ? std::strtoull(t.c_str(), &end, 10) : 0;
      if (!ok || errno != 0) return Val::Error("uint(): cannot convert \"" + t.substr(0, 64) + "\" to uint");
      return Val::Uint(v);
    }
    default: return NoOverload(c);
  }
}
Val FnDouble(const CallArgs& c) {
  const Val& x = c.a[0];
  switch (x.kind) {
    case K::kDouble: return Val::Double(x.d);
    case K::kInt: return Val::Double(static_cast<double>(x.i));
    case K::kUint: return Val::Double(static_cast<double>(x.u));
    case K::kString: {
      const std::string t(x.str());
      char* end = nullptr;
      const double v = t.empty() || t.size() > 64 || std::isspace(static_cast<unsigned char>(t[0])) ? 0 : std::strtod(t.c_str(), &end);
      if (!end || *end || t.find_first_of("xXpP") != std::string::npos)
        return Val::Error("double(): cannot convert \"" + t.substr(0, 64) + "\" to double");
      return Val::Double(v);
    }
    default: return NoOverload(c);
  }
}
bool ValidUtf8(std::string_view s) {
  for (size_t k = 0; k < s.size();) {
    const unsigned char c = s[k];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || k + len > s.size()) return false;
    for (size_t j = 1; j < len; ++j)
      if ((static_cast<unsigned char>(s[k + j]) & 0xC0) != 0x80) return false;
    k += len;
  }
  return true;
}
Val FnString(const CallArgs& c) {
  const Val& x = c.a[0];
  switch (x.kind) {
    case K::kString: return x;
    case K::kInt: return Val::String(std::to_string(x.i));
    case K::kUint: return Val::String(std::to_string(x.u));
    case K::kBool: return Val::String(x.b ? "true" : "false");
    case K::kDouble: {
      std::string d = Debug(x);
      if (d.size() > 2 && d.compare(d.size() - 2, 2, ".0") == 0) d.resize(d.size() - 2);  // 1.0 -> "1" (as Go's %g)
      return Val::String(d);
    }
    case K::kBytes:
      if (!ValidUtf8(x.str())) return Val::Error("string(): bytes are not valid UTF-8");
      return Val::String(std::string(x.str()));
    case K::kType: return Val::String(std::string(x.str()));
    default: return NoOverload(c);
  }
}
Val FnBool(const CallArgs& c) {
  const Val& x = c.a[0];
  if (x.kind == K::kBool) return x;
  if (x.kind != K::kString) return NoOverload(c);
  const std::string_view s = x.str();
  if (s == "1" || s == "t" || s == "true" || s == "TRUE" || s == "True") return Val::Bool(true);
  if (s == "0" || s == "f" || s == "false" || s == "FALSE" || s == "False") return Val::Bool(false);
  return Val::Error("bool(): cannot convert \"" + std::string(s.substr(0, 64)) + "\" to bool");
}
Val FnBytes(const CallArgs& c) {
  const Val& x = c.a[0];
  if (x.kind == K::kBytes) return x;
  if (x.kind != K::kString) return NoOverload(c);
  return Val::Bytes(std::string(x.str()));
}
Val FnType(const CallArgs& c) { return Val::Type(std::string(TypeName(c.a[0]))); }
Val FnDyn(const CallArgs& c) { return c.a[0]; }

// ---- optionals -----------------------------------------------------------------------------------
Val FnOptionalOf(const CallArgs& c) { return Val::OptionalOf(c.a[0]); }
Val FnOptionalNone(const CallArgs&) { return Val::OptionalNone(); }
bool IsZero(const Val& x) {
  switch (x.kind) {
    case K::kNull: return true;
    case K::kBool: return !x.b;
    case K::kInt: return x.i == 0;
    case K::kUint: return x.u == 0;
    case K::kDouble: return x.d == 0;
    case K::kString: case K::kBytes: return x.str().empty();
    case K::kList: case K::kMap: return x.size() == 0;
    default: return false;
  }
}
Val FnOptionalOfNonZero(const CallArgs& c) { return IsZero(c.a[0]) ? Val::OptionalNone() : Val::OptionalOf(c.a[0]); }
Val FnHasValue(const CallArgs& c) {
  if (!Is(c, 0, K::kOptional)) return NoOverload(c);
  return Val::Bool(c.a[0].has_value());
}
Val FnValue(const CallArgs& c) {
  if (!Is(c, 0, K::kOptional)) return NoOverload(c);
  if (!c.a[0].has_value()) return Val::Error("value() on optional.none()");
  return c.a[0].value();
}
Val FnOrValue(const CallArgs& c) {
  if (!Is(c, 0, K::kOptional)) return NoOverload(c);
  return c.a[0].has_value() ? c.a[0].value() : c.a[1];
}
Val FnOr(const CallArgs& c) {
  if (!Is(c, 0, K::kOptional) || !Is(c, 1, K::kOptional)) return NoOverload(c);
  return c.a[0].has_value() ? c.a[0] : c.a[1];
}

const FnDef kFunctions[] = {
    // name              global receiver min max impl
    {"size", true, true, 1, 1, FnSize},
    {"contains", false, true, 2, 2, FnContains},
    {"startsWith", false, true, 2, 2, FnStartsWith},
    {"endsWith", false, true, 2, 2, FnEndsWith},
    {"matches", true, true, 2, 2, FnMatches},
    {"find", false, true, 2, 2, FnFind},
    {"findAll", false, true, 2, 3, FnFindAll},
    {"sum", false, true, 1, 1, FnSum},
    {"min", false, true, 1, 1, FnMin},
    {"max", false, true, 1, 1, FnMax},
    {"lowerAscii", false, true, 1, 1, FnLowerAscii},
    {"upperAscii", false, true, 1, 1, FnUpperAscii},
    {"split", false, true, 2, 3, FnSplit},
    {"join", false, true, 1, 2, FnJoin},
    {"trim", false, true, 1, 1, FnTrim},
    {"replace", false, true, 3, 4, FnReplace},
    {"indexOf", false, true, 2, 3, FnIndexOf},
    {"lastIndexOf", false, true, 2, 3, FnLastIndexOf},
    {"substring", false, true, 2, 3, FnSubstring},
    {"charAt", false, true, 2, 2, FnCharAt},
    {"int", true, false, 1, 1, FnInt},
    {"uint", true, false, 1, 1, FnUint},
    {"double", true, false, 1, 1, FnDouble},
    {"string", true, false, 1, 1, FnString},
    {"bool", true, false, 1, 1, FnBool},
    {"bytes", true, false, 1, 1, FnBytes},
    {"type", true, false, 1, 1, FnType},
    {"dyn", true, false, 1, 1, FnDyn},
    {"optional.of", true, false, 1, 1, FnOptionalOf},
    {"optional.none", true, false, 0, 0, FnOptionalNone},
    {"optional.ofNonZeroValue", true, false, 1, 1, FnOptionalOfNonZero},
    {"hasValue", false, true, 1, 1, FnHasValue},
    {"value", false, true, 1, 1, FnValue},
    {"orValue", false, true, 2, 2, FnOrValue},
    {"or", false, true, 2, 2, FnOr},
};

}  // namespace

const FnDef* FindFunction(std::string_view name, bool receiver_form) {
  for (const FnDef& f : kFunctions)
    if (name == f.name && (receiver_form ? f.receiver : f.global)) return &f;
  return nullptr;
}

const FnDef* AllFunctions(size_t* count) {
  *count = sizeof kFunctions / sizeof kFunctions[0];
  return kFunctions;
}

}  // namespace customs::misconfig::lang
