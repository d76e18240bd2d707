// Parser of the check language: recursive descent over CEL's grammar (cel-spec langdef.md):
//   Expr           = ConditionalOr ["?" ConditionalOr ":" Expr]
//   ConditionalOr  = [ConditionalOr "||"] ConditionalAnd
//   ConditionalAnd = [ConditionalAnd "&&"] Relation
//   Relation       = [Relation Relop] Addition          Relop = < <= >= > == != in
//   Addition       = [Addition ("+" | "-")] Multiplication
//   Multiplication = [Multiplication ("*" | "/" | "%")] Unary
//   Unary          = Member | "!" {"!"} Member | "-" {"-"} Member
//   Member         = Primary | Member "." IDENT ["(" [ExprList] ")"] | Member ".?" IDENT
//                  | Member "[" Expr "]" | Member "[?" Expr "]"
//   Primary        = IDENT ["(" [ExprList] ")"] | "(" Expr ")" | "[" [ExprList] [","] "]"
//                  | "{" [MapInits] [","] "}" | LITERAL
// Macros (has, all, exists, exists_one, map, filter) are expanded here, as CEL's parser does.
// Not supported: message construction (Foo{f: 1}), leading-dot names, optional list/map entries.
#include <algorithm>

#include "misconfig/lang/ast.h"
#include "misconfig/lang/lexer.h"

namespace customs::misconfig::lang {
namespace {

using NodeP = std::unique_ptr<Node>;

class Parser {
 public:
  explicit Parser(std::vector<Token> toks) : t_(std::move(toks)) {}

  NodeP Run() {
    NodeP e = Expr();
    if (Peek().kind != Tok::kEnd) throw CompileError(Peek().pos, "unexpected " + Describe(Peek()) + " after the expression");
    return e;
  }

 private:
  const Token& Peek() const { return t_[k_]; }
  const Token& Next() { const Token& t = t_[k_]; if (t.kind != Tok::kEnd) ++k_; return t; }
  bool Accept(Tok k) { if (Peek().kind == k) { Next(); return true; } return false; }
  void Expect(Tok k, const char* what) {
    if (Peek().kind != k) throw CompileError(Peek().pos, std::string("expected ") + what + ", found " + Describe(Peek()));
    Next();
  }

  static std::string Describe(const Token& t) {
    switch (t.kind) {
      case Tok::kEnd: return "end of expression";
      case Tok::kIdent: return "'" + t.text + "'";
      case Tok::kInt: case Tok::kUint: case Tok::kDouble: return "number";
      case Tok::kString: return "string";
      case Tok::kBytes: return "bytes";
      case Tok::kTrue: return "'true'";
      case Tok::kFalse: return "'false'";
      case Tok::kNull: return "'null'";
      case Tok::kIn: return "'in'";
      default: return "'" + std::string(TokText(t.kind)) + "'";
    }
  }
  static const char* TokText(Tok k) {
    switch (k) {
      case Tok::kLParen: return "(";
      case Tok::kRParen: return ")";
      case Tok::kLBracket: return "[";
      case Tok::kRBracket: return "]";
      case Tok::kLBrace: return "{";
      case Tok::kRBrace: return "}";
      case Tok::kDot: return ".";
      case Tok::kComma: return ",";
      case Tok::kColon: return ":";
      case Tok::kQuestion: return "?";
      case Tok::kNot: return "!";
      case Tok::kMinus: return "-";
      case Tok::kPlus: return "+";
      case Tok::kStar: return "*";
      case Tok::kSlash: return "/";
      case Tok::kPercent: return "%";
      case Tok::kLess: return "<";
      case Tok::kLessEq: return "<=";
      case Tok::kGreater: return ">";
      case Tok::kGreaterEq: return ">=";
      case Tok::kEq: return "==";
      case Tok::kNotEq: return "!=";
      case Tok::kAnd: return "&&";
      case Tok::kOr: return "||";
      case Tok::kDotQuestion: return ".?";
      case Tok::kLBracketQuestion: return "[?";
      default: return "?";
    }
  }

