// The scan commands: `image`, `rootfs`, `fs` (Trivy's target names).
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "cli/command.h"
#include "cli/scan.h"
#include "core/error.h"
#include "core/log.h"
#include "policy/policy.h"
#include "registry/client.h"
#include "reporters/reporter.h"

#include <sys/stat.h>

namespace customs {

namespace {

const char kSizeSyntax[] = "expected digits with an optional K, M, G or T suffix";

// "512M", "2G", "1.5GiB", "1048576" -> bytes (binary units; a "B" or "iB" after the unit is allowed).
// Exact integer arithmetic: no exponents, no signs, no inf/nan, and an overflow is an error.
uint64_t ParseSize(const std::string& flag, const std::string& text) {
  auto bad = [&](const std::string& why) { return UsageError(flag + ": '" + text + "' " + why); };
  size_t i = 0;
  uint64_t whole = 0;
  bool overflow = false;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    overflow |= __builtin_mul_overflow(whole, 10u, &whole) || __builtin_add_overflow(whole, uint64_t(text[i] - '0'), &whole);
    ++i;
  }
  const size_t int_digits = i;
  uint64_t frac = 0, frac_scale = 1;
  if (i < text.size() && text[i] == '.') {
    ++i;
    const size_t from = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      if (frac_scale < 1'000'000'000) frac = frac * 10 + uint64_t(text[i] - '0'), frac_scale *= 10;
      ++i;
    }
    if (i == from) throw bad(std::string("is not a size: ") + kSizeSyntax);
  }
  if (int_digits == 0) throw bad(std::string("is not a size: ") + kSizeSyntax);
  std::string unit = text.substr(i);
  for (auto& c : unit) c = char(std::toupper(static_cast<unsigned char>(c)));
  if (unit.size() > 1 && unit.back() == 'B') unit.pop_back();
  if (unit.size() > 1 && unit.back() == 'I') unit.pop_back();
  int shift = 0;
  if (unit.empty() || unit == "B") shift = 0;
  else if (unit == "K") shift = 10;
  else if (unit == "M") shift = 20;
  else if (unit == "G") shift = 30;
  else if (unit == "T") shift = 40;
  else throw bad(std::string("is not a size: ") + kSizeSyntax);
  const uint64_t mult = uint64_t(1) << shift;
  uint64_t bytes = 0;
  // frac < frac_scale <= 1e9 and mult <= 2^40: the product fits in 64 bits.
  overflow |= __builtin_mul_overflow(whole, mult, &bytes) ||
              __builtin_add_overflow(bytes, frac * mult / frac_scale, &bytes);
  if (overflow) throw bad("is too large (more than 2^64 bytes)");
  if (bytes == 0) throw bad("is not a usable size: must be at least one byte");
  return bytes;
}

// A positive decimal number ("500", "12.5"): digits with an optional fraction, nothing else (no sign,
// exponent, inf or nan). Values below `min` are refused.
double ParseNumber(const std::string& flag, const std::string& text, double min) {
  size_t digits = 0, dots = 0;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c))) ++digits;
    else if (c == '.') ++dots;
    else digits = 0, dots = 2;  // anything else: not a number
  }
  if (digits == 0 || dots > 1 || text.size() > 30 || text.front() == '.' || text.back() == '.')
    throw UsageError(flag + ": '" + text + "' is not a number: expected digits with an optional decimal fraction");
  double v = std::strtod(text.c_str(), nullptr);  // the syntax above makes it exact enough and finite
  if (v < min) {
    std::ostringstream m;
    m << min;
    throw UsageError(flag + ": '" + text + "' is too small: must be at least " + m.str());
  }
  return v;
}

