// Helpers shared by the Node.js analyzers (npm_package_lock, npm_yarn_lock, npm_pnpm_lock,
// npm_node_modules): path tests, package construction, de-duplication, JSON field access.
#pragma once

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/types.h"

namespace customs::npm {

// True when `path` (normalized, no leading '/') is `name` or ends with "/name".
bool IsFileNamed(std::string_view path, std::string_view name);

// True when some directory component of `path` is "node_modules".
bool InNodeModules(std::string_view path);

// For ".../node_modules/x/package.json" and ".../node_modules/@s/x/package.json": true.
bool IsInstalledManifest(std::string_view path);

// "node_modules/a/node_modules/@s/b" -> "@s/b"; "" when the path has no node_modules component.
std::string NameFromInstallPath(std::string_view path);

// "lodash@^4.0.0" -> "lodash", "@babel/core@npm:7.1.0" -> "@babel/core" (the '@' of a scope is
// not a separator). No '@' after the first character: the whole string.
std::string_view NameOfSpec(std::string_view spec);

// Node.js's module lookup: the directories where `dep` is looked for when required from the package
// directory `dir` (relative to the root of the tree, no trailing '/'; "" for the root), nearest
// first: "<dir>/node_modules/<dep>", then the same under each ancestor that is not itself a
// node_modules directory, ending with "node_modules/<dep>" at the root.
std::vector<std::string> LookupDirs(std::string_view dir, std::string_view dep);

// A new npm package.
Package NewPackage(std::string name, std::string version, const std::string& db_path, std::string source);

// Merges packages of the same (name, version): a package installed at several places is one
// package; it is direct when any copy is, dev-only when every copy is. Keeps the first order.
std::vector<Package> MergeDuplicates(std::vector<Package> pkgs);

// JSON accessors that never throw.
std::string Str(const nlohmann::json& obj, const char* key);
bool True(const nlohmann::json& obj, const char* key);
// Keys of obj[key] when it is an object, appended to `out` (no duplicates).
void AppendKeys(const nlohmann::json& obj, const char* key, std::vector<std::string>& out);
// package.json "license" (string or {type}) or legacy "licenses" ([{type}] or strings).
std::vector<std::string> Licenses(const nlohmann::json& obj);

// YAML lockfiles (pnpm-lock.yaml, berry's yarn.lock): the scalar at `key` of a map ("" when
// absent or not a scalar), and the keys of the map at `key` appended to `out` once each.
std::string YamlScalar(const YAML::Node& n, const char* key);
void YamlMapKeys(const YAML::Node& n, const char* key, std::vector<std::string>& out);

}  // namespace customs::npm
