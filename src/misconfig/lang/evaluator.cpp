// The evaluator of the check language: a tree walk over the checked AST (see program.h for the bounds).
// CEL semantics: errors are values; && and || absorb an error when the other side decides the result
// (false && error == false, true || error == true), and so do all() / exists(); every other operator and
// function is strict (an error operand gives that error).
#include <cmath>

#include "misconfig/lang/functions.h"
#include "misconfig/lang/program.h"

namespace customs::misconfig::lang {
namespace {

using K = Val::Kind;

constexpr int kMaxVariableNesting = 16;

class Evaluator {
 public:
  Evaluator(EvalContext& ctx, int locals, int nesting) : ctx_(ctx), locals_(static_cast<size_t>(locals)), nesting_(nesting) {}

  Val E(const Node& n) {
    if (++ctx_.steps > kMaxSteps) return Val::Error("evaluation exceeded the step limit");
    switch (n.kind) {
      case NodeKind::kLiteral: return n.lit;
      case NodeKind::kRoot: return n.index == 0 ? ctx_.object : ctx_.item;
      case NodeKind::kLocal: return locals_[static_cast<size_t>(n.index)];
      case NodeKind::kVariable: return Variable(n);
      case NodeKind::kSelect: case NodeKind::kOptSelect: return Select(n);
      case NodeKind::kIndex: case NodeKind::kOptIndex: return Index(n);
      case NodeKind::kCall: return Call(n);
      case NodeKind::kList: return List(n);
      case NodeKind::kMap: return Map(n);
      case NodeKind::kHas: return Has(n);
      case NodeKind::kComprehension: return Comprehension(n);
      case NodeKind::kCond: return Cond(n);
      case NodeKind::kAnd: case NodeKind::kOr: return Logic(n);
      case NodeKind::kNot: return Not(n);
      case NodeKind::kNeg: return Neg(n);
      case NodeKind::kBinary: return Binary(n);
      case NodeKind::kIdent: return Err(n, "unresolved name '" + n.name + "'");
    }
    return Err(n, "internal error: unknown node");
  }

 private:
  static Val Err(const Node& n, const std::string& msg) {
    return Val::Error(msg + " (column " + std::to_string(n.pos + 1) + ")");
  }
  static Val NoOverload(const Node& n, const char* op, const Val& a, const Val& b) {
    return Err(n, std::string("no such overload: ") + std::string(TypeName(a)) + " " + op + " " + std::string(TypeName(b)));
  }

  __attribute__((noinline)) Val Variable(const Node& n) {
    const size_t k = static_cast<size_t>(n.index);
    if (!ctx_.variables || k >= ctx_.variables->size()) return Err(n, "variable not bound");
    if (ctx_.cache.size() < ctx_.variables->size()) ctx_.cache.resize(ctx_.variables->size());
    if (ctx_.cache[k]) return *ctx_.cache[k];
    if (nesting_ >= kMaxVariableNesting) return Err(n, "variables nested more than 16 deep");
    const Program& p = (*ctx_.variables)[k];
    Evaluator sub(ctx_, p.locals, nesting_ + 1);
    Val v = sub.E(*p.root);
    if (v.is_error()) v = Val::Error("variables." + n.name + ": " + std::string(v.str()));
    ctx_.cache[k] = v;
    return v;
  }

  __attribute__((noinline)) Val Select(const Node& n) {
    const bool opt = n.kind == NodeKind::kOptSelect;
    Val t = E(*n.args[0]);
    if (t.is_error()) return t;
    if (t.kind == K::kOptional) {
      if (!t.has_value()) return t;
      Val inner = t.value();
      Val out;
      if (inner.kind == K::kMap) return inner.GetField(n.name, &out) ? Val::OptionalOf(out) : Val::OptionalNone();
      return Err(n, "cannot select field '" + n.name + "' from " + std::string(TypeName(inner)));
    }
    if (t.kind != K::kMap) return Err(n, "cannot select field '" + n.name + "' from " + std::string(TypeName(t)));
    Val out;
    if (t.GetField(n.name, &out)) return opt ? Val::OptionalOf(out) : out;
    if (opt) return Val::OptionalNone();
    return Err(n, "no such key: '" + n.name + "'");
  }

  // Resolves a list index (int, uint or integral double): -1 when not an index.
  static bool ListIndex(const Val& i, int64_t* out) {
    if (i.kind == K::kInt) { *out = i.i; return true; }
    if (i.kind == K::kUint) { *out = i.u > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<int64_t>(i.u); return true; }
    if (i.kind == K::kDouble && std::trunc(i.d) == i.d && std::fabs(i.d) < 9e18) { *out = static_cast<int64_t>(i.d); return true; }
    return false;
  }

