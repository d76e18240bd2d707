// Fixture library for the test suites: temporary directories, running programs, writing tars and
// container images (docker-archive, OCI layout) with correct digests, and building real root
// filesystems (Debian with debootstrap, rpm databases with rpmbuild + rpm --justdb).
//
// Nothing here uses customs' own code: digests, compression and tar writing go through OpenSSL,
// zlib, zstd and libarchive directly, so that the tests check customs against independent output.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace customs_test {

// ---------------------------------------------------------------------------------------------
// Paths of the build.

std::string SourceDir();   // the repository root (CUSTOMS_SOURCE_DIR)
std::string SharedDir();   // shared test data: SourceDir()/../shared
std::string CustomsBin();  // the built `customs` binary (CUSTOMS_BIN)

// ---------------------------------------------------------------------------------------------
// Files.

std::string ReadFile(const std::string& path);             // throws std::runtime_error
void WriteFile(const std::string& path, std::string_view data, uint32_t mode = 0644);
bool PathExists(const std::string& path);                  // lstat succeeds
std::string Sha256Hex(std::string_view data);              // 64 lowercase hex digits
std::string Sha256Digest(std::string_view data);           // "sha256:<hex>"
std::string Sha256DigestOfFile(const std::string& path);   // "sha256:<hex>", streamed
uint64_t FileSize(const std::string& path);

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it on destruction
// (unless CUSTOMS_KEEP_TEMP=1 is set in the environment, for debugging).
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "customs-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;

  const std::string& path() const { return path_; }
  std::string operator/(std::string_view rel) const { return Join(rel); }
  std::string Join(std::string_view rel) const;
  // Every path under the directory, relative, sorted; directories end with "/".
  std::vector<std::string> List() const;

 private:
  std::string path_;
};

// Removes a tree (like rm -rf); no error when it does not exist.
void RemoveTree(const std::string& path);

// ---------------------------------------------------------------------------------------------
// Running programs: fork/exec (no shell), stdout and stderr captured separately (both are pipes, so
// never a terminal), stdin from the given data or /dev/null.

struct RunOptions {
  std::optional<std::string> stdin_data;
  std::string cwd;                  // empty: the caller's
  std::vector<std::string> env;     // "KEY=VALUE" added to (or replacing in) the caller's environment
  int timeout_seconds = 900;        // then the child is killed (SIGKILL) and timed_out is set
};

struct RunResult {
  int exit_code = -1;       // -1 when killed by a signal
  int term_signal = 0;
  bool timed_out = false;
  std::string out, err;
  // "exit 3; stderr: ..." for assertion messages.
  std::string Describe() const;
};

RunResult Run(const std::vector<std::string>& argv,
              const std::optional<std::string>& stdin_data = std::nullopt);
RunResult Run(const std::vector<std::string>& argv, const RunOptions& opts);
// Runs CustomsBin() with `args`.
RunResult RunCustoms(const std::vector<std::string>& args, const RunOptions& opts = {});

// ---------------------------------------------------------------------------------------------
// Tar writing.

enum class Compression { kNone, kGzip, kZstd };
const char* CompressionName(Compression c);  // "none", "gzip", "zstd"

struct TarEntry {
  enum class Type { kFile, kDir, kSymlink, kHardlink, kCharDevice, kBlockDevice, kFifo };
  Type type = Type::kFile;
  std::string path;     // written exactly as given ("../x" and "/etc/x" included, for hostile tests)
  std::string content;  // kFile
  std::string link;     // kSymlink: target as written; kHardlink: path of the earlier entry
  uint32_t mode = 0644;
  uint32_t uid = 0, gid = 0;
  std::string uname = "root", gname = "root";
  int64_t mtime = 1700000000;
  uint32_t dev_major = 0, dev_minor = 0;
  // For kFile: stream the content from this file instead of `content` (large files).
  std::string content_file;

  static TarEntry File(std::string path, std::string content, uint32_t mode = 0644);
  static TarEntry Dir(std::string path, uint32_t mode = 0755);
  static TarEntry Symlink(std::string path, std::string target);
  static TarEntry Hardlink(std::string path, std::string target);
  // The whiteout that deletes `deleted_path` in an overlay layer: "dir/.wh.name".
  static TarEntry Whiteout(std::string_view deleted_path);
  // The opaque whiteout of `dir`: "dir/.wh..wh..opq".
  static TarEntry OpaqueWhiteout(std::string_view dir);
};

