// The configuration files of an image or a directory, for the misconfiguration scanner: the
// misconfig_files analyzer claims them during the walk (the walker keeps their bytes), and
// CollectMisconfigFiles picks the ones that survive in the final view.
#pragma once

#include <string_view>
#include <vector>

#include "detectors/misconfig.h"
#include "walker/walker.h"

namespace customs {

// Whether a path may be a configuration file (by name only; the front ends decide by content):
// Dockerfile/Containerfile names, *.yaml, *.yml, *.json. Files above this size are not checked.
bool IsMisconfigCandidate(std::string_view path);
inline constexpr uint64_t kMaxMisconfigFileBytes = 1 << 20;

// The candidate files as they stand after the last layer (whiteouts and replacements applied), each
// with the layer that wrote it (-1 when `layered` is false: a directory scan).
std::vector<MisconfigFile> CollectMisconfigFiles(const std::vector<LayerScan>& scans, bool layered);

}  // namespace customs
