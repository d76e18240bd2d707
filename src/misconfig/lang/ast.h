// The abstract syntax tree of the check language. The parser builds it (macros already expanded, as in
// CEL); the checker resolves names in place (identifiers become roots, comprehension locals, variables or
// type literals; calls get their function); the evaluator walks it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "misconfig/lang/val.h"

namespace customs::misconfig::lang {

struct FnDef;
struct Regex;

enum class NodeKind {
  kLiteral,        // lit
  kIdent,          // name (unresolved; the checker rewrites it)
  kSelect,         // args[0].name
  kOptSelect,      // args[0].?name
  kIndex,          // args[0][args[1]]
  kOptIndex,       // args[0][?args[1]]
  kCall,           // name(args) or args[0].name(args[1..]) when method
  kList,           // [args...]
  kMap,            // {args[0]: args[1], args[2]: args[3], ...}
  kHas,            // has(args[0].name)
  kComprehension,  // args[0].macro(name, args[1][, args[2]])
  kCond,           // args[0] ? args[1] : args[2]
  kAnd, kOr,       // args[0] && args[1], args[0] || args[1]
  kNot, kNeg,      // !args[0], -args[0]
  kBinary,         // args[0] op args[1]
  // After checking:
  kRoot,      // index: 0 object, 1 item
  kLocal,     // index: comprehension slot
  kVariable,  // index: position in the check's variables
};

enum class BinOp { kAdd, kSub, kMul, kDiv, kMod, kLt, kLe, kGt, kGe, kEq, kNe, kIn };
enum class Macro { kAll, kExists, kExistsOne, kMap, kFilter };

struct Node {
  NodeKind kind = NodeKind::kLiteral;
  size_t pos = 0;  // byte offset in the expression (column pos + 1)
  int depth = 1;   // height of the subtree (bounded by the parser)
  Val lit;
  std::string name;
  std::vector<std::unique_ptr<Node>> args;
  bool method = false;
  BinOp op = BinOp::kAdd;
  Macro macro = Macro::kAll;
  int index = -1;
  const FnDef* fn = nullptr;
  std::shared_ptr<const Regex> regex;  // matches() with a literal pattern: compiled once by the checker
};

// Deepest expression tree accepted (bounds recursion in the checker and evaluator).
constexpr int kMaxAstDepth = 200;

// Parses a CEL expression. Throws CompileError with the byte offset of the problem.
std::unique_ptr<Node> Parse(std::string_view expr);

}  // namespace customs::misconfig::lang
