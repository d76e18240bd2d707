// Fixture library: files, temporary directories, processes, tar writing and reading, images.
// Root filesystem builders (Debian, rpm, Alpine helpers) are in rootfs_fixtures.cpp.
#include "support/fixtures.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>

#ifndef CUSTOMS_SOURCE_DIR
#error "CUSTOMS_SOURCE_DIR must be defined by the build"
#endif
#ifndef CUSTOMS_BIN
#error "CUSTOMS_BIN must be defined by the build"
#endif

namespace fs = std::filesystem;

namespace customs_test {

namespace {

[[noreturn]] void Fail(const std::string& what) { throw std::runtime_error(what); }

std::string ErrnoText(const std::string& what) { return what + ": " + std::strerror(errno); }

std::string Hex(const unsigned char* p, size_t n) {
  static const char* kDigits = "0123456789abcdef";
  std::string s(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    s[2 * i] = kDigits[p[i] >> 4];
    s[2 * i + 1] = kDigits[p[i] & 15];
  }
  return s;
}

// Streaming SHA-256 with OpenSSL (independent of customs' own hasher).
class Hasher {
 public:
  Hasher() : ctx_(EVP_MD_CTX_new()) {
    if (!ctx_ || EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr) != 1) Fail("EVP_DigestInit_ex");
  }
  ~Hasher() { EVP_MD_CTX_free(ctx_); }
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;
  void Update(const void* p, size_t n) {
    if (n && EVP_DigestUpdate(ctx_, p, n) != 1) Fail("EVP_DigestUpdate");
  }
  std::string HexDigest() {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(ctx_, md, &len) != 1) Fail("EVP_DigestFinal_ex");
    return Hex(md, len);
  }

 private:
  EVP_MD_CTX* ctx_;
};

const std::string& ZeroMiB() {
  static const std::string z(1 << 20, '\0');
  return z;
}

// Receives the uncompressed bytes of a blob, compresses them, hashes both forms and writes the
// stored form to a file or a string.
class BlobSink {
 public:
  BlobSink(Compression c, std::FILE* file, std::string* str) : c_(c), file_(file), str_(str) {
    if (c_ == Compression::kGzip) {
      std::memset(&zs_, 0, sizeof zs_);
      // windowBits 15 + 16: gzip wrapper, header mtime 0, OS byte 3 (unix): deterministic.
      if (deflateInit2(&zs_, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        Fail("deflateInit2");
    } else if (c_ == Compression::kZstd) {
      zc_ = ZSTD_createCCtx();
      if (!zc_) Fail("ZSTD_createCCtx");
      ZSTD_CCtx_setParameter(zc_, ZSTD_c_compressionLevel, 3);
      ZSTD_CCtx_setParameter(zc_, ZSTD_c_checksumFlag, 1);
    }
    buf_.resize(1 << 18);
  }
  ~BlobSink() {
    if (c_ == Compression::kGzip) deflateEnd(&zs_);
    if (zc_) ZSTD_freeCCtx(zc_);
  }

  void Write(const void* data, size_t n) {
    raw_hash_.Update(data, n);
    raw_size_ += n;
    switch (c_) {
      case Compression::kNone:
        Emit(data, n);
        break;
      case Compression::kGzip:
        Deflate(data, n, Z_NO_FLUSH);
        break;
      case Compression::kZstd:
        ZstdStep(data, n, ZSTD_e_continue);
        break;
    }
  }

  void Finish() {
    if (c_ == Compression::kGzip) Deflate(nullptr, 0, Z_FINISH);
    if (c_ == Compression::kZstd) ZstdStep(nullptr, 0, ZSTD_e_end);
  }

  // Bytes that go to the output as they are (hand-made streams).
  void Emit(const void* data, size_t n) {
    if (!n) return;
    stored_hash_.Update(data, n);
    stored_size_ += n;
    if (file_ && std::fwrite(data, 1, n, file_) != n) Fail(ErrnoText("write"));
    if (str_) str_->append(static_cast<const char*>(data), n);
  }
  void Emit(const std::string& s) { Emit(s.data(), s.size()); }

  // Accounts uncompressed bytes that a hand-made stream represents.
  void AccountRaw(const void* data, size_t n) {
    raw_hash_.Update(data, n);
    raw_size_ += n;
  }

  void Fill(BlobInfo& info) {
    info.compression = c_;
    info.digest = "sha256:" + stored_hash_.HexDigest();
    info.diff_id = "sha256:" + raw_hash_.HexDigest();
    info.size = stored_size_;
    info.uncompressed_size = raw_size_;
  }

 private:
  void Deflate(const void* data, size_t n, int flush) {
    zs_.next_in = static_cast<Bytef*>(const_cast<void*>(data));
    zs_.avail_in = static_cast<uInt>(n);
    for (;;) {
      zs_.next_out = reinterpret_cast<Bytef*>(buf_.data());
      zs_.avail_out = static_cast<uInt>(buf_.size());
      int rc = deflate(&zs_, flush);
      if (rc == Z_STREAM_ERROR) Fail("deflate");
      Emit(buf_.data(), buf_.size() - zs_.avail_out);
      if (flush == Z_FINISH ? rc == Z_STREAM_END : (zs_.avail_in == 0 && zs_.avail_out != 0)) break;
    }
  }
  void ZstdStep(const void* data, size_t n, ZSTD_EndDirective mode) {
    ZSTD_inBuffer in{data, n, 0};
    for (;;) {
      ZSTD_outBuffer out{buf_.data(), buf_.size(), 0};
      size_t rem = ZSTD_compressStream2(zc_, &out, &in, mode);
      if (ZSTD_isError(rem)) Fail(std::string("zstd: ") + ZSTD_getErrorName(rem));
      Emit(buf_.data(), out.pos);
      if (mode == ZSTD_e_end ? rem == 0 : in.pos == in.size) break;
    }
  }

  Compression c_;
  std::FILE* file_;
  std::string* str_;
  z_stream zs_{};
  ZSTD_CCtx* zc_ = nullptr;
  std::string buf_;
  Hasher raw_hash_, stored_hash_;
  uint64_t raw_size_ = 0, stored_size_ = 0;
};

std::string Ext(Compression c) {
  switch (c) {
    case Compression::kGzip: return ".tar.gz";
    case Compression::kZstd: return ".tar.zst";
    default: return ".tar";
  }
}

void MakeDirs(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) Fail("mkdir -p " + dir + ": " + ec.message());
}

void CopyFile(const std::string& from, const std::string& to) {
  std::error_code ec;
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
  if (ec) Fail("copy " + from + " -> " + to + ": " + ec.message());
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string HexOf(const std::string& digest) {
  return digest.rfind("sha256:", 0) == 0 ? digest.substr(7) : digest;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Paths and files.

std::string SourceDir() { return CUSTOMS_SOURCE_DIR; }
std::string SharedDir() {
  // $CUSTOMS_SHARED_DIR points the tests at another copy of the shared data (a worktree elsewhere).
  if (const char* env = std::getenv("CUSTOMS_SHARED_DIR"); env && *env) return env;
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::path(CUSTOMS_SOURCE_DIR) / ".." / "shared", ec);
  return ec ? std::string(CUSTOMS_SOURCE_DIR) + "/../shared" : p.string();
}
std::string CustomsBin() { return CUSTOMS_BIN; }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Fail(ErrnoText("open " + path));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, std::string_view data, uint32_t mode) {
  fs::path p(path);
  if (p.has_parent_path()) MakeDirs(p.parent_path().string());
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) Fail(ErrnoText("create " + path));
  size_t off = 0;
  while (off < data.size()) {
    ssize_t w = ::write(fd, data.data() + off, data.size() - off);
    if (w < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      Fail(ErrnoText("write " + path));
    }
    off += static_cast<size_t>(w);
  }
  ::fchmod(fd, mode);
  ::close(fd);
}

