#include "inventory/dedupe.h"

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace customs {

namespace {

std::string_view Extra(const Package& p, const char* key) {
  auto it = p.extra.find(key);
  return it == p.extra.end() ? std::string_view() : std::string_view(it->second);
}

std::string_view DirOf(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

// "<project>/node_modules/.../node_modules/<name>/package.json" -> <project> ("" for the root),
// when the last install directory is `name` (an aliased install, "node_modules/alias" holding
// another name, is not matched); false otherwise.
bool ProjectOfInstalled(std::string_view path, std::string_view name, std::string_view& project) {
  constexpr std::string_view kNm = "node_modules/";
  const std::string tail = "node_modules/" + std::string(name) + "/package.json";
  if (!path.ends_with(tail)) return false;
  const size_t tail_at = path.size() - tail.size();
  if (tail_at > 0 && path[tail_at - 1] != '/') return false;
  // The project is what precedes the first node_modules component.
  size_t at = 0;
  for (;;) {
    at = path.find(kNm, at);
    if (at == std::string_view::npos) return false;
    if (at == 0 || path[at - 1] == '/') break;
    ++at;
  }
  project = at == 0 ? std::string_view() : path.substr(0, at - 1);
  return true;
}

}  // namespace

void MergeInstalledNpmIntoLockfiles(std::vector<Package>& packages) {
  // (project dir, name, version) -> the lockfile package (the first, in order).
  std::map<std::tuple<std::string, std::string, std::string>, size_t> locked;
  for (size_t i = 0; i < packages.size(); ++i) {
    const Package& p = packages[i];
    if (p.type != "npm" || Extra(p, "source") == "node_modules" || Extra(p, "source").empty()) continue;
    locked.emplace(std::make_tuple(std::string(DirOf(p.db_path)), p.name, p.version), i);
  }
  if (locked.empty()) return;
  std::vector<bool> drop(packages.size(), false);
  std::map<size_t, std::vector<std::string>> also;  // lockfile package -> installed manifests
  bool any = false;
  for (size_t i = 0; i < packages.size(); ++i) {
    Package& p = packages[i];
    if (p.type != "npm" || Extra(p, "source") != "node_modules") continue;
    std::string_view project;
    if (!ProjectOfInstalled(p.db_path, p.name, project)) continue;
    auto it = locked.find(std::make_tuple(std::string(project), p.name, p.version));
    if (it == locked.end()) continue;
    Package& lock = packages[it->second];
    also[it->second].push_back(p.db_path);
    if (p.layer >= 0 && (lock.layer < 0 || p.layer < lock.layer)) lock.layer = p.layer;
    if (lock.licenses.empty()) lock.licenses = p.licenses;
    drop[i] = true;
    any = true;
  }
  if (!any) return;
  for (auto& [i, paths] : also) {
    std::string& list = packages[i].extra[kAlsoFoundIn];
    std::sort(paths.begin(), paths.end());
    paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
    list.clear();
    for (const auto& x : paths) list += (list.empty() ? "" : "\n") + x;
  }
  size_t w = 0;
  for (size_t i = 0; i < packages.size(); ++i) {
    if (drop[i]) continue;
    if (w != i) packages[w] = std::move(packages[i]);
    ++w;
  }
  packages.resize(w);
}

}  // namespace customs
