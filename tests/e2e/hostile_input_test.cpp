// Acceptance: hostile and malformed inputs, made here, are rejected with exit code 3 and one
// "customs: error: <file>: <reason>" line; nothing is written anywhere but the -o path (checked in
// the working directory, $TMPDIR, $HOME and the input's own directory). Plus exit codes 4 and 2.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/fixtures.h"
#include "support/scenarios.h"

namespace ct = customs_test;
using ct::TarEntry;

namespace {

using KeywordGroups = std::vector<std::vector<std::string>>;  // every group must match one of its words

std::string Lower(std::string s) {
  for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Basename(const std::string& p) {
  auto s = p.find_last_of('/');
  return s == std::string::npos ? p : p.substr(s + 1);
}

// Runs customs on a hostile input from an empty working directory, with fresh $TMPDIR and $HOME,
// and checks the exit code, the error line and that no file appeared anywhere but -o.
void ExpectRejected(const std::vector<std::string>& args, const std::string& input, const KeywordGroups& keywords,
                    int want_exit = 3) {
  ct::TempDir cwd("customs-cwd"), tmp("customs-tmp"), home("customs-home");
  std::string input_dir = std::filesystem::path(input).parent_path().string();
  auto list_dir = [](const std::string& dir) {
    std::vector<std::string> v;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
      v.push_back(it->path().string());
    std::sort(v.begin(), v.end());
    return v;
  };
  auto before = list_dir(input_dir);

  std::vector<std::string> a = args;
  a.insert(a.end(), {"-f", "json", "-o", cwd / "out.json"});
  ct::RunOptions o;
  o.cwd = cwd.path();
  o.env = {"TMPDIR=" + tmp.path(), "HOME=" + home.path(), "XDG_CACHE_HOME=" + home.path() + "/.cache"};
  o.timeout_seconds = 300;
  ct::RunResult r = ct::RunCustoms(a, o);

  EXPECT_EQ(r.exit_code, want_exit) << r.Describe();
  auto errors = ct::ErrorLines(r.err);
  EXPECT_EQ(errors.size(), 1u) << "one error line expected; stderr: " << r.err;
  if (!errors.empty()) {
    const std::string& line = errors.front();
    std::printf("  %s\n", line.c_str());  // shown by ctest --output-on-failure / when run by hand
    EXPECT_NE(line.find(Basename(input)), std::string::npos) << "the error does not name the file: " << line;
    std::string low = Lower(line);
    for (const auto& group : keywords) {
      bool any = false;
      for (const auto& k : group) any |= low.find(Lower(k)) != std::string::npos;
      std::string words;
      for (const auto& k : group) words += (words.empty() ? "" : " | ") + k;
      EXPECT_TRUE(any) << "the error does not give the reason (" << words << "): " << line;
    }
  }
  EXPECT_EQ(r.out, "") << "nothing on stdout with -o";
  // Only the -o file (or nothing) in the working directory.
  for (const auto& f : cwd.List()) EXPECT_EQ(f, "out.json") << "unexpected file in the working directory";
  EXPECT_EQ(tmp.List(), std::vector<std::string>{}) << "files left in $TMPDIR";
  EXPECT_EQ(home.List(), std::vector<std::string>{}) << "files left in $HOME";
  EXPECT_EQ(list_dir(input_dir), before) << "the input's directory changed";
}

// A small valid base layer: an Alpine-like etc/ and an apk database with one package.
std::vector<TarEntry> BaseEntries() {
  return {
      TarEntry::Dir("etc/"),
      TarEntry::File("etc/alpine-release", "3.20.3\n"),
      TarEntry::File("etc/os-release", "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.3\n"),
      TarEntry::Dir("lib/"),
      TarEntry::Dir("lib/apk/"),
      TarEntry::Dir("lib/apk/db/"),
      TarEntry::File("lib/apk/db/installed", "P:musl\nV:1.2.5-r0\nA:x86_64\nL:MIT\no:musl\nF:lib\nR:ld-musl-x86_64.so.1\n\n"),
      TarEntry::File("lib/ld-musl-x86_64.so.1", std::string(4096, '\x7f')),
  };
}

class Hostile : public testing::Test {
 protected:
  ct::TempDir work{"customs-hostile"};
  std::string Layers() const { return work / "layers"; }

  // A docker-archive with the base layer plus `evil` as second layer.
  std::string DockerWith(const std::vector<TarEntry>& evil, const std::string& name = "image.tar") {
    std::vector<ct::Layer> layers = {ct::MakeLayer(Layers(), BaseEntries(), ct::Compression::kNone),
                                     ct::MakeLayer(Layers(), evil, ct::Compression::kNone)};
    std::string out = work / ("in/" + name);
    ct::WriteDockerArchive(out, layers);
    return out;
  }
  // An OCI layout directory with the base layer plus `evil`, gzip layers.
  std::string OciWith(const std::vector<TarEntry>& evil, const std::string& name = "layout") {
    std::vector<ct::Layer> layers = {ct::MakeLayer(Layers(), BaseEntries(), ct::Compression::kGzip),
                                     ct::MakeLayer(Layers(), evil, ct::Compression::kGzip)};
    std::string out = work / ("in/" + name);
    ct::WriteOciLayout(out, layers);
    return out;
  }
};

const KeywordGroups kTraversal = {{"..", "travers", "escape", "outside"}};
const KeywordGroups kAbsolute = {{"absolute", "/etc/x"}};
const KeywordGroups kBomb = {{"size", "limit", "exceed", "large", "bomb", "ratio"}};
const KeywordGroups kRatio = {{"ratio", "bomb", "compress"}};
const KeywordGroups kDigest = {{"digest"}};

TEST_F(Hostile, PathTraversalInImageLayer) {
  std::string in = DockerWith({TarEntry::Dir("etc/"), TarEntry::File("../../etc/passwd", "root::0:0::/:/bin/sh\n")});
  ExpectRejected({"image", "--input", in}, in, kTraversal);
}

TEST_F(Hostile, PathTraversalInsideAPathInRootfsTarball) {
  std::vector<TarEntry> e = BaseEntries();
  e.push_back(TarEntry::File("usr/../../../etc/passwd", "root::0:0::/:/bin/sh\n"));
  std::string in = work / "in/rootfs.tar";
  ct::WriteTar(in, e);
  ExpectRejected({"rootfs", in}, in, kTraversal);
}

TEST_F(Hostile, AbsolutePathInImageLayer) {
  std::string in = OciWith({TarEntry::File("/etc/x", "absolute\n")});
  ExpectRejected({"image", "--input", in}, in, kAbsolute);
}

TEST_F(Hostile, AbsolutePathInRootfsTarball) {
  std::vector<TarEntry> e = BaseEntries();
  e.push_back(TarEntry::File("/etc/x", "absolute\n"));
  std::string in = work / "in/rootfs.tar.gz";
  ct::WriteTar(in, e, ct::Compression::kGzip);
  ExpectRejected({"rootfs", in}, in, kAbsolute);
}

TEST_F(Hostile, HardlinkToMissingTarget) {
  std::string in = DockerWith({TarEntry::Dir("usr/"), TarEntry::Dir("usr/bin/"),
                               TarEntry::Hardlink("usr/bin/evil", "usr/bin/does-not-exist")});
  ExpectRejected({"image", "--input", in}, in, {{"hardlink", "hard link", "link"}});
}

TEST_F(Hostile, SymlinkLoopOnOsRelease) {
  // etc/os-release -> ../usr/lib/os-release -> ../../etc/os-release -> ...
  std::string in = DockerWith({TarEntry::Dir("etc/"), TarEntry::Symlink("etc/os-release", "../usr/lib/os-release"), TarEntry::Dir("usr/"),
                               TarEntry::Dir("usr/lib/"), TarEntry::Symlink("usr/lib/os-release", "../../etc/os-release")});
  ExpectRejected({"image", "--input", in}, in, {{"loop", "symlink", "too many"}});
}

TEST_F(Hostile, SymlinkLoopOnOsReleaseInRootfsTarball) {
  std::vector<TarEntry> e;
  for (const auto& x : BaseEntries())
    if (x.path != "etc/os-release") e.push_back(x);
  e.push_back(TarEntry::Symlink("etc/os-release", "os-release.b"));
  e.push_back(TarEntry::Symlink("etc/os-release.b", "os-release"));
  std::string in = work / "in/rootfs.tar";
  ct::WriteTar(in, e);
  ExpectRejected({"rootfs", in}, in, {{"loop", "symlink", "too many"}});
}

TEST_F(Hostile, GzipBombStoppedByMaxLayerSize) {
  ct::Layer bomb = ct::MakeZeroBombLayer(Layers(), ct::Compression::kGzip, 2ull << 30);
  std::string in = work / "in/layout";
  ct::WriteOciLayout(in, {ct::MakeLayer(Layers(), BaseEntries(), ct::Compression::kGzip), bomb});
  ExpectRejected({"image", "--input", in, "--max-layer-size", "256M"}, in, kBomb);
}

TEST_F(Hostile, GzipBombStoppedByCompressionRatio) {
  ct::Layer bomb = ct::MakeZeroBombLayer(Layers(), ct::Compression::kGzip, 2ull << 30);
  ASSERT_GT(double(bomb.blob.uncompressed_size) / double(bomb.blob.size), 1000.0);
  std::string in = work / "in/layout.tar";
  ct::WriteOciLayout(in, {ct::MakeLayer(Layers(), BaseEntries(), ct::Compression::kGzip), bomb});
  ExpectRejected({"image", "--input", in}, in, kRatio);
}

TEST_F(Hostile, GzipBombRootfsTarball) {
  ct::Layer bomb = ct::MakeZeroBombLayer(work / "in", ct::Compression::kGzip, 2ull << 30);
  ExpectRejected({"rootfs", bomb.blob.path, "--max-layer-size", "256M"}, bomb.blob.path, kBomb);
}

TEST_F(Hostile, ZstdBombStoppedByCompressionRatio) {
  ct::Layer bomb = ct::MakeZeroBombLayer(Layers(), ct::Compression::kZstd, 2ull << 30);
  std::string in = work / "in/layout";
  ct::WriteOciLayout(in, {ct::MakeLayer(Layers(), BaseEntries(), ct::Compression::kZstd), bomb});
  ExpectRejected({"image", "--input", in}, in, kRatio);
}

TEST_F(Hostile, ZstdBombStoppedByMaxLayerSize) {
  ct::Layer bomb = ct::MakeZeroBombLayer(Layers(), ct::Compression::kZstd, 2ull << 30);
  std::string in = work / "in/image.tar";
  ct::WriteDockerArchive(in, {ct::MakeLayer(Layers(), BaseEntries(), ct::Compression::kNone), bomb});
  // Ratio guard off (huge), so the size limit is what stops it.
  ExpectRejected({"image", "--input", in, "--max-layer-size", "256M", "--max-compression-ratio", "1000000000"}, in,
                 {{"size", "limit", "exceed", "large"}});
}

// Changes byte 9 of a gzip blob (the header's OS field): the stream still decompresses to the
// same tar (same diff_id), only the blob digest is wrong.
void FlipGzipOsByte(const std::string& blob) {
  std::fstream f(blob, std::ios::in | std::ios::out | std::ios::binary);
  ASSERT_TRUE(f);
  f.seekg(9);
  char c = 0;
  f.read(&c, 1);
  f.seekp(9);
  c = char(c == 3 ? 255 : 3);
  f.write(&c, 1);
}

TEST_F(Hostile, LayerBlobDigestMismatchInOciDirectory) {
  ct::Layer base = ct::MakeLayer(Layers(), BaseEntries(), ct::Compression::kGzip);
  ct::Layer extra = ct::MakeLayer(Layers(), {TarEntry::File("etc/motd", "hi\n")}, ct::Compression::kGzip);
  std::string in = work / "in/layout";
  ct::WriteOciLayout(in, {base, extra});
  FlipGzipOsByte(in + "/blobs/sha256/" + extra.blob.digest.substr(7));
  ASSERT_NE(ct::Sha256DigestOfFile(in + "/blobs/sha256/" + extra.blob.digest.substr(7)), extra.blob.digest);
  ExpectRejected({"image", "--input", in}, in, kDigest);
}

TEST_F(Hostile, LayerBlobDigestMismatchInOciTar) {
  ct::Layer base = ct::MakeLayer(Layers(), BaseEntries(), ct::Compression::kGzip);
  std::string dir = work / "staging/layout";
  ct::WriteOciLayout(dir, {base});
  FlipGzipOsByte(dir + "/blobs/sha256/" + base.blob.digest.substr(7));
  std::string in = work / "in/layout.tar";
  ct::WriteTarFromDirectory(dir, in);
  ExpectRejected({"image", "--input", in}, in, kDigest);
}

TEST_F(Hostile, ConfigBlobDigestMismatch) {
  std::string in = work / "in/layout";
  ct::ImageInfo info = ct::WriteOciLayout(in, {ct::MakeLayer(Layers(), BaseEntries(), ct::Compression::kGzip)});
  std::string cfg = in + "/blobs/sha256/" + info.config_digest.substr(7);
  std::string text = ct::ReadFile(cfg);
  auto at = text.find("2024-05-01");
  ASSERT_NE(at, std::string::npos);
  text[at + 3] = '5';  // same size, still valid JSON, another digest
  ct::WriteFile(cfg, text);
  ExpectRejected({"image", "--input", in}, in, kDigest);
}

TEST_F(Hostile, ConfigDiffIdMismatch) {
  std::vector<ct::Layer> layers = {ct::MakeLayer(Layers(), BaseEntries(), ct::Compression::kNone),
                                   ct::MakeLayer(Layers(), {TarEntry::File("etc/motd", "hi\n")}, ct::Compression::kNone)};
  ct::ImageConfig c;
  c.diff_ids_override = std::vector<std::string>{layers[0].blob.diff_id, ct::Sha256Digest("something else")};
  std::string in = work / "in/image.tar";
  ct::WriteDockerArchive(in, layers, c);
  ExpectRejected({"image", "--input", in}, in, {{"diff_id", "diffid", "diff id"}});
}

TEST_F(Hostile, ConfigDiffIdMismatchInOciLayout) {
  std::vector<ct::Layer> layers = {ct::MakeLayer(Layers(), BaseEntries(), ct::Compression::kGzip)};
  ct::ImageConfig c;
  c.diff_ids_override = std::vector<std::string>{layers[0].blob.digest};  // the compressed digest: a classic bug
  std::string in = work / "in/layout";
  ct::WriteOciLayout(in, layers, c);
  ExpectRejected({"image", "--input", in}, in, {{"diff_id", "diffid", "diff id"}});
}

TEST_F(Hostile, TruncatedDockerArchive) {
  // A real-sized image, cut in the middle of its first layer's data.
  ct::AlpineRootfsFile rootfs;
  for (const auto& f : ct::AlpineMinirootfsFiles())
    if (f.version == "3.20.3") rootfs = f;
  ASSERT_FALSE(rootfs.path.empty());
  std::string full = work / "full.tar";
  ct::WriteDockerArchive(full, {ct::MakeLayer(Layers(), ct::ReadTarEntries(rootfs.path), ct::Compression::kNone)});
  std::string data = ct::ReadFile(full);
  std::string in = work / "in/truncated.tar";
  ct::WriteFile(in, std::string_view(data).substr(0, data.size() / 2 + 100));
  ExpectRejected({"image", "--input", in}, in, {{"truncat", "unexpected end", "premature", "short", "incomplete", "eof"}});
}

TEST_F(Hostile, TruncatedGzipRootfsTarball) {
  std::vector<TarEntry> e = BaseEntries();
  e.push_back(TarEntry::File("usr/share/big", std::string(1 << 20, 'x') + std::string(1 << 20, 'y')));
  std::string full = work / "full.tar.gz";
  ct::WriteTar(full, e, ct::Compression::kGzip);
  std::string data = ct::ReadFile(full);
  std::string in = work / "in/rootfs.tar.gz";
  ct::WriteFile(in, std::string_view(data).substr(0, data.size() * 2 / 3));
  ExpectRejected({"rootfs", in}, in, {{"truncat", "unexpected end", "premature", "short", "incomplete", "eof"}});
}

const KeywordGroups kNotAnArchive = {{"not a", "unrecognized", "unknown", "format", "tar", "archive", "layout"}};

TEST_F(Hostile, NonTarFileAsImage) {
  std::string in = work / "in/notes.tar";
  std::string text;
  for (int i = 0; i < 200; ++i) text += "this is not a tar archive, just text line " + std::to_string(i) + "\n";
  ct::WriteFile(in, text);
  ExpectRejected({"image", "--input", in}, in, kNotAnArchive);
}

TEST_F(Hostile, NonTarFileAsRootfs) {
  std::string in = work / "in/rootfs.tar";
  ct::WriteFile(in, std::string(4096, '\x01'));
  ExpectRejected({"rootfs", in}, in, kNotAnArchive);
}

TEST_F(Hostile, InvalidJsonManifest) {
  ct::DockerArchiveOptions o;
  o.raw_manifest = R"([{"Config":"abc.json","RepoTags":["x:y"],"Layers":[)";
  std::string in = work / "in/image.tar";
  ct::WriteDockerArchive(in, {ct::MakeLayer(Layers(), BaseEntries(), ct::Compression::kNone)}, {}, o);
  ExpectRejected({"image", "--input", in}, in, {{"manifest.json"}, {"json", "parse", "syntax", "invalid"}});
}

TEST_F(Hostile, InvalidJsonIndexInOciLayout) {
  std::string in = work / "in/layout";
  ct::WriteOciLayout(in, {ct::MakeLayer(Layers(), BaseEntries(), ct::Compression::kGzip)});
  ct::WriteFile(in + "/index.json", "{\"schemaVersion\": 2, \"manifests\": [");
  ExpectRejected({"image", "--input", in}, in, {{"index.json"}, {"json", "parse", "syntax", "invalid"}});
}

TEST_F(Hostile, FileLargerThanMaxFileSize) {
  std::string in = DockerWith({TarEntry::Dir("opt/"), TarEntry::File("opt/big.bin", std::string(2 << 20, 'z'))});
  ExpectRejected({"image", "--input", in, "--max-file-size", "1M"}, in,
                 {{"size", "limit", "larger", "exceed", "large"}});
}

TEST_F(Hostile, FileLargerThanMaxFileSizeInRootfsTarball) {
  std::vector<TarEntry> e = BaseEntries();
  e.push_back(TarEntry::File("opt/big.bin", std::string((1 << 20) + 1, 'z')));
  std::string in = work / "in/rootfs.tar.zst";
  ct::WriteTar(in, e, ct::Compression::kZstd);
  ExpectRejected({"rootfs", in, "--max-file-size", "1M"}, in, {{"size", "limit", "larger", "exceed", "large"}});
}

// The same inputs are accepted when nothing hostile is added (the rejections above are not
// caused by the base layers).
TEST_F(Hostile, BaseInputsAreAccepted) {
  std::string docker = DockerWith({TarEntry::File("etc/motd", "hi\n")});
  std::string oci = OciWith({TarEntry::File("etc/motd", "hi\n")});
  for (const auto& in : {docker, oci}) {
    ct::JsonRun r = ct::RunCustomsJson({"image", "--input", in});
    EXPECT_EQ(r.run.exit_code, 0) << in << ": " << r.run.Describe();
    EXPECT_EQ(ct::ReportNameVersions(r.report, "apk"), (ct::NameVersionSet{{"musl", "1.2.5-r0"}}));
  }
  // A 1 MiB file passes --max-file-size 1M (the limit is inclusive of equal sizes).
  std::string at_limit = DockerWith({TarEntry::File("opt/exact.bin", std::string(1 << 20, 'z'))}, "limit.tar");
  ct::RunResult r = ct::RunCustoms({"image", "--input", at_limit, "--max-file-size", "1M", "-f", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
}

// ---------------------------------------------------------------------------------------------
// Exit codes 4 (I/O) and 2 (usage).

TEST(ExitCodes, NonexistentInputIsAnIoError) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"image", "--input", "/nonexistent"}, {"rootfs", "/nonexistent"},
        {"fs", "/nonexistent"}, {"rootfs", "/nonexistent/rootfs.tar.gz"}}) {
    ct::TempDir cwd;
    ct::RunOptions o;
    o.cwd = cwd.path();
    ct::RunResult r = ct::RunCustoms(args, o);
    EXPECT_EQ(r.exit_code, 4) << args[0] << ": " << r.Describe();
    auto errors = ct::ErrorLines(r.err);
    ASSERT_EQ(errors.size(), 1u) << r.err;
    EXPECT_NE(errors[0].find("/nonexistent"), std::string::npos) << errors[0];
    EXPECT_EQ(cwd.List(), std::vector<std::string>{});
  }
}

