// go.mod: the module's requirements (golang.org/ref/mod#go-mod-file). Hand-written parser of the
// line-based grammar: "module", "go", "toolchain", "require", "replace", "exclude", "retract", each
// either on one line or as a parenthesized block. Reported as PackageDB{path of go.mod, "golang"}:
//   - one package per required module; "// indirect" -> extra direct=false (else direct=true);
//   - "replace OLD [V] => NEW V" reports NEW at V with extra "replaces" = OLD; a replacement by a
//     local directory keeps OLD at its required version with extra "replaced_by" = the directory;
//   - the "go" directive goes to extra "go" of every package ("toolchain" to extra "toolchain").
//
// go.sum (golang.org/ref/mod#go-sum-files) holds "PATH VERSION h1:HASH" (the module's code was
// downloaded) and "PATH VERSION/go.mod h1:HASH" (only its go.mod was read, to resolve versions) lines
// for every module version the build may consult, superseded versions included. It is read only
// where go.mod is incomplete: since Go 1.17 (module graph pruning) go.mod lists every module that
// provides a package to the build, "// indirect" ones included, and go.sum adds nothing. With a "go"
// directive below 1.17, or none (the go command then assumes 1.16), go.mod lists only what the module
// requires itself, and the rest of the build list lives in go.sum: there, each module path with a
// code hash ("/go.mod"-only lines do not count) that go.mod does not already report becomes one
// package at its highest such version in Go's semver order (what minimal version selection picks
// from versions that all were downloaded), with extra indirect=true, direct=false, source=go.sum.
// Those packages form a second PackageDB{path of go.sum, "golang"}, so that the layer that wrote
// go.sum is the one they are attributed to.
//
// go.mod and go.sum of one directory must be read together, so the analyzer is a view analyzer
// (NeedsView): the walker keeps every go.mod and go.sum, and AnalyzeView sees them as they stand
// after each layer that changed any of them. Analyze (one go.mod alone, as if without go.sum) is
// kept for direct use. As with every view analyzer, a go.mod reached only through a symlink is not
// read.
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/text_util.h"
#include "version/version.h"

namespace customs {

namespace {

struct Require {
  std::string path, version;
  bool indirect = false;
};

struct Replace {
  std::string old_path, old_version, new_path, new_version;
};

std::string Unquote(std::string_view s) {
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '`') && s.back() == s.front())
    return std::string(s.substr(1, s.size() - 2));
  return std::string(s);
}

bool IsLocalPath(std::string_view p) {
  return p.starts_with("./") || p.starts_with("../") || p.starts_with("/") || p == "." || p == "..";
}

// Whether a go.mod with this "go" directive lists the whole build list (Go >= 1.17). A missing
// directive means 1.16; one that does not start with MAJOR.MINOR is taken as complete (nothing is
// added from go.sum on a guess).
bool ListsWholeBuild(std::string_view go) {
  if (go.empty()) return false;
  auto number = [&](uint64_t& v) {
    size_t n = 0;
    v = 0;
    while (n < go.size() && go[n] >= '0' && go[n] <= '9' && n < 9) v = v * 10 + uint64_t(go[n++] - '0');
    go.remove_prefix(n);
    return n > 0;
  };
  uint64_t major = 0, minor = 0;
  if (!number(major)) return true;
  if (go.empty() || go.front() != '.') return major != 1;
  go.remove_prefix(1);
  if (!number(minor)) return true;
  return major != 1 || minor >= 17;
}

class GoModParser {
 public:
  explicit GoModParser(std::string_view path) : path_(path) {}

  void Parse(std::string_view content, AnalysisResult& out) {
    std::string block;  // the verb of the open "(" block
    size_t line_no = 0;
    for (std::string_view raw : text::Lines(content)) {
      ++line_no;
      std::string_view line = raw, comment;
      if (size_t c = line.find("//"); c != std::string_view::npos) {
        comment = text::Trim(line.substr(c + 2));
        line = line.substr(0, c);
      }
      auto w = text::Words(line);
      if (w.empty()) continue;
      if (!block.empty()) {
        if (w.size() == 1 && w[0] == ")") {
          block.clear();
          continue;
        }
        Directive(block, w, comment, line_no);
        continue;
      }
      const std::string verb(w[0]);
      w.erase(w.begin());
      if (w.size() == 1 && w[0] == "(") {
        block = verb;
        continue;
      }
      Directive(verb, w, comment, line_no);
    }
    if (!block.empty()) Malformed(line_no, "unterminated \"" + block + " (\" block");
    Emit(out);
  }

