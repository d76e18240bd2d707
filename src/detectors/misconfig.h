// The misconfiguration detector's input: the configuration files a scan collected (the files of a
// directory for `customs config` and `fs`, the files the misconfig_files analyzer kept in an image),
// and the checks to run. Parsing happens in the detector, in parallel over files; the image config
// (Inventory::artifact.config_json) is checked as a document of its own when present.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "findings/scan_result.h"
#include "inventory/config_files.h"
#include "misconfig/check.h"

namespace customs {

struct MisconfigInput {
  std::vector<MisconfigFile> files;
  std::vector<misconfig::Check> checks;
  bool image_config = true;  // check result.inventory.artifact.config_json when present
  unsigned threads = 0;      // 0: hardware concurrency
};

// Parses every file, runs every check of a document's kind on every document, and fills
// result.misconfigs (sorted by path, line, check id), result.misconfig_targets and
// result.misconfig_scanned. Parse problems and evaluation errors become inventory diagnostics.
void DetectMisconfigurations(const MisconfigInput& in, ScanResult& result);

}  // namespace customs
