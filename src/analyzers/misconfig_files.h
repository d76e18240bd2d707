// The configuration files of an image or a directory, for the misconfiguration scanner: the
// misconfig_files analyzer claims them during the walk (the walker keeps their bytes); the inventory
// (inventory/config_files.h) picks the ones that stand in the final view.
#pragma once

#include <cstdint>
#include <string_view>

namespace customs {

// Whether a path may be a configuration file (by name only; the front ends decide by content):
// Dockerfile/Containerfile names, *.yaml, *.yml, *.json. Files above this size are not checked.
bool IsMisconfigCandidate(std::string_view path);
inline constexpr uint64_t kMaxMisconfigFileBytes = 1 << 20;

}  // namespace customs