  static NodeP Make(NodeKind kind, size_t pos) {
    auto n = std::make_unique<Node>();
    n->kind = kind;
    n->pos = pos;
    return n;
  }
  // Adds a child, keeping the height bounded.
  static void Add(Node& parent, NodeP child) {
    parent.depth = std::max(parent.depth, child->depth + 1);
    if (parent.depth > kMaxAstDepth) throw CompileError(parent.pos, "expression nested too deeply");
    parent.args.push_back(std::move(child));
  }
  NodeP Binary(NodeKind kind, size_t pos, NodeP a, NodeP b, BinOp op = BinOp::kAdd) {
    NodeP n = Make(kind, pos);
    n->op = op;
    Add(*n, std::move(a));
    Add(*n, std::move(b));
    return n;
  }

  struct DepthGuard {
    explicit DepthGuard(Parser& p, size_t pos) : p(p) {
      if (++p.nesting_ > kMaxAstDepth) throw CompileError(pos, "expression nested too deeply");
    }
    ~DepthGuard() { --p.nesting_; }
    Parser& p;
  };

  NodeP Expr() {
    DepthGuard g(*this, Peek().pos);
    NodeP c = Or();
    if (Peek().kind != Tok::kQuestion) return c;
    const size_t pos = Next().pos;
    NodeP a = Or();
    Expect(Tok::kColon, "':' of the conditional");
    NodeP b = Expr();
    NodeP n = Make(NodeKind::kCond, pos);
    Add(*n, std::move(c));
    Add(*n, std::move(a));
    Add(*n, std::move(b));
    return n;
  }
  NodeP Or() {
    NodeP l = And();
    while (Peek().kind == Tok::kOr) {
      const size_t pos = Next().pos;
      l = Binary(NodeKind::kOr, pos, std::move(l), And());
    }
    return l;
  }
  NodeP And() {
    NodeP l = Relation();
    while (Peek().kind == Tok::kAnd) {
      const size_t pos = Next().pos;
      l = Binary(NodeKind::kAnd, pos, std::move(l), Relation());
    }
    return l;
  }
  NodeP Relation() {
    NodeP l = Addition();
    for (;;) {
      BinOp op;
      switch (Peek().kind) {
        case Tok::kLess: op = BinOp::kLt; break;
        case Tok::kLessEq: op = BinOp::kLe; break;
        case Tok::kGreater: op = BinOp::kGt; break;
        case Tok::kGreaterEq: op = BinOp::kGe; break;
        case Tok::kEq: op = BinOp::kEq; break;
        case Tok::kNotEq: op = BinOp::kNe; break;
        case Tok::kIn: op = BinOp::kIn; break;
        default: return l;
      }
      const size_t pos = Next().pos;
      l = Binary(NodeKind::kBinary, pos, std::move(l), Addition(), op);
    }
  }
  NodeP Addition() {
    NodeP l = Multiplication();
    for (;;) {
      BinOp op;
      if (Peek().kind == Tok::kPlus) op = BinOp::kAdd;
      else if (Peek().kind == Tok::kMinus) op = BinOp::kSub;
      else return l;
      const size_t pos = Next().pos;
      l = Binary(NodeKind::kBinary, pos, std::move(l), Multiplication(), op);
    }
  }
  NodeP Multiplication() {
    NodeP l = Unary();
    for (;;) {
      BinOp op;
      if (Peek().kind == Tok::kStar) op = BinOp::kMul;
      else if (Peek().kind == Tok::kSlash) op = BinOp::kDiv;
      else if (Peek().kind == Tok::kPercent) op = BinOp::kMod;
      else return l;
      const size_t pos = Next().pos;
      l = Binary(NodeKind::kBinary, pos, std::move(l), Unary(), op);
    }
  }
  NodeP Unary() {
    if (Peek().kind == Tok::kNot) {
      std::vector<size_t> ops;
      while (Peek().kind == Tok::kNot) ops.push_back(Next().pos);
      NodeP e = Member();
      for (size_t k = ops.size(); k-- > 0;) {
        NodeP n = Make(NodeKind::kNot, ops[k]);
        Add(*n, std::move(e));
        e = std::move(n);
      }
      return e;
    }
    if (Peek().kind == Tok::kMinus) {
      std::vector<size_t> ops;
      while (Peek().kind == Tok::kMinus) ops.push_back(Next().pos);
      NodeP e;
      // -9223372036854775808 is a literal, not the negation of an out-of-range one.
      if ((Peek().kind == Tok::kInt || Peek().kind == Tok::kDouble) && IsPlainLiteralFollow()) {
        const Token& t = Next();
        e = Make(NodeKind::kLiteral, ops.back());
        if (t.kind == Tok::kInt) e->lit = Val::Int(static_cast<int64_t>(0 - t.u));
        else e->lit = Val::Double(-t.d);
        ops.pop_back();
        e = MemberTail(std::move(e));
      } else {
        e = Member();
      }
      for (size_t k = ops.size(); k-- > 0;) {
        NodeP n = Make(NodeKind::kNeg, ops[k]);
        Add(*n, std::move(e));
        e = std::move(n);
      }
      return e;
    }
    return Member();
  }
  // Whether the literal after a '-' is not followed by a member access (-1.size() negates the call).
  bool IsPlainLiteralFollow() const {
    const Tok n = t_[k_ + 1].kind;
    return n != Tok::kDot && n != Tok::kDotQuestion && n != Tok::kLBracket && n != Tok::kLBracketQuestion;
  }

