// The reporter interface: one output format per .cpp file, plus one line in reporters/list.inc.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <string_view>
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

struct ReportOptions {
  bool color = false;            // ANSI colors (table, when stdout is a terminal)
  bool show_suppressed = false;  // include findings that policy suppressed (flagged as such)
  bool show_secrets = false;     // print secret values in full (default: masked)
};

class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual std::string_view Name() const = 0;  // the --format value
  virtual void Write(const ScanResult& result, const ReportOptions& opts, std::ostream& out) const = 0;
};

using ReporterFactory = std::unique_ptr<Reporter> (*)();

struct ReporterEntry {
  const char* format;  // --format value ("table", "json", "cyclonedx", "spdx-json")
  ReporterFactory make;
};

const std::vector<ReporterEntry>& ReporterRegistry();
// nullptr when no reporter has that name.
std::unique_ptr<Reporter> MakeReporter(std::string_view format);

}  // namespace customs
