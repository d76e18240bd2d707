// Installed Python distributions: the core metadata of site-packages/dist-packages entries,
// NAME-VERSION.dist-info/METADATA (wheels, PEP 376/627) and NAME.egg-info/PKG-INFO (setuptools; on
// Debian also a plain NAME.egg-info file holding the same document).
//
// The format is the Python core metadata specification: an RFC 822-style header block (see
// python::ParseHeaders, a small hand-written parser), the description as the body (ignored).
// Fields used: Name, Version, License-Expression (PEP 639) else License else the
// "Classifier: License :: ..." entries, Requires-Dist (PEP 508 requirements; only their names are
// kept, and requirements that apply only with an extra ("; extra == 'x'") are left out as optional).
// An egg-info's dependencies live in requires.txt, not PKG-INFO: they are not read.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/python_util.h"
#include "analyzers/text_util.h"

namespace customs {

namespace {

bool InSitePackages(std::string_view path) {
  return path.find("site-packages/") != std::string_view::npos ||
         path.find("dist-packages/") != std::string_view::npos;
}

std::vector<std::string> Licenses(const python::Headers& h) {
  std::string expr = h.Get("License-Expression");
  if (!expr.empty()) return {expr};
  std::string lic = h.Get("License");
  bool multi_line = lic.find('\n') != std::string::npos;
  if (!lic.empty() && lic != "UNKNOWN" && !multi_line) return {lic};
  // "Classifier: License :: OSI Approved :: MIT License" -> "MIT License".
  std::vector<std::string> out;
  for (const std::string& c : h.All("Classifier")) {
    std::string_view v = text::Trim(c);
    if (!v.starts_with("License ::")) continue;
    size_t last = v.rfind("::");
    std::string_view name = text::Trim(v.substr(last + 2));
    if (name.empty() || name == "OSI Approved") continue;
    text::PushUnique(out, std::string(name));
  }
  if (!out.empty()) return out;
  if (multi_line) {  // the whole license text was pasted into the field: keep its first line
    std::string first = lic.substr(0, lic.find('\n'));
    if (!text::Trim(first).empty()) return {std::string(text::Trim(first))};
  }
  return {};
}

class PythonDistAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return "python_dist"; }
  AnalyzerGroup Group() const override { return AnalyzerGroup::kLang; }
  bool Wants(std::string_view path, const FileMeta&) const override {
    if (path.ends_with(".dist-info/METADATA") || path.ends_with(".egg-info/PKG-INFO")) return true;
    return path.ends_with(".egg-info") && InSitePackages(path);
  }
  void Analyze(const AnalysisInput& in, AnalysisResult& out) const override {
    const std::string path(in.path);
    const bool dist_info = in.path.ends_with("/METADATA") || in.path == "METADATA";
    python::Headers h = python::ParseHeaders(in.content);
    if (h.bad_line != 0)
      out.diagnostics.push_back({path, "line " + std::to_string(h.bad_line) +
                                           " is not a metadata header; the rest of the file is ignored"});
    Package p;
    p.type = "pypi";
    p.name = h.Get("Name");
    p.version = h.Get("Version");
    if (p.name.empty() || p.version.empty()) {
      out.diagnostics.push_back({path, std::string("no ") + (p.name.empty() ? "Name" : "Version") +
                                           " field in the package metadata; skipped"});
      return;
    }
    p.upstream = p.version;
    p.src_name = p.name;
    p.src_version = p.version;
    p.src_upstream = p.version;
    p.licenses = Licenses(h);
    for (const std::string& req : h.All("Requires-Dist")) {
      if (python::MarkerNamesExtra(python::RequirementMarker(req))) continue;
      std::string_view name = python::RequirementName(req);
      if (!name.empty()) text::PushUnique(p.depends, std::string(name));
    }
    std::string author = h.Get("Author");
    if (author.empty()) author = h.Get("Author-email");
    if (author.find('\n') == std::string::npos) p.maintainer = author;
    p.db_path = path;
    p.extra["source"] = dist_info ? "dist-info" : "egg-info";
    out.package_dbs.push_back(PackageDB{path, "pypi", {std::move(p)}});
  }
};

}  // namespace

std::unique_ptr<Analyzer> Make_python_dist() { return std::make_unique<PythonDistAnalyzer>(); }

}  // namespace customs
