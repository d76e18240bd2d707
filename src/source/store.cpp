// Blob stores (see store.h).
#include "source/store.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
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
  while (start <= p.size()) {
    size_t slash = p.find('/', start);
    if (slash == std::string_view::npos) slash = p.size();
    if (slash > start) out.emplace_back(p.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

std::string JoinPath(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
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

// ---- byte sources --------------------------------------------------------------------------------

class MemorySource : public ByteSource {
 public:
  explicit MemorySource(std::shared_ptr<const std::string> data) : data_(std::move(data)) {}
  size_t Read(char* buf, size_t n) override {
    size_t k = std::min(n, data_->size() - pos_);
    std::memcpy(buf, data_->data() + pos_, k);
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

struct ArchiveDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveDeleter>;

ArchivePtr NewTarReader() {
  ArchivePtr a(archive_read_new());
  if (!a) throw Error(kExitInternal, "libarchive: cannot allocate a reader");
  archive_read_support_format_tar(a.get());
  archive_read_support_filter_gzip(a.get());
  archive_read_support_filter_bzip2(a.get());
  archive_read_support_filter_xz(a.get());
  archive_read_support_filter_zstd(a.get());
  return a;
}

std::string ArchiveReason(archive* a) {
  const char* m = archive_error_string(a);
  std::string msg = m ? m : "unreadable archive data";
  std::string lower = msg;
  for (char& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (lower.find("truncated") != std::string::npos || lower.find("premature end") != std::string::npos ||
      lower.find("unexpected end") != std::string::npos)
    return "truncated archive (" + PrintableName(msg) + ")";
  if (lower.find("unrecognized archive format") != std::string::npos)
    return "not a tar archive";
  if (lower.find("damaged") != std::string::npos)
    return "damaged tar archive (" + PrintableName(msg) + ")";
  return PrintableName(msg);
}

// Opens `fd` (owned by the reader from now on via the close callback? no: closed by the caller).
void OpenArchiveFd(archive* a, int fd, const std::string& path) {
  if (archive_read_open_fd(a, fd, 1 << 16) != ARCHIVE_OK) throw InputError(path, ArchiveReason(a));
}

// ---- tar store ------------------------------------------------------------------------------------

struct TarRecord {
  int64_t ordinal = 0;      // position of the header in the archive
  std::string raw_name;     // the pathname as stored, to recognise the header on a re-read
  BlobStoreKind_dummy_t* unused = nullptr;
};

}  // namespace

}  // namespace customs::source_detail
