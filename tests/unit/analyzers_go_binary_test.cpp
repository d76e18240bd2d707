// go_binary analyzer: real Go binaries (the Go toolchain's own tools, Debian packages' Go programs,
// and binaries built here for amd64, 386 and big-endian s390x with dependencies and replacements),
// checked against `go version -m` as the oracle; hand-built ELF files for the pre-1.18 pointer layout
// and malformed input.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <tuple>

#include "analyzers/go_elf_util.h"
#include "analyzers_test_util.h"

namespace customs {
std::string GoToolchainToSemver(std::string_view v);
namespace {

using namespace analyzers_test;
namespace fs = std::filesystem;

std::string GoTool() {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/usr/lib", ec)) {
    std::string n = e.path().filename().string();
    if (n.starts_with("go-") && fs::exists(e.path() / "bin/go")) return (e.path() / "bin/go").string();
  }
  return HaveCommand("go") ? "go" : "";
}

// (name, version, main?) as `go version -m` prints them; plus the Go version.
struct Oracle {
  std::string go_version;
  std::set<std::tuple<std::string, std::string, bool>> modules;
};

Oracle RunOracle(const std::string& go, const std::string& file) {
  Oracle o;
  int st = 0;
  std::string out = RunCommand(go + " version -m '" + file + "' 2>/dev/null", &st);
  std::istringstream in(out);
  std::string line;
  std::vector<std::string> last;
  auto flush = [&]() {
    if (!last.empty()) o.modules.insert({last[1], last[2], last[0] == "mod"});
    last.clear();
  };
  while (std::getline(in, line)) {
    if (!line.starts_with("\t")) {
      size_t c = line.rfind(": ");
      if (c != std::string::npos) o.go_version = line.substr(c + 2);
      continue;
    }
    std::vector<std::string> f;
    std::stringstream ls(line.substr(1));
    for (std::string x; std::getline(ls, x, '\t');) f.push_back(x);
    if (f.size() < 3) continue;
    if (f[0] == "mod" || f[0] == "dep") {
      flush();
      last = f;
    } else if (f[0] == "=>" && !last.empty()) {
      if (!f[2].empty() && !f[1].starts_with(".") && !f[1].starts_with("/")) {
        last[1] = f[1];
        last[2] = f[2];
      }
      flush();
    }
  }
  flush();
  return o;
}

void CompareWithOracle(const Analyzer& a, const std::string& go, const std::string& file) {
  SCOPED_TRACE(file);
  auto content = ReadFile(file);
  ASSERT_TRUE(content);
  Oracle want = RunOracle(go, file);
  ASSERT_FALSE(want.go_version.empty());
  AnalysisResult r = AnalyzeOne(a, file, *content);
  EXPECT_TRUE(r.diagnostics.empty()) << r.diagnostics.front().message;
  ASSERT_EQ(r.package_dbs.size(), 1u);
  const PackageDB& db = r.package_dbs[0];
  EXPECT_EQ(db.type, "golang");
  EXPECT_EQ(db.path, file);
  Oracle got;
  for (const Package& p : db.packages) {
    EXPECT_EQ(p.type, "golang");
    EXPECT_EQ(p.db_path, file);
    if (p.name == "stdlib") {
      got.go_version = p.extra.at("toolchain");
      EXPECT_EQ(p.version, GoToolchainToSemver(got.go_version));
      continue;
    }
    got.modules.insert({p.name, p.version, p.extra.count("main") > 0});
  }
  EXPECT_EQ(got.go_version, want.go_version);
  EXPECT_EQ(got.modules, want.modules);
}

class GoBinaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = MakeAnalyzer("go_binary");
    ASSERT_NE(a_, nullptr);
  }
  std::unique_ptr<Analyzer> a_;
};

