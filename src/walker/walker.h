// The walker: one streaming pass over each layer (layers in parallel), recording every entry's
// metadata and handing wanted files to the analyzers.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/analyzer.h"
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

// Normalizes an archive path: strips "./" and one leading "/"-free form, removes "." components,
// collapses "//". Returns false (with `reason`) for paths that would leave the root ("..") or are
// absolute. Exposed for tests and fuzzing.
bool NormalizeEntryPath(std::string_view raw, std::string& out, std::string& reason);

// True when `p` is already what NormalizeEntryPath makes of it (relative, no empty, "." or ".."
// components, no NUL): the walker then takes the path as it is.
bool IsNormalEntryPath(std::string_view p);

}  // namespace customs
