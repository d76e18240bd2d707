// rust_binary analyzer: the crate list cargo-auditable links into Rust executables (".dep-v0").
//
// cargo-auditable itself is not packaged in Debian (and crates.io is out of reach here), so the
// section is made the way the format's description (cargo-auditable's PARSING.md and its JSON
// schema) says it is: the JSON dependency list, zlib-compressed, in an ELF section named ".dep-v0".
// It is added with objcopy to a real executable that rustc builds here. Hostile sections (truncated
// or corrupt zlib, a decompression bomb, bad JSON, out-of-range or non-integer indices, oversized
// fields, quadratic dependency lists, a section header pointing outside the file) must give
// diagnostics, never a crash.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <zlib.h>

#include <filesystem>
#include <set>

#include "analyzers/go_elf_util.h"
#include "analyzers_test_util.h"
#include "inventory/inventory.h"
#include "inventory/purl.h"
#include "source/source.h"
#include "walker/walker.h"

namespace customs {
void ParseCargoAuditSection(std::string_view binary_path, std::string_view compressed, AnalysisResult& out);
void ParseCargoAuditJson(std::string_view binary_path, std::string_view text, AnalysisResult& out);
namespace {

using namespace analyzers_test;
namespace fs = std::filesystem;

std::string Rustc() {
  if (HaveCommand("rustc")) return "rustc";
  const char* home = getenv("HOME");
  if (home && fs::exists(std::string(home) + "/.cargo/bin/rustc")) return std::string(home) + "/.cargo/bin/rustc";
  return "";
}

std::string Zlib(std::string_view data) {
  uLongf n = compressBound(static_cast<uLong>(data.size()));
  std::string out(n, '\0');
  int rc = compress2(reinterpret_cast<Bytef*>(out.data()), &n, reinterpret_cast<const Bytef*>(data.data()),
                     static_cast<uLong>(data.size()), Z_BEST_COMPRESSION);
  EXPECT_EQ(rc, Z_OK);
  out.resize(n);
  return out;
}

// A real Rust program, built once for the whole suite.
class RustBinaryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string rustc = Rustc();
    if (rustc.empty() || !HaveCommand("objcopy")) return;
    dir_ = new TempDir();
    WriteFile(dir_->path() + "/main.rs", "fn main() { println!(\"hello from rust\"); }\n");
    int st = 0;
    build_log_ = new std::string(RunCommand("cd '" + dir_->path() + "' && " + rustc +
                                                " -O -o hello main.rs 2>&1",
                                            &st));
    if (st == 0) binary_ = new std::string(dir_->path() + "/hello");
  }
  static void TearDownTestSuite() {
    delete binary_;
    delete build_log_;
    delete dir_;
    binary_ = nullptr;
    build_log_ = nullptr;
    dir_ = nullptr;
  }
  void SetUp() override {
    a_ = MakeAnalyzer("rust_binary");
    ASSERT_NE(a_, nullptr);
    if (!dir_) GTEST_SKIP() << "no rustc or objcopy: cannot build a Rust executable";
    ASSERT_NE(binary_, nullptr) << "rustc failed: " << *build_log_;
  }

  // The test binary with `section` added as ".dep-v0" (objcopy, as a non-loaded read-only section).
  static std::string WithSection(std::string_view section, const std::string& name = "auditable") {
    const std::string sec = dir_->path() + "/" + name + ".dep", out = dir_->path() + "/" + name;
    WriteFile(sec, section);
    int st = 0;
    std::string log = RunCommand("objcopy --add-section .dep-v0='" + sec +
                                     "' --set-section-flags .dep-v0=noload,readonly '" + *binary_ + "' '" + out +
                                     "' 2>&1",
                                 &st);
    EXPECT_EQ(st, 0) << log;
    return *ReadFile(out);
  }

  static TempDir* dir_;
  static std::string* binary_;
  static std::string* build_log_;
  std::unique_ptr<Analyzer> a_;
};

TempDir* RustBinaryTest::dir_ = nullptr;
std::string* RustBinaryTest::binary_ = nullptr;
std::string* RustBinaryTest::build_log_ = nullptr;

