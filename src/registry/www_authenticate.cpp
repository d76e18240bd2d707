// WWW-Authenticate parser after RFC 7235 section 4.1 (challenge = auth-scheme [ 1*SP ( token68 /
// #auth-param ) ]), with the list rules of RFC 7230 section 7 (empty list elements are allowed).
// Hand-written: libcurl parses these headers only internally and exposes no parser.
#include "registry/www_authenticate.h"

#include <cctype>

#include "registry/client.h"

namespace customs::registry {

namespace {

bool IsTchar(char c) {
  if (std::isalnum(static_cast<unsigned char>(c))) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-': case '.':
    case '^': case '_': case '`': case '|': case '~': return true;
    default: return false;
  }
}
bool IsToken68Char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' ||
         c == '/';
}
std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  std::vector<Challenge> Run() {
    std::vector<Challenge> out;
    SkipListSeparators();
    while (i_ < s_.size()) {
      Challenge c;
      c.scheme = Lower(Token());
      if (c.scheme.empty()) Fail("expected an authentication scheme");
      size_t spaces = SkipSpaces();
      if (i_ < s_.size() && s_[i_] != ',') {
        if (spaces == 0) Fail("expected a space after the scheme");
        if (LooksLikeToken68()) {
          c.token68 = Token68();
        } else {
          ParseParams(c);
        }
      }
      out.push_back(std::move(c));
      SkipListSeparators();
    }
    if (out.empty()) Fail("no challenge");
    return out;
  }

 private:
  [[noreturn]] void Fail(const std::string& why) {
    throw RegistryError(RegistryError::Kind::kProtocol,
                        "malformed WWW-Authenticate header (" + why + " at offset " + std::to_string(i_) + ")");
  }
  size_t SkipSpaces() {
    size_t n = 0;
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_, ++n;
    return n;
  }
  void SkipListSeparators() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == ',')) ++i_;
  }
  std::string_view Token() {
    size_t b = i_;
    while (i_ < s_.size() && IsTchar(s_[i_])) ++i_;
    return s_.substr(b, i_ - b);
  }
  // token68 := 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=", then the end or a comma.
  bool LooksLikeToken68() const {
    size_t j = i_;
    while (j < s_.size() && IsToken68Char(s_[j])) ++j;
    if (j == i_) return false;
    while (j < s_.size() && s_[j] == '=') ++j;
    size_t k = j;
    while (k < s_.size() && (s_[k] == ' ' || s_[k] == '\t')) ++k;
    if (k < s_.size() && s_[k] != ',') return false;
    // "name=" with nothing after is no auth-param (a value needs a character): token68 it is.
    return true;
  }
  std::string Token68() {
    size_t b = i_;
    while (i_ < s_.size() && IsToken68Char(s_[i_])) ++i_;
    while (i_ < s_.size() && s_[i_] == '=') ++i_;
    return std::string(s_.substr(b, i_ - b));
  }
  std::string QuotedString() {
    ++i_;  // opening quote
    std::string out;
    while (true) {
      if (i_ >= s_.size()) Fail("unterminated quoted string");
      char c = s_[i_++];
      if (c == '"') return out;
      if (c == '\\') {
        if (i_ >= s_.size()) Fail("unterminated quoted string");
        c = s_[i_++];
      }
      if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) Fail("control character in a quoted string");
      out += c;
    }
  }
  // #auth-param, stopping before the next challenge: a token not followed by '='.
  void ParseParams(Challenge& c) {
    while (true) {
      size_t start = i_;
      std::string name = Lower(Token());
      if (name.empty()) Fail("expected a parameter name");
      SkipSpaces();
      if (i_ >= s_.size() || s_[i_] != '=') {
        if (c.params.empty()) Fail("expected '=' after parameter '" + name + "'");
        i_ = start;  // the next challenge's scheme
        return;
      }
      ++i_;
      SkipSpaces();
      std::string value;
      if (i_ < s_.size() && s_[i_] == '"') {
        value = QuotedString();
      } else {
        value = std::string(Token());
        if (value.empty()) Fail("expected a value for parameter '" + name + "'");
      }
      if (!c.params.emplace(name, value).second) Fail("parameter '" + name + "' given twice");
      SkipSpaces();
      if (i_ >= s_.size()) return;
      if (s_[i_] != ',') Fail("expected ',' between parameters");
      SkipListSeparators();
      if (i_ >= s_.size()) return;
      // A parameter follows when a token and then '=' (not a token68's padding) come next.
      size_t save = i_;
      Token();
      SkipSpaces();
      bool param = i_ < s_.size() && s_[i_] == '=';
      i_ = save;
      if (!param) return;
    }
  }

  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace

std::vector<Challenge> ParseWwwAuthenticate(std::string_view header) {
  if (header.size() > 16384) throw RegistryError(RegistryError::Kind::kProtocol, "WWW-Authenticate header too long");
  return Parser(header).Run();
}

}  // namespace customs::registry
