#include "analyzers/java_util.h"

#include "analyzers/app_package.h"

#include <cctype>
#include <vector>

#include "analyzers/text_util.h"

namespace customs::java {

namespace {

std::string_view Get(const std::map<std::string, std::string>& mf, const char* key) {
  auto it = mf.find(key);
  return it == mf.end() ? std::string_view() : std::string_view(it->second);
}

// Bundle-SymbolicName: "org.foo.bar;singleton:=true" -> "org.foo.bar".
std::string_view SymbolicName(std::string_view v) { return text::Trim(v.substr(0, v.find(';'))); }

bool HasSpace(std::string_view s) { return s.find_first_of(" \t") != std::string_view::npos; }

}  // namespace

PomProps ParsePomProperties(std::string_view content) {
  PomProps p;
  for (std::string_view line : text::Lines(content)) {
    line = text::Trim(line);
    if (line.empty() || line[0] == '#' || line[0] == '!') continue;
    const size_t sep = line.find_first_of("=: \t");
    if (sep == std::string_view::npos) continue;
    std::string_view key = line.substr(0, sep);
    std::string_view value = text::Trim(line.substr(sep + 1));
    if (line[sep] == ' ' || line[sep] == '\t') {
      if (!value.empty() && (value[0] == '=' || value[0] == ':')) value = text::Trim(value.substr(1));
    }
    if (key == "groupId") p.group = value;
    else if (key == "artifactId") p.artifact = value;
    else if (key == "version") p.version = value;
  }
  return p;
}

std::map<std::string, std::string> ParseManifest(std::string_view content) {
  std::map<std::string, std::string> mf;
  std::string* last = nullptr;
  for (std::string_view line : text::Lines(content)) {
    if (line.empty()) break;  // end of the main section
    if (line[0] == ' ') {
      if (last) last->append(line.substr(1));
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      last = nullptr;
      continue;
    }
    std::string key(text::Trim(line.substr(0, colon)));
    std::string& v = mf[key];
    v = std::string(line.substr(colon + 1));
    if (!v.empty() && v[0] == ' ') v.erase(0, 1);
    last = &v;
  }
  for (auto& [k, v] : mf) v = std::string(text::Trim(v));
  return mf;
}

ManifestId FromManifest(const std::map<std::string, std::string>& mf, std::string_view file_name) {
  ManifestId id;
  const std::string_view bsn = SymbolicName(Get(mf, "Bundle-SymbolicName"));
  const std::string_view amn = text::Trim(Get(mf, "Automatic-Module-Name"));
  // groupId hint.
  if (auto v = Get(mf, "Implementation-Vendor-Id"); !v.empty() && !HasSpace(v)) {
    id.group = v;
  } else if (size_t dot = bsn.rfind('.'); !bsn.empty() && dot != std::string_view::npos && dot > 0) {
    id.group = bsn.substr(0, dot);
  } else if (size_t d2 = amn.rfind('.'); !amn.empty() && d2 != std::string_view::npos && d2 > 0) {
    id.group = amn.substr(0, d2);
  }
  // artifactId candidates.
  std::vector<std::string> cands;
  auto add = [&](std::string_view v) {
    v = text::Trim(v);
    if (!v.empty() && !HasSpace(v)) cands.emplace_back(v);
  };
  add(Get(mf, "Implementation-Title"));
  if (!bsn.empty()) {
    size_t dot = bsn.rfind('.');
    add(dot == std::string_view::npos ? bsn : bsn.substr(dot + 1));
  }
  if (!amn.empty()) {
    size_t dot = amn.rfind('.');
    add(dot == std::string_view::npos ? amn : amn.substr(dot + 1));
  }
  add(Get(mf, "Specification-Title"));
  add(Get(mf, "Bundle-Name"));
  if (cands.empty()) return id;
  id.artifact = cands.front();
  const FileNameId fid = ParseFileName(file_name);
  if (!fid.artifact.empty())
    for (const auto& c : cands)
      if (c == fid.artifact) id.artifact = c;
  // The group hint of an OSGi name often ends with the artifact ("org.foo.bar" for artifact bar).
  // version.
  for (const char* key : {"Implementation-Version", "Bundle-Version", "Specification-Version"}) {
    std::string_view v = text::Trim(Get(mf, key));
    if (!v.empty() && !HasSpace(v)) {
      id.version = v;
      break;
    }
  }
  return id;
}

FileNameId ParseFileName(std::string_view file_name) {
  FileNameId id;
  const size_t dot = file_name.rfind('.');
  if (dot == std::string_view::npos) return id;
  std::string_view stem = file_name.substr(0, dot);
  for (size_t i = stem.size(); i-- > 1;) {
    if (stem[i - 1] == '-' && std::isdigit(static_cast<unsigned char>(stem[i]))) {
      if (i - 1 == 0) break;
      id.artifact = stem.substr(0, i - 1);
      id.version = stem.substr(i);
      return id;
    }
  }
  return id;
}

RepoCoords FromRepositoryPath(std::string_view path) {
  RepoCoords c;
  size_t start = std::string_view::npos;
  for (std::string_view marker : {std::string_view(".m2/repository/"), std::string_view("maven-repo/")}) {
    size_t at = path.find(marker);
    if (at != std::string_view::npos && (at == 0 || path[at - 1] == '/')) {
      start = at + marker.size();
      break;
    }
  }
  if (start == std::string_view::npos) return c;
  std::vector<std::string_view> parts;
  std::string_view rest = path.substr(start);
  for (size_t pos = 0;;) {
    size_t slash = rest.find('/', pos);
    parts.push_back(rest.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos));
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  if (parts.size() < 4) return c;
  const std::string_view file = parts.back(), version = parts[parts.size() - 2], artifact = parts[parts.size() - 3];
  const std::string prefix = std::string(artifact) + "-" + std::string(version);
  if (artifact.empty() || version.empty() || !file.starts_with(prefix) || file.size() == prefix.size() ||
      (file[prefix.size()] != '.' && file[prefix.size()] != '-'))
    return c;
  std::string group;
  for (size_t i = 0; i + 3 < parts.size(); ++i) {
    if (parts[i].empty()) return c;
    group += (group.empty() ? "" : ".") + std::string(parts[i]);
  }
  c.group = std::move(group);
  c.artifact = artifact;
  c.version = version;
  // "debian", or digits-and-dots ending in ".x" ("0.x", "1.2.x").
  bool generic = version == "debian";
  if (!generic && version.size() > 2 && version.ends_with(".x")) {
    generic = true;
    for (char ch : version.substr(0, version.size() - 2))
      if (!(std::isdigit(static_cast<unsigned char>(ch)) || ch == '.')) generic = false;
  }
  c.debian_alias = generic;
  return c;
}

Package MakePackage(std::string name, std::string version, const std::string& db_path) {
  return MakeAppPackage("maven", std::move(name), std::move(version), db_path);
}

}  // namespace customs::java
