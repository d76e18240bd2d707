// Small text helpers shared by the hand-written package database and release file parsers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace customs::text {

// Splits into lines at '\n'; a trailing '\r' (CRLF files) is removed from each line. A final line
// without a newline is kept; an empty input gives no lines.
std::vector<std::string_view> Lines(std::string_view s);

// The last component of a '/'-separated path (the whole path when it has no '/').
inline std::string_view BaseName(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// Strips spaces and tabs at both ends (and stray '\r', '\n', '\f', '\v').
std::string_view Trim(std::string_view s);

// True when the line holds nothing but spaces and tabs.
bool IsBlank(std::string_view s);

// ASCII-only case-insensitive comparison and lowering.
bool IEquals(std::string_view a, std::string_view b);
std::string Lower(std::string_view s);

// Splits on any run of spaces and tabs; no empty items.
std::vector<std::string_view> Words(std::string_view s);

// Sorts and removes duplicates.
void SortUnique(std::vector<std::string>& v);

// Appends `s` unless it is already present (keeps the original order).
void PushUnique(std::vector<std::string>& v, std::string s);

}  // namespace customs::text
