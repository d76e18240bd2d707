#include <algorithm>

#include "analyzers/analyzer.h"

namespace customs {

#define CUSTOMS_ANALYZER(id) std::unique_ptr<Analyzer> Make_##id();
#include "analyzers/list.inc"
#undef CUSTOMS_ANALYZER

const std::vector<AnalyzerEntry>& AnalyzerRegistry() {
  static const std::vector<AnalyzerEntry> kTable = {
#define CUSTOMS_ANALYZER(id) {#id, &Make_##id},
#include "analyzers/list.inc"
#undef CUSTOMS_ANALYZER
  };
  return kTable;
}

std::vector<std::unique_ptr<Analyzer>> MakeAnalyzers(const std::vector<AnalyzerGroup>& groups,
                                                     const AnalyzerConfig& cfg) {
  std::vector<std::unique_ptr<Analyzer>> out;
  for (const auto& e : AnalyzerRegistry()) {
    auto a = e.make();
    if (std::find(groups.begin(), groups.end(), a->Group()) == groups.end()) continue;
    a->Configure(cfg);
    out.push_back(std::move(a));
  }
  return out;
}
}  // namespace customs
