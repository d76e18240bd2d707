// go_mod analyzer: require lines and blocks, // indirect, replace directives, go/toolchain lines;
// go.sum for go.mod files older than Go 1.17. The go.mod/go.sum pairs of the go.sum tests are
// written by the real go tool, offline: a file:// module proxy made here serves small modules, and
// `go list -deps` (the packages the build compiles, with their modules) is the oracle.
#include <gtest/gtest.h>

#include <set>

#include "analyzers/text_util.h"
#include "analyzers_test_util.h"
#include "inventory/inventory.h"
#include "source/source.h"
#include "support/fixtures.h"
#include "source/streams.h"
#include "walker/walker.h"

namespace customs {
namespace {

using namespace analyzers_test;
namespace fs = std::filesystem;

// The files a view analyzer sees, from a map.
class TestView : public FileView {
 public:
  explicit TestView(std::map<std::string, std::string> files) : files_(std::move(files)) {}
  std::optional<std::string_view> Read(std::string_view path) const override {
    auto it = files_.find(std::string(path));
    if (it == files_.end()) return std::nullopt;
    return std::string_view(it->second);
  }
  std::vector<std::string> Paths() const override {
    std::vector<std::string> out;
    for (const auto& [p, _] : files_) out.push_back(p);
    return out;
  }

 private:
  std::map<std::string, std::string> files_;
};

AnalysisResult AnalyzeFiles(const Analyzer& a, std::map<std::string, std::string> files) {
  AnalysisResult r;
  a.AnalyzeView(TestView(std::move(files)), 0, r);
  return r;
}

const PackageDB* FindDb(const AnalysisResult& r, std::string_view path) {
  for (const auto& db : r.package_dbs)
    if (db.path == path) return &db;
  return nullptr;
}

// "path version" of every package of the result.
std::set<std::string> ModuleSet(const AnalysisResult& r) {
  std::set<std::string> out;
  for (const auto& db : r.package_dbs)
    for (const auto& p : db.packages) out.insert(p.name + " " + p.version);
  return out;
}

constexpr std::string_view kGoMod = R"GOMOD(// a comment
module github.com/example/app

go 1.21

toolchain go1.21.5

require github.com/gin-gonic/gin v1.9.0

require (
	golang.org/x/net v0.17.0
	golang.org/x/text v0.13.0 // indirect
	github.com/old/lib v1.0.0
	github.com/local/lib v0.2.0 // indirect; for tests
	"github.com/quoted/mod" v0.0.0-20230101000000-abcdefabcdef
)

exclude golang.org/x/net v0.1.0

replace github.com/old/lib v1.0.0 => github.com/new/lib v1.0.5

replace (
	github.com/local/lib => ../lib
)

retract [v0.1.0, v0.1.5]
)GOMOD";

TEST(GoModTest, Parse) {
  auto a = MakeAnalyzer("go_mod");
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->Wants("go.mod", Meta("go.mod")));
  EXPECT_TRUE(a->Wants("src/app/go.mod", Meta("src/app/go.mod")));
  EXPECT_FALSE(a->Wants("src/app/vendor/x/go.mod", Meta("x")));
  EXPECT_FALSE(a->Wants("root/go/pkg/mod/x@v1/go.mod", Meta("x")));
  EXPECT_TRUE(a->Wants("src/app/go.sum", Meta("x")));
  EXPECT_FALSE(a->Wants("src/app/vendor/x/go.sum", Meta("x")));
  EXPECT_FALSE(a->Wants("src/app/notgo.mod", Meta("x")));
  EXPECT_FALSE(a->Wants("src/app/go.summary", Meta("x")));
  EXPECT_TRUE(a->NeedsView());
  AnalysisResult r = AnalyzeOne(*a, "src/app/go.mod", kGoMod);
  EXPECT_TRUE(r.diagnostics.empty()) << r.diagnostics.front().message;
  ASSERT_EQ(r.package_dbs.size(), 1u);
  const auto& db = r.package_dbs[0];
  EXPECT_EQ(db.type, "golang");
  EXPECT_EQ(db.path, "src/app/go.mod");
  ASSERT_EQ(db.packages.size(), 6u);
  const Package* gin = FindPackage(db.packages, "github.com/gin-gonic/gin");
  ASSERT_NE(gin, nullptr);
  EXPECT_EQ(gin->version, "v1.9.0");
  EXPECT_EQ(gin->extra.at("direct"), "true");
  EXPECT_EQ(gin->extra.at("go"), "1.21");
  EXPECT_EQ(gin->extra.at("toolchain"), "go1.21.5");
  EXPECT_EQ(gin->db_path, "src/app/go.mod");
  EXPECT_EQ(FindPackage(db.packages, "golang.org/x/text")->extra.at("direct"), "false");
  EXPECT_EQ(FindPackage(db.packages, "golang.org/x/net")->extra.at("direct"), "true");
  EXPECT_EQ(FindPackage(db.packages, "github.com/old/lib"), nullptr);
  const Package* nl = FindPackage(db.packages, "github.com/new/lib");
  ASSERT_NE(nl, nullptr);
  EXPECT_EQ(nl->version, "v1.0.5");
  EXPECT_EQ(nl->extra.at("replaces"), "github.com/old/lib");
  const Package* local = FindPackage(db.packages, "github.com/local/lib");
  ASSERT_NE(local, nullptr);
  EXPECT_EQ(local->version, "v0.2.0");
  EXPECT_EQ(local->extra.at("replaced_by"), "../lib");
  EXPECT_EQ(local->extra.at("direct"), "false");
  const Package* q = FindPackage(db.packages, "github.com/quoted/mod");
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->version, "v0.0.0-20230101000000-abcdefabcdef");
}

