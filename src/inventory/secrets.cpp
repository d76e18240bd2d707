#include "inventory/secrets.h"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>

namespace customs {

namespace {

bool UnderDir(const std::string& path, const std::string& dir) {
  return dir.empty() || (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 && path[dir.size()] == '/');
}

}  // namespace

void CollectSecrets(std::vector<LayerScan>& scans, Inventory& inv) {
  std::vector<SecretMatch>& all = inv.secrets;
  for (auto& ls : scans) {
    for (auto& s : ls.result.secrets) all.push_back(std::move(s));
    ls.result.secrets.clear();
  }
  if (all.empty()) return;
  // path -> matches in that file (of any layer).
  std::map<std::string, std::vector<size_t>> by_path;
  for (size_t i = 0; i < all.size(); ++i) by_path[all[i].path].push_back(i);

  auto mark = [&](const std::vector<size_t>& idx, int layer, bool replaced) {
    for (size_t i : idx) {
      SecretMatch& s = all[i];
      if (s.layer < layer && s.removed_in_layer < 0) {
        s.removed_in_layer = layer;
        s.replaced = replaced;
      }
    }
  };
  // Everything at or under `dir` (the dir itself when `self`).
  auto mark_under = [&](const std::string& dir, bool self, int layer, bool replaced) {
    auto it = dir.empty() ? by_path.begin() : by_path.lower_bound(dir);
    for (; it != by_path.end(); ++it) {
      if (self && it->first == dir) {
        mark(it->second, layer, replaced);
        continue;
      }
      if (!UnderDir(it->first, dir)) {
        if (it->first.compare(0, dir.size(), dir) != 0) break;  // past every path starting with dir
        continue;                                               // "dir-x/..." sorts among them
      }
      mark(it->second, layer, replaced);
    }
  };

  for (const auto& ls : scans) {
    const int layer = ls.index;
    for (const FileMeta& e : ls.entries) {
      switch (e.type) {
        case FileType::kWhiteout: mark_under(e.path, true, layer, false); break;
        case FileType::kOpaqueWhiteout: mark_under(e.path, false, layer, false); break;
        case FileType::kDirectory: {
          // A directory over a file of that name removes the file.
          auto it = by_path.find(e.path);
          if (it != by_path.end()) mark(it->second, layer, true);
          break;
        }
        default: {
          auto it = by_path.find(e.path);
          if (it != by_path.end()) mark(it->second, layer, true);
          // A file where a directory was replaces the directory and all below it.
          mark_under(e.path, false, layer, true);
          break;
        }
      }
    }
  }
  std::sort(all.begin(), all.end(), [](const SecretMatch& a, const SecretMatch& b) {
    return std::tie(a.layer, a.path, a.line, a.column, a.rule_id) < std::tie(b.layer, b.path, b.line, b.column, b.rule_id);
  });
}

}  // namespace customs
