// Helpers for the analyzer unit tests: real data from ../shared, archives, commands, temp dirs.
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/analyzer.h"

namespace customs::analyzers_test {

inline std::string SharedDir() { return std::string(CUSTOMS_SOURCE_DIR) + "/../shared"; }

inline std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void WriteFile(const std::string& path, std::string_view data) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
}

// Runs a shell command; returns its stdout, and its exit status in `status`.
inline std::string RunCommand(const std::string& cmd, int* status = nullptr) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) {
    if (status) *status = -1;
    return out;
  }
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int rc = pclose(p);
  if (status) *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return out;
}

inline bool HaveCommand(const std::string& name) {
  int st = 0;
  RunCommand("command -v " + name + " >/dev/null 2>&1", &st);
  return st == 0;
}

// The regular files of a (compressed) tarball whose normalized names are in `wanted`.
inline std::map<std::string, std::string> TarMembers(const std::string& tarball,
                                                     const std::vector<std::string>& wanted) {
  std::map<std::string, std::string> out;
  archive* a = archive_read_new();
  archive_read_support_filter_all(a);
  archive_read_support_format_all(a);
  if (archive_read_open_filename(a, tarball.c_str(), 1 << 16) != ARCHIVE_OK) {
    archive_read_free(a);
    return out;
  }
  archive_entry* e;
  while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
    std::string name = archive_entry_pathname(e);
    while (name.starts_with("./")) name.erase(0, 2);
    while (name.starts_with("/")) name.erase(0, 1);
    if (archive_entry_filetype(e) != AE_IFREG) continue;
    bool want = false;
    for (const auto& w : wanted) want = want || w == name;
    if (!want) continue;
    std::string data;
    char buf[65536];
    la_ssize_t n;
    while ((n = archive_read_data(a, buf, sizeof buf)) > 0) data.append(buf, static_cast<size_t>(n));
    out[name] = std::move(data);
  }
  archive_read_free(a);
  return out;
}

// The Alpine minirootfs tarballs in shared/images, with the version their name carries.
inline std::vector<std::pair<std::string, std::string>> AlpineTarballs() {
  std::vector<std::pair<std::string, std::string>> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(SharedDir() + "/images", ec)) {
    std::string name = e.path().filename().string();
    constexpr std::string_view kPrefix = "alpine-minirootfs-";
    if (!name.starts_with(kPrefix) || !name.ends_with("-x86_64.tar.gz")) continue;
    std::string version = name.substr(kPrefix.size(), name.size() - kPrefix.size() - 14);
    out.emplace_back(e.path().string(), version);
  }
  std::sort(out.begin(), out.end());
  return out;
}

class TempDir {
 public:
  TempDir() {
    const char* base = getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/customs-test-XXXXXX";
    if (mkdtemp(tmpl.data())) path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The registered analyzer `name` (through the registry, as the scanner makes them).
inline std::unique_ptr<Analyzer> MakeAnalyzer(std::string_view name) {
  for (const auto& e : AnalyzerRegistry())
    if (name == e.name) return e.make();
  return nullptr;
}

inline FileMeta Meta(std::string_view path, uint64_t size = 0) {
  FileMeta m;
  m.path = std::string(path);
  m.size = size;
  return m;
}

inline AnalysisResult AnalyzeOne(const Analyzer& a, std::string_view path, std::string_view content,
                                 int layer = 0) {
  AnalysisResult r;
  a.Analyze(AnalysisInput{path, content, layer}, r);
  return r;
}

inline const Package* FindPackage(const std::vector<Package>& pkgs, std::string_view name) {
  for (const auto& p : pkgs)
    if (p.name == name) return &p;
  return nullptr;
}

inline bool Contains(const std::vector<std::string>& v, std::string_view s) {
  for (const auto& x : v)
    if (x == s) return true;
  return false;
}

}  // namespace customs::analyzers_test
