// .NET NuGet: packages.lock.json and *.deps.json.
//
// packages.lock.json (NuGet lock file, "version": 1 or 2):
//   {"version": 1, "dependencies": {"net6.0": {"Newtonsoft.Json": {"type": "Direct",
//     "requested": "[13.0.1, )", "resolved": "13.0.1", "contentHash": "...", "dependencies": {...}}}}}
// type is Direct, Transitive, CentralTransitive or Project (a project reference: skipped). A package
// locked for several target frameworks is one package; extra "direct" = "true" when any framework
// lists it as Direct, "frameworks" = comma-separated target frameworks (ids compared case-insensitively,
// as NuGet defines them; the name is kept as first written). An entry's "dependencies"
// (name -> requested range) are pinned to "name@version" (core/types.h), the version the same
// framework resolved for that name.
//
// *.deps.json (the runtime dependency manifest next to a built app):
//   {"libraries": {"Newtonsoft.Json/13.0.1": {"type": "package", "sha512": "...", ...},
//                  "MyApp/1.0.0": {"type": "project"}}}
// Only "type": "package" libraries are packages. "targets" ({"<framework>[/<rid>]": {"Name/Version":
// {"dependencies": {"Dep": "1.0.0"}}}}) give each library's dependencies at their exact versions:
// "depends" = "Dep@1.0.0" (core/types.h), the union over the targets.
#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/app_package.h"
#include "analyzers/depends_util.h"
#include "analyzers/text_util.h"
#include "formats/json.h"

namespace customs {

namespace {

using nlohmann::json;

using text::BaseName;

Package MakeNuget(std::string name, std::string version, const std::string& db_path) {
  return MakeAppPackage("nuget", std::move(name), std::move(version), db_path);
}

std::string Str(const json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void ParseLock(const std::string& path, const json& doc, AnalysisResult& out) {
  std::vector<Package> pkgs;
  std::map<std::string, size_t> index;  // name \n version -> pkgs index
  size_t bad = 0;
  auto deps = doc.is_object() ? doc.find("dependencies") : doc.end();
  if (!doc.is_object() || deps == doc.end() || !deps->is_object()) {
    out.diagnostics.push_back({path, "no \"dependencies\" object; no packages read"});
    out.package_dbs.push_back(PackageDB{path, "nuget", {}});
    return;
  }
  for (const auto& [framework, entries] : deps->items()) {
    if (!entries.is_object()) {
      ++bad;
      continue;
    }
    // What this framework resolved each name to (NuGet ids are case-insensitive).
    LockIndex resolved(FoldCase);
    for (const auto& [name, e] : entries.items())
      if (e.is_object() && Str(e, "type") != "Project") resolved.Add(name, Str(e, "resolved"));
    for (const auto& [name, e] : entries.items()) {
      if (!e.is_object()) {
        ++bad;
        continue;
      }
      const std::string type = Str(e, "type");
      if (type == "Project") continue;
      const std::string version = Str(e, "resolved");
      if (name.empty() || version.empty()) {
        ++bad;
        continue;
      }
      // NuGet ids (and version labels) are case-insensitive: frameworks that spell one package
      // differently lock one package, reported as the first spelling has it.
      const std::string key = FoldCase(name) + "\n" + FoldCase(version);
      auto [it, fresh] = index.emplace(key, pkgs.size());
      if (fresh) {
        pkgs.push_back(MakeNuget(name, version, path));
        pkgs.back().extra["direct"] = "false";
      }
      Package& p = pkgs[it->second];
      if (type == "Direct") p.extra["direct"] = "true";
      std::string& fw = p.extra["frameworks"];
      if (("," + fw + ",").find("," + framework + ",") == std::string::npos) fw += (fw.empty() ? "" : ",") + framework;
      if (auto d = e.find("dependencies"); d != e.end() && d->is_object())
        for (const auto& [dep, v] : d->items()) text::PushUnique(p.depends, resolved.Pin(dep));
    }
  }
  if (bad)
    out.diagnostics.push_back({path, std::to_string(bad) + " malformed entr(y/ies) skipped (need an object with "
                                                           "\"resolved\")"});
  out.package_dbs.push_back(PackageDB{path, "nuget", std::move(pkgs)});
}

void ParseDeps(const std::string& path, const json& doc, AnalysisResult& out) {
  std::vector<Package> pkgs;
  size_t bad = 0;
  auto libs = doc.is_object() ? doc.find("libraries") : doc.end();
  if (!doc.is_object() || libs == doc.end() || !libs->is_object()) {
    out.diagnostics.push_back({path, "no \"libraries\" object; no packages read"});
    out.package_dbs.push_back(PackageDB{path, "nuget", {}});
    return;
  }
  // "Name/Version" -> its dependencies, pinned, over every target.
  std::map<std::string, std::vector<std::string>> deps_of;
  if (auto targets = doc.find("targets"); targets != doc.end() && targets->is_object())
    for (const auto& [target, entries] : targets->items()) {
      if (!entries.is_object()) continue;
      for (const auto& [key, e] : entries.items()) {
        auto d = e.is_object() ? e.find("dependencies") : e.end();
        if (!e.is_object() || d == e.end() || !d->is_object()) continue;
        auto& out_deps = deps_of[key];
        for (const auto& [dep, v] : d->items())
          text::PushUnique(out_deps, v.is_string() ? PinnedDepends(dep, v.get<std::string>()) : dep);
      }
    }
  for (const auto& [key, lib] : libs->items()) {
    if (!lib.is_object()) {
      ++bad;
      continue;
    }
    if (Str(lib, "type") != "package") continue;
    const size_t slash = key.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == key.size()) {
      ++bad;
      continue;
    }
    Package p = MakeNuget(key.substr(0, slash), key.substr(slash + 1), path);
    if (std::string sha = Str(lib, "sha512"); !sha.empty()) p.extra["checksum"] = sha;
    if (auto d = deps_of.find(key); d != deps_of.end()) p.depends = d->second;
    pkgs.push_back(std::move(p));
  }
  if (bad)
    out.diagnostics.push_back({path, std::to_string(bad) + " librar(y/ies) not of the form \"Name/Version\": {...} skipped"});
  out.package_dbs.push_back(PackageDB{path, "nuget", std::move(pkgs)});
}

class DotnetNugetAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return "dotnet_nuget"; }
  AnalyzerGroup Group() const override { return AnalyzerGroup::kLang; }
  bool Wants(std::string_view path, const FileMeta&) const override {
    const std::string_view base = BaseName(path);
    return base == "packages.lock.json" || (base.ends_with(".deps.json") && base.size() > 10);
  }
  void Analyze(const AnalysisInput& in, AnalysisResult& out) const override {
    const std::string path(in.path);
    json doc = ParseJsonOrDiscarded(in.content, path);
    if (doc.is_discarded()) {
      out.diagnostics.push_back({path, "not valid JSON; no packages read"});
      out.package_dbs.push_back(PackageDB{path, "nuget", {}});
      return;
    }
    if (BaseName(in.path) == "packages.lock.json") ParseLock(path, doc, out);
    else ParseDeps(path, doc, out);
  }
};

}  // namespace

std::unique_ptr<Analyzer> Make_dotnet_nuget() { return std::make_unique<DotnetNugetAnalyzer>(); }

}  // namespace customs
