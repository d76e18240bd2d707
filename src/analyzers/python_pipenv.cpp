// Pipfile.lock (JSON, read with nlohmann::json), as pipenv writes it:
//   { "_meta": {...}, "default": { NAME: { "version": "==1.2.3", "hashes": [...], "markers": "...",
//     "index": "pypi" } }, "develop": { ... } }
// "default" packages get "dev" = "false", "develop" ones "dev" = "true" (a package in both is
// reported once, from "default"). Entries without a "==" version (git, path, editable) are skipped
// with a diagnostic. The lock lists no dependency edges ("depends" stays empty) and does not say
// which packages are direct.
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "analyzers/analyzer.h"
#include "analyzers/python_util.h"
#include "formats/json.h"

namespace customs {

namespace {

void ParsePipfileLock(const std::string& path, std::string_view content, AnalysisResult& out) {
  nlohmann::json doc = ParseJsonOrDiscarded(content, path);
  if (doc.is_discarded() || !doc.is_object()) {
    out.diagnostics.push_back({path, doc.is_discarded() ? "not valid JSON" : "not a JSON object"});
    return;
  }
  std::vector<Package> packages;
  std::set<std::string> seen;
  size_t unpinned = 0;
  std::string first_unpinned;
  for (const char* section : {"default", "develop"}) {
    auto it = doc.find(section);
    if (it == doc.end()) continue;
    if (!it->is_object()) {
      out.diagnostics.push_back({path, std::string("\"") + section + "\" is not an object; ignored"});
      continue;
    }
    const bool dev = std::string_view(section) == "develop";
    for (const auto& [name, entry] : it->items()) {
      std::string version;
      if (entry.is_object()) {
        auto v = entry.find("version");
        if (v != entry.end() && v->is_string()) version = v->get<std::string>();
      }
      if (version.starts_with("===")) version.erase(0, 3);
      else if (version.starts_with("==")) version.erase(0, 2);
      else version.clear();
      if (name.empty() || version.empty()) {
        if (unpinned++ == 0) first_unpinned = name;
        continue;
      }
      if (!seen.insert(name).second) continue;
      Package p = python::MakePackage(name, version, path, "pipenv");
      p.extra["dev"] = dev ? "true" : "false";
      packages.push_back(std::move(p));
    }
  }
  if (unpinned)
    out.diagnostics.push_back({path, std::to_string(unpinned) + " entr(y/ies) without a \"==\" version skipped "
                                                                "(first: \"" + first_unpinned + "\")"});
  out.package_dbs.push_back(PackageDB{path, "pypi", std::move(packages)});
}

class PythonPipenvAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return "python_pipenv"; }
  AnalyzerGroup Group() const override { return AnalyzerGroup::kLang; }
  bool Wants(std::string_view path, const FileMeta&) const override { return python::IsFile(path, "Pipfile.lock"); }
  void Analyze(const AnalysisInput& in, AnalysisResult& out) const override {
    ParsePipfileLock(std::string(in.path), in.content, out);
  }
};

}  // namespace

std::unique_ptr<Analyzer> Make_python_pipenv() { return std::make_unique<PythonPipenvAnalyzer>(); }

}  // namespace customs
