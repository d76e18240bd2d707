// rpm analyzer: real databases built with rpmbuild + rpm (sqlite, and Berkeley DB through
// db5.3_load when available), read through an in-memory FileView, compared with `rpm -qa`.
#include <gtest/gtest.h>
#include <signal.h>

#include <set>
#include <thread>

#include "analyzers_test_util.h"

namespace customs {
namespace {

using namespace analyzers_test;

// A FileView over a map of path -> content.
class MemView final : public FileView {
 public:
  std::map<std::string, std::string> files;
  std::optional<std::string_view> Read(std::string_view path) const override {
    auto it = files.find(std::string(path));
    if (it == files.end()) return std::nullopt;
    return std::string_view(it->second);
  }
  std::vector<std::string> Paths() const override {
    std::vector<std::string> out;
    for (const auto& [p, _] : files) out.push_back(p);
    return out;
  }
};

constexpr const char* kLibSpec = R"(Name: hello-lib
Version: 1.2.3
Release: 4.el9
Epoch: 2
Summary: test library
License: MIT and (BSD or GPLv2+)
Vendor: Customs Test
BuildArch: noarch
Provides: libhello.so.1()(64bit)
%description
test
%install
mkdir -p %{buildroot}/usr/lib %{buildroot}/usr/share/doc/hello-lib
echo x > %{buildroot}/usr/lib/libhello.so.1
echo d > %{buildroot}/usr/share/doc/hello-lib/README
%files
/usr/lib/libhello.so.1
/usr/share/doc/hello-lib/README
)";

// Requires a soname (provided by hello-lib), a file (owned by shell-like), something nobody
// provides and itself.
constexpr const char* kAppSpec = R"(Name: hello
Version: 0.9
Release: 1
Summary: test app
License: GPLv2+
BuildArch: noarch
Requires: libhello.so.1()(64bit)
Requires: /usr/bin/sh-like
Requires: nonexistent-capability
Requires: hello
%description
test
%install
mkdir -p %{buildroot}/usr/bin
echo y > %{buildroot}/usr/bin/hello
%files
/usr/bin/hello
)";

constexpr const char* kShellSpec = R"(Name: shell-like
Version: 5.1
Release: 7
Summary: shell
License: GPLv3+
BuildArch: noarch
%description
test
%install
mkdir -p %{buildroot}/usr/bin
echo z > %{buildroot}/usr/bin/sh-like
%files
/usr/bin/sh-like
)";