  NodeP Member() { return MemberTail(Primary()); }

  NodeP MemberTail(NodeP e) {
    for (;;) {
      const Token& t = Peek();
      if (t.kind == Tok::kDot || t.kind == Tok::kDotQuestion) {
        const bool opt = t.kind == Tok::kDotQuestion;
        const size_t pos = Next().pos;
        if (Peek().kind != Tok::kIdent) throw CompileError(Peek().pos, "expected a field name after '" + std::string(opt ? ".?" : ".") + "'");
        const Token& id = Next();
        if (!opt && Peek().kind == Tok::kLParen) {
          const size_t lp = Next().pos;
          std::vector<NodeP> args = ExprList(Tok::kRParen, "')'");
          e = MethodCall(std::move(e), id, lp, std::move(args));
          continue;
        }
        NodeP n = Make(opt ? NodeKind::kOptSelect : NodeKind::kSelect, id.pos);
        (void)pos;
        n->name = id.text;
        Add(*n, std::move(e));
        e = std::move(n);
      } else if (t.kind == Tok::kLBracket || t.kind == Tok::kLBracketQuestion) {
        const bool opt = t.kind == Tok::kLBracketQuestion;
        const size_t pos = Next().pos;
        NodeP idx = Expr();
        Expect(Tok::kRBracket, "']'");
        e = Binary(opt ? NodeKind::kOptIndex : NodeKind::kIndex, pos, std::move(e), std::move(idx));
      } else {
        return e;
      }
    }
  }

  NodeP MethodCall(NodeP target, const Token& id, size_t lp, std::vector<NodeP> args) {
    static const struct { const char* name; Macro m; size_t min, max; } kMacros[] = {
        {"all", Macro::kAll, 2, 2},         {"exists", Macro::kExists, 2, 2}, {"exists_one", Macro::kExistsOne, 2, 2},
        {"existsOne", Macro::kExistsOne, 2, 2}, {"map", Macro::kMap, 2, 3}, {"filter", Macro::kFilter, 2, 2},
    };
    for (const auto& m : kMacros) {
      if (id.text != m.name) continue;
      if (args.size() < m.min || args.size() > m.max)
        throw CompileError(id.pos, "macro " + id.text + "() takes " +
                                       (m.min == m.max ? std::to_string(m.min) : "2 or 3") + " arguments");
      if (args[0]->kind != NodeKind::kIdent)
        throw CompileError(args[0]->pos, "the first argument of " + id.text + "() must be a simple name");
      NodeP n = Make(NodeKind::kComprehension, id.pos);
      n->macro = m.m;
      n->name = args[0]->name;
      Add(*n, std::move(target));
      for (size_t k = 1; k < args.size(); ++k) Add(*n, std::move(args[k]));
      return n;
    }
    (void)lp;
    NodeP n = Make(NodeKind::kCall, id.pos);
    n->name = id.text;
    n->method = true;
    Add(*n, std::move(target));
    for (auto& a : args) Add(*n, std::move(a));
    return n;
  }

