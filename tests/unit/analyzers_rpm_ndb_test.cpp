// rpm analyzer on ndb databases (SUSE's Packages.db). Debian has no ndb writer, so the test builds a
// real sqlite database with rpmbuild + rpm, takes its header blobs (sqlite3), and lays them out in
// the ndb format with the test-support writer (tests/support/ndb_writer.h), written from rpm's
// description of the format (lib/backend/ndb/rpmpkg.c) independently of the reader in
// src/analyzers/rpm_ndb.cpp. The analyzer must list the same packages as `rpm -qa` on the sqlite
// database, and survive damaged files.
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <set>
#include <tuple>

#include "analyzers/rpm_ndb.h"
#include "analyzers_test_util.h"
#include "support/ndb_writer.h"

namespace customs {
namespace {

using namespace analyzers_test;

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

// The ndb writer (tests/support/ndb_writer.h), written from rpm's description of the format,
// independently of the reader under test.
using customs_test::FixNdbChecksum;
using customs_test::GetLe32;
using customs_test::NdbAdler32;
using customs_test::NdbEntry;
using customs_test::NdbLayout;
using customs_test::PutLe32;
using customs_test::WriteNdb;

// ---------------------------------------------------------------------------------------------

constexpr const char* kLibSpec = R"(Name: hello-lib
Version: 1.2.3
Release: 4.suse
Epoch: 2
Summary: test library
License: MIT
Vendor: Customs Test
BuildArch: noarch
Provides: libhello.so.1()(64bit)
%description
test
%install
mkdir -p %{buildroot}/usr/lib
echo x > %{buildroot}/usr/lib/libhello.so.1
%files
/usr/lib/libhello.so.1
)";

constexpr const char* kAppSpec = R"(Name: hello
Version: 0.9
Release: 1
Summary: test app
License: GPL-2.0-or-later
BuildArch: noarch
Requires: libhello.so.1()(64bit)
Requires: /usr/bin/sh-like
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
License: GPL-3.0-or-later
BuildArch: noarch
%description
test
%install
mkdir -p %{buildroot}/usr/bin
echo z > %{buildroot}/usr/bin/sh-like
%files
/usr/bin/sh-like
)";

class RpmNdbTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!HaveCommand("rpmbuild") || !HaveCommand("rpm") || !HaveCommand("sqlite3")) return;
    work_ = new TempDir();
    const std::string w = work_->path();
    const std::string env = "HOME='" + w + "/home' ";
    std::filesystem::create_directories(w + "/home");
    const std::string defs = " --define '_topdir " + w + "/top' --define '_dbpath " + w + "/builddb' ";
    for (auto [name, spec] : {std::pair{"lib", kLibSpec}, {"app", kAppSpec}, {"shell", kShellSpec}}) {
      WriteFile(w + "/" + name + ".spec", spec);
      int st = 0;
      RunCommand(env + "rpmbuild" + defs + "-bb '" + w + "/" + name + ".spec' >/dev/null 2>&1", &st);
      if (st != 0) return;
    }
    const std::string root = w + "/root";
    const std::string rpm =
        env + "rpm --root '" + root + "' --dbpath /var/lib/rpm --define '_db_backend sqlite' ";
    int st = 0;
    RunCommand(rpm + "--initdb 2>/dev/null", &st);
    if (st != 0) return;
    RunCommand(rpm + "-i --nodeps --justdb --ignorearch '" + w + "/top/RPMS/noarch/'*.rpm 2>/dev/null", &st);
    if (st != 0) return;
    const std::string db = root + "/var/lib/rpm/rpmdb.sqlite";
    query_ = RunCommand(rpm + "-qa --qf '%{NAME} %{VERSION}-%{RELEASE}\\n' 2>/dev/null");
    // The header blobs, hex-encoded, with their header numbers (ndb's package indexes).
    std::vector<NdbEntry> parsed;
    try {
      parsed = customs_test::ParseSqliteHeaderDump(
          RunCommand("sqlite3 '" + db + "' 'SELECT hnum, hex(blob) FROM Packages ORDER BY hnum'"));
    } catch (const std::exception&) {
      return;
    }
    auto* entries = new std::vector<NdbEntry>(std::move(parsed));
    entries_ = entries;
    sqlite_ = new std::string(*ReadFile(db));
  }
  static void TearDownTestSuite() {
    delete work_;
    delete entries_;
    delete sqlite_;
    work_ = nullptr;
    entries_ = nullptr;
    sqlite_ = nullptr;
  }

  void SetUp() override {
    rpm_ = MakeAnalyzer("rpm");
    ASSERT_NE(rpm_, nullptr);
    if (!entries_ || entries_->size() != 3) GTEST_SKIP() << "rpmbuild/rpm/sqlite3 unavailable or failed";
  }

  AnalysisResult Analyze(const std::string& packages_db, const std::string& dir = "var/lib/rpm/") {
    MemView v;
    v.files[dir + "Packages.db"] = packages_db;
    v.files[dir + "Index.db"] = "an index the reader does not need";
    AnalysisResult r;
    rpm_->AnalyzeView(v, 0, r);
    return r;
  }

  static std::set<std::string> Expected() {
    std::set<std::string> s;
    std::istringstream in(query_);
    std::string line;
    while (std::getline(in, line)) s.insert(line);
    return s;
  }
  static std::set<std::string> Got(const AnalysisResult& r) {
    std::set<std::string> s;
    for (const auto& db : r.package_dbs)
      for (const auto& p : db.packages) s.insert(p.name + " " + p.upstream + "-" + p.release);
    return s;
  }
  static std::string Messages(const AnalysisResult& r) {
    std::string s;
    for (const auto& d : r.diagnostics) s += d.where + ": " + d.message + "\n";
    return s;
  }
  // The entries' indexes in `entries_` by package name.
  static size_t IndexOf(std::string_view name) {
    for (size_t i = 0; i < entries_->size(); ++i)
      if ((*entries_)[i].blob.find(std::string(name) + '\0') != std::string::npos) return i;
    return SIZE_MAX;
  }

  // Analyzes a database damaged by `damage`; expects exactly the other packages and at least one
  // diagnostic naming the file and containing `expect`.
  void ExpectOneSkipped(const std::function<void(NdbLayout&, size_t victim)>& damage,
                        const std::string& expect) {
    NdbLayout l = WriteNdb(*entries_);
    const size_t victim = IndexOf("shell-like");
    ASSERT_NE(victim, SIZE_MAX);
    damage(l, victim);
    AnalysisResult r = Analyze(l.file);
    std::set<std::string> want = Expected();
    for (auto it = want.begin(); it != want.end();)
      it = it->starts_with("shell-like ") ? want.erase(it) : ++it;
    EXPECT_EQ(Got(r), want) << expect;
    ASSERT_FALSE(r.diagnostics.empty()) << expect;
    EXPECT_EQ(r.diagnostics[0].where, "var/lib/rpm/Packages.db");
    EXPECT_NE(Messages(r).find(expect), std::string::npos) << Messages(r);
  }

  static inline TempDir* work_ = nullptr;
  static inline std::vector<NdbEntry>* entries_ = nullptr;
  static inline std::string* sqlite_ = nullptr;
  static inline std::string query_;
  std::unique_ptr<Analyzer> rpm_;
};

TEST_F(RpmNdbTest, MatchesRpmQueryOnTheSqliteDatabase) {
  for (std::string dir : {"var/lib/rpm/", "usr/lib/sysimage/rpm/"}) {
    AnalysisResult r = Analyze(WriteNdb(*entries_).file, dir);
    EXPECT_TRUE(r.diagnostics.empty()) << Messages(r);
    ASSERT_EQ(r.package_dbs.size(), 1u);
    EXPECT_EQ(r.package_dbs[0].path, dir + "Packages.db");
    EXPECT_EQ(r.package_dbs[0].type, "rpm");
    EXPECT_EQ(Got(r), Expected());
    EXPECT_EQ(r.package_dbs[0].packages.size(), 3u);
  }
}