struct CommonFlags {
  std::string format = "table";
  std::string scanners;  // empty: the default for the format
  std::string db_path;
  double db_max_age = 30;
  std::string severity, policy_file;
  int exit_code = 0;
  bool ignore_unfixed = false, show_suppressed = false;
  std::vector<std::string> ignore_files, vex_files;
  std::optional<int> max_critical, max_high, max_total, max_kev;
  std::optional<std::string> min_epss;
  bool kev_only = false;
  std::string sort = "severity";
  std::string output;
  bool quiet = false;
  bool debug = false;
  // Optional: an empty value given on the command line is an error, not the default.
  std::optional<std::string> max_layer_size, max_file_size, max_kept_size, max_ratio;
  unsigned threads = 0;
  std::string secret_config;
  std::vector<std::string> check_dirs;
  bool skip_builtin_checks = false;
  bool show_secrets = false;
};

std::string FormatList() {
  std::string s;
  for (const auto& e : ReporterRegistry()) s += (s.empty() ? "" : "|") + std::string(e.format);
  return s;
}

void AddCommonFlags(CLI::App* cmd, CommonFlags& f) {
  cmd->add_option("-f,--format", f.format, "output format: " + FormatList())->capture_default_str();
  cmd->add_option("-o,--output", f.output, "write the report to FILE instead of stdout");
  cmd->add_flag("-q,--quiet", f.quiet, "no progress indicator, errors only");
  cmd->add_flag("-d,--debug", f.debug, "debug logging on stderr");
  cmd->add_option("--max-layer-size", f.max_layer_size,
                  "reject a layer larger than SIZE uncompressed (default 32G)");
  cmd->add_option("--max-file-size", f.max_file_size, "reject a file larger than SIZE (default 8G)");
  cmd->add_option("--max-kept-size", f.max_kept_size,
                  "reject a scan whose analyzed files kept in memory exceed SIZE in total (default 4G)");
  cmd->add_option("--max-compression-ratio", f.max_ratio,
                  "reject a layer expanding more than N times (decompression bomb guard; default 500)");
  cmd->add_option("--threads", f.threads, "worker threads (default: one per core)");
  cmd->add_option("--scanners", f.scanners,
                  "what to look for: vuln,secret,misconfig, or none (default: vuln,secret; none for the SBOM formats cyclonedx "
                  "and spdx-json)");
  cmd->add_option("--secret-config", f.secret_config,
                  "secret scanner config YAML (custom rules, allow rules; default ./customs-secret.yaml when present)");
  cmd->add_option("--checks", f.check_dirs, "with --scanners misconfig: user checks, a directory of check files or one "
                  "file; repeatable (docs/checks.md)")->type_size(1)->expected(1);
  cmd->add_flag("--skip-builtin", f.skip_builtin_checks, "with --scanners misconfig: run only the checks given with --checks");
  cmd->add_flag("--show-secrets", f.show_secrets, "print secret values in full in reports (default: masked)");
  cmd->add_option("--db", f.db_path, "vulnerability database (default ~/.cache/customs/db/customs.db)");
  cmd->add_option("--db-max-age", f.db_max_age, "warn when the database is older than DAYS (default 30)");
  cmd->add_option("--severity", f.severity, "severities to report: UNKNOWN,NONE,LOW,MEDIUM,HIGH,CRITICAL (default all)");
  cmd->add_option("--exit-code", f.exit_code, "exit with CODE when a finding survives the filters (default 0)");
  cmd->add_flag("--ignore-unfixed", f.ignore_unfixed, "leave out vulnerabilities that have no fix yet");
  cmd->add_option("--ignorefile", f.ignore_files,
                  "ignore file (text .customsignore or YAML); default ./.customsignore when present")->type_size(1)->expected(1);
  cmd->add_option("--vex", f.vex_files, "OpenVEX document: not_affected/fixed statements suppress")->type_size(1)->expected(1);
  cmd->add_flag("--show-suppressed", f.show_suppressed, "list suppressed findings too, with why");
  cmd->add_option("--max-critical", f.max_critical, "fail when more than N CRITICAL vulnerabilities remain");
  cmd->add_option("--max-high", f.max_high, "fail when more than N HIGH vulnerabilities remain");
  cmd->add_option("--max-total", f.max_total, "fail when more than N vulnerabilities remain");
  cmd->add_option("--max-kev", f.max_kev, "fail when more than N vulnerabilities listed in CISA KEV remain");
  cmd->add_option("--min-epss", f.min_epss, "leave out vulnerabilities whose EPSS probability is below P (0..1) or "
                                            "unknown; KEV-listed ones stay");
  cmd->add_flag("--kev-only", f.kev_only, "report only vulnerabilities listed in CISA's Known Exploited Vulnerabilities");
  cmd->add_option("--sort", f.sort, "order of vulnerabilities: severity, or risk (docs/risk.md)")->capture_default_str();
  cmd->add_option("--policy", f.policy_file, "policy YAML (severity, thresholds, ignore files, VEX); flags win");
}

