// pnpm-lock.yaml (read with yaml-cpp), lockfileVersion 5.x, 6.0 and 9.0.
//
// "packages" maps package ids to entries: v5 "/name/1.2.3" or "/@scope/name/1.2.3_peer@1.0.0",
// v6 "/name@1.2.3(peer@1.0.0)", v9 "name@1.2.3" (peer suffixes live in "snapshots" in v9).
// Entries hold resolution {integrity, tarball}, dependencies, optionalDependencies, dev (v5/v6),
// and name/version for packages not from the registry. In v9 the dependencies are in "snapshots".
// The project's own dependencies ("dependencies"/"devDependencies"/"optionalDependencies" at the top
// in v5/v6, under "importers.<dir>" in v9 and in workspaces) make a package direct; in v9, where
// entries carry no dev flag, a direct dependency listed only under devDependencies is dev.
// Dependency maps give the version used ("1.2.3", with a peer suffix "_react@17.0.2" in v5 or
// "(react@17.0.2)" in v6/v9, or the id of an aliased or non-registry package): depends entries are
// pinned ("name@version", core/types.h) with the suffix stripped as for the package ids; links to
// workspace folders ("link:../lib") and versions that are paths or URLs keep the bare name.
#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "analyzers/analyzer.h"
#include "analyzers/depends_util.h"
#include "analyzers/npm_util.h"
#include "analyzers/text_util.h"
#include "core/error.h"
#include "formats/yaml.h"

