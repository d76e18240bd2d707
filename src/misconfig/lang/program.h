// The check language's public face: compile an expression against an environment (which names exist),
// then evaluate it against a document. docs/checks.md specifies the language.
//
// Work is bounded: expressions are at most 64 KiB and 200 levels deep; one evaluation may take at most
// kMaxSteps steps (nodes evaluated plus comprehension iterations); computed strings are at most
// kMaxStringBytes and computed lists/maps at most kMaxCollection elements; regular expressions run under
// PCRE2's match limit. Going over a bound is an evaluation error, never a crash or a hang.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "misconfig/lang/ast.h"
#include "misconfig/lang/lexer.h"
#include "misconfig/lang/val.h"

namespace customs::misconfig::lang {

constexpr uint64_t kMaxSteps = 2'000'000;
constexpr size_t kMaxStringBytes = 1 << 20;
constexpr size_t kMaxCollection = 100'000;

// What an expression may name: `object` always; `item` when has_item (a check's message); and
// `variables.NAME` for the first `visible_variables` of `variables` (a variable sees only the ones
// declared before it, so there are no cycles).
struct Env {
  bool has_item = false;
  std::vector<std::string> variables;
  size_t visible_variables = 0;
};

struct Program {
  std::string text;
  std::unique_ptr<Node> root;
  int locals = 0;  // comprehension slots needed
};

// Parses and checks `text`. Throws CompileError (byte offset + reason).
Program Compile(std::string_view text, const Env& env);

// The state of one evaluation: the roots, and the lazily evaluated, memoised variables (VAP semantics:
// a variable is evaluated the first time it is read, at most once per document).
struct EvalContext {
  Val object;
  Val item;
  const std::vector<Program>* variables = nullptr;
  std::vector<std::optional<Val>> cache;  // sized on first use
  uint64_t steps = 0;
};

// Evaluates; an error is returned as a Val of kind kError (message includes the column).
Val Eval(const Program& p, EvalContext& ctx);

// Convenience for tests and tools: compiles `text` with only `object` (and no variables) and
// evaluates it against `object`. Throws CompileError.
Val EvalExpression(std::string_view text, const Value& object);

}  // namespace customs::misconfig::lang
