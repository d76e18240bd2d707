// pip requirements files (requirements.txt, requirements-dev.txt, requirements/base.txt is not
// matched): only exact pins "name==version" (or "name===version") are packages. Hand-written: pip's
// format is line-based (https://pip.pypa.io/en/stable/reference/requirements-file-format/):
//   - "\" at the end of a line joins the next one; "#" at line start or after whitespace starts a comment;
//   - option lines ("-r"/"--requirement", "-c"/"--constraint" includes, "-e" editables, "-i", ...)
//     are not followed (one diagnostic for includes, one for other options);
//   - "name[extras]==version ; markers --hash=sha256:..." -> name, version (extras, markers and
//     per-requirement options ignored);
//   - requirements that are not exact pins (ranges, "==1.*", URLs, bare names) are counted in one
//     diagnostic.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/app_package.h"
#include "analyzers/analyzer.h"
#include "analyzers/python_util.h"
#include "analyzers/text_util.h"

namespace customs {

namespace {

std::string_view StripComment(std::string_view line) {
  for (size_t i = 0; i < line.size(); ++i)
    if (line[i] == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) return line.substr(0, i);
  return line;
}

bool IsRequirementsFile(std::string_view path) {
  std::string_view base = python::BaseName(path);
  return base.starts_with("requirements") && base.ends_with(".txt");
}

class RequirementsParser {
 public:
  explicit RequirementsParser(std::string_view path) : path_(path) {}

  void Parse(std::string_view content, AnalysisResult& out) {
    if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
    auto lines = text::Lines(content);
    std::string logical;
    size_t start = 0;
    for (size_t i = 0; i < lines.size(); ++i) {
      std::string_view l = lines[i];
      if (logical.empty()) start = i + 1;
      if (l.ends_with("\\")) {
        logical.append(l.substr(0, l.size() - 1));
        logical.push_back(' ');
        continue;
      }
      logical.append(l);
      Line(logical, start);
      logical.clear();
    }
    if (!logical.empty()) Line(logical, start);
    Report(out);
    out.package_dbs.push_back(PackageDB{path_, "pypi", std::move(packages_)});
  }

 private:
  void Line(std::string_view raw, size_t line_no) {
    std::string_view line = text::Trim(StripComment(raw));
    if (line.empty()) return;
    if (line.front() == '-') {
      bool include = line.starts_with("-r") || line.starts_with("-c") || line.starts_with("--requirement") ||
                     line.starts_with("--constraint");
      Note(include ? includes_ : options_, line_no);
      return;
    }
    std::string_view name = python::RequirementName(line);
    if (name.empty()) {
      Note(unpinned_, line_no);
      return;
    }
    std::string_view rest = text::Trim(line.substr(name.size()));
    if (rest.starts_with("[")) {  // extras
      size_t close = rest.find(']');
      if (close == std::string_view::npos) {
        Note(unpinned_, line_no);
        return;
      }
      rest = text::Trim(rest.substr(close + 1));
    }
    if (rest.starts_with("(")) rest = text::Trim(rest.substr(1));  // "name (==1.0)"
    size_t op = rest.starts_with("===") ? 3 : rest.starts_with("==") ? 2 : 0;
    if (op == 0) {
      Note(unpinned_, line_no);
      return;
    }
    rest = text::Trim(rest.substr(op));
    size_t end = rest.find_first_of(" \t;,)");
    std::string_view version = rest.substr(0, end);
    std::string_view after = end == std::string_view::npos ? std::string_view{} : text::Trim(rest.substr(end));
    // "==1.*" is a prefix match and "==1.0,<2" / "==1.0,==1.1" are not a single pin either.
    if (version.empty() || version.find('*') != std::string_view::npos || after.starts_with(",")) {
      Note(unpinned_, line_no);
      return;
    }
    Package p = MakeAppPackage("pypi", std::string(name), std::string(version), path_);
    p.extra["source"] = "requirements";
    packages_.push_back(std::move(p));
  }

  struct Count {
    size_t n = 0, first = 0;
  };
  static void Note(Count& c, size_t line_no) {
    if (c.n++ == 0) c.first = line_no;
  }
  void Report(AnalysisResult& out) const {
    auto say = [&](const Count& c, const std::string& what) {
      if (c.n == 0) return;
      out.diagnostics.push_back(
          {path_, std::to_string(c.n) + " " + what + " (first at line " + std::to_string(c.first) + ")"});
    };
    say(includes_, "-r/-c include line(s) not followed");
    say(options_, "option line(s) ignored");
    say(unpinned_, "requirement(s) without an exact \"==\" pin ignored");
  }

  std::string path_;
  Count includes_, options_, unpinned_;
  std::vector<Package> packages_;
};

class PythonRequirementsAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return "python_requirements"; }
  AnalyzerGroup Group() const override { return AnalyzerGroup::kLang; }
  bool Wants(std::string_view path, const FileMeta&) const override { return IsRequirementsFile(path); }
  void Analyze(const AnalysisInput& in, AnalysisResult& out) const override {
    RequirementsParser(in.path).Parse(in.content, out);
  }
};

}  // namespace

std::unique_ptr<Analyzer> Make_python_requirements() { return std::make_unique<PythonRequirementsAnalyzer>(); }

}  // namespace customs