// The ndb path and the sqlite path share the header -> package code: same packages, field by field.
TEST_F(RpmNdbTest, SamePackagesAsTheSqlitePath) {
  AnalysisResult ndb = Analyze(WriteNdb(*entries_).file);
  MemView v;
  v.files["var/lib/rpm/rpmdb.sqlite"] = *sqlite_;
  AnalysisResult sql;
  rpm_->AnalyzeView(v, 0, sql);
  ASSERT_EQ(ndb.package_dbs.size(), 1u);
  ASSERT_EQ(sql.package_dbs.size(), 1u);
  auto by_name = [](std::vector<Package> v) {
    std::sort(v.begin(), v.end(), [](const Package& a, const Package& b) { return a.name < b.name; });
    return v;
  };
  auto a = by_name(ndb.package_dbs[0].packages), b = by_name(sql.package_dbs[0].packages);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].db_path, "var/lib/rpm/Packages.db");
    EXPECT_EQ(a[i].name, b[i].name);
    EXPECT_EQ(a[i].version, b[i].version);
    EXPECT_EQ(a[i].epoch, b[i].epoch);
    EXPECT_EQ(a[i].arch, b[i].arch);
    EXPECT_EQ(a[i].src_name, b[i].src_name);
    EXPECT_EQ(a[i].src_version, b[i].src_version);
    EXPECT_EQ(a[i].licenses, b[i].licenses);
    EXPECT_EQ(a[i].depends, b[i].depends);
    EXPECT_EQ(a[i].files, b[i].files);
    EXPECT_EQ(a[i].extra, b[i].extra);
  }
  const Package* lib = FindPackage(a, "hello-lib");
  ASSERT_NE(lib, nullptr);
  EXPECT_EQ(lib->version, "2:1.2.3-4.suse");
  EXPECT_EQ(lib->extra.at("vendor"), "Customs Test");
  EXPECT_EQ(lib->files, std::vector<std::string>{"usr/lib/libhello.so.1"});
  const Package* app = FindPackage(a, "hello");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->depends, (std::vector<std::string>{"hello-lib", "shell-like"}));
}

// Several slot pages, free slots between used ones, sparse package indexes, blobs in another order
// than their slots; and an empty database.
TEST_F(RpmNdbTest, LayoutVariants) {
  std::vector<NdbEntry> sparse = *entries_;
  for (size_t i = 0; i < sparse.size(); ++i) sparse[i].pkgidx = static_cast<uint32_t>(1000 * (i + 1) + 7);
  for (auto [pages, first, step] :
       {std::tuple{1u, size_t{2}, size_t{1}}, {3u, size_t{5}, size_t{300}}, {2u, size_t{255}, size_t{1}}}) {
    AnalysisResult r = Analyze(WriteNdb(sparse, pages, first, step).file);
    EXPECT_TRUE(r.diagnostics.empty()) << Messages(r);
    EXPECT_EQ(Got(r), Expected()) << pages << " pages";
  }
  AnalysisResult empty = Analyze(WriteNdb({}).file);
  EXPECT_TRUE(empty.diagnostics.empty()) << Messages(empty);
  ASSERT_EQ(empty.package_dbs.size(), 1u);
  EXPECT_TRUE(empty.package_dbs[0].packages.empty());

  // The reader itself: blobs ordered by package index, views of the header bytes.
  NdbLayout l = WriteNdb(sparse, 2, 300, 3);
  rpm_ndb::Contents c;
  std::string err;
  ASSERT_TRUE(rpm_ndb::Read(l.file, c, err)) << err;
  EXPECT_EQ(c.generation, 7u);
  EXPECT_TRUE(c.problems.empty());
  ASSERT_EQ(c.blobs.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(c.blobs[i].pkgidx, sparse[i].pkgidx);
    EXPECT_EQ(c.blobs[i].header, sparse[i].blob);
  }
}

