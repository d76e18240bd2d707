// Alpine's installed-package database, lib/apk/db/installed. No Debian package ships a reader for
// it, so this is a hand-written parser.
//
// Format (apk-tools' "installed" database): one record per package, records separated by blank
// lines; every line is "K:value" with a single-letter key. Keys used here:
//   P name   V version   A arch   o origin (source package)   L license   m maintainer
//   C checksum of the package   D depends (space-separated)   p provides (space-separated)
//   F folder (path relative to the root)   R file in the last F folder
// Dependency and provides tokens are "[!]name[op version]": "!" marks a conflict, op is one of
// < > = ~ (and combinations), name may carry a namespace ("so:", "cmd:", "pc:").
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/depends_util.h"
#include "analyzers/text_util.h"
#include "analyzers/version_split.h"

namespace customs {

namespace {

constexpr std::string_view kInstalledDb = "lib/apk/db/installed";

// "so:libc.musl-x86_64.so.1=1" -> "so:libc.musl-x86_64.so.1"; "musl>=1.1.20" -> "musl".
std::string_view CapabilityName(std::string_view token) {
  return token.substr(0, token.find_first_of("<>=~"));
}

// The record being read.
struct Record {
  Package pkg;
  Capabilities caps;
  std::string folder;     // last F: line
  size_t first_line = 0;  // 1-based, for messages
  bool has_name = false, has_version = false;
};

class InstalledDbParser {
 public:
  explicit InstalledDbParser(std::string_view path) : path_(path) {}

  void Parse(std::string_view content, AnalysisResult& out) {
    auto lines = text::Lines(content);
    for (size_t i = 0; i < lines.size(); ++i) {
      if (text::IsBlank(lines[i])) {
        FinishRecord(out);
      } else {
        if (!open_) StartRecord(i + 1);
        ParseLine(lines[i], i + 1);
      }
    }
    FinishRecord(out);
    ReportMalformed(out);
    ResolveDepends(packages_, caps_);
    out.package_dbs.push_back(PackageDB{path_, "apk", std::move(packages_)});
  }

 private:
  void StartRecord(size_t line_no) {
    rec_ = Record{};
    rec_.first_line = line_no;
    open_ = true;
  }

  void ParseLine(std::string_view line, size_t line_no) {
    if (line.size() < 2 || line[1] != ':') {
      if (malformed_++ == 0) first_malformed_ = line_no;
      return;
    }
    const char key = line[0];
    const std::string_view value = line.substr(2);
    Package& p = rec_.pkg;
    switch (key) {
      case 'P':
        p.name = value;
        rec_.has_name = !value.empty();
        break;
      case 'V':
        p.version = value;
        rec_.has_version = !value.empty();
        break;
      case 'A': p.arch = value; break;
      case 'o': p.src_name = value; break;
      case 'L': p.licenses = {std::string(value)}; break;
      case 'm': p.maintainer = value; break;
      case 'C': p.extra["checksum"] = value; break;
      case 'D': AddDepends(value); break;
      case 'p': AddProvides(value); break;
      case 'F': rec_.folder = value; break;
      case 'R':
        p.files.push_back(rec_.folder.empty() ? std::string(value) : rec_.folder + "/" + std::string(value));
        break;
      default: break;  // build time, sizes, description, file modes and digests: not needed
    }
  }

  void AddDepends(std::string_view value) {
    for (std::string_view token : text::Words(value)) {
      if (token.front() == '!') continue;  // a conflict, not a dependency
      std::string_view name = CapabilityName(token);
      if (!name.empty()) rec_.caps.requirements.emplace_back(name);
    }
  }

  void AddProvides(std::string_view value) {
    for (std::string_view token : text::Words(value)) {
      std::string_view name = CapabilityName(token);
      if (!name.empty()) rec_.caps.provides.emplace_back(name);
    }
  }

  void FinishRecord(AnalysisResult& out) {
    if (!open_) return;
    open_ = false;
    const std::string at = "record at line " + std::to_string(rec_.first_line);
    if (!rec_.has_name) {
      out.diagnostics.push_back({path_, at + " has no package name (P:); skipped"});
      return;
    }
    if (!rec_.has_version) {
      out.diagnostics.push_back({path_, at + " (" + rec_.pkg.name + ") has no version (V:); skipped"});
      return;
    }
    FillVersions(rec_.pkg);
    packages_.push_back(std::move(rec_.pkg));
    caps_.push_back(std::move(rec_.caps));
  }

  void FillVersions(Package& p) const {
    p.type = "apk";
    p.db_path = path_;
    VersionParts v = SplitApkVersion(p.version);
    p.epoch = 0;
    p.upstream = v.upstream;
    p.release = v.release;
    if (p.src_name.empty()) p.src_name = p.name;
    // apk records no source version: the origin is built at the same version.
    p.src_version = p.version;
    p.src_epoch = 0;
    p.src_upstream = v.upstream;
    p.src_release = v.release;
  }

  void ReportMalformed(AnalysisResult& out) const {
    if (malformed_ == 0) return;
    out.diagnostics.push_back({path_, std::to_string(malformed_) +
                                          " line(s) not of the form \"K:value\" ignored (first at line " +
                                          std::to_string(first_malformed_) + ")"});
  }

  std::string path_;
  Record rec_;
  bool open_ = false;
  size_t malformed_ = 0, first_malformed_ = 0;
  std::vector<Package> packages_;
  std::vector<Capabilities> caps_;
};

class ApkAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return "apk"; }
  AnalyzerGroup Group() const override { return AnalyzerGroup::kOS; }
  bool Wants(std::string_view path, const FileMeta&) const override { return path == kInstalledDb; }
  void Analyze(const AnalysisInput& in, AnalysisResult& out) const override {
    InstalledDbParser(in.path).Parse(in.content, out);
  }
};

}  // namespace

std::unique_ptr<Analyzer> Make_apk() { return std::make_unique<ApkAnalyzer>(); }

}  // namespace customs