// Built once: three rpms installed (--justdb) into a sqlite database, plus a gpg-pubkey entry.
class RpmTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!HaveCommand("rpmbuild") || !HaveCommand("rpm")) return;
    work_ = new TempDir();
    const std::string w = work_->path();
    // Everything rpm does here stays inside the work directory (rpmbuild would otherwise open
    // ~/.rpmdb to check build dependencies).
    env_ = "HOME='" + w + "/home' ";
    std::filesystem::create_directories(w + "/home");
    const std::string defs = " --define '_topdir " + w + "/top' --define '_dbpath " + w + "/builddb' ";
    for (auto [name, spec] : {std::pair{"lib", kLibSpec}, {"app", kAppSpec}, {"shell", kShellSpec}}) {
      WriteFile(w + "/" + name + ".spec", spec);
      int st = 0;
      RunCommand(env_ + "rpmbuild" + defs + "-bb '" + w + "/" + name + ".spec' >/dev/null 2>&1", &st);
      if (st != 0) return;
    }
    const std::string root = w + "/root";
    const std::string rpm = env_ + "rpm --root '" + root + "' --dbpath /var/lib/rpm ";
    int st = 0;
    RunCommand(rpm + "--initdb 2>/dev/null", &st);
    if (st != 0) return;
    RunCommand(rpm + "-i --nodeps --justdb --ignorearch '" + w + "/top/RPMS/noarch/'*.rpm 2>/dev/null", &st);
    if (st != 0) return;
    ImportGpgKey(rpm);
    db_dir_ = root + "/var/lib/rpm";
    query_ = RunCommand(rpm + "-qa --qf '%{NAME} %{VERSION}-%{RELEASE}\\n' 2>/dev/null");
  }
  static void TearDownTestSuite() {
    delete work_;
    work_ = nullptr;
  }

  // An imported signing key shows up as a "gpg-pubkey" header, which the analyzer must skip.
  static void ImportGpgKey(const std::string& rpm) {
    if (!HaveCommand("gpg")) return;
    const std::string w = work_->path();
    const std::string gpg = env_ + "GNUPGHOME='" + w + "/gnupg' gpg --batch --quiet ";
    std::filesystem::create_directories(w + "/gnupg");
    std::filesystem::permissions(w + "/gnupg", std::filesystem::perms::owner_all);
    int st = 0;
    RunCommand(gpg +
                   "--passphrase '' --quick-gen-key 'Customs Test <test@example.invalid>' default default "
                   "never 2>/dev/null",
               &st);
    if (st != 0) return;
    RunCommand(gpg + "--armor --export > '" + w + "/key.asc' 2>/dev/null", &st);
    if (st == 0) RunCommand(rpm + "--import '" + w + "/key.asc' 2>/dev/null", &st);
    has_pubkey_ = st == 0;
  }

  void SetUp() override {
    rpm_ = MakeAnalyzer("rpm");
    ASSERT_NE(rpm_, nullptr);
    if (db_dir_.empty()) GTEST_SKIP() << "rpmbuild/rpm unavailable or failed: no test database";
    // The analyzer's temporary directories go here, so that the test can see they are removed.
    scratch_ = std::make_unique<TempDir>();
    const char* old = getenv("TMPDIR");
    old_tmpdir_ = old ? old : "";
    had_tmpdir_ = old != nullptr;
    setenv("TMPDIR", scratch_->path().c_str(), 1);
  }
  void TearDown() override {
    if (!scratch_) return;
    std::error_code ec;
    EXPECT_TRUE(std::filesystem::is_empty(scratch_->path(), ec)) << "temporary files left behind";
    if (had_tmpdir_)
      setenv("TMPDIR", old_tmpdir_.c_str(), 1);
    else
      unsetenv("TMPDIR");
  }

  // The database files of db_dir_, placed under `dir` ("var/lib/rpm/") in a view.
  static MemView ViewOf(const std::string& dir) {
    MemView v;
    for (const auto& e : std::filesystem::directory_iterator(db_dir_)) {
      std::string name = e.path().filename().string();
      if (name.starts_with(".")) continue;
      v.files[dir + name] = *ReadFile(e.path().string());
    }
    return v;
  }

  AnalysisResult Analyze(const FileView& v) {
    AnalysisResult r;
    rpm_->AnalyzeView(v, 0, r);
    return r;
  }

  static std::set<std::string> Expected() {
    std::set<std::string> s;
    std::istringstream in(query_);
    std::string line;
    while (std::getline(in, line))
      if (!line.starts_with("gpg-pubkey ")) s.insert(line);
    return s;
  }

  static std::set<std::string> Got(const std::vector<Package>& pkgs) {
    std::set<std::string> s;
    for (const auto& p : pkgs) s.insert(p.name + " " + p.upstream + "-" + p.release);
    return s;
  }

  static inline TempDir* work_ = nullptr;
  static inline std::string env_, db_dir_, query_;
  static inline bool has_pubkey_ = false;
  std::unique_ptr<Analyzer> rpm_;
  std::unique_ptr<TempDir> scratch_;
  std::string old_tmpdir_;
  bool had_tmpdir_ = false;
};

