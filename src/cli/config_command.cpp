// `customs config PATH`: the misconfiguration scanner on a directory tree or one file (Dockerfiles,
// Kubernetes manifests, Compose files), with the built-in checks and the user's (--checks DIR).
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "analyzers/misconfig_files.h"
#include "cli/command.h"
#include "cli/scan.h"
#include "core/error.h"
#include "core/log.h"
#include "detectors/misconfig.h"
#include "misconfig/check.h"
#include "policy/policy.h"
#include "reporters/reporter.h"

namespace customs {

namespace {

namespace fs = std::filesystem;

struct ConfigFlags {
  std::string path;
  std::string format = "table";
  std::string output;
  bool quiet = false, debug = false;
  std::vector<std::string> check_dirs;
  bool skip_builtin = false;
  std::string severity, policy_file;
  int exit_code = 0;
  std::vector<std::string> ignore_files;
  bool show_suppressed = false;
  unsigned threads = 0;
};

std::shared_ptr<const std::string> ReadSmallFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw IoError(p.string(), std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw IoError(p.string(), "read failed");
  return std::make_shared<const std::string>(ss.str());
}

std::string Slashed(const fs::path& p) { return p.generic_string(); }

// The candidate files under `root` (or `root` itself), named relative to it (a single file by its
// name). Symbolic links are not followed; .git directories are skipped.
std::vector<MisconfigFile> CollectFromDisk(const std::string& root) {
  std::vector<MisconfigFile> out;
  std::error_code ec;
  const fs::file_status st = fs::status(root, ec);
  if (ec || !fs::exists(st)) throw IoError(root, "no such file or directory");
  if (fs::is_regular_file(st)) {
    const uint64_t size = fs::file_size(root, ec);
    if (size > kMaxMisconfigFileBytes) throw InputError(root, "larger than 1 MiB: not a configuration file customs checks");
    out.push_back({Slashed(fs::path(root).filename()), -1, ReadSmallFile(root)});
    return out;
  }
  if (!fs::is_directory(st)) throw UsageError(root + ": not a file or directory");
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
  if (ec) throw IoError(root, ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) throw IoError(root, ec.message());
    const fs::directory_entry& e = *it;
    const fs::file_status ls = e.symlink_status(ec);
    if (ec) continue;
    if (fs::is_directory(ls)) {
      if (e.path().filename() == ".git") it.disable_recursion_pending();
      continue;
    }
    if (!fs::is_regular_file(ls)) continue;
    const std::string rel = Slashed(fs::relative(e.path(), root, ec));
    if (ec || !IsMisconfigCandidate(rel)) continue;
    const uint64_t size = e.file_size(ec);
    if (ec) continue;
    if (size > kMaxMisconfigFileBytes) {
      spdlog::debug("{}: larger than 1 MiB, not checked", rel);
      continue;
    }
    out.push_back({rel, -1, ReadSmallFile(e.path())});
  }
  std::sort(out.begin(), out.end(), [](const MisconfigFile& a, const MisconfigFile& b) { return a.path < b.path; });
  return out;
}

int RunConfig(const ConfigFlags& f) {
  InitLogging(f.debug ? LogLevel::kDebug : f.quiet ? LogLevel::kQuiet : LogLevel::kNormal);
  if (!MakeReporter(f.format) || f.format == "cyclonedx" || f.format == "spdx-json")
    throw UsageError("--format: '" + f.format + "' is not a format for misconfigurations (table, json, sarif)");

  // Checks first: a broken user check fails before any file is read.
  MisconfigInput in;
  in.checks = misconfig::LoadCheckSet(f.skip_builtin, f.check_dirs);

  PolicyOptions policy;
  if (!f.policy_file.empty()) policy = LoadPolicyFile(f.policy_file, policy);
  if (!f.severity.empty()) policy.severities = ParseSeverityList(f.severity);
  if (f.exit_code) policy.exit_code = f.exit_code;
  for (const auto& x : f.ignore_files) policy.ignore_files.push_back(x);
  if (f.ignore_files.empty() && policy.ignore_files.empty())
    for (const char* def : {".customsignore", ".customsignore.yaml"})
      if (fs::exists(def)) policy.ignore_files.push_back(def);
  policy.today = ScanTimestamp().substr(0, 10);
  ValidatePolicyOptions(policy);
  std::vector<IgnoreEntry> ignores;
  for (const auto& file : policy.ignore_files)
    for (auto& e : LoadIgnoreFile(file)) ignores.push_back(std::move(e));

  ScanResult result;
  result.inventory.artifact.type = ArtifactType::kFilesystem;
  result.inventory.artifact.name = f.path;
  result.tool_version = CUSTOMS_VERSION;
  result.scanned_at = ScanTimestamp();
  in.files = CollectFromDisk(f.path);
  in.image_config = false;
  in.threads = f.threads;
  DetectOptions dopts;
  dopts.misconfig = &in;
  RunDetectors(dopts, result);
  for (const auto& w : ApplyFilters(result, policy, ignores, {})) spdlog::warn("{}", w);
  PolicyOutcome outcome = Evaluate(result, policy);
  ReportOptions ro;
  ro.show_suppressed = f.show_suppressed;
  WriteReport(result, f.format, f.output, ro);
  for (const auto& v : outcome.violations) std::cerr << "customs: " << v << "\n";
  return outcome.exit_code;
}

}  // namespace

void RegisterCommands_config(CLI::App& app, CommandSet& set) {
  auto f = std::make_shared<ConfigFlags>();
  auto* cmd = app.add_subcommand("config", "check configuration files for misconfigurations: Dockerfiles, "
                                           "Kubernetes manifests, Compose files (a directory tree or one file)");
  cmd->add_option("PATH", f->path, "directory or file")->required();
  cmd->add_option("-f,--format", f->format, "output format: table|json|sarif")->capture_default_str();
  cmd->add_option("-o,--output", f->output, "write the report to FILE instead of stdout");
  cmd->add_flag("-q,--quiet", f->quiet, "errors only");
  cmd->add_flag("-d,--debug", f->debug, "debug logging on stderr");
  cmd->add_option("--checks", f->check_dirs, "user checks: a directory of check files (*.yaml, recursively) or one file; "
                                             "repeatable (docs/checks.md)")->type_size(1)->expected(1);
  cmd->add_flag("--skip-builtin", f->skip_builtin, "run only the checks given with --checks");
  cmd->add_option("--severity", f->severity, "severities to report: UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL (default all)");
  cmd->add_option("--exit-code", f->exit_code, "exit with CODE when a misconfiguration survives the filters (default 0)");
  cmd->add_option("--ignorefile", f->ignore_files,
                  "ignore file (text .customsignore or YAML): check ids, scoped by path globs; "
                  "default ./.customsignore when present")->type_size(1)->expected(1);
  cmd->add_flag("--show-suppressed", f->show_suppressed, "list suppressed findings too, with why");
  cmd->add_option("--policy", f->policy_file, "policy YAML (severity, exit-code, ignorefile); flags win");
  cmd->add_option("--threads", f->threads, "worker threads (default: one per core)");
  cmd->callback([f, &set] { set.selected = [f] { return RunConfig(*f); }; });
}

}  // namespace customs
