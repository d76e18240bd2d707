// Issue #4 acceptance: the dependency graph of an npm project in the SBOMs. A real `npm install`
// of pinned old packages, chosen so that npm must nest a second version of two dependencies
// (debug@2.6.9 needs ms@2.0.0 next to ms@2.1.3 at the top; chalk@2.4.2 needs supports-color@5 and
// has-flag@3 under chalk/node_modules, next to supports-color@7 and has-flag@4 at the top), and
// with a scoped package (@sinonjs/commons). The CycloneDX dependencies and the SPDX DEPENDS_ON
// relationships, read from package-lock.json (v3 as npm writes it, v1 and v2 on request) and from the
// installed node_modules tree, must be exactly the edges of `npm ls --all --json`:
// package name@version -> dependency name@version, and the project -> its direct dependencies.
// Skipped, with the reason, when npm is missing or the npm registry does not answer.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "support/fixtures.h"
#include "support/scenarios.h"
#include "support/schema.h"

namespace ct = customs_test;
using nlohmann::json;

namespace {

using Edges = std::set<std::pair<std::string, std::string>>;  // (from, to); the project is "<project>"
constexpr const char* kProject = "<project>";

const char* kManifest = R"({"name": "graph-fixture", "version": "1.0.0", "private": true,
  "dependencies": {"debug": "2.6.9", "ms": "2.1.3", "chalk": "2.4.2", "supports-color": "7.2.0",
                   "@sinonjs/commons": "1.8.6"}})";

std::string Describe(const Edges& e) {
  std::string out;
  for (const auto& [a, b] : e) out += "  " + a + " -> " + b + "\n";
  return out;
}

std::string DescribeDiff(const Edges& want, const Edges& got) {
  Edges missing, extra;
  for (const auto& e : want)
    if (!got.count(e)) missing.insert(e);
  for (const auto& e : got)
    if (!want.count(e)) extra.insert(e);
  return "missing:\n" + Describe(missing) + "unexpected:\n" + Describe(extra);
}

// npm ls --all --json: every printed node's children are its edges.
void NpmLsEdges(const std::string& from, const json& node, Edges& out) {
  auto deps = node.find("dependencies");
  if (deps == node.end() || !deps->is_object()) return;
  for (auto it = deps->begin(); it != deps->end(); ++it) {
    const std::string to = it.key() + "@" + ct::Str(*it, "version");
    out.emplace(from, to);
    NpmLsEdges(to, *it, out);
  }
}

ct::RunResult Npm(const std::vector<std::string>& args, const std::string& cwd) {
  std::vector<std::string> argv = {"npm"};
  argv.insert(argv.end(), args.begin(), args.end());
  ct::RunOptions o;
  o.cwd = cwd;
  o.timeout_seconds = 300;
  return ct::Run(argv, o);
}

// One npm install shared by the tests: the project, its v1/v2 lockfiles, npm ls's edges.
struct Install {
  std::unique_ptr<ct::TempDir> dir;
  std::string skip;  // why the tests cannot run; "" when they can
  Edges npm_ls;
};

