#include "inventory/config_files.h"

#include "analyzers/misconfig_files.h"

namespace customs {

std::vector<MisconfigFile> CollectMisconfigFiles(const LayerHistory& history, bool layered) {
  std::vector<MisconfigFile> out;
  history.ForEachPath([&](std::string_view path) {
    if (!IsMisconfigCandidate(path)) return;
    const PathEvent* e = history.Final(path);
    if (!e) return;
    auto content = history.Kept(e->layer, path);
    if (!content || content->size() > kMaxMisconfigFileBytes) return;
    out.push_back(MisconfigFile{std::string(path), layered ? e->layer : -1, std::move(content)});
  });
  return out;
}

}  // namespace customs
