// The checker of the check language: resolves every name against the environment at load time, so a
// check with a typo fails when it is loaded (with the column), not silently on every document.
//   identifiers -> `object`, `item` (message only), comprehension variables, or type names (int, string, ...)
//   variables.NAME -> the variable's index (only variables declared earlier are visible)
//   calls -> their row of the function table, with the arity checked; optional.of/none/ofNonZeroValue
//   matches() with a literal pattern -> the pattern compiled once (an invalid pattern is a load error)
// The document is dynamically typed (YAML), so operand types are checked at evaluation time.
#include "misconfig/lang/functions.h"
#include "misconfig/lang/program.h"
#include "misconfig/lang/regex.h"

namespace customs::misconfig::lang {
namespace {

bool IsTypeName(std::string_view n) {
  static const char* const kTypes[] = {"int", "uint", "double", "bool", "string", "bytes", "list", "map",
                                       "null_type", "type", "optional_type"};
  for (const char* t : kTypes)
    if (n == t) return true;
  return false;
}

class Checker {
 public:
  explicit Checker(const Env& env) : env_(env) {}
  int max_locals = 0;

  void Check(Node& n) {
    switch (n.kind) {
      case NodeKind::kIdent: Ident(n); return;
      case NodeKind::kSelect:
        if (n.args[0]->kind == NodeKind::kIdent && n.args[0]->name == "variables" && Local("variables") < 0) {
          Variable(n);
          return;
        }
        break;
      case NodeKind::kCall: Call(n); return;
      case NodeKind::kComprehension: {
        Check(*n.args[0]);
        scope_.push_back(n.name);
        n.index = static_cast<int>(scope_.size()) - 1;
        if (static_cast<int>(scope_.size()) > max_locals) max_locals = static_cast<int>(scope_.size());
        for (size_t k = 1; k < n.args.size(); ++k) Check(*n.args[k]);
        scope_.pop_back();
        return;
      }
      default: break;
    }
    for (auto& a : n.args) Check(*a);
  }

 private:
  int Local(std::string_view name) const {
    for (size_t k = scope_.size(); k-- > 0;)
      if (scope_[k] == name) return static_cast<int>(k);
    return -1;
  }

  void Ident(Node& n) {
    const int slot = Local(n.name);
    if (slot >= 0) { n.kind = NodeKind::kLocal; n.index = slot; return; }
    if (n.name == "object") { n.kind = NodeKind::kRoot; n.index = 0; return; }
    if (n.name == "item") {
      if (!env_.has_item) throw CompileError(n.pos, "'item' is only defined in a check's message expression");
      n.kind = NodeKind::kRoot;
      n.index = 1;
      return;
    }
    if (IsTypeName(n.name)) { n.kind = NodeKind::kLiteral; n.lit = Val::Type(n.name); return; }
    if (n.name == "variables") throw CompileError(n.pos, "'variables' must be followed by .NAME");
    if (n.name == "oldObject" || n.name == "request" || n.name == "params" || n.name == "namespaceObject" ||
        n.name == "authorizer")
      throw CompileError(n.pos, "'" + n.name + "' is an admission-time name; checks only have 'object' and 'variables'");
    throw CompileError(n.pos, "undeclared reference to '" + n.name + "'");
  }

  void Variable(Node& n) {
    for (size_t k = 0; k < env_.variables.size(); ++k) {
      if (env_.variables[k] != n.name) continue;
      if (k >= env_.visible_variables)
        throw CompileError(n.pos, "variables." + n.name + " is not declared before this expression (a variable may only use the ones listed above it)");
      n.kind = NodeKind::kVariable;
      n.index = static_cast<int>(k);
      n.args.clear();
      return;
    }
    throw CompileError(n.pos, "undeclared variable '" + n.name + "'");
  }

  void Call(Node& n) {
    if (n.method && n.args[0]->kind == NodeKind::kIdent && n.args[0]->name == "optional" && Local("optional") < 0) {
      n.name = "optional." + n.name;
      n.method = false;
      n.args.erase(n.args.begin());
    }
    for (auto& a : n.args) Check(*a);
    const FnDef* f = FindFunction(n.name, n.method);
    if (!f) {
      if (FindFunction(n.name, !n.method)) {
        if (n.method) throw CompileError(n.pos, n.name + "() is not a method: call it as " + n.name + "(x)");
        throw CompileError(n.pos, n.name + "() is a method: call it as x." + n.name + "(...)");
      }
      throw CompileError(n.pos, "undeclared function '" + n.name + "'");
    }
    const int argc = static_cast<int>(n.args.size());
    if (argc < f->min_args || argc > f->max_args) {
      const int shift = n.method ? 1 : 0;
      const int lo = f->min_args - shift, hi = f->max_args - shift;
      throw CompileError(n.pos, n.name + "() takes " + (lo == hi ? std::to_string(lo) : std::to_string(lo) + " to " + std::to_string(hi)) +
                                    " argument" + (hi == 1 ? "" : "s") + ", not " + std::to_string(argc - shift));
    }
    n.fn = f;
    if ((n.name == "matches" || n.name == "find" || n.name == "findAll") && n.args[1]->kind == NodeKind::kLiteral) {
      const Val& p = n.args[1]->lit;
      if (p.kind != Val::Kind::kString) throw CompileError(n.args[1]->pos, n.name + "() takes a string pattern");
      std::string error;
      n.regex = CompileRegex(p.str(), &error);
      if (!n.regex) throw CompileError(n.args[1]->pos, error);
    }
  }

  const Env& env_;
  std::vector<std::string> scope_;
};

}  // namespace

Program Compile(std::string_view text, const Env& env) {
  Program p;
  p.text = std::string(text);
  p.root = Parse(text);
  Checker c(env);
  c.Check(*p.root);
  p.locals = c.max_locals;
  return p;
}

}  // namespace customs::misconfig::lang
