// Directory trees as an entry stream (`customs fs`, `customs rootfs DIR`). Listing and stat-ing a
// large tree is most of the cost of scanning it, so it is split over threads while the order stays
// fixed (depth first, names sorted per directory, symlinks never followed):
// - the lister thread reads each directory (getdents64), sorts its names and walks into
//   subdirectories, which it knows from the entry type the kernel reports (a stat only where the
//   file system does not report it); a subdirectory's own metadata comes from fstat on the
//   descriptor it opens anyway;
// - the entries are cut into batches that hold the directory descriptors they need; stat workers
//   (and the walker itself, when the batch it needs next is not yet taken) fill in every other
//   entry's metadata with fstatat relative to its directory, then release the descriptors;
// - the walker takes the batches in order.
// File contents are opened on the walker's thread relative to the root with
// openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS), so that a directory swapped for a symlink after it
// was listed cannot lead outside the tree.
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "core/error.h"
#include "source/streams.h"

namespace customs {

namespace {

constexpr size_t kBatch = 256;          // entries per hand-over
constexpr size_t kBatchDirs = 32;       // directory descriptors one batch may hold (fewer under a low limit)
constexpr size_t kMaxBatches = 64;      // batches queued at most (bounded memory)
constexpr size_t kMaxUnstatted = 8;     // of which waiting for metadata (bounded descriptors)
constexpr size_t kMaxDepth = 512;
constexpr size_t kChunk = 1 << 20;
constexpr size_t kDirentBuffer = 64 << 10;

// Opens `rel` (a relative path with no "." or ".." components) under `root_fd` without following any
// symlink. Returns -1 with errno set.
int OpenBeneath(int root_fd, const std::string& rel) {
#ifdef SYS_openat2
  open_how how{};
  how.flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  long fd = ::syscall(SYS_openat2, root_fd, rel.c_str(), &how, sizeof how);
  if (fd >= 0) return int(fd);
  if (errno != ENOSYS && errno != EPERM) return -1;
#endif
  // Older kernels (or a sandbox refusing openat2): one component at a time with O_NOFOLLOW.
  int fd2 = ::dup(root_fd);
  if (fd2 < 0) return -1;
  size_t start = 0;
  for (;;) {
    size_t slash = rel.find('/', start);
    const bool last = slash == std::string::npos;
    std::string comp = rel.substr(start, last ? std::string::npos : slash - start);
    int next = ::openat(fd2, comp.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (last ? O_NONBLOCK : O_DIRECTORY));
    const int saved = errno;
    ::close(fd2);
    if (next < 0) {
      errno = saved;
      return -1;
    }
    fd2 = next;
    if (last) return fd2;
    start = slash + 1;
  }
}

// A directory descriptor shared by the lister's stack and the batches whose entries it names.
struct DirFd {
  explicit DirFd(int f) : fd(f) {}
  ~DirFd() { ::close(fd); }
  DirFd(const DirFd&) = delete;
  DirFd& operator=(const DirFd&) = delete;
  int fd;
};

// An entry whose metadata is still to be read: fstatat(dirs[dir], path + name_at).
struct Pending {
  uint32_t entry;
  uint32_t dir;
  uint32_t name_at;
};

struct Batch {
  enum class State { kListed, kStatting, kReady };
  std::vector<RawEntry> entries;
  std::vector<uint8_t> vanished;  // 1: deleted while the tree was walked, not delivered
  std::vector<Pending> todo;
  std::vector<std::shared_ptr<DirFd>> dirs;
  State state = State::kListed;
  std::exception_ptr error;
};

void FillFromStat(RawEntry& e, const struct stat& st) {
  e.mode = st.st_mode & 07777;
  e.uid = st.st_uid;
  e.gid = st.st_gid;
  e.size = 0;
  if (S_ISREG(st.st_mode)) {
    e.type = FileType::kRegular;
    e.size = uint64_t(st.st_size);
  } else if (S_ISDIR(st.st_mode)) e.type = FileType::kDirectory;
  else if (S_ISLNK(st.st_mode)) e.type = FileType::kSymlink;
  else if (S_ISCHR(st.st_mode)) e.type = FileType::kCharDevice;
  else if (S_ISBLK(st.st_mode)) e.type = FileType::kBlockDevice;
  else if (S_ISFIFO(st.st_mode)) e.type = FileType::kFifo;
  else e.type = FileType::kSocket;
}

class DirectoryStream : public EntryStream {
 public:
  DirectoryStream(std::string root, const Limits& /*limits*/) : root_(std::move(root)) {
    root_fd_ = ::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root_fd_ < 0) throw IoError(root_, std::strerror(errno));
    int fd = ::dup(root_fd_);
    if (fd < 0) {
      ::close(root_fd_);
      throw IoError(root_, std::strerror(errno));
    }
    // Descriptors: up to one per level of the tree, plus those of the batches waiting for metadata,
    // which get at most half of what the limit on open files leaves after 128 for everything else.
    if (struct rlimit rl; ::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
      const uint64_t spare = rl.rlim_cur > 128 + kMaxDepth ? uint64_t(rl.rlim_cur) - 128 - kMaxDepth : 0;
      batch_dirs_ = std::clamp<uint64_t>(spare / 2 / (kMaxUnstatted + 1), 1, kBatchDirs);
    }
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const unsigned workers = std::clamp(cores - 1, 1u, 3u);
    try {
      lister_ = std::thread([this, fd] { List(fd); });
      for (unsigned i = 0; i < workers; ++i) workers_.emplace_back([this] { StatWork(); });
    } catch (...) {  // no thread to be had: stop those that started
      const bool listing = lister_.joinable();  // the lister owns `fd` once started
      Stop();
      if (!listing) ::close(fd);
      ::close(root_fd_);
      throw;
    }
  }