bool PathExists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

uint64_t FileSize(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) Fail(ErrnoText("stat " + path));
  return static_cast<uint64_t>(st.st_size);
}

std::string Sha256Hex(std::string_view data) {
  Hasher h;
  h.Update(data.data(), data.size());
  return h.HexDigest();
}

std::string Sha256Digest(std::string_view data) { return "sha256:" + Sha256Hex(data); }

std::string Sha256DigestOfFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) Fail(ErrnoText("open " + path));
  Hasher h;
  std::string buf(1 << 20, '\0');
  for (;;) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      Fail(ErrnoText("read " + path));
    }
    if (n == 0) break;
    h.Update(buf.data(), static_cast<size_t>(n));
  }
  ::close(fd);
  return "sha256:" + h.HexDigest();
}

// ---------------------------------------------------------------------------------------------
// Temporary directories.

void RemoveTree(const std::string& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
  if (!ec) return;
  // Read-only directories (as a non-root user): make them writable and retry.
  for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) ::chmod(it->path().c_str(), 0700);
  }
  ::chmod(path.c_str(), 0700);
  fs::remove_all(path, ec);
}

TempDir::TempDir(const std::string& prefix) {
  const char* tmp = std::getenv("TMPDIR");
  std::string base = (tmp && *tmp) ? tmp : "/tmp";
  std::string templ = base + "/" + prefix + "-XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (!::mkdtemp(buf.data())) Fail(ErrnoText("mkdtemp " + templ));
  path_ = buf.data();
}

TempDir::~TempDir() {
  if (path_.empty()) return;
  const char* keep = std::getenv("CUSTOMS_KEEP_TEMP");
  if (keep && std::string(keep) == "1") {
    std::fprintf(stderr, "kept temporary directory %s\n", path_.c_str());
    return;
  }
  RemoveTree(path_);
}

TempDir::TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }

TempDir& TempDir::operator=(TempDir&& other) noexcept {
  if (this != &other) {
    if (!path_.empty()) RemoveTree(path_);
    path_ = std::move(other.path_);
    other.path_.clear();
  }
  return *this;
}

std::string TempDir::Join(std::string_view rel) const {
  if (rel.empty()) return path_;
  return path_ + "/" + std::string(rel);
}