bool Exists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}

PolicyOptions PolicyFrom(const CommonFlags& f, const std::string& today) {
  PolicyOptions p;
  if (!f.policy_file.empty()) p = LoadPolicyFile(f.policy_file, p);
  if (!f.severity.empty()) p.severities = ParseSeverityList(f.severity);
  if (f.ignore_unfixed) p.ignore_unfixed = true;
  if (f.exit_code) p.exit_code = f.exit_code;
  if (f.max_critical) p.max_critical = f.max_critical;
  if (f.max_high) p.max_high = f.max_high;
  if (f.max_total) p.max_total = f.max_total;
  if (f.max_kev) p.max_kev = f.max_kev;
  if (f.min_epss) p.min_epss = ParseNumber("--min-epss", *f.min_epss, 0);
  if (f.kev_only) p.kev_only = true;
  for (const auto& x : f.ignore_files) p.ignore_files.push_back(x);
  for (const auto& x : f.vex_files) p.vex_files.push_back(x);
  if (f.ignore_files.empty() && p.ignore_files.empty())
    for (const char* def : {".customsignore", ".customsignore.yaml"})
      if (Exists(def)) p.ignore_files.push_back(def);
  p.today = today;
  ValidatePolicyOptions(p);
  return p;
}

// `customs image REF` only.
struct RegistryFlags {
  std::string cacert, cache_dir, username, password;
  std::vector<std::string> insecure;
  bool require_digest = false;
};

void AddRegistryFlags(CLI::App* cmd, RegistryFlags& r) {
  cmd->add_option("--cacert", r.cacert, "PEM CA bundle to trust for the registry's TLS certificate");
  cmd->add_option("--insecure", r.insecure, "talk plain HTTP to this registry HOST[:PORT] (repeatable)")
      ->type_size(1)->expected(1);
  cmd->add_option("--cache-dir", r.cache_dir, "layer cache directory (default ~/.cache/customs/layers)");
  cmd->add_option("--username", r.username, "registry user name (default: ~/.docker/config.json)");
  cmd->add_option("--password", r.password,
                  "registry password (prefer CUSTOMS_REGISTRY_PASSWORD or customs registry login)");
  cmd->add_flag("--require-digest", r.require_digest, "refuse tag references: REF must be pinned @sha256:DIGEST");
}

// Registry settings into the scan request; --require-digest refuses tags before any network access.
void ApplyRegistryFlags(const RegistryFlags& r, const std::string& ref, SourceOptions& so) {
  auto parsed = registry::Reference::Parse(ref);
  if (r.require_digest && parsed.digest.empty())
    throw UsageError("--require-digest: '" + ref + "' names a tag, which can be moved to other content; pin the image "
                     "as " + parsed.Repository() + "@sha256:<digest>");
  so.registry_cacert = r.cacert;
  so.registry_insecure = r.insecure;
  so.layer_cache_dir = r.cache_dir;
  so.registry_username = r.username;
  so.registry_password = r.password;
  if (so.registry_password.empty())
    if (const char* p = std::getenv("CUSTOMS_REGISTRY_PASSWORD"); p && *p) so.registry_password = p;
  if (!so.registry_password.empty() && so.registry_username.empty())
    throw UsageError("--password (or CUSTOMS_REGISTRY_PASSWORD) needs --username");
}

