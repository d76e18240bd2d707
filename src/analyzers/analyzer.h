// The analyzer registry: every analyzer of analyzers/list.inc. The interface itself is core/analyzer.h.
#pragma once

#include <memory>
#include <vector>

#include "core/analyzer.h"

namespace customs {

using AnalyzerFactory = std::unique_ptr<Analyzer> (*)();

struct AnalyzerEntry {
  const char* name;
  AnalyzerFactory make;
};

// Every registered analyzer, in the order of analyzers/list.inc.
const std::vector<AnalyzerEntry>& AnalyzerRegistry();

// Instantiates the analyzers of the given groups.
std::vector<std::unique_ptr<Analyzer>> MakeAnalyzers(const std::vector<AnalyzerGroup>& groups,
                                                     const AnalyzerConfig& cfg = {});

}  // namespace customs
