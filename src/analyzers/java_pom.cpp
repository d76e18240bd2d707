// Maven project files: pom.xml (maven.apache.org/pom.html), read without network the way Trivy's
// pom parser does, from what the scanned tree or image holds.
//
// Each pom.xml (not one inside a local repository, nor the META-INF/maven copy of a packaged JAR,
// which java_jar reads) is one PackageDB{path, "maven"}:
//   - the project itself (extra root=true), groupId and version inherited from <parent> when absent;
//   - its declared <dependencies>, those it inherits from its parents included (extra direct=true),
//     with scope (extra scope; default compile), optional=true when declared so; test-scope ones are
//     dev dependencies (extra dev=true), as test classpaths are not shipped. provided and system
//     ones are kept (the container provides them);
//   - their transitive dependencies, when a local repository in the view holds their POMs (below).
// Versions: `${x}` is interpolated from the model's <properties> (parents' included, the child's
// win), project.{groupId,artifactId,version}, project.parent.{groupId,artifactId,version} (pom.* the
// same), recursively up to kMaxInterpolation levels with cycles detected; missing versions come from
// <dependencyManagement> (the project's, then its parents', then those of `import`-scope BOMs in
// declaration order, each BOM resolved like a project). As in Maven, inheritance is applied before
// interpolation: a parent's dependency `${foo.version}` takes the child's foo.version.
// A version that stays unresolved (a property nobody defines, no managed version) or is a range
// ("[1.0,2.0)") is reported as written with extra "note" saying so, never guessed; the POM gets one
// diagnostic counting them.
//
// Parents: <relativePath> (default ../pom.xml; a directory means its pom.xml; an empty element
// means "not in the tree") when the POM there has the parent's groupId, artifactId and version; else
// a local Maven repository in the view: any ".m2/repository/" folder (the project tree's, an
// image's root/.m2/repository, a user's home) laid out as <group path>/<artifact>/<version>/
// <artifact>-<version>.pom. Parent chains are followed up to kMaxParents, cycles reported.
//
// Transitive dependencies, breadth-first from the direct ones, as Maven mediates: the nearest
// declaration of a groupId:artifactId wins (the first declared among equally near ones); a
// dependency's own test, provided and system dependencies and its optional ones are not transitive;
// <exclusions> (groupId/artifactId, "*" wildcards) of the path leading to a dependency apply; the
// root project's dependencyManagement overrides transitive versions (and scopes). A transitive
// dependency's scope follows Maven's table (compile under runtime is runtime; anything under test is
// test); it has direct=false. Dependencies whose POM the view lacks are reported without theirs.
//
// POMs come from images too, so they are untrusted: each is capped at kMaxPomBytes; pugixml builds
// the tree without recursion, never reads a DTD or external entity (the DOCTYPE is skipped and
// only the five predefined entities and character references are expanded, so there is no entity
// expansion to bomb), and this file reads it at fixed depths only. Graph walks are capped
// (kMaxExpanded POMs, kMaxPackages packages per project).
#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <tuple>
#include <string>
#include <string_view>
#include <vector>

#include <pugixml.hpp>

#include "analyzers/analyzer.h"
#include "analyzers/java_util.h"
#include "analyzers/text_util.h"

