// Directory trees as an entry stream (`customs fs`, `customs rootfs DIR`). Listing and stat-ing a
// large tree is most of the cost of scanning it, so a producer thread walks the tree (depth first,
// names sorted per directory, symlinks never followed) and hands entries over in batches while the
// walker analyzes the previous ones on its own thread. File contents are opened on the walker's
// thread relative to the root with openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS), so that a
// directory swapped for a symlink after it was listed cannot lead outside the tree.
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "core/error.h"
#include "walker/streams.h"

namespace customs {

namespace {

constexpr size_t kBatch = 512;        // entries per hand-over
constexpr size_t kMaxBatches = 64;    // queued hand-overs at most (bounded memory)
constexpr size_t kMaxDepth = 512;
constexpr size_t kChunk = 1 << 20;

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
    producer_ = std::thread([this, fd] { Produce(fd); });
  }

  ~DirectoryStream() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    producer_.join();
    CloseFile();
    ::close(root_fd_);
  }

  bool Next(RawEntry& e) override {
    CloseFile();
    if (pos_ >= batch_.size()) {
      batch_.clear();
      pos_ = 0;
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return !queue_.empty() || done_; });
      if (queue_.empty()) {
        if (error_) std::rethrow_exception(error_);
        return false;
      }
      batch_ = std::move(queue_.front());
      queue_.pop_front();
      cv_.notify_all();
    }
    e = std::move(batch_[pos_++]);
    if (e.type == FileType::kRegular) file_rel_ = e.path;
    return true;
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
  struct Dir {
    int fd;
    std::string rel;
    std::vector<std::string> names;
    size_t next = 0;
  };

  // The producer thread: owns `fd` and every directory descriptor it opens.
  void Produce(int fd) {
    std::vector<Dir> stack;
    std::vector<RawEntry> out;
    out.reserve(kBatch);
    try {
      PushDir(stack, fd, "");
      while (!stack.empty()) {
        Dir& d = stack.back();
        if (d.next >= d.names.size()) {
          ::close(d.fd);
          stack.pop_back();
          continue;
        }
        const std::string& name = d.names[d.next++];
        std::string rel = d.rel.empty() ? name : d.rel + "/" + name;
        struct stat st;
        if (::fstatat(d.fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
          if (errno == ENOENT) continue;  // vanished while walking
          throw IoError(root_ + "/" + rel, std::strerror(errno));
        }
        RawEntry e;
        e.mode = st.st_mode & 07777;
        e.uid = st.st_uid;
        e.gid = st.st_gid;
        int subdir = -1;
        if (S_ISREG(st.st_mode)) {
          e.type = FileType::kRegular;
          e.size = uint64_t(st.st_size);
        } else if (S_ISDIR(st.st_mode)) {
          e.type = FileType::kDirectory;
          if (stack.size() >= kMaxDepth) throw InputError(root_ + "/" + rel, "directory nesting deeper than 512 levels");
          subdir = ::openat(d.fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        } else if (S_ISLNK(st.st_mode)) {
          e.type = FileType::kSymlink;
          std::string target(size_t(std::max<off_t>(st.st_size, 0)) + 1, '\0');
          ssize_t n = ::readlinkat(d.fd, name.c_str(), target.data(), target.size());
          if (n < 0) throw IoError(root_ + "/" + rel, std::strerror(errno));
          target.resize(size_t(n));
          e.link = std::move(target);
        } else if (S_ISCHR(st.st_mode)) e.type = FileType::kCharDevice;
        else if (S_ISBLK(st.st_mode)) e.type = FileType::kBlockDevice;
        else if (S_ISFIFO(st.st_mode)) e.type = FileType::kFifo;
        else e.type = FileType::kSocket;
        e.path = rel;
        out.push_back(std::move(e));
        // Unreadable directories are listed but not entered. `d` is invalid after PushDir.
        if (subdir >= 0) PushDir(stack, subdir, std::move(rel));
        if (out.size() >= kBatch && !Hand(out)) break;
      }
      if (!out.empty()) Hand(out);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mu_);
      error_ = std::current_exception();
    }
    for (auto& d : stack) ::close(d.fd);
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
    cv_.notify_all();
  }

  // Queues a batch, waiting while the queue is full. False when the consumer has gone.
  bool Hand(std::vector<RawEntry>& out) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return stop_ || queue_.size() < kMaxBatches; });
    if (stop_) return false;
    queue_.push_back(std::move(out));
    out.clear();
    out.reserve(kBatch);
    cv_.notify_all();
    return true;
  }

  void PushDir(std::vector<Dir>& stack, int fd, std::string rel) {
    int dup_fd = ::dup(fd);
    DIR* dir = dup_fd >= 0 ? ::fdopendir(dup_fd) : nullptr;
    if (!dir) {
      const int saved = errno;
      if (dup_fd >= 0) ::close(dup_fd);
      ::close(fd);
      throw IoError(root_ + (rel.empty() ? "" : "/" + rel), std::strerror(saved));
    }
    Dir d{fd, std::move(rel), {}, 0};
    while (dirent* de = ::readdir(dir)) {
      if (!std::strcmp(de->d_name, ".") || !std::strcmp(de->d_name, "..")) continue;
      d.names.emplace_back(de->d_name);
    }
    ::closedir(dir);
    std::sort(d.names.begin(), d.names.end());
    stack.push_back(std::move(d));
  }

  void CloseFile() {
    if (file_fd_ >= 0) ::close(file_fd_);
    file_fd_ = -1;
    file_rel_.clear();
  }

  std::string root_;
  int root_fd_ = -1;
  std::thread producer_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::vector<RawEntry>> queue_;
  bool done_ = false, stop_ = false;
  std::exception_ptr error_;
  std::vector<RawEntry> batch_;
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
