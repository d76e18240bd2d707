// Checks of the fixture library itself, against independent readers (GNU tar, gzip, zstd,
// Python's tarfile, rpm, dpkg-query): if these fail, every e2e result is suspect.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "support/fixtures.h"
#include "support/scenarios.h"

namespace ct = customs_test;
using ct::TarEntry;

namespace {

// Python's tarfile listing: "type name size linkname" per member, of an uncompressed tar given as
// bytes (this Python has no zstd) or of a file (any compression Python knows).
std::string PyTarListBytes(const std::string& tar_bytes) {
  static const char* kScript =
      "import sys, tarfile\n"
      "with tarfile.open(fileobj=sys.stdin.buffer, mode='r|') as t:\n"
      "    for m in t:\n"
      "        k = 'f' if m.isreg() else 'd' if m.isdir() else 's' if m.issym() else 'h' if m.islnk() else 'o'\n"
      "        print(k, m.name, m.size, m.linkname)\n";
  ct::RunResult r = ct::Run({"python3", "-c", kScript}, tar_bytes);
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  return r.out;
}

std::string PyTarList(const std::string& tar) {
  static const char* kScript =
      "import sys, tarfile\n"
      "with tarfile.open(sys.argv[1], 'r:*') as t:\n"
      "    for m in t.getmembers():\n"
      "        k = 'f' if m.isreg() else 'd' if m.isdir() else 's' if m.issym() else 'h' if m.islnk() else 'o'\n"
      "        print(k, m.name, m.size, m.linkname)\n";
  ct::RunResult r = ct::Run({"python3", "-c", kScript, tar});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  return r.out;
}

std::vector<TarEntry> SampleEntries() {
  return {
      TarEntry::Dir("etc/"),
      TarEntry::File("etc/hostname", "box\n"),
      TarEntry::Symlink("etc/localtime", "/usr/share/zoneinfo/UTC"),
      TarEntry::Hardlink("etc/hostname.hard", "etc/hostname"),
      TarEntry::Whiteout("usr/bin/gone"),
      TarEntry::OpaqueWhiteout("var/cache"),
      TarEntry::File(std::string(120, 'n') + "/long-name-needs-pax", "x"),
      TarEntry::File("../../etc/passwd", "root:x:0:0::/root:/bin/sh\n"),
      TarEntry::File("/etc/x", "absolute\n"),
  };
}

}  // namespace

TEST(Fixtures, RunCapturesOutputsExitCodeAndStdin) {
  ct::RunResult r = ct::Run({"sh", "-c", "cat; echo err >&2; exit 7"}, std::string("hello"));
  EXPECT_EQ(r.exit_code, 7);
  EXPECT_EQ(r.out, "hello");
  EXPECT_EQ(r.err, "err\n");
  ct::RunResult missing = ct::Run({"/nonexistent/program"});
  EXPECT_EQ(missing.exit_code, 127);
  ct::RunOptions o;
  o.timeout_seconds = 1;
  ct::RunResult slow = ct::Run({"sleep", "30"}, o);
  EXPECT_TRUE(slow.timed_out);
  ct::RunOptions cwd;
  ct::TempDir d;
  cwd.cwd = d.path();
  cwd.env = {"CUSTOMS_FIXTURE_VAR=42"};
  ct::RunResult pwd = ct::Run({"sh", "-c", "pwd; echo $CUSTOMS_FIXTURE_VAR; [ -t 2 ] || echo notty"}, cwd);
  EXPECT_EQ(pwd.out, d.path() + "\n42\nnotty\n");
}

TEST(Fixtures, TempDirIsRemoved) {
  std::string p;
  {
    ct::TempDir d;
    p = d.path();
    ct::WriteFile(d / "a/b/c.txt", "x");
    EXPECT_EQ(d.List(), (std::vector<std::string>{"a/", "a/b/", "a/b/c.txt"}));
  }
  EXPECT_FALSE(ct::PathExists(p));
}