int RunScanCommand(TargetKind kind, const std::string& path, const std::string& platform, const CommonFlags& f,
                   const RegistryFlags* reg = nullptr) {
  InitLogging(f.debug ? LogLevel::kDebug : f.quiet ? LogLevel::kQuiet : LogLevel::kNormal);
  if (!MakeReporter(f.format))
    throw UsageError("--format: unknown format '" + f.format + "' (one of " + FormatList() + ")");
  ScanRequest req;
  req.kind = kind;
  req.path = path;
  // Every helper is a thread of its own: a typo such as --threads 4294967295 must not try to start them.
  if (f.threads > 1024) throw UsageError("--threads: " + std::to_string(f.threads) + " is too many (at most 1024)");
  req.threads = f.threads;
  if (!std::isfinite(f.db_max_age) || f.db_max_age < 0)
    throw UsageError("--db-max-age: must be a number of days, 0 or more");
  for (auto [name, gate] : {std::pair{"--max-critical", &f.max_critical}, std::pair{"--max-high", &f.max_high},
                            std::pair{"--max-total", &f.max_total}, std::pair{"--max-kev", &f.max_kev}})
    if (*gate && **gate < 0) throw UsageError(std::string(name) + ": must be 0 or more");
  if (f.sort != "severity" && f.sort != "risk")
    throw UsageError("--sort: unknown order '" + f.sort + "' (severity, risk)");
  if (reg) ApplyRegistryFlags(*reg, path, req.source);
  if (!platform.empty()) req.source.platform = platform;
  if (f.max_layer_size) req.source.limits.max_layer_bytes = ParseSize("--max-layer-size", *f.max_layer_size);
  if (f.max_file_size) req.source.limits.max_file_bytes = ParseSize("--max-file-size", *f.max_file_size);
  if (f.max_kept_size) req.source.limits.max_kept_bytes = ParseSize("--max-kept-size", *f.max_kept_size);
  // A ratio below 1 would refuse every layer that is compressed at all.
  if (f.max_ratio) req.source.limits.max_compression_ratio = ParseNumber("--max-compression-ratio", *f.max_ratio, 1);
  if (!f.scanners.empty()) {
    req.scanners.clear();
    req.scanners_explicit = true;
    std::string list = f.scanners;
    for (size_t i = 0; i <= list.size();) {
      size_t j = list.find(',', i);
      if (j == std::string::npos) j = list.size();
      std::string s = list.substr(i, j - i);
      if (s == "vuln" || s == "secret" || s == "misconfig") req.scanners.push_back(s);
      else if (s != "none" && !s.empty())
        throw UsageError("--scanners: unknown scanner '" + s + "' (vuln, secret, misconfig, none)");
      i = j + 1;
    }
  } else if (f.format == "cyclonedx" || f.format == "spdx-json") {
    req.scanners.clear();  // as Trivy: the SBOM formats list what the artifact carries
  }
  req.secret_config = f.secret_config;
  req.check_dirs = f.check_dirs;
  req.skip_builtin_checks = f.skip_builtin_checks;
  if ((!req.check_dirs.empty() || req.skip_builtin_checks) && !HasScanner(req, "misconfig"))
    throw UsageError("--checks and --skip-builtin need --scanners misconfig");
  if (req.secret_config.empty() && Exists("customs-secret.yaml")) req.secret_config = "customs-secret.yaml";
  req.db_path = f.db_path;
  req.db_max_age_days = f.db_max_age;
  PolicyOptions policy = PolicyFrom(f, ScanTimestamp().substr(0, 10));
  // Read the ignore and VEX files before scanning, so that a typo fails fast.
  std::vector<IgnoreEntry> ignores;
  for (const auto& file : policy.ignore_files)
    for (auto& e : LoadIgnoreFile(file)) ignores.push_back(std::move(e));
  std::vector<VexStatement> vex;
  for (const auto& file : policy.vex_files)
    for (auto& st : LoadVexFile(file)) vex.push_back(std::move(st));
  Progress progress(!f.quiet && !f.debug);
  ScanResult result = RunScan(req, &progress);
  progress.Finish();
  for (const auto& w : ApplyFilters(result, policy, ignores, vex)) spdlog::warn("{}", w);
  PolicyOutcome outcome = Evaluate(result, policy);
  ReportOptions ro;
  ro.show_suppressed = f.show_suppressed;
  ro.show_secrets = f.show_secrets;
  ro.sort_by_risk = f.sort == "risk";
  const auto t0 = std::chrono::steady_clock::now();
  WriteReport(result, f.format, f.output, ro);
  spdlog::debug("report {:.3f} s", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  for (const auto& v : outcome.violations) std::cerr << "customs: " << v << "\n";
  return outcome.exit_code;
}

}  // namespace

