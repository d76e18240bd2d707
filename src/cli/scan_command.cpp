// The scan commands: `image`, `rootfs`, `fs` (Trivy's target names).
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/command.h"
#include "cli/scan.h"
#include "core/error.h"
#include "core/log.h"
#include "reporters/reporter.h"

namespace customs {

namespace {

// "512M", "2G", "1.5GiB", "1048576" -> bytes (binary units).
uint64_t ParseSize(const std::string& flag, const std::string& text) {
  size_t pos = 0;
  double value = 0;
  try {
    value = std::stod(text, &pos);
  } catch (...) {
    throw UsageError(flag + ": not a size: '" + text + "'");
  }
  std::string unit = text.substr(pos);
  for (auto& c : unit) c = char(std::toupper(static_cast<unsigned char>(c)));
  if (unit.size() > 1 && unit.back() == 'B') unit.pop_back();
  if (unit.size() > 1 && unit.back() == 'I') unit.pop_back();
  double mult = 1;
  if (unit.empty() || unit == "B") mult = 1;
  else if (unit == "K") mult = 1024.0;
  else if (unit == "M") mult = 1048576.0;
  else if (unit == "G") mult = 1073741824.0;
  else if (unit == "T") mult = 1099511627776.0;
  else throw UsageError(flag + ": unknown size unit in '" + text + "' (use K, M, G or T)");
  if (value <= 0) throw UsageError(flag + ": must be positive: '" + text + "'");
  return uint64_t(value * mult);
}

struct CommonFlags {
  std::string format = "table";
  std::string output;
  bool quiet = false;
  bool debug = false;
  std::string max_layer_size, max_file_size;
  double max_ratio = 0;
  unsigned threads = 0;
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
  cmd->add_option("--max-compression-ratio", f.max_ratio,
                  "reject a layer expanding more than N times (decompression bomb guard; default 500)");
  cmd->add_option("--threads", f.threads, "worker threads (default: one per core)");
}

void WriteReport(const ScanResult& result, const CommonFlags& f) {
  auto reporter = MakeReporter(f.format);
  if (!reporter) throw UsageError("--format: unknown format '" + f.format + "' (one of " + FormatList() + ")");
  ReportOptions ro;
  ro.color = f.output.empty() && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
  std::ostringstream buf;
  reporter->Write(result, ro, buf);
  const std::string text = buf.str();
  if (f.output.empty() || f.output == "-") {
    std::cout << text;
    std::cout.flush();
    if (!std::cout) throw IoError("stdout", "write failed");
    return;
  }
  std::ofstream out(f.output, std::ios::binary | std::ios::trunc);
  if (!out) throw IoError(f.output, std::strerror(errno));
  out << text;
  out.close();
  if (!out) throw IoError(f.output, "write failed");
}

int RunScanCommand(TargetKind kind, const std::string& path, const std::string& platform, const CommonFlags& f) {
  InitLogging(f.debug ? LogLevel::kDebug : f.quiet ? LogLevel::kQuiet : LogLevel::kNormal);
  if (!MakeReporter(f.format))
    throw UsageError("--format: unknown format '" + f.format + "' (one of " + FormatList() + ")");
  ScanRequest req;
  req.kind = kind;
  req.path = path;
  req.threads = f.threads;
  if (!platform.empty()) req.source.platform = platform;
  if (!f.max_layer_size.empty()) req.source.limits.max_layer_bytes = ParseSize("--max-layer-size", f.max_layer_size);
  if (!f.max_file_size.empty()) req.source.limits.max_file_bytes = ParseSize("--max-file-size", f.max_file_size);
  if (f.max_ratio < 0) throw UsageError("--max-compression-ratio: must be positive");
  if (f.max_ratio > 0) req.source.limits.max_compression_ratio = f.max_ratio;
  Progress progress(!f.quiet && !f.debug);
  ScanResult result = RunScan(req, &progress);
  progress.Finish();
  WriteReport(result, f);
  return kExitOk;
}

}  // namespace

void RegisterCommands_scan(CLI::App& app, CommandSet& set) {
  struct State {
    CommonFlags image_flags, rootfs_flags, fs_flags;
    std::string input, platform, rootfs_path, fs_path;
  };
  auto st = std::make_shared<State>();

  auto* image = app.add_subcommand("image", "scan a container image: a docker-archive tar (docker save) or an OCI "
                                            "image layout (directory or tar)");
  image->add_option("--input", st->input, "image archive or OCI layout: FILE or DIR")->required();
  image->add_option("--platform", st->platform,
                    "os/arch[/variant] to choose from a multi-platform index (default linux/amd64)");
  AddCommonFlags(image, st->image_flags);
  image->callback([st, &set] {
    set.selected = [st] { return RunScanCommand(TargetKind::kImageArchive, st->input, st->platform, st->image_flags); };
  });

  auto* rootfs = app.add_subcommand("rootfs", "scan a root filesystem: a directory or a .tar, .tar.gz or .tar.zst of /");
  rootfs->add_option("PATH", st->rootfs_path, "root filesystem directory or tarball")->required();
  AddCommonFlags(rootfs, st->rootfs_flags);
  rootfs->callback([st, &set] {
    set.selected = [st] { return RunScanCommand(TargetKind::kRootfs, st->rootfs_path, "", st->rootfs_flags); };
  });

  auto* fs = app.add_subcommand("fs", "scan a source tree or local directory (application dependencies; OS "
                                      "packages are not looked for, as in Trivy)");
  fs->add_option("PATH", st->fs_path, "directory")->required();
  AddCommonFlags(fs, st->fs_flags);
  fs->callback([st, &set] {
    set.selected = [st] { return RunScanCommand(TargetKind::kFilesystem, st->fs_path, "", st->fs_flags); };
  });
}

}  // namespace customs