TEST(GoModTest, Malformed) {
  auto a = MakeAnalyzer("go_mod");
  AnalysisResult r = AnalyzeOne(*a, "go.mod", "module x\nrequire onlypath\nfrobnicate y\nrequire (\n a v1\n");
  ASSERT_EQ(r.package_dbs.size(), 1u);
  EXPECT_EQ(r.package_dbs[0].packages.size(), 1u);
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_NE(r.diagnostics[0].message.find("3 malformed"), std::string::npos) << r.diagnostics[0].message;
  for (std::string_view s : {"", "(", ")", "replace =>", "replace a => ", "require (\n)\n)", "\xff\xfe"})
    AnalyzeOne(*a, "go.mod", s);
}

// --- go.sum -----------------------------------------------------------------------------------

std::string GoTool() {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/usr/lib", ec)) {
    std::string n = e.path().filename().string();
    if (n.starts_with("go-") && fs::exists(e.path() / "bin/go")) return (e.path() / "bin/go").string();
  }
  return HaveCommand("go") ? "go" : "";
}

// A zip file with the given members (Go module zips: every name under "path@version/").
void WriteZip(const std::string& path, const std::map<std::string, std::string>& members) {
  archive* a = archive_write_new();
  ASSERT_EQ(archive_write_set_format_zip(a), ARCHIVE_OK);
  ASSERT_EQ(archive_write_open_filename(a, path.c_str()), ARCHIVE_OK);
  for (const auto& [name, data] : members) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, la_int64_t(data.size()));
    archive_entry_set_mtime(e, 1700000000, 0);
    ASSERT_EQ(archive_write_header(a, e), ARCHIVE_OK);
    ASSERT_EQ(archive_write_data(a, data.data(), data.size()), la_ssize_t(data.size()));
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
}

