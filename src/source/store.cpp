// Blob stores (see store.h).
#include "source/store.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <deque>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <spdlog/spdlog.h>

#include "core/error.h"

namespace customs::source_detail {

namespace {

constexpr int kMaxLinkHops = 40;
constexpr uint64_t kMaxMembers = 1'000'000;         // an image tar holds a few hundred at most
constexpr uint64_t kCacheMemberBytes = 1ull << 20;  // members up to 1 MiB are kept from the scan
constexpr uint64_t kCacheTotalBytes = 64ull << 20;  // ... up to 64 MiB in all
constexpr size_t kHeadBytes = 8;

std::vector<std::string> SplitPath(std::string_view p) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < p.size()) {
    size_t slash = p.find('/', start);
    if (slash == std::string_view::npos) slash = p.size();
    if (slash > start) out.emplace_back(p.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

std::string JoinPath(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += '/';
    out += p;
  }
  return out;
}

std::string HumanSize(uint64_t n) {
  if (n >= (1ull << 20) && n % (1ull << 20) == 0) return std::to_string(n >> 20) + " MiB";
  return std::to_string(n) + " bytes";
}

[[noreturn]] void TooLarge(const std::string& where, uint64_t size, uint64_t max) {
  throw InputError(where, "is " + std::to_string(size) + " bytes, more than the " + HumanSize(max) +
                              " allowed for image metadata");
}

int OpenReadOnly(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw IoError(path, std::strerror(errno));
  return fd;
}

// ---- byte sources --------------------------------------------------------------------------------

class MemorySource : public ByteSource {
 public:
  explicit MemorySource(std::shared_ptr<const std::string> data) : data_(std::move(data)) {}
  size_t Read(char* buf, size_t n) override {
    size_t k = std::min(n, data_->size() - pos_);
    if (k) std::memcpy(buf, data_->data() + pos_, k);
    pos_ += k;
    return k;
  }

 private:
  std::shared_ptr<const std::string> data_;
  size_t pos_ = 0;
};

class FdSource : public ByteSource {
 public:
  FdSource(int fd, std::string where) : fd_(fd), where_(std::move(where)) {}
  ~FdSource() override { ::close(fd_); }
  size_t Read(char* buf, size_t n) override {
    for (;;) {
      ssize_t r = ::read(fd_, buf, n);
      if (r >= 0) return size_t(r);
      if (errno == EINTR) continue;
      throw IoError(where_, std::strerror(errno));
    }
  }

 private:
  int fd_;
  std::string where_;
};

// ---- libarchive helpers ----------------------------------------------------------------------------

// A libarchive reader over its own descriptor of the outer tar.
class TarReader {
 public:
  explicit TarReader(const std::string& path) : path_(path) {
    fd_ = OpenReadOnly(path);
    struct stat st;
    if (::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) file_size_ = uint64_t(st.st_size);
    a_ = archive_read_new();
    if (!a_) {
      ::close(fd_);
      throw Error(kExitInternal, "libarchive: cannot allocate a reader");
    }
    archive_read_support_format_tar(a_);
    // The whole tar may be compressed (docker save | gzip). Only built-in decoders are wanted:
    // never an external program on untrusted input.
    archive_read_support_filter_gzip(a_);
    archive_read_support_filter_bzip2(a_);
    archive_read_support_filter_xz(a_);
    archive_read_support_filter_zstd(a_);
    if (archive_read_open_fd(a_, fd_, 1 << 16) != ARCHIVE_OK) {
      std::string reason = Reason();
      Close();
      throw InputError(path, reason);
    }
  }
  ~TarReader() { Close(); }
  TarReader(const TarReader&) = delete;
  TarReader& operator=(const TarReader&) = delete;

  archive* get() const { return a_; }
  bool compressed() const { return archive_filter_count(a_) > 1; }
  int fd() const { return fd_; }
  std::optional<uint64_t> file_size() const { return file_size_; }

  // Skips the current member's data. A seek past the end of a truncated file succeeds and the next
  // header read then sees a clean end of file: compare the position with the file's size instead.
  void Skip(const std::string& where) {
    if (archive_read_data_skip(a_) < ARCHIVE_WARN) throw InputError(where, Reason());
    if (!compressed() && file_size_ && uint64_t(archive_filter_bytes(a_, -1)) > *file_size_)
      throw InputError(where, "truncated archive (the member's data runs past the end of the file)");
  }

  // Why the last operation failed, in the user's terms.
  std::string Reason() const {
    const char* m = archive_error_string(a_);
    std::string msg = m ? m : "unreadable archive data";
    std::string lower = msg;
    for (char& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (lower.find("unrecognized archive format") != std::string::npos) return "not a tar archive";
    if (lower.find("truncated") != std::string::npos || lower.find("premature end") != std::string::npos ||
        lower.find("unexpected end") != std::string::npos)
      return "truncated archive (" + PrintableName(msg) + ")";
    if (lower.find("damaged") != std::string::npos) return "damaged tar archive (" + PrintableName(msg) + ")";
    return PrintableName(msg);
  }

 private:
  void Close() {
    if (a_) archive_read_free(a_);
    a_ = nullptr;
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  std::string path_;
  int fd_ = -1;
  std::optional<uint64_t> file_size_;
  archive* a_ = nullptr;
};

// ---- the tar store -------------------------------------------------------------------------------

struct TarRecord {
  int64_t ordinal = 0;   // position of the header in the archive
  std::string raw_name;  // the pathname as stored, to recognise the header when re-reading
  int kind = 0;          // BlobStore::Kind, as int (the enum is protected)
  uint64_t size = 0;
  std::string link;
  int count = 0;         // how many headers carry this name
  std::string head;      // first bytes of a regular member
  std::shared_ptr<const std::string> data;  // whole content, when small
};

struct TarIndex {
  std::string path;
  std::unordered_map<std::string, TarRecord> members;
  std::unordered_set<std::string> implicit_dirs;  // parents of members without their own header
};

// Where a member sits in the outer tar: enough to find it again with a new reader.
struct MemberLocation {
  std::string path;      // the outer tar
  int64_t ordinal = 0;   // position of the member's header
  std::string raw_name;  // its pathname as stored
};

// The value of a tar header's numeric field: octal digits (leading spaces or NULs, ending at a space
// or NUL), or base-256 when the first byte has its high bit set (GNU and star, for large values).
std::optional<uint64_t> TarNumber(const unsigned char* f, size_t n) {
  uint64_t v = 0;
  if (f[0] & 0x80) {
    if (f[0] != 0x80) return std::nullopt;  // negative, or more than 64 bits
    for (size_t i = 1; i < n; ++i) {
      if (v >> 56) return std::nullopt;
      v = (v << 8) | f[i];
    }
    return v;
  }
  size_t i = 0;
  while (i < n && (f[i] == ' ' || f[i] == 0)) ++i;
  bool any = false;
  for (; i < n && f[i] >= '0' && f[i] <= '7'; ++i) {
    if (v >> 60) return std::nullopt;
    v = v * 8 + uint64_t(f[i] - '0');
    any = true;
  }
  for (; i < n; ++i)
    if (f[i] != ' ' && f[i] != 0) return std::nullopt;
  return any ? std::optional<uint64_t>(v) : std::nullopt;
}

// True when the 512 bytes before `data_at` are a valid ustar header of a regular file of `size`
// bytes: then the member's data is the `size` bytes at `data_at`, contiguous in the file.
bool RegularHeaderBefore(int fd, uint64_t data_at, uint64_t size) {
  if (data_at < 512) return false;
  unsigned char h[512];
  if (::pread(fd, h, sizeof h, off_t(data_at - 512)) != ssize_t(sizeof h)) return false;
  if (std::memcmp(h + 257, "ustar", 5) != 0) return false;
  if (h[156] != '0' && h[156] != 0 && h[156] != '7') return false;  // regular (or contiguous) file
  const auto declared = TarNumber(h + 124, 12);
  if (!declared || *declared != size) return false;
  // The checksum: the header's bytes summed with the checksum field read as spaces.
  const auto stored = TarNumber(h + 148, 8);
  uint64_t sum = 0;
  for (size_t i = 0; i < sizeof h; ++i) sum += (i >= 148 && i < 156) ? uint64_t(' ') : h[i];
  return stored && *stored == sum;
}

// Streams one member of the outer tar: its own reader, skipped to the member's header. When the tar
// is not compressed and the member is a plain regular file, its bytes are one range of the file:
// they are then read with pread straight into the caller's buffer (one copy instead of two, and
// reads as large as the caller's); otherwise through libarchive.
class TarMemberSource : public ByteSource {
 public:
  TarMemberSource(const MemberLocation& loc, std::string where) : reader_(loc.path), where_(std::move(where)) {
    archive* a = reader_.get();
    for (int64_t i = 0;; ++i) {
      archive_entry* e = nullptr;
      int rc = archive_read_next_header(a, &e);
      if (rc == ARCHIVE_EOF) throw InputError(where_, "member no longer present: the archive changed while being read");
      if (rc < ARCHIVE_WARN) throw InputError(where_, reader_.Reason());
      if (i == loc.ordinal) {
        const char* p = archive_entry_pathname(e);
        if (!p || loc.raw_name != p) throw InputError(where_, "the archive changed while being read");
        FindRange(e);
        break;
      }
      reader_.Skip(where_);
    }
  }
  size_t Read(char* buf, size_t n) override {
    if (range_) {
      n = size_t(std::min<uint64_t>(n, remaining_));
      if (n == 0) return 0;
      for (;;) {
        const ssize_t r = ::pread(reader_.fd(), buf, n, off_t(at_));
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) throw IoError(where_, std::strerror(errno));
        if (r == 0) throw InputError(where_, "truncated archive (the member's data runs past the end of the file)");
        at_ += uint64_t(r);
        remaining_ -= uint64_t(r);
        return size_t(r);
      }
    }
    la_ssize_t r = archive_read_data(reader_.get(), buf, n);
    if (r < 0) throw InputError(where_, reader_.Reason());
    return size_t(r);
  }

 private:
  void FindRange(archive_entry* e) {
    if (reader_.compressed() || !reader_.file_size() || archive_entry_filetype(e) != AE_IFREG ||
        archive_entry_hardlink(e) || !archive_entry_size_is_set(e) || archive_entry_sparse_count(e) > 0)
      return;
    // Where libarchive stands after the member's headers: the first byte of its data.
    const la_int64_t data_at = archive_filter_bytes(reader_.get(), 0);
    const la_int64_t size = archive_entry_size(e);
    if (data_at < 0 || size < 0 || uint64_t(data_at) + uint64_t(size) > *reader_.file_size()) return;
    if (!RegularHeaderBefore(reader_.fd(), uint64_t(data_at), uint64_t(size))) return;
    range_ = true;
    at_ = uint64_t(data_at);
    remaining_ = uint64_t(size);
    spdlog::debug("{}: read as bytes {}..{} of the archive", where_, at_, at_ + remaining_);
  }

  TarReader reader_;
  std::string where_;
  bool range_ = false;
  uint64_t at_ = 0, remaining_ = 0;
};

std::string ReadAll(ByteSource& src, uint64_t max, const std::string& where) {
  std::string out;
  char buf[65536];
  for (;;) {
    size_t n = src.Read(buf, sizeof buf);
    if (n == 0) break;
    if (out.size() + n > max) TooLarge(where, out.size() + n, max);
    out.append(buf, n);
  }
  return out;
}

class TarStore : public BlobStore {
 public:
  explicit TarStore(const std::string& path) : BlobStore(path), index_(std::make_unique<TarIndex>()) {
    index_->path = path;
    Scan();
  }
  bool is_directory() const override { return false; }

  std::string Read(const Member& m, uint64_t max_bytes) const override {
    const TarRecord& r = Record(m);
    if (r.size > max_bytes) TooLarge(Where(m.name), r.size, max_bytes);
    if (r.data) return *r.data;
    TarMemberSource src(MemberLocation{index_->path, r.ordinal, r.raw_name}, Where(m.name));
    std::string out = ReadAll(src, max_bytes, Where(m.name));
    if (out.size() != r.size) throw InputError(Where(m.name), "truncated member");
    return out;
  }

  std::string Head(const Member& m) const override { return Record(m).head; }

  std::function<std::unique_ptr<ByteSource>()> Opener(const Member& m) const override {
    const TarRecord& r = Record(m);
    if (r.data) {
      auto data = r.data;
      return [data]() -> std::unique_ptr<ByteSource> { return std::make_unique<MemorySource>(data); };
    }
    // Only the member's location is kept, not the index and its cached members.
    MemberLocation loc{index_->path, r.ordinal, r.raw_name};
    std::string where = Where(m.name);
    return [loc, where]() -> std::unique_ptr<ByteSource> { return std::make_unique<TarMemberSource>(loc, where); };
  }

 protected:
  Node Lookup(const std::string& canonical) const override {
    Node n;
    auto it = index_->members.find(canonical);
    if (it == index_->members.end()) {
      if (index_->implicit_dirs.count(canonical)) n.kind = Kind::kDirectory;
      return n;
    }
    const TarRecord& r = it->second;
    n.kind = static_cast<Kind>(r.kind);
    // Two headers with one name: which one a tool reads depends on the tool. Refuse files that
    // way (directories repeat harmlessly).
    if (r.count > 1 && n.kind != Kind::kDirectory) n.kind = Kind::kAmbiguous;
    n.size = r.size;
    n.link = r.link;
    return n;
  }

 private:
  const TarRecord& Record(const Member& m) const {
    auto it = index_->members.find(m.name);
    if (it == index_->members.end()) throw Error(kExitInternal, "tar store: unknown member " + m.name);
    return it->second;
  }

  void Scan() {
    TarReader reader(path_);
    archive* a = reader.get();
    uint64_t cached = 0;
    int64_t ordinal = -1;
    for (;;) {
      archive_entry* e = nullptr;
      int rc = archive_read_next_header(a, &e);
      if (rc == ARCHIVE_EOF) break;
      if (rc < ARCHIVE_WARN) throw InputError(path_, reader.Reason());
      ++ordinal;
      if (uint64_t(ordinal) >= kMaxMembers)
        throw InputError(path_, "more than " + std::to_string(kMaxMembers) + " members: not an image archive");
      const char* p = archive_entry_pathname(e);
      std::string name, reason;
      if (!p || !CleanMemberName(p, name, reason)) {
        // Nothing can name such a member from metadata (those names are refused too): skip it.
        spdlog::debug("{}: ignoring member {}: {}", path_, PrintableName(p ? p : "(no name)"), reason);
        reader.Skip(path_);
        continue;
      }
      TarRecord rec;
      rec.ordinal = ordinal;
      rec.raw_name = p;
      rec.size = archive_entry_size_is_set(e) ? uint64_t(std::max<la_int64_t>(archive_entry_size(e), 0)) : 0;
      const char* hardlink = archive_entry_hardlink(e);
      if (hardlink && rec.size == 0) {
        std::string target;
        if (!CleanMemberName(hardlink, target, reason)) target = std::string("/") + hardlink;  // refused on use
        rec.kind = int(Kind::kHardlink);
        rec.link = target;
      } else {
        switch (archive_entry_filetype(e)) {
          case AE_IFREG: rec.kind = int(Kind::kRegular); break;
          case AE_IFDIR: rec.kind = int(Kind::kDirectory); break;
          case AE_IFLNK:
            rec.kind = int(Kind::kSymlink);
            if (const char* s = archive_entry_symlink(e)) rec.link = s;
            break;
          default: rec.kind = hardlink ? int(Kind::kRegular) : int(Kind::kOther); break;
        }
      }
      if (rec.kind == int(Kind::kRegular)) ReadContent(reader, rec, cached, Where(name));
      else reader.Skip(Where(name));

      auto [it, inserted] = index_->members.try_emplace(name);
      int count = inserted ? 1 : it->second.count + 1;
      it->second = std::move(rec);  // the last header wins, as when extracting
      it->second.count = count;
      std::vector<std::string> parts = SplitPath(name);
      for (size_t i = 1; i < parts.size(); ++i)
        index_->implicit_dirs.insert(JoinPath({parts.begin(), parts.begin() + long(i)}));
    }
    if (reader.compressed())
      spdlog::debug("{}: the archive is compressed as a whole; each large member is re-read from its start", path_);
  }

  // Reads the head of a regular member, and all of it when small; skips the rest.
  static void ReadContent(TarReader& reader, TarRecord& rec, uint64_t& cached, const std::string& where) {
    archive* a = reader.get();
    if (rec.size <= kCacheMemberBytes && cached + rec.size <= kCacheTotalBytes) {
      auto data = std::make_shared<std::string>();
      data->resize(size_t(rec.size));
      size_t got = 0;
      while (got < data->size()) {
        la_ssize_t r = archive_read_data(a, data->data() + got, data->size() - got);
        if (r < 0) throw InputError(where, reader.Reason());
        if (r == 0) break;
        got += size_t(r);
      }
      if (got != data->size()) throw InputError(where, "truncated archive (member shorter than its header says)");
      cached += rec.size;
      rec.head = data->substr(0, kHeadBytes);
      rec.data = std::move(data);
      return;
    }
    char head[kHeadBytes];
    size_t got = 0;
    while (got < sizeof head) {
      la_ssize_t r = archive_read_data(a, head + got, sizeof head - got);
      if (r < 0) throw InputError(where, reader.Reason());
      if (r == 0) break;
      got += size_t(r);
    }
    rec.head.assign(head, got);
    reader.Skip(where);
  }

  std::unique_ptr<TarIndex> index_;
};

// ---- the directory store ------------------------------------------------------------------------

struct DirRoot {
  int fd = -1;
  ~DirRoot() {
    if (fd >= 0) ::close(fd);
  }
};

// Opens `canonical` below the root, one component at a time with O_NOFOLLOW: a symlink swapped in
// after the lookup fails here instead of being followed.
int OpenBelow(const DirRoot& root, const std::string& canonical, const std::string& where) {
  std::vector<std::string> parts = SplitPath(canonical);
  int dirfd = root.fd;
  int fd = -1;
  for (size_t i = 0; i < parts.size(); ++i) {
    bool last = i + 1 == parts.size();
    int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (last ? O_NONBLOCK : O_DIRECTORY);
    fd = ::openat(dirfd, parts[i].c_str(), flags);
    int err = errno;
    if (dirfd != root.fd) ::close(dirfd);
    if (fd < 0) {
      if (err == ELOOP || err == ENOTDIR) throw InputError(where, "changed into a symlink while being read");
      throw IoError(where, std::strerror(err));
    }
    dirfd = fd;
  }
  struct stat st;
  if (fd < 0 || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    if (fd >= 0) ::close(fd);
    throw InputError(where, "is not a regular file");
  }
  // Reads block from here on (O_NONBLOCK only guarded the open against a FIFO).
  int fl = ::fcntl(fd, F_GETFL);
  if (fl >= 0) ::fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
  return fd;
}

class DirStore : public BlobStore {
 public:
  explicit DirStore(const std::string& path) : BlobStore(path), root_(std::make_shared<DirRoot>()) {
    root_->fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root_->fd < 0) throw IoError(path, std::strerror(errno));
  }
  bool is_directory() const override { return true; }

  std::string Read(const Member& m, uint64_t max_bytes) const override {
    const std::string where = Where(m.name);
    if (m.size > max_bytes) TooLarge(where, m.size, max_bytes);
    FdSource src(OpenBelow(*root_, m.name, where), where);
    return ReadAll(src, max_bytes, where);
  }

  std::string Head(const Member& m) const override {
    const std::string where = Where(m.name);
    FdSource src(OpenBelow(*root_, m.name, where), where);
    char buf[kHeadBytes];
    size_t got = 0;
    while (got < sizeof buf) {
      size_t n = src.Read(buf + got, sizeof buf - got);
      if (n == 0) break;
      got += n;
    }
    return std::string(buf, got);
  }

  std::function<std::unique_ptr<ByteSource>()> Opener(const Member& m) const override {
    auto root = root_;
    std::string name = m.name, where = Where(m.name);
    return [root, name, where]() -> std::unique_ptr<ByteSource> {
      return std::make_unique<FdSource>(OpenBelow(*root, name, where), where);
    };
  }

 protected:
  Node Lookup(const std::string& canonical) const override {
    Node n;
    struct stat st;
    // Every parent of `canonical` was looked up before and is a real directory.
    if (::fstatat(root_->fd, canonical.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT || errno == ENOTDIR) return n;
      throw IoError(Where(canonical), std::strerror(errno));
    }
    if (S_ISREG(st.st_mode)) {
      n.kind = Kind::kRegular;
      n.size = uint64_t(st.st_size);
    } else if (S_ISDIR(st.st_mode)) {
      n.kind = Kind::kDirectory;
    } else if (S_ISLNK(st.st_mode)) {
      n.kind = Kind::kSymlink;
      std::string target(4096, '\0');
      ssize_t len = ::readlinkat(root_->fd, canonical.c_str(), target.data(), target.size());
      if (len < 0) throw IoError(Where(canonical), std::strerror(errno));
      target.resize(size_t(len));
      n.link = target;
    } else {
      n.kind = Kind::kOther;
    }
    return n;
  }

 private:
  std::shared_ptr<DirRoot> root_;
};

}  // namespace

// ---- names and lookup ---------------------------------------------------------------------------

std::string PrintableName(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (out.size() >= 200) {
      out += "...";
      break;
    }
    unsigned char u = static_cast<unsigned char>(c);
    out.push_back(u >= 0x20 && u < 0x7f ? c : '?');
  }
  return out;
}