TEST(Fixtures, TarWriterOutputReadsBackEverywhere) {
  ct::TempDir d;
  for (auto c : {ct::Compression::kNone, ct::Compression::kGzip, ct::Compression::kZstd}) {
    SCOPED_TRACE(ct::CompressionName(c));
    std::string path = d / (std::string("sample-") + ct::CompressionName(c) + ".tar");
    ct::BlobInfo b = ct::WriteTar(path, SampleEntries(), c);
    EXPECT_EQ(b.digest, ct::Sha256DigestOfFile(path));
    EXPECT_EQ(b.size, ct::FileSize(path));
    // diff_id: sha256 of the decompressed stream, decompressed by the real tools.
    std::string raw;
    if (c == ct::Compression::kNone) raw = ct::ReadFile(path);
    if (c == ct::Compression::kGzip) raw = ct::Run({"gzip", "-dc", path}).out;
    if (c == ct::Compression::kZstd) raw = ct::Run({"zstd", "-dcq", path}).out;
    EXPECT_EQ(b.diff_id, ct::Sha256Digest(raw));
    EXPECT_EQ(b.uncompressed_size, raw.size());
    // Deterministic.
    ct::BlobInfo again = ct::WriteTar(path + ".2", SampleEntries(), c);
    EXPECT_EQ(again.digest, b.digest);

    std::string listing = PyTarListBytes(raw);
    EXPECT_NE(listing.find("f etc/hostname 4"), std::string::npos) << listing;
    EXPECT_NE(listing.find("s etc/localtime 0 /usr/share/zoneinfo/UTC"), std::string::npos) << listing;
    EXPECT_NE(listing.find("h etc/hostname.hard 0 etc/hostname"), std::string::npos) << listing;
    EXPECT_NE(listing.find("f usr/bin/.wh.gone 0"), std::string::npos) << listing;
    EXPECT_NE(listing.find("f var/cache/.wh..wh..opq 0"), std::string::npos) << listing;
    EXPECT_NE(listing.find(std::string(120, 'n') + "/long-name-needs-pax"), std::string::npos);
    EXPECT_NE(listing.find("f ../../etc/passwd "), std::string::npos) << listing;
    EXPECT_NE(listing.find("f /etc/x "), std::string::npos) << listing;

    ct::RunResult gnu = ct::Run({"tar", "-tvf", path});
    EXPECT_EQ(gnu.exit_code, 0) << gnu.Describe();
    EXPECT_NE(gnu.out.find("etc/hostname.hard link to etc/hostname"), std::string::npos) << gnu.out;

    auto back = ct::ReadTarEntries(path);
    ASSERT_EQ(back.size(), SampleEntries().size());
    EXPECT_EQ(back[1].content, "box\n");
    EXPECT_EQ(back[3].type, TarEntry::Type::kHardlink);
    EXPECT_EQ(back[7].path, "../../etc/passwd");
    EXPECT_EQ(back[8].path, "/etc/x");
  }
}

TEST(Fixtures, ZeroBombLayersAreValidStreamsWithExactDigests) {
  ct::TempDir d;
  const uint64_t n = (64ull << 20) + 123;  // not a multiple of the 1 MiB unit nor of 512
  for (auto c : {ct::Compression::kGzip, ct::Compression::kZstd}) {
    SCOPED_TRACE(ct::CompressionName(c));
    ct::Layer l = ct::MakeZeroBombLayer(d.path(), c, n);
    EXPECT_EQ(l.blob.digest, ct::Sha256DigestOfFile(l.blob.path));
    std::string raw = c == ct::Compression::kGzip ? ct::Run({"gzip", "-dc", l.blob.path}).out
                                                  : ct::Run({"zstd", "-dcq", l.blob.path}).out;
    EXPECT_EQ(raw.size(), l.blob.uncompressed_size);
    EXPECT_EQ(ct::Sha256Digest(raw), l.blob.diff_id);
    ct::RunResult t = ct::Run({"gzip", "-t", l.blob.path});
    if (c == ct::Compression::kGzip) EXPECT_EQ(t.exit_code, 0) << t.Describe();
    EXPECT_GT(double(l.blob.uncompressed_size) / double(l.blob.size), 500.0);
    std::string listing = PyTarListBytes(raw);
    EXPECT_EQ(listing, "f zeros " + std::to_string(n) + " \n");
  }
}

