// Lexer of the check language: CEL tokens, numeric literals, and string/bytes literals with CEL's escapes
// (\a \b \f \n \r \t \v \\ \' \" \` \? \xHH \uHHHH \UHHHHHHHH \ooo), raw (r"..") and triple-quoted forms.
#include "misconfig/lang/lexer.h"

#include <cerrno>
#include <cstdlib>

namespace customs::misconfig::lang {
namespace {

bool IsIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
int HexVal(char c) { return IsDigit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : c - 'A' + 10; }

void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) out += static_cast<char>(cp);
  else if (cp < 0x800) { out += static_cast<char>(0xC0 | (cp >> 6)); out += static_cast<char>(0x80 | (cp & 0x3F)); }
  else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool IsReserved(std::string_view w) {
  static const char* const kReserved[] = {"as", "break", "const", "continue", "else", "for", "function", "if",
                                          "import", "let", "loop", "package", "namespace", "return", "var",
                                          "void", "while"};
  for (const char* r : kReserved)
    if (w == r) return true;
  return false;
}

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  std::vector<Token> Run() {
    if (s_.size() > kMaxExpressionBytes) throw CompileError(0, "expression longer than 64 KiB");
    std::vector<Token> out;
    for (;;) {
      SkipSpace();
      Token t;
      t.pos = p_;
      if (p_ >= s_.size()) { out.push_back(t); return out; }
      const char c = s_[p_];
      if (IsDigit(c)) { Number(t); }
      else if (c == '"' || c == '\'') { t.kind = Tok::kString; t.text = Quoted(false, false); }
      else if (IsIdentStart(c)) {
        // String prefixes: r, R, b, B and their combinations, directly followed by a quote.
        size_t q = p_;
        bool raw = false, bytes = false;
        while (q < s_.size() && q - p_ < 2 && (s_[q] == 'r' || s_[q] == 'R' || s_[q] == 'b' || s_[q] == 'B')) {
          if (s_[q] == 'r' || s_[q] == 'R') { if (raw) break; raw = true; }
          else { if (bytes) break; bytes = true; }
          ++q;
        }
        if (q > p_ && q < s_.size() && (s_[q] == '"' || s_[q] == '\'')) {
          p_ = q;
          t.kind = bytes ? Tok::kBytes : Tok::kString;
          t.text = Quoted(raw, bytes);
        } else {
          size_t e = p_;
          while (e < s_.size() && (IsIdentStart(s_[e]) || IsDigit(s_[e]))) ++e;
          t.text = std::string(s_.substr(p_, e - p_));
          p_ = e;
          if (t.text == "true") t.kind = Tok::kTrue;
          else if (t.text == "false") t.kind = Tok::kFalse;
          else if (t.text == "null") t.kind = Tok::kNull;
          else if (t.text == "in") t.kind = Tok::kIn;
          else if (IsReserved(t.text)) throw CompileError(t.pos, "reserved identifier '" + t.text + "'");
          else t.kind = Tok::kIdent;
        }
      } else {
        Punct(t);
      }
      out.push_back(std::move(t));
    }
  }