bool CleanMemberName(std::string_view raw, std::string& out, std::string& reason) {
  out.clear();
  if (raw.empty()) {
    reason = "empty path";
    return false;
  }
  if (raw.find('\0') != std::string_view::npos) {
    reason = "path contains a NUL byte";
    return false;
  }
  if (raw[0] == '/') {
    reason = "absolute path";
    return false;
  }
  std::vector<std::string> parts;
  for (auto& p : SplitPath(raw)) {
    if (p == ".") continue;
    if (p == "..") {
      reason = "path contains \"..\"";
      return false;
    }
    parts.push_back(std::move(p));
  }
  if (parts.empty()) {
    reason = "path names the archive's root";
    return false;
  }
  out = JoinPath(parts);
  return true;
}

std::string BlobStore::Where(std::string_view member) const {
  return path_ + (is_directory() ? (path_.empty() || path_.back() == '/' ? "" : "/") : ":") + PrintableName(member);
}

std::optional<Member> BlobStore::Find(std::string_view raw) const {
  std::string clean, reason;
  if (!CleanMemberName(raw, clean, reason)) throw InputError(Where(raw), reason + ": refused");
  std::deque<std::string> rest;
  for (auto& p : SplitPath(clean)) rest.push_back(std::move(p));
  std::vector<std::string> cur;  // resolved components so far (each a real directory)
  int hops = 0;
  auto hop = [&] {
    if (++hops > kMaxLinkHops) throw InputError(Where(clean), "too many levels of symbolic links");
  };
  while (!rest.empty()) {
    std::string c = std::move(rest.front());
    rest.pop_front();
    if (c == ".") continue;
    if (c == "..") {
      if (cur.empty()) throw InputError(Where(clean), "a symlink leads outside the image archive");
      cur.pop_back();
      continue;
    }
    cur.push_back(c);
    const std::string name = JoinPath(cur);
    Node n = Lookup(name);
    switch (n.kind) {
      case Kind::kMissing:
        return std::nullopt;
      case Kind::kAmbiguous:
        throw InputError(Where(name), "appears more than once in the archive");
      case Kind::kOther:
        throw InputError(Where(name), "is not a regular file");
      case Kind::kDirectory:
        if (rest.empty()) throw InputError(Where(name), "is a directory, not a file");
        break;
      case Kind::kRegular:
        if (!rest.empty()) return std::nullopt;  // a file used as a directory: nothing there
        return Member{name, n.size};
      case Kind::kSymlink: {
        hop();
        if (n.link.empty()) throw InputError(Where(name), "empty symlink");
        if (n.link[0] == '/')
          throw InputError(Where(name), "symlink to an absolute path (" + PrintableName(n.link) + ") is not followed");
        cur.pop_back();
        std::vector<std::string> target = SplitPath(n.link);
        rest.insert(rest.begin(), target.begin(), target.end());
        break;
      }
      case Kind::kHardlink: {
        hop();
        if (!rest.empty()) return std::nullopt;
        std::string target;
        if (!CleanMemberName(n.link, target, reason))
          throw InputError(Where(name), "hard link to " + PrintableName(n.link) + ": " + reason);
        cur.clear();
        for (auto& p : SplitPath(target)) rest.push_back(std::move(p));
        break;
      }
    }
  }
  // Resolved to the root itself (a symlink to "." or "..").
  throw InputError(Where(clean), "is a directory, not a file");
}

std::unique_ptr<BlobStore> OpenTarStore(const std::string& path) { return std::make_unique<TarStore>(path); }

std::unique_ptr<BlobStore> OpenDirStore(const std::string& path) { return std::make_unique<DirStore>(path); }

}  // namespace customs::source_detail