  // The modules of go.sum that the incomplete go.mod leaves out (see the file comment). Call after Parse.
  void ParseSum(std::string_view sum_path, std::string_view content, AnalysisResult& out) const {
    if (ListsWholeBuild(go_)) return;
    const std::string path(sum_path);
    const version::Comparator* cmp = version::ComparatorFor("go");
    if (!cmp) return;
    std::map<std::string, std::string> best;  // module path -> highest version with a code hash
    size_t malformed = 0, line_no = 0;
    std::string first_malformed;
    for (std::string_view line : text::Lines(content)) {
      ++line_no;
      auto w = text::Words(line);
      if (w.empty()) continue;
      if (w.size() != 3 || w[2].find(':') == std::string_view::npos || !cmp->Valid(w[1])) {
        if (!(w.size() == 3 && w[1].ends_with("/go.mod")) && malformed++ == 0)
          first_malformed = "line " + std::to_string(line_no);
        continue;
      }
      auto [it, fresh] = best.emplace(std::string(w[0]), std::string(w[1]));
      if (!fresh && cmp->Compare(w[1], it->second) > 0) it->second = std::string(w[1]);
    }
    if (malformed)
      out.diagnostics.push_back({path, std::to_string(malformed) + " malformed line(s) ignored (first: " +
                                           first_malformed + ")"});
    // go.mod already reports its requirements (under their replacement when replaced).
    std::map<std::string, bool> reported;
    for (const Require& r : requires_) reported[r.path] = true;
    for (const Package& p : Packages()) reported[p.name] = true;
    if (!module_.empty()) reported[module_] = true;
    PackageDB db{path, "golang", {}};
    for (const auto& [mod, ver] : best) {
      if (reported.count(mod)) continue;
      Package p;
      p.type = "golang";
      p.name = mod;
      p.version = ver;
      // A replace directive applies to the whole build: go.sum then holds the replacement's hash.
      for (const Replace& x : replaces_)
        if (x.new_path == mod && x.new_version == ver && !IsLocalPath(x.new_path)) {
          p.extra["replaces"] = x.old_path;
          if (!x.old_version.empty()) p.extra["replaces_version"] = x.old_version;
        }
      p.extra["indirect"] = "true";
      p.extra["direct"] = "false";
      p.extra["source"] = "go.sum";
      if (!go_.empty()) p.extra["go"] = go_;
      if (!module_.empty()) p.extra["module"] = module_;
      p.upstream = p.src_version = p.src_upstream = p.version;
      p.db_path = path;
      db.packages.push_back(std::move(p));
    }
    out.package_dbs.push_back(std::move(db));
  }

 private:
  void Malformed(size_t line_no, std::string msg) {
    if (malformed_++ == 0) first_malformed_ = "line " + std::to_string(line_no) + ": " + msg;
  }

  void Directive(const std::string& verb, const std::vector<std::string_view>& w, std::string_view comment,
                 size_t line_no) {
    if (verb == "module") {
      if (!w.empty()) module_ = Unquote(w[0]);
    } else if (verb == "go") {
      if (!w.empty()) go_ = w[0];
    } else if (verb == "toolchain") {
      if (!w.empty()) toolchain_ = w[0];
    } else if (verb == "require") {
      if (w.size() < 2) return Malformed(line_no, "require needs a module path and a version");
      Require r{Unquote(w[0]), Unquote(w[1]), false};
      for (std::string_view c : text::Words(comment))
        if (c == "indirect" || c == "indirect;") r.indirect = true;
      requires_.push_back(std::move(r));
    } else if (verb == "replace") {
      // OLD [V] => NEW [V]
      size_t arrow = 0;
      while (arrow < w.size() && w[arrow] != "=>") ++arrow;
      if (arrow == 0 || arrow > 2 || arrow + 1 >= w.size() || w.size() - arrow - 1 > 2)
        return Malformed(line_no, "replace is not \"OLD [VERSION] => NEW [VERSION]\"");
      Replace r;
      r.old_path = Unquote(w[0]);
      if (arrow == 2) r.old_version = Unquote(w[1]);
      r.new_path = Unquote(w[arrow + 1]);
      if (arrow + 2 < w.size()) r.new_version = Unquote(w[arrow + 2]);
      replaces_.push_back(std::move(r));
    } else if (verb == "exclude" || verb == "retract" || verb == "godebug" || verb == "tool" ||
               verb == "ignore") {
      // Not part of what gets built.
    } else {
      Malformed(line_no, "unknown directive \"" + verb + "\"");
    }
  }

