// uv.lock (TOML, read with toml++), as uv writes it (lock "version = 1"):
//   [[package]] name, version, source = { registry = URL } | { editable = "." } | { virtual = "." } |
//               { git = URL } | { path = ... }, dependencies = [{ name, extra = [...], marker }],
//               [package.optional-dependencies] EXTRA = [{ name }], [package.dev-dependencies]
//               GROUP = [{ name }], sdist, wheels, [package.metadata]
// Workspace members (source "editable" or "virtual") are the roots: they are reported with "root" =
// "true". Their dependencies, optional dependencies and dev groups are the direct packages ("direct"
// = "true"; every other package "false"). "dev" = "false" for packages reachable from a root's
// dependencies or optional dependencies (following the extras the edges request), "true" for those
// reachable only through dev groups. Edges are by name (uv writes normalized names). "depends" pins
// each dependency to "name@version" (core/types.h): uv writes the version in the edge when the lock
// holds several versions of the name; otherwise the lock's only version of it is the one used.
#include <toml++/toml.h>

#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/depends_util.h"
#include "analyzers/python_util.h"
#include "analyzers/text_util.h"

namespace customs {

namespace {

struct Edge {
  std::string name;
  std::vector<std::string> extras;
  std::string version;  // written only when the lock holds several versions of the name
};

struct Entry {
  const toml::table* t = nullptr;
  std::string name, version;
  bool root = false;
};

std::vector<Edge> Edges(const toml::node_view<const toml::node> list) {
  std::vector<Edge> out;
  const toml::array* a = list.as_array();
  if (!a) return out;
  for (const auto& d : *a) {
    const toml::table* t = d.as_table();
    if (!t) continue;
    auto name = (*t)["name"].value<std::string>();
    if (!name || name->empty()) continue;
    Edge e{*name, {}, (*t)["version"].value_or(std::string())};
    if (const toml::array* ex = (*t)["extra"].as_array())
      for (const auto& x : *ex)
        if (auto s = x.value<std::string>()) e.extras.push_back(*s);
    out.push_back(std::move(e));
  }
  return out;
}

// Every edge list of a table of lists ([package.optional-dependencies], [package.dev-dependencies]).
std::vector<Edge> GroupEdges(const toml::node_view<const toml::node> groups, const std::vector<std::string>* only) {
  std::vector<Edge> out;
  const toml::table* t = groups.as_table();
  if (!t) return out;
  for (const auto& [k, v] : *t) {
    if (only) {
      bool want = false;
      for (const auto& o : *only) want = want || o == k.str();
      if (!want) continue;
    }
    for (auto& e : Edges(toml::node_view<const toml::node>(&v))) out.push_back(std::move(e));
  }
  return out;
}

class UvLockParser {
 public:
  explicit UvLockParser(std::string path) : path_(std::move(path)) {}

