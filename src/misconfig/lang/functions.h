// The function table of the check language: one row per function name, with the call forms it allows
// (global f(x, ...) and/or receiver x.f(...)) and its arity, counting the receiver as the first argument.
// Overloads are resolved at run time on argument types (the document is dynamically typed).
#pragma once

#include <string_view>

#include "misconfig/lang/val.h"

namespace customs::misconfig::lang {

struct Node;
struct EvalContext;

struct CallArgs {
  const Val* a;  // arguments; a[0] is the receiver for receiver-style calls
  int n;
  const Node& node;  // the call (for a precompiled regex and the error column)
  EvalContext& ctx;
};

struct FnDef {
  const char* name;
  bool global;    // f(args)
  bool receiver;  // args[0].f(args[1..])
  int min_args, max_args;  // including the receiver
  Val (*impl)(const CallArgs&);
};

// nullptr when no function of that name and call form exists.
const FnDef* FindFunction(std::string_view name, bool receiver_form);

// Every function, for documentation tests.
const FnDef* AllFunctions(size_t* count);

}  // namespace customs::misconfig::lang
