// go.mod: the module's requirements (golang.org/ref/mod#go-mod-file). Hand-written parser of the
// line-based grammar: "module", "go", "toolchain", "require", "replace", "exclude", "retract", each
// either on one line or as a parenthesized block. Reported as PackageDB{path, "golang"}:
//   - one package per required module; "// indirect" -> extra direct=false (else direct=true);
//   - "replace OLD [V] => NEW V" reports NEW at V with extra "replaces" = OLD; a replacement by a
//     local directory keeps OLD at its required version with extra "replaced_by" = the directory;
//   - the "go" directive goes to extra "go" of every package ("toolchain" to extra "toolchain").
// go.sum lists hashes of every module version the build may consult, not the selected ones, so it
// is not read as an inventory (it would report superseded versions).
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/text_util.h"

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
    PackageDB db{path_, "golang", {}};
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
      db.packages.push_back(std::move(p));
    }
    out.package_dbs.push_back(std::move(db));
  }

  std::string path_;
  std::string module_, go_, toolchain_;
  std::vector<Require> requires_;
  std::vector<Replace> replaces_;
  size_t malformed_ = 0;
  std::string first_malformed_;
};

class GoModAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return "go_mod"; }
  AnalyzerGroup Group() const override { return AnalyzerGroup::kLang; }
  bool Wants(std::string_view path, const FileMeta&) const override {
    if (path != "go.mod" && !path.ends_with("/go.mod")) return false;
    // Vendored copies and the module download cache hold other modules' go.mod files.
    return path.find("vendor/") == std::string_view::npos && path.find("pkg/mod/") == std::string_view::npos;
  }
  void Analyze(const AnalysisInput& in, AnalysisResult& out) const override {
    GoModParser(in.path).Parse(in.content, out);
  }
};

}  // namespace

std::unique_ptr<Analyzer> Make_go_mod() { return std::make_unique<GoModAnalyzer>(); }

}  // namespace customs