const Install& TheInstall() {
  static const Install* install = [] {
    auto* in = new Install;
    if (ct::Run({"npm", "--version"}).exit_code != 0) {
      in->skip = "npm is not installed (apt-get install npm)";
      return in;
    }
    in->dir = std::make_unique<ct::TempDir>("customs-lang-graph");
    ct::WriteFile(*in->dir / "proj/package.json", kManifest);
    ct::RunResult r = Npm({"install", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"},
                          *in->dir / "proj");
    if (r.exit_code != 0) {
      in->skip = "npm install failed (is the npm registry reachable?): " + r.Describe();
      return in;
    }
    for (int v : {1, 2}) {
      const std::string d = *in->dir / ("v" + std::to_string(v));
      ct::WriteFile(d + "/package.json", kManifest);
      r = Npm({"install", "--package-lock-only", "--lockfile-version", std::to_string(v), "--ignore-scripts",
               "--no-audit", "--no-fund", "--loglevel=error"},
              d);
      if (r.exit_code != 0) {
        in->skip = "npm could not write a v" + std::to_string(v) + " lockfile: " + r.Describe();
        return in;
      }
    }
    r = Npm({"ls", "--all", "--json"}, *in->dir / "proj");
    json tree = ct::ParseJson(r.out);
    if (r.exit_code != 0 || !tree.is_object()) {
      in->skip = "npm ls failed: " + r.Describe();
      return in;
    }
    NpmLsEdges(kProject, tree, in->npm_ls);
    return in;
  }();
  return *install;
}

#define INSTALL_OR_SKIP(var)                                      \
  const Install& var = TheInstall();                              \
  if (!var.skip.empty()) GTEST_SKIP() << var.skip;

std::string Property(const json& c, const std::string& name) {
  if (c.contains("properties"))
    for (const auto& p : c["properties"])
      if (ct::Str(p, "name") == name) return ct::Str(p, "value");
  return "";
}

// The CycloneDX graph of the language target `target` (the application component of that name):
// the application's edges from kProject, its packages' edges by name@version.
Edges CycloneDxEdges(const json& bom, const std::string& target) {
  std::map<std::string, std::string> label;  // bom-ref -> name@version, or kProject
  std::string app;
  for (const auto& c : bom["components"]) {
    if (ct::Str(c, "type") == "application" && ct::Str(c, "name") == target) app = ct::Str(c, "bom-ref");
    if (ct::Str(c, "type") == "library") label[ct::Str(c, "bom-ref")] = ct::Str(c, "name") + "@" + ct::Str(c, "version");
  }
  EXPECT_FALSE(app.empty()) << "no application component named " << target;
  label[app] = kProject;
  // The target's packages: what the application reaches.
  std::map<std::string, std::vector<std::string>> on;
  for (const auto& d : bom["dependencies"])
    for (const auto& x : d["dependsOn"]) on[ct::Str(d, "ref")].push_back(x.get<std::string>());
  std::set<std::string> seen{app};
  std::vector<std::string> todo{app};
  Edges out;
  while (!todo.empty()) {
    std::string ref = todo.back();
    todo.pop_back();
    for (const auto& to : on[ref]) {
      EXPECT_TRUE(label.count(to)) << ref << " depends on " << to << ", not a library component";
      out.emplace(label[ref], label[to]);
      if (seen.insert(to).second) todo.push_back(to);
    }
  }
  return out;
}

// The same from SPDX: the application package named `target` DEPENDS_ON its direct packages, and
// the packages it CONTAINS DEPEND_ON one another. Every package it contains must be in the graph.
Edges SpdxEdges(const json& doc, const std::string& target) {
  std::map<std::string, std::string> label;
  std::string app;
  for (const auto& p : doc["packages"]) {
    if (ct::Str(p, "primaryPackagePurpose") == "APPLICATION" && ct::Str(p, "name") == target) app = ct::Str(p, "SPDXID");
    if (ct::Str(p, "primaryPackagePurpose") == "LIBRARY")
      label[ct::Str(p, "SPDXID")] = ct::Str(p, "name") + "@" + ct::Str(p, "versionInfo");
  }
  EXPECT_FALSE(app.empty()) << "no application package named " << target;
  label[app] = kProject;
  std::set<std::string> contained;
  for (const auto& r : doc["relationships"])
    if (ct::Str(r, "spdxElementId") == app && ct::Str(r, "relationshipType") == "CONTAINS")
      contained.insert(ct::Str(r, "relatedSpdxElement"));
  Edges out;
  for (const auto& r : doc["relationships"]) {
    if (ct::Str(r, "relationshipType") != "DEPENDS_ON") continue;
    const std::string from = ct::Str(r, "spdxElementId"), to = ct::Str(r, "relatedSpdxElement");
    if (from != app && !contained.count(from)) continue;
    EXPECT_TRUE(contained.count(to)) << from << " DEPENDS_ON " << to << " outside " << target;
    out.emplace(label[from], label[to]);
  }
  return out;
}

// The name@version of every package npm ls shows.
std::set<std::string> Nodes(const Edges& edges) {
  std::set<std::string> out;
  for (const auto& [from, to] : edges) {
    if (from != kProject) out.insert(from);
    out.insert(to);
  }
  return out;
}

// The name@version of the CycloneDX library components read from files `from_file` accepts.
std::set<std::string> CycloneDxPackages(const json& bom, const std::function<bool(const std::string&)>& from_file) {
  std::set<std::string> out;
  for (const auto& c : bom["components"])
    if (ct::Str(c, "type") == "library" && from_file(Property(c, "customs:DBPath")))
      out.insert(ct::Str(c, "name") + "@" + ct::Str(c, "version"));
  return out;
}

// Scans `dir` as a filesystem in both SBOM formats (schema-checked) and compares the graph of each
// language target named in `targets` (with the files its packages come from) with npm ls.
void CheckGraphs(const Install& in, const std::string& dir,
                 const std::map<std::string, std::function<bool(const std::string&)>>& targets,
                 const std::string& label) {
  ct::TempDir out;
  const std::set<std::string> nodes = Nodes(in.npm_ls);
  for (const char* format : {"cyclonedx", "spdx-json"}) {
    const bool cdx = std::string(format) == "cyclonedx";
    const std::string file = out / (std::string(format) + ".json");
    ct::RunResult r = ct::RunCustoms({"fs", dir, "-f", format, "-o", file});
    ASSERT_EQ(r.exit_code, 0) << label << " " << format << ": " << r.Describe();
    std::string err;
    json doc = ct::ParseJson(ct::ReadFile(file), &err);
    ASSERT_TRUE(doc.is_object()) << err;
    for (const auto& [target, from_file] : targets) {
      SCOPED_TRACE(label + " " + format + " " + target);
      Edges got = cdx ? CycloneDxEdges(doc, target) : SpdxEdges(doc, target);
      EXPECT_EQ(got, in.npm_ls) << DescribeDiff(in.npm_ls, got) << "npm ls:\n" << Describe(in.npm_ls);
      // No package of the target is left out of the graph.
      if (cdx) EXPECT_EQ(CycloneDxPackages(doc, from_file), nodes);
    }
    EXPECT_TRUE(ValidatesAgainstSchema(cdx ? "cyclonedx-1.6" : "spdx-2.3", file)) << label;
  }
}

bool IsLockfile(const std::string& db_path) { return db_path == "package-lock.json"; }
bool IsManifest(const std::string& db_path) {
  return db_path.rfind("node_modules/", 0) == 0 && db_path.size() > 13 &&
         db_path.compare(db_path.size() - 13, 13, "/package.json") == 0;
}

}  // namespace