  void Parse(std::string_view content, AnalysisResult& out) {
    toml::table doc;
    try {
      doc = toml::parse(content, path_);
    } catch (const toml::parse_error& e) {
      out.diagnostics.push_back({path_, "not valid TOML: " + std::string(e.description()) + " (line " +
                                            std::to_string(e.source().begin.line) + ")"});
      return;
    }
    const toml::array* pkgs = doc["package"].as_array();
    if (!pkgs && doc.contains("package"))
      out.diagnostics.push_back({path_, "\"package\" is not an array of tables; no packages read"});
    size_t bad = 0, first_bad = 0;
    for (size_t i = 0; pkgs && i < pkgs->size(); ++i) {
      Entry e;
      e.t = pkgs->get(i)->as_table();
      if (e.t) {
        e.name = (*e.t)["name"].value_or(std::string());
        e.version = (*e.t)["version"].value_or(std::string());
        const toml::table* src = (*e.t)["source"].as_table();
        e.root = src && (src->contains("editable") || src->contains("virtual"));
      }
      if (e.name.empty() || (e.version.empty() && !e.root)) {
        if (bad++ == 0) first_bad = i + 1;
        continue;
      }
      by_name_[e.name].push_back(entries_.size());
      entries_.push_back(std::move(e));
    }
    if (bad)
      out.diagnostics.push_back({path_, std::to_string(bad) + " [[package]] entr(y/ies) without name or version "
                                                              "skipped (first is #" + std::to_string(first_bad) + ")"});
    Classify();
    LockIndex index(Pep503Name);
    for (const Entry& e : entries_) index.Add(e.name, e.version);
    std::vector<Package> packages;
    for (const Entry& e : entries_) {
      if (e.version.empty()) continue;  // a workspace member with a dynamic version
      Package p = python::MakePackage(e.name, e.version, path_, "uv");
      for (const Edge& d : Edges((*e.t)["dependencies"]))
        text::PushUnique(p.depends, d.version.empty() ? index.Pin(d.name) : index.Pin(d.name, d.version));
      if (e.root) {
        p.extra["root"] = "true";
      } else if (has_roots_) {
        p.extra["direct"] = direct_.count(e.name) ? "true" : "false";
        if (main_.count(e.name)) p.extra["dev"] = "false";
        else if (dev_.count(e.name)) p.extra["dev"] = "true";
      }
      packages.push_back(std::move(p));
    }
    out.package_dbs.push_back(PackageDB{path_, "pypi", std::move(packages)});
  }

 private:
  void Classify() {
    std::vector<Edge> main_start, dev_start;
    for (const Entry& e : entries_) {
      if (!e.root) continue;
      has_roots_ = true;
      for (auto& d : Edges((*e.t)["dependencies"])) main_start.push_back(std::move(d));
      for (auto& d : GroupEdges((*e.t)["optional-dependencies"], nullptr)) main_start.push_back(std::move(d));
      for (auto& d : GroupEdges((*e.t)["dev-dependencies"], nullptr)) dev_start.push_back(std::move(d));
    }
    for (const auto& d : main_start) direct_.insert(d.name);
    for (const auto& d : dev_start) direct_.insert(d.name);
    Reach(main_start, main_);
    Reach(dev_start, dev_);
  }

  // Names reachable from `start`, following each edge's requested extras.
  void Reach(const std::vector<Edge>& start, std::set<std::string>& seen) const {
    std::deque<Edge> queue(start.begin(), start.end());
    std::set<std::pair<std::string, std::string>> extras_done;
    while (!queue.empty()) {
      Edge d = std::move(queue.front());
      queue.pop_front();
      bool first = seen.insert(d.name).second;
      std::vector<std::string> new_extras;
      for (const auto& x : d.extras)
        if (extras_done.insert({d.name, x}).second) new_extras.push_back(x);
      if (!first && new_extras.empty()) continue;
      auto it = by_name_.find(d.name);
      if (it == by_name_.end()) continue;
      for (size_t idx : it->second) {
        const Entry& e = entries_[idx];
        if (e.root) continue;
        if (first)
          for (auto& n : Edges((*e.t)["dependencies"])) queue.push_back(std::move(n));
        if (!new_extras.empty())
          for (auto& n : GroupEdges((*e.t)["optional-dependencies"], &new_extras)) queue.push_back(std::move(n));
      }
    }
  }

  std::string path_;
  std::vector<Entry> entries_;
  std::map<std::string, std::vector<size_t>> by_name_;
  bool has_roots_ = false;
  std::set<std::string> direct_, main_, dev_;
};

class PythonUvAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return "python_uv"; }
  AnalyzerGroup Group() const override { return AnalyzerGroup::kLang; }
  bool Wants(std::string_view path, const FileMeta&) const override { return python::IsFile(path, "uv.lock"); }
  void Analyze(const AnalysisInput& in, AnalysisResult& out) const override {
    UvLockParser(std::string(in.path)).Parse(in.content, out);
  }
};

}  // namespace

std::unique_ptr<Analyzer> Make_python_uv() { return std::make_unique<PythonUvAnalyzer>(); }

}  // namespace customs
