#include "support/scenarios.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace customs_test {

namespace {

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  return s.substr(i);
}

std::string StripDotSlash(std::string p) {
  if (p.rfind("./", 0) == 0) p = p.substr(2);
  return p;
}

}  // namespace

AlpineTwoLayer PrepareAlpineTwoLayer(const AlpineRootfsFile& rootfs) {
  AlpineTwoLayer s;
  s.version = rootfs.version;
  s.layer0 = ReadTarEntries(rootfs.path);
  std::string db, release;
  for (const auto& e : s.layer0) {
    std::string p = StripDotSlash(e.path);
    if (p == "lib/apk/db/installed") db = e.content;
    if (p == "etc/alpine-release") release = e.content;
  }
  if (db.empty()) throw std::runtime_error(rootfs.path + ": no lib/apk/db/installed");
  s.alpine_release = Trim(release);
  auto before = ParseApkInstalled(db);
  for (const auto& p : before) s.layer0_packages.insert({p.name, p.version});

  // The package to delete: a small leaf one every minirootfs has, else the last with files.
  const ApkPackage* victim = nullptr;
  for (const char* want : {"scanelf", "libc-utils", "alpine-keys", "ssl_client"}) {
    for (const auto& p : before)
      if (p.name == want && !p.files.empty()) victim = &p;
    if (victim) break;
  }
  if (!victim) {
    for (const auto& p : before)
      if (!p.files.empty()) victim = &p;
  }
  if (!victim) throw std::runtime_error(rootfs.path + ": no package with files");
  s.deleted_package = victim->name;
  s.deleted_files = victim->files;

  std::string new_db = RemoveApkStanza(db, victim->name);
  for (const auto& p : ParseApkInstalled(new_db)) s.expected.insert({p.name, p.version});

  for (const auto& f : victim->files) s.layer1.push_back(TarEntry::Whiteout(f));
  s.layer1.push_back(TarEntry::Dir("lib/", 0755));
  s.layer1.push_back(TarEntry::Dir("lib/apk/", 0755));
  s.layer1.push_back(TarEntry::Dir("lib/apk/db/", 0755));
  s.layer1.push_back(TarEntry::File("lib/apk/db/installed", new_db, 0644));
  s.layer1.push_back(TarEntry::Dir("etc/", 0755));
  s.layer1.push_back(TarEntry::File("etc/customs-e2e.txt", "added by the second layer\n", 0644));
  return s;
}

JsonRun RunCustomsJson(const std::vector<std::string>& args, const RunOptions& opts) {
  std::vector<std::string> a = args;
  bool has_format = false;
  std::string output;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == "-f" || a[i] == "--format") has_format = true;
    if ((a[i] == "-o" || a[i] == "--output") && i + 1 < a.size()) output = a[i + 1];
  }
  if (!has_format) a.insert(a.end(), {"-f", "json"});
  JsonRun r;
  r.run = RunCustoms(a, opts);
  std::string text = r.run.out;
  if (!output.empty()) {
    try {
      text = ReadFile(output);
    } catch (const std::exception& e) {
      r.parse_error = e.what();
      return r;
    }
  }
  r.report = ParseJson(text, &r.parse_error);
  return r;
}

std::vector<nlohmann::json> ReportPackages(const nlohmann::json& report, const std::string& type) {
  std::vector<nlohmann::json> out;
  if (!report.is_object() || !report.contains("targets") || !report["targets"].is_array()) return out;
  for (const auto& t : report["targets"]) {
    if (!type.empty() && Str(t, "type") != type) continue;
    if (!t.contains("packages") || !t["packages"].is_array()) continue;
    for (const auto& p : t["packages"]) out.push_back(p);
  }
  return out;
}

NameVersionSet ReportNameVersions(const nlohmann::json& report, const std::string& type) {
  NameVersionSet s;
  for (const auto& p : ReportPackages(report, type)) s.insert({Str(p, "name"), Str(p, "version")});
  return s;
}

std::string Str(const nlohmann::json& j, const std::string& key) {
  if (!j.is_object() || !j.contains(key)) return "";
  const auto& v = j[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

std::vector<std::string> ErrorLines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream ss(text);
  for (std::string l; std::getline(ss, l);)
    if (l.rfind("customs: error: ", 0) == 0) out.push_back(l);
  return out;
}

std::string DescribeDiff(const NameVersionSet& expected, const NameVersionSet& actual) {
  std::ostringstream ss;
  size_t missing = 0, extra = 0;
  for (const auto& e : expected)
    if (!actual.count(e) && missing++ < 20) ss << "\n  missing: " << e.first << " " << e.second;
  for (const auto& a : actual)
    if (!expected.count(a) && extra++ < 20) ss << "\n  unexpected: " << a.first << " " << a.second;
  return "expected " + std::to_string(expected.size()) + ", got " + std::to_string(actual.size()) + " (" +
         std::to_string(missing) + " missing, " + std::to_string(extra) + " unexpected)" + ss.str();
}

}  // namespace customs_test
