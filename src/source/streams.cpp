// Layer streams: raw bytes -> (gzip|zstd|none) -> tar entries.
// Decompression and both SHA-256 digests run on a producer thread; libarchive parses the tar on the
// consumer's thread, so one layer already keeps two cores busy.
#include "source/streams.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <algorithm>
#include <atomic>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "core/entry_path.h"
#include "core/error.h"
#include "core/sha256.h"

namespace customs {

namespace {

constexpr size_t kChunk = 256 << 10;  // 256 KiB per queued block
constexpr size_t kQueueDepth = 8;     // at most 2 MiB decompressed in flight per layer

std::string HumanBytes(uint64_t n) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = double(n);
  int u = 0;
  while (v >= 1024 && u < 4) v /= 1024, ++u;
  char buf[64];
  std::snprintf(buf, sizeof buf, u ? "%.1f %s" : "%.0f %s", v, units[u]);
  return buf;
}

// ---- raw file bytes ------------------------------------------------------------------------

class FileBytes : public ByteSource {
 public:
  FileBytes(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~FileBytes() override { ::close(fd_); }
  size_t Read(char* buf, size_t n) override {
    for (;;) {
      ssize_t r = ::read(fd_, buf, n);
      if (r >= 0) return size_t(r);
      if (errno == EINTR) continue;
      throw IoError(path_, std::strerror(errno));
    }
  }

 private:
  int fd_;
  std::string path_;
};

// ---- bounded queue of decompressed blocks ----------------------------------------------------

// A block of kChunk bytes (not zero-filled), `size` of them used. Blocks go round between the
// producer and the consumer instead of being allocated for every chunk of the layer.
struct Block {
  std::unique_ptr<char[]> data;
  size_t size = 0;
  char* begin() { return data.get(); }
};

class BlockQueue {
 public:
  // Producer side: an empty block, a used one when there is one.
  Block Take() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!free_.empty()) {
        Block b = std::move(free_.back());
        free_.pop_back();
        b.size = 0;
        return b;
      }
    }
    return Block{std::unique_ptr<char[]>(new char[kChunk]), 0};
  }
  // Producer side. Returns false when the consumer has gone away.
  bool Push(Block&& block) {
    std::unique_lock<std::mutex> lock(mu_);
    not_full_.wait(lock, [&] { return q_.size() < kQueueDepth || cancelled_; });
    if (cancelled_) return false;
    q_.push_back(std::move(block));
    not_empty_.notify_one();
    return true;
  }
  void Close(std::exception_ptr error) {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    error_ = error;
    not_empty_.notify_all();
  }
  // Consumer side: replaces `out` (handed back for reuse) with the next block. Returns false at the
  // end; rethrows the producer's error.
  bool Pop(Block& out) {
    std::unique_lock<std::mutex> lock(mu_);
    if (out.data && free_.size() < 2) free_.push_back(std::move(out));
    out = Block{};
    not_empty_.wait(lock, [&] { return !q_.empty() || closed_; });
    if (!q_.empty()) {
      out = std::move(q_.front());
      q_.pop_front();
      not_full_.notify_one();
      return true;
    }
    if (error_) std::rethrow_exception(error_);
    return false;
  }
  void Cancel() {
    std::lock_guard<std::mutex> lock(mu_);
    cancelled_ = true;
    q_.clear();
    not_full_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<Block> q_;
  std::vector<Block> free_;
  bool closed_ = false, cancelled_ = false;
  std::exception_ptr error_;
};

// ---- the producer: read, hash, decompress, guard ---------------------------------------------

enum class Compression { kNone, kGzip, kZstd };

class Producer {
 public:
  Producer(std::unique_ptr<ByteSource> raw, std::string name, const Limits& limits, BlockQueue& q)
      : raw_(std::move(raw)), name_(std::move(name)), limits_(limits), q_(q) {}