namespace customs {

namespace {

constexpr size_t kMaxPomBytes = 8u << 20;
constexpr int kMaxInterpolation = 32;
constexpr int kMaxParents = 32;
constexpr int kMaxImportDepth = 16;
constexpr size_t kMaxExpanded = 20000;
constexpr size_t kMaxPackages = 50000;

const std::string kRepoMarker = ".m2/repository/";

struct Exclusion {
  std::string group, artifact;
};

struct Dep {
  std::string group, artifact, version, scope, type, classifier, optional;
  std::vector<Exclusion> exclusions;
  std::string Key() const { return group + ":" + artifact; }
};

struct ParentRef {
  bool present = false;
  std::string group, artifact, version, relative_path;
  bool relative_given = false;
};

// One POM as written.
struct RawPom {
  bool ok = false;
  std::string error;
  std::string group, artifact, version, packaging;
  ParentRef parent;
  std::vector<std::pair<std::string, std::string>> properties;
  std::vector<Dep> managed, deps;
};

std::string Text(const pugi::xml_node& n, const char* child) {
  return std::string(text::Trim(n.child(child).text().get()));
}

std::vector<Dep> ReadDeps(const pugi::xml_node& deps) {
  std::vector<Dep> out;
  for (pugi::xml_node d : deps.children("dependency")) {
    Dep x;
    x.group = Text(d, "groupId");
    x.artifact = Text(d, "artifactId");
    x.version = Text(d, "version");
    x.scope = Text(d, "scope");
    x.type = Text(d, "type");
    x.classifier = Text(d, "classifier");
    x.optional = Text(d, "optional");
    for (pugi::xml_node e : d.child("exclusions").children("exclusion"))
      x.exclusions.push_back({Text(e, "groupId"), Text(e, "artifactId")});
    out.push_back(std::move(x));
  }
  return out;
}

RawPom ParsePom(std::string_view content) {
  RawPom pom;
  if (content.size() > kMaxPomBytes) {
    pom.error = "larger than " + std::to_string(kMaxPomBytes >> 20) + " MiB; not read";
    return pom;
  }
  pugi::xml_document doc;
  // parse_default without parse_doctype: the DOCTYPE is skipped, never interpreted.
  pugi::xml_parse_result res = doc.load_buffer(content.data(), content.size(), pugi::parse_default);
  if (!res) {
    pom.error = std::string("not well-formed XML (") + res.description() + " at byte " + std::to_string(res.offset) + ")";
    return pom;
  }
  pugi::xml_node project = doc.child("project");
  if (!project) {
    pom.error = "no <project> root element; not a POM";
    return pom;
  }
  pom.ok = true;
  pom.group = Text(project, "groupId");
  pom.artifact = Text(project, "artifactId");
  pom.version = Text(project, "version");
  pom.packaging = Text(project, "packaging");
  if (pugi::xml_node p = project.child("parent")) {
    pom.parent.present = true;
    pom.parent.group = Text(p, "groupId");
    pom.parent.artifact = Text(p, "artifactId");
    pom.parent.version = Text(p, "version");
    if (pugi::xml_node rel = p.child("relativePath")) {
      pom.parent.relative_given = true;
      pom.parent.relative_path = std::string(text::Trim(rel.text().get()));
    }
  }
  for (pugi::xml_node prop : project.child("properties").children())
    if (prop.type() == pugi::node_element)
      pom.properties.emplace_back(prop.name(), std::string(text::Trim(prop.text().get())));
  pom.managed = ReadDeps(project.child("dependencyManagement").child("dependencies"));
  pom.deps = ReadDeps(project.child("dependencies"));
  return pom;
}

// "a/b/../c" -> "a/c"; nullopt when it climbs above the root.
std::optional<std::string> NormalizePath(std::string_view p) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= p.size()) {
    size_t slash = p.find('/', start);
    std::string_view seg = p.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (seg == "..") {
      if (parts.empty()) return std::nullopt;
      parts.pop_back();
    } else if (!seg.empty() && seg != ".") {
      parts.push_back(seg);
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  std::string out;
  for (auto s : parts) {
    if (!out.empty()) out += '/';
    out += s;
  }
  return out;
}

std::string DirName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(path.substr(0, slash));
}

bool IsRange(std::string_view v) { return !v.empty() && (v.front() == '[' || v.front() == '('); }

// Coordinates of a POM in a local repository: ".../.m2/repository/org/foo/bar/1.0/bar-1.0.pom".
struct Coords {
  std::string group, artifact, version;
  bool operator<(const Coords& o) const {
    return std::tie(group, artifact, version) < std::tie(o.group, o.artifact, o.version);
  }
};
std::optional<Coords> RepoPomCoords(std::string_view path) {
  size_t at = path.find(kRepoMarker);
  if (at == std::string_view::npos || (at > 0 && path[at - 1] != '/')) return std::nullopt;
  std::string_view rest = path.substr(at + kRepoMarker.size());
  std::vector<std::string_view> seg;
  size_t start = 0;
  for (;;) {
    size_t slash = rest.find('/', start);
    seg.push_back(rest.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (seg.size() < 4) return std::nullopt;
  const size_t n = seg.size();
  Coords c;
  c.version = std::string(seg[n - 2]);
  c.artifact = std::string(seg[n - 3]);
  if (seg[n - 1] != c.artifact + "-" + c.version + ".pom") return std::nullopt;
  for (size_t i = 0; i + 3 < n; ++i) {
    if (seg[i].empty()) return std::nullopt;
    if (i) c.group += '.';
    c.group += seg[i];
  }
  return c;
}

// A POM's model after inheritance, before interpolation (keys of managed/deps are raw "g:a").
struct Inherited {
  std::string path;
  std::string group, artifact, version;  // raw (may hold ${...})
  std::map<std::string, std::string> props;
  std::vector<Dep> managed, deps;  // child's first, then the parents' not overridden
  std::vector<std::string> problems;
};

// After interpolation, with the managed versions applied.
struct Resolved {
  std::string group, artifact, version;
  std::map<std::string, Dep> managed;  // "g:a" -> entry
  std::vector<Dep> deps;
  std::vector<std::string> problems;
};

class PomResolver {
 public:
  explicit PomResolver(const FileView& view) : view_(view) {
    for (const std::string& p : view.Paths())
      if (auto c = RepoPomCoords(p)) repo_.emplace(*c, p);
  }

  static bool IsProjectPom(std::string_view path) {
    if (text::BaseName(path) != "pom.xml") return false;
    if (path.find(kRepoMarker) != std::string_view::npos) return false;
    return path.find("META-INF/maven/") == std::string_view::npos;
  }

  void Analyze(const std::string& path, AnalysisResult& out) {
    const RawPom* raw = Raw(path);
    if (!raw) return;
    if (!raw->ok) {
      out.diagnostics.push_back({path, raw->error});
      return;
    }
    std::set<std::string> visiting;
    const Inherited& inh = Inherit(path, 0, visiting);
    std::set<std::string> bom_visiting;
    Resolved root = Resolve(inh, 0, bom_visiting);
    std::vector<Package> pkgs;
    size_t notes = 0;
    std::string first_note;
    auto note = [&](Package& p, const std::string& n) {
      p.extra["note"] = n;
      if (notes++ == 0) first_note = p.name + ": " + n;
    };

    Package self = java::MakePackage((root.group.empty() ? std::string("?") : root.group) + ":" + root.artifact,
                                     root.version, path);
    self.extra["root"] = "true";
    if (root.artifact.empty()) {
      out.diagnostics.push_back({path, "<project> without <artifactId>; not a POM"});
      return;
    }

    // Breadth-first over the dependency graph.
    struct Item {
      Dep dep;
      std::string scope;
      bool direct;
      std::vector<Exclusion> exclusions;
      size_t pkg;  // index in pkgs
    };
    std::map<std::string, std::string> chosen;  // "g:a" -> version (nearest wins)
    chosen[root.group + ":" + root.artifact] = root.version;
    std::deque<Item> queue;
    auto add = [&](const Dep& d, const std::string& scope, bool direct, std::vector<Exclusion> excl) -> std::string {
      const std::string key = d.Key();
      if (auto it = chosen.find(key); it != chosen.end()) return key + "@" + it->second;
      if (pkgs.size() >= kMaxPackages) return key;
      chosen[key] = d.version;
      Package p = java::MakePackage(key, d.version, path);
      p.extra["scope"] = scope;
      p.extra["direct"] = direct ? "true" : "false";
      if (scope == "test") p.extra["dev"] = "true";
      if (direct && d.optional == "true") p.extra["optional"] = "true";
      if (d.version.empty()) note(p, "no version declared or managed");
      else if (d.version.find("${") != std::string::npos) note(p, "unresolved property in version \"" + d.version + "\"");
      else if (IsRange(d.version)) note(p, "version range \"" + d.version + "\" not resolved (no network)");
      excl.insert(excl.end(), d.exclusions.begin(), d.exclusions.end());
      queue.push_back({d, scope, direct, std::move(excl), pkgs.size()});
      pkgs.push_back(std::move(p));
      return key + "@" + d.version;
    };
    for (const Dep& d : root.deps) {
      if (d.scope == "import") continue;
      if (d.group.empty() || d.artifact.empty()) continue;
      text::PushUnique(self.depends, add(d, d.scope.empty() ? "compile" : d.scope, true, {}));
    }
    size_t expanded = 0;
    bool capped = false;
    while (!queue.empty()) {
      Item it = std::move(queue.front());
      queue.pop_front();
      if (it.dep.version.empty() || IsRange(it.dep.version) || it.dep.version.find("${") != std::string::npos) continue;
      auto repo = repo_.find({it.dep.group, it.dep.artifact, it.dep.version});
      if (repo == repo_.end()) continue;
      if (++expanded > kMaxExpanded) {
        capped = true;
        break;
      }
      std::set<std::string> v1, v2;
      const Inherited& dinh = Inherit(repo->second, 0, v1);
      Resolved dres = Resolve(dinh, 0, v2);
      for (Dep d : dres.deps) {
        std::string s = d.scope.empty() ? "compile" : d.scope;
        if (s == "test" || s == "provided" || s == "system" || s == "import") continue;
        if (d.optional == "true") continue;
        if (Excluded(it.exclusions, d)) continue;
        // The root's dependencyManagement governs transitive versions and scopes.
        if (auto m = root.managed.find(d.Key()); m != root.managed.end()) {
          if (!m->second.version.empty()) d.version = m->second.version;
          if (!m->second.scope.empty() && m->second.scope != "import") s = m->second.scope;
        }
        const std::string scope = it.scope == "test"                            ? "test"
                                  : it.scope == "provided"                      ? "provided"
                                  : it.scope == "runtime" && s == "compile"     ? "runtime"
                                                                                : s;
        std::string pinned = add(d, scope, false, it.exclusions);  // may grow pkgs: index after
        text::PushUnique(pkgs[it.pkg].depends, std::move(pinned));
      }
    }
    if (capped)
      out.diagnostics.push_back({path, "more than " + std::to_string(kMaxExpanded) +
                                           " dependency POMs; transitive dependencies beyond them not read"});
    if (pkgs.size() >= kMaxPackages)
      out.diagnostics.push_back({path, "more than " + std::to_string(kMaxPackages) + " dependencies; the rest not read"});
    for (const auto& p : root.problems) out.diagnostics.push_back({path, p});
    if (notes)
      out.diagnostics.push_back({path, std::to_string(notes) + " dependenc(y/ies) reported with an unresolved version "
                                       "(first: " + first_note + ")"});
    if (root.version.find("${") != std::string::npos) self.extra["note"] = "unresolved property in version";
    pkgs.insert(pkgs.begin(), std::move(self));
    out.package_dbs.push_back(PackageDB{path, "maven", std::move(pkgs)});
  }

 private:
  static bool Matches(std::string_view pattern, std::string_view v) { return pattern == "*" || pattern == v; }
  static bool Excluded(const std::vector<Exclusion>& ex, const Dep& d) {
    for (const auto& e : ex)
      if (Matches(e.group.empty() ? "*" : e.group, d.group) && Matches(e.artifact.empty() ? "*" : e.artifact, d.artifact))
        return true;
    return false;
  }

  const RawPom* Raw(const std::string& path) {
    auto it = raw_.find(path);
    if (it != raw_.end()) return &it->second;
    auto content = view_.Read(path);
    if (!content) return nullptr;
    return &raw_.emplace(path, ParsePom(*content)).first->second;
  }

  // The parent POM's path in the view, or "".
  std::string FindParent(const std::string& child_path, const ParentRef& ref) {
    if (!ref.relative_given || !ref.relative_path.empty()) {
      const std::string rel = ref.relative_given ? ref.relative_path : "../pom.xml";
      const std::string dir = DirName(child_path);
      for (const std::string& cand : {rel, rel + "/pom.xml"}) {
        auto norm = NormalizePath(dir.empty() ? cand : dir + "/" + cand);
        if (!norm || *norm == child_path) continue;
        const RawPom* p = Raw(*norm);
        if (!p || !p->ok) continue;
        const std::string g = p->group.empty() ? p->parent.group : p->group;
        const std::string v = p->version.empty() ? p->parent.version : p->version;
        if (g == ref.group && p->artifact == ref.artifact && v == ref.version) return *norm;
      }
    }
    auto it = repo_.find({ref.group, ref.artifact, ref.version});
    return it == repo_.end() ? std::string() : it->second;
  }

  const Inherited& Inherit(const std::string& path, int depth, std::set<std::string>& visiting) {
    if (auto it = inherited_.find(path); it != inherited_.end()) return it->second;
    Inherited m;
    m.path = path;
    const RawPom* raw = Raw(path);
    if (!raw || !raw->ok) {
      m.problems.push_back(path + ": " + (raw ? raw->error : "not present"));
      return inherited_.emplace(path, std::move(m)).first->second;
    }
    const Inherited* parent = nullptr;
    if (raw->parent.present) {
      const std::string coords = raw->parent.group + ":" + raw->parent.artifact + ":" + raw->parent.version;
      std::string ppath = FindParent(path, raw->parent);
      if (ppath.empty()) {
        m.problems.push_back("parent POM " + coords + " not found in the tree or a local repository; "
                             "what it declares is not known");
      } else if (visiting.count(ppath) || depth >= kMaxParents) {
        m.problems.push_back("parent POM " + coords + " (" + ppath + "): " +
                             (visiting.count(ppath) ? "cycle of parents" : "too many parent levels") + "; ignored");
      } else {
        visiting.insert(path);
        parent = &Inherit(ppath, depth + 1, visiting);
        visiting.erase(path);
      }
    }
    if (parent) {
      m.props = parent->props;
      m.problems = parent->problems;
    }
    for (const auto& [k, v] : raw->properties) m.props[k] = v;
    m.group = raw->group.empty() ? raw->parent.group : raw->group;
    m.artifact = raw->artifact;
    m.version = raw->version.empty() ? raw->parent.version : raw->version;
    for (const char* prefix : {"project.", "pom."}) {
      const std::string p(prefix);
      m.props[p + "groupId"] = m.group;
      m.props[p + "artifactId"] = m.artifact;
      m.props[p + "version"] = m.version;
      if (raw->parent.present) {
        m.props[p + "parent.groupId"] = raw->parent.group;
        m.props[p + "parent.artifactId"] = raw->parent.artifact;
        m.props[p + "parent.version"] = raw->parent.version;
      }
    }
    auto merge = [](std::vector<Dep>& into, const std::vector<Dep>& own, const std::vector<Dep>* inherited) {
      std::set<std::string> keys;
      for (const Dep& d : own) {
        keys.insert(d.Key() + ":" + d.type + ":" + d.classifier);
        into.push_back(d);
      }
      if (inherited)
        for (const Dep& d : *inherited)
          if (!keys.count(d.Key() + ":" + d.type + ":" + d.classifier)) into.push_back(d);
    };
    merge(m.managed, raw->managed, parent ? &parent->managed : nullptr);
    merge(m.deps, raw->deps, parent ? &parent->deps : nullptr);
    return inherited_.emplace(path, std::move(m)).first->second;
  }

  // `${name}` references of `s` replaced from `props`, recursively; unresolved ones are kept.
  static std::string Interpolate(const std::map<std::string, std::string>& props, const std::string& s, int depth,
                                 std::set<std::string>& active, std::vector<std::string>* problems) {
    if (s.find("${") == std::string::npos) return s;
    std::string out;
    size_t i = 0;
    while (i < s.size()) {
      size_t open = s.find("${", i);
      if (open == std::string::npos) break;
      size_t close = s.find('}', open + 2);
      if (close == std::string::npos) break;
      out.append(s, i, open - i);
      const std::string name = s.substr(open + 2, close - open - 2);
      auto it = props.find(name);
      if (it == props.end() || depth >= kMaxInterpolation || active.count(name)) {
        if (problems && it != props.end())
          problems->push_back("property ${" + name + "}: " +
                              (active.count(name) ? "refers to itself" : "nested too deeply") + "; left unresolved");
        out.append(s, open, close + 1 - open);
      } else {
        active.insert(name);
        out += Interpolate(props, it->second, depth + 1, active, problems);
        active.erase(name);
      }
      i = close + 1;
    }
    out.append(s, i, std::string::npos);
    return out;
  }

  Resolved Resolve(const Inherited& m, int import_depth, std::set<std::string>& bom_visiting) {
    Resolved r;
    r.problems = m.problems;
    std::set<std::string> reported;
    auto interp = [&](const std::string& s) {
      std::set<std::string> active;
      std::vector<std::string> probs;
      std::string v = Interpolate(m.props, s, 0, active, &probs);
      for (auto& p : probs)
        if (reported.insert(p).second) r.problems.push_back(std::move(p));
      return v;
    };
    auto interp_dep = [&](Dep d) {
      for (std::string* f : {&d.group, &d.artifact, &d.version, &d.scope, &d.type, &d.classifier, &d.optional})
        *f = interp(*f);
      for (auto& e : d.exclusions) {
        e.group = interp(e.group);
        e.artifact = interp(e.artifact);
      }
      return d;
    };
    r.group = interp(m.group);
    r.artifact = interp(m.artifact);
    r.version = interp(m.version);
    std::vector<Dep> imports;
    for (const Dep& raw : m.managed) {
      Dep d = interp_dep(raw);
      if (d.scope == "import" && d.type == "pom") {
        imports.push_back(std::move(d));
        continue;
      }
      r.managed.emplace(d.Key(), std::move(d));
    }
    for (const Dep& bom : imports) {
      auto it = repo_.find({bom.group, bom.artifact, bom.version});
      const std::string coords = bom.group + ":" + bom.artifact + ":" + bom.version;
      if (it == repo_.end()) {
        r.problems.push_back("imported BOM " + coords + " not found in a local repository; its managed versions are not known");
        continue;
      }
      if (import_depth >= kMaxImportDepth || bom_visiting.count(it->second)) {
        r.problems.push_back("imported BOM " + coords + ": import cycle or too deep; ignored");
        continue;
      }
      bom_visiting.insert(it->second);
      std::set<std::string> visiting;
      Resolved b = Resolve(Inherit(it->second, 0, visiting), import_depth + 1, bom_visiting);
      bom_visiting.erase(it->second);
      for (auto& [k, d] : b.managed) r.managed.emplace(k, d);  // earlier declarations win
    }
    for (const Dep& raw : m.deps) {
      Dep d = interp_dep(raw);
      if (auto it = r.managed.find(d.Key()); it != r.managed.end()) {
        if (d.version.empty()) d.version = it->second.version;
        if (d.scope.empty()) d.scope = it->second.scope;
        if (d.optional.empty()) d.optional = it->second.optional;
        d.exclusions.insert(d.exclusions.end(), it->second.exclusions.begin(), it->second.exclusions.end());
      }
      r.deps.push_back(std::move(d));
    }
    return r;
  }

  const FileView& view_;
  std::map<Coords, std::string> repo_;  // first path per coordinates (sorted paths)
  std::map<std::string, RawPom> raw_;
  std::map<std::string, Inherited> inherited_;
};

// A FileView over one file, for Analyze (a pom.xml alone).
class SingleFileView final : public FileView {
 public:
  SingleFileView(std::string_view path, std::string_view content) : path_(path), content_(content) {}
  std::optional<std::string_view> Read(std::string_view path) const override {
    if (path == path_) return content_;
    return std::nullopt;
  }
  std::vector<std::string> Paths() const override { return {path_}; }

 private:
  std::string path_;
  std::string_view content_;
};

class JavaPomAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return "java_pom"; }
  AnalyzerGroup Group() const override { return AnalyzerGroup::kLang; }
  bool Wants(std::string_view path, const FileMeta&) const override {
    if (PomResolver::IsProjectPom(path)) return true;
    return path.ends_with(".pom") && RepoPomCoords(path).has_value();
  }
  void Analyze(const AnalysisInput& in, AnalysisResult& out) const override {
    if (!PomResolver::IsProjectPom(in.path)) return;
    SingleFileView view(in.path, in.content);
    PomResolver(view).Analyze(std::string(in.path), out);
  }
  bool NeedsView() const override { return true; }
  void AnalyzeView(const FileView& view, int /*layer*/, AnalysisResult& out) const override {
    PomResolver resolver(view);
    for (const std::string& path : view.Paths())
      if (PomResolver::IsProjectPom(path)) resolver.Analyze(path, out);
  }
};

}  // namespace

std::unique_ptr<Analyzer> Make_java_pom() { return std::make_unique<JavaPomAnalyzer>(); }

}  // namespace customs
