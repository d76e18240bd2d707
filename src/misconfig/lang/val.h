// Runtime values of the check language (misconfig/lang/): CEL values, plus views of document nodes.
//
// A Val that comes from the document does not copy it: strings, lists and maps keep a pointer to the
// misconfig::Value node (which outlives the evaluation), and keep its line, so that a `deny` list of
// document nodes points at the lines of those nodes. Values computed by an expression own their
// storage (shared, so copying a Val is cheap) and have line 0.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "misconfig/value.h"

namespace customs::misconfig::lang {

class Val {
 public:
  enum class Kind : uint8_t { kNull, kBool, kInt, kUint, kDouble, kString, kBytes, kList, kMap, kType, kOptional, kError };

  Kind kind = Kind::kNull;
  bool b = false;
  int64_t i = 0;
  uint64_t u = 0;
  double d = 0;
  int line = 0, end_line = 0;  // of the document node this value is; 0 when computed

  static Val Null() { return Val(); }
  static Val Bool(bool x) { Val v; v.kind = Kind::kBool; v.b = x; return v; }
  static Val Int(int64_t x) { Val v; v.kind = Kind::kInt; v.i = x; return v; }
  static Val Uint(uint64_t x) { Val v; v.kind = Kind::kUint; v.u = x; return v; }
  static Val Double(double x) { Val v; v.kind = Kind::kDouble; v.d = x; return v; }
  static Val String(std::string s);
  static Val Bytes(std::string s);
  static Val Type(std::string name);
  static Val Error(std::string message);
  static Val List(std::vector<Val> items);
  static Val Map(std::vector<std::pair<Val, Val>> entries);
  static Val OptionalOf(Val v);
  static Val OptionalNone();
  // A view of a document node (no copy of strings, lists or maps).
  static Val FromDoc(const Value& node);
  // A string that borrows `s` (which must outlive the Val): document map keys.
  static Val BorrowedString(const std::string& s) { Val v; v.kind = Kind::kString; v.sp_ = &s; return v; }

  bool is_error() const { return kind == Kind::kError; }
  // kString, kBytes, kType, kError: the text.
  std::string_view str() const { return sp_ ? std::string_view(*sp_) : std::string_view(); }

  // kList: elements; kMap: entries (document maps have string keys).
  size_t size() const;
  Val at(size_t k) const;        // list element
  Val key_at(size_t k) const;    // map key
  Val value_at(size_t k) const;  // map value
  // Map lookup; false when absent. CEL map keys: int, uint, bool, string (numeric keys compare by value).
  bool Get(const Val& key, Val* out) const;
  bool GetField(std::string_view name, Val* out) const;

  // kOptional: whether it holds a value, and the value.
  bool has_value() const { return static_cast<bool>(opt_); }
  const Val& value() const { return *opt_; }

  // The document node this value is a view of (nullptr when computed).
  const Value* doc() const { return doc_; }

 private:
  const std::string* sp_ = nullptr;
  std::shared_ptr<const std::string> owned_;
  const Value* doc_ = nullptr;
  std::shared_ptr<const std::vector<Val>> list_;
  std::shared_ptr<const std::vector<std::pair<Val, Val>>> map_;
  std::shared_ptr<const Val> opt_;
};

// CEL type name of a value: "int", "uint", "double", "bool", "string", "bytes", "list", "map",
// "null_type", "type", "optional_type", "error".
std::string_view TypeName(const Val& v);

// CEL equality (heterogeneous: values of different types are unequal; numbers compare by value).
bool Equal(const Val& a, const Val& b);
// Ordering for < <= > >=: -1/0/1, or false when the types cannot be compared (or NaN).
bool Compare(const Val& a, const Val& b, int* result);

// A short human rendering for messages and tests: 1, 2u, 1.5, "s", b"..", [1, 2], {"a": 1},
// optional.none(), optional.of(1), type(int), null, error(...).
std::string Debug(const Val& v);

// UTF-8 helpers (CEL string positions and sizes count code points; invalid bytes count as one each).
size_t CodePointCount(std::string_view s);

}  // namespace customs::misconfig::lang