std::vector<std::string> TempDir::List() const {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(path_, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::string rel = fs::relative(it->path(), path_, ec).string();
    if (it->is_directory(ec) && !it->is_symlink(ec)) rel += "/";
    out.push_back(rel);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// ---------------------------------------------------------------------------------------------
// Processes.

std::string RunResult::Describe() const {
  std::ostringstream ss;
  if (timed_out) ss << "timed out; ";
  if (term_signal) ss << "killed by signal " << term_signal << "; ";
  else ss << "exit " << exit_code << "; ";
  std::string e = err.size() > 4000 ? err.substr(0, 4000) + "..." : err;
  ss << "stderr: [" << e << "]";
  if (out.size() < 600) ss << " stdout: [" << out << "]";
  else ss << " stdout: " << out.size() << " bytes";
  return ss.str();
}

RunResult Run(const std::vector<std::string>& argv, const std::optional<std::string>& stdin_data) {
  RunOptions o;
  o.stdin_data = stdin_data;
  return Run(argv, o);
}

RunResult Run(const std::vector<std::string>& argv, const RunOptions& opts) {
  if (argv.empty()) Fail("Run: empty argv");
  int out_p[2], err_p[2], in_p[2] = {-1, -1};
  if (::pipe2(out_p, O_CLOEXEC) != 0 || ::pipe2(err_p, O_CLOEXEC) != 0) Fail(ErrnoText("pipe2"));
  if (opts.stdin_data && ::pipe2(in_p, O_CLOEXEC) != 0) Fail(ErrnoText("pipe2"));

  // Environment: the caller's, with opts.env added or replaced.
  std::vector<std::string> env_strings;
  {
    std::map<std::string, std::string> env;
    std::vector<std::string> order;
    for (char** e = environ; e && *e; ++e) {
      std::string kv = *e;
      auto eq = kv.find('=');
      std::string k = kv.substr(0, eq);
      if (!env.count(k)) order.push_back(k);
      env[k] = kv;
    }
    for (const auto& kv : opts.env) {
      std::string k = kv.substr(0, kv.find('='));
      if (!env.count(k)) order.push_back(k);
      env[k] = kv;
    }
    for (const auto& k : order) env_strings.push_back(env[k]);
  }
  std::vector<char*> envp, args;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = argv;
  for (auto& s : argv_copy) args.push_back(s.data());
  args.push_back(nullptr);

  pid_t pid = ::fork();
  if (pid < 0) Fail(ErrnoText("fork"));
  if (pid == 0) {
    // Child: only async-signal-safe calls from here on.
    ::setpgid(0, 0);
    int in_fd = in_p[0];
    if (in_fd < 0) in_fd = ::open("/dev/null", O_RDONLY);
    ::dup2(in_fd, 0);
    ::dup2(out_p[1], 1);
    ::dup2(err_p[1], 2);
    if (!opts.cwd.empty() && ::chdir(opts.cwd.c_str()) != 0) {
      const char msg[] = "Run: chdir failed\n";
      (void)!::write(2, msg, sizeof msg - 1);
      ::_exit(127);
    }
    ::execvpe(args[0], args.data(), envp.data());
    const char msg[] = "Run: exec failed: ";
    (void)!::write(2, msg, sizeof msg - 1);
    (void)!::write(2, args[0], std::strlen(args[0]));
    (void)!::write(2, "\n", 1);
    ::_exit(127);
  }
  ::close(out_p[1]);
  ::close(err_p[1]);
  if (in_p[0] >= 0) ::close(in_p[0]);

  RunResult r;
  size_t in_off = 0;
  int in_fd = in_p[1];
  if (in_fd >= 0) {
    ::fcntl(in_fd, F_SETFL, ::fcntl(in_fd, F_GETFL) | O_NONBLOCK);
    if (opts.stdin_data->empty()) {
      ::close(in_fd);
      in_fd = -1;
    }
  }
  int out_fd = out_p[0], err_fd = err_p[0];
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(opts.timeout_seconds);
  std::string buf(1 << 16, '\0');
  // SIGPIPE when the child does not read its stdin must not kill us.
  struct sigaction ign {}, old {};
  ign.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ign, &old);
  while (out_fd >= 0 || err_fd >= 0) {
    std::vector<pollfd> fds;
    if (out_fd >= 0) fds.push_back({out_fd, POLLIN, 0});
    if (err_fd >= 0) fds.push_back({err_fd, POLLIN, 0});
    if (in_fd >= 0) fds.push_back({in_fd, POLLOUT, 0});
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      r.timed_out = true;
      ::kill(-pid, SIGKILL);
      ::kill(pid, SIGKILL);
      break;
    }
    int ms = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count());
    int n = ::poll(fds.data(), fds.size(), std::min(ms, 1000));
    if (n < 0) {
      if (errno == EINTR) continue;
      Fail(ErrnoText("poll"));
    }
    for (const auto& p : fds) {
      if (!p.revents) continue;
      if (p.fd == in_fd) {
        ssize_t w = ::write(in_fd, opts.stdin_data->data() + in_off, opts.stdin_data->size() - in_off);
        if (w > 0) in_off += static_cast<size_t>(w);
        if (w < 0 && errno != EAGAIN && errno != EINTR) in_off = opts.stdin_data->size();
        if (in_off >= opts.stdin_data->size()) {
          ::close(in_fd);
          in_fd = -1;
        }
        continue;
      }
      ssize_t got = ::read(p.fd, buf.data(), buf.size());
      if (got > 0) {
        (p.fd == out_fd ? r.out : r.err).append(buf.data(), static_cast<size_t>(got));
      } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
        ::close(p.fd);
        if (p.fd == out_fd) out_fd = -1;
        else err_fd = -1;
      }
    }
  }
  if (out_fd >= 0) ::close(out_fd);
  if (err_fd >= 0) ::close(err_fd);
  if (in_fd >= 0) ::close(in_fd);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  ::sigaction(SIGPIPE, &old, nullptr);
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.term_signal = WTERMSIG(status);
  return r;
}

RunResult RunCustoms(const std::vector<std::string>& args, const RunOptions& opts) {
  std::vector<std::string> argv{CustomsBin()};
  argv.insert(argv.end(), args.begin(), args.end());
  return Run(argv, opts);
}

// ---------------------------------------------------------------------------------------------
// Tar writing.

const char* CompressionName(Compression c) {
  switch (c) {
    case Compression::kNone: return "none";
    case Compression::kGzip: return "gzip";
    case Compression::kZstd: return "zstd";
  }
  return "?";
}

TarEntry TarEntry::File(std::string path, std::string content, uint32_t mode) {
  TarEntry e;
  e.type = Type::kFile;
  e.path = std::move(path);
  e.content = std::move(content);
  e.mode = mode;
  return e;
}
TarEntry TarEntry::Dir(std::string path, uint32_t mode) {
  TarEntry e;
  e.type = Type::kDir;
  e.path = std::move(path);
  e.mode = mode;
  return e;
}
TarEntry TarEntry::Symlink(std::string path, std::string target) {
  TarEntry e;
  e.type = Type::kSymlink;
  e.path = std::move(path);
  e.link = std::move(target);
  e.mode = 0777;
  return e;
}
TarEntry TarEntry::Hardlink(std::string path, std::string target) {
  TarEntry e;
  e.type = Type::kHardlink;
  e.path = std::move(path);
  e.link = std::move(target);
  return e;
}
TarEntry TarEntry::Whiteout(std::string_view deleted_path) {
  std::string p(deleted_path);
  while (!p.empty() && p.back() == '/') p.pop_back();
  auto slash = p.rfind('/');
  std::string dir = slash == std::string::npos ? "" : p.substr(0, slash + 1);
  std::string base = slash == std::string::npos ? p : p.substr(slash + 1);
  return File(dir + ".wh." + base, "", 0644);
}
TarEntry TarEntry::OpaqueWhiteout(std::string_view dir) {
  std::string d(dir);
  while (!d.empty() && d.back() == '/') d.pop_back();
  return File((d.empty() ? "" : d + "/") + ".wh..wh..opq", "", 0644);
}