TEST(RpmWants, Paths) {
  auto rpm = MakeAnalyzer("rpm");
  ASSERT_NE(rpm, nullptr);
  EXPECT_EQ(rpm->Name(), "rpm");
  EXPECT_EQ(rpm->Group(), AnalyzerGroup::kOS);
  EXPECT_TRUE(rpm->NeedsView());
  for (std::string_view dir : {"var/lib/rpm/", "usr/lib/sysimage/rpm/"})
    for (std::string_view f :
         {"Packages", "Packages.db", "Index.db", "rpmdb.sqlite", "rpmdb.sqlite-wal", "rpmdb.sqlite-shm"}) {
      std::string p = std::string(dir) + std::string(f);
      EXPECT_TRUE(rpm->Wants(p, Meta(p))) << p;
    }
  for (std::string_view p :
       {"var/lib/rpm/Name", "var/lib/rpm/.rpm.lock", "/var/lib/rpm/Packages", "var/lib/rpm",
        "var/lib/rpm/sub/Packages", "usr/lib/rpm/Packages", "var/lib/rpmPackages"})
    EXPECT_FALSE(rpm->Wants(p, Meta(p))) << p;
}

TEST_F(RpmTest, SqliteDatabaseMatchesRpmQuery) {
  AnalysisResult r = Analyze(ViewOf("var/lib/rpm/"));
  EXPECT_TRUE(r.diagnostics.empty()) << r.diagnostics.front().message;
  ASSERT_EQ(r.package_dbs.size(), 1u);
  const PackageDB& db = r.package_dbs[0];
  EXPECT_EQ(db.path, "var/lib/rpm/rpmdb.sqlite");
  EXPECT_EQ(db.type, "rpm");
  EXPECT_EQ(Got(db.packages), Expected());
  EXPECT_EQ(db.packages.size(), 3u);
  if (has_pubkey_) EXPECT_NE(query_.find("gpg-pubkey"), std::string::npos);  // present, and skipped

  const Package* lib = FindPackage(db.packages, "hello-lib");
  ASSERT_NE(lib, nullptr);
  EXPECT_EQ(lib->type, "rpm");
  EXPECT_EQ(lib->db_path, "var/lib/rpm/rpmdb.sqlite");
  EXPECT_EQ(lib->version, "2:1.2.3-4.el9");
  EXPECT_EQ(lib->epoch, 2u);
  EXPECT_EQ(lib->upstream, "1.2.3");
  EXPECT_EQ(lib->release, "4.el9");
  EXPECT_EQ(lib->arch, "noarch");
  EXPECT_EQ(lib->src_name, "hello-lib");
  EXPECT_EQ(lib->src_version, "2:1.2.3-4.el9");
  EXPECT_EQ(lib->src_epoch, 2u);
  EXPECT_EQ(lib->src_upstream, "1.2.3");
  EXPECT_EQ(lib->src_release, "4.el9");
  EXPECT_EQ(lib->licenses, std::vector<std::string>{"MIT and (BSD or GPLv2+)"});
  EXPECT_EQ(lib->extra.at("vendor"), "Customs Test");
  EXPECT_EQ(lib->extra.count("modularitylabel"), 0u);
  std::vector<std::string> files = lib->files;
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"usr/lib/libhello.so.1", "usr/share/doc/hello-lib/README"}));
  EXPECT_TRUE(lib->depends.empty());

  const Package* app = FindPackage(db.packages, "hello");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->version, "0.9-1");
  EXPECT_EQ(app->epoch, 0u);
  EXPECT_EQ(app->src_version, "0.9-1");
  EXPECT_EQ(app->files, std::vector<std::string>{"usr/bin/hello"});
  // libhello.so.1()(64bit) -> hello-lib; /usr/bin/sh-like -> shell-like (file owner); the rest dropped.
  EXPECT_EQ(app->depends, (std::vector<std::string>{"hello-lib", "shell-like"}));
  EXPECT_EQ(app->extra.count("vendor"), 0u);
}

