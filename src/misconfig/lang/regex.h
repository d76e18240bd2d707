// Regular expressions for matches(): PCRE2 (Debian-packaged, already linked) standing in for CEL's RE2.
// Patterns in the RE2 subset used by checks (classes, anchors, alternation, repetition, groups,
// non-greedy, \d \w \s, (?i)) mean the same in both. Matching is a search (unanchored), as in CEL,
// and bounded by PCRE2's match limit so a hostile subject cannot make a check run for long.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace customs::misconfig::lang {

struct Regex {
  ~Regex();
  void* code = nullptr;  // pcre2_code_8*
};

// Compiles `pattern`; nullptr with `error` set ("missing closing parenthesis at offset 3") on failure.
std::shared_ptr<const Regex> CompileRegex(std::string_view pattern, std::string* error);

// 1: matches, 0: does not, -1: the match limit was hit or another matching error (`error` set).
// `from`: the byte offset to start at; `begin`/`end` (when given): the byte range of the match.
int RegexSearch(const Regex& re, std::string_view subject, std::string* error, size_t from = 0,
                size_t* begin = nullptr, size_t* end = nullptr);

}  // namespace customs::misconfig::lang