  void Run() {
    try {
      Pump();
      stats_.stored_sha256 = stored_hash_.Digest();
      // An uncompressed blob is its own tar: one digest serves both (hashing it twice cost a third of
      // the CPU of a secret scan).
      stats_.uncompressed_sha256 = compression_ == Compression::kNone ? stats_.stored_sha256 : plain_hash_.Digest();
      stats_.digests_valid = true;
      q_.Close(nullptr);
    } catch (...) {
      q_.Close(std::current_exception());
    }
  }
  const StreamStats& stats() const { return stats_; }
  // Bytes read from the raw source so far, for the consumer's sparse-hole ratio guard.
  uint64_t StoredSoFar() const { return stored_so_far_.load(std::memory_order_relaxed); }

 private:
  size_t ReadRaw(char* buf, size_t n) {
    size_t got = raw_->Read(buf, n);
    stored_hash_.Update(buf, got);
    stats_.stored_bytes += got;
    stored_so_far_.store(stats_.stored_bytes, std::memory_order_relaxed);
    return got;
  }

  // Emits decompressed bytes, enforcing the size and ratio limits.
  bool Emit(Block&& block) {
    if (block.size == 0) return true;
    stats_.uncompressed_bytes += block.size;
    if (compression_ != Compression::kNone) plain_hash_.Update(block.begin(), block.size);
    if (stats_.uncompressed_bytes > limits_.max_layer_bytes)
      throw InputError(name_, "layer larger than the limit of " + HumanBytes(limits_.max_layer_bytes) +
                                  " uncompressed (--max-layer-size)");
    if (compression_ != Compression::kNone && stats_.uncompressed_bytes > limits_.ratio_check_after_bytes &&
        double(stats_.uncompressed_bytes) > limits_.max_compression_ratio * double(std::max<uint64_t>(stats_.stored_bytes, 1)))
      throw InputError(name_, "decompression bomb: " + HumanBytes(stats_.stored_bytes) + " expanded to more than " +
                                  HumanBytes(stats_.uncompressed_bytes) + " (ratio above " +
                                  std::to_string(int(limits_.max_compression_ratio)) +
                                  ", --max-compression-ratio)");
    return q_.Push(std::move(block));
  }

  void Pump() {
    Block in = q_.Take();
    size_t n = ReadRaw(in.begin(), kChunk);
    // Fill at least 4 bytes for the magic test (short reads are allowed).
    while (n < 4) {
      size_t m = ReadRaw(in.begin() + n, kChunk - n);
      if (m == 0) break;
      n += m;
    }
    auto* u = reinterpret_cast<const unsigned char*>(in.begin());
    if (n >= 2 && u[0] == 0x1f && u[1] == 0x8b)
      compression_ = Compression::kGzip;
    else if (n >= 4 && u[0] == 0x28 && u[1] == 0xb5 && u[2] == 0x2f && u[3] == 0xfd)
      compression_ = Compression::kZstd;
    switch (compression_) {
      case Compression::kNone: PumpPlain(in, n); break;
      case Compression::kGzip: PumpGzip(in, n); break;
      case Compression::kZstd: PumpZstd(in, n); break;
    }
  }

  void PumpPlain(Block& first, size_t n) {
    first.size = n;
    if (!Emit(std::move(first))) return;
    for (;;) {
      Block buf = q_.Take();
      // Fill the block: short reads (pipes, registry downloads) would otherwise make short blocks.
      while (buf.size < kChunk) {
        size_t got = ReadRaw(buf.begin() + buf.size, kChunk - buf.size);
        if (got == 0) break;
        buf.size += got;
      }
      if (buf.size == 0) return;
      const bool last = buf.size < kChunk;
      if (!Emit(std::move(buf)) || last) return;
    }
  }

