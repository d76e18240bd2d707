// The scan pipeline, independent of the command line: source -> walker -> analyzers -> inventory.
#pragma once

#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "core/progress.h"
#include "detectors/detector.h"
#include "reporters/reporter.h"
#include "source/source.h"

namespace customs {

enum class TargetKind { kImageArchive, kRootfs, kFilesystem, kRegistryImage, kSbom };

struct ScanRequest {
  TargetKind kind = TargetKind::kFilesystem;
  std::string path;  // or the image reference (kRegistryImage)
  SourceOptions source;
  unsigned threads = 0;
  std::vector<std::string> scanners = {"vuln", "secret"};  // --scanners (as Trivy's default; empty: inventory only)
  bool scanners_explicit = false;                // the user named them: a missing database is an error
  std::string db_path;                           // --db (default: db::DefaultDatabasePath())
  double db_max_age_days = 30;                   // --db-max-age: warn when the database is older
  std::string secret_config;                     // --secret-config (empty: built-in rules only)
  std::vector<std::string> check_dirs;           // --checks: user misconfiguration checks
  bool skip_builtin_checks = false;              // --skip-builtin
};

bool HasScanner(const ScanRequest& req, std::string_view name);

// The analyzer groups a target kind runs: OS and language packages everywhere (as Trivy, whose `fs`
// also reads an OS package database found in the tree).
std::vector<AnalyzerGroup> DefaultGroups(TargetKind kind);

ScanResult RunScan(const ScanRequest& req, Progress* progress);


// RFC 3339 UTC "now", or $CUSTOMS_FIXED_TIME when set (reproducible reports).
std::string ScanTimestamp();

// Renders `result` in `format` and writes it to `output` ("" or "-": stdout), whole or not at all;
// colour when writing to a terminal without NO_COLOR. Unknown format -> UsageError; write failure -> IoError.
void WriteReport(const ScanResult& result, const std::string& format, const std::string& output, ReportOptions ro);

}  // namespace customs