TEST_F(RpmNdbTest, DamagedSlotsAndBlobsAreSkippedAndDiagnosed) {
  ExpectOneSkipped([](NdbLayout& l, size_t v) { l.file[l.slot_offsets[v]] = 'X'; }, "bad slot magic");
  ExpectOneSkipped([](NdbLayout& l, size_t v) { l.file[l.blob_offsets[v]] = 'X'; }, "bad blob head magic");
  ExpectOneSkipped(
      [](NdbLayout& l, size_t v) {
        size_t len = GetLe32(l.file, l.blob_offsets[v] + 12);
        l.file[l.blob_offsets[v] + 16 + len / 2] ^= 0x5a;  // a byte of the header
      },
      "checksum mismatch");
  ExpectOneSkipped(
      [](NdbLayout& l, size_t v) {
        size_t end = l.blob_offsets[v] + 16 * GetLe32(l.file, l.slot_offsets[v] + 12);
        l.file[end - 1] = 'X';  // tail magic
      },
      "bad blob tail magic");
  ExpectOneSkipped(
      [](NdbLayout& l, size_t v) {  // head length changed (checksum fixed): no longer fits the blocks
        PutLe32(l.file, l.blob_offsets[v] + 12, GetLe32(l.file, l.blob_offsets[v] + 12) + 64);
        FixNdbChecksum(l.file, l.blob_offsets[v]);
      },
      "does not fit");
  ExpectOneSkipped(
      [](NdbLayout& l, size_t v) {  // the tail length disagrees with the head
        size_t end = l.blob_offsets[v] + 16 * GetLe32(l.file, l.slot_offsets[v] + 12);
        PutLe32(l.file, end - 8, 1);
      },
      "disagree on the length");
  ExpectOneSkipped([](NdbLayout& l, size_t v) { PutLe32(l.file, l.slot_offsets[v] + 4, 99); },
                   "blob belongs to package");
  ExpectOneSkipped([](NdbLayout& l, size_t v) { PutLe32(l.file, l.slot_offsets[v] + 8, 3); },
                   "points into the slot pages");
  ExpectOneSkipped([](NdbLayout& l, size_t v) { PutLe32(l.file, l.slot_offsets[v] + 12, 0xffffffffu); },
                   "past the end of the file");
  ExpectOneSkipped([](NdbLayout& l, size_t v) { PutLe32(l.file, l.slot_offsets[v] + 8, 0xffffffffu); },
                   "past the end of the file");
  ExpectOneSkipped([](NdbLayout& l, size_t v) { PutLe32(l.file, l.slot_offsets[v] + 12, 1); }, "too small");
  ExpectOneSkipped([](NdbLayout& l, size_t v) { PutLe32(l.file, l.slot_offsets[v] + 4, 0); },
                   "without package index");
  ExpectOneSkipped(
      [](NdbLayout& l, size_t v) {  // huge length, checksum fixed
        PutLe32(l.file, l.blob_offsets[v] + 12, 0xffffffffu);
        size_t end = l.blob_offsets[v] + 16 * GetLe32(l.file, l.slot_offsets[v] + 12);
        PutLe32(
            l.file, end - 12,
            NdbAdler32(std::string_view(l.file).substr(l.blob_offsets[v], end - 12 - l.blob_offsets[v])));
      },
      "does not fit");
  // A blob whose framing is fine but whose content is no rpm header: librpm refuses it.
  ExpectOneSkipped(
      [](NdbLayout& l, size_t v) {
        size_t len = GetLe32(l.file, l.blob_offsets[v] + 12);
        for (size_t i = 0; i < len; ++i) l.file[l.blob_offsets[v] + 16 + i] = static_cast<char>(0xee ^ i);
        FixNdbChecksum(l.file, l.blob_offsets[v]);
      },
      "librpm rejects the header blob");
  // Truncated in the middle of the last blob (the first entry's: blobs are written in reverse).
  ExpectOneSkipped(
      [](NdbLayout& l, size_t v) {
        std::vector<NdbEntry> order = *entries_;
        std::swap(order[0], order[v]);
        l = WriteNdb(order);
        l.file.resize(l.file.size() - 40);
      },
      "past the end of the file");
  // Two slots for one package: the second is refused.
  {
    NdbLayout l = WriteNdb(*entries_);
    std::memcpy(&l.file[l.slot_offsets[2] + 16], &l.file[l.slot_offsets[0]], 16);
    AnalysisResult r = Analyze(l.file);
    EXPECT_EQ(Got(r), Expected());
    EXPECT_NE(Messages(r).find("used by an earlier slot"), std::string::npos) << Messages(r);
  }
}

