// The squashed view: the layers applied in order (whiteouts, opaque directories, replacements,
// hardlinks), each path remembering the layer that last wrote it.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/limits.h"
#include "walker/walker.h"

namespace customs {

struct ViewEntry {
  int layer = 0;
  const FileMeta* meta = nullptr;  // points into the LayerScan that wrote it
};

class SquashedView {
 public:
  // `names[i]` describes layer i in error messages. Throws InputError for a hardlink whose target
  // does not exist (or is a directory) at the point the link is applied.
  SquashedView(const std::vector<LayerScan>& scans, const std::vector<std::string>& names, const Limits& limits);

  const ViewEntry* Find(std::string_view path) const;
  // Keys view the paths of the LayerScans' entries (which outlive the view).
  const std::map<std::string_view, ViewEntry>& Entries() const { return entries_; }

  enum class Resolution { kFound, kMissing, kLoop };
  // Follows symlinks in every component (and a hardlink at the end) without ever leaving the root:
  // ".." at the root stays at the root and absolute targets start from the image root, as the
  // kernel does under chroot. `resolved` is the final path. kLoop after limits.max_symlink_hops.
  Resolution Resolve(std::string_view path, std::string& resolved) const;

 private:
  void EraseSubtree(std::string_view dir);
  std::map<std::string_view, ViewEntry> entries_;
  Limits limits_;
};

}  // namespace customs