  void PumpGzip(Block& in, size_t n) {
    z_stream zs{};
    if (inflateInit2(&zs, 15 + 16) != Z_OK) throw Error(kExitInternal, "zlib: inflateInit2 failed");
    struct Guard { z_stream* z; ~Guard() { inflateEnd(z); } } guard{&zs};
    zs.next_in = reinterpret_cast<Bytef*>(in.begin());
    zs.avail_in = unsigned(n);
    bool member_done = false;
    Block out = q_.Take();
    for (;;) {
      if (zs.avail_in == 0) {
        size_t got = ReadRaw(in.begin(), kChunk);
        if (got == 0) break;
        zs.next_in = reinterpret_cast<Bytef*>(in.begin());
        zs.avail_in = unsigned(got);
      }
      if (member_done) {
        // Concatenated gzip members are one stream (RFC 1952 2.2); anything else after the end is junk.
        auto* p = zs.next_in;
        if (p[0] != 0x1f) {
          // Trailing zero padding is tolerated; other bytes are not.
          for (unsigned i = 0; i < zs.avail_in; ++i)
            if (p[i] != 0) throw InputError(name_, "garbage after the end of the gzip stream");
          zs.avail_in = 0;
          continue;
        }
        inflateReset(&zs);
        member_done = false;
      }
      zs.next_out = reinterpret_cast<Bytef*>(out.begin() + out.size);
      zs.avail_out = unsigned(kChunk - out.size);
      int rc = inflate(&zs, Z_NO_FLUSH);
      size_t produced = kChunk - out.size - zs.avail_out;
      if (rc == Z_STREAM_END) member_done = true;
      else if (rc == Z_BUF_ERROR && produced == 0 && zs.avail_in == 0) {}
      else if (rc != Z_OK) throw InputError(name_, std::string("corrupt gzip data: ") + (zs.msg ? zs.msg : "inflate error"));
      out.size += produced;
      // Full blocks go on; a partial one waits for more output (zlib stops at its window).
      if (out.size == kChunk) {
        if (!Emit(std::move(out))) return;
        out = q_.Take();
      }
    }
    if (!Emit(std::move(out))) return;
    if (!member_done) throw InputError(name_, "truncated gzip stream");
  }

  void PumpZstd(Block& in, size_t n) {
    ZSTD_DStream* ds = ZSTD_createDStream();
    if (!ds) throw Error(kExitInternal, "zstd: cannot create a stream");
    struct Guard { ZSTD_DStream* d; ~Guard() { ZSTD_freeDStream(d); } } guard{ds};
    // A frame may ask for a huge window; cap it (128 MiB covers every sane layer).
    ZSTD_DCtx_setParameter(ds, ZSTD_d_windowLogMax, 27);
    ZSTD_inBuffer zin{in.begin(), n, 0};
    // ZSTD_decompressStream returns 0 exactly when a frame is complete and fully flushed.
    bool in_frame = false;
    Block out = q_.Take();
    auto step = [&](ZSTD_inBuffer& src) {
      ZSTD_outBuffer zout{out.begin(), kChunk, 0};
      size_t rc = ZSTD_decompressStream(ds, &zout, &src);
      if (ZSTD_isError(rc)) throw InputError(name_, std::string("corrupt zstd data: ") + ZSTD_getErrorName(rc));
      in_frame = rc != 0;
      if (zout.pos) {
        out.size = zout.pos;
        bool ok = Emit(std::move(out));
        out = q_.Take();
        if (!ok) return -1;
      }
      return int(zout.pos > 0);
    };
    for (;;) {
      if (zin.pos == zin.size) {
        size_t got = ReadRaw(in.begin(), kChunk);
        if (got == 0) break;
        zin = ZSTD_inBuffer{in.begin(), got, 0};
      }
      if (step(zin) < 0) return;
    }
    // Input is exhausted: let the decoder flush what it still holds.
    while (in_frame) {
      ZSTD_inBuffer empty{nullptr, 0, 0};
      int produced = step(empty);
      if (produced < 0) return;
      if (produced == 0) break;
    }
    if (in_frame) throw InputError(name_, "truncated zstd stream");
  }

