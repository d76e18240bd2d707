// yarn.lock, both formats.
//
// Classic (yarn 1, "# yarn lockfile v1"): no library reads it, so this is a hand-written parser.
// Entries are separated by blank lines; an entry's header is an unindented line ending in ':'
// listing the descriptors it satisfies ("lodash@^4.17.0, lodash@^4.17.15:"; descriptors may be
// quoted, "@babel/core@^7.0.0"); its fields are indented two spaces, "key value" (version,
// resolved, integrity, ...) or "key:" opening a block of four-space-indented "name range" lines
// (dependencies, optionalDependencies). Values may be double-quoted. An alias descriptor
// ("alias@npm:real@^1") names the real package. The file says nothing of direct or dev.
// A dependency "name range" is the entry whose header lists the descriptor "name@range": it is
// pinned to that entry's version ("name@version", core/types.h).
//
// Berry (yarn 2+, has "__metadata"): YAML (read with yaml-cpp). Keys are comma-separated
// descriptors, values hold version, resolution ("lodash@npm:4.17.21"), dependencies, checksum,
// languageName, linkType. Workspace entries ("app@workspace:.") are the project itself (skipped);
// the root workspace's dependencies are the direct ones. Dependencies "name: range" are pinned
// through the entry whose key lists "name@range" (berry writes npm ranges without the "npm:" its
// keys carry, so "name@npm:range" is tried too).
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

// The comma-separated descriptors of an entry's header or key, unquoted ("a@^1", "a@^1.2").
std::vector<std::string> Descriptors(std::string_view header) {
  std::vector<std::string> out;
  bool quoted = false;
  size_t start = 0;
  for (size_t i = 0; i <= header.size(); ++i) {
    if (i < header.size() && header[i] == '"') quoted = !quoted;
    if (i == header.size() || (header[i] == ',' && !quoted)) {
      std::string d = Unquote(header.substr(start, i - start));
      if (!d.empty()) out.push_back(std::move(d));
      start = i + 1;
    }
  }
  return out;
}

// Descriptor -> "name@version" of the entry that satisfies it.
using DescriptorMap = std::map<std::string, std::string>;

// The dependency "name range" pinned through the descriptors; `berry` also tries "name@npm:range".
std::string PinDescriptor(const DescriptorMap& pins, const std::string& name, const std::string& range, bool berry) {
  auto it = pins.find(name + "@" + range);
  if (it == pins.end() && berry && !range.starts_with("npm:")) it = pins.find(name + "@npm:" + range);
  return it == pins.end() ? name : it->second;
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
          if (!k.empty()) deps_.emplace_back(k, v);
        }
      }
    }
    Finish();
    DescriptorMap pins;
    for (size_t i = 0; i < pkgs_.size(); ++i)
      for (const auto& d : descriptors_[i]) pins.emplace(d, PinnedDepends(pkgs_[i].name, pkgs_[i].version));
    for (size_t i = 0; i < pkgs_.size(); ++i)
      for (const auto& [name, range] : raw_deps_[i])
        text::PushUnique(pkgs_[i].depends, PinDescriptor(pins, name, range, /*berry=*/false));
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
    std::vector<std::string> descriptors = Descriptors(header);
    std::string name = descriptors.empty() ? std::string() : RealName(descriptors.front());
    if (name.empty()) {
      Malformed(line_no);
      return;
    }
    pkg_ = npm::NewPackage(name, "", path_, "yarn.lock");
    descriptors_now_ = std::move(descriptors);
    deps_.clear();
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
    descriptors_.push_back(std::move(descriptors_now_));
    raw_deps_.push_back(std::move(deps_));
  }

  void Malformed(size_t line_no) {
    if (malformed_++ == 0) first_malformed_ = line_no;
  }

  std::string path_;
  Package pkg_;
  bool open_ = false;
  std::string block_;
  std::vector<std::string> descriptors_now_;
  std::vector<std::pair<std::string, std::string>> deps_;  // (name, range) of the open entry
  std::vector<Package> pkgs_;
  // Per package of pkgs_: the descriptors its header lists, its dependencies as (name, range).
  std::vector<std::vector<std::string>> descriptors_;
  std::vector<std::vector<std::pair<std::string, std::string>>> raw_deps_;
  size_t malformed_ = 0, first_malformed_ = 0, no_version_ = 0;
};


// The (name, range) pairs of a dependency map.
void MapPairs(const YAML::Node& n, const char* key, std::vector<std::pair<std::string, std::string>>& out) {
  if (!n.IsMap()) return;
  YAML::Node m = n[key];
  if (!m || !m.IsMap()) return;
  for (auto it = m.begin(); it != m.end(); ++it)
    if (it->first.IsScalar()) out.emplace_back(it->first.Scalar(), it->second.IsScalar() ? it->second.Scalar() : "");
}

void ParseBerry(const std::string& path, std::string_view content, AnalysisResult& out) {
  YAML::Node doc;
  try {
    doc = LoadDocument(content, path);
  } catch (const YAML::Exception& e) {
    out.diagnostics.push_back({path, std::string("invalid YAML: ") + e.what()});
    return;
  }
  if (!doc.IsMap()) {
    out.diagnostics.push_back({path, "not a YAML mapping; yarn.lock skipped"});
    return;
  }
  std::vector<Package> pkgs;
  std::vector<std::vector<std::pair<std::string, std::string>>> raw_deps;  // per package: (name, range)
  DescriptorMap pins;
  std::vector<std::string> root_deps;
  bool have_root = false;
  size_t skipped = 0;
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (!it->first.IsScalar() || it->first.Scalar() == "__metadata") continue;
    const YAML::Node e = it->second;
    std::string resolution = npm::YamlScalar(e, "resolution"), version = npm::YamlScalar(e, "version");
    if (resolution.empty()) resolution = it->first.Scalar();
    std::string_view res_name = npm::NameOfSpec(resolution);
    std::string_view protocol = std::string_view(resolution).substr(std::min(res_name.size() + 1, resolution.size()));
    if (protocol.starts_with("workspace:")) {
      if (protocol == "workspace:.") {
        have_root = true;
        npm::YamlMapKeys(e, "dependencies", root_deps);
        npm::YamlMapKeys(e, "devDependencies", root_deps);
        npm::YamlMapKeys(e, "optionalDependencies", root_deps);
      }
      continue;
    }
    if (res_name.empty() || version.empty()) {
      ++skipped;
      continue;
    }
    Package p = npm::NewPackage(std::string(res_name), version, path, "yarn.lock");
    p.extra["resolved"] = resolution;
    std::string checksum = npm::YamlScalar(e, "checksum");
    if (!checksum.empty()) p.extra["checksum"] = checksum;
    for (const auto& d : Descriptors(it->first.Scalar())) pins.emplace(d, PinnedDepends(p.name, p.version));
    raw_deps.emplace_back();
    MapPairs(e, "dependencies", raw_deps.back());
    MapPairs(e, "optionalDependencies", raw_deps.back());
    pkgs.push_back(std::move(p));
  }
  for (size_t i = 0; i < pkgs.size(); ++i)
    for (const auto& [name, range] : raw_deps[i])
      text::PushUnique(pkgs[i].depends, PinDescriptor(pins, name, range, /*berry=*/true));
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
      } catch (const LimitError&) {
        throw;  // the file is rejected as a whole (core/analyzer.h)
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
