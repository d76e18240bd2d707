// Gradle dependency lock files. Gradle >= 6 writes one "gradle.lockfile" per project:
//   # This is a Gradle generated file for dependency locking.
//   com.google.guava:guava:31.1-jre=compileClasspath,runtimeClasspath
//   empty=annotationProcessor
// Older Gradle wrote gradle/dependency-locks/<configuration>.lockfile with bare "group:artifact:version"
// lines. Both are read; extra "configurations" lists the configurations (new format only).
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/java_util.h"
#include "analyzers/text_util.h"

namespace customs {

namespace {

using text::BaseName;

void ParseGradleLock(const std::string& path, std::string_view content, AnalysisResult& out) {
  std::vector<Package> packages;
  size_t bad = 0, first_bad = 0, line_no = 0;
  for (std::string_view line : text::Lines(content)) {
    ++line_no;
    line = text::Trim(line);
    if (line.empty() || line[0] == '#') continue;
    std::string_view coords = line, confs;
    if (size_t eq = line.find('='); eq != std::string_view::npos) {
      coords = line.substr(0, eq);
      confs = line.substr(eq + 1);
    }
    if (coords == "empty") continue;
    // group:artifact:version (a classifier would be a fourth part; Gradle does not lock those).
    std::vector<std::string_view> parts;
    size_t start = 0;
    for (;;) {
      size_t colon = coords.find(':', start);
      parts.push_back(coords.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start));
      if (colon == std::string_view::npos) break;
      start = colon + 1;
    }
    if (parts.size() != 3 || parts[0].empty() || parts[1].empty() || parts[2].empty()) {
      if (bad++ == 0) first_bad = line_no;
      continue;
    }
    Package p = java::MakePackage(std::string(parts[0]) + ":" + std::string(parts[1]), std::string(parts[2]), path);
    if (!confs.empty()) p.extra["configurations"] = confs;
    packages.push_back(std::move(p));
  }
  if (bad)
    out.diagnostics.push_back({path, std::to_string(bad) + " line(s) not of the form group:artifact:version[=configurations] "
                                                           "ignored (first at line " + std::to_string(first_bad) + ")"});
  out.package_dbs.push_back(PackageDB{path, "maven", std::move(packages)});
}

class JavaGradleAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return "java_gradle"; }
  AnalyzerGroup Group() const override { return AnalyzerGroup::kLang; }
  bool Wants(std::string_view path, const FileMeta&) const override {
    if (BaseName(path) == "gradle.lockfile") return true;
    return path.ends_with(".lockfile") &&
           (path.starts_with("gradle/dependency-locks/") || path.find("/gradle/dependency-locks/") != std::string_view::npos);
  }
  void Analyze(const AnalysisInput& in, AnalysisResult& out) const override {
    ParseGradleLock(std::string(in.path), in.content, out);
  }
};

}  // namespace

std::unique_ptr<Analyzer> Make_java_gradle() { return std::make_unique<JavaGradleAnalyzer>(); }

}  // namespace customs