  std::unique_ptr<ByteSource> raw_;
  std::string name_;
  Limits limits_;
  BlockQueue& q_;
  Compression compression_ = Compression::kNone;
  Sha256 stored_hash_, plain_hash_;
  StreamStats stats_;
  std::atomic<uint64_t> stored_so_far_{0};
};

// ---- the consumer: libarchive over the decompressed blocks ---------------------------------

class TarStream : public EntryStream {
 public:
  TarStream(std::unique_ptr<ByteSource> raw, std::string name, const Limits& limits)
      : name_(std::move(name)), limits_(limits), producer_(std::move(raw), name_, limits, queue_) {}

  // Separate from the constructor so that the destructor (which stops the producer) runs if it throws.
  void Start() {
    thread_ = std::thread([this] { producer_.Run(); });
    a_ = archive_read_new();
    archive_read_support_format_tar(a_);
    archive_read_support_format_gnutar(a_);
    if (archive_read_open(a_, this, nullptr, &TarStream::ReadCb, nullptr) != ARCHIVE_OK) {
      // An empty stream is an empty layer; anything else unreadable is not a tar.
      if (!empty_) Fail("not a tar archive");
    }
  }
  ~TarStream() override {
    queue_.Cancel();
    if (thread_.joinable()) thread_.join();
    if (a_) archive_read_free(a_);
  }

  bool Next(RawEntry& e) override {
    if (done_) return false;
    if (empty_) { done_ = true; return false; }
    archive_entry* ae = nullptr;
    int rc = archive_read_next_header(a_, &ae);
    if (rc == ARCHIVE_EOF) { done_ = true; return false; }
    RethrowProducerError();
    if (rc < ARCHIVE_WARN) Fail(ArchiveMessage());
    const char* p = archive_entry_pathname(ae);
    if (!p) p = archive_entry_pathname_utf8(ae);
    if (!p) Fail("entry with an unreadable path name");
    e.path = p;
    e.link.clear();
    e.size = archive_entry_size_is_set(ae) ? uint64_t(std::max<la_int64_t>(archive_entry_size(ae), 0)) : 0;
    e.mode = archive_entry_perm(ae);
    e.uid = uint32_t(archive_entry_uid(ae));
    e.gid = uint32_t(archive_entry_gid(ae));
    if (const char* h = archive_entry_hardlink(ae)) {
      e.type = FileType::kHardlink;
      e.link = h;
    } else {
      switch (archive_entry_filetype(ae)) {
        case AE_IFREG: e.type = FileType::kRegular; break;
        case AE_IFDIR: e.type = FileType::kDirectory; break;
        case AE_IFLNK:
          e.type = FileType::kSymlink;
          if (const char* s = archive_entry_symlink(ae)) e.link = s;
          break;
        case AE_IFCHR: e.type = FileType::kCharDevice; break;
        case AE_IFBLK: e.type = FileType::kBlockDevice; break;
        case AE_IFIFO: e.type = FileType::kFifo; break;
        case AE_IFSOCK: e.type = FileType::kSocket; break;
        default: e.type = FileType::kRegular; break;
      }
    }
    entry_size_ = e.type == FileType::kRegular ? e.size : 0;
    // The sparse map (GNU 'S' members, pax 0.x/1.0): what is not a data region is a hole.
    e.hole_bytes = 0;
    if (e.type == FileType::kRegular && archive_entry_sparse_reset(ae) > 0) {
      uint64_t data = 0;
      la_int64_t off = 0, len = 0;
      while (archive_entry_sparse_next(ae, &off, &len) == ARCHIVE_OK)
        if (len > 0) data += uint64_t(len);
      if (data < e.size) e.hole_bytes = e.size - data;
    }
    path_ = e.path;
    pos_ = 0;
    return true;
  }