// One module version in the GOPROXY protocol's file layout ($proxy/$module/@v/{list,$v.info,$v.mod,$v.zip}).
void AddModule(const std::string& proxy, const std::string& mod, const std::string& v, const std::string& gomod,
               const std::map<std::string, std::string>& files) {
  const std::string dir = proxy + "/" + mod + "/@v/";
  WriteFile(dir + v + ".mod", gomod);
  WriteFile(dir + v + ".info", "{\"Version\":\"" + v + "\",\"Time\":\"2023-01-01T00:00:00Z\"}");
  std::map<std::string, std::string> members = files;
  members["go.mod"] = gomod;
  std::map<std::string, std::string> zipped;
  for (const auto& [n, c] : members) zipped[mod + "@" + v + "/" + n] = c;
  WriteZip(dir + v + ".zip", zipped);
  std::string list = ReadFile(dir + "list").value_or("");
  WriteFile(dir + "list", list + v + "\n");
}

// Go modules served offline, and go.mod/go.sum pairs written by the go tool from them:
//   liba v0.9.0 -> libb v1.0.0;  liba v1.0.0 -> libb v1.1.0, libd v1.0.0 (no package of libd used);
//   libb v1.1.0 -> libc v0.2.0, and the app replaces libc by the fork forkc v0.3.0.
// "go116": go 1.16; liba first at v0.9.0 then upgraded with `go get` (go.sum keeps libb v1.0.0).
// "go117": the same program tidied with go 1.17 (go.mod lists every module).
class GoSumTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    go_ = new std::string(GoTool());
    if (go_->empty()) return;
    dir_ = new TempDir();
    const std::string d = dir_->path(), proxy = d + "/proxy";
    auto lib = [](const std::string& pkg, const std::string& import, const std::string& body) {
      return std::map<std::string, std::string>{
          {pkg + ".go", "package " + pkg + "\n\n" + (import.empty() ? "" : "import \"" + import + "\"\n\n") + body}};
    };
    AddModule(proxy, "example.com/liba", "v0.9.0",
              "module example.com/liba\n\ngo 1.16\n\nrequire example.com/libb v1.0.0\n",
              lib("liba", "example.com/libb", "func A() string { return libb.B() }\n"));
    AddModule(proxy, "example.com/liba", "v1.0.0",
              "module example.com/liba\n\ngo 1.16\n\nrequire (\n\texample.com/libb v1.1.0\n\texample.com/libd v1.0.0\n)\n",
              lib("liba", "example.com/libb", "func A() string { return libb.B() }\n"));
    AddModule(proxy, "example.com/libb", "v1.0.0", "module example.com/libb\n\ngo 1.16\n",
              lib("libb", "", "func B() string { return \"b0\" }\n"));
    AddModule(proxy, "example.com/libb", "v1.1.0",
              "module example.com/libb\n\ngo 1.16\n\nrequire example.com/libc v0.2.0\n",
              lib("libb", "example.com/libc", "func B() string { return libc.C() }\n"));
    AddModule(proxy, "example.com/libc", "v0.2.0", "module example.com/libc\n\ngo 1.16\n",
              lib("libc", "", "func C() string { return \"c2\" }\n"));
    AddModule(proxy, "example.com/forkc", "v0.3.0", "module example.com/libc\n\ngo 1.16\n",
              lib("libc", "", "func C() string { return \"fork\" }\n"));
    AddModule(proxy, "example.com/libd", "v1.0.0", "module example.com/libd\n\ngo 1.16\n",
              lib("libd", "", "func D() {}\n"));
    env_ = new std::string("GOENV=off GOPROXY=file://" + proxy + " GOSUMDB=off GOFLAGS='-mod=mod -modcacherw' GOPATH='" +
                           d + "/gopath' GOCACHE='" + std::string(CUSTOMS_BINARY_DIR) + "/go-cache' ");
    const std::string main_go = "package main\n\nimport \"example.com/liba\"\n\nfunc main() { println(liba.A()) }\n";
    const std::string replace = "\nreplace example.com/libc => example.com/forkc v0.3.0\n";
    WriteFile(d + "/go116/main.go", main_go);
    WriteFile(d + "/go116/go.mod", "module example.com/app\n\ngo 1.16\n\nrequire example.com/liba v0.9.0\n" + replace);
    Go("go116", "mod tidy");
    Go("go116", "get example.com/liba@v1.0.0");
    WriteFile(d + "/go117/main.go", main_go);
    WriteFile(d + "/go117/go.mod", "module example.com/app\n\ngo 1.17\n\nrequire example.com/liba v1.0.0\n" + replace);
    Go("go117", "mod tidy");
  }
  static void TearDownTestSuite() {
    delete dir_;
    delete go_;
    delete env_;
    delete log_;
    dir_ = nullptr;
    go_ = env_ = log_ = nullptr;
  }
  static std::string Go(const std::string& app, const std::string& args, int* status = nullptr) {
    int st = 0;
    std::string out = RunCommand("cd '" + dir_->path() + "/" + app + "' && " + *env_ + *go_ + " " + args + " 2>&1", &st);
    if (status) *status = st;
    if (st != 0) {
      if (!log_) log_ = new std::string;
      *log_ += "go " + args + ": " + out;
    }
    return out;
  }
  void SetUp() override {
    a_ = MakeAnalyzer("go_mod");
    ASSERT_NE(a_, nullptr);
    if (!dir_) GTEST_SKIP() << "no go tool";
    ASSERT_EQ(log_, nullptr) << *log_;
  }
  static std::map<std::string, std::string> Files(const std::string& app, const std::string& as) {
    std::map<std::string, std::string> f;
    f[as + "/go.mod"] = *ReadFile(dir_->path() + "/" + app + "/go.mod");
    if (auto sum = ReadFile(dir_->path() + "/" + app + "/go.sum")) f[as + "/go.sum"] = *sum;
    return f;
  }
  // The modules that provide a package to the build, as `go list -deps` says (replacements applied).
  static std::set<std::string> Oracle(const std::string& app) {
    int st = 0;
    std::string out = Go(app,
                         "list -deps -f '{{with .Module}}{{if not .Main}}{{with .Replace}}{{.Path}} {{.Version}}"
                         "{{else}}{{.Path}} {{.Version}}{{end}}{{end}}{{end}}' .",
                         &st);
    EXPECT_EQ(st, 0) << out;
    std::set<std::string> mods;
    for (std::string_view l : text::Lines(out))
      if (!l.empty()) mods.insert(std::string(l));
    return mods;
  }

  static std::string* go_;
  static std::string* env_;
  static std::string* log_;
  static TempDir* dir_;
  std::unique_ptr<Analyzer> a_;
};