// An application with a root crate, runtime and build dependencies, every kind of source.
constexpr std::string_view kAuditJson = R"JSON({"format":1,"packages":[
 {"name":"app","version":"0.1.0","source":"local","root":true,"dependencies":[1,2,4,1]},
 {"name":"serde","version":"1.0.188","source":"crates.io","dependencies":[3]},
 {"name":"rand","version":"0.8.5","source":"crates.io","kind":"runtime","dependencies":[5]},
 {"name":"serde_derive","version":"1.0.188","source":"crates.io","kind":"build","dependencies":[6]},
 {"name":"mygit","version":"0.2.0","source":"git"},
 {"name":"libc","version":"0.2.147","source":"registry"},
 {"name":"proc-macro2","version":"1.0.66","source":{"Other":"sparse+https://example.com/index/"},"kind":"build"}
]})JSON";

TEST_F(RustBinaryTest, ClaimsExecutablesOnly) {
  FileMeta m = Meta("usr/local/bin/app", 4 << 20);
  m.mode = 0755;
  EXPECT_TRUE(a_->Wants("usr/local/bin/app", m));
  EXPECT_FALSE(a_->Wants("usr/lib/x86_64-linux-gnu/libfoo.so.1", m));
  EXPECT_FALSE(a_->Wants("usr/local/bin/run.sh", m));
  m.mode = 0644;
  EXPECT_FALSE(a_->Wants("usr/local/bin/app", m));
  m.mode = 0755;
  m.size = 100;
  EXPECT_FALSE(a_->Wants("usr/local/bin/app", m));
  EXPECT_FALSE(a_->KeepContent());

  // A Rust program without audit data, a script and a non-ELF file: nothing, silently.
  const std::string plain = *ReadFile(*binary_);
  for (std::string_view content : {std::string_view(plain), std::string_view("#!/bin/sh\necho\n"),
                                   std::string_view("\x7f" "ELF")}) {
    AnalysisResult r = AnalyzeOne(*a_, "usr/local/bin/app", content);
    EXPECT_TRUE(r.package_dbs.empty());
    EXPECT_TRUE(r.diagnostics.empty());
  }
}

TEST_F(RustBinaryTest, ReadsCratesRootKindsAndEdges) {
  const std::string bin = WithSection(Zlib(kAuditJson));
  AnalysisResult r = AnalyzeOne(*a_, "usr/local/bin/app", bin);
  EXPECT_TRUE(r.diagnostics.empty()) << r.diagnostics.front().message;
  ASSERT_EQ(r.package_dbs.size(), 1u);
  const PackageDB& db = r.package_dbs[0];
  EXPECT_EQ(db.type, "cargo");
  EXPECT_EQ(db.path, "usr/local/bin/app");
  ASSERT_EQ(db.packages.size(), 7u);
  for (const Package& p : db.packages) {
    EXPECT_EQ(p.type, "cargo");
    EXPECT_EQ(p.db_path, "usr/local/bin/app");
    EXPECT_EQ(p.upstream, p.version);
  }

  const Package* app = FindPackage(db.packages, "app");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->version, "0.1.0");
  EXPECT_EQ(app->extra.at("root"), "true");
  EXPECT_EQ(app->extra.at("source"), "local");
  EXPECT_EQ(app->extra.at("kind"), "runtime");
  // Duplicate indices collapse; the order is that of the package list.
  EXPECT_EQ(app->depends, (std::vector<std::string>{"serde@1.0.188", "rand@0.8.5", "mygit@0.2.0"}));

  const Package* serde = FindPackage(db.packages, "serde");
  ASSERT_NE(serde, nullptr);
  EXPECT_EQ(serde->version, "1.0.188");
  EXPECT_EQ(serde->extra.count("root"), 0u);
  EXPECT_EQ(serde->extra.at("kind"), "runtime");
  EXPECT_EQ(serde->extra.at("source"), "crates.io");
  EXPECT_EQ(serde->depends, std::vector<std::string>{"serde_derive@1.0.188"});
  EXPECT_EQ(Purl(*serde, std::nullopt), "pkg:cargo/serde@1.0.188");

  const Package* derive = FindPackage(db.packages, "serde_derive");
  ASSERT_NE(derive, nullptr);
  EXPECT_EQ(derive->extra.at("kind"), "build");
  EXPECT_EQ(derive->depends, std::vector<std::string>{"proc-macro2@1.0.66"});
  EXPECT_EQ(FindPackage(db.packages, "rand")->depends, std::vector<std::string>{"libc@0.2.147"});
  EXPECT_EQ(FindPackage(db.packages, "mygit")->extra.at("source"), "git");
  EXPECT_TRUE(FindPackage(db.packages, "mygit")->depends.empty());
  EXPECT_EQ(FindPackage(db.packages, "libc")->extra.at("source"), "registry");
  const Package* pm = FindPackage(db.packages, "proc-macro2");
  ASSERT_NE(pm, nullptr);
  EXPECT_EQ(pm->extra.at("source"), "sparse+https://example.com/index/");
  EXPECT_EQ(pm->extra.at("kind"), "build");
  EXPECT_EQ(Purl(*pm, std::nullopt), "pkg:cargo/proc-macro2@1.0.66");

  // `strip` removes symbols and debug information, not the audit data.
  const std::string stripped = dir_->path() + "/stripped";
  int st = 0;
  std::string log = RunCommand("strip -o '" + stripped + "' '" + dir_->path() + "/auditable' 2>&1", &st);
  ASSERT_EQ(st, 0) << log;
  AnalysisResult rs = AnalyzeOne(*a_, "app", *ReadFile(stripped));
  ASSERT_EQ(rs.package_dbs.size(), 1u);
  EXPECT_EQ(rs.package_dbs[0].packages.size(), 7u);
}