TEST_F(GoBinaryTest, Wants) {
  FileMeta m = Meta("usr/bin/registry", 1 << 20);
  m.mode = 0755;
  EXPECT_TRUE(a_->Wants(m.path, m));
  m.mode = 0644;
  EXPECT_FALSE(a_->Wants(m.path, m));
  m.mode = 0755;
  m.size = 100;
  EXPECT_FALSE(a_->Wants(m.path, m));
  m.size = 1 << 20;
  EXPECT_FALSE(a_->Wants("usr/lib/libfoo.so.1.2", m));
  EXPECT_FALSE(a_->Wants("usr/bin/script.py", m));
  EXPECT_FALSE(a_->Wants("usr/lib/x86_64-linux-gnu/libc.so", m));
}

TEST_F(GoBinaryTest, ToolchainVersion) {
  EXPECT_EQ(GoToolchainToSemver("go1.21.5"), "v1.21.5");
  EXPECT_EQ(GoToolchainToSemver("go1.20"), "v1.20.0");
  EXPECT_EQ(GoToolchainToSemver("go1.21rc2"), "v1.21.0-rc.2");
  EXPECT_EQ(GoToolchainToSemver("go1.19.8 X:boringcrypto"), "v1.19.8");
  EXPECT_EQ(GoToolchainToSemver("devel go1.22-abc"), "devel go1.22-abc");
}

// The Go toolchain's binaries and any Debian-packaged Go programs present.
TEST_F(GoBinaryTest, InstalledGoBinariesMatchGoVersionM) {
  const std::string go = GoTool();
  if (go.empty()) GTEST_SKIP() << "no go tool";
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/usr/lib", ec)) {
    if (!e.path().filename().string().starts_with("go-")) continue;
    for (const auto& f : fs::recursive_directory_iterator(e.path() / "pkg/tool", ec))
      if (f.is_regular_file()) files.push_back(f.path().string());
    for (const auto& f : fs::directory_iterator(e.path() / "bin", ec))
      if (f.is_regular_file()) files.push_back(f.path().string());
  }
  for (const char* f : {"/usr/bin/docker-registry", "/usr/bin/skopeo"})
    if (fs::exists(f)) files.push_back(f);
  ASSERT_FALSE(files.empty());
  for (const auto& f : files) CompareWithOracle(*a_, go, f);
}