std::string* GoSumTest::go_ = nullptr;
std::string* GoSumTest::env_ = nullptr;
std::string* GoSumTest::log_ = nullptr;
TempDir* GoSumTest::dir_ = nullptr;

TEST_F(GoSumTest, Go116BuildListComesFromGoSum) {
  auto files = Files("go116", "srv/app");
  const std::string& sum = files.at("srv/app/go.sum");
  // What the go tool wrote: a superseded libb with its code hash, libd with its go.mod hash only.
  ASSERT_NE(sum.find("example.com/libb v1.0.0 h1:"), std::string::npos) << sum;
  ASSERT_NE(sum.find("example.com/libd v1.0.0/go.mod h1:"), std::string::npos) << sum;
  ASSERT_EQ(sum.find("example.com/libd v1.0.0 h1:"), std::string::npos) << sum;
  ASSERT_EQ(files.at("srv/app/go.mod").find("libb"), std::string::npos) << files.at("srv/app/go.mod");

  AnalysisResult r = AnalyzeFiles(*a_, files);
  EXPECT_TRUE(r.diagnostics.empty()) << r.diagnostics.front().message;
  EXPECT_EQ(ModuleSet(r), Oracle("go116"));
  const PackageDB* mod = FindDb(r, "srv/app/go.mod");
  const PackageDB* fromsum = FindDb(r, "srv/app/go.sum");
  ASSERT_NE(mod, nullptr);
  ASSERT_NE(fromsum, nullptr);
  ASSERT_EQ(mod->packages.size(), 1u);
  EXPECT_EQ(mod->packages[0].name, "example.com/liba");
  EXPECT_EQ(mod->packages[0].version, "v1.0.0");
  ASSERT_EQ(fromsum->packages.size(), 2u);
  const Package* libb = FindPackage(fromsum->packages, "example.com/libb");
  ASSERT_NE(libb, nullptr);
  EXPECT_EQ(libb->version, "v1.1.0");  // the highest of v1.0.0 and v1.1.0
  EXPECT_EQ(libb->extra.at("indirect"), "true");
  EXPECT_EQ(libb->extra.at("direct"), "false");
  EXPECT_EQ(libb->extra.at("source"), "go.sum");
  EXPECT_EQ(libb->extra.at("go"), "1.16");
  EXPECT_EQ(libb->extra.at("module"), "example.com/app");
  EXPECT_EQ(libb->db_path, "srv/app/go.sum");
  EXPECT_EQ(libb->type, "golang");
  const Package* fork = FindPackage(fromsum->packages, "example.com/forkc");
  ASSERT_NE(fork, nullptr);
  EXPECT_EQ(fork->version, "v0.3.0");
  EXPECT_EQ(fork->extra.at("replaces"), "example.com/libc");
  EXPECT_EQ(FindPackage(fromsum->packages, "example.com/libd"), nullptr);

  // The same go.mod alone (no go.sum next to it, or one in another directory) reports go.mod only.
  AnalysisResult alone = AnalyzeFiles(*a_, {{"srv/app/go.mod", files.at("srv/app/go.mod")},
                                            {"srv/other/go.sum", sum}});
  ASSERT_EQ(alone.package_dbs.size(), 1u);
  EXPECT_EQ(alone.package_dbs[0].path, "srv/app/go.mod");
  EXPECT_EQ(AnalyzeOne(*a_, "srv/app/go.mod", files.at("srv/app/go.mod")).package_dbs.size(), 1u);
  EXPECT_TRUE(AnalyzeOne(*a_, "srv/app/go.sum", sum).package_dbs.empty());
}

