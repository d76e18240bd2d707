// What a scan produced: the inventory and the findings of the scanners that ran. Detectors fill it,
// policy annotates it, reporters write it. Format-free, like core/types.h.
#pragma once

#include <string>
#include <vector>

#include "core/types.h"
#include "findings/findings.h"

namespace customs {

// What a scan produced: the inventory, and the findings of the scanners that ran.
struct ScanResult {
  Inventory inventory;
  std::string tool_version;
  std::string scanned_at;  // RFC 3339 UTC; fixed by CUSTOMS_FIXED_TIME for reproducible output
  bool vuln_scanned = false;                 // the vulnerability scanner ran (reports show its sections)
  std::vector<VulnFinding> vulnerabilities;  // sorted by (package, id); suppressed ones included, flagged
  bool secret_scanned = false;               // the secret scanner ran
  std::vector<SecretFinding> secrets;        // sorted by (layer, path, line, column, rule); suppressed ones flagged
  bool misconfig_scanned = false;            // the misconfiguration scanner ran
  std::vector<MisconfigFinding> misconfigs;  // sorted by (path, line, check id); suppressed ones flagged
  std::vector<MisconfigTarget> misconfig_targets;  // every configuration file checked, sorted by path
  std::vector<Notice> notices;
};

}  // namespace customs
