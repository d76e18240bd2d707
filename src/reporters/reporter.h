// The reporter interface: one output format per .cpp file, plus one line in reporters/list.inc.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "findings/scan_result.h"

namespace customs {

struct ReportOptions {
  bool color = false;            // ANSI colors (table, when stdout is a terminal)
  bool show_suppressed = false;  // include findings that policy suppressed (flagged as such)
  bool show_secrets = false;     // print secret values in full (default: masked)
  bool sort_by_risk = false;     // --sort risk: vulnerabilities by risk score (findings/risk.h), highest first
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
