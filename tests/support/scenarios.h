// Ready-made test scenarios on top of fixtures.h (the two-layer Alpine image of the e2e suite),
// and helpers to read customs' JSON report.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/fixtures.h"

namespace customs_test {

using NameVersionSet = std::set<std::pair<std::string, std::string>>;

// An Alpine minirootfs as a two-layer image:
//   layer 0: the minirootfs tar as shipped (every entry repacked);
//   layer 1: what `apk del <pkg>` leaves: whiteouts for every file of <pkg>, lib/apk/db/installed
//            rewritten without its stanza, plus one new plain file (etc/customs-e2e.txt).
struct AlpineTwoLayer {
  std::string version;          // from the file name ("3.9.6")
  std::string alpine_release;   // etc/alpine-release of the rootfs, trimmed
  std::string deleted_package;  // the package layer 1 removes
  std::vector<std::string> deleted_files;
  NameVersionSet expected;      // (name, version) of the final lib/apk/db/installed
  NameVersionSet layer0_packages;
  std::vector<TarEntry> layer0, layer1;
};

// Reads the minirootfs and prepares both layers' entries (no files written).
AlpineTwoLayer PrepareAlpineTwoLayer(const AlpineRootfsFile& rootfs);

// Runs customs with `args` (+ "-f json" unless a format is given) and parses stdout (or the -o
// file when `output_file` is set). `*error` explains a parse failure.
struct JsonRun {
  RunResult run;
  nlohmann::json report;  // null when stdout was not JSON
  std::string parse_error;
};
JsonRun RunCustomsJson(const std::vector<std::string>& args, const RunOptions& opts = {});

// All packages of targets of `type` ("apk", "dpkg", "rpm"; empty: all types).
std::vector<nlohmann::json> ReportPackages(const nlohmann::json& report, const std::string& type = "");
NameVersionSet ReportNameVersions(const nlohmann::json& report, const std::string& type = "");

// A JSON value as a string ("" for null/missing; numbers as decimal).
std::string Str(const nlohmann::json& j, const std::string& key);

// Lines of `text` starting with "customs: error: ".
std::vector<std::string> ErrorLines(const std::string& text);

// Describes a set difference for assertion messages: what is only in `a`, what only in `b`.
std::string DescribeDiff(const NameVersionSet& expected, const NameVersionSet& actual);

}  // namespace customs_test