// A blob as written to disk, with its digests.
struct BlobInfo {
  std::string path;                 // the file
  Compression compression = Compression::kNone;
  std::string digest;               // "sha256:..." of the bytes as stored
  std::string diff_id;              // "sha256:..." of the uncompressed bytes
  uint64_t size = 0;                // stored size
  uint64_t uncompressed_size = 0;
};

// Streams a tar (libarchive, pax-restricted format: ustar unless a name needs pax) to a file,
// compressing with zlib (gzip) or zstd on the fly and hashing both the uncompressed and stored
// bytes. Output is deterministic for the same entries.
class TarWriter {
 public:
  TarWriter(const std::string& out_path, Compression compression = Compression::kNone);
  ~TarWriter();
  TarWriter(const TarWriter&) = delete;
  TarWriter& operator=(const TarWriter&) = delete;
  void Add(const TarEntry& entry);
  // Finishes the archive; the writer is unusable afterwards.
  BlobInfo Close();

 private:
  struct Impl;
  Impl* impl_;
};

BlobInfo WriteTar(const std::string& out_path, const std::vector<TarEntry>& entries,
                  Compression compression = Compression::kNone);
// An uncompressed tar in memory.
std::string TarBytes(const std::vector<TarEntry>& entries);
// Every entry of a tarball (any compression libarchive reads), contents included, in stored order.
// Hardlinks come back as kHardlink with `link` set.
std::vector<TarEntry> ReadTarEntries(const std::string& tarball);
// A directory tree packed as a tar: entries sorted by path, symlinks not followed, files streamed.
// Used to turn an OCI layout directory into its tar form.
BlobInfo WriteTarFromDirectory(const std::string& dir, const std::string& out_path,
                               Compression compression = Compression::kNone);
// Whole-buffer compression (gzip: deterministic header, mtime 0).
std::string Compress(std::string_view data, Compression compression);

// ---------------------------------------------------------------------------------------------
// Image layers and images.

struct Layer {
  BlobInfo blob;
  std::string created_by;  // history entry
};

// Writes `entries` as a layer blob under `dir` (file name from its digest).
Layer MakeLayer(const std::string& dir, const std::vector<TarEntry>& entries,
                Compression compression, std::string created_by = "");
// Wraps an existing uncompressed tar file as a layer: with kNone the file itself is the blob (only
// hashed), otherwise it is compressed (streamed) into `dir`.
Layer LayerFromTarFile(const std::string& dir, const std::string& tar_path, Compression compression,
                       std::string created_by = "");
// A decompression bomb: a layer whose tar holds one regular file `name` of `zero_bytes` zero bytes.
// Generated streaming in a few seconds even for GiBs: gzip output is a valid single-member stream
// made of repeated full-flush deflate blocks (ratio ~1000:1); zstd is streamed normally (far
// higher ratio). Digests (blob and diff_id) are exact.
Layer MakeZeroBombLayer(const std::string& dir, Compression compression, uint64_t zero_bytes,
                        std::string name = "zeros");

struct ImageConfig {
  std::string os = "linux";
  std::string architecture = "amd64";
  std::string variant;
  std::string created = "2024-05-01T12:00:00Z";
  std::vector<std::string> env = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"};
  std::vector<std::string> cmd = {"/bin/sh"};
  std::map<std::string, std::string> labels;
  // Insert a `CMD` history entry with empty_layer=true after the first layer, as real images have.
  bool empty_layer_history = true;
  // Replaces the computed rootfs.diff_ids (hostile tests).
  std::optional<std::vector<std::string>> diff_ids_override;
  // Last edit of the config JSON before it is serialized.
  std::function<void(nlohmann::json&)> mutate;
};

// Facts about one written image, for the tests' expectations.
struct ImageInfo {
  std::string config_digest;              // "sha256:..." (the image ID)
  std::string manifest_digest;            // OCI manifest digest (empty for legacy docker-archive)
  std::vector<std::string> layer_digests; // blob digests as stored
  std::vector<std::string> diff_ids;      // uncompressed digests (always the true ones)
  nlohmann::json config;
  nlohmann::json manifest;                // OCI manifest, or the docker manifest.json entry
};

