#include "cli/scan.h"

#include <ctime>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <sys/stat.h>

#include "core/error.h"
#include "db/schema.h"
#include "db/vulndb.h"
#include "detectors/detector.h"
#include "detectors/misconfig.h"
#include "inventory/config_files.h"
#include "inventory/history.h"
#include "inventory/inventory.h"
#include "inventory/sbom_import.h"
#include "inventory/secrets.h"
#include "secrets/config.h"
#include "secrets/engine.h"
#include "walker/walker.h"

namespace customs {

std::vector<AnalyzerGroup> DefaultGroups(TargetKind kind) {
  switch (kind) {
    case TargetKind::kImageArchive:
    case TargetKind::kRegistryImage:
    case TargetKind::kRootfs:
    case TargetKind::kFilesystem: return {AnalyzerGroup::kOS, AnalyzerGroup::kLang};
    case TargetKind::kSbom: return {};  // the SBOM lists the packages: nothing to analyze
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

namespace {

// Opens the vulnerability database for the vuln scanner, or returns nullptr with a notice when there is
// none and the user did not name the scanner. Warns when it is older than --db-max-age.
std::unique_ptr<db::VulnDB> OpenVulnDB(const ScanRequest& req, ScanResult& result) {
  const std::string path = req.db_path.empty() ? db::DefaultDatabasePath() : req.db_path;
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    const std::string hint = "no vulnerability database at " + path +
                             " (build one: customs db build --from ../shared/vulndata)";
    if (req.scanners_explicit) throw IoError(path, "no vulnerability database (build one: customs db build --from DIR)");
    // Not asked for by name: the inventory still stands, and the report says what was not done.
    result.notices.push_back({"no-db", hint + "; vulnerabilities were not checked"});
    spdlog::info("{}", hint);
    return nullptr;
  }
  auto vdb = db::VulnDB::Open(path);
  if (double age = vdb->AgeDays(); age > req.db_max_age_days) {
    std::string msg = "the vulnerability database " + path + " is " + std::to_string(int(age)) +
                      " days old (update it: customs db update)";
    spdlog::warn("{}", msg);
    result.notices.push_back({"stale-db", msg});
  }
  return vdb;
}

}  // namespace


namespace {

// `customs sbom FILE`: the inventory comes from the SBOM (inventory/sbom_import.h); only the
// vulnerability scanner has input.
ScanResult RunSbomScan(const ScanRequest& req) {
  for (const auto& s : req.scanners)
    if (s != "vuln" && req.scanners_explicit)
      throw UsageError("sbom: --scanners " + s + " needs the artifact's files; an SBOM lists only its packages");
  constexpr uint64_t kMaxSbomBytes = 1ull << 30;
  struct stat st;
  if (::stat(req.path.c_str(), &st) != 0) throw IoError(req.path, std::strerror(errno));
  if (!S_ISREG(st.st_mode)) throw IoError(req.path, "not a regular file");
  if (static_cast<uint64_t>(st.st_size) > kMaxSbomBytes)
    throw InputError(req.path, "SBOM larger than 1 GiB");
  std::ifstream in(req.path, std::ios::binary);
  if (!in) throw IoError(req.path, std::strerror(errno));
  std::string text(static_cast<size_t>(st.st_size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (!in) throw IoError(req.path, "read failed");
  ImportedSbom sbom = ImportSbom(text, req.path);
  spdlog::debug("{}: {} with {} packages", req.path, sbom.format, sbom.inventory.packages.size());
  ScanResult result;
  result.inventory = std::move(sbom.inventory);
  result.tool_version = CUSTOMS_VERSION;
  result.scanned_at = ScanTimestamp();
  for (const auto& d : result.inventory.diagnostics) spdlog::warn("{}: {}", d.where, d.message);
  DetectOptions dopts;
  dopts.today = result.scanned_at.substr(0, 10);
  std::unique_ptr<db::VulnDB> vdb;
  if (HasScanner(req, "vuln")) vdb = OpenVulnDB(req, result);
  dopts.db = vdb.get();
  RunDetectors(dopts, result);
  return result;
}

}  // namespace

ScanResult RunScan(const ScanRequest& req, Progress* progress) {
  if (req.kind == TargetKind::kSbom) return RunSbomScan(req);
  LoadedSource src;
  switch (req.kind) {
    case TargetKind::kImageArchive: src = LoadImageArchive(req.path, req.source); break;
    case TargetKind::kRegistryImage: src = LoadRegistryImage(req.path, req.source); break;
    case TargetKind::kRootfs: src = LoadRootfs(req.path, req.source); break;
    case TargetKind::kFilesystem: src = LoadFilesystem(req.path, req.source); break;
    case TargetKind::kSbom: break;  // handled above
  }
  spdlog::debug("{}: {} layer(s)", req.path, src.streams.size());

  // The secret engine is compiled once, before any byte is read: a bad config fails fast.
  std::shared_ptr<const secrets::Engine> secret_engine;
  auto groups = DefaultGroups(req.kind);
  if (HasScanner(req, "secret")) {
    // The compiled rules may be stored beside the vulnerability database (customs db build).
    const std::string db_dir = db::DatabaseDirectory(req.db_path.empty() ? db::DefaultDatabasePath() : req.db_path);
    secret_engine = secrets::Engine::Build(req.secret_config.empty() ? secrets::DefaultConfig()
                                                                      : secrets::LoadConfigFile(req.secret_config),
                                           db_dir);
    groups.push_back(AnalyzerGroup::kSecret);
  }
  // Misconfiguration checks too: a broken user check fails before the scan.
  std::vector<misconfig::Check> checks;
  if (HasScanner(req, "misconfig")) {
    checks = misconfig::LoadCheckSet(req.skip_builtin_checks, req.check_dirs);
    groups.push_back(AnalyzerGroup::kConfig);
  }
  AnalyzerConfig acfg;
  acfg.secret_engine = secret_engine;
  auto owned = MakeAnalyzers(groups, acfg);
  std::vector<const Analyzer*> analyzers;
  for (const auto& a : owned) analyzers.push_back(a.get());

  WalkOptions wopts;
  wopts.limits = req.source.limits;
  wopts.threads = req.threads;
  wopts.progress = progress;
  const auto t0 = std::chrono::steady_clock::now();
  auto scans = WalkLayers(src, analyzers, wopts);
  const auto t1 = std::chrono::steady_clock::now();

  ScanResult result;
  // Where each path stands after each layer, built once: the inventory, the secrets and the
  // configuration files all read it.
  const LayerHistory history(scans);
  result.inventory = BuildInventory(src, scans, history, analyzers, req.source.limits);
  CollectSecrets(scans, history, result.inventory);
  spdlog::debug("walk {:.3f} s, inventory {:.3f} s", std::chrono::duration<double>(t1 - t0).count(),
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count());
  result.tool_version = CUSTOMS_VERSION;
  result.scanned_at = ScanTimestamp();
  for (const auto& d : result.inventory.diagnostics) spdlog::warn("{}: {}", d.where, d.message);

  // The detectors' inputs, each prepared only for a scanner that was asked for.
  DetectOptions dopts;
  dopts.today = result.scanned_at.substr(0, 10);
  std::unique_ptr<db::VulnDB> vdb;
  if (HasScanner(req, "vuln")) vdb = OpenVulnDB(req, result);
  dopts.db = vdb.get();
  dopts.secret_engine = secret_engine.get();
  MisconfigInput misconfig;
  if (HasScanner(req, "misconfig")) {
    // Configuration files the walker kept (analyzers/misconfig_files.cpp), plus the image config.
    misconfig.files = CollectMisconfigFiles(history, src.artifact.type == ArtifactType::kContainerImage);
    misconfig.checks = std::move(checks);
    misconfig.threads = req.threads;
    dopts.misconfig = &misconfig;
  }
  RunDetectors(dopts, result);
  return result;
}

bool HasScanner(const ScanRequest& req, std::string_view name) {
  return std::find(req.scanners.begin(), req.scanners.end(), name) != req.scanners.end();
}

void WriteReport(const ScanResult& result, const std::string& format, const std::string& output, ReportOptions ro) {
  auto reporter = MakeReporter(format);
  if (!reporter) {
    std::string list;
    for (const auto& e : ReporterRegistry()) list += (list.empty() ? "" : "|") + std::string(e.format);
    throw UsageError("--format: unknown format '" + format + "' (one of " + list + ")");
  }
  const bool to_stdout = output.empty() || output == "-";
  ro.color = to_stdout && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
  std::ostringstream buf;
  reporter->Write(result, ro, buf);
  const std::string text = buf.str();
  if (to_stdout) {
    std::cout << text;
    std::cout.flush();
    if (!std::cout) throw IoError("stdout", "write failed");
    return;
  }
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  if (!out) throw IoError(output, std::strerror(errno));
  out << text;
  out.close();
  if (!out) throw IoError(output, "write failed");
}

}  // namespace customs
