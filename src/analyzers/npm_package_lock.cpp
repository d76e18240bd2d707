// npm's lockfiles: package-lock.json and npm-shrinkwrap.json, lockfileVersion 1, 2 and 3.
//
// v2/v3: "packages" maps install paths ("node_modules/a/node_modules/@s/b") to entries with
// version, resolved, integrity, license, dev, dependencies, optionalDependencies; the "" entry is
// the root project (skipped), entries without a node_modules component are workspaces (skipped),
// "link": true entries point at them (skipped). A package is direct when it sits at
// "node_modules/<name>" and the root lists <name> in one of its dependency maps.
// v1: "dependencies" maps names to {version, resolved, integrity, dev, requires, dependencies}
// recursively; the lockfile does not say which are direct, so "direct" is left unset.
// Dependencies are pinned ("name@version", core/types.h) the way Node.js finds them: v2/v3 through the
// install paths (<path>/node_modules/<dep>, then each ancestor's node_modules, up to the project's),
// v1 through the nesting (the entry's own "dependencies", then each enclosing one, up to the top).
// A dependency the lockfile does not hold (or that links to a workspace) keeps its bare name.
// Lockfiles inside node_modules (npm's hidden node_modules/.package-lock.json, packages' own) are
// not wanted.
#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "analyzers/analyzer.h"
#include "analyzers/depends_util.h"
#include "analyzers/npm_util.h"
#include "analyzers/text_util.h"
#include "formats/json.h"

namespace customs {

namespace {

using nlohmann::json;

constexpr int kMaxDepth = 256;

void SetCommon(Package& p, const json& e) {
  std::string integrity = npm::Str(e, "integrity"), resolved = npm::Str(e, "resolved");
  if (!integrity.empty()) p.extra["integrity"] = integrity;
  if (!resolved.empty()) p.extra["resolved"] = resolved;
  if (npm::True(e, "dev")) p.extra["dev"] = "true";
  if (npm::True(e, "optional")) p.extra["optional"] = "true";
  p.licenses = npm::Licenses(e);
}

// v1 writes an alias's version as "npm:real-name@1.2.3": the real name and version.
void SplitAlias(std::string& name, std::string& version) {
  if (!version.starts_with("npm:")) return;
  std::string spec = version.substr(4);
  std::string_view real = npm::NameOfSpec(spec);
  if (real.size() < spec.size()) {
    version = spec.substr(real.size() + 1);
    name = std::string(real);
  }
}

class LockParser {
 public:
  explicit LockParser(std::string path) : path_(std::move(path)) {}

  void Parse(std::string_view content, AnalysisResult& out) {
    json doc = ParseJsonOrDiscarded(content, path_);
    if (doc.is_discarded() || !doc.is_object()) {
      out.diagnostics.push_back({path_, "not a JSON object; package-lock skipped"});
      return;
    }
    auto packages = doc.find("packages");
    auto deps = doc.find("dependencies");
    if (packages != doc.end() && packages->is_object()) {
      ParsePackages(*packages, out);
    } else if (deps != doc.end() && deps->is_object()) {
      std::vector<const json*> scopes;
      ParseV1(*deps, 0, out, scopes);
    } else if (doc.contains("lockfileVersion")) {
      // A lockfile of a project without dependencies.
    } else {
      out.diagnostics.push_back({path_, "no \"packages\" or \"dependencies\" map; not an npm lockfile?"});
      return;
    }
    if (skipped_ > 0)
      out.diagnostics.push_back({path_, std::to_string(skipped_) + " entr(y/ies) without name or version skipped"});
    out.package_dbs.push_back(PackageDB{path_, "npm", npm::MergeDuplicates(std::move(pkgs_))});
  }

 private:
  // What an install path holds: a package (name, version), or a link to another path.
  struct Slot {
    std::string name, version, link;
  };