enum class DockerLayout {
  kLegacy,    // `docker save` before 25: <id>/layer.tar, <id>/json, <id>/VERSION, <hex>.json
  kOciBlobs,  // `docker save` 25+: blobs/sha256/<hex> members, plus index.json and oci-layout
};

struct DockerArchiveOptions {
  DockerLayout layout = DockerLayout::kLegacy;
  std::vector<std::string> repo_tags = {"customs-test/image:latest"};
  // Replaces manifest.json's bytes verbatim (invalid-JSON tests).
  std::optional<std::string> raw_manifest;
};

// `docker save` layout. Layers are copied as their blobs are (docker's own are uncompressed).
ImageInfo WriteDockerArchive(const std::string& out_tar, const std::vector<Layer>& layers,
                             const ImageConfig& config = {}, const DockerArchiveOptions& opts = {});

struct OciImage {
  std::vector<Layer> layers;
  ImageConfig config;  // its os/architecture/variant is also the platform in the index
};

struct OciLayoutOptions {
  // Multi-platform: index.json points at one image index blob that lists the manifests (as
  // buildx writes), instead of listing them itself.
  bool nested_index = false;
  std::string ref_name = "latest";  // org.opencontainers.image.ref.name annotation
};

struct OciLayoutInfo {
  std::vector<ImageInfo> images;
  std::string nested_index_digest;  // when nested_index
};

// OCI image layout: oci-layout, index.json, blobs/sha256/. `out` ending in ".tar" gives the layout
// packed as a tar; anything else a directory (created).
ImageInfo WriteOciLayout(const std::string& out, const std::vector<Layer>& layers,
                         const ImageConfig& config = {}, const OciLayoutOptions& opts = {});
OciLayoutInfo WriteOciLayout(const std::string& out, const std::vector<OciImage>& images,
                             const OciLayoutOptions& opts = {});

// Media type of a layer blob with that compression (OCI names).
std::string OciLayerMediaType(Compression compression);

// ---------------------------------------------------------------------------------------------
// Real root filesystems.

// A Debian root filesystem from `debootstrap --variant=minbase [--include=PKGS] bookworm DIR
// http://deb.debian.org/debian`, built once and cached in
// ${XDG_CACHE_HOME:-$HOME/.cache}/customs-tests/<cache_name> (built next to it, renamed when
// complete; a lock file serializes concurrent test processes). Read-only for the tests.
// Returns nullopt with `*reason` set when it cannot be built; the reason starts with
// "no Debian mirror answered" when the mirror was unreachable (tests then skip).
std::optional<std::string> DebianRootfs(std::string* reason,
                                        const std::vector<std::string>& extra_packages = {},
                                        const std::string& cache_name = "debian-bookworm-minbase");

// Where tests cache what is slow to make (root filesystems, npm installs): $XDG_CACHE_HOME or
// ~/.cache, then customs-tests.
std::string TestCacheRoot();

