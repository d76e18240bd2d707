#include "analyzers/npm_util.h"

#include "analyzers/app_package.h"

#include <map>
#include <utility>

#include "analyzers/text_util.h"

namespace customs::npm {

bool IsFileNamed(std::string_view path, std::string_view name) {
  if (path == name) return true;
  return path.size() > name.size() && path.ends_with(name) && path[path.size() - name.size() - 1] == '/';
}

bool InNodeModules(std::string_view path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return false;
  std::string_view dir = path.substr(0, slash + 1);  // with trailing '/'
  return dir.starts_with("node_modules/") || dir.find("/node_modules/") != std::string_view::npos;
}

bool IsInstalledManifest(std::string_view path) {
  constexpr std::string_view kFile = "/package.json";
  if (!path.ends_with(kFile)) return false;
  std::string_view dir = path.substr(0, path.size() - kFile.size());
  // Split into components from the end: pkg, then maybe @scope, then node_modules.
  auto last = [](std::string_view s) {
    size_t p = s.rfind('/');
    return p == std::string_view::npos ? s : s.substr(p + 1);
  };
  auto parent = [](std::string_view s) {
    size_t p = s.rfind('/');
    return p == std::string_view::npos ? std::string_view() : s.substr(0, p);
  };
  std::string_view pkg = last(dir);
  if (pkg.empty() || pkg.front() == '@' || pkg.front() == '.') return false;
  std::string_view up = parent(dir);
  if (up.empty()) return false;
  std::string_view up_name = last(up);
  if (up_name == "node_modules") return true;
  if (up_name.size() > 1 && up_name.front() == '@') {
    std::string_view up2 = parent(up);
    return !up2.empty() && last(up2) == "node_modules";
  }
  return false;
}

std::string NameFromInstallPath(std::string_view path) {
  constexpr std::string_view kNm = "node_modules/";
  size_t pos = std::string_view::npos;
  if (path.starts_with(kNm)) pos = 0;
  for (size_t p = path.find("/node_modules/"); p != std::string_view::npos; p = path.find("/node_modules/", p + 1))
    pos = p + 1;
  if (pos == std::string_view::npos) return "";
  return std::string(path.substr(pos + kNm.size()));
}

std::string_view NameOfSpec(std::string_view spec) {
  if (spec.empty()) return spec;
  size_t at = spec.find('@', 1);
  return at == std::string_view::npos ? spec : spec.substr(0, at);
}

std::vector<std::string> LookupDirs(std::string_view dir, std::string_view dep) {
  std::vector<std::string> out;
  const std::string tail = "node_modules/" + std::string(dep);
  while (!dir.empty()) {
    const size_t slash = dir.rfind('/');
    std::string_view last = slash == std::string_view::npos ? dir : dir.substr(slash + 1);
    if (last != "node_modules") out.push_back(std::string(dir) + "/" + tail);
    dir = slash == std::string_view::npos ? std::string_view() : dir.substr(0, slash);
  }
  out.push_back(tail);
  return out;
}

Package NewPackage(std::string name, std::string version, const std::string& db_path, std::string source) {
  Package p = MakeAppPackage("npm", std::move(name), std::move(version), db_path);
  p.extra["source"] = std::move(source);
  return p;
}

std::vector<Package> MergeDuplicates(std::vector<Package> pkgs) {
  std::vector<Package> out;
  std::map<std::pair<std::string, std::string>, size_t> index;
  for (auto& p : pkgs) {
    auto key = std::make_pair(p.name, p.version);
    auto it = index.find(key);
    if (it == index.end()) {
      index.emplace(std::move(key), out.size());
      out.push_back(std::move(p));
      continue;
    }
    Package& q = out[it->second];
    auto get = [](const Package& x, const char* k) {
      auto f = x.extra.find(k);
      return f == x.extra.end() ? std::string() : f->second;
    };
    // direct: "true" wins; otherwise "false" when either knows.
    std::string d1 = get(q, "direct"), d2 = get(p, "direct");
    if (d1 == "true" || d2 == "true") q.extra["direct"] = "true";
    else if (!d2.empty()) q.extra["direct"] = d2;
    // dev-only only when every copy is dev-only.
    if (get(q, "dev") == "true" && get(p, "dev") != "true") q.extra.erase("dev");
    for (auto& d : p.depends) text::PushUnique(q.depends, std::move(d));
    if (q.licenses.empty()) q.licenses = std::move(p.licenses);
    for (auto& [k, v] : p.extra)
      if (k != "dev" && k != "direct" && !q.extra.count(k)) q.extra[k] = std::move(v);
  }
  return out;
}

std::string Str(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object()) return "";
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

bool True(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object()) return false;
  auto it = obj.find(key);
  return it != obj.end() && it->is_boolean() && it->get<bool>();
}

void AppendKeys(const nlohmann::json& obj, const char* key, std::vector<std::string>& out) {
  if (!obj.is_object()) return;
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_object()) return;
  for (auto d = it->begin(); d != it->end(); ++d) text::PushUnique(out, d.key());
}

std::vector<std::string> Licenses(const nlohmann::json& obj) {
  std::vector<std::string> out;
  if (!obj.is_object()) return out;
  auto add = [&](const nlohmann::json& v) {
    if (v.is_string()) {
      if (!v.get_ref<const std::string&>().empty()) text::PushUnique(out, v.get<std::string>());
    } else {
      std::string t = Str(v, "type");
      if (!t.empty()) text::PushUnique(out, t);
    }
  };
  auto it = obj.find("license");
  if (it != obj.end()) add(*it);
  if (out.empty()) {
    auto ls = obj.find("licenses");
    if (ls != obj.end() && ls->is_array())
      for (const auto& v : *ls) add(v);
  }
  return out;
}

std::string YamlScalar(const YAML::Node& n, const char* key) {
  if (!n.IsMap()) return "";
  YAML::Node v = n[key];
  if (!v || !v.IsScalar()) return "";
  return v.Scalar();
}

void YamlMapKeys(const YAML::Node& n, const char* key, std::vector<std::string>& out) {
  if (!n.IsMap()) return;
  YAML::Node m = n[key];
  if (!m || !m.IsMap()) return;
  for (auto it = m.begin(); it != m.end(); ++it)
    if (it->first.IsScalar()) text::PushUnique(out, it->first.Scalar());
}

}  // namespace customs::npm
