// Lexer of the check language (CEL's lexical grammar: cel-spec/doc/langdef.md "Syntax").
//
// The check language is a subset of CEL written by hand: no maintained C++ CEL implementation is packaged
// in Debian (cel-cpp is not), and the subset the checks need is small.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace customs::misconfig::lang {

// A parse or check error at byte offset `pos` of the expression (column pos + 1).
class CompileError : public std::runtime_error {
 public:
  CompileError(size_t pos, const std::string& message) : std::runtime_error(message), pos(pos) {}
  size_t pos;
};

enum class Tok {
  kEnd, kInt, kUint, kDouble, kString, kBytes, kIdent, kTrue, kFalse, kNull, kIn,
  kLParen, kRParen, kLBracket, kRBracket, kLBrace, kRBrace, kDot, kComma, kColon, kQuestion,
  kNot, kMinus, kPlus, kStar, kSlash, kPercent, kLess, kLessEq, kGreater, kGreaterEq, kEq, kNotEq,
  kAnd, kOr, kDotQuestion, kLBracketQuestion,
};

struct Token {
  Tok kind = Tok::kEnd;
  size_t pos = 0;     // byte offset in the expression
  std::string text;   // identifier name, or decoded string/bytes literal
  uint64_t u = 0;     // kInt (magnitude; may be 2^63 for a negated literal), kUint
  double d = 0;       // kDouble
};

// Longest expression accepted, in bytes.
constexpr size_t kMaxExpressionBytes = 64 * 1024;

// Splits `expr` into tokens, ending with kEnd. Throws CompileError.
std::vector<Token> Lex(std::string_view expr);

}  // namespace customs::misconfig::lang
