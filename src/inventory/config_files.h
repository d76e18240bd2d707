// The configuration files of a scan for the misconfiguration scanner: the analyzer
// analyzers/misconfig_files.cpp claims them during the walk (so the walker keeps their bytes), and
// CollectMisconfigFiles picks the ones that stand in the final view.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "inventory/history.h"

namespace customs {

struct MisconfigFile {
  std::string path;   // as the report names it ("k8s/app.yaml")
  int layer = -1;     // layer holding it (-1: not from an image)
  std::shared_ptr<const std::string> content;
};

// The candidate files (analyzers/misconfig_files.h) as they stand after the last layer, in path order,
// each with the layer that wrote it (-1 when `layered` is false: a directory scan). A path whose last
// write was not kept (a link, a large file) is not one.
std::vector<MisconfigFile> CollectMisconfigFiles(const LayerHistory& history, bool layered);

}  // namespace customs