  std::vector<NodeP> ExprList(Tok close, const char* what) {
    std::vector<NodeP> out;
    if (Accept(close)) return out;
    for (;;) {
      out.push_back(Expr());
      if (Accept(close)) return out;
      Expect(Tok::kComma, (std::string("',' or ") + what).c_str());
      if (close != Tok::kRParen && Accept(close)) return out;  // trailing comma in list literals
    }
  }

  NodeP Primary() {
    const Token& t = Next();
    switch (t.kind) {
      case Tok::kInt: {
        if (t.u > static_cast<uint64_t>(INT64_MAX)) throw CompileError(t.pos, "integer literal out of range");
        NodeP n = Make(NodeKind::kLiteral, t.pos);
        n->lit = Val::Int(static_cast<int64_t>(t.u));
        return n;
      }
      case Tok::kUint: { NodeP n = Make(NodeKind::kLiteral, t.pos); n->lit = Val::Uint(t.u); return n; }
      case Tok::kDouble: { NodeP n = Make(NodeKind::kLiteral, t.pos); n->lit = Val::Double(t.d); return n; }
      case Tok::kString: { NodeP n = Make(NodeKind::kLiteral, t.pos); n->lit = Val::String(t.text); return n; }
      case Tok::kBytes: { NodeP n = Make(NodeKind::kLiteral, t.pos); n->lit = Val::Bytes(t.text); return n; }
      case Tok::kTrue: case Tok::kFalse: {
        NodeP n = Make(NodeKind::kLiteral, t.pos);
        n->lit = Val::Bool(t.kind == Tok::kTrue);
        return n;
      }
      case Tok::kNull: return Make(NodeKind::kLiteral, t.pos);
      case Tok::kLParen: {
        NodeP e = Expr();
        Expect(Tok::kRParen, "')'");
        return e;
      }
      case Tok::kLBracket: {
        NodeP n = Make(NodeKind::kList, t.pos);
        for (auto& a : ExprList(Tok::kRBracket, "']'")) Add(*n, std::move(a));
        return n;
      }
      case Tok::kLBrace: {
        NodeP n = Make(NodeKind::kMap, t.pos);
        if (Accept(Tok::kRBrace)) return n;
        for (;;) {
          if (Peek().kind == Tok::kQuestion) throw CompileError(Peek().pos, "optional map entries are not supported");
          Add(*n, Expr());
          Expect(Tok::kColon, "':' in map literal");
          Add(*n, Expr());
          if (Accept(Tok::kRBrace)) return n;
          Expect(Tok::kComma, "',' or '}'");
          if (Accept(Tok::kRBrace)) return n;
        }
      }
      case Tok::kIdent: {
        if (Peek().kind == Tok::kLParen) {
          Next();
          std::vector<NodeP> args = ExprList(Tok::kRParen, "')'");
          if (t.text == "has") {
            if (args.size() != 1) throw CompileError(t.pos, "has() takes one argument");
            if (args[0]->kind != NodeKind::kSelect)
              throw CompileError(args[0]->pos, "the argument of has() must be a field selection, such as has(object.spec)");
            NodeP n = Make(NodeKind::kHas, t.pos);
            n->name = args[0]->name;
            Add(*n, std::move(args[0]->args[0]));
            return n;
          }
          NodeP n = Make(NodeKind::kCall, t.pos);
          n->name = t.text;
          for (auto& a : args) Add(*n, std::move(a));
          return n;
        }
        NodeP n = Make(NodeKind::kIdent, t.pos);
        n->name = t.text;
        return n;
      }
      case Tok::kDot:
        throw CompileError(t.pos, "leading '.' names are not supported");
      default:
        throw CompileError(t.pos, "unexpected " + Describe(t));
    }
  }

  std::vector<Token> t_;
  size_t k_ = 0;
  int nesting_ = 0;
};

}  // namespace

std::unique_ptr<Node> Parse(std::string_view expr) { return Parser(Lex(expr)).Run(); }

}  // namespace customs::misconfig::lang
