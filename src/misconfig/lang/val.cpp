// Runtime values of the check language: construction, document views, equality, ordering, rendering.
#include "misconfig/lang/val.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace customs::misconfig::lang {

Val Val::String(std::string s) {
  Val v;
  v.kind = Kind::kString;
  v.owned_ = std::make_shared<const std::string>(std::move(s));
  v.sp_ = v.owned_.get();
  return v;
}
Val Val::Bytes(std::string s) { Val v = String(std::move(s)); v.kind = Kind::kBytes; return v; }
Val Val::Type(std::string name) { Val v = String(std::move(name)); v.kind = Kind::kType; return v; }
Val Val::Error(std::string message) { Val v = String(std::move(message)); v.kind = Kind::kError; return v; }

Val Val::List(std::vector<Val> items) {
  Val v;
  v.kind = Kind::kList;
  v.list_ = std::make_shared<const std::vector<Val>>(std::move(items));
  return v;
}
Val Val::Map(std::vector<std::pair<Val, Val>> entries) {
  Val v;
  v.kind = Kind::kMap;
  v.map_ = std::make_shared<const std::vector<std::pair<Val, Val>>>(std::move(entries));
  return v;
}
Val Val::OptionalOf(Val x) {
  Val v;
  v.kind = Kind::kOptional;
  v.opt_ = std::make_shared<const Val>(std::move(x));
  return v;
}
Val Val::OptionalNone() { Val v; v.kind = Kind::kOptional; return v; }

Val Val::FromDoc(const Value& node) {
  Val v;
  switch (node.kind) {
    case Value::Kind::kNull: break;
    case Value::Kind::kBool: v.kind = Kind::kBool; v.b = node.b; break;
    case Value::Kind::kInt: v.kind = Kind::kInt; v.i = node.i; break;
    case Value::Kind::kDouble: v.kind = Kind::kDouble; v.d = node.d; break;
    case Value::Kind::kString: v.kind = Kind::kString; v.sp_ = &node.s; break;
    case Value::Kind::kList: v.kind = Kind::kList; break;
    case Value::Kind::kMap: v.kind = Kind::kMap; break;
  }
  v.doc_ = &node;
  v.line = node.line;
  v.end_line = node.end_line;
  return v;
}

size_t Val::size() const {
  if (kind == Kind::kList) return doc_ ? doc_->items.size() : (list_ ? list_->size() : 0);
  if (kind == Kind::kMap) return doc_ ? doc_->keys.size() : (map_ ? map_->size() : 0);
  return 0;
}
Val Val::at(size_t k) const {
  if (doc_) return FromDoc(doc_->items[k]);
  return (*list_)[k];
}
Val Val::key_at(size_t k) const {
  if (doc_) return BorrowedString(doc_->keys[k]);
  return (*map_)[k].first;
}
Val Val::value_at(size_t k) const {
  if (doc_) return FromDoc(doc_->items[k]);
  return (*map_)[k].second;
}

bool Val::GetField(std::string_view name, Val* out) const {
  if (kind != Kind::kMap) return false;
  if (doc_) {
    const Value* v = doc_->Find(name);
    if (!v) return false;
    *out = FromDoc(*v);
    return true;
  }
  if (!map_) return false;
  for (const auto& [k, v] : *map_) {
    if (k.kind == Kind::kString && k.str() == name) {
      *out = v;
      return true;
    }
  }
  return false;
}

bool Val::Get(const Val& key, Val* out) const {
  if (kind != Kind::kMap) return false;
  if (key.kind == Kind::kString) return GetField(key.str(), out);
  if (doc_) return false;  // document maps have string keys only
  if (!map_) return false;
  for (const auto& [k, v] : *map_) {
    if (k.kind != Kind::kString && Equal(k, key)) {
      *out = v;
      return true;
    }
  }
  return false;
}

std::string_view TypeName(const Val& v) {
  switch (v.kind) {
    case Val::Kind::kNull: return "null_type";
    case Val::Kind::kBool: return "bool";
    case Val::Kind::kInt: return "int";
    case Val::Kind::kUint: return "uint";
    case Val::Kind::kDouble: return "double";
    case Val::Kind::kString: return "string";
    case Val::Kind::kBytes: return "bytes";
    case Val::Kind::kList: return "list";
    case Val::Kind::kMap: return "map";
    case Val::Kind::kType: return "type";
    case Val::Kind::kOptional: return "optional_type";
    case Val::Kind::kError: return "error";
  }
  return "error";
}

namespace {

bool IsNumber(const Val& v) {
  return v.kind == Val::Kind::kInt || v.kind == Val::Kind::kUint || v.kind == Val::Kind::kDouble;
}

// Compares two numbers of any numeric type exactly (no rounding of large int64/uint64 through double).
// False for NaN.
bool CompareNumbers(const Val& a, const Val& b, int* r) {
  using K = Val::Kind;
  auto cmp = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  if (a.kind == K::kDouble || b.kind == K::kDouble) {
    if (a.kind == K::kDouble && b.kind == K::kDouble) {
      if (std::isnan(a.d) || std::isnan(b.d)) return false;
      *r = cmp(a.d, b.d);
      return true;
    }
    // One double, one integer.
    const bool a_is_d = a.kind == K::kDouble;
    const double x = a_is_d ? a.d : b.d;
    const Val& n = a_is_d ? b : a;
    if (std::isnan(x)) return false;
    int c;  // compare n with x
    if (n.kind == K::kInt) {
      if (x >= 9223372036854775808.0) c = -1;
      else if (x < -9223372036854775808.0) c = 1;
      else {
        const double t = std::trunc(x);
        const int64_t xi = static_cast<int64_t>(t);
        c = cmp(n.i, xi);
        if (c == 0) c = (x > t) ? -1 : (x < t ? 1 : 0);
      }
    } else {
      if (x >= 18446744073709551616.0) c = -1;
      else if (x < 0) c = 1;
      else {
        const double t = std::trunc(x);
        const uint64_t xu = static_cast<uint64_t>(t);
        c = cmp(n.u, xu);
        if (c == 0) c = (x > t) ? -1 : 0;
      }
    }
    *r = a_is_d ? -c : c;
    return true;
  }
  if (a.kind == K::kInt && b.kind == K::kInt) { *r = cmp(a.i, b.i); return true; }
  if (a.kind == K::kUint && b.kind == K::kUint) { *r = cmp(a.u, b.u); return true; }
  if (a.kind == K::kInt) { *r = a.i < 0 ? -1 : cmp(static_cast<uint64_t>(a.i), b.u); return true; }
  *r = b.i < 0 ? 1 : cmp(a.u, static_cast<uint64_t>(b.i));
  return true;
}

}  // namespace

