// The walker: one streaming pass over each layer (layers in parallel), recording every entry's
// metadata and handing wanted files to the analyzers.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/analyzer.h"
#include "core/entry_path.h"  // NormalizeEntryPath, for the walker's callers
#include "core/limits.h"
#include "core/progress.h"
#include "source/source.h"
#include "core/layer.h"

namespace customs {

struct CapturedFile {
  std::string path;
  std::shared_ptr<const std::string> content;
};

struct LayerScan {
  int index = 0;
  std::vector<FileMeta> entries;     // stream order; normalized; whiteouts typed
  std::vector<CapturedFile> kept;    // files wanted by view analyzers (NeedsView), with content
  AnalysisResult result;             // per-file analyzer results of this layer
  StreamStats stats;
};

struct WalkOptions {
  Limits limits;
  unsigned threads = 0;          // 0: hardware concurrency
  Progress* progress = nullptr;
};

// Streams every layer once. Verifies digests against src.expect. Throws customs::Error.
std::vector<LayerScan> WalkLayers(const LoadedSource& src, const std::vector<const Analyzer*>& analyzers,
                                  const WalkOptions& opts);

}  // namespace customs