struct TarWriter::Impl {
  std::string path;
  std::FILE* file = nullptr;
  std::unique_ptr<BlobSink> sink;
  std::string* mem = nullptr;
  archive* a = nullptr;
  bool closed = false;

  static la_ssize_t WriteCb(archive*, void* self, const void* buf, size_t n) {
    auto* me = static_cast<Impl*>(self);
    me->sink->Write(buf, n);
    return static_cast<la_ssize_t>(n);
  }

  void Check(int rc, const std::string& what) {
    if (rc < ARCHIVE_WARN) Fail(what + ": " + (archive_error_string(a) ? archive_error_string(a) : "?"));
  }
};

TarWriter::TarWriter(const std::string& out_path, Compression compression) : impl_(new Impl) {
  impl_->path = out_path;
  if (!out_path.empty()) {
    fs::path p(out_path);
    if (p.has_parent_path()) MakeDirs(p.parent_path().string());
    impl_->file = std::fopen(out_path.c_str(), "wbe");
    if (!impl_->file) {
      delete impl_;
      Fail(ErrnoText("create " + out_path));
    }
  }
  impl_->sink = std::make_unique<BlobSink>(compression, impl_->file, nullptr);
  impl_->a = archive_write_new();
  archive_write_set_format_pax_restricted(impl_->a);
  archive_write_add_filter_none(impl_->a);
  impl_->Check(archive_write_open2(impl_->a, impl_, nullptr, &Impl::WriteCb, nullptr, nullptr),
               "archive_write_open");
}

TarWriter::~TarWriter() {
  if (!impl_) return;
  if (!impl_->closed) {
    archive_write_fail(impl_->a);
    archive_write_free(impl_->a);
    if (impl_->file) std::fclose(impl_->file);
  }
  delete impl_;
}

void TarWriter::Add(const TarEntry& e) {
  archive_entry* ae = archive_entry_new();
  archive_entry_copy_pathname(ae, e.path.c_str());
  archive_entry_set_uid(ae, e.uid);
  archive_entry_set_gid(ae, e.gid);
  if (!e.uname.empty()) archive_entry_copy_uname(ae, e.uname.c_str());
  if (!e.gname.empty()) archive_entry_copy_gname(ae, e.gname.c_str());
  archive_entry_set_mtime(ae, e.mtime, 0);
  archive_entry_set_perm(ae, e.mode & 07777);
  uint64_t size = 0;
  switch (e.type) {
    case TarEntry::Type::kFile:
      archive_entry_set_filetype(ae, AE_IFREG);
      size = e.content_file.empty() ? e.content.size() : FileSize(e.content_file);
      break;
    case TarEntry::Type::kDir:
      archive_entry_set_filetype(ae, AE_IFDIR);
      break;
    case TarEntry::Type::kSymlink:
      archive_entry_set_filetype(ae, AE_IFLNK);
      archive_entry_copy_symlink(ae, e.link.c_str());
      break;
    case TarEntry::Type::kHardlink:
      archive_entry_set_filetype(ae, AE_IFREG);
      archive_entry_copy_hardlink(ae, e.link.c_str());
      break;
    case TarEntry::Type::kCharDevice:
      archive_entry_set_filetype(ae, AE_IFCHR);
      archive_entry_set_rdevmajor(ae, e.dev_major);
      archive_entry_set_rdevminor(ae, e.dev_minor);
      break;
    case TarEntry::Type::kBlockDevice:
      archive_entry_set_filetype(ae, AE_IFBLK);
      archive_entry_set_rdevmajor(ae, e.dev_major);
      archive_entry_set_rdevminor(ae, e.dev_minor);
      break;
    case TarEntry::Type::kFifo:
      archive_entry_set_filetype(ae, AE_IFIFO);
      break;
  }
  archive_entry_set_size(ae, static_cast<la_int64_t>(size));
  int rc = archive_write_header(impl_->a, ae);
  archive_entry_free(ae);
  impl_->Check(rc, "tar header for " + e.path);
  if (e.type != TarEntry::Type::kFile || size == 0) return;
  if (e.content_file.empty()) {
    la_ssize_t w = archive_write_data(impl_->a, e.content.data(), e.content.size());
    if (w < 0 || static_cast<size_t>(w) != e.content.size()) impl_->Check(ARCHIVE_FATAL, "tar data for " + e.path);
    return;
  }
  int fd = ::open(e.content_file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) Fail(ErrnoText("open " + e.content_file));
  std::string buf(1 << 20, '\0');
  for (;;) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      Fail(ErrnoText("read " + e.content_file));
    }
    if (n == 0) break;
    la_ssize_t w = archive_write_data(impl_->a, buf.data(), static_cast<size_t>(n));
    if (w != n) {
      ::close(fd);
      impl_->Check(ARCHIVE_FATAL, "tar data for " + e.path);
    }
  }
  ::close(fd);
}

BlobInfo TarWriter::Close() {
  if (impl_->closed) Fail("TarWriter::Close called twice");
  impl_->Check(archive_write_close(impl_->a), "archive_write_close");
  archive_write_free(impl_->a);
  impl_->sink->Finish();
  impl_->closed = true;
  BlobInfo info;
  info.path = impl_->path;
  impl_->sink->Fill(info);
  if (impl_->file) {
    if (std::fclose(impl_->file) != 0) Fail(ErrnoText("close " + impl_->path));
    impl_->file = nullptr;
  }
  return info;
}

BlobInfo WriteTar(const std::string& out_path, const std::vector<TarEntry>& entries,
                  Compression compression) {
  TarWriter w(out_path, compression);
  for (const auto& e : entries) w.Add(e);
  return w.Close();
}

std::string TarBytes(const std::vector<TarEntry>& entries) {
  TempDir tmp("customs-tarbytes");
  BlobInfo b = WriteTar(tmp / "t.tar", entries, Compression::kNone);
  return ReadFile(b.path);
}

