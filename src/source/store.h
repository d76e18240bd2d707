// Blob stores: the members of an image archive, whether it is a tar (read in place with libarchive,
// never extracted) or a directory (opened component by component without following symlinks, so
// nothing outside it is ever read). Internal to src/source.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/limits.h"
#include "source/streams.h"

namespace customs::source_detail {

// Cleans a member name written in image metadata: drops "." and empty components; refuses empty
// names, absolute names, ".." components and NUL bytes. Returns false with `reason`.
bool CleanMemberName(std::string_view raw, std::string& out, std::string& reason);

// Error messages quote untrusted names: keep them printable and bounded.
std::string PrintableName(std::string_view s);

struct Member {
  std::string name;   // canonical: cleaned, symlinks inside the store resolved
  uint64_t size = 0;  // stored size in bytes
};

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  BlobStore(const BlobStore&) = delete;
  BlobStore& operator=(const BlobStore&) = delete;

  const std::string& path() const { return path_; }
  virtual bool is_directory() const = 0;
  // How messages name a member: "image.tar:blobs/sha256/ab..", or "layout/blobs/sha256/ab..".
  std::string Where(std::string_view member) const;

  // Looks up a member named in metadata; nullopt when it does not exist. Throws InputError naming
  // the member for a name that is absolute or contains "..", that leaves the store through a
  // symlink, loops, names a directory or something other than a regular file, or (in a tar) appears
  // more than once.
  std::optional<Member> Find(std::string_view name) const;

  // The whole member; InputError when it is larger than `max_bytes`.
  virtual std::string Read(const Member& m, uint64_t max_bytes) const = 0;
  // Its first bytes (up to 8), to recognise the compression.
  virtual std::string Head(const Member& m) const = 0;
  // A factory of independent ByteSources over the member: each call opens its own handle, so
  // several threads may stream members at once. The factory keeps what it needs alive.
  virtual std::function<std::unique_ptr<ByteSource>()> Opener(const Member& m) const = 0;

 protected:
  explicit BlobStore(std::string path) : path_(std::move(path)) {}

  enum class Kind { kMissing, kRegular, kDirectory, kSymlink, kHardlink, kOther, kAmbiguous };
  struct Node {
    Kind kind = Kind::kMissing;
    uint64_t size = 0;
    std::string link;  // symlink target as written, or hardlink target (a member name)
  };
  // One path component at a time: `canonical` never goes through a symlink.
  virtual Node Lookup(const std::string& canonical) const = 0;

  std::string path_;
};

// A tar, possibly compressed as a whole (gzip, bzip2, xz, zstd). Scans its headers once, keeping
// small members in memory; larger members are re-read in place on demand. Throws InputError when the
// file is not a tar or is truncated, IoError when it cannot be read.
std::unique_ptr<BlobStore> OpenTarStore(const std::string& path);
// A directory. Throws IoError when it cannot be opened.
std::unique_ptr<BlobStore> OpenDirStore(const std::string& path);

}  // namespace customs::source_detail