  __attribute__((noinline)) Val Index(const Node& n) {
    const bool opt = n.kind == NodeKind::kOptIndex;
    Val t = E(*n.args[0]);
    if (t.is_error()) return t;
    Val i = E(*n.args[1]);
    if (i.is_error()) return i;
    bool wrap = opt;
    if (t.kind == K::kOptional) {
      if (!t.has_value()) return t;
      t = t.value();
      wrap = true;
    }
    if (t.kind == K::kList) {
      int64_t k;
      if (!ListIndex(i, &k)) return Err(n, "no such overload: list[" + std::string(TypeName(i)) + "]");
      if (k < 0 || static_cast<uint64_t>(k) >= t.size()) {
        if (wrap) return Val::OptionalNone();
        return Err(n, "index out of range: " + std::to_string(k));
      }
      Val e = t.at(static_cast<size_t>(k));
      return wrap ? Val::OptionalOf(e) : e;
    }
    if (t.kind == K::kMap) {
      Val out;
      if (t.Get(i, &out)) return wrap ? Val::OptionalOf(out) : out;
      if (wrap) return Val::OptionalNone();
      return Err(n, "no such key: " + Debug(i).substr(0, 200));
    }
    return Err(n, "cannot index " + std::string(TypeName(t)));
  }

  __attribute__((noinline)) Val Call(const Node& n) {
    std::vector<Val> args;
    args.reserve(n.args.size());
    for (const auto& a : n.args) {
      args.push_back(E(*a));
      if (args.back().is_error()) return args.back();
    }
    const CallArgs c{args.data(), static_cast<int>(args.size()), n, ctx_};
    Val r = n.fn->impl(c);
    if (r.is_error()) return Err(n, std::string(r.str()));
    return r;
  }

  __attribute__((noinline)) Val List(const Node& n) {
    if (n.args.size() > kMaxCollection) return Err(n, "list literal too large");
    std::vector<Val> items;
    items.reserve(n.args.size());
    for (const auto& a : n.args) {
      items.push_back(E(*a));
      if (items.back().is_error()) return items.back();
    }
    return Val::List(std::move(items));
  }

  __attribute__((noinline)) Val Map(const Node& n) {
    std::vector<std::pair<Val, Val>> entries;
    for (size_t k = 0; k + 1 < n.args.size(); k += 2) {
      Val key = E(*n.args[k]);
      if (key.is_error()) return key;
      if (key.kind != K::kString && key.kind != K::kInt && key.kind != K::kUint && key.kind != K::kBool)
        return Err(*n.args[k], "unsupported map key type " + std::string(TypeName(key)));
      Val v = E(*n.args[k + 1]);
      if (v.is_error()) return v;
      for (const auto& e : entries)
        if (Equal(e.first, key)) return Err(*n.args[k], "duplicate map key " + Debug(key).substr(0, 200));
      entries.emplace_back(std::move(key), std::move(v));
    }
    return Val::Map(std::move(entries));
  }

  __attribute__((noinline)) Val Has(const Node& n) {
    Val t = E(*n.args[0]);
    if (t.is_error()) return t;
    if (t.kind == K::kOptional) {
      if (!t.has_value()) return Val::Bool(false);
      t = t.value();
    }
    if (t.kind != K::kMap) return Err(n, "has() cannot test field '" + n.name + "' of " + std::string(TypeName(t)));
    Val out;
    return Val::Bool(t.GetField(n.name, &out));
  }