std::vector<TarEntry> ReadTarEntries(const std::string& tarball) {
  archive* a = archive_read_new();
  archive_read_support_filter_all(a);
  archive_read_support_format_all(a);
  if (archive_read_open_filename(a, tarball.c_str(), 1 << 16) != ARCHIVE_OK) {
    std::string msg = archive_error_string(a) ? archive_error_string(a) : "?";
    archive_read_free(a);
    Fail("open " + tarball + ": " + msg);
  }
  std::vector<TarEntry> out;
  archive_entry* ae = nullptr;
  for (;;) {
    int rc = archive_read_next_header(a, &ae);
    if (rc == ARCHIVE_EOF) break;
    if (rc < ARCHIVE_WARN) {
      std::string msg = archive_error_string(a) ? archive_error_string(a) : "?";
      archive_read_free(a);
      Fail("read " + tarball + ": " + msg);
    }
    TarEntry e;
    e.path = archive_entry_pathname(ae) ? archive_entry_pathname(ae) : "";
    e.mode = archive_entry_perm(ae);
    e.uid = static_cast<uint32_t>(archive_entry_uid(ae));
    e.gid = static_cast<uint32_t>(archive_entry_gid(ae));
    e.uname = archive_entry_uname(ae) ? archive_entry_uname(ae) : "";
    e.gname = archive_entry_gname(ae) ? archive_entry_gname(ae) : "";
    e.mtime = archive_entry_mtime(ae);
    if (const char* hl = archive_entry_hardlink(ae)) {
      e.type = TarEntry::Type::kHardlink;
      e.link = hl;
    } else {
      switch (archive_entry_filetype(ae)) {
        case AE_IFDIR: e.type = TarEntry::Type::kDir; break;
        case AE_IFLNK:
          e.type = TarEntry::Type::kSymlink;
          e.link = archive_entry_symlink(ae) ? archive_entry_symlink(ae) : "";
          break;
        case AE_IFCHR: e.type = TarEntry::Type::kCharDevice; break;
        case AE_IFBLK: e.type = TarEntry::Type::kBlockDevice; break;
        case AE_IFIFO: e.type = TarEntry::Type::kFifo; break;
        default: e.type = TarEntry::Type::kFile; break;
      }
      if (e.type == TarEntry::Type::kCharDevice || e.type == TarEntry::Type::kBlockDevice) {
        e.dev_major = archive_entry_rdevmajor(ae);
        e.dev_minor = archive_entry_rdevminor(ae);
      }
    }
    if (e.type == TarEntry::Type::kFile) {
      const void* buf;
      size_t len;
      la_int64_t off;
      for (;;) {
        int r = archive_read_data_block(a, &buf, &len, &off);
        if (r == ARCHIVE_EOF) break;
        if (r < ARCHIVE_WARN) {
          std::string msg = archive_error_string(a) ? archive_error_string(a) : "?";
          archive_read_free(a);
          Fail("read " + tarball + ": " + e.path + ": " + msg);
        }
        if (static_cast<size_t>(off) > e.content.size()) e.content.resize(static_cast<size_t>(off));
        e.content.replace(static_cast<size_t>(off), len, static_cast<const char*>(buf), len);
      }
    }
    out.push_back(std::move(e));
  }
  archive_read_free(a);
  return out;
}

BlobInfo WriteTarFromDirectory(const std::string& dir, const std::string& out_path,
                               Compression compression) {
  std::vector<std::string> rels;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    rels.push_back(fs::relative(it->path(), dir, ec).string());
  }
  if (ec) Fail("walk " + dir + ": " + ec.message());
  std::sort(rels.begin(), rels.end());
  TarWriter w(out_path, compression);
  for (const auto& rel : rels) {
    std::string full = dir + "/" + rel;
    struct stat st;
    if (::lstat(full.c_str(), &st) != 0) Fail(ErrnoText("lstat " + full));
    TarEntry e;
    e.path = rel;
    e.mode = st.st_mode & 07777;
    e.mtime = 1700000000;
    if (S_ISDIR(st.st_mode)) {
      e.type = TarEntry::Type::kDir;
      e.path += "/";
    } else if (S_ISLNK(st.st_mode)) {
      e.type = TarEntry::Type::kSymlink;
      std::error_code lec;
      e.link = fs::read_symlink(full, lec).string();
    } else if (S_ISREG(st.st_mode)) {
      e.type = TarEntry::Type::kFile;
      e.content_file = full;
    } else {
      continue;
    }
    w.Add(e);
  }
  return w.Close();
}

std::string Compress(std::string_view data, Compression compression) {
  std::string out;
  BlobSink sink(compression, nullptr, &out);
  sink.Write(data.data(), data.size());
  sink.Finish();
  return out;
}

// ---------------------------------------------------------------------------------------------
// Layers.

Layer MakeLayer(const std::string& dir, const std::vector<TarEntry>& entries, Compression compression,
                std::string created_by) {
  MakeDirs(dir);
  char tmpl[] = "layer-tmp-XXXXXX";
  std::string tmp = dir + "/" + tmpl;
  std::vector<char> buf(tmp.begin(), tmp.end());
  buf.push_back('\0');
  int fd = ::mkstemp(buf.data());
  if (fd < 0) Fail(ErrnoText("mkstemp in " + dir));
  ::close(fd);
  tmp = buf.data();
  BlobInfo b = WriteTar(tmp, entries, compression);
  std::string final_path = dir + "/layer-" + HexOf(b.digest).substr(0, 20) + Ext(compression);
  if (::rename(tmp.c_str(), final_path.c_str()) != 0) Fail(ErrnoText("rename " + tmp));
  b.path = final_path;
  return Layer{b, std::move(created_by)};
}