// Binaries built here, with a vendored dependency replaced by a fork and an indirect one, for a
// 64-bit little-endian, a 32-bit and a big-endian target, and stripped.
TEST_F(GoBinaryTest, BuiltBinariesWithReplacements) {
  const std::string go = GoTool();
  if (go.empty()) GTEST_SKIP() << "no go tool";
  TempDir tmp;
  const std::string d = tmp.path();
  WriteFile(d + "/go.mod",
            "module example.com/hello\n\ngo 1.17\n\nrequire (\n\texample.com/dep v1.2.3\n"
            "\texample.com/lib v0.5.1 // indirect\n)\n\nreplace example.com/dep v1.2.3 => example.com/fork v1.0.0\n");
  WriteFile(d + "/vendor/modules.txt",
            "# example.com/dep v1.2.3 => example.com/fork v1.0.0\n## explicit\nexample.com/dep\n"
            "# example.com/lib v0.5.1\n## explicit\nexample.com/lib\n"
            "# example.com/dep v1.2.3 => example.com/fork v1.0.0\n");
  WriteFile(d + "/vendor/example.com/dep/dep.go",
            "package dep\n\nimport \"example.com/lib\"\n\nfunc X() string { return lib.Y() }\n");
  WriteFile(d + "/vendor/example.com/lib/lib.go", "package lib\n\nfunc Y() string { return \"y\" }\n");
  WriteFile(d + "/main.go", "package main\n\nimport \"example.com/dep\"\n\nfunc main() { println(dep.X()) }\n");
  const std::string env = "cd '" + d + "' && GOPROXY=off GOFLAGS=-mod=vendor GOCACHE='" +
                          std::string(CUSTOMS_BINARY_DIR) + "/go-cache' GOPATH='" + d + "/gopath' ";
  struct Build {
    const char* name;
    const char* goarch;
    const char* ldflags;
  } builds[] = {{"amd64", "amd64", ""}, {"i386", "386", ""}, {"s390x", "s390x", ""}, {"stripped", "amd64", "-s -w"}};
  for (const auto& b : builds) {
    int st = 0;
    std::string out = RunCommand(env + "GOARCH=" + b.goarch + " " + go + " build -ldflags='" + b.ldflags +
                                     "' -o " + b.name + " . 2>&1",
                                 &st);
    ASSERT_EQ(st, 0) << out;
    CompareWithOracle(*a_, go, d + "/" + b.name);
  }
  auto content = ReadFile(d + "/amd64");
  AnalysisResult r = AnalyzeOne(*a_, "app/hello", *content);
  ASSERT_EQ(r.package_dbs.size(), 1u);
  const auto& pkgs = r.package_dbs[0].packages;
  const Package* fork = FindPackage(pkgs, "example.com/fork");
  ASSERT_NE(fork, nullptr);
  EXPECT_EQ(fork->version, "v1.0.0");
  EXPECT_EQ(fork->extra.at("replaces"), "example.com/dep");
  EXPECT_EQ(fork->extra.at("replaces_version"), "v1.2.3");
  EXPECT_EQ(fork->arch, "amd64");
  const Package* main = FindPackage(pkgs, "example.com/hello");
  ASSERT_NE(main, nullptr);
  EXPECT_EQ(main->version, "(devel)");
  EXPECT_EQ(main->extra.at("main"), "true");
  EXPECT_NE(FindPackage(pkgs, "stdlib"), nullptr);
  EXPECT_NE(FindPackage(pkgs, "example.com/lib"), nullptr);
  // The main module depends on every other module of the binary (replacements as reported) and stdlib.
  std::vector<std::string> others;
  for (const Package& p : pkgs)
    if (&p != main) others.push_back(p.name + "@" + p.version);
  std::vector<std::string> deps = main->depends;
  std::sort(deps.begin(), deps.end());
  std::sort(others.begin(), others.end());
  EXPECT_EQ(deps, others);
  EXPECT_TRUE(Contains(main->depends, "example.com/fork@v1.0.0"));
  EXPECT_TRUE(FindPackage(pkgs, "example.com/lib")->depends.empty());

  // Truncated copies of a real binary never crash; ones cut before the build info report nothing.
  for (size_t len : {size_t{0}, size_t{3}, size_t{64}, size_t{4096}, content->size() / 2, content->size() - 1}) {
    AnalysisResult t = AnalyzeOne(*a_, "app/hello", std::string_view(*content).substr(0, len));
    (void)t;
  }
}