TEST_F(GoSumTest, Go117GoModIsComplete) {
  auto files = Files("go117", "app");
  ASSERT_TRUE(files.count("app/go.sum"));
  AnalysisResult r = AnalyzeFiles(*a_, files);
  EXPECT_TRUE(r.diagnostics.empty()) << r.diagnostics.front().message;
  ASSERT_EQ(r.package_dbs.size(), 1u);  // go.sum is not read
  EXPECT_EQ(r.package_dbs[0].path, "app/go.mod");
  EXPECT_EQ(ModuleSet(r), Oracle("go117"));
  const Package* libb = FindPackage(r.package_dbs[0].packages, "example.com/libb");
  ASSERT_NE(libb, nullptr);
  EXPECT_EQ(libb->extra.at("direct"), "false");
  EXPECT_EQ(libb->extra.count("source"), 0u);
}

// Through the walker and the inventory: go.mod in one layer, go.sum in the next, go.sum deleted in
// the third. The go.sum modules belong to the layer that wrote go.sum, and go with it.
TEST_F(GoSumTest, LayersAttributeAndDelete) {
  auto files = Files("go116", "app");
  TempDir tmp;
  using customs_test::TarEntry;
  std::vector<customs_test::BlobInfo> blobs = {
      customs_test::WriteTar(tmp.path() + "/l0.tar", {TarEntry::File("app/go.mod", files.at("app/go.mod"))}),
      customs_test::WriteTar(tmp.path() + "/l1.tar", {TarEntry::File("app/go.sum", files.at("app/go.sum"))}),
      customs_test::WriteTar(tmp.path() + "/l2.tar", {TarEntry::Whiteout("app/go.sum")}),
  };
  auto inventory = [&](size_t layers) {
    LoadedSource src;
    src.artifact.type = ArtifactType::kContainerImage;
    src.artifact.name = "test";
    for (size_t i = 0; i < layers; ++i) {
      LayerInfo li;
      li.index = int(i);
      src.layers.push_back(li);
      src.expect.push_back({blobs[i].digest, blobs[i].diff_id});
      std::string p = blobs[i].path;
      src.streams.push_back(
          MakeLayerSource("layer" + std::to_string(i), [p] { return OpenTarStream(OpenFileBytes(p), p, Limits{}); }));
    }
    auto owned = MakeAnalyzers({AnalyzerGroup::kLang});
    std::vector<const Analyzer*> an;
    for (auto& a : owned) an.push_back(a.get());
    auto scans = WalkLayers(src, an, WalkOptions{});
    return BuildInventory(src, scans, an, Limits{});
  };
  Inventory two = inventory(2);
  std::map<std::string, std::pair<std::string, int>> seen;  // name -> (db_path, layer)
  for (const auto& p : two.packages) seen[p.name] = {p.db_path, p.layer};
  EXPECT_EQ(seen["example.com/liba"], (std::pair<std::string, int>{"app/go.mod", 0}));
  EXPECT_EQ(seen["example.com/libb"], (std::pair<std::string, int>{"app/go.sum", 1}));
  EXPECT_EQ(seen["example.com/forkc"], (std::pair<std::string, int>{"app/go.sum", 1}));
  EXPECT_EQ(two.packages.size(), 3u);

  Inventory three = inventory(3);
  ASSERT_EQ(three.packages.size(), 1u);
  EXPECT_EQ(three.packages[0].name, "example.com/liba");
  EXPECT_EQ(three.packages[0].layer, 0);
}

