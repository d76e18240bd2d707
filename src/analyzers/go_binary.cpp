// Go binaries: the build info the Go linker embeds in every executable (the ".go.buildinfo" ELF
// section): the toolchain version, the main module, and every dependency module with its version and
// replacement. The reader is hand-written (go_elf_util.cpp): no Debian C++ library reads it.
//
// Reported as one PackageDB per binary (path = the binary, type "golang"):
//   - one package per "dep" module; a replaced module is reported under the replacement's path and
//     version with extra "replaces" = original path (and "replaces_version"); a replacement by a
//     local directory (no version) keeps the original path/version and records extra "replaced_by";
//   - the main module ("mod" line) with extra "main" = "true" (its version is often "(devel)"); it
//     depends on every dependency module and on "stdlib" ("name@version", core/types.h): the build
//     info lists the modules linked in, not who imports whom. Go writes "dep" lines only with a "mod"
//     line, so whenever there are dependencies the main module is there to hold them;
//   - "stdlib" at the toolchain version in the form OSV's Go ecosystem uses ("go1.21.5" ->
//     "v1.21.5"), the original in extra "toolchain".
#include <algorithm>
#include <memory>
#include <string>
#include <string_view>

#include "analyzers/analyzer.h"
#include "analyzers/depends_util.h"
#include "analyzers/go_elf_util.h"

namespace customs {

std::string GoToolchainToSemver(std::string_view v);  // also used by the go.mod analyzer

namespace {

constexpr uint64_t kMinSize = 4096;

bool EndsWith(std::string_view s, std::string_view suf) { return s.ends_with(suf); }

// Files whose name says they are not an executable program (scripts, libraries, data).
bool ObviouslyNotExecutable(std::string_view path) {
  const size_t slash = path.rfind('/');
  const std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (base.find(".so.") != std::string_view::npos) return true;
  static constexpr std::string_view kSuffixes[] = {
      ".so",  ".a",   ".o",   ".ko",  ".py",   ".pyc",  ".pl",  ".pm",   ".rb",   ".sh",  ".bash",
      ".js",  ".mjs", ".ts",  ".php", ".lua",  ".tcl",  ".txt", ".md",   ".json", ".xml", ".yaml",
      ".yml", ".conf", ".cfg", ".ini", ".html", ".css", ".png", ".jpg", ".gif",  ".svg", ".jar",
      ".class", ".h", ".c",  ".cc", ".cpp", ".go",  ".rs",  ".gz",  ".xz",  ".zst", ".bz2", ".zip",
      ".tar", ".pem", ".crt", ".key", ".mo", ".dll", ".exe", ".dylib", ".ps1", ".bat"};
  for (std::string_view s : kSuffixes)
    if (EndsWith(base, s)) return true;
  return false;
}

Package MakePackage(std::string_view db_path, std::string name, std::string version) {
  Package p;
  p.type = "golang";
  p.name = std::move(name);
  p.version = std::move(version);
  p.upstream = p.version;
  p.src_version = p.version;
  p.src_upstream = p.version;
  p.db_path = std::string(db_path);
  return p;
}

bool IsLocalPath(std::string_view p) {
  return p.starts_with("./") || p.starts_with("../") || p.starts_with("/") || p == "." || p == "..";
}

Package ModulePackage(std::string_view db_path, const goelf::Module& m) {
  if (m.replace_path && !IsLocalPath(*m.replace_path) && !m.replace_version->empty()) {
    Package p = MakePackage(db_path, *m.replace_path, *m.replace_version);
    p.extra["replaces"] = m.path;
    if (!m.version.empty()) p.extra["replaces_version"] = m.version;
    if (m.replace_sum && !m.replace_sum->empty()) p.extra["checksum"] = *m.replace_sum;
    return p;
  }
  Package p = MakePackage(db_path, m.path, m.version);
  if (!m.sum.empty()) p.extra["checksum"] = m.sum;
  if (m.replace_path) p.extra["replaced_by"] = *m.replace_path;
  return p;
}

class GoBinaryAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return "go_binary"; }
  AnalyzerGroup Group() const override { return AnalyzerGroup::kLang; }
  bool KeepContent() const override { return false; }  // every executable: do not hold them after the walk
  bool Wants(std::string_view path, const FileMeta& meta) const override {
    return (meta.mode & 0111) != 0 && meta.size >= kMinSize && !ObviouslyNotExecutable(path);
  }
  void Analyze(const AnalysisInput& in, AnalysisResult& out) const override {
    if (!goelf::IsElf(in.content)) return;  // a script or other file with an executable bit
    std::string err;
    auto bi = goelf::ReadGoBuildInfo(in.content, &err);
    if (!bi) {
      if (!err.empty()) out.diagnostics.push_back({std::string(in.path), "Go build info: " + err});
      return;
    }
    const std::string path(in.path);
    goelf::ModInfo mi = goelf::ParseModInfo(bi->modinfo);
    std::string goarch;
    for (const auto& [k, v] : mi.build)
      if (k == "GOARCH") goarch = v;

    PackageDB db{path, "golang", {}};
    for (const auto& m : mi.deps) db.packages.push_back(ModulePackage(path, m));
    Package std_pkg = MakePackage(path, "stdlib", GoToolchainToSemver(bi->go_version));
    std_pkg.extra["toolchain"] = bi->go_version;
    if (mi.main) {
      Package p = ModulePackage(path, *mi.main);
      p.extra["main"] = "true";
      if (!mi.path.empty()) p.extra["package"] = mi.path;
      for (const auto& d : db.packages) {
        std::string entry = PinnedDepends(d.name, d.version);
        if (std::find(p.depends.begin(), p.depends.end(), entry) == p.depends.end()) p.depends.push_back(entry);
      }
      p.depends.push_back(PinnedDepends(std_pkg.name, std_pkg.version));
      db.packages.push_back(std::move(p));
    }
    db.packages.push_back(std::move(std_pkg));
    for (auto& p : db.packages) p.arch = goarch;
    if (mi.malformed_lines)
      out.diagnostics.push_back({path, "Go build info: " + std::to_string(mi.malformed_lines) +
                                           " malformed module info line(s) ignored"});
    out.package_dbs.push_back(std::move(db));
  }
};

}  // namespace

// "go1.21.5" -> "v1.21.5"; "go1.20" -> "v1.20.0"; "go1.21rc2" -> "v1.21.0-rc.2"; a suffix after a
// space ("go1.21.5 X:boringcrypto") is dropped. Anything else (e.g. "devel +abc") is kept as is.
std::string GoToolchainToSemver(std::string_view v) {
  std::string_view s = v.substr(0, v.find(' '));
  if (!s.starts_with("go1")) return std::string(v);
  s.remove_prefix(2);
  std::string pre;
  size_t cut = s.find_first_not_of("0123456789.");
  std::string_view num = s.substr(0, cut);
  if (cut != std::string_view::npos) {
    std::string_view tail = s.substr(cut);  // "rc2", "beta1"
    size_t d = tail.find_first_of("0123456789");
    pre = "-" + std::string(tail.substr(0, d));
    if (d != std::string_view::npos) pre += "." + std::string(tail.substr(d));
  }
  int dots = 0;
  for (char c : num) dots += c == '.';
  std::string out = "v" + std::string(num);
  if (dots == 1) out += ".0";
  return out + pre;
}

std::unique_ptr<Analyzer> Make_go_binary() { return std::make_unique<GoBinaryAnalyzer>(); }

}  // namespace customs