TEST_F(RpmTest, SysimageLocationAndMirroredDirectories) {
  AnalysisResult r = Analyze(ViewOf("usr/lib/sysimage/rpm/"));
  ASSERT_EQ(r.package_dbs.size(), 1u);
  EXPECT_EQ(r.package_dbs[0].path, "usr/lib/sysimage/rpm/rpmdb.sqlite");
  EXPECT_EQ(Got(r.package_dbs[0].packages), Expected());

  // var/lib/rpm as a symlink to usr/lib/sysimage/rpm: the same database seen twice is read once.
  MemView both = ViewOf("var/lib/rpm/");
  for (auto& [p, c] : ViewOf("usr/lib/sysimage/rpm/").files) both.files[p] = c;
  AnalysisResult twice = Analyze(both);
  EXPECT_EQ(twice.package_dbs.size(), 1u);
}

TEST_F(RpmTest, WithoutWalAndShm) {
  MemView v = ViewOf("var/lib/rpm/");
  v.files.erase("var/lib/rpm/rpmdb.sqlite-wal");
  v.files.erase("var/lib/rpm/rpmdb.sqlite-shm");
  AnalysisResult r = Analyze(v);
  ASSERT_EQ(r.package_dbs.size(), 1u);
  EXPECT_EQ(Got(r.package_dbs[0].packages), Expected());
}

TEST_F(RpmTest, BrokenDatabasesAreDiagnosed) {
  for (std::string content : {std::string("garbage, not a database"), std::string(4096, '\0'),
                              std::string("SQLite format 3\0", 16) + std::string(5000, 'x')}) {
    MemView v;
    v.files["var/lib/rpm/rpmdb.sqlite"] = content;
    AnalysisResult r = Analyze(v);
    EXPECT_TRUE(r.package_dbs.empty() || r.package_dbs[0].packages.empty());
    ASSERT_FALSE(r.diagnostics.empty());
    EXPECT_EQ(r.diagnostics[0].where, "var/lib/rpm/rpmdb.sqlite");
  }
  // A valid sqlite file that is not an rpm database.
  if (HaveCommand("sqlite3")) {
    TempDir t;
    RunCommand("sqlite3 '" + t.path() + "/x.sqlite' 'CREATE TABLE t(a);' 2>/dev/null");
    MemView v;
    v.files["var/lib/rpm/rpmdb.sqlite"] = ReadFile(t.path() + "/x.sqlite").value_or("");
    AnalysisResult r = Analyze(v);
    EXPECT_TRUE(r.package_dbs.empty());
    EXPECT_FALSE(r.diagnostics.empty());
  }
  // ndb and Berkeley DB files that are garbage.
  for (std::string_view name : {"Packages.db", "Packages"}) {
    MemView v;
    v.files["usr/lib/sysimage/rpm/" + std::string(name)] = "garbage";
    AnalysisResult r = Analyze(v);
    EXPECT_TRUE(r.package_dbs.empty() || r.package_dbs[0].packages.empty()) << name;
    ASSERT_FALSE(r.diagnostics.empty()) << name;
    EXPECT_EQ(r.diagnostics[0].where, "usr/lib/sysimage/rpm/" + std::string(name));
  }
  // Nothing wanted in the view: nothing to say.
  AnalysisResult none = Analyze(MemView{});
  EXPECT_TRUE(none.package_dbs.empty());
  EXPECT_TRUE(none.diagnostics.empty());
}