// The go directive decides; a missing one means 1.16.
TEST(GoSum, GoDirectiveDecides) {
  auto a = MakeAnalyzer("go_mod");
  const std::string sum =
      "example.com/x v1.2.0 h1:abc=\nexample.com/x v1.2.0/go.mod h1:abc=\n"
      "example.com/x v1.10.0 h1:abc=\nexample.com/y v0.0.0-20230101000000-abcdefabcdef h1:abc=\n"
      "example.com/y v0.0.0-20220101000000-abcdefabcdef h1:abc=\nexample.com/z v2.0.0+incompatible h1:abc=\n"
      "example.com/z v1.9.0 h1:abc=\nexample.com/req v1.0.0 h1:abc=\nexample.com/req v1.5.0 h1:abc=\n"
      "example.com/app v0.1.0 h1:abc=\n";
  struct Case {
    const char* go;
    bool reads_sum;
  } cases[] = {{"1.16", true}, {"1.9", true}, {"1.11", true}, {"", true}, {"1.17", false},
               {"1.21.0", false}, {"1.22rc1", false}, {"2.0", false}, {"banana", false}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.go);
    std::string mod = "module example.com/app\n";
    if (*c.go) mod += std::string("go ") + c.go + "\n";
    mod += "require example.com/req v1.0.0\n";
    AnalysisResult r = AnalyzeFiles(*a, {{"go.mod", mod}, {"go.sum", sum}});
    EXPECT_TRUE(r.diagnostics.empty()) << r.diagnostics.front().message;
    const PackageDB* fromsum = FindDb(r, "go.sum");
    if (!c.reads_sum) {
      EXPECT_EQ(fromsum, nullptr);
      continue;
    }
    ASSERT_NE(fromsum, nullptr);
    std::set<std::string> got;
    for (const auto& p : fromsum->packages) got.insert(p.name + " " + p.version);
    // Highest by Go's semver (v1.10.0 > v1.2.0, newer pseudo-version, +incompatible v2 > v1.9.0);
    // the required module and the main module are go.mod's.
    EXPECT_EQ(got, (std::set<std::string>{"example.com/x v1.10.0", "example.com/y v0.0.0-20230101000000-abcdefabcdef",
                                          "example.com/z v2.0.0+incompatible"}));
  }
}

