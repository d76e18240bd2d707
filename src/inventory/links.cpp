#include "inventory/links.h"

#include <algorithm>
#include <map>
#include <string_view>

#include "analyzers/npm_util.h"

namespace customs {

namespace {

constexpr std::string_view kManifest = "/package.json";

bool IsInstalledNpm(const Package& p) {
  auto it = p.extra.find("source");
  return p.type == "npm" && it != p.extra.end() && it->second == "node_modules" && p.db_path.ends_with(kManifest);
}

// "name" or "name@version": the bare name (split at the last '@' that is not the first character).
bool IsPinned(std::string_view dep) {
  size_t at = dep.rfind('@');
  return at != std::string_view::npos && at > 0;
}

}  // namespace

void LinkInstalledPackages(std::vector<Package>& packages, const ResolvePath& resolve) {
  std::map<std::string, const Package*> by_manifest;  // manifest path -> package
  for (const auto& p : packages)
    if (IsInstalledNpm(p)) by_manifest.emplace(p.db_path, &p);
  if (by_manifest.empty()) return;

  // The manifest Node.js would load for `dir`: itself, or the file a symlinked directory leads to.
  // `found` tells whether a manifest file is there at all (even one no package was read from).
  auto lookup = [&](const std::string& dir, bool& found) -> const Package* {
    const std::string manifest = dir + std::string(kManifest);
    auto it = by_manifest.find(manifest);
    if (it != by_manifest.end()) {
      found = true;
      return it->second;
    }
    found = false;
    if (!resolve) return nullptr;
    std::optional<std::string> real = resolve(manifest);
    if (!real) return nullptr;
    found = true;
    it = by_manifest.find(*real);
    return it == by_manifest.end() ? nullptr : it->second;
  };

  std::vector<std::vector<std::string>> pinned(packages.size());
  for (size_t i = 0; i < packages.size(); ++i) {
    const Package& p = packages[i];
    if (!IsInstalledNpm(p)) continue;
    const std::string dir = p.db_path.substr(0, p.db_path.size() - kManifest.size());
    for (const auto& dep : p.depends) {
      std::string entry = dep;
      if (!IsPinned(dep))
        for (const std::string& candidate : npm::LookupDirs(dir, dep)) {
          bool found = false;
          const Package* q = lookup(candidate, found);
          if (!found) continue;
          // Node.js stops at the first directory that holds the module, usable or not.
          if (q) entry = q->name + "@" + q->version;
          break;
        }
      if (std::find(pinned[i].begin(), pinned[i].end(), entry) == pinned[i].end()) pinned[i].push_back(entry);
    }
  }
  for (size_t i = 0; i < packages.size(); ++i)
    if (IsInstalledNpm(packages[i])) packages[i].depends = std::move(pinned[i]);
}

}  // namespace customs
