#include "cli/scan.h"

#include <ctime>
#include <cstdlib>

#include <spdlog/spdlog.h>

#include "inventory/inventory.h"
#include "walker/walker.h"

namespace customs {

std::vector<AnalyzerGroup> DefaultGroups(TargetKind kind) {
  switch (kind) {
    case TargetKind::kImageArchive:
    case TargetKind::kRootfs: return {AnalyzerGroup::kOS, AnalyzerGroup::kLang};
    case TargetKind::kFilesystem: return {AnalyzerGroup::kLang};
  }
  return {};
}

std::string ScanTimestamp() {
  if (const char* fixed = std::getenv("CUSTOMS_FIXED_TIME"); fixed && *fixed) return fixed;
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

ScanResult RunScan(const ScanRequest& req, Progress* progress) {
  LoadedSource src;
  switch (req.kind) {
    case TargetKind::kImageArchive: src = LoadImageArchive(req.path, req.source); break;
    case TargetKind::kRootfs: src = LoadRootfs(req.path, req.source); break;
    case TargetKind::kFilesystem: src = LoadFilesystem(req.path, req.source); break;
  }
  spdlog::debug("{}: {} layer(s)", req.path, src.streams.size());

  auto owned = MakeAnalyzers(DefaultGroups(req.kind));
  std::vector<const Analyzer*> analyzers;
  for (const auto& a : owned) analyzers.push_back(a.get());

  WalkOptions wopts;
  wopts.limits = req.source.limits;
  wopts.threads = req.threads;
  wopts.progress = progress;
  auto scans = WalkLayers(src, analyzers, wopts);

  ScanResult result;
  result.inventory = BuildInventory(src, scans, analyzers, req.source.limits);
  result.tool_version = CUSTOMS_VERSION;
  result.scanned_at = ScanTimestamp();
  for (const auto& d : result.inventory.diagnostics) spdlog::warn("{}: {}", d.where, d.message);
  return result;
}

}  // namespace customs
