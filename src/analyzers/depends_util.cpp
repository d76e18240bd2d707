#include "analyzers/depends_util.h"

#include <unordered_map>
#include <unordered_set>

#include "analyzers/text_util.h"
#include "core/ecosystem.h"

namespace customs {

namespace {

using ProviderIndex = std::unordered_map<std::string, size_t>;  // capability -> package index

// Records `pkg` as a provider of `cap` unless a better one is known: the package whose name is
// the capability, else the smallest name.
void AddProvider(ProviderIndex& index, const std::vector<Package>& packages, const std::string& cap,
                 size_t pkg) {
  auto [it, inserted] = index.emplace(cap, pkg);
  if (inserted) return;
  const std::string& current = packages[it->second].name;
  if (current == cap) return;
  if (packages[pkg].name == cap || packages[pkg].name < current) it->second = pkg;
}

ProviderIndex IndexProviders(const std::vector<Package>& packages, const std::vector<Capabilities>& caps,
                             const ResolveOptions& opts) {
  ProviderIndex index;
  for (size_t i = 0; i < packages.size(); ++i) {
    AddProvider(index, packages, packages[i].name, i);
    for (const auto& p : caps[i].provides) AddProvider(index, packages, p, i);
  }
  if (!opts.files_provide) return index;
  // Only the paths some package requires are worth indexing; file lists are large.
  std::unordered_set<std::string> wanted_files;
  for (const auto& c : caps)
    for (const auto& r : c.requirements)
      if (r.size() > 1 && r[0] == '/' && !index.count(r)) wanted_files.insert(r.substr(1));
  if (wanted_files.empty()) return index;
  for (size_t i = 0; i < packages.size(); ++i)
    for (const auto& f : packages[i].files)
      if (wanted_files.count(f)) AddProvider(index, packages, "/" + f, i);
  return index;
}

}  // namespace

void ResolveDepends(std::vector<Package>& packages, const std::vector<Capabilities>& caps,
                    const ResolveOptions& opts) {
  if (caps.size() != packages.size()) return;
  ProviderIndex index = IndexProviders(packages, caps, opts);
  for (size_t i = 0; i < packages.size(); ++i) {
    std::vector<std::string> deps;
    for (const auto& r : caps[i].requirements) {
      auto it = index.find(r);
      if (it == index.end() || it->second == i) continue;
      deps.push_back(packages[it->second].name);
    }
    text::SortUnique(deps);
    packages[i].depends = std::move(deps);
  }
}

std::string PinnedDepends(std::string_view name, std::string_view version) {
  std::string out(name);
  if (!version.empty()) out += "@" + std::string(version);
  return out;
}

std::string FoldCase(std::string_view name) { return ecosystem::Fold(ecosystem::Folding::kLowerAscii, name); }

std::string Pep503Name(std::string_view name) { return ecosystem::Pep503Normalize(name); }

void LockIndex::Add(std::string_view name, std::string_view version) {
  if (name.empty() || version.empty()) return;
  by_key_[Key(name)].emplace(std::string(name), std::string(version));
}

std::string LockIndex::Pin(std::string_view name) const {
  auto it = by_key_.find(Key(name));
  if (it == by_key_.end()) return std::string(name);
  std::set<std::string> versions;
  for (const auto& nv : it->second) versions.insert(nv.second);
  if (versions.size() != 1) return std::string(name);
  // Two spellings of one version under the same key: the first in order, so the answer is stable.
  return PinnedDepends(it->second.begin()->first, *versions.begin());
}

std::string LockIndex::Pin(std::string_view name, std::string_view version) const {
  auto it = by_key_.find(Key(name));
  if (it != by_key_.end())
    for (const auto& [n, v] : it->second)
      if (v == version) return PinnedDepends(n, v);
  return PinnedDepends(name, version);
}

}  // namespace customs