namespace customs {

namespace {


// Parses a package id into name and version; false when it cannot.
bool SplitId(std::string_view id, std::string& name, std::string& version) {
  if (id.starts_with("/")) id.remove_prefix(1);
  if (id.empty()) return false;
  size_t paren = id.find('(');
  if (paren != std::string_view::npos) id = id.substr(0, paren);
  // v6/v9: name@version.
  size_t at = id.find('@', 1);
  size_t slash_after_name = id.find('/', id.front() == '@' ? id.find('/') + 1 : 0);
  if (at != std::string_view::npos && (slash_after_name == std::string_view::npos || at < slash_after_name)) {
    name = std::string(id.substr(0, at));
    version = std::string(id.substr(at + 1));
  } else if (slash_after_name != std::string_view::npos && slash_after_name != 0) {
    // v5: name/version[_peers].
    name = std::string(id.substr(0, slash_after_name));
    std::string_view v = id.substr(slash_after_name + 1);
    size_t us = v.find('_');
    version = std::string(v.substr(0, us));
  } else {
    return false;
  }
  if (name.empty() || version.empty() || name == "@") return false;
  // Versions of non-registry packages are URLs or paths; callers prefer the entry's fields then.
  return version.find('/') == std::string::npos && version.find(':') == std::string::npos;
}

// The dependency `name` at `value` (a dependency map's value), pinned when the value says which
// registry version it is.
std::string PinDependency(const std::string& name, std::string_view value) {
  if (value.starts_with("link:") || value.starts_with("file:") || value.empty()) return name;
  std::string real = name, version;
  if (value.starts_with("/")) {
    // An id: aliased ("/real/1.0.0", "/real@1.0.0") or not from the registry.
    if (!SplitId(value, real, version)) return name;
    return PinnedDepends(real, version);
  }
  value = value.substr(0, value.find('('));
  value = value.substr(0, value.find('_'));
  size_t at = value.find('@', 1);
  if (at != std::string_view::npos) {  // v9 alias: "real@1.0.0"
    real = std::string(value.substr(0, at));
    value = value.substr(at + 1);
  }
  if (value.empty() || value.find('/') != std::string_view::npos || value.find(':') != std::string_view::npos)
    return name;
  return PinnedDepends(real, value);
}

// The pinned entries of a dependency map.
void PinnedMap(const YAML::Node& n, const char* key, std::vector<std::string>& out) {
  if (!n.IsMap()) return;
  YAML::Node m = n[key];
  if (!m || !m.IsMap()) return;
  for (auto it = m.begin(); it != m.end(); ++it)
    if (it->first.IsScalar())
      text::PushUnique(out, PinDependency(it->first.Scalar(), it->second.IsScalar() ? it->second.Scalar() : ""));
}

struct Importer {
  std::set<std::string> prod, dev;
};

void ReadImporter(const YAML::Node& n, Importer& imp) {
  std::vector<std::string> v;
  npm::YamlMapKeys(n, "dependencies", v);
  npm::YamlMapKeys(n, "optionalDependencies", v);
  imp.prod.insert(v.begin(), v.end());
  v.clear();
  npm::YamlMapKeys(n, "devDependencies", v);
  imp.dev.insert(v.begin(), v.end());
}

void Parse(const std::string& path, std::string_view content, AnalysisResult& out) {
  YAML::Node doc;
  try {
    doc = LoadDocument(content, path);
  } catch (const YAML::Exception& e) {
    out.diagnostics.push_back({path, std::string("invalid YAML: ") + e.what()});
    return;
  }
  if (!doc.IsMap() || !doc["lockfileVersion"]) {
    out.diagnostics.push_back({path, "no lockfileVersion; not a pnpm lockfile"});
    return;
  }
  const std::string lock_version = npm::YamlScalar(doc, "lockfileVersion");
  const bool v9 = !lock_version.empty() && lock_version[0] >= '7' && lock_version[0] <= '9';

  Importer imp;
  ReadImporter(doc, imp);
  YAML::Node importers = doc["importers"];
  if (importers && importers.IsMap())
    for (auto it = importers.begin(); it != importers.end(); ++it) ReadImporter(it->second, imp);
  const bool know_direct = !imp.prod.empty() || !imp.dev.empty() || doc["importers"] || doc["specifiers"];

  YAML::Node snapshots = doc["snapshots"];
  YAML::Node packages = doc["packages"];
  std::map<std::string, std::vector<YAML::Node>> snapshot_by_id;
  if (v9 && snapshots && snapshots.IsMap())
    for (auto s = snapshots.begin(); s != snapshots.end(); ++s)
      if (s->first.IsScalar()) {
        const std::string sid = s->first.Scalar();
        snapshot_by_id[sid.substr(0, sid.find('('))].push_back(s->second);
      }
  std::vector<Package> pkgs;
  size_t skipped = 0;
  if (packages && packages.IsMap()) {
    for (auto it = packages.begin(); it != packages.end(); ++it) {
      if (!it->first.IsScalar()) {
        ++skipped;
        continue;
      }
      const std::string id = it->first.Scalar();
      const YAML::Node e = it->second;
      std::string name, version;
      bool ok = SplitId(id, name, version);
      std::string fname = npm::YamlScalar(e, "name"), fversion = npm::YamlScalar(e, "version");
      if (!fname.empty()) name = fname;
      if (!fversion.empty()) version = fversion;
      if (!ok && (fname.empty() || fversion.empty())) {
        ++skipped;
        continue;
      }
      Package p = npm::NewPackage(name, version, path, "pnpm-lock");
      YAML::Node res = e.IsMap() ? e["resolution"] : YAML::Node();
      std::string integrity = res ? npm::YamlScalar(res, "integrity") : "", tarball = res ? npm::YamlScalar(res, "tarball") : "";
      if (!integrity.empty()) p.extra["integrity"] = integrity;
      if (!tarball.empty()) p.extra["resolved"] = tarball;
      if (npm::YamlScalar(e, "dev") == "true") p.extra["dev"] = "true";
      if (npm::YamlScalar(e, "optional") == "true") p.extra["optional"] = "true";
      PinnedMap(e, "dependencies", p.depends);
      PinnedMap(e, "optionalDependencies", p.depends);
      // v9: every snapshot of this package ("name@1.0.0" and "name@1.0.0(peer@2.0.0)").
      auto snaps = snapshot_by_id.find(id);
      if (snaps != snapshot_by_id.end())
        for (const YAML::Node& s : snaps->second) {
          PinnedMap(s, "dependencies", p.depends);
          PinnedMap(s, "optionalDependencies", p.depends);
        }
      if (know_direct) {
        bool prod = imp.prod.count(name) > 0, dev = imp.dev.count(name) > 0;
        p.extra["direct"] = prod || dev ? "true" : "false";
        if (v9 && dev && !prod) p.extra["dev"] = "true";
      }
      pkgs.push_back(std::move(p));
    }
  }
  if (skipped > 0)
    out.diagnostics.push_back({path, std::to_string(skipped) + " package entr(y/ies) with unreadable ids skipped"});
  out.package_dbs.push_back(PackageDB{path, "npm", npm::MergeDuplicates(std::move(pkgs))});
}

class NpmPnpmLockAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return "npm_pnpm_lock"; }
  AnalyzerGroup Group() const override { return AnalyzerGroup::kLang; }
  bool Wants(std::string_view path, const FileMeta&) const override {
    return npm::IsFileNamed(path, "pnpm-lock.yaml") && !npm::InNodeModules(path);
  }
  void Analyze(const AnalysisInput& in, AnalysisResult& out) const override {
    try {
      Parse(std::string(in.path), in.content, out);
    } catch (const LimitError&) {
      throw;  // the file is rejected as a whole (core/analyzer.h)
    } catch (const std::exception& e) {
      out.diagnostics.push_back({std::string(in.path), std::string("unreadable pnpm lockfile: ") + e.what()});
    }
  }
};

}  // namespace

std::unique_ptr<Analyzer> Make_npm_pnpm_lock() { return std::make_unique<NpmPnpmLockAnalyzer>(); }

}  // namespace customs
