// Rust binaries built with cargo-auditable: the crate dependency tree the tool links into the ELF
// section ".dep-v0". The format (cargo-auditable's PARSING.md and cargo-auditable.schema.json) is
// zlib-compressed UTF-8 JSON:
//   {"format": N, "packages": [{"name": "serde", "version": "1.0.188", "source": "crates.io",
//                               "kind": "build", "root": true, "dependencies": [3, 7]}, ...]}
// "source" is "crates.io", "git", "local", "registry" or another string (older writers: an object
// {"Other": "..."}); "kind" is "runtime" when absent; "root" false when absent; "dependencies" are
// indices into "packages". The format allows zero or several roots and cycles: nothing here walks
// the graph, edges are only listed.
//
// Reported as one PackageDB per binary (path = the binary, type "cargo"); each crate has extra
// "source", "kind" ("runtime" or "build") and, for the root crate, "root" = "true"; its dependencies
// are listed in Package.depends as "name@version" (core/types.h: the exact versions are known).
//
// The section is attacker-controlled: compressed and decompressed sizes are bounded (8 MiB of JSON
// is what the format's authors call more than enough; larger means a decompression bomb), names and
// versions are bounded, and so is the total text of the dependency lists (a package list where every
// crate depends on every other one would otherwise multiply long names quadratically). Malformed
// data gives a diagnostic, never an exception.
//
// The binary is claimed by the same rule as go_binary (goelf::LooksLikeExecutable), so the walker
// reads each executable once for both; a file without the ELF magic is dropped on its first bytes,
// and one without a ".dep-v0" section after its section headers.
#include <zlib.h>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "analyzers/analyzer.h"
#include "analyzers/depends_util.h"
#include "analyzers/go_elf_util.h"
#include "formats/json.h"

namespace customs {

namespace {

using json = nlohmann::json;

constexpr std::string_view kSection = ".dep-v0";
constexpr size_t kMaxCompressedBytes = 8u << 20;
constexpr size_t kMaxJsonBytes = 8u << 20;
constexpr size_t kMaxFieldBytes = 256;          // crate names are at most 64 characters on crates.io
constexpr size_t kMaxDependsBytes = 16u << 20;  // all "name@version" strings of one binary together

std::string Plural(size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

// Inflates a zlib stream into `out`, at most `limit` bytes. Returns an error message, or "" on success.
std::string InflateBounded(std::string_view in, size_t limit, std::string& out) {
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) return "zlib initialisation failed";
  struct Guard {
    z_stream* z;
    ~Guard() { inflateEnd(z); }
  } guard{&zs};
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());  // in.size() <= kMaxCompressedBytes
  char buf[1 << 16];
  for (;;) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    const int rc = inflate(&zs, Z_NO_FLUSH);
    const size_t got = sizeof buf - zs.avail_out;
    if (got > limit - out.size())
      return "decompresses to more than " + std::to_string(limit) + " bytes (decompression bomb?)";
    out.append(buf, got);
    if (rc == Z_STREAM_END) return "";
    if (rc == Z_BUF_ERROR) return "truncated zlib stream";  // no progress possible: input ended early
    if (rc == Z_NEED_DICT) return "zlib stream needs a preset dictionary";
    if (rc != Z_OK) return std::string("corrupt zlib stream: ") + (zs.msg ? zs.msg : "inflate error");
  }
}

// "crates.io", or the string inside {"Other": "..."}; "" when absent or of another shape.
std::string SourceOf(const json& pkg) {
  auto it = pkg.find("source");
  if (it == pkg.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object()) {
    auto o = it->find("Other");
    if (o != it->end() && o->is_string()) return o->get<std::string>();
  }
  return "";
}

bool ShortString(const json& obj, const char* key, std::string& out) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) return false;
  const auto& s = it->get_ref<const std::string&>();
  if (s.empty() || s.size() > kMaxFieldBytes) return false;
  out = s;
  return true;
}

}  // namespace