TEST_F(RpmNdbTest, UnreadableFilesAreDiagnosed) {
  const std::string good = WriteNdb(*entries_).file;
  std::vector<std::pair<std::string, std::string>> cases = {
      {"", "shorter than the file header"},   {good.substr(0, 31), "shorter than the file header"},
      {good.substr(0, 4000), "slot pages"},  // truncated inside the slot page
      {std::string(8192, '\0'), "bad magic"}, {"garbage", "shorter than the file header"},
  };
  std::string v1 = good;
  PutLe32(v1, 4, 1);
  cases.push_back({v1, "unsupported ndb version 1"});
  std::string huge = good;
  PutLe32(huge, 12, 0xffffffffu);
  cases.push_back({huge, "slot pages"});
  std::string none = good;
  PutLe32(none, 12, 0);
  cases.push_back({none, "without slot pages"});
  for (const auto& [content, expect] : cases) {
    AnalysisResult r = Analyze(content);
    EXPECT_TRUE(r.package_dbs.empty()) << expect;
    ASSERT_EQ(r.diagnostics.size(), 1u) << expect;
    EXPECT_EQ(r.diagnostics[0].where, "var/lib/rpm/Packages.db");
    EXPECT_NE(r.diagnostics[0].message.find(expect), std::string::npos) << r.diagnostics[0].message;
  }
}

// A file of nothing but damaged slots: the problems are listed up to a cap, then counted.
TEST(RpmNdbReader, ProblemsAreCapped) {
  std::string f(4096 * 4, 'x');
  PutLe32(f, 0, 0x506d7052);
  PutLe32(f, 4, 0);
  PutLe32(f, 12, 4);
  rpm_ndb::Contents c;
  std::string err;
  ASSERT_TRUE(rpm_ndb::Read(f, c, err)) << err;
  EXPECT_TRUE(c.blobs.empty());
  ASSERT_LE(c.problems.size(), 40u);
  EXPECT_NE(c.problems.back().find("more damaged"), std::string::npos) << c.problems.back();
}

// Every truncation and every single-byte change of a valid file: no crash, and either packages or
// diagnostics (run under the sanitizers by the fuzz target as well).
TEST_F(RpmNdbTest, EveryTruncationAndByteFlipIsSafe) {
  const std::string good = WriteNdb({(*entries_)[0]}).file;
  for (size_t n = 0; n < good.size(); n += 7) {
    AnalysisResult r = Analyze(good.substr(0, n));
    EXPECT_TRUE(!r.diagnostics.empty() || (r.package_dbs.size() == 1 && r.package_dbs[0].packages.empty()))
        << n;
  }
  rpm_ndb::Contents c;
  std::string err;
  for (size_t i = 0; i < good.size(); i += 3) {
    std::string f = good;
    f[i] ^= 0x41;
    c = {};
    rpm_ndb::Read(f, c, err);  // must not read out of bounds; ASan builds check
    EXPECT_LE(c.blobs.size(), 1u);
  }
}

}  // namespace
}  // namespace customs
