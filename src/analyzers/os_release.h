#pragma once

#include <optional>
#include <vector>

#include "analyzers/analyzer.h"

namespace customs {

// Combines the OS facts of the files that survive in the final view into one answer: the fact with
// the highest priority decides the family; facts of the same family refine it (debian_version's
// "11.0" over os-release's "11", alpine-release's "3.9.6", codenames). nullopt when there are none.
std::optional<OSInfo> MergeOSFacts(std::vector<OSFact> facts);

}  // namespace customs