// The whole pipeline on a directory: the walker hands the executable to go_binary and rust_binary
// alike, the inventory keeps the crates with their purls.
TEST_F(RustBinaryTest, ScannedFilesystem) {
  TempDir root;
  const std::string bin = WithSection(Zlib(kAuditJson));
  WriteFile(root.path() + "/usr/local/bin/app", bin);
  ASSERT_EQ(chmod((root.path() + "/usr/local/bin/app").c_str(), 0755), 0);
  WriteFile(root.path() + "/usr/local/bin/notes.txt", bin);  // not an executable name: not read
  LoadedSource src = LoadFilesystem(root.path(), SourceOptions{});
  auto owned = MakeAnalyzers({AnalyzerGroup::kLang});
  std::vector<const Analyzer*> an;
  for (auto& a : owned) an.push_back(a.get());
  auto scans = WalkLayers(src, an, WalkOptions{});
  Inventory inv = BuildInventory(src, scans, an, Limits{});
  std::set<std::string> purls;
  for (const Package& p : inv.packages) {
    EXPECT_EQ(p.type, "cargo") << p.name;
    EXPECT_EQ(p.db_path, "usr/local/bin/app");
    purls.insert(Purl(p, inv.os));
  }
  EXPECT_EQ(purls, (std::set<std::string>{"pkg:cargo/app@0.1.0", "pkg:cargo/serde@1.0.188", "pkg:cargo/rand@0.8.5",
                                          "pkg:cargo/serde_derive@1.0.188", "pkg:cargo/mygit@0.2.0",
                                          "pkg:cargo/libc@0.2.147", "pkg:cargo/proc-macro2@1.0.66"}));
}

TEST_F(RustBinaryTest, HostileSections) {
  const std::string good = Zlib(kAuditJson);
  struct Case {
    const char* what;
    std::string section;
    const char* message;
  } cases[] = {
      {"truncated zlib", good.substr(0, good.size() / 2), "truncated zlib stream"},
      {"empty section", "", "truncated zlib stream"},
      {"not zlib", "this is not zlib data at all", "corrupt zlib stream"},
      {"corrupt checksum", good.substr(0, good.size() - 1) + char(good.back() ^ 0x55), "corrupt zlib stream"},
      {"decompression bomb", Zlib(std::string(9u << 20, ' ') + "{\"packages\":[]}"), "decompression bomb"},
      {"bad JSON", Zlib(R"({"packages":[{"name":"a","version":"1"})"), "not valid JSON"},
      {"invalid UTF-8", Zlib("{\"packages\":[{\"name\":\"\xff\xfe\",\"version\":\"1\"}]}"), "not valid JSON"},
      {"not an object", Zlib("[1,2,3]"), "not a JSON object"},
      {"no packages", Zlib(R"({"format":1})"), "no \"packages\" array"},
      {"packages not an array", Zlib(R"({"packages":{"a":1}})"), "no \"packages\" array"},
  };
  int n = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    AnalysisResult r = AnalyzeOne(*a_, "app", WithSection(c.section, "hostile" + std::to_string(n++)));
    EXPECT_TRUE(r.package_dbs.empty());
    ASSERT_EQ(r.diagnostics.size(), 1u);
    EXPECT_EQ(r.diagnostics[0].where, "app");
    EXPECT_NE(r.diagnostics[0].message.find(c.message), std::string::npos) << r.diagnostics[0].message;
  }
}