TEST(GoSum, MalformedLines) {
  auto a = MakeAnalyzer("go_mod");
  const std::string sum =
      "example.com/ok v1.0.0 h1:abc=\n"
      "only-two-fields v1.0.0\n"
      "example.com/bad notaversion h1:abc=\n"
      "example.com/nohash v1.0.0 nohash\n"
      "example.com/x v1.0.0 h1:abc= extra\n"
      "example.com/gomod v1.0.0/go.mod h1:abc=\n"
      "\n   \n\xff\xfe\x00 garbage\r\n";
  AnalysisResult r = AnalyzeFiles(*a, {{"d/go.mod", "module m\ngo 1.14\n"}, {"d/go.sum", sum}});
  const PackageDB* fromsum = FindDb(r, "d/go.sum");
  ASSERT_NE(fromsum, nullptr);
  ASSERT_EQ(fromsum->packages.size(), 1u);
  EXPECT_EQ(fromsum->packages[0].name, "example.com/ok");
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].where, "d/go.sum");
  EXPECT_NE(r.diagnostics[0].message.find("5 malformed line(s) ignored (first: line 2)"), std::string::npos)
      << r.diagnostics[0].message;
  for (std::string_view s : {std::string_view(""), std::string_view("\n"), std::string_view("a b c"),
                             std::string_view("a v1.0.0 :"), std::string_view("\0\0\0", 3)})
    AnalyzeFiles(*a, {{"go.mod", "module m\n"}, {"go.sum", std::string(s)}});
}

// Debian's golang-golang-x-mod-dev ships x/mod's go.mod (go 1.17) and go.sum: go.sum is not read.
TEST(GoSum, DebianXModIsGo117) {
  const std::string dir = "/usr/share/gocode/src/golang.org/x/mod/";
  auto mod = ReadFile(dir + "go.mod");
  auto sum = ReadFile(dir + "go.sum");
  if (!mod || !sum) GTEST_SKIP() << "golang-golang-x-mod-dev is not installed";
  auto a = MakeAnalyzer("go_mod");
  AnalysisResult r = AnalyzeFiles(*a, {{"x/mod/go.mod", *mod}, {"x/mod/go.sum", *sum}});
  ASSERT_EQ(r.package_dbs.size(), 1u);
  EXPECT_EQ(r.package_dbs[0].path, "x/mod/go.mod");
  // With the go directive lowered to 1.16 the same go.sum is read: its only code hash is that of
  // golang.org/x/tools, which go.mod requires, so it adds nothing (the rest are "/go.mod" lines).
  std::string old = *mod;
  old.replace(old.find("go 1.17"), 7, "go 1.16");
  AnalysisResult r16 = AnalyzeFiles(*a, {{"x/mod/go.mod", old}, {"x/mod/go.sum", *sum}});
  EXPECT_TRUE(r16.diagnostics.empty()) << r16.diagnostics.front().message;
  const PackageDB* fromsum = FindDb(r16, "x/mod/go.sum");
  ASSERT_NE(fromsum, nullptr);
  EXPECT_TRUE(fromsum->packages.empty());
  old.replace(old.find("require golang.org/x/tools"), 7, "// requ");
  AnalysisResult none = AnalyzeFiles(*a, {{"x/mod/go.mod", old}, {"x/mod/go.sum", *sum}});
  fromsum = FindDb(none, "x/mod/go.sum");
  ASSERT_NE(fromsum, nullptr);
  ASSERT_EQ(fromsum->packages.size(), 1u);
  EXPECT_EQ(fromsum->packages[0].name, "golang.org/x/tools");
}

}  // namespace
}  // namespace customs
