// PHP Composer: composer.lock ("packages", "packages-dev") and vendor/composer/installed.json
// (Composer 1: a JSON array of packages; Composer 2: {"packages": [...], "dev": bool,
// "dev-package-names": [...]}). Each package object has "name" ("vendor/project"), "version"
// (as written: "v5.4.2", "2.0.0", "dev-main"), "license" (array), "require" (object).
// extra: "dev" = "true"|"false". "depends" holds the "require" keys that name packages (not php,
// ext-*, lib-*), pinned to "name@version" (core/types.h) of the file's package of that name (Composer
// names are case-insensitive; a file locks one version of each).
#include <nlohmann/json.hpp>

#include <memory>
#include <set>
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

bool IsInstalledJson(std::string_view path) {
  return path == "vendor/composer/installed.json" || path.ends_with("/vendor/composer/installed.json");
}

struct Reader {
  std::string path;
  std::vector<Package> pkgs;
  size_t bad = 0;

  void Add(const json& arr, bool dev, const std::set<std::string>* dev_names) {
    if (!arr.is_array()) {
      ++bad;
      return;
    }
    for (const json& o : arr) {
      if (!o.is_object() || !o.contains("name") || !o["name"].is_string() || !o.contains("version") ||
          !o["version"].is_string() || o["name"].get_ref<const std::string&>().empty() ||
          o["version"].get_ref<const std::string&>().empty()) {
        ++bad;
        continue;
      }
      Package p = MakeAppPackage("composer", o["name"].get<std::string>(), o["version"].get<std::string>(), path);
      const bool is_dev = dev || (dev_names && dev_names->count(p.name));
      p.extra["dev"] = is_dev ? "true" : "false";
      if (auto it = o.find("license"); it != o.end()) {
        if (it->is_array()) {
          for (const json& l : *it)
            if (l.is_string()) text::PushUnique(p.licenses, l.get<std::string>());
        } else if (it->is_string()) {
          p.licenses.push_back(it->get<std::string>());
        }
      }
      if (auto it = o.find("require"); it != o.end() && it->is_object())
        for (const auto& [k, v] : it->items())
          if (k != "php" && !k.starts_with("ext-") && !k.starts_with("lib-") && k.find('/') != std::string::npos)
            text::PushUnique(p.depends, k);
      pkgs.push_back(std::move(p));
    }
  }
};

void ParseComposer(const std::string& path, std::string_view content, bool installed, AnalysisResult& out) {
  Reader r{path, {}, 0};
  json doc = ParseJsonOrDiscarded(content, path);
  if (doc.is_discarded()) {
    out.diagnostics.push_back({path, "not valid JSON; no packages read"});
    out.package_dbs.push_back(PackageDB{path, "composer", {}});
    return;
  }
  if (installed && doc.is_array()) {
    r.Add(doc, false, nullptr);  // Composer 1: dev-ness not recorded
    for (auto& p : r.pkgs) p.extra.erase("dev");
  } else if (installed && doc.is_object() && doc.contains("packages")) {
    std::set<std::string> dev_names;
    if (auto it = doc.find("dev-package-names"); it != doc.end() && it->is_array())
      for (const json& n : *it)
        if (n.is_string()) dev_names.insert(n.get<std::string>());
    r.Add(doc["packages"], false, &dev_names);
  } else if (!installed && doc.is_object()) {
    if (doc.contains("packages")) r.Add(doc["packages"], false, nullptr);
    else out.diagnostics.push_back({path, "no \"packages\" array"});
    if (doc.contains("packages-dev") && !doc["packages-dev"].is_null()) r.Add(doc["packages-dev"], true, nullptr);
  } else {
    out.diagnostics.push_back({path, installed ? "neither a package array nor an object with \"packages\""
                                               : "top level is not a JSON object"});
  }
  LockIndex index(FoldCase);
  for (const auto& p : r.pkgs) index.Add(p.name, p.version);
  for (auto& p : r.pkgs)
    for (auto& d : p.depends) d = index.Pin(d);
  if (r.bad)
    out.diagnostics.push_back({path, std::to_string(r.bad) + " package entr(y/ies) without string name/version (or "
                                                             "non-array package list) skipped"});
  out.package_dbs.push_back(PackageDB{path, "composer", std::move(r.pkgs)});
}

class PhpComposerAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return "php_composer"; }
  AnalyzerGroup Group() const override { return AnalyzerGroup::kLang; }
  bool Wants(std::string_view path, const FileMeta&) const override {
    return BaseName(path) == "composer.lock" || IsInstalledJson(path);
  }
  void Analyze(const AnalysisInput& in, AnalysisResult& out) const override {
    ParseComposer(std::string(in.path), in.content, IsInstalledJson(in.path), out);
  }
};

}  // namespace

std::unique_ptr<Analyzer> Make_php_composer() { return std::make_unique<PhpComposerAnalyzer>(); }

}  // namespace customs