void RegisterCommands_scan(CLI::App& app, CommandSet& set) {
  struct State {
    CommonFlags image_flags, rootfs_flags, fs_flags, sbom_flags;
    std::string input, platform, rootfs_path, fs_path, sbom_path;
    std::string image_ref;
    RegistryFlags registry;
  };
  auto st = std::make_shared<State>();

  auto* image = app.add_subcommand("image", "scan a container image: REF in a registry, or --input a docker-archive "
                                            "tar (docker save) or an OCI image layout (directory or tar)");
  image->add_option("REF", st->image_ref, "image in a registry: [REGISTRY/]REPO[:TAG][@sha256:DIGEST]");
  image->add_option("--input", st->input, "image archive or OCI layout: FILE or DIR");
  AddRegistryFlags(image, st->registry);
  image->add_option("--platform", st->platform,
                    "os/arch[/variant] to choose from a multi-platform index (default linux/amd64)");
  AddCommonFlags(image, st->image_flags);
  image->callback([st, &set] {
    set.selected = [st] {
      if (st->image_ref.empty() == st->input.empty())
        throw UsageError("image: name exactly one of REF (an image in a registry) and --input FILE|DIR");
      if (!st->input.empty())
        return RunScanCommand(TargetKind::kImageArchive, st->input, st->platform, st->image_flags);
      return RunScanCommand(TargetKind::kRegistryImage, st->image_ref, st->platform, st->image_flags, &st->registry);
    };
  });

  auto* rootfs = app.add_subcommand("rootfs", "scan a root filesystem: a directory or a .tar, .tar.gz or .tar.zst of /");
  rootfs->add_option("PATH", st->rootfs_path, "root filesystem directory or tarball")->required();
  AddCommonFlags(rootfs, st->rootfs_flags);
  rootfs->callback([st, &set] {
    set.selected = [st] { return RunScanCommand(TargetKind::kRootfs, st->rootfs_path, "", st->rootfs_flags); };
  });

  auto* fs = app.add_subcommand("fs", "scan a source tree or local directory (lockfiles, installed packages, "
                                      "binaries; an OS package database too when the tree holds one)");
  fs->add_option("PATH", st->fs_path, "directory")->required();
  AddCommonFlags(fs, st->fs_flags);
  fs->callback([st, &set] {
    set.selected = [st] { return RunScanCommand(TargetKind::kFilesystem, st->fs_path, "", st->fs_flags); };
  });

  auto* sbom = app.add_subcommand("sbom", "scan an SBOM for vulnerabilities: CycloneDX 1.4-1.6 JSON or SPDX 2.3 JSON "
                                          "(customs', Trivy's or Syft's)");
  sbom->add_option("FILE", st->sbom_path, "SBOM file")->required();
  AddCommonFlags(sbom, st->sbom_flags);
  sbom->callback([st, &set] {
    set.selected = [st] { return RunScanCommand(TargetKind::kSbom, st->sbom_path, "", st->sbom_flags); };
  });
}

}  // namespace customs
