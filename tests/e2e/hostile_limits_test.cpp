// Acceptance: limits that hostile input used to get past. Sparse tar members (made by the real GNU tar,
// GNU and pax sparse formats) that declare huge package databases are refused without the memory they
// declare; their holes count against --max-layer-size and the ratio guard; a huge sparse file nothing
// reads still scans. Size flags reject what is not a size with a clear usage error.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/sha256.h"
#include "registry/cache.h"
#include "registry/client.h"
#include "support/fixtures.h"
#include "support/registry_fixture.h"
#include "support/scenarios.h"

namespace ct = customs_test;

namespace {

// Sparse files of `size` bytes (all hole but a last byte when `tail` is set), made with truncate(2).
void MakeSparse(const std::string& path, uint64_t size, bool tail = false) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  ct::WriteFile(path, "");
  ASSERT_EQ(::truncate(path.c_str(), off_t(size - (tail ? 1 : 0))), 0) << path;
  if (tail) {
    FILE* f = std::fopen(path.c_str(), "a");
    ASSERT_NE(f, nullptr);
    std::fputc('x', f);
    std::fclose(f);
  }
}

// GNU tar of `dir` with --sparse, in `format` ("gnu" or "posix", whose sparse map is pax's 1.0).
std::string SparseTar(const std::string& dir, const std::string& out, const std::string& format) {
  ct::RunResult r = ct::Run({"tar", "--sparse", "--format=" + format, "-cf", out, "-C", dir, "."});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  return out;
}

bool HaveGnuTar() {
  ct::RunResult r = ct::Run({"tar", "--version"});
  return r.exit_code == 0 && r.out.find("GNU tar") != std::string::npos;
}

// Runs customs with stdout and stderr into files and measures its peak RSS with wait4 (that child's
// own rusage, whatever else this process ran before).
struct Measured {
  int exit_code = -1;
  std::string err;
  long max_rss_kb = 0;
  std::string Describe() const { return "exit " + std::to_string(exit_code) + "; stderr: " + err; }
};
Measured RunMeasured(const std::vector<std::string>& args, const std::string& scratch) {
  Measured m;
  const std::string err_path = scratch + "/stderr.txt";
  std::vector<std::string> argv = {ct::CustomsBin()};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    int fd = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int null = ::open("/dev/null", O_RDWR);
    if (fd < 0 || null < 0) ::_exit(127);
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(fd, 2);
    ::execv(cargv[0], cargv.data());
    ::_exit(127);
  }
  EXPECT_GT(pid, 0);
  int status = 0;
  struct rusage ru {};
  if (pid > 0 && ::wait4(pid, &status, 0, &ru) == pid) {
    m.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    m.max_rss_kb = ru.ru_maxrss;
  }
  m.err = ct::ReadFile(err_path);
  return m;
}

class HostileLimits : public testing::Test {
 protected:
  void SetUp() override {
    if (!HaveGnuTar()) GTEST_SKIP() << "GNU tar is needed to make sparse members";
  }
  ct::TempDir work{"customs-limits"};
};

// Many sparse 512 MiB package databases in a layer of a few KB.
std::string PackageDbTree(const std::string& root) {
  ct::WriteFile(root + "/etc/os-release", "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.3\n");
  for (const char* p : {"lib/apk/db/installed", "var/lib/dpkg/status", "var/lib/rpm/Packages",
                        "var/lib/rpm/rpmdb.sqlite", "usr/lib/sysimage/rpm/Packages.db"})
    MakeSparse(root + "/" + p, 512ull << 20);
  for (int i = 0; i < 24; ++i) MakeSparse(root + "/var/lib/dpkg/status.d/pkg" + std::to_string(i), 512ull << 20);
  return root;
}

TEST_F(HostileLimits, SparsePackageDatabasesAreRefusedWithoutTheirMemory) {
  const std::string tree = PackageDbTree(work / "tree");
  for (const std::string format : {"gnu", "posix"}) {
    SCOPED_TRACE(format);
    const std::string tar = SparseTar(tree, work / ("sparse-" + format + ".tar"), format);
    ASSERT_LT(ct::FileSize(tar), 256u << 10) << "a layer of a few KB";

    // As a rootfs tarball, and as the layer of a docker-archive image.
    Measured rootfs = RunMeasured({"rootfs", tar, "-q", "-f", "json", "-o", work / "out.json"}, work.path());
    EXPECT_EQ(rootfs.exit_code, 3) << rootfs.Describe();
    auto errors = ct::ErrorLines(rootfs.err);
    ASSERT_EQ(errors.size(), 1u) << rootfs.err;
    std::printf("  %s\n", errors[0].c_str());
    EXPECT_NE(errors[0].find(std::filesystem::path(tar).filename().string()), std::string::npos) << errors[0];
    EXPECT_NE(errors[0].find("sparse"), std::string::npos) << errors[0];
    EXPECT_NE(errors[0].find("holes"), std::string::npos) << errors[0];
    EXPECT_LT(rootfs.max_rss_kb, 256 * 1024) << "peak RSS of customs (KB)";

    const std::string image = work / ("image-" + format + ".tar");
    ct::WriteDockerArchive(image, {ct::LayerFromTarFile(work / "layers", tar, ct::Compression::kNone)});
    Measured img = RunMeasured({"image", "--input", image, "-q", "-f", "json", "-o", work / "out.json"}, work.path());
    EXPECT_EQ(img.exit_code, 3) << img.Describe();
    EXPECT_NE(img.err.find("sparse"), std::string::npos) << img.err;
    EXPECT_LT(img.max_rss_kb, 256 * 1024) << "peak RSS of customs (KB)";
  }
}