TEST_F(RustBinaryTest, BadEntriesAndIndices) {
  const std::string long_name(300, 'x');
  const std::string json = R"({"packages":[
    {"name":"root","version":"1.0.0","root":true,
     "dependencies":[18446744073709551615, 99999999999999999999999, 1e30, -1, 1.5, "1", 99, 0, 2, 3, 1, 1]},
    {"name":"good","version":"2.0.0","dependencies":"not an array"},
    {"name":"noversion"},
    {"name":")" + long_name + R"(","version":"1"},
    {"name":"other-root","version":"3.0.0","root":true,"kind":"build","dependencies":[1]},
    "not an object", null, 7,
    {"name":"","version":"1"},
    {"name":"weird","version":"1","source":17,"kind":42,"root":"yes"}
  ]})";
  AnalysisResult r = AnalyzeOne(*a_, "app", WithSection(Zlib(json)));
  ASSERT_EQ(r.package_dbs.size(), 1u);
  const auto& pkgs = r.package_dbs[0].packages;
  ASSERT_EQ(pkgs.size(), 4u);
  EXPECT_EQ(FindPackage(pkgs, "root")->depends, std::vector<std::string>{"good@2.0.0"});
  EXPECT_TRUE(FindPackage(pkgs, "good")->depends.empty());
  EXPECT_EQ(FindPackage(pkgs, "other-root")->depends, std::vector<std::string>{"good@2.0.0"});
  const Package* weird = FindPackage(pkgs, "weird");
  ASSERT_NE(weird, nullptr);
  EXPECT_EQ(weird->extra.count("source"), 0u);
  EXPECT_EQ(weird->extra.at("kind"), "runtime");
  EXPECT_EQ(weird->extra.count("root"), 0u);
  std::vector<std::string> msgs;
  for (const auto& d : r.diagnostics) msgs.push_back(d.message);
  // Entries 2, 3, 5, 6, 7, 8: no name, no version, too long, not objects, empty name.
  EXPECT_TRUE(Contains(msgs, "cargo-auditable data: 6 package entries without a valid name or version skipped"))
      << ::testing::PrintToString(msgs);
  // root: 10 bad references (past the end, floats, negative, string, self, invalid targets);
  // good: a dependencies value that is not an array.
  EXPECT_TRUE(Contains(msgs, "cargo-auditable data: 11 invalid dependency references ignored"))
      << ::testing::PrintToString(msgs);
  EXPECT_TRUE(Contains(msgs, "cargo-auditable data: 2 packages marked as root (the format expects one)"))
      << ::testing::PrintToString(msgs);
  EXPECT_EQ(msgs.size(), 3u);
}