// The same header blobs in a Berkeley DB hash file, the format of RHEL/CentOS 7 and 8 images, read
// by librpm's bdb_ro backend. db5.3_load writes the file; skipped when it is not installed.
TEST_F(RpmTest, BerkeleyDbDatabase) {
  if (!HaveCommand("db5.3_load") || !HaveCommand("sqlite3")) GTEST_SKIP() << "needs db5.3_load and sqlite3";
  TempDir t;
  // db_load -T reads "key\nvalue\n" pairs in printable form; keys are the header numbers in host
  // byte order (x86: little endian), values the header blobs.
  std::string dump =
      RunCommand("sqlite3 '" + db_dir_ + "/rpmdb.sqlite' \"SELECT hnum, hex(blob) FROM Packages\"");
  std::string input;
  std::istringstream in(dump);
  std::string line;
  auto escape_hex = [](const std::string& hex) {
    std::string out;
    for (size_t i = 0; i + 1 < hex.size(); i += 2)
      out += "\\" + std::string{static_cast<char>(std::tolower(hex[i])),
                                static_cast<char>(std::tolower(hex[i + 1]))};
    return out;
  };
  while (std::getline(in, line)) {
    size_t bar = line.find('|');
    uint32_t hnum = static_cast<uint32_t>(std::stoul(line.substr(0, bar)));
    char key[32];
    snprintf(key, sizeof key, "%02x%02x%02x%02x", hnum & 0xff, (hnum >> 8) & 0xff, (hnum >> 16) & 0xff,
             hnum >> 24);
    input += escape_hex(key) + "\n" + escape_hex(line.substr(bar + 1)) + "\n";
  }
  WriteFile(t.path() + "/in.txt", input);
  int st = 0;
  RunCommand("db5.3_load -T -t hash -f '" + t.path() + "/in.txt' '" + t.path() + "/Packages' 2>&1", &st);
  ASSERT_EQ(st, 0);
  MemView v;
  v.files["var/lib/rpm/Packages"] = *ReadFile(t.path() + "/Packages");
  AnalysisResult r = Analyze(v);
  EXPECT_TRUE(r.diagnostics.empty()) << r.diagnostics.front().message;
  ASSERT_EQ(r.package_dbs.size(), 1u);
  EXPECT_EQ(r.package_dbs[0].path, "var/lib/rpm/Packages");
  EXPECT_EQ(Got(r.package_dbs[0].packages), Expected());
}

// librpm must not write outside its private copy: nothing under $HOME (Debian's default %_dbpath
// is ~/.rpmdb), nothing left in $TMPDIR (checked in TearDown), signal handlers untouched.
TEST_F(RpmTest, NoSideEffects) {
  TempDir home;
  const char* old_home = getenv("HOME");
  std::string saved = old_home ? old_home : "";
  setenv("HOME", home.path().c_str(), 1);
  struct sigaction before[4], after[4];
  const int sigs[4] = {SIGINT, SIGTERM, SIGPIPE, SIGHUP};
  for (int i = 0; i < 4; ++i) sigaction(sigs[i], nullptr, &before[i]);
  AnalysisResult r = Analyze(ViewOf("var/lib/rpm/"));
  for (int i = 0; i < 4; ++i) sigaction(sigs[i], nullptr, &after[i]);
  if (old_home)
    setenv("HOME", saved.c_str(), 1);
  else
    unsetenv("HOME");
  EXPECT_EQ(r.package_dbs.size(), 1u);
  std::error_code ec;
  EXPECT_TRUE(std::filesystem::is_empty(home.path(), ec));
  for (int i = 0; i < 4; ++i) EXPECT_EQ(before[i].sa_handler, after[i].sa_handler) << "signal " << sigs[i];
}

TEST_F(RpmTest, ConcurrentCallsAreSerialized) {
  MemView v = ViewOf("var/lib/rpm/");
  std::vector<AnalysisResult> results(4);
  std::vector<std::thread> threads;
  for (auto& res : results) threads.emplace_back([&] { rpm_->AnalyzeView(v, 0, res); });
  for (auto& t : threads) t.join();
  for (const auto& res : results) {
    ASSERT_EQ(res.package_dbs.size(), 1u);
    EXPECT_EQ(Got(res.package_dbs[0].packages), Expected());
    EXPECT_TRUE(res.diagnostics.empty());
  }
}

}  // namespace
}  // namespace customs