  void ParsePackages(const json& packages, AnalysisResult& out) {
    std::vector<std::string> root_deps;
    auto root = packages.find("");
    if (root != packages.end()) {
      for (const char* k : {"dependencies", "devDependencies", "optionalDependencies", "peerDependencies"})
        npm::AppendKeys(*root, k, root_deps);
    }
    std::map<std::string, Slot> slots;  // install path -> what is there
    for (auto it = packages.begin(); it != packages.end(); ++it) {
      const json& e = *it;
      if (it.key().empty() || !e.is_object()) continue;
      Slot s;
      if (npm::True(e, "link")) {
        s.link = npm::Str(e, "resolved");
      } else {
        s.name = npm::Str(e, "name");
        if (s.name.empty()) s.name = npm::NameFromInstallPath(it.key());
        s.version = npm::Str(e, "version");
      }
      slots.emplace(it.key(), std::move(s));
    }
    for (auto it = packages.begin(); it != packages.end(); ++it) {
      const std::string& key = it.key();
      const json& e = *it;
      if (key.empty()) continue;
      std::string install_name = npm::NameFromInstallPath(key);
      if (install_name.empty()) continue;  // a workspace package of the project
      if (!e.is_object()) {
        ++skipped_;
        continue;
      }
      if (npm::True(e, "link")) continue;  // a symlink to a workspace package
      std::string name = npm::Str(e, "name");
      if (name.empty()) name = install_name;  // "name" is written only for aliases
      std::string version = npm::Str(e, "version");
      if (version.empty()) {
        ++skipped_;
        continue;
      }
      Package p = npm::NewPackage(name, version, path_, "package-lock");
      SetCommon(p, e);
      std::vector<std::string> deps;
      npm::AppendKeys(e, "dependencies", deps);
      npm::AppendKeys(e, "optionalDependencies", deps);
      for (const auto& d : deps) text::PushUnique(p.depends, Locate(slots, key, d));
      if (root != packages.end()) {
        bool top = key == "node_modules/" + install_name;
        p.extra["direct"] = top &&
                                    std::find(root_deps.begin(), root_deps.end(), install_name) != root_deps.end()
                                ? "true"
                                : "false";
      }
      pkgs_.push_back(std::move(p));
    }
  }

  // The dependency `dep` of the package installed at `from`, pinned to the package Node.js finds.
  static std::string Locate(const std::map<std::string, Slot>& slots, const std::string& from, const std::string& dep) {
    for (const std::string& dir : npm::LookupDirs(from, dep)) {
      auto it = slots.find(dir);
      if (it == slots.end()) continue;
      if (!it->second.link.empty()) {
        // A link: to a workspace folder (not a package of the lockfile), or to another install path.
        auto target = slots.find(it->second.link);
        if (target == slots.end() || npm::NameFromInstallPath(target->first).empty() || !target->second.link.empty())
          return dep;
        it = target;
      }
      return it->second.version.empty() ? dep : PinnedDepends(it->second.name, it->second.version);
    }
    return dep;
  }

  // `scopes`: the enclosing "dependencies" objects, outermost first (`deps` is the last).
  void ParseV1(const json& deps, int depth, AnalysisResult& out, std::vector<const json*>& scopes) {
    if (depth > kMaxDepth) {
      if (!too_deep_) out.diagnostics.push_back({path_, "dependencies nested too deeply; rest skipped"});
      too_deep_ = true;
      return;
    }
    scopes.push_back(&deps);
    for (auto it = deps.begin(); it != deps.end(); ++it) {
      const json& e = *it;
      std::string version = npm::Str(e, "version");
      if (it.key().empty() || version.empty()) {
        ++skipped_;
        continue;
      }
      // Aliases: "version": "npm:real-name@1.2.3".
      std::string name = it.key();
      SplitAlias(name, version);
      Package p = npm::NewPackage(name, version, path_, "package-lock");
      SetCommon(p, e);
      auto nested = e.find("dependencies");
      const json* own = nested != e.end() && nested->is_object() ? &*nested : nullptr;
      std::vector<std::string> requires_;
      npm::AppendKeys(e, "requires", requires_);
      for (const auto& d : requires_) text::PushUnique(p.depends, LocateV1(own, scopes, d));
      pkgs_.push_back(std::move(p));
      if (own) ParseV1(*own, depth + 1, out, scopes);
    }
    scopes.pop_back();
  }

  // The required `dep`, pinned to the entry Node.js finds: the requiring entry's own dependencies,
  // then the enclosing ones outward.
  static std::string LocateV1(const json* own, const std::vector<const json*>& scopes, const std::string& dep) {
    auto pin = [&](const json& scope) -> std::optional<std::string> {
      auto f = scope.find(dep);
      if (f == scope.end()) return std::nullopt;
      std::string name = dep, version = npm::Str(*f, "version");
      if (version.empty()) return dep;
      SplitAlias(name, version);
      return PinnedDepends(name, version);
    };
    if (own)
      if (auto p = pin(*own)) return *p;
    for (size_t i = scopes.size(); i-- > 0;)
      if (auto p = pin(*scopes[i])) return *p;
    return dep;
  }

  std::string path_;
  std::vector<Package> pkgs_;
  size_t skipped_ = 0;
  bool too_deep_ = false;
};

class NpmPackageLockAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return "npm_package_lock"; }
  AnalyzerGroup Group() const override { return AnalyzerGroup::kLang; }
  bool Wants(std::string_view path, const FileMeta&) const override {
    return (npm::IsFileNamed(path, "package-lock.json") || npm::IsFileNamed(path, "npm-shrinkwrap.json")) &&
           !npm::InNodeModules(path);
  }
  void Analyze(const AnalysisInput& in, AnalysisResult& out) const override {
    LockParser(std::string(in.path)).Parse(in.content, out);
  }
};

}  // namespace

std::unique_ptr<Analyzer> Make_npm_package_lock() { return std::make_unique<NpmPackageLockAnalyzer>(); }

}  // namespace customs