  std::span<const char> ReadBlock() override {
    if (pending_hole_ > 0 || !held_.empty()) return Hole();
    const void* buf = nullptr;
    size_t size = 0;
    la_int64_t offset = 0;
    int rc = archive_read_data_block(a_, &buf, &size, &offset);
    if (rc == ARCHIVE_EOF) {
      if (pos_ < entry_size_) {  // trailing sparse hole
        pending_hole_ = entry_size_ - pos_;
        return Hole();
      }
      return {};
    }
    RethrowProducerError();
    if (rc < ARCHIVE_WARN) Fail(ArchiveMessage());
    if (offset >= 0 && uint64_t(offset) > pos_) {  // sparse file: the gap reads as zeros
      pending_hole_ = uint64_t(offset) - pos_;
      held_ = {static_cast<const char*>(buf), size};
      return Hole();
    }
    pos_ += size;
    return {static_cast<const char*>(buf), size};
  }

  StreamStats Finish() override {
    // Drain: the digests cover every byte of the blob, including what follows the tar's end.
    Block block;
    while (queue_.Pop(block)) {}
    if (thread_.joinable()) thread_.join();
    return producer_.stats();
  }

 private:
  // Zeros for a sparse gap, then the data block that followed it.
  std::span<const char> Hole() {
    static const char kZeros[65536] = {};
    if (pending_hole_ > 0) {
      size_t n = size_t(std::min<uint64_t>(pending_hole_, sizeof kZeros));
      CountHole(n);
      pending_hole_ -= n;
      pos_ += n;
      return {kZeros, n};
    }
    auto h = held_;
    held_ = {};
    pos_ += h.size();
    return h;
  }

  // Holes are output with no input: the bytes they expand to count against the layer size limit and
  // the compression-ratio guard like decompressed bytes do (a few KB of tar may declare GiBs of holes).
  void CountHole(size_t n) {
    holes_ += n;
    const uint64_t expanded = total_ + holes_;  // tar bytes consumed so far plus the zeros made up
    if (expanded > limits_.max_layer_bytes)
      throw LimitExceeded(name_, "entry '" + path_ + "': sparse file holes expand the layer past the limit of " +
                                     HumanBytes(limits_.max_layer_bytes) + " (--max-layer-size)");
    const uint64_t stored = std::max<uint64_t>(producer_.StoredSoFar(), 1);
    if (expanded > limits_.ratio_check_after_bytes && double(expanded) > limits_.max_compression_ratio * double(stored))
      throw LimitExceeded(name_, "entry '" + path_ + "': sparse file holes expand " + HumanBytes(stored) +
                                     " of input to more than " + HumanBytes(expanded) + " (ratio above " +
                                     std::to_string(int(limits_.max_compression_ratio)) +
                                     ", --max-compression-ratio)");
  }

  static la_ssize_t ReadCb(archive*, void* self, const void** buf) {
    auto* s = static_cast<TarStream*>(self);
    try {
      if (!s->queue_.Pop(s->current_)) {
        if (s->total_ == 0) s->empty_ = true;
        return 0;
      }
      s->total_ += s->current_.size;
      *buf = s->current_.begin();
      return la_ssize_t(s->current_.size);
    } catch (...) {
      s->producer_error_ = std::current_exception();
      return -1;
    }
  }

  void RethrowProducerError() {
    if (producer_error_) std::rethrow_exception(producer_error_);
  }

  std::string ArchiveMessage() {
    RethrowProducerError();
    const char* m = archive_error_string(a_);
    std::string msg = m ? m : "unreadable tar data";
    if (msg.find("Truncated") != std::string::npos || msg.find("truncated") != std::string::npos)
      return "truncated tar archive (" + msg + ")";
    if (msg.find("Unrecognized archive format") != std::string::npos || msg.find("Damaged tar") != std::string::npos)
      return "not a tar archive or damaged tar header (" + msg + ")";
    return msg;
  }

  [[noreturn]] void Fail(const std::string& reason) {
    RethrowProducerError();
    throw InputError(name_, reason);
  }

