// The document model of the misconfiguration scanner: every configuration file (Dockerfile,
// Kubernetes manifest, Compose file, image config) becomes a tree of Values that remembers where each
// node came from, so that a check can point at the exact line of the offending key. Front ends
// (misconfig/frontends/) build these trees; the check language (misconfig/lang/) reads them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace customs::misconfig {

struct Value {
  enum class Kind { kNull, kBool, kInt, kDouble, kString, kList, kMap };
  Kind kind = Kind::kNull;
  bool b = false;
  int64_t i = 0;
  double d = 0;
  std::string s;              // kString
  std::vector<Value> items;   // kList elements; kMap values (same order as keys)
  std::vector<std::string> keys;  // kMap keys, in document order (no duplicates)
  // Where the node is: 1-based lines/columns in the source file; 0 when not from a file (values
  // computed by an expression, image config JSON). For a map member, line/column are those of its
  // key (the line a finding about that member should open at); end_line is the last line of the node.
  int line = 0, column = 0, end_line = 0;

  static Value Null(int line = 0) { Value v; v.line = v.end_line = line; return v; }
  static Value Bool(bool x, int line = 0) { Value v; v.kind = Kind::kBool; v.b = x; v.line = v.end_line = line; return v; }
  static Value Int(int64_t x, int line = 0) { Value v; v.kind = Kind::kInt; v.i = x; v.line = v.end_line = line; return v; }
  static Value Double(double x, int line = 0) { Value v; v.kind = Kind::kDouble; v.d = x; v.line = v.end_line = line; return v; }
  static Value String(std::string x, int line = 0) { Value v; v.kind = Kind::kString; v.s = std::move(x); v.line = v.end_line = line; return v; }
  static Value List(int line = 0) { Value v; v.kind = Kind::kList; v.line = v.end_line = line; return v; }
  static Value Map(int line = 0) { Value v; v.kind = Kind::kMap; v.line = v.end_line = line; return v; }

  bool is_map() const { return kind == Kind::kMap; }
  bool is_list() const { return kind == Kind::kList; }
  bool is_string() const { return kind == Kind::kString; }

  // Map access: nullptr when absent (or not a map).
  const Value* Find(std::string_view key) const {
    if (kind != Kind::kMap) return nullptr;
    for (size_t k = 0; k < keys.size(); ++k)
      if (keys[k] == key) return &items[k];
    return nullptr;
  }
  // Map insertion: replaces an existing key's value (YAML/JSON "last one wins"), else appends.
  Value& Set(std::string key, Value v) {
    for (size_t k = 0; k < keys.size(); ++k)
      if (keys[k] == key) return items[k] = std::move(v);
    keys.push_back(std::move(key));
    items.push_back(std::move(v));
    return items.back();
  }
  Value& Push(Value v) { items.push_back(std::move(v)); return items.back(); }
};

}  // namespace customs::misconfig
