// yarn.lock, both formats.
//
// Classic (yarn 1, "# yarn lockfile v1"): no library reads it, so this is a hand-written parser.
// Entries are separated by blank lines; an entry's header is an unindented line ending in ':'
// listing the descriptors it satisfies ("lodash@^4.17.0, lodash@^4.17.15:"; descriptors may be
// quoted, "@babel/core@^7.0.0"); its fields are indented two spaces, "key value" (version,
// resolved, integrity, ...) or "key:" opening a block of four-space-indented "name range" lines
// (dependencies, optionalDependencies). Values may be double-quoted. An alias descriptor
// ("alias@npm:real@^1") names the real package. The file says nothing of direct or dev.
//
// Berry (yarn 2+, has "__metadata"): YAML (read with yaml-cpp). Keys are comma-separated
// descriptors, values hold version, resolution ("lodash@npm:4.17.21"), dependencies, checksum,
// languageName, linkType. Workspace entries ("app@workspace:.") are the project itself (skipped);
// the root workspace's dependencies are the direct ones.
#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "analyzers/analyzer.h"
#include "analyzers/npm_util.h"
#include "analyzers/text_util.h"

namespace customs {

namespace {

size_t Indent(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && line[i] == ' ') ++i;
  return i;
}

// Removes surrounding double quotes (and the backslash of escaped characters inside them).
std::string Unquote(std::string_view s) {
  s = text::Trim(s);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') {
    std::string out;
    for (size_t i = 1; i + 1 < s.size(); ++i) {
      if (s[i] == '\\' && i + 2 < s.size()) ++i;
      out.push_back(s[i]);
    }
    return out;
  }
  return std::string(s);
}

// Splits `"key" value` / `key value` into key and value.
std::pair<std::string, std::string> KeyValue(std::string_view s) {
  s = text::Trim(s);
  size_t end;
  if (!s.empty() && s.front() == '"') {
    end = 1;
    while (end < s.size() && s[end] != '"') end += (s[end] == '\\') ? 2 : 1;
    end = std::min(end + 1, s.size());
  } else {
    end = s.find_first_of(" \t");
    if (end == std::string_view::npos) end = s.size();
  }
  return {Unquote(s.substr(0, end)), Unquote(s.substr(end))};
}

// "lodash@^4" -> lodash; "alias@npm:real@^1" -> real.
std::string RealName(std::string_view descriptor) {
  std::string_view name = npm::NameOfSpec(descriptor);
  if (name.size() < descriptor.size()) {
    std::string_view range = descriptor.substr(name.size() + 1);
    if (range.starts_with("npm:")) {
      std::string_view real = npm::NameOfSpec(range.substr(4));
      // "npm:^1.2.3" (yarn berry) names no other package.
      if (!real.empty() && real.size() < range.size() - 4 && real.front() != '^' && real.front() != '~' &&
          !(real.front() >= '0' && real.front() <= '9'))
        return std::string(real);
    }
  }
  return std::string(name);
}

class ClassicParser {
 public:
  explicit ClassicParser(std::string path) : path_(std::move(path)) {}

  void Parse(std::string_view content, AnalysisResult& out) {
    auto lines = text::Lines(content);
    for (size_t i = 0; i < lines.size(); ++i) {
      std::string_view line = lines[i];
      if (text::IsBlank(line) || text::Trim(line).front() == '#') continue;
      size_t indent = Indent(line);
      std::string_view body = text::Trim(line);
      if (indent == 0) {
        Finish();
        if (!body.ends_with(":")) {
          Malformed(i + 1);
          continue;
        }
        StartEntry(body.substr(0, body.size() - 1), i + 1);
      } else if (!open_) {
        Malformed(i + 1);
      } else if (indent <= 2) {
        block_.clear();
        if (body.ends_with(":")) {
          block_ = Unquote(body.substr(0, body.size() - 1));
          continue;
        }
        auto [k, v] = KeyValue(body);
        if (k == "version") pkg_.version = v;
        else if (k == "resolved") pkg_.extra["resolved"] = v;
        else if (k == "integrity") pkg_.extra["integrity"] = v;
        else if (k == "license") pkg_.licenses = {v};
      } else {
        if (block_ == "dependencies" || block_ == "optionalDependencies") {
          auto [k, v] = KeyValue(body);
          if (!k.empty()) text::PushUnique(pkg_.depends, k);
        }
      }
    }
    Finish();
    if (malformed_ > 0)
      out.diagnostics.push_back({path_, std::to_string(malformed_) + " malformed line(s) ignored (first at line " +
                                            std::to_string(first_malformed_) + ")"});
    if (no_version_ > 0)
      out.diagnostics.push_back({path_, std::to_string(no_version_) + " entr(y/ies) without version skipped"});
    out.package_dbs.push_back(PackageDB{path_, "npm", npm::MergeDuplicates(std::move(pkgs_))});
  }