// Every crate depending on every other one, with long names: the dependency text is bounded.
TEST_F(RustBinaryTest, QuadraticDependencyListsAreBounded) {
  constexpr size_t kCrates = 1200;
  std::string json = R"({"packages":[)";
  for (size_t i = 0; i < kCrates; ++i) {
    if (i) json += ',';
    json += R"({"name":")" + std::string(240, 'a' + char(i % 26)) + std::to_string(i) + R"(","version":"1.0.0","dependencies":[)";
    for (size_t j = 0; j < kCrates; ++j) json += (j ? "," : "") + std::to_string(j);
    json += "]}";
  }
  json += "]}";
  ASSERT_LT(json.size(), 8u << 20);
  AnalysisResult r;
  ParseCargoAuditSection("app", Zlib(json), r);
  ASSERT_EQ(r.package_dbs.size(), 1u);
  ASSERT_EQ(r.package_dbs[0].packages.size(), kCrates);
  size_t bytes = 0, edges = 0;
  for (const auto& p : r.package_dbs[0].packages) {
    edges += p.depends.size();
    for (const auto& d : p.depends) bytes += d.size();
  }
  EXPECT_LE(bytes, 16u << 20);
  EXPECT_GT(edges, 10000u);
  std::vector<std::string> msgs;
  for (const auto& d : r.diagnostics) msgs.push_back(d.message);
  // The self references (one per crate) are reported, the cut too.
  EXPECT_TRUE(Contains(msgs, "cargo-auditable data: 1200 invalid dependency references ignored"))
      << ::testing::PrintToString(msgs);
  EXPECT_TRUE(Contains(msgs, "cargo-auditable data: dependency lists cut at 16777216 bytes"))
      << ::testing::PrintToString(msgs);
}

TEST_F(RustBinaryTest, DamagedElf) {
  const std::string bin = WithSection(Zlib(kAuditJson));
  // The ".dep-v0" section header pointing past the end of the file.
  std::string err;
  auto elf = goelf::ParseElf(bin, &err);
  ASSERT_TRUE(elf) << err;
  ASSERT_TRUE(elf->is64 && !elf->big_endian);
  size_t index = elf->sections.size();
  for (size_t i = 0; i < elf->sections.size(); ++i)
    if (elf->sections[i].name == ".dep-v0") index = i;
  ASSERT_LT(index, elf->sections.size());
  auto u64 = [&](size_t off) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(bin[off + size_t(i)]);
    return v;
  };
  const uint64_t shoff = u64(0x28);
  const uint64_t shentsize = static_cast<unsigned char>(bin[0x3a]) | (static_cast<unsigned char>(bin[0x3b]) << 8);
  std::string moved = bin;
  const size_t at = size_t(shoff + index * shentsize + 0x18);  // sh_offset
  for (int i = 0; i < 8; ++i) moved[at + size_t(i)] = char(i == 5 ? 0x7f : 0);
  AnalysisResult r = AnalyzeOne(*a_, "app", moved);
  EXPECT_TRUE(r.package_dbs.empty());
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_NE(r.diagnostics[0].message.find("outside the file"), std::string::npos) << r.diagnostics[0].message;

  // Truncated copies never crash; a copy without the section headers (objcopy writes them last)
  // or cut before the ".dep-v0" header finds nothing.
  for (size_t cut : {size_t(0), size_t(3), size_t(52), size_t(64), size_t(4096), bin.size() / 2, size_t(shoff),
                     size_t(shoff + index * shentsize + 10)}) {
    ASSERT_LT(cut, shoff + (index + 1) * shentsize);
    AnalysisResult t = AnalyzeOne(*a_, "app", std::string_view(bin).substr(0, cut));
    EXPECT_TRUE(t.package_dbs.empty()) << cut;
  }
  for (size_t cut = size_t(shoff + index * shentsize); cut < bin.size(); cut += 7)
    AnalyzeOne(*a_, "app", std::string_view(bin).substr(0, cut));
}

// The JSON layer on its own: an empty package list is an empty inventory, not an error.
TEST(RustAuditJson, EmptyAndMinimal) {
  AnalysisResult r;
  ParseCargoAuditJson("app", R"({"packages":[]})", r);
  ASSERT_EQ(r.package_dbs.size(), 1u);
  EXPECT_TRUE(r.package_dbs[0].packages.empty());
  EXPECT_TRUE(r.diagnostics.empty());
  AnalysisResult m;
  ParseCargoAuditJson("app", R"({"packages":[{"name":"a","version":"0.1.0","source":"crates.io"}]})", m);
  ASSERT_EQ(m.package_dbs.size(), 1u);
  ASSERT_EQ(m.package_dbs[0].packages.size(), 1u);
  EXPECT_EQ(m.package_dbs[0].packages[0].extra.at("kind"), "runtime");
}

}  // namespace
}  // namespace customs