// The decompressed JSON of a ".dep-v0" section (exposed for the tests and the fuzz target).
void ParseCargoAuditJson(std::string_view binary_path, std::string_view text, AnalysisResult& out) {
  const std::string path(binary_path);
  auto diag = [&](const std::string& msg) { out.diagnostics.push_back({path, "cargo-auditable data: " + msg}); };
  json doc = ParseJsonOrDiscarded(text, path);
  if (doc.is_discarded()) return diag("not valid JSON");
  if (!doc.is_object()) return diag("not a JSON object");
  auto pkgs_it = doc.find("packages");
  if (pkgs_it == doc.end() || !pkgs_it->is_array()) return diag("no \"packages\" array");
  const json& pkgs = *pkgs_it;

  // First the crates (their index is their identity), then the edges between the valid ones.
  std::vector<Package> packages(pkgs.size());
  std::vector<bool> valid(pkgs.size(), false);
  size_t bad_packages = 0, roots = 0;
  for (size_t i = 0; i < pkgs.size(); ++i) {
    const json& e = pkgs[i];
    Package& p = packages[i];
    if (!e.is_object() || !ShortString(e, "name", p.name) || !ShortString(e, "version", p.version)) {
      ++bad_packages;
      continue;
    }
    valid[i] = true;
    p.type = "cargo";
    p.upstream = p.src_version = p.src_upstream = p.version;
    p.db_path = path;
    if (std::string src = SourceOf(e); !src.empty()) p.extra["source"] = src.substr(0, kMaxFieldBytes);
    std::string kind = "runtime";
    if (auto k = e.find("kind"); k != e.end() && k->is_string() && !k->get_ref<const std::string&>().empty())
      kind = k->get_ref<const std::string&>().substr(0, kMaxFieldBytes);
    p.extra["kind"] = kind;
    if (auto r = e.find("root"); r != e.end() && r->is_boolean() && r->get<bool>()) {
      p.extra["root"] = "true";
      ++roots;
    }
  }

  size_t bad_edges = 0, depends_bytes = 0;
  bool depends_cut = false;
  std::vector<size_t> targets;
  for (size_t i = 0; i < pkgs.size(); ++i) {
    if (!valid[i]) continue;
    auto deps = pkgs[i].find("dependencies");
    if (deps == pkgs[i].end()) continue;
    if (!deps->is_array()) {
      ++bad_edges;
      continue;
    }
    targets.clear();
    for (const json& d : *deps) {
      // Non-negative integers parse as unsigned; negatives, fractions and numbers past 2^64
      // (parsed as floating point) are not indices.
      if (!d.is_number_unsigned()) {
        ++bad_edges;
        continue;
      }
      const uint64_t t = d.get<uint64_t>();
      if (t >= pkgs.size() || t == i || !valid[t]) {
        ++bad_edges;
        continue;
      }
      targets.push_back(static_cast<size_t>(t));
    }
    std::sort(targets.begin(), targets.end());
    targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
    for (size_t t : targets) {
      if (depends_cut) break;  // once cut, no later (shorter) entry may slip in: the cut is one point
      std::string dep = PinnedDepends(packages[t].name, packages[t].version);
      if (dep.size() > kMaxDependsBytes - depends_bytes) {
        depends_cut = true;
        continue;
      }
      depends_bytes += dep.size();
      packages[i].depends.push_back(std::move(dep));
    }
  }

  PackageDB db{path, "cargo", {}};
  for (size_t i = 0; i < packages.size(); ++i)
    if (valid[i]) db.packages.push_back(std::move(packages[i]));
  if (bad_packages) diag(Plural(bad_packages, "package entry", "package entries") + " without a valid name or version skipped");
  if (bad_edges) diag(Plural(bad_edges, "invalid dependency reference", "invalid dependency references") + " ignored");
  if (depends_cut) diag("dependency lists cut at " + std::to_string(kMaxDependsBytes) + " bytes");
  if (roots > 1) diag(std::to_string(roots) + " packages marked as root (the format expects one)");
  out.package_dbs.push_back(std::move(db));
}

// The raw (compressed) ".dep-v0" section (exposed for the tests and the fuzz target).
void ParseCargoAuditSection(std::string_view binary_path, std::string_view compressed, AnalysisResult& out) {
  auto diag = [&](const std::string& msg) {
    out.diagnostics.push_back({std::string(binary_path), "cargo-auditable data: " + msg});
  };
  if (compressed.size() > kMaxCompressedBytes)
    return diag("section " + std::string(kSection) + " of " + std::to_string(compressed.size()) +
                " bytes is larger than the limit of " + std::to_string(kMaxCompressedBytes));
  std::string text;
  if (std::string err = InflateBounded(compressed, kMaxJsonBytes, text); !err.empty()) return diag(err);
  ParseCargoAuditJson(binary_path, text, out);
}

namespace {

class RustBinaryAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return "rust_binary"; }
  AnalyzerGroup Group() const override { return AnalyzerGroup::kLang; }
  bool KeepContent() const override { return false; }  // every executable: do not hold them after the walk
  bool Wants(std::string_view path, const FileMeta& meta) const override {
    return goelf::LooksLikeExecutable(path, meta.mode, meta.size);
  }
  void Analyze(const AnalysisInput& in, AnalysisResult& out) const override {
    if (!goelf::IsElf(in.content)) return;  // a script or other file with an executable bit
    auto elf = goelf::ParseElf(in.content, nullptr);
    if (!elf) return;  // not a readable ELF file: nothing says it is a Rust one
    const bool has_section = std::any_of(elf->sections.begin(), elf->sections.end(),
                                         [](const goelf::Section& s) { return s.name == kSection; });
    if (!has_section) return;
    auto data = goelf::SectionData(*elf, in.content, kSection);
    if (!data) {
      out.diagnostics.push_back({std::string(in.path), "cargo-auditable data: section " + std::string(kSection) +
                                                           " lies outside the file or has no contents"});
      return;
    }
    ParseCargoAuditSection(in.path, *data, out);
  }
};

}  // namespace

std::unique_ptr<Analyzer> Make_rust_binary() { return std::make_unique<RustBinaryAnalyzer>(); }

}  // namespace customs
