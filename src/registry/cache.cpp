#include "registry/cache.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <random>

#include "core/error.h"
#include "core/sha256.h"

namespace customs::registry {

namespace {

void MkdirP(const std::string& path) {
  for (size_t i = 1; i <= path.size(); ++i) {
    if (i != path.size() && path[i] != '/') continue;
    std::string p = path.substr(0, i);
    if (::mkdir(p.c_str(), 0755) != 0 && errno != EEXIST) throw IoError(p, std::strerror(errno));
  }
}

std::string RandomSuffix() {
  std::random_device rd;
  char buf[17];
  snprintf(buf, sizeof buf, "%08x%08x", rd(), rd());
  return buf;
}

}  // namespace

LayerCache::LayerCache(std::string dir) : dir_(dir.empty() ? DefaultDir() : std::move(dir)) {
  while (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
}

std::string LayerCache::DefaultDir() {
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x == '/') return std::string(x) + "/customs/layers";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.cache/customs/layers";
}

std::string LayerCache::Path(const std::string& digest) const {
  if (!IsSha256Digest(digest)) throw InputError(digest.substr(0, 80), "not a sha256 digest");
  return dir_ + "/blobs/sha256/" + digest.substr(7);
}

bool LayerCache::Has(const std::string& digest, uint64_t size) const {
  struct stat st;
  if (::stat(Path(digest).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  return size == 0 || uint64_t(st.st_size) == size;
}

bool LayerCache::Fetch(Client& client, const Reference& repo, const std::string& digest, uint64_t size,
                       uint64_t max_bytes) {
  if (max_bytes == 0) throw Error(kExitInternal, "LayerCache::Fetch: no download limit given");
  if (size > max_bytes)
    throw RegistryError(RegistryError::Kind::kTooLarge, repo.Repository() + ": blob " + digest + " is " +
                                                            std::to_string(size) + " bytes, more than the limit of " +
                                                            std::to_string(max_bytes));
  if (Has(digest, size)) return false;
  const std::string final_path = Path(digest);
  const std::string blob_dir = dir_ + "/blobs/sha256";
  MkdirP(blob_dir);
  const std::string tmp = blob_dir + "/.tmp-" + digest.substr(7, 16) + "-" + RandomSuffix();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) throw IoError(tmp, std::strerror(errno));
  Sha256 hash;
  uint64_t written = 0;
  try {
    client.StreamBlob(repo, digest, [&](const void* p, size_t n) {
      if (size && written + n > size)
        throw RegistryError(RegistryError::Kind::kDigestMismatch,
                            repo.Repository() + ": blob " + digest + " is longer than its descriptor's " +
                                std::to_string(size) + " bytes");
      if (written + n > max_bytes)
        throw RegistryError(RegistryError::Kind::kTooLarge, repo.Repository() + ": blob " + digest +
                                                                " (no size in its descriptor) is larger than the limit of " +
                                                                std::to_string(max_bytes) + " bytes");
      const char* c = static_cast<const char*>(p);
      size_t left = n;
      while (left) {
        ssize_t w = ::write(fd, c, left);
        if (w < 0) {
          if (errno == EINTR) continue;
          throw IoError(tmp, std::strerror(errno));
        }
        c += w;
        left -= size_t(w);
      }
      hash.Update(p, n);
      written += n;
    });
    if (::fsync(fd) != 0) throw IoError(tmp, std::strerror(errno));
    if (::close(fd) != 0) {
      fd = -1;
      throw IoError(tmp, std::strerror(errno));
    }
    fd = -1;
    // StreamBlob verified the bytes it received; this checks the bytes that reached the disk.
    if (std::string got = hash.Digest(); got != digest)
      throw RegistryError(RegistryError::Kind::kDigestMismatch, repo.Repository() + ": blob " + digest +
                                                                    " does not match its digest (got " + got + ")");
    if (size && written != size)
      throw RegistryError(RegistryError::Kind::kDigestMismatch,
                          repo.Repository() + ": blob " + digest + " is " + std::to_string(written) +
                              " bytes but its descriptor says " + std::to_string(size));
    if (::rename(tmp.c_str(), final_path.c_str()) != 0) throw IoError(final_path, std::strerror(errno));
  } catch (...) {
    if (fd >= 0) ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  return true;
}

size_t LayerCache::Clean() {
  const std::string blob_dir = dir_ + "/blobs/sha256";
  DIR* d = ::opendir(blob_dir.c_str());
  if (!d) {
    if (errno == ENOENT) return 0;
    throw IoError(blob_dir, std::strerror(errno));
  }
  size_t removed = 0;
  while (struct dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    std::string p = blob_dir + "/" + name;
    if (::unlink(p.c_str()) == 0) {
      if (name[0] != '.') ++removed;
    } else if (errno != ENOENT) {
      int err = errno;
      ::closedir(d);
      throw IoError(p, std::strerror(err));
    }
  }
  ::closedir(d);
  return removed;
}

}  // namespace customs::registry