Layer LayerFromTarFile(const std::string& dir, const std::string& tar_path, Compression compression,
                       std::string created_by) {
  std::FILE* out = nullptr;
  std::string tmp;
  if (compression != Compression::kNone) {
    MakeDirs(dir);
    tmp = dir + "/layer-tmp" + Ext(compression);
    out = std::fopen(tmp.c_str(), "wbe");
    if (!out) Fail(ErrnoText("create " + tmp));
  }
  BlobInfo b;
  {
    BlobSink sink(compression, out, nullptr);
    int fd = ::open(tar_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) Fail(ErrnoText("open " + tar_path));
    std::string buf(1 << 20, '\0');
    for (;;) {
      ssize_t n = ::read(fd, buf.data(), buf.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        ::close(fd);
        Fail(ErrnoText("read " + tar_path));
      }
      if (n == 0) break;
      sink.Write(buf.data(), static_cast<size_t>(n));
    }
    ::close(fd);
    sink.Finish();
    sink.Fill(b);
  }
  if (!out) {
    b.path = tar_path;
  } else {
    if (std::fclose(out) != 0) Fail(ErrnoText("close " + tmp));
    b.path = dir + "/layer-" + HexOf(b.digest).substr(0, 20) + Ext(compression);
    if (::rename(tmp.c_str(), b.path.c_str()) != 0) Fail(ErrnoText("rename " + tmp));
  }
  return Layer{b, std::move(created_by)};
}

Layer MakeZeroBombLayer(const std::string& dir, Compression compression, uint64_t zero_bytes,
                        std::string name) {
  MakeDirs(dir);
  // The tar header of the single entry, from libarchive, unblocked, captured in memory.
  std::string header;
  {
    archive* a = archive_write_new();
    archive_write_set_format_pax_restricted(a);
    archive_write_add_filter_none(a);
    archive_write_set_bytes_per_block(a, 0);
    auto cb = [](archive*, void* self, const void* buf, size_t n) -> la_ssize_t {
      static_cast<std::string*>(self)->append(static_cast<const char*>(buf), n);
      return static_cast<la_ssize_t>(n);
    };
    if (archive_write_open2(a, &header, nullptr, cb, nullptr, nullptr) != ARCHIVE_OK) Fail("archive_write_open2");
    archive_entry* ae = archive_entry_new();
    archive_entry_copy_pathname(ae, name.c_str());
    archive_entry_set_filetype(ae, AE_IFREG);
    archive_entry_set_perm(ae, 0644);
    archive_entry_set_size(ae, static_cast<la_int64_t>(zero_bytes));
    archive_entry_set_mtime(ae, 1700000000, 0);
    archive_entry_copy_uname(ae, "root");
    archive_entry_copy_gname(ae, "root");
    if (archive_write_header(a, ae) != ARCHIVE_OK) Fail("archive_write_header (bomb)");
    archive_entry_free(ae);
    archive_write_fail(a);  // do not let close() write the data
    archive_write_free(a);
  }
  if (header.empty() || header.size() % 512 != 0) Fail("bomb: unexpected tar header size");
  // After the header: the data padded to 512, then two zero blocks (end of archive). All zeros.
  const uint64_t tail = ((zero_bytes + 511) / 512) * 512 + 1024;
  const std::string& z = ZeroMiB();
  const uint64_t chunk = z.size();

  std::string tmp = dir + "/bomb-tmp" + Ext(compression);
  std::FILE* f = std::fopen(tmp.c_str(), "wbe");
  if (!f) Fail(ErrnoText("create " + tmp));
  BlobSink sink(compression, f, nullptr);

  if (compression != Compression::kGzip) {
    sink.Write(header.data(), header.size());
    for (uint64_t left = tail; left;) {
      size_t n = static_cast<size_t>(std::min<uint64_t>(left, chunk));
      sink.Write(z.data(), n);
      left -= n;
    }
    sink.Finish();
  } else {
    // gzip by hand: header, raw deflate, trailer (CRC-32, ISIZE). The zero run is compressed as
    // one 1 MiB unit ending in a full flush, whose bytes are identical every time (the compressor's
    // state resets at each full flush), so the unit is emitted once per MiB.
    static const unsigned char kGzipHeader[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    sink.Emit(kGzipHeader, sizeof kGzipHeader);
    z_stream zs{};
    if (deflateInit2(&zs, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK) Fail("deflateInit2");
    std::string obuf(1 << 21, '\0');
    auto deflate_some = [&](const char* data, size_t n, int flush) {
      std::string out;
      zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
      zs.avail_in = static_cast<uInt>(n);
      for (;;) {
        zs.next_out = reinterpret_cast<Bytef*>(obuf.data());
        zs.avail_out = static_cast<uInt>(obuf.size());
        int rc = deflate(&zs, flush);
        if (rc == Z_STREAM_ERROR) Fail("deflate");
        out.append(obuf.data(), obuf.size() - zs.avail_out);
        if (flush == Z_FINISH ? rc == Z_STREAM_END : (zs.avail_in == 0 && zs.avail_out != 0)) break;
      }
      return out;
    };
    uLong crc = crc32(0L, Z_NULL, 0);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(header.data()), static_cast<uInt>(header.size()));
    const uLong crc_chunk = crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(z.data()),
                                  static_cast<uInt>(chunk));
    sink.AccountRaw(header.data(), header.size());
    sink.Emit(deflate_some(header.data(), header.size(), Z_FULL_FLUSH));
    uint64_t units = tail / chunk, rest = tail % chunk;
    std::string first, unit;
    bool repeatable = false;
    for (uint64_t i = 0; i < units; ++i) {
      std::string u;
      if (repeatable) {
        u = unit;
      } else {
        u = deflate_some(z.data(), chunk, Z_FULL_FLUSH);  // compress for real
        if (i == 0) first = u;
        if (i == 1 && u == first) repeatable = true, unit = u;
      }
      sink.Emit(u);
      sink.AccountRaw(z.data(), chunk);
      crc = crc32_combine(crc, crc_chunk, static_cast<z_off_t>(chunk));
    }
    sink.Emit(deflate_some(z.data(), static_cast<size_t>(rest), Z_FINISH));
    sink.AccountRaw(z.data(), static_cast<size_t>(rest));
    crc = crc32(crc, reinterpret_cast<const Bytef*>(z.data()), static_cast<uInt>(rest));
    deflateEnd(&zs);
    uint64_t isize = header.size() + tail;
    unsigned char trailer[8];
    for (int i = 0; i < 4; ++i) trailer[i] = static_cast<unsigned char>((crc >> (8 * i)) & 0xff);
    for (int i = 0; i < 4; ++i) trailer[4 + i] = static_cast<unsigned char>((isize >> (8 * i)) & 0xff);
    sink.Emit(trailer, sizeof trailer);
  }
  BlobInfo b;
  sink.Fill(b);
  if (std::fclose(f) != 0) Fail(ErrnoText("close " + tmp));
  b.path = dir + "/bomb-" + HexOf(b.digest).substr(0, 20) + Ext(compression);
  if (::rename(tmp.c_str(), b.path.c_str()) != 0) Fail(ErrnoText("rename " + tmp));
  return Layer{b, "ADD zeros /"};
}

