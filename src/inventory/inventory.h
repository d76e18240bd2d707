// The applier: turns per-layer analysis into one inventory of the final image (what survives the
// whiteouts), with every package attributed to the layer that introduced it.
#pragma once

#include <vector>

#include "analyzers/analyzer.h"
#include "core/limits.h"
#include "core/types.h"
#include "inventory/history.h"
#include "source/source.h"
#include "walker/walker.h"

namespace customs {

// Throws InputError for hostile structure met while squashing (hardlink to a missing target, a
// symlink loop on a path the scan needs).
Inventory BuildInventory(const LoadedSource& src, const std::vector<LayerScan>& scans,
                         const std::vector<const Analyzer*>& analyzers, const Limits& limits);
// The same with the scan's history of paths (built once, shared with the other readers of it).
Inventory BuildInventory(const LoadedSource& src, const std::vector<LayerScan>& scans, const LayerHistory& history,
                         const std::vector<const Analyzer*>& analyzers, const Limits& limits);

}  // namespace customs