  __attribute__((noinline)) Val Comprehension(const Node& n) {
    Val range = E(*n.args[0]);
    if (range.is_error()) return range;
    const bool is_map = range.kind == K::kMap;
    if (!is_map && range.kind != K::kList)
      return Err(n, "cannot iterate over " + std::string(TypeName(range)) + " (" + n.name + " is bound to list elements or map keys)");
    Val& slot = locals_[static_cast<size_t>(n.index)];
    const size_t count = range.size();
    Val pending_error;
    bool have_error = false;
    int64_t found = 0;
    std::vector<Val> out;
    for (size_t k = 0; k < count; ++k) {
      if (++ctx_.steps > kMaxSteps) return Val::Error("evaluation exceeded the step limit");
      slot = is_map ? range.key_at(k) : range.at(k);
      switch (n.macro) {
        case Macro::kAll:
        case Macro::kExists: {
          const bool want = n.macro == Macro::kExists;  // the value that decides the result
          Val p = E(*n.args[1]);
          if (p.kind == K::kBool) {
            if (p.b == want) return Val::Bool(want);
          } else if (!have_error) {
            have_error = true;
            pending_error = p.is_error() ? p : Err(*n.args[1], "predicate is " + std::string(TypeName(p)) + ", not bool");
          }
          break;
        }
        case Macro::kExistsOne: {
          Val p = E(*n.args[1]);
          if (p.is_error()) return p;
          if (p.kind != K::kBool) return Err(*n.args[1], "predicate is " + std::string(TypeName(p)) + ", not bool");
          if (p.b) ++found;
          break;
        }
        case Macro::kFilter:
        case Macro::kMap: {
          bool keep = true;
          if (n.macro == Macro::kFilter || n.args.size() == 3) {
            Val p = E(*n.args[1]);
            if (p.is_error()) return p;
            if (p.kind != K::kBool) return Err(*n.args[1], "predicate is " + std::string(TypeName(p)) + ", not bool");
            keep = p.b;
          }
          if (!keep) break;
          if (n.macro == Macro::kFilter) {
            out.push_back(slot);
          } else {
            Val t = E(*n.args.back());
            if (t.is_error()) return t;
            out.push_back(std::move(t));
          }
          if (out.size() > kMaxCollection) return Err(n, "result list larger than 100000 elements");
          break;
        }
      }
    }
    switch (n.macro) {
      case Macro::kAll: return have_error ? pending_error : Val::Bool(true);
      case Macro::kExists: return have_error ? pending_error : Val::Bool(false);
      case Macro::kExistsOne: return Val::Bool(found == 1);
      default: return Val::List(std::move(out));
    }
  }

  __attribute__((noinline)) Val Cond(const Node& n) {
    Val c = E(*n.args[0]);
    if (c.is_error()) return c;
    if (c.kind != K::kBool) return Err(n, "condition is " + std::string(TypeName(c)) + ", not bool");
    return E(*n.args[c.b ? 1 : 2]);
  }

  __attribute__((noinline)) Val Logic(const Node& n) {
    const bool is_and = n.kind == NodeKind::kAnd;
    const bool decisive = !is_and;  // false decides &&, true decides ||
    Val l = E(*n.args[0]);
    if (l.kind == K::kBool && l.b == decisive) return l;
    Val r = E(*n.args[1]);
    if (r.kind == K::kBool && r.b == decisive) return r;
    if (l.is_error()) return l;
    if (r.is_error()) return r;
    if (l.kind != K::kBool || r.kind != K::kBool)
      return NoOverload(n, is_and ? "&&" : "||", l, r);
    return Val::Bool(!decisive);
  }

  __attribute__((noinline)) Val Not(const Node& n) {
    Val v = E(*n.args[0]);
    if (v.is_error()) return v;
    if (v.kind != K::kBool) return Err(n, "no such overload: !" + std::string(TypeName(v)));
    return Val::Bool(!v.b);
  }

  __attribute__((noinline)) Val Neg(const Node& n) {
    Val v = E(*n.args[0]);
    if (v.is_error()) return v;
    if (v.kind == K::kInt) {
      if (v.i == INT64_MIN) return Err(n, "integer overflow");
      return Val::Int(-v.i);
    }
    if (v.kind == K::kDouble) return Val::Double(-v.d);
    return Err(n, "no such overload: -" + std::string(TypeName(v)));
  }

  __attribute__((noinline)) Val Binary(const Node& n) {
    Val a = E(*n.args[0]);
    if (a.is_error()) return a;
    Val b = E(*n.args[1]);
    if (b.is_error()) return b;
    switch (n.op) {
      case BinOp::kEq: return Val::Bool(Equal(a, b));
      case BinOp::kNe: return Val::Bool(!Equal(a, b));
      case BinOp::kLt: case BinOp::kLe: case BinOp::kGt: case BinOp::kGe: {
        int c;
        static const char* const kOps[] = {"<", "<=", ">", ">="};
        const char* op = kOps[static_cast<int>(n.op) - static_cast<int>(BinOp::kLt)];
        if (!Compare(a, b, &c)) {
          // NaN compares false with everything.
          if ((a.kind == K::kDouble && std::isnan(a.d)) || (b.kind == K::kDouble && std::isnan(b.d))) {
            if ((a.kind == K::kDouble || a.kind == K::kInt || a.kind == K::kUint) &&
                (b.kind == K::kDouble || b.kind == K::kInt || b.kind == K::kUint))
              return Val::Bool(false);
          }
          return NoOverload(n, op, a, b);
        }
        switch (n.op) {
          case BinOp::kLt: return Val::Bool(c < 0);
          case BinOp::kLe: return Val::Bool(c <= 0);
          case BinOp::kGt: return Val::Bool(c > 0);
          default: return Val::Bool(c >= 0);
        }
      }
      case BinOp::kIn: {
        if (b.kind == K::kList) {
          for (size_t k = 0; k < b.size(); ++k)
            if (Equal(a, b.at(k))) return Val::Bool(true);
          return Val::Bool(false);
        }
        if (b.kind == K::kMap) {
          Val out;
          return Val::Bool(b.Get(a, &out));
        }
        return NoOverload(n, "in", a, b);
      }
      default: return Arith(n, a, b);
    }
  }

