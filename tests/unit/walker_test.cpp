// The walker, its streams and the squashed view, on tars written by the fixture library
// (libarchive + zlib + zstd directly, independent of customs' own code).
#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <filesystem>
#include <map>

#include "analyzers/analyzer.h"
#include "core/entry_path.h"
#include "core/error.h"
#include "inventory/inventory.h"
#include "support/fixtures.h"
#include "walker/squash.h"
#include "source/streams.h"
#include "walker/walker.h"

using namespace customs;
using customs_test::Compression;
using customs_test::TarEntry;
using customs_test::TempDir;

namespace {

std::string Normalize(const std::string& raw) {
  std::string out, reason;
  if (!NormalizeEntryPath(raw, out, reason)) return "!" + reason.substr(0, reason.find(' '));
  return out;
}

struct Listed {
  std::vector<RawEntry> entries;
  std::map<std::string, std::string> contents;
  StreamStats stats;
};

Listed ListTar(const std::string& path, const Limits& limits = {}) {
  Listed l;
  auto s = OpenTarStream(OpenFileBytes(path), path, limits);
  RawEntry e;
  while (s->Next(e)) {
    std::string data;
    if (e.type == FileType::kRegular)
      for (auto b = s->ReadBlock(); !b.empty(); b = s->ReadBlock()) data.append(b.data(), b.size());
    l.contents[e.path] = data;
    l.entries.push_back(e);
  }
  l.stats = s->Finish();
  return l;
}

std::string ErrorOf(const std::function<void()>& f, int* code = nullptr) {
  try {
    f();
  } catch (const Error& e) {
    if (code) *code = e.code();
    return e.what();
  }
  return "";
}

// A LoadedSource over tar files (one per layer), as the image sources build it.
LoadedSource SourceOf(const std::vector<customs_test::BlobInfo>& blobs, bool image = true) {
  LoadedSource src;
  src.artifact.type = image ? ArtifactType::kContainerImage : ArtifactType::kRootfs;
  src.artifact.name = "test";
  for (size_t i = 0; i < blobs.size(); ++i) {
    LayerInfo li;
    li.index = int(i);
    li.digest = blobs[i].digest;
    li.diff_id = blobs[i].diff_id;
    src.layers.push_back(li);
    src.expect.push_back({blobs[i].digest, blobs[i].diff_id});
    std::string p = blobs[i].path;
    src.streams.push_back(MakeLayerSource("layer" + std::to_string(i), [p] {
      return OpenTarStream(OpenFileBytes(p), p, Limits{});
    }));
  }
  return src;
}

Inventory Inventorize(const LoadedSource& src) {
  auto owned = MakeAnalyzers({AnalyzerGroup::kOS});
  std::vector<const Analyzer*> an;
  for (auto& a : owned) an.push_back(a.get());
  WalkOptions wo;
  auto scans = WalkLayers(src, an, wo);
  return BuildInventory(src, scans, an, Limits{});
}

const std::string kApkDb2 =
    "P:alpha\nV:1.0-r0\nA:x86_64\no:alpha\nL:MIT\n\n"
    "P:beta\nV:2.0-r0\nA:x86_64\no:beta\nL:MIT\n\n";

const Package* FindPkg(const Inventory& inv, const std::string& name) {
  for (const auto& p : inv.packages)
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace

TEST(NormalizeEntryPath, CleansAndRejects) {
  EXPECT_EQ(Normalize("./etc/passwd"), "etc/passwd");
  EXPECT_EQ(Normalize("etc//apk/./db/"), "etc/apk/db");
  EXPECT_EQ(Normalize("./"), "");
  EXPECT_EQ(Normalize("."), "");
  EXPECT_EQ(Normalize("../etc/passwd"), "!path");
  EXPECT_EQ(Normalize("a/../../b"), "!path");
  EXPECT_EQ(Normalize("a/b/.."), "!path");
  EXPECT_EQ(Normalize("/etc/passwd"), "!absolute");
  EXPECT_EQ(Normalize("..."), "...");
  EXPECT_EQ(Normalize("a/..b"), "a/..b");
}

TEST(NormalizeEntryPath, NormalPathsAreRecognizedExactly) {
  // IsNormalEntryPath(p) must hold exactly when normalizing p succeeds and changes nothing.
  const std::vector<std::string> parts = {"a", ".", "..", "", "...", ".wh.x", "b c"};
  std::vector<std::string> paths = {"", "/", "//", "a\0b", std::string("a/b\0", 4)};
  for (const auto& x : parts)
    for (const auto& y : parts)
      for (const auto& z : parts) {
        paths.push_back(x + "/" + y + "/" + z);
        paths.push_back(x + "/" + y);
        paths.push_back("/" + x + "/" + z);
      }
  for (const auto& p : parts) paths.push_back(p);
  for (const auto& p : paths) {
    std::string out, reason;
    const bool same = NormalizeEntryPath(p, out, reason) && out == p;
    EXPECT_EQ(IsNormalEntryPath(p), same) << "'" << p << "'";
  }
}

TEST(TarStream, ReadsEveryCompressionAndHashesBothForms) {
  TempDir dir;
  std::vector<TarEntry> entries = {TarEntry::Dir("etc"), TarEntry::File("etc/hello", "hello world\n"),
                                   TarEntry::Symlink("etc/link", "hello"), TarEntry::Hardlink("etc/hard", "etc/hello")};
  for (auto c : {Compression::kNone, Compression::kGzip, Compression::kZstd}) {
    auto blob = customs_test::WriteTar(dir / (std::string("l.") + customs_test::CompressionName(c)), entries, c);
    auto l = ListTar(blob.path);
    ASSERT_EQ(l.entries.size(), 4u);
    EXPECT_EQ(l.contents["etc/hello"], "hello world\n");
    EXPECT_EQ(l.entries[2].type, FileType::kSymlink);
    EXPECT_EQ(l.entries[2].link, "hello");
    EXPECT_EQ(l.entries[3].type, FileType::kHardlink);
    EXPECT_EQ(l.entries[3].link, "etc/hello");
    EXPECT_TRUE(l.stats.digests_valid);
    EXPECT_EQ(l.stats.stored_sha256, blob.digest) << customs_test::CompressionName(c);
    EXPECT_EQ(l.stats.uncompressed_sha256, blob.diff_id) << customs_test::CompressionName(c);
    EXPECT_EQ(l.stats.stored_bytes, blob.size);
  }
}

TEST(TarStream, EmptyStreamIsAnEmptyLayer) {
  TempDir dir;
  customs_test::WriteFile(dir / "empty", "");
  auto l = ListTar(dir / "empty");
  EXPECT_TRUE(l.entries.empty());
}

TEST(TarStream, RejectsNonTarTruncatedAndCorrupt) {
  TempDir dir;
  customs_test::WriteFile(dir / "text", std::string(4096, 'x'));
  int code = 0;
  auto msg = ErrorOf([&] { ListTar(dir / "text"); }, &code);
  EXPECT_EQ(code, kExitInputRejected);
  EXPECT_NE(msg.find("not a tar"), std::string::npos) << msg;

  std::string big(200000, 'a');
  for (size_t i = 0; i < big.size(); ++i) big[i] = char('a' + (i * 7919) % 26);
  for (auto c : {Compression::kNone, Compression::kGzip, Compression::kZstd}) {
    auto blob = customs_test::WriteTar(dir / "t", {TarEntry::File("big", big)}, c);
    std::string bytes = customs_test::ReadFile(blob.path);
    customs_test::WriteFile(dir / "cut", bytes.substr(0, bytes.size() / 2));
    msg = ErrorOf([&] { ListTar(dir / "cut"); }, &code);
    EXPECT_EQ(code, kExitInputRejected) << customs_test::CompressionName(c);
    EXPECT_NE(msg.find("truncated"), std::string::npos) << customs_test::CompressionName(c) << ": " << msg;
    EXPECT_NE(msg.find(dir / "cut"), std::string::npos) << msg;
  }
  auto blob = customs_test::WriteTar(dir / "g", {TarEntry::File("big", big)}, Compression::kGzip);
  std::string bytes = customs_test::ReadFile(blob.path);
  for (size_t i = 100; i < 200; ++i) bytes[i] = char(bytes[i] ^ 0x5a);
  customs_test::WriteFile(dir / "corrupt", bytes);
  msg = ErrorOf([&] { ListTar(dir / "corrupt"); }, &code);
  EXPECT_EQ(code, kExitInputRejected);
  EXPECT_FALSE(msg.empty());
}

TEST(TarStream, StopsDecompressionBombs) {
  TempDir dir;
  for (auto c : {Compression::kGzip, Compression::kZstd}) {
    auto bomb = customs_test::MakeZeroBombLayer(dir.path(), c, 64ull << 20);
    Limits lim;
    lim.ratio_check_after_bytes = 4 << 20;
    lim.max_compression_ratio = 100;
    int code = 0;
    auto msg = ErrorOf([&] { ListTar(bomb.blob.path, lim); }, &code);
    EXPECT_EQ(code, kExitInputRejected);
    EXPECT_NE(msg.find("decompression bomb"), std::string::npos) << msg;

    Limits small;
    small.max_layer_bytes = 8 << 20;
    msg = ErrorOf([&] { ListTar(bomb.blob.path, small); }, &code);
    EXPECT_NE(msg.find("--max-layer-size"), std::string::npos) << msg;
  }
}

TEST(SquashedView, WhiteoutsOpaqueReplacementAndLinks) {
  TempDir dir;
  auto l0 = customs_test::WriteTar(dir / "0", {TarEntry::Dir("a"), TarEntry::File("a/x", "1"), TarEntry::File("a/y", "2"),
                                               TarEntry::Dir("b"), TarEntry::File("b/z", "3"), TarEntry::Dir("c"),
                                               TarEntry::File("c/old", "4"), TarEntry::File("keep", "k"),
                                               TarEntry::Symlink("abs", "/a/y"), TarEntry::Symlink("rel", "../../a/x"),
                                               TarEntry::Symlink("loop1", "loop2"), TarEntry::Symlink("loop2", "loop1"),
                                               TarEntry::Symlink("dirlink", "a")});
  auto l1 = customs_test::WriteTar(dir / "1", {TarEntry::Whiteout("a/x"), TarEntry::OpaqueWhiteout("c"),
                                               TarEntry::File("c/new", "5"), TarEntry::File("b", "now a file"),
                                               TarEntry::Hardlink("hl", "keep")});
  auto src = SourceOf({l0, l1});
  auto scans = WalkLayers(src, {}, WalkOptions{});
  SquashedView view(scans, {"l0", "l1"}, Limits{});
  EXPECT_EQ(view.Find("a/x"), nullptr);
  ASSERT_NE(view.Find("a/y"), nullptr);
  EXPECT_EQ(view.Find("a/y")->layer, 0);
  EXPECT_EQ(view.Find("c/old"), nullptr);
  ASSERT_NE(view.Find("c/new"), nullptr);
  EXPECT_EQ(view.Find("c/new")->layer, 1);
  EXPECT_EQ(view.Find("b/z"), nullptr);
  EXPECT_EQ(view.Find("b")->meta->type, FileType::kRegular);
  std::string r;
  EXPECT_EQ(view.Resolve("abs", r), SquashedView::Resolution::kFound);
  EXPECT_EQ(r, "a/y");
  EXPECT_EQ(view.Resolve("rel", r), SquashedView::Resolution::kMissing);  // ../../a/x clamps to a/x, deleted
  EXPECT_EQ(r, "a/x");
  EXPECT_EQ(view.Resolve("dirlink/y", r), SquashedView::Resolution::kFound);
  EXPECT_EQ(r, "a/y");
  EXPECT_EQ(view.Resolve("loop1", r), SquashedView::Resolution::kLoop);
  EXPECT_EQ(view.Resolve("hl", r), SquashedView::Resolution::kFound);
  EXPECT_EQ(r, "keep");
}

TEST(SquashedView, HardlinkToMissingTargetIsRejected) {
  TempDir dir;
  auto l0 = customs_test::WriteTar(dir / "0", {TarEntry::File("x", "1")});
  auto l1 = customs_test::WriteTar(dir / "1", {TarEntry::Whiteout("x"), TarEntry::Hardlink("y", "x")});
  auto src = SourceOf({l0, l1});
  auto scans = WalkLayers(src, {}, WalkOptions{});
  int code = 0;
  auto msg = ErrorOf([&] { SquashedView view(scans, {"l0", "l1"}, Limits{}); }, &code);
  EXPECT_EQ(code, kExitInputRejected);
  EXPECT_NE(msg.find("missing target"), std::string::npos) << msg;
  EXPECT_NE(msg.find("l1"), std::string::npos) << msg;
}

TEST(Walker, RejectsTraversalAbsolutePathsAndBadDigests) {
  TempDir dir;
  for (std::string bad : {"../../etc/passwd", "/etc/shadow", "a/../../x"}) {
    auto l = customs_test::WriteTar(dir / "bad", {TarEntry::File(bad, "x")});
    auto src = SourceOf({l});
    int code = 0;
    auto msg = ErrorOf([&] { WalkLayers(src, {}, WalkOptions{}); }, &code);
    EXPECT_EQ(code, kExitInputRejected) << bad;
    EXPECT_NE(msg.find(bad), std::string::npos) << msg;
  }
  auto good = customs_test::WriteTar(dir / "good", {TarEntry::File("a", "x")}, Compression::kGzip);
  auto src = SourceOf({good});
  src.expect[0].digest = "sha256:" + std::string(64, '0');
  auto msg = ErrorOf([&] { WalkLayers(src, {}, WalkOptions{}); });
  EXPECT_NE(msg.find("digest mismatch"), std::string::npos) << msg;
  src = SourceOf({good});
  src.expect[0].diff_id = "sha256:" + std::string(64, '1');
  msg = ErrorOf([&] { WalkLayers(src, {}, WalkOptions{}); });
  EXPECT_NE(msg.find("diff_id mismatch"), std::string::npos) << msg;

  auto big = customs_test::WriteTar(dir / "big", {TarEntry::File("f", std::string(5000, 'x'))});
  src = SourceOf({big});
  WalkOptions wo;
  wo.limits.max_file_bytes = 4096;
  msg = ErrorOf([&] { WalkLayers(src, {}, wo); });
  EXPECT_NE(msg.find("--max-file-size"), std::string::npos) << msg;
}

TEST(Inventory, AttributesPackagesToTheLayerThatIntroducedThem) {
  TempDir dir;
  const std::string db3 = kApkDb2 + "P:gamma\nV:3.0-r0\nA:x86_64\no:gamma\nL:MIT\n\n";
  std::string db_upgraded = db3;
  db_upgraded.replace(db_upgraded.find("V:2.0-r0"), 8, "V:2.1-r0");
  auto l0 = customs_test::WriteTar(dir / "0", {TarEntry::File("etc/alpine-release", "3.9.6\n"),
                                               TarEntry::File("lib/apk/db/installed", kApkDb2)});
  auto l1 = customs_test::WriteTar(dir / "1", {TarEntry::File("lib/apk/db/installed", db3)}, Compression::kGzip);
  auto l2 = customs_test::WriteTar(dir / "2", {TarEntry::File("unrelated", "x")}, Compression::kZstd);
  auto l3 = customs_test::WriteTar(dir / "3", {TarEntry::File("lib/apk/db/installed", db_upgraded)});
  auto inv = Inventorize(SourceOf({l0, l1, l2, l3}));
  ASSERT_TRUE(inv.os.has_value());
  EXPECT_EQ(inv.os->family, "alpine");
  EXPECT_EQ(inv.os->version, "3.9.6");
  ASSERT_EQ(inv.packages.size(), 3u);
  EXPECT_EQ(FindPkg(inv, "alpha")->layer, 0);
  EXPECT_EQ(FindPkg(inv, "beta")->layer, 3);
  EXPECT_EQ(FindPkg(inv, "beta")->version, "2.1-r0");
  EXPECT_EQ(FindPkg(inv, "gamma")->layer, 1);
  ASSERT_EQ(inv.layers.size(), 4u);
  EXPECT_EQ(inv.layers[1].diff_id, l1.diff_id);
}

TEST(Inventory, ReinstallAfterDeletionStartsANewHistory) {
  TempDir dir;
  auto l0 = customs_test::WriteTar(dir / "0", {TarEntry::File("lib/apk/db/installed", kApkDb2)});
  auto l1 = customs_test::WriteTar(dir / "1", {TarEntry::Whiteout("lib/apk/db/installed")});
  auto l2 = customs_test::WriteTar(dir / "2", {TarEntry::File("lib/apk/db/installed", kApkDb2)});
  auto inv = Inventorize(SourceOf({l0, l1, l2}));
  ASSERT_EQ(inv.packages.size(), 2u);
  EXPECT_EQ(inv.packages[0].layer, 2);

  auto gone = Inventorize(SourceOf({l0, l1}));
  EXPECT_TRUE(gone.packages.empty());
}

TEST(Inventory, FollowsSymlinksAndHardlinksToWantedFiles) {
  TempDir dir;
  const std::string os_release = "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n";
  // etc/os-release -> a file no analyzer wants: fetched by a second read of layer 0.
  auto l0 = customs_test::WriteTar(dir / "0", {TarEntry::Dir("etc"), TarEntry::Dir("opt"),
                                               TarEntry::File("opt/osrel", os_release)});
  auto l1 = customs_test::WriteTar(dir / "1", {TarEntry::Symlink("etc/os-release", "../opt/osrel"),
                                               TarEntry::Hardlink("lib/apk/db/installed", "opt/osrel")});
  auto inv = Inventorize(SourceOf({l0, l1}));
  ASSERT_TRUE(inv.os.has_value());
  EXPECT_EQ(inv.os->family, "debian");
  EXPECT_EQ(inv.os->codename, "bookworm");

  auto loop = customs_test::WriteTar(dir / "loop", {TarEntry::Dir("etc"), TarEntry::Symlink("etc/os-release", "os-release2"),
                                                   TarEntry::Symlink("etc/os-release2", "/etc/os-release")});
  int code = 0;
  auto msg = ErrorOf([&] { Inventorize(SourceOf({loop})); }, &code);
  EXPECT_EQ(code, kExitInputRejected);
  EXPECT_NE(msg.find("symlink loop"), std::string::npos) << msg;
  EXPECT_NE(msg.find("etc/os-release"), std::string::npos) << msg;
}

// The reference walk: std::filesystem, depth first, names in byte order per directory.
void ReferenceWalk(const std::filesystem::path& root, const std::string& rel, std::vector<RawEntry>& out) {
  std::vector<std::string> names;
  for (const auto& de : std::filesystem::directory_iterator(rel.empty() ? root : root / rel))
    names.push_back(de.path().filename().string());
  std::sort(names.begin(), names.end());
  for (const auto& n : names) {
    RawEntry e;
    e.path = rel.empty() ? n : rel + "/" + n;
    struct stat st;
    if (::lstat((root / e.path).c_str(), &st) != 0) continue;
    e.mode = st.st_mode & 07777;
    e.uid = st.st_uid;
    e.gid = st.st_gid;
    if (S_ISREG(st.st_mode)) {
      e.type = FileType::kRegular;
      e.size = uint64_t(st.st_size);
    } else if (S_ISDIR(st.st_mode)) {
      e.type = FileType::kDirectory;
    } else if (S_ISLNK(st.st_mode)) {
      e.type = FileType::kSymlink;
      e.link = std::filesystem::read_symlink(root / e.path).string();
    } else if (S_ISFIFO(st.st_mode)) {
      e.type = FileType::kFifo;
    } else {
      e.type = FileType::kSocket;
    }
    out.push_back(e);
    if (e.type == FileType::kDirectory) ReferenceWalk(root, e.path, out);
  }
}

TEST(DirectoryStream, ListsEveryEntryInOrderWithItsMetadata) {
  TempDir dir;
  const std::filesystem::path root = dir / "root";
  auto write = [&](const std::string& rel, std::string_view data) { customs_test::WriteFile((root / rel).string(), data); };
  // Enough entries and directories for many batches, each holding many directories; names whose
  // byte order differs from a path-wise order ("a.b" sorts before "a/..."); nesting; every type.
  for (int d = 0; d < 120; ++d) {
    const std::string sub = "d" + std::to_string(d);
    write(sub + "/a.b", std::string(size_t(d), 'x'));
    write(sub + "/a/inner", "i");
    for (int f = 0; f < d % 40; ++f) write(sub + "/f" + std::to_string(f), "content");
    std::filesystem::create_directories(root / sub / "empty");
  }
  std::string deep = "deep";
  for (int i = 0; i < 60; ++i) deep += "/n" + std::to_string(i);
  write(deep + "/leaf", "leaf");
  write("B", "upper");
  write("\xc3\xa9t\xc3\xa9", "utf-8");
  ASSERT_EQ(::symlink("/etc/shadow", (root / "abs-link").c_str()), 0);
  ASSERT_EQ(::symlink("../d1/a.b", (root / "d0/rel-link").c_str()), 0);
  ASSERT_EQ(::symlink("d2", (root / "dir-link").c_str()), 0);
  ASSERT_EQ(::mkfifo((root / "d3/fifo").c_str(), 0640), 0);
  ASSERT_EQ(::chmod((root / "d4/a.b").c_str(), 04751), 0);

  std::vector<RawEntry> want;
  ReferenceWalk(root, "", want);
  ASSERT_GT(want.size(), 2000u);

  auto stream = MakeDirectoryLayer(root.string(), Limits{})->Open();
  std::vector<RawEntry> got;
  std::map<std::string, std::string> contents;
  RawEntry e;
  while (stream->Next(e)) {
    if (e.type == FileType::kRegular && (e.path == "B" || e.path == deep + "/leaf" || e.path == "d7/a.b")) {
      std::string data;
      for (auto b = stream->ReadBlock(); !b.empty(); b = stream->ReadBlock()) data.append(b.data(), b.size());
      contents[e.path] = data;
    }
    got.push_back(e);
  }
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    SCOPED_TRACE(want[i].path);
    EXPECT_EQ(got[i].path, want[i].path);
    EXPECT_EQ(got[i].type, want[i].type);
    EXPECT_EQ(got[i].size, want[i].size);
    EXPECT_EQ(got[i].mode, want[i].mode);
    EXPECT_EQ(got[i].uid, want[i].uid);
    EXPECT_EQ(got[i].link, want[i].link);
  }
  EXPECT_EQ(contents["B"], "upper");
  EXPECT_EQ(contents[deep + "/leaf"], "leaf");
  EXPECT_EQ(contents["d7/a.b"], "xxxxxxx");

  // A consumer that stops early: the stream's threads end with it.
  auto partial = MakeDirectoryLayer(root.string(), Limits{})->Open();
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(partial->Next(e));
  partial.reset();
}

// Under a low limit on open files the stream holds fewer directory descriptors at a time (batches
// waiting for metadata each hold those of the directories their entries are in) and still walks it all.
TEST(DirectoryStream, StaysWithinALowLimitOnOpenFiles) {
  TempDir dir;
  const std::filesystem::path root = dir / "root";
  for (int a = 0; a < 30; ++a)
    for (int b = 0; b < 20; ++b)
      customs_test::WriteFile((root / ("a" + std::to_string(a)) / ("b" + std::to_string(b)) / "f").string(), "x");
  std::vector<RawEntry> want;
  ReferenceWalk(root, "", want);
  struct rlimit saved;
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &saved), 0);
  struct rlimit low = saved;
  low.rlim_cur = 96;
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);
  size_t n = 0;
  std::string error;
  try {
    auto stream = MakeDirectoryLayer(root.string(), Limits{})->Open();
    RawEntry e;
    // A slow consumer: the lister runs ahead and the queue fills with batches, which must not keep
    // their directories open once their metadata is in.
    if (stream->Next(e)) ++n;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    while (stream->Next(e)) ++n;
  } catch (const std::exception& e) {
    error = e.what();
  }
  ::setrlimit(RLIMIT_NOFILE, &saved);
  EXPECT_EQ(error, "");
  EXPECT_EQ(n, want.size());
}