 private:
  void StartEntry(std::string_view header, size_t line_no) {
    // The first descriptor names the package.
    std::string_view first = header;
    bool quoted = false;
    for (size_t i = 0; i < header.size(); ++i) {
      if (header[i] == '"') quoted = !quoted;
      if (header[i] == ',' && !quoted) {
        first = header.substr(0, i);
        break;
      }
    }
    std::string name = RealName(Unquote(first));
    if (name.empty()) {
      Malformed(line_no);
      return;
    }
    pkg_ = npm::NewPackage(name, "", path_, "yarn.lock");
    block_.clear();
    open_ = true;
  }

  void Finish() {
    if (!open_) return;
    open_ = false;
    if (pkg_.version.empty()) {
      ++no_version_;
      return;
    }
    pkg_.upstream = pkg_.src_version = pkg_.src_upstream = pkg_.version;
    pkgs_.push_back(std::move(pkg_));
  }

  void Malformed(size_t line_no) {
    if (malformed_++ == 0) first_malformed_ = line_no;
  }

  std::string path_;
  Package pkg_;
  bool open_ = false;
  std::string block_;
  std::vector<Package> pkgs_;
  size_t malformed_ = 0, first_malformed_ = 0, no_version_ = 0;
};

std::string Scalar(const YAML::Node& n, const char* key) {
  if (!n.IsMap()) return "";
  YAML::Node v = n[key];
  if (!v || !v.IsScalar()) return "";
  return v.Scalar();
}

void MapKeys(const YAML::Node& n, const char* key, std::vector<std::string>& out) {
  if (!n.IsMap()) return;
  YAML::Node m = n[key];
  if (!m || !m.IsMap()) return;
  for (auto it = m.begin(); it != m.end(); ++it)
    if (it->first.IsScalar()) text::PushUnique(out, it->first.Scalar());
}

void ParseBerry(const std::string& path, std::string_view content, AnalysisResult& out) {
  YAML::Node doc;
  try {
    doc = YAML::Load(std::string(content));
  } catch (const std::exception& e) {
    out.diagnostics.push_back({path, std::string("invalid YAML: ") + e.what()});
    return;
  }
  if (!doc.IsMap()) {
    out.diagnostics.push_back({path, "not a YAML mapping; yarn.lock skipped"});
    return;
  }
  std::vector<Package> pkgs;
  std::vector<std::string> root_deps;
  bool have_root = false;
  size_t skipped = 0;
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (!it->first.IsScalar() || it->first.Scalar() == "__metadata") continue;
    const YAML::Node e = it->second;
    std::string resolution = Scalar(e, "resolution"), version = Scalar(e, "version");
    if (resolution.empty()) resolution = it->first.Scalar();
    std::string_view res_name = npm::NameOfSpec(resolution);
    std::string_view protocol = std::string_view(resolution).substr(std::min(res_name.size() + 1, resolution.size()));
    if (protocol.starts_with("workspace:")) {
      if (protocol == "workspace:.") {
        have_root = true;
        MapKeys(e, "dependencies", root_deps);
        MapKeys(e, "devDependencies", root_deps);
        MapKeys(e, "optionalDependencies", root_deps);
      }
      continue;
    }
    if (res_name.empty() || version.empty()) {
      ++skipped;
      continue;
    }
    Package p = npm::NewPackage(std::string(res_name), version, path, "yarn.lock");
    p.extra["resolved"] = resolution;
    std::string checksum = Scalar(e, "checksum");
    if (!checksum.empty()) p.extra["checksum"] = checksum;
    MapKeys(e, "dependencies", p.depends);
    MapKeys(e, "optionalDependencies", p.depends);
    pkgs.push_back(std::move(p));
  }
  if (have_root)
    for (auto& p : pkgs)
      p.extra["direct"] =
          std::find(root_deps.begin(), root_deps.end(), p.name) != root_deps.end() ? "true" : "false";
  if (skipped > 0)
    out.diagnostics.push_back({path, std::to_string(skipped) + " entr(y/ies) without name or version skipped"});
  out.package_dbs.push_back(PackageDB{path, "npm", npm::MergeDuplicates(std::move(pkgs))});
}

bool IsBerry(std::string_view content) {
  return content.starts_with("__metadata:") || content.find("\n__metadata:") != std::string_view::npos;
}

class NpmYarnLockAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return "npm_yarn_lock"; }
  AnalyzerGroup Group() const override { return AnalyzerGroup::kLang; }
  bool Wants(std::string_view path, const FileMeta&) const override {
    return npm::IsFileNamed(path, "yarn.lock") && !npm::InNodeModules(path);
  }
  void Analyze(const AnalysisInput& in, AnalysisResult& out) const override {
    if (IsBerry(in.content)) {
      try {
        ParseBerry(std::string(in.path), in.content, out);
      } catch (const std::exception& e) {
        out.diagnostics.push_back({std::string(in.path), std::string("unreadable yarn lockfile: ") + e.what()});
      }
    }
    else ClassicParser(std::string(in.path)).Parse(in.content, out);
  }
};

}  // namespace

std::unique_ptr<Analyzer> Make_npm_yarn_lock() { return std::make_unique<NpmYarnLockAnalyzer>(); }

}  // namespace customs