TEST(Fixtures, DockerArchiveLayouts) {
  ct::TempDir d;
  std::vector<ct::Layer> layers = {
      ct::MakeLayer(d / "blobs", {TarEntry::File("etc/a", "a")}, ct::Compression::kNone, "ADD a /"),
      ct::MakeLayer(d / "blobs", {TarEntry::File("etc/b", "b"), TarEntry::Whiteout("etc/a")},
                    ct::Compression::kNone, "RUN rm etc/a"),
  };
  for (auto layout : {ct::DockerLayout::kLegacy, ct::DockerLayout::kOciBlobs}) {
    std::string out = d / (layout == ct::DockerLayout::kLegacy ? "legacy.tar" : "ociblobs.tar");
    ct::DockerArchiveOptions opts;
    opts.layout = layout;
    ct::ImageInfo info = ct::WriteDockerArchive(out, layers, {}, opts);
    auto members = ct::ReadTarEntries(out);
    std::map<std::string, std::string> by_name;
    for (const auto& m : members) by_name[m.path] = m.content;
    ASSERT_TRUE(by_name.count("manifest.json"));
    EXPECT_EQ(members.back().path, "repositories");  // docker writes members in name order
    auto manifest = ct::ParseJson(by_name["manifest.json"]);
    ASSERT_TRUE(manifest.is_array());
    ASSERT_EQ(manifest.size(), 1u);
    std::string config_name = manifest[0]["Config"];
    ASSERT_TRUE(by_name.count(config_name));
    EXPECT_EQ(ct::Sha256Digest(by_name[config_name]), info.config_digest);
    auto config = ct::ParseJson(by_name[config_name]);
    ASSERT_EQ(manifest[0]["Layers"].size(), 2u);
    for (size_t i = 0; i < 2; ++i) {
      std::string lname = manifest[0]["Layers"][i];
      ASSERT_TRUE(by_name.count(lname)) << lname;
      EXPECT_EQ(ct::Sha256Digest(by_name[lname]), info.diff_ids[i]);
      EXPECT_EQ(config["rootfs"]["diff_ids"][i], info.diff_ids[i]);
    }
    // 2 layers + the empty_layer CMD entry.
    EXPECT_EQ(config["history"].size(), 3u);
    EXPECT_EQ(manifest[0]["RepoTags"][0], "customs-test/image:latest");
    if (layout == ct::DockerLayout::kOciBlobs) {
      ASSERT_TRUE(by_name.count("index.json"));
      ASSERT_TRUE(by_name.count("oci-layout"));
      auto index = ct::ParseJson(by_name["index.json"]);
      std::string mdigest = index["manifests"][0]["digest"];
      EXPECT_EQ(mdigest, info.manifest_digest);
      EXPECT_TRUE(by_name.count("blobs/sha256/" + mdigest.substr(7)));
    }
  }
}

TEST(Fixtures, OciLayoutDirAndTarAreSelfConsistent) {
  ct::TempDir d;
  ct::Layer l0 = ct::MakeLayer(d / "blobs", {TarEntry::File("etc/a", "a")}, ct::Compression::kGzip);
  ct::Layer l1 = ct::MakeLayer(d / "blobs", {TarEntry::File("etc/b", "b")}, ct::Compression::kZstd);
  ct::ImageConfig arm;
  arm.architecture = "arm";
  arm.variant = "v7";
  for (bool nested : {false, true}) {
    SCOPED_TRACE(nested ? "nested index" : "flat index");
    std::string dir = d / (nested ? "nested" : "flat");
    ct::OciLayoutOptions opts;
    opts.nested_index = nested;
    ct::OciLayoutInfo info = ct::WriteOciLayout(dir, {ct::OciImage{{l0, l1}, {}}, ct::OciImage{{l1}, arm}}, opts);
    ASSERT_EQ(info.images.size(), 2u);
    // Every blob's name is its digest.
    for (const auto& e : std::filesystem::directory_iterator(dir + "/blobs/sha256"))
      EXPECT_EQ(ct::Sha256DigestOfFile(e.path().string()), "sha256:" + e.path().filename().string());
    auto index = ct::ParseJson(ct::ReadFile(dir + "/index.json"));
    EXPECT_EQ(ct::ReadFile(dir + "/oci-layout"), R"({"imageLayoutVersion":"1.0.0"})");
    nlohmann::json list = index;
    if (nested) {
      ASSERT_EQ(index["manifests"].size(), 1u);
      EXPECT_EQ(index["manifests"][0]["mediaType"], "application/vnd.oci.image.index.v1+json");
      list = ct::ParseJson(ct::ReadFile(dir + "/blobs/sha256/" + info.nested_index_digest.substr(7)));
    }
    ASSERT_EQ(list["manifests"].size(), 2u);
    EXPECT_EQ(list["manifests"][1]["platform"]["variant"], "v7");
    auto manifest = ct::ParseJson(
        ct::ReadFile(dir + "/blobs/sha256/" + std::string(list["manifests"][0]["digest"]).substr(7)));
    EXPECT_EQ(manifest["layers"][0]["mediaType"], "application/vnd.oci.image.layer.v1.tar+gzip");
    EXPECT_EQ(manifest["layers"][1]["mediaType"], "application/vnd.oci.image.layer.v1.tar+zstd");
    EXPECT_EQ(manifest["layers"][1]["size"], l1.blob.size);
    auto config = ct::ParseJson(ct::ReadFile(dir + "/blobs/sha256/" + info.images[0].config_digest.substr(7)));
    EXPECT_EQ(config["rootfs"]["diff_ids"][1], l1.blob.diff_id);
  }
  ct::ImageInfo single = ct::WriteOciLayout(d / "single.tar", {l0});
  std::string listing = PyTarList(d / "single.tar");
  EXPECT_NE(listing.find("f index.json"), std::string::npos) << listing;
  EXPECT_NE(listing.find("f oci-layout"), std::string::npos) << listing;
  EXPECT_NE(listing.find("f blobs/sha256/" + single.config_digest.substr(7)), std::string::npos) << listing;
  EXPECT_NE(listing.find("f blobs/sha256/" + l0.blob.digest.substr(7)), std::string::npos) << listing;
}