// A minimal ELF (one PT_LOAD) carrying pre-1.18 build info: pointers to Go string headers.
std::string PointerElf(bool is64, bool be, std::string_view version, std::string_view modinfo) {
  const unsigned w = is64 ? 8 : 4;
  const uint64_t base = 0x400000;
  std::string f(0x1000, '\0');
  auto put = [&](size_t off, uint64_t v, unsigned n) {
    if (f.size() < off + n) f.resize(off + n, '\0');
    for (unsigned i = 0; i < n; ++i) f[off + (be ? n - 1 - i : i)] = static_cast<char>((v >> (8 * i)) & 0xff);
  };
  f[0] = 0x7f, f[1] = 'E', f[2] = 'L', f[3] = 'F';
  f[4] = is64 ? 2 : 1;
  f[5] = be ? 2 : 1;
  f[6] = 1;
  const size_t ehsize = is64 ? 64 : 52, phentsize = is64 ? 56 : 32;
  put(24 + w, ehsize, w);                  // e_phoff
  put(24 + 2 * w, 0, w);                   // e_shoff
  put(24 + 3 * w + 4, ehsize, 2);          // e_ehsize
  put(24 + 3 * w + 6, phentsize, 2);       // e_phentsize
  put(24 + 3 * w + 8, 1, 2);               // e_phnum
  // Layout: build info header at 0x100, string headers at 0x200, strings at 0x300.
  const size_t bi = 0x100, hdrs = 0x200, strs = 0x300;
  std::string mod = std::string(16, 'S') + std::string(modinfo) + std::string(16, 'E');
  f.replace(bi, 14, "\xff Go buildinf:");
  f[bi + 14] = static_cast<char>(w);
  f[bi + 15] = be ? 1 : 0;
  put(bi + 16, base + hdrs, w);
  put(bi + 16 + w, base + hdrs + 2 * w, w);
  put(hdrs, base + strs, w);
  put(hdrs + w, version.size(), w);
  put(hdrs + 2 * w, base + strs + version.size(), w);
  put(hdrs + 3 * w, mod.size(), w);
  f.replace(strs, version.size(), version);
  f.replace(strs + version.size(), mod.size(), mod);
  const size_t ph = ehsize;
  put(ph, 1, 4);  // PT_LOAD
  if (is64) {
    put(ph + 8, 0, 8);
    put(ph + 16, base, 8);
    put(ph + 32, f.size(), 8);
  } else {
    put(ph + 4, 0, 4);
    put(ph + 8, base, 4);
    put(ph + 16, f.size(), 4);
  }
  return f;
}

TEST_F(GoBinaryTest, PointerLayout) {
  const std::string modinfo =
      "path\texample.com/cmd/x\nmod\texample.com/x\tv0.3.0\th1:abc=\n"
      "dep\tgolang.org/x/text\tv0.3.5\th1:def=\n"
      "dep\tgithub.com/a/b\tv1.0.0\n=>\tgithub.com/c/b\tv1.0.1\th1:ghi=\n"
      "dep\tgithub.com/local/m\tv0.0.1\n=>\t../m\t\n";
  for (bool is64 : {true, false})
    for (bool be : {false, true}) {
      SCOPED_TRACE(std::to_string(is64) + std::to_string(be));
      std::string elf = PointerElf(is64, be, "go1.16.15", modinfo);
      AnalysisResult r = AnalyzeOne(*a_, "bin/x", elf);
      EXPECT_TRUE(r.diagnostics.empty()) << r.diagnostics.front().message;
      ASSERT_EQ(r.package_dbs.size(), 1u);
      const auto& pkgs = r.package_dbs[0].packages;
      ASSERT_EQ(pkgs.size(), 5u);
      const Package* text = FindPackage(pkgs, "golang.org/x/text");
      ASSERT_NE(text, nullptr);
      EXPECT_EQ(text->version, "v0.3.5");
      const Package* cb = FindPackage(pkgs, "github.com/c/b");
      ASSERT_NE(cb, nullptr);
      EXPECT_EQ(cb->version, "v1.0.1");
      EXPECT_EQ(cb->extra.at("replaces"), "github.com/a/b");
      const Package* local = FindPackage(pkgs, "github.com/local/m");
      ASSERT_NE(local, nullptr);
      EXPECT_EQ(local->version, "v0.0.1");
      EXPECT_EQ(local->extra.at("replaced_by"), "../m");
      const Package* x = FindPackage(pkgs, "example.com/x");
      ASSERT_NE(x, nullptr);
      EXPECT_EQ(x->extra.at("main"), "true");
      EXPECT_EQ(x->depends, (std::vector<std::string>{"golang.org/x/text@v0.3.5", "github.com/c/b@v1.0.1",
                                                      "github.com/local/m@v0.0.1", "stdlib@v1.16.15"}));
      const Package* std_pkg = FindPackage(pkgs, "stdlib");
      ASSERT_NE(std_pkg, nullptr);
      EXPECT_EQ(std_pkg->version, "v1.16.15");
    }
}

