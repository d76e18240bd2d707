// The command line: subcommands named as Trivy names its targets. Kept thin: it parses flags,
// calls the scan pipeline and a reporter, and maps errors to exit codes.
#include "cli/app.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <clocale>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include <spdlog/spdlog.h>

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

int RunCli(int argc, char** argv) {
  std::setlocale(LC_CTYPE, "C.UTF-8");
  CLI::App app{"customs: inspects container images, root filesystems and source trees before they are let in.\n"
               "It lists what they carry (SBOM) in table, JSON, CycloneDX or SPDX form."};
  app.name("customs");
  app.set_version_flag("--version", std::string("customs ") + CUSTOMS_VERSION);
  app.require_subcommand(1);
  app.footer("Exit codes: 0 ok, 1 a policy gate failed, 2 usage error, 3 input rejected (malformed or hostile),\n"
             "4 I/O error, 5 internal error. See README.md.");

  CommonFlags image_flags, rootfs_flags, fs_flags;
  std::string input, platform, rootfs_path, fs_path;

  auto* image = app.add_subcommand("image", "scan a container image: a docker-archive tar (docker save) or an OCI "
                                            "image layout (directory or tar)");
  image->add_option("--input", input, "image archive or OCI layout: FILE or DIR")->required();
  image->add_option("--platform", platform, "os/arch[/variant] to choose from a multi-platform index (default linux/amd64)");
  AddCommonFlags(image, image_flags);

  auto* rootfs = app.add_subcommand("rootfs", "scan a root filesystem: a directory or a .tar, .tar.gz or .tar.zst of /");
  rootfs->add_option("PATH", rootfs_path, "root filesystem directory or tarball")->required();
  AddCommonFlags(rootfs, rootfs_flags);

  auto* fs = app.add_subcommand("fs", "scan a source tree or local directory (application dependencies; OS "
                                      "packages are not looked for, as in Trivy)");
  fs->add_option("PATH", fs_path, "directory")->required();
  AddCommonFlags(fs, fs_flags);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitUsage;
  }

  try {
    if (image->parsed()) return RunScanCommand(TargetKind::kImageArchive, input, platform, image_flags);
    if (rootfs->parsed()) return RunScanCommand(TargetKind::kRootfs, rootfs_path, "", rootfs_flags);
    if (fs->parsed()) return RunScanCommand(TargetKind::kFilesystem, fs_path, "", fs_flags);
  } catch (const Error& e) {
    std::cerr << "customs: error: " << e.what() << "\n";
    return e.code();
  } catch (const std::bad_alloc&) {
    std::cerr << "customs: error: out of memory\n";
    return kExitInternal;
  } catch (const std::exception& e) {
    std::cerr << "customs: internal error: " << e.what() << " (please report this)\n";
    return kExitInternal;
  }
  return kExitUsage;
}

}  // namespace customs