TEST_F(HostileLimits, SparseHolesCountAgainstTheLayerSizeLimit) {
  // A file the secret scanner reads: 8 MiB, all hole but its last byte.
  const std::string tree = work / "tree";
  ct::WriteFile(tree + "/etc/os-release", "ID=alpine\nVERSION_ID=3.20.3\n");
  MakeSparse(tree + "/etc/app.conf", 8ull << 20, true);
  const std::string tar = SparseTar(tree, work / "app.tar", "gnu");
  ct::RunResult r = ct::RunCustoms({"rootfs", tar, "-q", "--max-layer-size", "1M", "-f", "json", "-o", work / "o.json"});
  EXPECT_EQ(r.exit_code, 3) << r.Describe();
  EXPECT_NE(r.err.find("app.tar"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("etc/app.conf"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("sparse"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--max-layer-size"), std::string::npos) << r.err;
  // Within the default limits the same layer scans.
  r = ct::RunCustoms({"rootfs", tar, "-q", "-f", "json", "-o", work / "o.json"});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
}

TEST_F(HostileLimits, SparseHolesCountAgainstTheCompressionRatio) {
  // Twelve 30 MiB sparse files the secret scanner reads: 360 MiB of zeros from a tar of a few KB.
  const std::string tree = work / "tree";
  ct::WriteFile(tree + "/etc/os-release", "ID=alpine\nVERSION_ID=3.20.3\n");
  for (int i = 0; i < 12; ++i) MakeSparse(tree + "/etc/conf" + std::to_string(i) + ".ini", 30ull << 20, true);
  const std::string tar = SparseTar(tree, work / "many.tar", "posix");
  ct::RunResult r = ct::RunCustoms({"rootfs", tar, "-q", "-f", "json", "-o", work / "o.json"});
  EXPECT_EQ(r.exit_code, 3) << r.Describe();
  EXPECT_NE(r.err.find("sparse"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--max-compression-ratio"), std::string::npos) << r.err;
}

TEST_F(HostileLimits, HugeSparseLastlogThatNothingReadsStillScans) {
  // `useradd -u 2000000000` in a Dockerfile: /var/log/lastlog of ~580 GB, all hole. Larger than
  // --max-file-size (8G) as declared, but it stores nothing and no analyzer reads it.
  const std::string tree = work / "tree";
  ct::WriteFile(tree + "/etc/os-release", "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.3\n");
  ct::WriteFile(tree + "/lib/apk/db/installed", "P:musl\nV:1.2.5-r0\nA:x86_64\nL:MIT\no:musl\n\n");
  MakeSparse(tree + "/var/log/lastlog", 292ull * 2000000000ull);
  const std::string tar = SparseTar(tree, work / "lastlog.tar", "gnu");
  const std::string image = work / "image.tar";
  ct::WriteDockerArchive(image, {ct::LayerFromTarFile(work / "layers", tar, ct::Compression::kNone)});
  ct::RunResult r = ct::RunCustoms({"image", "--input", image, "-q", "--scanners", "none", "-f", "json", "-o",
                                    work / "o.json"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_NE(ct::ReadFile(work / "o.json").find("\"musl\""), std::string::npos);
}

TEST(HostileFlags, SizesThatAreNotSizesAreUsageErrors) {
  ct::TempDir d;
  ct::WriteTar(d / "rootfs.tar", {ct::TarEntry::File("etc/hostname", "x\n")});
  const std::string in = d / "rootfs.tar";
  for (const std::string bad : {"inf", "nan", "1e300", "99999999999999999999G", "-1", "", "0", "12Q", "1.", ".5M",
                                "0x10", " 5M", "16777216T"}) {
    ct::RunResult r = ct::RunCustoms({"rootfs", in, "-q", "--max-layer-size", bad});
    EXPECT_EQ(r.exit_code, 2) << "'" << bad << "': " << r.Describe();
    EXPECT_NE(r.err.find("--max-layer-size"), std::string::npos) << "'" << bad << "': " << r.err;
    EXPECT_NE(r.err.find("'" + bad + "'"), std::string::npos) << "the message quotes the value: " << r.err;
  }
  ct::RunResult r = ct::RunCustoms({"rootfs", in, "-q", "--max-layer-size", "inf"});
  EXPECT_NE(r.err.find("--max-layer-size: 'inf' is not a size: expected digits with an optional K, M, G or T suffix"),
            std::string::npos)
      << r.err;
  for (const std::string bad : {"inf", "nan", "-5", "0", "0.5", "1e9", "abc", ""}) {
    ct::RunResult q = ct::RunCustoms({"rootfs", in, "-q", "--max-compression-ratio", bad});
    EXPECT_EQ(q.exit_code, 2) << "'" << bad << "': " << q.Describe();
    EXPECT_NE(q.err.find("--max-compression-ratio"), std::string::npos) << q.err;
  }
  for (const std::string bad : {"inf", "1e300"}) {
    ct::RunResult q = ct::RunCustoms({"rootfs", in, "-q", "--max-kept-size", bad});
    EXPECT_EQ(q.exit_code, 2) << "'" << bad << "': " << q.Describe();
  }
  EXPECT_EQ(ct::RunCustoms({"rootfs", in, "-q", "--db-max-age", "nan"}).exit_code, 2);
  EXPECT_EQ(ct::RunCustoms({"rootfs", in, "-q", "--threads", "4294967295"}).exit_code, 2);
}

TEST(HostileFlags, DocumentedSizesStillWork) {
  ct::TempDir d;
  ct::WriteTar(d / "rootfs.tar", {ct::TarEntry::File("etc/hostname", "x\n")});
  const std::string in = d / "rootfs.tar";
  for (const std::string good : {"512M", "32G", "1048576", "1.5GiB", "2g", "64KB", "1T"}) {
    ct::RunResult r = ct::RunCustoms({"rootfs", in, "-q", "--scanners", "none", "-f", "json", "--max-layer-size", good,
                                      "--max-kept-size", good, "--max-file-size", good});
    EXPECT_EQ(r.exit_code, 0) << good << ": " << r.Describe();
  }
  ct::RunResult r = ct::RunCustoms({"rootfs", in, "-q", "--scanners", "none", "-f", "json", "--max-compression-ratio",
                                    "12.5"});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  // A size that is accepted is applied: a 1-byte layer limit refuses the 10 KiB tar.
  r = ct::RunCustoms({"rootfs", in, "-q", "-f", "json", "--max-layer-size", "1K"});
  EXPECT_EQ(r.exit_code, 3) << r.Describe();
  EXPECT_NE(r.err.find("--max-layer-size"), std::string::npos) << r.err;
}

// A layer whose descriptor gives no size is still bounded: the layer cache stops the download at the
// caller's limit (a real docker-registry serves the blob).
TEST(HostileRegistry, BlobWithoutADescriptorSizeIsBoundedByTheLimit) {
  std::string reason;
  std::unique_ptr<ct::TestRegistry> reg = ct::TestRegistry::Start(ct::TestRegistry::Mode::kPlain, &reason);
  if (!reg) GTEST_SKIP() << "docker-registry not available: " << reason;
  namespace r = customs::registry;
  r::ClientOptions o;
  o.insecure_registries = {reg->host()};
  o.docker_config = reg->dir() + "/no-config.json";
  r::Client client(o);  // max_blob_bytes left at its default
  const r::Reference repo = r::Reference::Parse(reg->host() + "/limits/blob:v1");
  const std::string payload(256 << 10, 'x');
  const std::string digest = client.PutBlob(repo, payload);

  ct::TempDir cache_dir("customs-cache");
  r::LayerCache cache(cache_dir.path());
  try {
    cache.Fetch(client, repo, digest, /*size=*/0, /*max_bytes=*/64 << 10);
    ADD_FAILURE() << "no error";
  } catch (const r::RegistryError& e) {
    EXPECT_EQ(e.kind, r::RegistryError::Kind::kTooLarge) << e.what();
    EXPECT_NE(std::string(e.what()).find("limit"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(cache.Has(digest));
  EXPECT_EQ(cache_dir.List(), (std::vector<std::string>{"blobs/", "blobs/sha256/"})) << "no partial blob left";
  // A descriptor size above the limit is refused before any download.
  EXPECT_THROW(cache.Fetch(client, repo, digest, payload.size(), 64 << 10), r::RegistryError);
  // Within the limit it downloads.
  EXPECT_TRUE(cache.Fetch(client, repo, digest, 0, 1 << 20));
  EXPECT_EQ(ct::ReadFile(cache.Path(digest)), payload);
}

}  // namespace