TEST_F(GoBinaryTest, MalformedInput) {
  // Not ELF, or ELF without build info: nothing, silently.
  EXPECT_TRUE(AnalyzeOne(*a_, "bin/s", "#!/bin/sh\necho hi\n" + std::string(5000, ' ')).package_dbs.empty());
  std::string elf = PointerElf(true, false, "go1.16.15", "path\tx\n");
  std::string no_magic = elf;
  no_magic[0x101] = 'X';
  AnalysisResult r = AnalyzeOne(*a_, "bin/x", no_magic);
  EXPECT_TRUE(r.package_dbs.empty());
  EXPECT_TRUE(r.diagnostics.empty());
  // Pointers out of the file: a diagnostic, no packages.
  std::string bad = elf;
  for (int i = 0; i < 8; ++i) bad[0x110 + i] = '\x7f';
  r = AnalyzeOne(*a_, "bin/x", bad);
  EXPECT_TRUE(r.package_dbs.empty());
  ASSERT_EQ(r.diagnostics.size(), 1u);
  // Bad pointer size.
  bad = elf;
  bad[0x10e] = 3;
  r = AnalyzeOne(*a_, "bin/x", bad);
  EXPECT_EQ(r.diagnostics.size(), 1u);
  // Every truncation and a byte flip at every offset of the header region: no crash.
  for (size_t n = 0; n < elf.size(); n += 7) AnalyzeOne(*a_, "bin/x", std::string_view(elf).substr(0, n));
  for (size_t i = 0; i < 0x400; ++i) {
    std::string m = elf;
    m[i] = static_cast<char>(m[i] ^ 0xa5);
    AnalyzeOne(*a_, "bin/x", m);
  }
  // Inline (1.18+) layout with a length running past the end.
  std::string inl = elf;
  inl[0x10f] = 2;
  inl[0x120] = '\x7f';
  r = AnalyzeOne(*a_, "bin/x", inl.substr(0, 0x130));
  EXPECT_TRUE(r.package_dbs.empty());
  EXPECT_EQ(r.diagnostics.size(), 1u);
}

TEST(GoModInfo, Parse) {
  auto mi = goelf::ParseModInfo(
      "path\tp\nmod\tm\t(devel)\t\ndep\ta\tv1\th1:x\n=>\tb\tv2\th1:y\nbuild\t-ldflags=\"-s -w\"\nbogus\n");
  EXPECT_EQ(mi.path, "p");
  ASSERT_TRUE(mi.main);
  EXPECT_EQ(mi.main->version, "(devel)");
  ASSERT_EQ(mi.deps.size(), 1u);
  EXPECT_EQ(*mi.deps[0].replace_path, "b");
  ASSERT_EQ(mi.build.size(), 1u);
  EXPECT_EQ(mi.build[0].first, "-ldflags");
  EXPECT_EQ(mi.malformed_lines, 1u);
}

}  // namespace
}  // namespace customs

namespace customs {
namespace {
// The fuzz seeds (both layouts, 32/64-bit, both byte orders; `go version -m` reads them all alike).
TEST(GoBinarySeeds, AllLayouts) {
  auto a = analyzers_test::MakeAnalyzer("go_binary");
  const std::string dir = std::string(CUSTOMS_SOURCE_DIR) + "/fuzz/corpus/fuzz_go_buildinfo";
  size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    SCOPED_TRACE(e.path().string());
    auto content = analyzers_test::ReadFile(e.path().string());
    AnalysisResult r = analyzers_test::AnalyzeOne(*a, "bin/hello", *content);
    EXPECT_TRUE(r.diagnostics.empty());
    ASSERT_EQ(r.package_dbs.size(), 1u);
    EXPECT_EQ(r.package_dbs[0].packages.size(), 4u);
    EXPECT_NE(analyzers_test::FindPackage(r.package_dbs[0].packages, "example.com/fork"), nullptr);
    ++n;
  }
  EXPECT_EQ(n, 8u);
}
}  // namespace
}  // namespace customs