TEST(LangGraph, NpmLsHasTheNestedVersions) {
  INSTALL_OR_SKIP(in);
  // The fixture is what the tests claim: two versions of ms, has-flag and supports-color, and a
  // dependency two levels down that resolves one level up (supports-color@5.5.0 -> has-flag@3.0.0,
  // both under chalk/node_modules).
  for (const auto& e : std::vector<std::pair<std::string, std::string>>{
           {"debug@2.6.9", "ms@2.0.0"},
           {kProject, "ms@2.1.3"},
           {"chalk@2.4.2", "supports-color@5.5.0"},
           {"supports-color@5.5.0", "has-flag@3.0.0"},
           {"supports-color@7.2.0", "has-flag@4.0.0"},
           {"@sinonjs/commons@1.8.6", "type-detect@4.0.8"}})
    EXPECT_TRUE(in.npm_ls.count(e)) << e.first << " -> " << e.second << "\n" << Describe(in.npm_ls);
}

TEST(LangGraph, PackageLockAndNodeModulesGraphsAreNpmLs) {
  INSTALL_OR_SKIP(in);
  // The project as npm left it: package-lock.json (v3) is one target; the installed packages are the
  // ones it pins, so they are its packages (also found in node_modules, issue #14), not a second graph.
  CheckGraphs(in, *in.dir / "proj", {{"package-lock.json", IsLockfile}}, "npm install");
  // node_modules without the lockfile: each node_modules/**/package.json is its own file, and the
  // "Node.js" target holds them all, each dependency being the copy Node.js would load from the
  // package's directory.
  ct::TempDir nm("customs-lang-graph-nm");
  std::filesystem::create_directories(nm / "proj");
  std::filesystem::copy(*in.dir / "proj/node_modules", nm / "proj/node_modules",
                        std::filesystem::copy_options::recursive | std::filesystem::copy_options::copy_symlinks);
  CheckGraphs(in, nm / "proj", {{"Node.js", IsManifest}}, "node_modules alone");
}

TEST(LangGraph, PackageLockV1AndV2GraphsAreNpmLs) {
  INSTALL_OR_SKIP(in);
  // v1: no "packages" map, the nesting of "dependencies" and "requires" only; nothing says which
  // packages are direct, so the project depends on those no other package needs.
  CheckGraphs(in, *in.dir / "v1", {{"package-lock.json", IsLockfile}}, "package-lock v1");
  CheckGraphs(in, *in.dir / "v2", {{"package-lock.json", IsLockfile}}, "package-lock v2");
}