bool Compare(const Val& a, const Val& b, int* r) {
  using K = Val::Kind;
  if (IsNumber(a) && IsNumber(b)) return CompareNumbers(a, b, r);
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case K::kBool: *r = (a.b == b.b) ? 0 : (a.b ? 1 : -1); return true;
    case K::kString:
    case K::kBytes: {
      const int c = a.str().compare(b.str());
      *r = c < 0 ? -1 : (c > 0 ? 1 : 0);
      return true;
    }
    default: return false;
  }
}

bool Equal(const Val& a, const Val& b) {
  using K = Val::Kind;
  if (IsNumber(a) && IsNumber(b)) {
    int r;
    return CompareNumbers(a, b, &r) && r == 0;
  }
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case K::kNull: return true;
    case K::kBool: return a.b == b.b;
    case K::kString:
    case K::kBytes:
    case K::kType:
    case K::kError: return a.str() == b.str();
    case K::kList: {
      if (a.size() != b.size()) return false;
      for (size_t k = 0; k < a.size(); ++k)
        if (!Equal(a.at(k), b.at(k))) return false;
      return true;
    }
    case K::kMap: {
      if (a.size() != b.size()) return false;
      for (size_t k = 0; k < a.size(); ++k) {
        Val other;
        if (!b.Get(a.key_at(k), &other) || !Equal(a.value_at(k), other)) return false;
      }
      return true;
    }
    case K::kOptional:
      if (a.has_value() != b.has_value()) return false;
      return !a.has_value() || Equal(a.value(), b.value());
    default: return false;
  }
}

namespace {

void Quote(std::string_view s, std::string& out, bool bytes = false) {
  out += '"';
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') { out += '\\'; out += static_cast<char>(c); }
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20 || c == 0x7f || (bytes && c >= 0x80)) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else out += static_cast<char>(c);
  }
  out += '"';
}

void DebugTo(const Val& v, std::string& out, int depth) {
  using K = Val::Kind;
  if (depth > 32) { out += "..."; return; }
  char buf[64];
  switch (v.kind) {
    case K::kNull: out += "null"; break;
    case K::kBool: out += v.b ? "true" : "false"; break;
    case K::kInt: out += std::to_string(v.i); break;
    case K::kUint: out += std::to_string(v.u) + "u"; break;
    case K::kDouble: {
      if (std::isnan(v.d)) { out += "NaN"; break; }
      if (std::isinf(v.d)) { out += v.d > 0 ? "Infinity" : "-Infinity"; break; }
      // The shortest form that reads back as the same double.
      for (int prec = 15; prec <= 17; ++prec) {
        std::snprintf(buf, sizeof buf, "%.*g", prec, v.d);
        if (std::strtod(buf, nullptr) == v.d) break;
      }
      std::string t = buf;
      if (t.find_first_of(".eEn") == std::string::npos) t += ".0";
      out += t;
      break;
    }
    case K::kString: Quote(v.str(), out); break;
    case K::kBytes: out += 'b'; Quote(v.str(), out, true); break;
    case K::kType: out += "type("; out += v.str(); out += ")"; break;
    case K::kError: out += "error("; out += v.str(); out += ")"; break;
    case K::kList:
      out += '[';
      for (size_t k = 0; k < v.size(); ++k) {
        if (k) out += ", ";
        DebugTo(v.at(k), out, depth + 1);
      }
      out += ']';
      break;
    case K::kMap:
      out += '{';
      for (size_t k = 0; k < v.size(); ++k) {
        if (k) out += ", ";
        DebugTo(v.key_at(k), out, depth + 1);
        out += ": ";
        DebugTo(v.value_at(k), out, depth + 1);
      }
      out += '}';
      break;
    case K::kOptional:
      if (!v.has_value()) { out += "optional.none()"; break; }
      out += "optional.of(";
      DebugTo(v.value(), out, depth + 1);
      out += ')';
      break;
  }
}

}  // namespace

std::string Debug(const Val& v) {
  std::string out;
  DebugTo(v, out, 0);
  return out;
}

size_t CodePointCount(std::string_view s) {
  size_t n = 0;
  for (size_t k = 0; k < s.size(); ++n) {
    const unsigned char c = s[k];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (k + len > s.size()) len = 1;
    for (size_t j = 1; j < len; ++j)
      if ((static_cast<unsigned char>(s[k + j]) & 0xC0) != 0x80) { len = 1; break; }
    k += len;
  }
  return n;
}

}  // namespace customs::misconfig::lang
