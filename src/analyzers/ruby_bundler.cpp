// Ruby: Gemfile.lock (Bundler) and installed gem specifications (specifications/*.gemspec).
//
// Gemfile.lock is hand-parsed (no C++ reader exists). Bundler writes sections at column 0 (GEM,
// GIT, PATH, PLUGIN SOURCE, PLATFORMS, DEPENDENCIES, RUBY VERSION, BUNDLED WITH); source sections
// hold "  remote: ..." and "  specs:", then one spec per 4-space line "name (version[-platform])",
// its dependencies on 6-space lines "dep (constraints)". DEPENDENCIES lists the Gemfile's direct
// gems at 2 spaces ("rails (~> 7.0)", "mygem!" for git/path sources).
// extra: "platform" (when the version carries one), "source" (GEM/GIT/PATH), "direct". A spec's
// dependencies are pinned to "name@version" (core/types.h) of the lock's spec of that name (the same
// version may be locked for several platforms; a name locked at several versions stays bare).
//
// specifications/NAME-VERSION.gemspec is the Ruby file RubyGems generates on install:
//   s.name = "rake".freeze
//   s.version = "13.0.6"
//   s.licenses = ["MIT".freeze]
// Only those assignment lines are read (any receiver name: "s.", "spec."). extra: "source" = "gemspec"
// (an installed gem, as opposed to one a Gemfile.lock names).
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/app_package.h"
#include "analyzers/analyzer.h"
#include "analyzers/depends_util.h"
#include "analyzers/text_util.h"

namespace customs {

namespace {

using text::BaseName;

size_t Indent(std::string_view line) {
  size_t n = 0;
  while (n < line.size() && line[n] == ' ') ++n;
  return n;
}

Package MakeGem(std::string name, std::string version, const std::string& db_path) {
  return MakeAppPackage("gem", std::move(name), std::move(version), db_path);
}

// "nokogiri (1.13.10-x86_64-linux)" -> name, version, platform. False when not of that form.
bool SplitSpec(std::string_view s, std::string& name, std::string& version, std::string& platform) {
  const size_t open = s.find(" (");
  if (open == std::string_view::npos || open == 0 || !s.ends_with(")")) return false;
  name = s.substr(0, open);
  std::string_view v = s.substr(open + 2, s.size() - open - 3);
  platform.clear();
  if (size_t dash = v.find('-'); dash != std::string_view::npos) {
    platform = v.substr(dash + 1);
    v = v.substr(0, dash);
  }
  version = v;
  return !name.empty() && !version.empty() && name.find(' ') == std::string::npos;
}

void ParseGemfileLock(const std::string& path, std::string_view content, AnalysisResult& out) {
  std::vector<Package> pkgs;
  std::set<std::string> direct;
  std::string section;
  bool in_specs = false;
  size_t bad = 0, first_bad = 0, line_no = 0;
  for (std::string_view line : text::Lines(content)) {
    ++line_no;
    if (text::IsBlank(line)) continue;
    const size_t ind = Indent(line);
    std::string_view body = text::Trim(line);
    if (ind == 0) {
      section = body;
      in_specs = false;
      continue;
    }
    const bool source = section == "GEM" || section == "GIT" || section == "PATH" || section == "PLUGIN SOURCE";
    if (source) {
      if (ind == 2) {
        in_specs = body == "specs:";
        continue;
      }
      if (!in_specs) continue;
      if (ind == 4) {
        std::string name, version, platform;
        if (!SplitSpec(body, name, version, platform)) {
          if (bad++ == 0) first_bad = line_no;
          continue;
        }
        Package p = MakeGem(name, version, path);
        if (!platform.empty()) p.extra["platform"] = platform;
        p.extra["source"] = section;
        pkgs.push_back(std::move(p));
      } else if (ind == 6 && !pkgs.empty()) {
        std::string_view dep = body.substr(0, body.find(' '));
        if (!dep.empty()) text::PushUnique(pkgs.back().depends, std::string(dep));
      }
    } else if (section == "DEPENDENCIES" && ind == 2) {
      std::string_view dep = body.substr(0, body.find(' '));
      if (dep.ends_with("!")) dep.remove_suffix(1);
      if (!dep.empty()) direct.insert(std::string(dep));
    }
  }
  LockIndex index;
  for (const auto& p : pkgs) index.Add(p.name, p.version);
  for (auto& p : pkgs) {
    p.extra["direct"] = direct.count(p.name) ? "true" : "false";
    for (auto& d : p.depends) d = index.Pin(d);
  }
  if (bad)
    out.diagnostics.push_back({path, std::to_string(bad) + " spec line(s) not of the form \"name (version)\" ignored "
                                                           "(first at line " + std::to_string(first_bad) + ")"});
  out.package_dbs.push_back(PackageDB{path, "gem", std::move(pkgs)});
}

// The first string literal of `s` ("x" or 'x'), or nullopt.
bool FirstString(std::string_view s, std::string& value) {
  const size_t open = s.find_first_of("\"'");
  if (open == std::string_view::npos) return false;
  const size_t close = s.find(s[open], open + 1);
  if (close == std::string_view::npos) return false;
  value = s.substr(open + 1, close - open - 1);
  return true;
}

// All string literals of `s`.
std::vector<std::string> Strings(std::string_view s) {
  std::vector<std::string> out;
  std::string v;
  while (FirstString(s, v)) {
    out.push_back(v);
    const size_t open = s.find_first_of("\"'");
    s = s.substr(s.find(s[open], open + 1) + 1);
  }
  return out;
}

void ParseGemspec(const std::string& path, std::string_view content, AnalysisResult& out) {
  std::string name, version;
  std::vector<std::string> licenses;
  for (std::string_view line : text::Lines(content)) {
    line = text::Trim(line);
    const size_t dot = line.find('.');
    const size_t eq = line.find(" = ");
    if (dot == std::string_view::npos || eq == std::string_view::npos || dot > eq) continue;
    std::string_view attr = text::Trim(line.substr(dot + 1, eq - dot - 1));
    std::string_view rhs = line.substr(eq + 3);
    if (attr == "name" && name.empty()) FirstString(rhs, name);
    else if (attr == "version" && version.empty()) FirstString(rhs, version);
    else if (attr == "licenses" || attr == "license")
      for (auto& l : Strings(rhs)) text::PushUnique(licenses, l);
  }
  if (name.empty() || version.empty()) {
    out.diagnostics.push_back({path, "gemspec without a literal name or version assignment; skipped"});
    out.package_dbs.push_back(PackageDB{path, "gem", {}});
    return;
  }
  Package p = MakeGem(name, version, path);
  p.licenses = std::move(licenses);
  p.extra["source"] = "gemspec";
  out.package_dbs.push_back(PackageDB{path, "gem", {std::move(p)}});
}

class RubyBundlerAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return "ruby_bundler"; }
  AnalyzerGroup Group() const override { return AnalyzerGroup::kLang; }
  bool Wants(std::string_view path, const FileMeta&) const override {
    if (BaseName(path) == "Gemfile.lock") return true;
    return path.ends_with(".gemspec") &&
           (path.starts_with("specifications/") || path.find("/specifications/") != std::string_view::npos);
  }
  void Analyze(const AnalysisInput& in, AnalysisResult& out) const override {
    const std::string path(in.path);
    if (BaseName(in.path) == "Gemfile.lock") ParseGemfileLock(path, in.content, out);
    else ParseGemspec(path, in.content, out);
  }
};

}  // namespace

std::unique_ptr<Analyzer> Make_ruby_bundler() { return std::make_unique<RubyBundlerAnalyzer>(); }

}  // namespace customs