// An exclusive flock on `path` (created if needed) for the object's lifetime: one test process
// builds a cached fixture while the others wait. Throws std::runtime_error when it cannot.
class FileLock {
 public:
  explicit FileLock(const std::string& path);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

// True for DebianRootfs reasons that mean "network", where a test skips rather than fails.
bool IsMirrorUnavailable(const std::string& reason);

struct RpmSpec {
  std::string name;
  std::string version;
  std::string release = "1";
  std::optional<uint32_t> epoch;
  std::string license = "MIT";
  std::string summary;                 // default: "customs test package <name>"
  std::vector<std::string> requires_;  // Requires: lines (package names, optionally with versions)
  std::map<std::string, std::string> files;  // absolute path in the package -> content
};

enum class RpmDbBackend { kSqlite, kNdb };

// Whether this machine's rpm can write databases with that backend itself (Debian's rpm 4.18 is
// built with sqlite and read-only bdb only: no ndb). `*why` says what is missing.
bool RpmBackendSupported(RpmDbBackend backend, std::string* why);

// Whether RpmRoot can build a root with that backend here: rpm and rpmbuild, and for kNdb, when
// rpm cannot write ndb itself, sqlite3 (RpmRoot then converts a sqlite database). `*why` names
// what is missing; tests skip on false.
bool RpmRootAvailable(RpmDbBackend backend, std::string* why);

// The `rpm -qa --qf` formats whose output RpmRoot records in work_dir (RpmQaFile, RpmQaFactsFile),
// queried on the database rpm wrote, before any conversion: the oracle for roots whose database
// this machine's rpm cannot read (ndb on Debian).
inline constexpr const char* kRpmQaFormat = "%{NAME} %{VERSION}-%{RELEASE}\n";
inline constexpr const char* kRpmQaFactsFormat =
    "%{NAME}\t%{EPOCHNUM}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{LICENSE}\t%{SOURCERPM}\n";
inline std::string RpmQaFile(const std::string& work_dir) { return work_dir + "/rpm-qa.txt"; }
inline std::string RpmQaFactsFile(const std::string& work_dir) { return work_dir + "/rpm-qa-facts.tsv"; }

// A few noarch packages: one with an epoch, one requiring another, several licenses, files.
std::vector<RpmSpec> DefaultRpmSpecs();

// Builds `specs` with rpmbuild (topdir under `work_dir`) and installs them with
// `rpm --root ROOT --dbpath /var/lib/rpm -i --nodeps --justdb --ignorearch` into ROOT =
// work_dir/root, which it returns (the database is ROOT/var/lib/rpm; rpmdb.sqlite or the ndb
// files). For kNdb on a machine whose rpm cannot write ndb, rpm writes a sqlite database, whose
// header blobs (sqlite3) are then laid out as ROOT/var/lib/rpm/Packages.db by the support ndb
// writer (ndb_writer.h), and the sqlite files removed: the root holds only an ndb database.
// Either way, `rpm -qa` in kRpmQaFormat and kRpmQaFactsFormat on the database as rpm wrote it is
// recorded in RpmQaFile(work_dir) and RpmQaFactsFile(work_dir).
// Also writes ROOT/etc/os-release (a Fedora-like one) unless `os_release` is empty.
// nullopt with `*reason` on failure.
std::optional<std::string> RpmRoot(const std::string& work_dir, std::string* reason,
                                   RpmDbBackend backend = RpmDbBackend::kSqlite,
                                   const std::vector<RpmSpec>& specs = DefaultRpmSpecs(),
                                   const std::string& os_release =
                                       "NAME=\"Fedora Linux\"\nVERSION=\"39 (Container Image)\"\n"
                                       "ID=fedora\nVERSION_ID=39\n"
                                       "PRETTY_NAME=\"Fedora Linux 39 (Container Image)\"\n");

// ---------------------------------------------------------------------------------------------
// Alpine minirootfs helpers.

struct ApkPackage {
  std::string name, version;
  std::vector<std::string> files;  // R: entries joined with their F: directory ("usr/bin/x")
};
// Parses an apk `installed` database (P:, V:, F:, R: lines; stanzas separated by blank lines).
std::vector<ApkPackage> ParseApkInstalled(std::string_view db);
// The database text without the stanza of package `name` (as `apk del` leaves it).
std::string RemoveApkStanza(std::string_view db, std::string_view name);

// The shared Alpine minirootfs tarballs (SharedDir()/images/alpine-minirootfs-*-x86_64.tar.gz),
// with their version, sorted by version.
struct AlpineRootfsFile {
  std::string version;
  std::string path;
};
std::vector<AlpineRootfsFile> AlpineMinirootfsFiles();

// ---------------------------------------------------------------------------------------------
// JSON.

// Parses `text`; on failure returns a null json and sets `*error`.
nlohmann::json ParseJson(const std::string& text, std::string* error = nullptr);

}  // namespace customs_test

// In a TEST body: `CUSTOMS_DEBIAN_ROOTFS_OR_SKIP(root);` declares `std::string root` or skips the
// test (mirror unreachable) or fails it (any other reason).
#define CUSTOMS_DEBIAN_ROOTFS_OR_SKIP(var, ...)                                   \
  std::string var;                                                                \
  do {                                                                            \
    std::string why_##var;                                                        \
    auto got_##var = ::customs_test::DebianRootfs(&why_##var __VA_OPT__(, ) __VA_ARGS__);   \
    if (!got_##var) {                                                             \
      if (::customs_test::IsMirrorUnavailable(why_##var)) GTEST_SKIP() << why_##var; \
      FAIL() << "cannot build the Debian root filesystem: " << why_##var;          \
    }                                                                             \
    var = *got_##var;                                                             \
  } while (0)