TEST(ExitCodes, UnwritableOutputIsAnIoError) {
  ct::TempDir d;
  ct::WriteTar(d / "rootfs.tar", {TarEntry::File("etc/hostname", "x\n")});
  ct::RunResult r = ct::RunCustoms({"rootfs", d / "rootfs.tar", "-f", "json", "-o", "/nonexistent/dir/out.json"});
  EXPECT_EQ(r.exit_code, 4) << r.Describe();
  EXPECT_NE(r.err.find("/nonexistent/dir/out.json"), std::string::npos) << r.err;
}

TEST(ExitCodes, BadFlagsAreUsageErrors) {
  ct::TempDir d;
  ct::WriteTar(d / "rootfs.tar", {TarEntry::File("etc/hostname", "x\n")});
  const std::string in = d / "rootfs.tar";
  for (const std::vector<std::string>& args : {
           std::vector<std::string>{"image", "--input", in, "--bogus-flag"},
           {"image"},  // --input is required
           {"rootfs"},
           {"rootfs", in, "--format", "xml"},
           {"rootfs", in, "--max-layer-size", "12Q"},
           {"rootfs", in, "--max-file-size", "-5"},
           {"rootfs", in, "--max-compression-ratio", "abc"},
           {"frobnicate", in},
           {},
       }) {
    std::string cmd;
    for (const auto& x : args) cmd += x + " ";
    ct::RunResult r = ct::RunCustoms(args);
    EXPECT_EQ(r.exit_code, 2) << cmd << ": " << r.Describe();
    EXPECT_FALSE(r.err.empty()) << cmd << ": a usage error says why on stderr";
    EXPECT_EQ(r.out, "") << cmd;
  }
}

}  // namespace