  Val Arith(const Node& n, const Val& a, const Val& b) {
    static const char* const kOps[] = {"+", "-", "*", "/", "%"};
    const char* op = kOps[static_cast<int>(n.op)];
    if (a.kind != b.kind) return NoOverload(n, op, a, b);
    switch (a.kind) {
      case K::kInt: {
        int64_t r;
        switch (n.op) {
          case BinOp::kAdd: if (__builtin_add_overflow(a.i, b.i, &r)) return Err(n, "integer overflow"); return Val::Int(r);
          case BinOp::kSub: if (__builtin_sub_overflow(a.i, b.i, &r)) return Err(n, "integer overflow"); return Val::Int(r);
          case BinOp::kMul: if (__builtin_mul_overflow(a.i, b.i, &r)) return Err(n, "integer overflow"); return Val::Int(r);
          case BinOp::kDiv:
          case BinOp::kMod:
            if (b.i == 0) return Err(n, n.op == BinOp::kDiv ? "division by zero" : "modulus by zero");
            if (a.i == INT64_MIN && b.i == -1) return Err(n, "integer overflow");
            return Val::Int(n.op == BinOp::kDiv ? a.i / b.i : a.i % b.i);
          default: break;
        }
        break;
      }
      case K::kUint: {
        uint64_t r;
        switch (n.op) {
          case BinOp::kAdd: if (__builtin_add_overflow(a.u, b.u, &r)) return Err(n, "unsigned integer overflow"); return Val::Uint(r);
          case BinOp::kSub: if (__builtin_sub_overflow(a.u, b.u, &r)) return Err(n, "unsigned integer overflow"); return Val::Uint(r);
          case BinOp::kMul: if (__builtin_mul_overflow(a.u, b.u, &r)) return Err(n, "unsigned integer overflow"); return Val::Uint(r);
          case BinOp::kDiv:
          case BinOp::kMod:
            if (b.u == 0) return Err(n, n.op == BinOp::kDiv ? "division by zero" : "modulus by zero");
            return Val::Uint(n.op == BinOp::kDiv ? a.u / b.u : a.u % b.u);
          default: break;
        }
        break;
      }
      case K::kDouble:
        switch (n.op) {
          case BinOp::kAdd: return Val::Double(a.d + b.d);
          case BinOp::kSub: return Val::Double(a.d - b.d);
          case BinOp::kMul: return Val::Double(a.d * b.d);
          case BinOp::kDiv: return Val::Double(a.d / b.d);
          default: break;
        }
        break;
      case K::kString:
      case K::kBytes:
        if (n.op == BinOp::kAdd) {
          if (a.str().size() + b.str().size() > kMaxStringBytes) return Err(n, "string larger than 1 MiB");
          ctx_.steps += (a.str().size() + b.str().size()) / 64;
          std::string s(a.str());
          s += b.str();
          return a.kind == K::kString ? Val::String(std::move(s)) : Val::Bytes(std::move(s));
        }
        break;
      case K::kList:
        if (n.op == BinOp::kAdd) {
          if (a.size() + b.size() > kMaxCollection) return Err(n, "list larger than 100000 elements");
          ctx_.steps += a.size() + b.size();  // copying costs a step per element
          if (ctx_.steps > kMaxSteps) return Val::Error("evaluation exceeded the step limit");
          std::vector<Val> items;
          items.reserve(a.size() + b.size());
          for (size_t k = 0; k < a.size(); ++k) items.push_back(a.at(k));
          for (size_t k = 0; k < b.size(); ++k) items.push_back(b.at(k));
          return Val::List(std::move(items));
        }
        break;
      default: break;
    }
    return NoOverload(n, op, a, b);
  }

  EvalContext& ctx_;
  std::vector<Val> locals_;
  int nesting_;
};

}  // namespace

Val Eval(const Program& p, EvalContext& ctx) {
  Evaluator ev(ctx, p.locals, 0);
  Val v = ev.E(*p.root);
  if (ctx.steps > kMaxSteps) return Val::Error("evaluation exceeded the step limit (" + std::to_string(kMaxSteps) + " steps)");
  return v;
}

Val EvalExpression(std::string_view text, const Value& object) {
  Program p = Compile(text, Env{});
  EvalContext ctx;
  ctx.object = Val::FromDoc(object);
  return Eval(p, ctx);
}

}  // namespace customs::misconfig::lang