 private:
  void SkipSpace() {
    while (p_ < s_.size()) {
      const char c = s_[p_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') { ++p_; continue; }
      if (c == '/' && p_ + 1 < s_.size() && s_[p_ + 1] == '/') {
        while (p_ < s_.size() && s_[p_] != '\n') ++p_;
        continue;
      }
      break;
    }
  }

  void Number(Token& t) {
    const size_t start = p_;
    if (s_[p_] == '0' && p_ + 1 < s_.size() && (s_[p_ + 1] == 'x' || s_[p_ + 1] == 'X')) {
      p_ += 2;
      const size_t ds = p_;
      uint64_t v = 0;
      while (p_ < s_.size() && IsHex(s_[p_])) {
        if (v > (UINT64_MAX >> 4)) throw CompileError(start, "integer literal out of range");
        v = (v << 4) | static_cast<uint64_t>(HexVal(s_[p_++]));
      }
      if (p_ == ds) throw CompileError(start, "malformed hexadecimal literal");
      IntSuffix(t, v, start);
      return;
    }
    while (p_ < s_.size() && IsDigit(s_[p_])) ++p_;
    bool is_double = false;
    if (p_ + 1 < s_.size() && s_[p_] == '.' && IsDigit(s_[p_ + 1])) {
      is_double = true;
      ++p_;
      while (p_ < s_.size() && IsDigit(s_[p_])) ++p_;
    }
    if (p_ < s_.size() && (s_[p_] == 'e' || s_[p_] == 'E')) {
      size_t q = p_ + 1;
      if (q < s_.size() && (s_[q] == '+' || s_[q] == '-')) ++q;
      if (q < s_.size() && IsDigit(s_[q])) {
        is_double = true;
        p_ = q;
        while (p_ < s_.size() && IsDigit(s_[p_])) ++p_;
      }
    }
    const std::string text(s_.substr(start, p_ - start));
    if (is_double) {
      t.kind = Tok::kDouble;
      t.d = std::strtod(text.c_str(), nullptr);
      if (p_ < s_.size() && (IsIdentStart(s_[p_]) || IsDigit(s_[p_])))
        throw CompileError(p_, "unexpected character after number");
      return;
    }
    uint64_t v = 0;
    for (char c : text) {
      const uint64_t digit = static_cast<uint64_t>(c - '0');
      if (v > (UINT64_MAX - digit) / 10) throw CompileError(start, "integer literal out of range");
      v = v * 10 + digit;
    }
    IntSuffix(t, v, start);
  }

  void IntSuffix(Token& t, uint64_t v, size_t start) {
    if (p_ < s_.size() && (s_[p_] == 'u' || s_[p_] == 'U')) {
      ++p_;
      t.kind = Tok::kUint;
    } else {
      t.kind = Tok::kInt;
      if (v > 9223372036854775808ull) throw CompileError(start, "integer literal out of range");
    }
    t.u = v;
    if (p_ < s_.size() && (IsIdentStart(s_[p_]) || IsDigit(s_[p_])))
      throw CompileError(p_, "unexpected character after number");
  }

  std::string Quoted(bool raw, bool bytes) {
    const size_t start = p_;
    const char q = s_[p_];
    const bool triple = p_ + 2 < s_.size() && s_[p_ + 1] == q && s_[p_ + 2] == q;
    p_ += triple ? 3 : 1;
    std::string out;
    for (;;) {
      if (p_ >= s_.size()) throw CompileError(start, "unterminated string literal");
      const char c = s_[p_];
      if (triple) {
        if (c == q && p_ + 2 < s_.size() && s_[p_ + 1] == q && s_[p_ + 2] == q) { p_ += 3; return out; }
      } else {
        if (c == q) { ++p_; return out; }
        if (c == '\n' || c == '\r') throw CompileError(start, "newline in string literal (use \\n or a triple-quoted string)");
      }
      if (c != '\\' || raw) {
        out += c;
        ++p_;
        continue;
      }
      const size_t esc = p_;
      if (++p_ >= s_.size()) throw CompileError(esc, "unterminated escape sequence");
      const char e = s_[p_++];
      switch (e) {
        case 'a': out += '\a'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'v': out += '\v'; break;
        case '\\': case '\'': case '"': case '`': case '?': out += e; break;
        case 'x': case 'X': case 'u': case 'U': {
          const int n = (e == 'x' || e == 'X') ? 2 : (e == 'u' ? 4 : 8);
          if (!bytes || n == 2) {
            uint32_t cp = 0;
            for (int k = 0; k < n; ++k) {
              if (p_ >= s_.size() || !IsHex(s_[p_])) throw CompileError(esc, "malformed \\" + std::string(1, e) + " escape");
              cp = cp * 16 + static_cast<uint32_t>(HexVal(s_[p_++]));
            }
            if (bytes) out += static_cast<char>(cp);
            else {
              if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                throw CompileError(esc, "escape is not a Unicode code point");
              AppendUtf8(cp, out);
            }
          } else {
            throw CompileError(esc, "\\u and \\U escapes are not allowed in bytes literals");
          }
          break;
        }
        case '0': case '1': case '2': case '3': {
          uint32_t v = static_cast<uint32_t>(e - '0');
          for (int k = 0; k < 2; ++k) {
            if (p_ >= s_.size() || s_[p_] < '0' || s_[p_] > '7') throw CompileError(esc, "malformed octal escape");
            v = v * 8 + static_cast<uint32_t>(s_[p_++] - '0');
          }
          if (bytes) out += static_cast<char>(v);
          else AppendUtf8(v, out);
          break;
        }
        default: throw CompileError(esc, std::string("unknown escape sequence \\") + e);
      }
    }
  }

  void Punct(Token& t) {
    const char c = s_[p_];
    const char n = p_ + 1 < s_.size() ? s_[p_ + 1] : '\0';
    auto two = [&](Tok k) { t.kind = k; p_ += 2; };
    auto one = [&](Tok k) { t.kind = k; p_ += 1; };
    switch (c) {
      case '(': one(Tok::kLParen); return;
      case ')': one(Tok::kRParen); return;
      case '[': if (n == '?') two(Tok::kLBracketQuestion); else one(Tok::kLBracket); return;
      case ']': one(Tok::kRBracket); return;
      case '{': one(Tok::kLBrace); return;
      case '}': one(Tok::kRBrace); return;
      case '.': if (n == '?') two(Tok::kDotQuestion); else one(Tok::kDot); return;
      case ',': one(Tok::kComma); return;
      case ':': one(Tok::kColon); return;
      case '?': one(Tok::kQuestion); return;
      case '!': if (n == '=') two(Tok::kNotEq); else one(Tok::kNot); return;
      case '-': one(Tok::kMinus); return;
      case '+': one(Tok::kPlus); return;
      case '*': one(Tok::kStar); return;
      case '/': one(Tok::kSlash); return;
      case '%': one(Tok::kPercent); return;
      case '<': if (n == '=') two(Tok::kLessEq); else one(Tok::kLess); return;
      case '>': if (n == '=') two(Tok::kGreaterEq); else one(Tok::kGreater); return;
      case '=': if (n == '=') { two(Tok::kEq); return; } break;
      case '&': if (n == '&') { two(Tok::kAnd); return; } break;
      case '|': if (n == '|') { two(Tok::kOr); return; } break;
      default: break;
    }
    const unsigned char uc = static_cast<unsigned char>(c);
    if (uc >= 0x20 && uc < 0x7f) throw CompileError(p_, std::string("unexpected character '") + c + "'");
    throw CompileError(p_, "unexpected byte in expression");
  }

  std::string_view s_;
  size_t p_ = 0;
};

}  // namespace

std::vector<Token> Lex(std::string_view expr) { return Lexer(expr).Run(); }

}  // namespace customs::misconfig::lang