// ---------------------------------------------------------------------------------------------
// Images.

namespace {

constexpr const char* kOciManifestType = "application/vnd.oci.image.manifest.v1+json";
constexpr const char* kOciIndexType = "application/vnd.oci.image.index.v1+json";
constexpr const char* kOciConfigType = "application/vnd.oci.image.config.v1+json";

nlohmann::json PlatformJson(const ImageConfig& c) {
  nlohmann::json p = {{"architecture", c.architecture}, {"os", c.os}};
  if (!c.variant.empty()) p["variant"] = c.variant;
  return p;
}

// The config JSON and its exact serialized bytes.
std::string BuildConfig(const std::vector<Layer>& layers, const ImageConfig& c, nlohmann::json& out) {
  nlohmann::json j;
  j["architecture"] = c.architecture;
  j["os"] = c.os;
  if (!c.variant.empty()) j["variant"] = c.variant;
  j["created"] = c.created;
  nlohmann::json cfg;
  cfg["Env"] = c.env;
  cfg["Cmd"] = c.cmd;
  if (!c.labels.empty()) cfg["Labels"] = c.labels;
  j["config"] = cfg;
  std::vector<std::string> diff_ids;
  for (const auto& l : layers) diff_ids.push_back(l.blob.diff_id);
  if (c.diff_ids_override) diff_ids = *c.diff_ids_override;
  j["rootfs"] = {{"type", "layers"}, {"diff_ids", diff_ids}};
  nlohmann::json history = nlohmann::json::array();
  for (size_t i = 0; i < layers.size(); ++i) {
    std::string by = layers[i].created_by.empty() ? "ADD layer" + std::to_string(i) + ".tar / # buildkit"
                                                  : layers[i].created_by;
    history.push_back({{"created", c.created}, {"created_by", by}});
    if (i == 0 && c.empty_layer_history) {
      std::string cmd = "CMD [";
      for (size_t k = 0; k < c.cmd.size(); ++k) cmd += (k ? ",\"" : "\"") + c.cmd[k] + "\"";
      cmd += "]";
      history.push_back({{"created", c.created}, {"created_by", "/bin/sh -c #(nop)  " + cmd},
                         {"empty_layer", true}});
    }
  }
  j["history"] = history;
  if (c.mutate) c.mutate(j);
  out = j;
  return j.dump();
}

// Writes `data` as blobs/sha256/<hex> under `root`; returns its digest.
std::string PutBlob(const std::string& root, const std::string& data) {
  std::string d = Sha256Digest(data);
  WriteFile(root + "/blobs/sha256/" + HexOf(d), data);
  return d;
}

void PutBlobFile(const std::string& root, const BlobInfo& b) {
  std::string to = root + "/blobs/sha256/" + HexOf(b.digest);
  if (!PathExists(to)) CopyFile(b.path, to);
}

}  // namespace

std::string OciLayerMediaType(Compression compression) {
  switch (compression) {
    case Compression::kGzip: return "application/vnd.oci.image.layer.v1.tar+gzip";
    case Compression::kZstd: return "application/vnd.oci.image.layer.v1.tar+zstd";
    default: return "application/vnd.oci.image.layer.v1.tar";
  }
}