TEST(Fixtures, AlpineTwoLayerScenario) {
  auto files = ct::AlpineMinirootfsFiles();
  ASSERT_GE(files.size(), 9u) << "shared Alpine minirootfs tarballs missing under " << ct::SharedDir();
  EXPECT_EQ(files.front().version, "3.6.5");
  EXPECT_EQ(files.back().version, "3.20.3");
  ct::AlpineTwoLayer s = ct::PrepareAlpineTwoLayer(files.back());
  EXPECT_EQ(s.alpine_release, "3.20.3");
  EXPECT_FALSE(s.deleted_files.empty());
  EXPECT_EQ(s.expected.size() + 1, s.layer0_packages.size());
  // The oracle agrees with apk's own format as GNU tar + grep would read it.
  ct::RunResult grep = ct::Run({"sh", "-c", "tar -xzOf \"$1\" ./lib/apk/db/installed | grep -c '^P:'", "sh",
                                files.back().path});
  EXPECT_EQ(grep.out, std::to_string(s.layer0_packages.size()) + "\n") << grep.Describe();
}

std::vector<std::string> SortedLines(const std::string& text) {
  std::vector<std::string> lines;
  for (size_t p = 0, n; (n = text.find('\n', p)) != std::string::npos; p = n + 1) lines.push_back(text.substr(p, n - p));
  std::sort(lines.begin(), lines.end());
  return lines;
}

// An ndb Packages.db read by Python (zlib's adler32, struct), independently of the support writer:
// checks every used slot's blob framing and checksum, decodes NAME, VERSION and RELEASE from each
// rpm header blob and prints "NAME VERSION-RELEASE" per package.
std::string PyNdbList(const std::string& packages_db) {
  static const char* kScript =
      "import struct, sys, zlib\n"
      "f = open(sys.argv[1], 'rb').read()\n"
      "magic, ver, gen, npages, nxt = struct.unpack_from('<5I', f, 0)\n"
      "assert magic == 0x506d7052 and ver == 0 and npages > 0, 'file header'\n"
      "seen = set()\n"
      "for off in range(32, npages * 4096, 16):\n"
      "    smagic, idx, blk, cnt = struct.unpack_from('<4I', f, off)\n"
      "    assert smagic == 0x746f6c53, 'slot magic at %d' % off\n"
      "    if idx == 0: continue\n"
      "    assert idx not in seen and idx < nxt, 'package index %d' % idx\n"
      "    seen.add(idx)\n"
      "    b, e = blk * 16, (blk + cnt) * 16\n"
      "    assert b >= npages * 4096 and e <= len(f), 'blob bounds'\n"
      "    h, pidx, ts, ln = struct.unpack_from('<4I', f, b)\n"
      "    assert h == 0x53626c42 and pidx == idx, 'blob head'\n"
      "    adl, ln2, t = struct.unpack_from('<3I', f, e - 12)\n"
      "    assert t == 0x45626c42 and ln2 == ln and 16 + ln + 12 <= e - b, 'blob tail'\n"
      "    assert adl == zlib.adler32(f[b:e - 12]), 'adler32'\n"
      "    hdr = f[b + 16:b + 16 + ln]\n"
      "    il, dl = struct.unpack_from('>2I', hdr, 0)\n"
      "    assert 8 + 16 * il + dl == ln, 'header size'\n"
      "    tags = {}\n"
      "    for i in range(il):\n"
      "        tag, typ, o, c = struct.unpack_from('>4I', hdr, 8 + 16 * i)\n"
      "        if typ == 6: tags[tag] = hdr[8 + 16 * il + o:].split(b'\\0')[0].decode()\n"
      "    print(tags[1000], tags[1001] + '-' + tags[1002])\n";
  ct::RunResult r = ct::Run({"python3", "-c", kScript, packages_db});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  return r.out;
}

