// Document helpers for the parsers: JSON and YAML into one tree type (nlohmann::json), tolerant getters.
// YAML scalars always become JSON strings (versions such as 0 or 1.10 must stay text).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace customs::db {

// Parses JSON (yaml=false) or YAML (yaml=true; the first document). False + error on failure.
// `where` names the feed file in a LimitError (a crossed limit rejects the file; malformed input is skipped).
bool ParseDocument(std::string_view data, bool yaml, nlohmann::json& out, std::string& error,
                   std::string_view where = "feed document");
// True when the name ends with .yaml or .yml.
bool IsYamlName(std::string_view name);

// `j[key]` as a string: strings as is, numbers/bools printed, anything else (or missing) "".
std::string Str(const nlohmann::json& j, const char* key);
std::string AsStr(const nlohmann::json& j);
// `j[key]` if it is an array of scalars: its strings; otherwise empty.
std::vector<std::string> StrList(const nlohmann::json& j, const char* key);
const nlohmann::json* Child(const nlohmann::json& j, const char* key);  // nullptr when absent/not object-member

}  // namespace customs::db
