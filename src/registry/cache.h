// The content-addressed layer cache shared by all scans: <dir>/blobs/sha256/<hex>. A blob is written
// to a temp file in the same directory, verified against its digest, then renamed into place, so
// concurrent scans never see a partial blob (the last rename wins; both contents are identical).
#pragma once

#include <cstdint>
#include <string>

#include "registry/client.h"

namespace customs::registry {

class LayerCache {
 public:
  explicit LayerCache(std::string dir);  // empty: DefaultDir()
  // ${XDG_CACHE_HOME:-~/.cache}/customs/layers
  static std::string DefaultDir();
  const std::string& dir() const { return dir_; }

  // <dir>/blobs/sha256/<hex> (digest must be a sha256 digest).
  std::string Path(const std::string& digest) const;
  // Present with the expected size (size 0: any).
  bool Has(const std::string& digest, uint64_t size = 0) const;
  // Downloads the blob through `client` unless present; returns true when it downloaded. `size` is the
  // descriptor's (0: not given); whether or not it is given, the download stops with kTooLarge past
  // `max_bytes` (the caller's layer limit), so a registry cannot fill the disk with an endless blob.
  bool Fetch(Client& client, const Reference& repo, const std::string& digest, uint64_t size, uint64_t max_bytes);
  // Removes every cached blob and leftover temp file; returns the number of blobs removed.
  size_t Clean();

 private:
  std::string dir_;
};

}  // namespace customs::registry