  ~DirectoryStream() override {
    Stop();
    CloseFile();
    ::close(root_fd_);
  }

  bool Next(RawEntry& e) override {
    CloseFile();
    for (;;) {
      while (batch_ && pos_ < batch_->entries.size()) {
        const size_t i = pos_++;
        if (batch_->vanished[i]) continue;
        e = std::move(batch_->entries[i]);
        if (e.type == FileType::kRegular) file_rel_.assign(e.path);
        return true;
      }
      batch_.reset();
      pos_ = 0;
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return !queue_.empty() || lister_done_; });
      if (queue_.empty()) {
        if (error_) std::rethrow_exception(error_);
        return false;
      }
      Batch* front = queue_.front().get();
      // Rather than wait for the next batch, stat the oldest one no one has taken (the next one
      // itself when it is still untaken).
      while (front->state != Batch::State::kReady) {
        if (listed_.empty()) {
          cv_.wait(lock, [&] { return front->state == Batch::State::kReady || !listed_.empty(); });
          continue;
        }
        Batch* b = listed_.front();
        listed_.pop_front();
        b->state = Batch::State::kStatting;
        lock.unlock();
        StatBatch(*b);
        lock.lock();
        b->state = Batch::State::kReady;
        --unstatted_;
        cv_.notify_all();
      }
      batch_ = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      cv_.notify_all();
      if (batch_->error) std::rethrow_exception(batch_->error);
    }
  }

  std::span<const char> ReadBlock() override {
    if (file_fd_ < 0) {
      if (file_rel_.empty()) return {};
      file_fd_ = OpenBeneath(root_fd_, file_rel_);
      if (file_fd_ < 0) throw IoError(root_ + "/" + file_rel_, std::strerror(errno));
      buf_.resize(kChunk);
    }
    for (;;) {
      ssize_t n = ::read(file_fd_, buf_.data(), buf_.size());
      if (n >= 0) return {buf_.data(), size_t(n)};
      if (errno == EINTR) continue;
      throw IoError(root_ + "/" + file_rel_, std::strerror(errno));
    }
  }

  StreamStats Finish() override { return StreamStats{}; }

 private:
  struct Name {
    uint32_t at;
    uint16_t len;
    uint8_t type;  // DT_*
  };
  struct Dir {
    std::shared_ptr<DirFd> fd;
    std::string rel;
    std::string names;  // every name of the directory, back to back
    std::vector<Name> order;
    size_t next = 0;
  };

  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (lister_.joinable()) lister_.join();
    for (auto& t : workers_) t.join();
    workers_.clear();
  }

  // The lister thread: owns `fd` (the root) and every directory descriptor it opens.
  void List(int fd) {
    std::vector<Dir> stack;
    std::vector<char> dirents(kDirentBuffer);
    auto batch = std::make_unique<Batch>();
    try {
      ReadDir(stack, std::make_shared<DirFd>(fd), "", dirents);
      while (!stack.empty()) {
        Dir& d = stack.back();
        if (d.next >= d.order.size()) {
          stack.pop_back();
          continue;
        }
        const Name n = d.order[d.next++];
        const char* name = d.names.data() + n.at;
        RawEntry e;
        e.path.reserve(d.rel.size() + 1 + n.len);
        if (!d.rel.empty()) {
          e.path = d.rel;
          e.path.push_back('/');
        }
        const uint32_t name_at = uint32_t(e.path.size());
        e.path.append(name, n.len);
        bool is_dir = n.type == DT_DIR;
        if (n.type == DT_UNKNOWN) {
          // The file system does not report types: stat here, the walk needs to know directories.
          struct stat st;
          if (::fstatat(d.fd->fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno == ENOENT) continue;  // vanished while walking
            throw IoError(root_ + "/" + e.path, std::strerror(errno));
          }
          is_dir = S_ISDIR(st.st_mode);
        }
        if (is_dir) {
          if (stack.size() >= kMaxDepth)
            throw InputError(root_ + "/" + e.path, "directory nesting deeper than 512 levels");
          const int sub = ::openat(d.fd->fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
          if (sub >= 0) {
            struct stat st;
            if (::fstat(sub, &st) != 0) {
              const int saved = errno;
              ::close(sub);
              throw IoError(root_ + "/" + e.path, std::strerror(saved));
            }
            auto sub_fd = std::make_shared<DirFd>(sub);
            FillFromStat(e, st);
            std::string rel = e.path;
            Add(batch, std::move(e), nullptr, 0);
            ReadDir(stack, std::move(sub_fd), std::move(rel), dirents);  // `d` is invalid from here
            if (!MaybeHand(batch)) break;
            continue;
          }
          if (errno == ENOENT) continue;
          // Unreadable, or no longer a directory: listed (metadata below) but not entered.
          if (errno != EACCES && errno != EPERM && errno != ENOTDIR && errno != ELOOP)
            throw IoError(root_ + "/" + e.path, std::strerror(errno));
        }
        Add(batch, std::move(e), &d.fd, name_at);
        if (!MaybeHand(batch)) break;
      }
      if (!batch->entries.empty()) Hand(batch);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mu_);
      error_ = std::current_exception();
    }
    stack.clear();
    {
      std::lock_guard<std::mutex> lock(mu_);
      lister_done_ = true;
    }
    cv_.notify_all();
  }

  // Appends an entry; `dir` set: its metadata is to be read relative to that directory.
  static void Add(std::unique_ptr<Batch>& b, RawEntry&& e, const std::shared_ptr<DirFd>* dir, uint32_t name_at) {
    if (dir) {
      if (b->dirs.empty() || b->dirs.back() != *dir) b->dirs.push_back(*dir);
      b->todo.push_back({uint32_t(b->entries.size()), uint32_t(b->dirs.size() - 1), name_at});
    }
    b->entries.push_back(std::move(e));
    b->vanished.push_back(0);
  }

  bool MaybeHand(std::unique_ptr<Batch>& b) {
    if (b->entries.size() < kBatch && b->dirs.size() < batch_dirs_) return true;
    return Hand(b);
  }

  // Queues a batch, waiting while the queue is full. False when the consumer has gone.
  bool Hand(std::unique_ptr<Batch>& b) {
    bool ready = b->todo.empty();
    if (!ready) {
      std::unique_lock<std::mutex> lock(mu_);
      ready = unstatted_ >= kMaxUnstatted;  // the workers are behind: this thread helps, not waits
    }
    if (ready) {
      StatBatch(*b);
      b->state = Batch::State::kReady;
    }
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stop_ || (queue_.size() < kMaxBatches && (ready || unstatted_ < kMaxUnstatted)); });
      if (stop_) return false;
      if (!ready) {
        listed_.push_back(b.get());
        ++unstatted_;
      }
      queue_.push_back(std::move(b));
    }
    cv_.notify_all();
    b = std::make_unique<Batch>();
    b->entries.reserve(kBatch);
    b->vanished.reserve(kBatch);
    return true;
  }

  // A stat worker: fills in the metadata of listed batches, oldest first.
  void StatWork() {
    for (;;) {
      Batch* b;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return stop_ || !listed_.empty() || lister_done_; });
        if (listed_.empty()) return;  // stopped, or everything listed is taken
        b = listed_.front();
        listed_.pop_front();
        b->state = Batch::State::kStatting;
      }
      StatBatch(*b);
      {
        std::lock_guard<std::mutex> lock(mu_);
        b->state = Batch::State::kReady;
        --unstatted_;
      }
      cv_.notify_all();
    }
  }

  void StatBatch(Batch& b) {
    try {
      for (const Pending& p : b.todo) {
        RawEntry& e = b.entries[p.entry];
        const int dfd = b.dirs[p.dir]->fd;
        const char* name = e.path.c_str() + p.name_at;
        struct stat st;
        if (::fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
          if (errno == ENOENT) {
            b.vanished[p.entry] = 1;
            continue;
          }
          throw IoError(root_ + "/" + e.path, std::strerror(errno));
        }
        FillFromStat(e, st);
        if (e.type == FileType::kSymlink) {
          std::string target(size_t(std::max<off_t>(st.st_size, 0)) + 1, '\0');
          ssize_t n = ::readlinkat(dfd, name, target.data(), target.size());
          if (n < 0) {
            if (errno == ENOENT) {
              b.vanished[p.entry] = 1;
              continue;
            }
            throw IoError(root_ + "/" + e.path, std::strerror(errno));
          }
          target.resize(size_t(n));
          e.link = std::move(target);
        }
      }
    } catch (...) {
      b.error = std::current_exception();
    }
    b.todo.clear();
    b.dirs.clear();  // closes the descriptors no one else holds
  }

  // Reads a directory's names (sorted, "." and ".." left out) and pushes it on the stack.
  void ReadDir(std::vector<Dir>& stack, std::shared_ptr<DirFd> fd, std::string rel, std::vector<char>& buf) {
    Dir d;
    d.fd = std::move(fd);
    d.rel = std::move(rel);
    for (;;) {
      const ssize_t n = ::getdents64(d.fd->fd, buf.data(), buf.size());
      if (n == 0) break;
      if (n < 0) {
        if (errno == EINTR) continue;
        throw IoError(root_ + (d.rel.empty() ? "" : "/" + d.rel), std::strerror(errno));
      }
      for (ssize_t off = 0; off < n;) {
        const auto* de = reinterpret_cast<const dirent64*>(buf.data() + off);
        off += de->d_reclen;
        const char* nm = de->d_name;
        if (nm[0] == '.' && (nm[1] == '\0' || (nm[1] == '.' && nm[2] == '\0'))) continue;
        const size_t len = std::strlen(nm);
        d.order.push_back({uint32_t(d.names.size()), uint16_t(len), de->d_type});
        d.names.append(nm, len + 1);  // NUL-terminated for the *at calls
      }
    }
    const char* base = d.names.data();
    std::sort(d.order.begin(), d.order.end(), [base](const Name& a, const Name& b) {
      return std::string_view(base + a.at, a.len) < std::string_view(base + b.at, b.len);
    });
    stack.push_back(std::move(d));
  }

  void CloseFile() {
    if (file_fd_ >= 0) ::close(file_fd_);
    file_fd_ = -1;
    file_rel_.clear();
  }

  std::string root_;
  int root_fd_ = -1;
  size_t batch_dirs_ = kBatchDirs;
  std::thread lister_;
  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Batch>> queue_;  // in walk order
  std::deque<Batch*> listed_;                 // of those, the ones no one is stat-ing yet
  size_t unstatted_ = 0;                      // listed or being stat-ed
  bool lister_done_ = false, stop_ = false;
  std::exception_ptr error_;
  std::unique_ptr<Batch> batch_;
  size_t pos_ = 0;
  int file_fd_ = -1;
  std::string file_rel_;
  std::vector<char> buf_;
};

}  // namespace

std::unique_ptr<EntryStream> OpenDirectoryStream(const std::string& root, const Limits& limits) {
  return std::make_unique<DirectoryStream>(root, limits);
}

}  // namespace customs