  std::string name_;
  Limits limits_;
  BlockQueue queue_;
  Producer producer_;
  std::thread thread_;
  archive* a_ = nullptr;
  Block current_;
  uint64_t total_ = 0;
  bool empty_ = false, done_ = false;
  std::exception_ptr producer_error_;
  uint64_t entry_size_ = 0, pos_ = 0, pending_hole_ = 0;
  uint64_t holes_ = 0;  // hole bytes made up in this layer so far
  std::string path_;    // the current entry, for messages
  std::span<const char> held_;
};

class FunctionLayer : public LayerSource {
 public:
  FunctionLayer(std::string d, std::function<std::unique_ptr<EntryStream>()> f) : desc_(std::move(d)), open_(std::move(f)) {}
  std::string Describe() const override { return desc_; }
  std::unique_ptr<EntryStream> Open() const override { return open_(); }

 private:
  std::string desc_;
  std::function<std::unique_ptr<EntryStream>()> open_;
};

class DirectoryLayer : public LayerSource {
 public:
  DirectoryLayer(std::string root, const Limits& limits) : root_(std::move(root)), limits_(limits) {}
  std::string Describe() const override { return root_; }
  std::unique_ptr<EntryStream> Open() const override { return OpenDirectoryStream(root_, limits_); }
  bool ReadFileDirect(const std::string& path, uint64_t max_bytes, std::string& out) const override {
    // Refused here whatever the caller did: "..", an absolute path (openat ignores the directory for
    // those), empty components and NUL could name something outside the root.
    if (path.empty() || !IsNormalEntryPath(path)) return false;
    // Walk the components with O_NOFOLLOW (and O_DIRECTORY for all but the last) so that no symlink
    // is followed and nothing outside the root is ever opened; the target must be a regular file.
    int fd = ::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return false;
    size_t start = 0;
    while (true) {
      size_t slash = path.find('/', start);
      std::string comp = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
      bool last = slash == std::string::npos;
      int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (last ? O_NONBLOCK : O_DIRECTORY);
      int next = ::openat(fd, comp.c_str(), flags);
      ::close(fd);
      if (next < 0) return false;
      fd = next;
      if (last) break;
      start = slash + 1;
    }
    struct stat st;
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) { ::close(fd); return false; }
    out.clear();
    char buf[65536];
    for (;;) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      if (out.size() + size_t(n) > max_bytes) { ::close(fd); return false; }
      out.append(buf, size_t(n));
    }
    ::close(fd);
    return true;
  }

 private:
  std::string root_;
  Limits limits_;
};

}  // namespace

const char* FileTypeName(FileType t) {
  switch (t) {
    case FileType::kRegular: return "file";
    case FileType::kDirectory: return "directory";
    case FileType::kSymlink: return "symlink";
    case FileType::kHardlink: return "hardlink";
    case FileType::kCharDevice: return "char-device";
    case FileType::kBlockDevice: return "block-device";
    case FileType::kFifo: return "fifo";
    case FileType::kSocket: return "socket";
    case FileType::kWhiteout: return "whiteout";
    case FileType::kOpaqueWhiteout: return "opaque-whiteout";
  }
  return "?";
}

std::unique_ptr<ByteSource> OpenFileBytes(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw IoError(path, std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw IoError(path, "is a directory");
  }
  posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return std::make_unique<FileBytes>(fd, path);
}

std::unique_ptr<EntryStream> OpenTarStream(std::unique_ptr<ByteSource> raw, std::string name, const Limits& limits) {
  auto s = std::make_unique<TarStream>(std::move(raw), std::move(name), limits);
  s->Start();
  return s;
}


std::unique_ptr<LayerSource> MakeLayerSource(std::string description, std::function<std::unique_ptr<EntryStream>()> open) {
  return std::make_unique<FunctionLayer>(std::move(description), std::move(open));
}

std::unique_ptr<LayerSource> MakeDirectoryLayer(const std::string& root, const Limits& limits) {
  return std::make_unique<DirectoryLayer>(root, limits);
}

}  // namespace customs
