#include "inventory/config_files.h"

#include "analyzers/misconfig_files.h"

namespace customs {

std::vector<MisconfigFile> CollectMisconfigFiles(const LayerHistory& history, bool layered) {
  std::vector<MisconfigFile> out;
  for (const auto& [path, events] : history.Paths()) {
    if (!IsMisconfigCandidate(path)) continue;
    const PathEvent* e = history.Final(path);
    if (!e) continue;
    auto content = history.Kept(e->layer, path);
    if (!content || content->size() > kMaxMisconfigFileBytes) continue;
    out.push_back(MisconfigFile{std::string(path), layered ? e->layer : -1, std::move(content)});
  }
  return out;
}

}  // namespace customs