ImageInfo WriteDockerArchive(const std::string& out_tar, const std::vector<Layer>& layers,
                             const ImageConfig& config, const DockerArchiveOptions& opts) {
  ImageInfo info;
  std::string config_bytes = BuildConfig(layers, config, info.config);
  info.config_digest = Sha256Digest(config_bytes);
  for (const auto& l : layers) {
    info.layer_digests.push_back(l.blob.digest);
    info.diff_ids.push_back(l.blob.diff_id);
  }
  std::map<std::string, TarEntry> members;  // sorted by name, as `docker save` walks its temp dir
  auto add_file = [&](const std::string& name, std::string content) {
    members[name] = TarEntry::File(name, std::move(content), 0644);
  };
  auto add_blob_file = [&](const std::string& name, const std::string& src) {
    TarEntry e = TarEntry::File(name, "", 0644);
    e.content_file = src;
    members[name] = e;
  };
  auto add_dir = [&](const std::string& name) { members[name + "/"] = TarEntry::Dir(name + "/", 0755); };

  std::vector<std::string> layer_names;
  nlohmann::json manifest_entry;
  std::string repositories_top;
  if (opts.layout == DockerLayout::kLegacy) {
    std::string parent;
    for (size_t i = 0; i < layers.size(); ++i) {
      // v1 layer IDs: a chain over the diff_ids (any stable unique hex works; docker's are
      // derived from the chain too).
      std::string id = Sha256Hex(parent + "\n" + layers[i].blob.diff_id);
      add_dir(id);
      add_file(id + "/VERSION", "1.0");
      nlohmann::json v1 = {{"id", id}, {"created", config.created},
                           {"container_config", {{"Cmd", nlohmann::json::array()}}}, {"os", config.os}};
      if (!parent.empty()) v1["parent"] = parent;
      add_file(id + "/json", v1.dump());
      add_blob_file(id + "/layer.tar", layers[i].blob.path);
      layer_names.push_back(id + "/layer.tar");
      parent = id;
    }
    repositories_top = parent;
    add_file(HexOf(info.config_digest) + ".json", config_bytes);
    manifest_entry["Config"] = HexOf(info.config_digest) + ".json";
  } else {
    add_dir("blobs");
    add_dir("blobs/sha256");
    for (const auto& l : layers) {
      std::string name = "blobs/sha256/" + HexOf(l.blob.digest);
      add_blob_file(name, l.blob.path);
      layer_names.push_back(name);
    }
    add_file("blobs/sha256/" + HexOf(info.config_digest), config_bytes);
    nlohmann::json m = {{"schemaVersion", 2}, {"mediaType", kOciManifestType},
                        {"config", {{"mediaType", kOciConfigType}, {"digest", info.config_digest},
                                    {"size", config_bytes.size()}}}};
    m["layers"] = nlohmann::json::array();
    for (const auto& l : layers)
      m["layers"].push_back({{"mediaType", OciLayerMediaType(l.blob.compression)},
                             {"digest", l.blob.digest}, {"size", l.blob.size}});
    std::string mbytes = m.dump();
    info.manifest_digest = Sha256Digest(mbytes);
    add_file("blobs/sha256/" + HexOf(info.manifest_digest), mbytes);
    nlohmann::json desc = {{"mediaType", kOciManifestType}, {"digest", info.manifest_digest},
                           {"size", mbytes.size()}};
    if (!opts.repo_tags.empty())
      desc["annotations"] = {{"io.containerd.image.name", "docker.io/" + opts.repo_tags[0]},
                             {"org.opencontainers.image.ref.name",
                              opts.repo_tags[0].substr(opts.repo_tags[0].rfind(':') + 1)}};
    nlohmann::json index = {{"schemaVersion", 2}, {"mediaType", kOciIndexType},
                            {"manifests", nlohmann::json::array({desc})}};
    add_file("index.json", index.dump());
    add_file("oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
    manifest_entry["Config"] = "blobs/sha256/" + HexOf(info.config_digest);
    repositories_top = HexOf(info.manifest_digest);
  }
  manifest_entry["RepoTags"] = opts.repo_tags.empty() ? nlohmann::json(nullptr) : nlohmann::json(opts.repo_tags);
  manifest_entry["Layers"] = layer_names;
  info.manifest = manifest_entry;
  add_file("manifest.json", opts.raw_manifest ? *opts.raw_manifest : nlohmann::json::array({manifest_entry}).dump());
  if (!opts.repo_tags.empty()) {
    const std::string& tag = opts.repo_tags[0];
    auto colon = tag.rfind(':');
    nlohmann::json repos = {{tag.substr(0, colon), {{tag.substr(colon + 1), repositories_top}}}};
    add_file("repositories", repos.dump());
  }
  TarWriter w(out_tar, Compression::kNone);
  for (const auto& [name, e] : members) w.Add(e);
  w.Close();
  return info;
}

ImageInfo WriteOciLayout(const std::string& out, const std::vector<Layer>& layers, const ImageConfig& config,
                         const OciLayoutOptions& opts) {
  OciLayoutInfo all = WriteOciLayout(out, std::vector<OciImage>{OciImage{layers, config}}, opts);
  return all.images.at(0);
}

OciLayoutInfo WriteOciLayout(const std::string& out, const std::vector<OciImage>& images,
                             const OciLayoutOptions& opts) {
  const bool as_tar = EndsWith(out, ".tar");
  std::optional<TempDir> staging;
  std::string root = out;
  if (as_tar) {
    staging.emplace("customs-oci");
    root = staging->path() + "/layout";
  }
  MakeDirs(root + "/blobs/sha256");
  OciLayoutInfo result;
  nlohmann::json descs = nlohmann::json::array();
  for (const auto& img : images) {
    ImageInfo info;
    std::string config_bytes = BuildConfig(img.layers, img.config, info.config);
    info.config_digest = PutBlob(root, config_bytes);
    nlohmann::json m = {{"schemaVersion", 2}, {"mediaType", kOciManifestType},
                        {"config", {{"mediaType", kOciConfigType}, {"digest", info.config_digest},
                                    {"size", config_bytes.size()}}}};
    m["layers"] = nlohmann::json::array();
    for (const auto& l : img.layers) {
      PutBlobFile(root, l.blob);
      info.layer_digests.push_back(l.blob.digest);
      info.diff_ids.push_back(l.blob.diff_id);
      m["layers"].push_back({{"mediaType", OciLayerMediaType(l.blob.compression)},
                             {"digest", l.blob.digest}, {"size", l.blob.size}});
    }
    std::string mbytes = m.dump();
    info.manifest_digest = PutBlob(root, mbytes);
    info.manifest = m;
    nlohmann::json d = {{"mediaType", kOciManifestType}, {"digest", info.manifest_digest},
                        {"size", mbytes.size()}};
    if (images.size() > 1 || opts.nested_index) d["platform"] = PlatformJson(img.config);
    descs.push_back(d);
    result.images.push_back(std::move(info));
  }
  nlohmann::json ref_annotations = {{"org.opencontainers.image.ref.name", opts.ref_name}};
  nlohmann::json index = {{"schemaVersion", 2}, {"mediaType", kOciIndexType}};
  if (opts.nested_index) {
    nlohmann::json inner = {{"schemaVersion", 2}, {"mediaType", kOciIndexType}, {"manifests", descs}};
    std::string ibytes = inner.dump();
    result.nested_index_digest = PutBlob(root, ibytes);
    index["manifests"] = nlohmann::json::array(
        {{{"mediaType", kOciIndexType}, {"digest", result.nested_index_digest}, {"size", ibytes.size()},
          {"annotations", ref_annotations}}});
  } else {
    if (descs.size() == 1) descs[0]["annotations"] = ref_annotations;
    index["manifests"] = descs;
  }
  WriteFile(root + "/index.json", index.dump());
  WriteFile(root + "/oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
  if (as_tar) WriteTarFromDirectory(root, out, Compression::kNone);
  return result;
}

nlohmann::json ParseJson(const std::string& text, std::string* error) {
  try {
    return nlohmann::json::parse(text);
  } catch (const std::exception& e) {
    if (error) *error = e.what();
    return nlohmann::json();
  }
}

}  // namespace customs_test