TEST(Fixtures, RpmRootBothBackends) {
  const std::vector<std::string> expected{"customs-base 1.0.0-1.fc39", "customs-data 20240101-0.3.fc39",
                                          "customs-meta 0.1-1", "customs-tool 2.3.4-5.fc39"};
  for (auto backend : {ct::RpmDbBackend::kSqlite, ct::RpmDbBackend::kNdb}) {
    const bool ndb = backend == ct::RpmDbBackend::kNdb;
    SCOPED_TRACE(ndb ? "ndb" : "sqlite");
    ct::TempDir d;
    std::string why;
    if (!ct::RpmRootAvailable(backend, &why)) GTEST_SKIP() << why;
    auto root = ct::RpmRoot(d.path(), &why, backend);
    ASSERT_TRUE(root) << why;
    const std::string dbdir = *root + "/var/lib/rpm";
    EXPECT_TRUE(ct::PathExists(dbdir + (ndb ? "/Packages.db" : "/rpmdb.sqlite")));
    if (ndb) {  // only the ndb database
      for (const char* f : {"/rpmdb.sqlite", "/rpmdb.sqlite-shm", "/rpmdb.sqlite-wal"})
        EXPECT_FALSE(ct::PathExists(dbdir + f)) << f;
    }
    EXPECT_FALSE(ct::PathExists(*root + "/usr/bin/customs-tool"));  // --justdb
    // What RpmRoot recorded of `rpm -qa` (the e2e tests' oracle): both formats, the same packages.
    EXPECT_EQ(SortedLines(ct::ReadFile(ct::RpmQaFile(d.path()))), expected);
    std::vector<std::string> fact_names;
    for (const auto& line : SortedLines(ct::ReadFile(ct::RpmQaFactsFile(d.path())))) {
      EXPECT_EQ(std::count(line.begin(), line.end(), '\t'), 6) << line;
      fact_names.push_back(line.substr(0, line.find('\t')));
    }
    EXPECT_EQ(fact_names, (std::vector<std::string>{"customs-base", "customs-data", "customs-meta", "customs-tool"}));
    // rpm itself, where this machine's rpm reads the database; Python on ndb files in any case.
    if (!ndb || ct::RpmBackendSupported(backend, nullptr)) {
      ct::RunResult q = ct::Run({"rpm", "--root", *root, "--dbpath", "/var/lib/rpm", "-qa", "--qf", ct::kRpmQaFormat});
      ASSERT_EQ(q.exit_code, 0) << q.Describe();
      EXPECT_EQ(SortedLines(q.out), expected);
    }
    if (ndb) EXPECT_EQ(SortedLines(PyNdbList(dbdir + "/Packages.db")), expected);
  }
}

TEST(Fixtures, DebianRootfsIsCachedAndComplete) {
  CUSTOMS_DEBIAN_ROOTFS_OR_SKIP(root);
  EXPECT_TRUE(ct::PathExists(root + "/var/lib/dpkg/status"));
  EXPECT_NE(ct::ReadFile(root + "/etc/os-release").find("bookworm"), std::string::npos);
  // A second call returns the cache at once.
  std::string why;
  auto again = ct::DebianRootfs(&why);
  ASSERT_TRUE(again) << why;
  EXPECT_EQ(*again, root);
}
