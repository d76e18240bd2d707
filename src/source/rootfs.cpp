// `customs rootfs DIR|TARBALL` and `customs fs DIR`: one layer, no image metadata.
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.h"
#include "source/source.h"
#include "source/store.h"

namespace customs {

namespace {

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

void CheckReadableDirectory(const std::string& path) {
  Fd d{::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (d.fd < 0) throw IoError(path, std::strerror(errno));
}

// The tarball's first bytes tell its compression; the first header tells it is a tar at all. Only
// what the layer stream reads (plain, gzip, zstd) is accepted.
void CheckTarball(const std::string& path) {
  Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (f.fd < 0) throw IoError(path, std::strerror(errno));
  unsigned char head[6] = {};
  ssize_t n;
  do n = ::pread(f.fd, head, sizeof head, 0);
  while (n < 0 && errno == EINTR);
  if (n < 0) throw IoError(path, std::strerror(errno));
  if (n == 0) throw InputError(path, "empty file, not a tarball");
  if (n >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h')
    throw InputError(path, "bzip2-compressed: customs reads plain, gzip and zstd tarballs (recompress it)");
  if (n >= 6 && head[0] == 0xfd && std::memcmp(head + 1, "7zXZ", 4) == 0 && head[5] == 0)
    throw InputError(path, "xz-compressed: customs reads plain, gzip and zstd tarballs (recompress it)");

  archive* a = archive_read_new();
  if (!a) throw Error(kExitInternal, "libarchive: cannot allocate a reader");
  struct Guard {
    archive* a;
    ~Guard() { archive_read_free(a); }
  } guard{a};
  archive_read_support_format_tar(a);
  archive_read_support_filter_gzip(a);
  archive_read_support_filter_zstd(a);
  int rc = archive_read_open_fd(a, f.fd, 1 << 16);
  archive_entry* e = nullptr;
  if (rc == ARCHIVE_OK) rc = archive_read_next_header(a, &e);
  if (rc == ARCHIVE_OK || rc == ARCHIVE_WARN || rc == ARCHIVE_EOF) return;  // EOF: an empty tar
  const char* m = archive_error_string(a);
  std::string msg = m ? source_detail::PrintableName(m) : "unreadable";
  if (msg.find("Unrecognized archive format") != std::string::npos)
    throw InputError(path, "not a tar archive (plain, gzip or zstd)");
  throw InputError(path, "not a readable tar archive (" + msg + ")");
}

LoadedSource OneLayer(ArtifactType type, const std::string& path, std::unique_ptr<LayerSource> layer, uint64_t size) {
  LoadedSource out;
  out.artifact.type = type;
  out.artifact.name = path;
  LayerInfo info;
  info.index = 0;
  info.size = size;
  out.layers.push_back(std::move(info));
  out.expect.push_back(LayerExpectation{});
  out.streams.push_back(std::move(layer));
  return out;
}

}  // namespace

LoadedSource LoadRootfs(const std::string& path, const SourceOptions& opts) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) throw IoError(path, std::strerror(errno));
  if (S_ISDIR(st.st_mode)) {
    CheckReadableDirectory(path);
    return OneLayer(ArtifactType::kRootfs, path, MakeDirectoryLayer(path, opts.limits), 0);
  }
  if (!S_ISREG(st.st_mode)) throw InputError(path, "not a directory or a tarball");
  CheckTarball(path);
  Limits limits = opts.limits;
  auto layer = MakeLayerSource(path, [path, limits]() { return OpenTarStream(OpenFileBytes(path), path, limits); });
  return OneLayer(ArtifactType::kRootfs, path, std::move(layer), uint64_t(st.st_size));
}

LoadedSource LoadFilesystem(const std::string& path, const SourceOptions& opts) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) throw IoError(path, std::strerror(errno));
  if (!S_ISDIR(st.st_mode))
    throw InputError(path, "not a directory (for a tarball use `customs rootfs`, for an image `customs image --input`)");
  CheckReadableDirectory(path);
  return OneLayer(ArtifactType::kFilesystem, path, MakeDirectoryLayer(path, opts.limits), 0);
}

}  // namespace customs