TEST(DirectoryStream, RejectsNestingDeeperThan512Levels) {
  TempDir dir;
  std::string deep = "root";
  for (int i = 0; i < 515; ++i) deep += "/x";
  std::filesystem::create_directories(dir / deep);
  auto stream = MakeDirectoryLayer(dir / "root", Limits{})->Open();
  RawEntry e;
  size_t n = 0;
  int code = 0;
  auto msg = ErrorOf([&] { while (stream->Next(e)) ++n; }, &code);
  EXPECT_NE(msg.find("deeper than 512"), std::string::npos) << msg;
  EXPECT_EQ(code, kExitInputRejected);
  EXPECT_LE(n, 512u);
}

TEST(Walker, DirectoryTreesAreWalkedWithoutFollowingLinks) {
  TempDir dir;
  customs_test::WriteFile(dir / "root/etc/alpine-release", "3.20.3\n");
  customs_test::WriteFile(dir / "root/lib/apk/db/installed", kApkDb2);
  ASSERT_EQ(::symlink("/etc/shadow", (dir / "root/escape").c_str()), 0);
  LoadedSource src;
  src.artifact.type = ArtifactType::kRootfs;
  src.layers.push_back(LayerInfo{});
  src.expect.push_back({});
  src.streams.push_back(MakeDirectoryLayer(dir / "root", Limits{}));
  auto inv = Inventorize(src);
  ASSERT_TRUE(inv.os.has_value());
  EXPECT_EQ(inv.os->version, "3.20.3");
  EXPECT_EQ(inv.packages.size(), 2u);
  EXPECT_EQ(inv.packages[0].layer, -1);
  std::string out;
  EXPECT_FALSE(src.streams[0]->ReadFileDirect("escape", 1 << 20, out));
  EXPECT_TRUE(src.streams[0]->ReadFileDirect("etc/alpine-release", 1 << 20, out));
  EXPECT_EQ(out, "3.20.3\n");
}