  void Emit(AnalysisResult& out) {
    if (malformed_)
      out.diagnostics.push_back({path_, std::to_string(malformed_) + " malformed line(s) ignored (first: " +
                                            first_malformed_ + ")"});
    out.package_dbs.push_back(PackageDB{path_, "golang", Packages()});
  }

  std::vector<Package> Packages() const {
    std::vector<Package> pkgs;
    for (const Require& r : requires_) {
      Package p;
      p.type = "golang";
      p.name = r.path;
      p.version = r.version;
      p.extra["direct"] = r.indirect ? "false" : "true";
      // A versioned replace applies to that version only; an unversioned one to every version.
      const Replace* rep = nullptr;
      for (const Replace& x : replaces_)
        if (x.old_path == r.path && (x.old_version.empty() || x.old_version == r.version)) {
          if (!rep || !x.old_version.empty()) rep = &x;
        }
      if (rep) {
        if (IsLocalPath(rep->new_path) || rep->new_version.empty()) {
          p.extra["replaced_by"] = rep->new_path;
        } else {
          p.extra["replaces"] = p.name;
          p.extra["replaces_version"] = p.version;
          p.name = rep->new_path;
          p.version = rep->new_version;
        }
      }
      if (!go_.empty()) p.extra["go"] = go_;
      if (!toolchain_.empty()) p.extra["toolchain"] = toolchain_;
      if (!module_.empty()) p.extra["module"] = module_;
      p.upstream = p.version;
      p.src_version = p.version;
      p.src_upstream = p.version;
      p.db_path = path_;
      pkgs.push_back(std::move(p));
    }
    return pkgs;
  }

  std::string path_;
  std::string module_, go_, toolchain_;
  std::vector<Require> requires_;
  std::vector<Replace> replaces_;
  size_t malformed_ = 0;
  std::string first_malformed_;
};

bool IsNamed(std::string_view path, std::string_view base) {
  return path == base || (path.size() > base.size() && path.ends_with(base) && path[path.size() - base.size() - 1] == '/');
}

class GoModAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return "go_mod"; }
  AnalyzerGroup Group() const override { return AnalyzerGroup::kLang; }
  bool Wants(std::string_view path, const FileMeta&) const override {
    if (!IsNamed(path, "go.mod") && !IsNamed(path, "go.sum")) return false;
    // Vendored copies and the module download cache hold other modules' go.mod files.
    return path.find("vendor/") == std::string_view::npos && path.find("pkg/mod/") == std::string_view::npos;
  }
  void Analyze(const AnalysisInput& in, AnalysisResult& out) const override {
    if (IsNamed(in.path, "go.mod")) GoModParser(in.path).Parse(in.content, out);
  }
  bool NeedsView() const override { return true; }
  void AnalyzeView(const FileView& view, int /*layer*/, AnalysisResult& out) const override {
    for (const std::string& path : view.Paths()) {
      if (!IsNamed(path, "go.mod")) continue;
      auto mod = view.Read(path);
      if (!mod) continue;
      GoModParser parser(path);
      parser.Parse(*mod, out);
      const std::string sum_path = path.substr(0, path.size() - 6) + "go.sum";
      if (auto sum = view.Read(sum_path)) parser.ParseSum(sum_path, *sum, out);
    }
  }
};

}  // namespace

std::unique_ptr<Analyzer> Make_go_mod() { return std::make_unique<GoModAnalyzer>(); }

}  // namespace customs
