#include "inventory/secrets.h"

#include <algorithm>
#include <string>
#include <tuple>

namespace customs {

void CollectSecrets(std::vector<LayerScan>& scans, const LayerHistory& history, Inventory& inv) {
  std::vector<SecretMatch>& all = inv.secrets;
  for (auto& ls : scans) {
    for (auto& s : ls.result.secrets) all.push_back(std::move(s));
    ls.result.secrets.clear();
  }
  for (SecretMatch& s : all) {
    if (s.removed_in_layer >= 0) continue;
    for (const PathEvent& e : history.Events(s.path)) {
      if (e.layer <= s.layer) continue;
      s.removed_in_layer = e.layer;
      s.replaced = e.state == PathState::kWritten || e.state == PathState::kReplaced;
      break;
    }
  }
  std::sort(all.begin(), all.end(), [](const SecretMatch& a, const SecretMatch& b) {
    return std::tie(a.layer, a.path, a.line, a.column, a.rule_id) < std::tie(b.layer, b.path, b.line, b.column, b.rule_id);
  });
}

}  // namespace customs
