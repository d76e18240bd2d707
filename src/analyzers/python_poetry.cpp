// poetry.lock (TOML, read with toml++). Format as Poetry writes it (lock-version 1.x and 2.x):
//   [[package]]  name, version, optional, category = "main"|"dev" (Poetry < 1.5),
//                groups = ["main", "dev"] (lock 2.1, Poetry 2), [package.dependencies] NAME = spec
//   [metadata]   lock-version, python-versions, content-hash
// "dev" = "true" when the package is only in non-main groups (or category "dev"), "false" when it
// is in "main"; absent when the lock does not say (lock 2.0 dropped the category). "depends" lists
// [package.dependencies] keys (in toml++'s order, sorted), without those marked optional (needed only
// with an extra), pinned to "name@version" (core/types.h) when the lock holds one version of the name
// (names compared PEP 503-normalized; a name locked at several versions, for different markers, stays
// bare). Whether a package is direct needs pyproject.toml, which a lock file does not carry: not
// reported.
#include <toml++/toml.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/depends_util.h"
#include "analyzers/python_util.h"
#include "analyzers/text_util.h"

namespace customs {

namespace {

void ParsePoetryLock(const std::string& path, std::string_view content, AnalysisResult& out) {
  toml::table doc;
  try {
    doc = toml::parse(content, path);
  } catch (const toml::parse_error& e) {
    out.diagnostics.push_back({path, "not valid TOML: " + std::string(e.description()) + " (line " +
                                         std::to_string(e.source().begin.line) + ")"});
    return;
  }
  const toml::array* pkgs = doc["package"].as_array();
  if (!pkgs) {
    if (doc.contains("package"))
      out.diagnostics.push_back({path, "\"package\" is not an array of tables; no packages read"});
    out.package_dbs.push_back(PackageDB{path, "pypi", {}});
    return;
  }
  std::vector<Package> packages;
  size_t bad = 0, first_bad = 0;
  for (size_t i = 0; i < pkgs->size(); ++i) {
    const toml::table* t = pkgs->get(i)->as_table();
    std::optional<std::string> name = t ? (*t)["name"].value<std::string>() : std::nullopt;
    std::optional<std::string> version = t ? (*t)["version"].value<std::string>() : std::nullopt;
    if (!name || name->empty() || !version || version->empty()) {
      if (bad++ == 0) first_bad = i + 1;
      continue;
    }
    Package p = python::MakePackage(*name, *version, path, "poetry");
    if (auto cat = (*t)["category"].value<std::string>()) {
      p.extra["dev"] = *cat == "dev" ? "true" : "false";
    } else if (const toml::array* groups = (*t)["groups"].as_array()) {
      bool main = false;
      for (const auto& g : *groups)
        if (g.value<std::string>() == "main") main = true;
      p.extra["dev"] = main ? "false" : "true";
    }
    if (auto opt = (*t)["optional"].value<bool>(); opt && *opt) p.extra["optional"] = "true";
    if (const toml::table* deps = (*t)["dependencies"].as_table())
      for (const auto& [k, v] : *deps) {
        // {version = "...", optional = true}: only with an extra of this package, as in python_dist.
        const toml::table* spec = v.as_table();
        if (spec && (*spec)["optional"].value_or(false)) continue;
        text::PushUnique(p.depends, std::string(k.str()));
      }
    packages.push_back(std::move(p));
  }
  LockIndex index(Pep503Name);
  for (const auto& p : packages) index.Add(p.name, p.version);
  for (auto& p : packages)
    for (auto& d : p.depends) d = index.Pin(d);
  if (bad)
    out.diagnostics.push_back({path, std::to_string(bad) + " [[package]] entr(y/ies) without name or version skipped "
                                                           "(first is #" + std::to_string(first_bad) + ")"});
  out.package_dbs.push_back(PackageDB{path, "pypi", std::move(packages)});
}

class PythonPoetryAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return "python_poetry"; }
  AnalyzerGroup Group() const override { return AnalyzerGroup::kLang; }
  bool Wants(std::string_view path, const FileMeta&) const override { return python::IsFile(path, "poetry.lock"); }
  void Analyze(const AnalysisInput& in, AnalysisResult& out) const override {
    ParsePoetryLock(std::string(in.path), in.content, out);
  }
};

}  // namespace

std::unique_ptr<Analyzer> Make_python_poetry() { return std::make_unique<PythonPoetryAnalyzer>(); }

}  // namespace customs
