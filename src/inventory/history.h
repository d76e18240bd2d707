// Where each path stands after each layer: built once from every layer's entries, read by the
// inventory (package database histories, kept copies), the configuration files of the final view and
// the secret matches a later layer removed. The squashed view (walker/squash.h) answers "what is in
// the final view"; this answers "what happened to this path, layer by layer".
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "walker/walker.h"

namespace customs {

enum class PathState {
  kWritten,   // an entry of the layer at the path (of any type: `meta` says which)
  kDeleted,   // a whiteout of the path or of a directory above it
  kHidden,    // an opaque directory above it
  kReplaced,  // something other than a directory written at a path above it
};

struct PathEvent {
  int layer = 0;
  PathState state = PathState::kWritten;
  const FileMeta* meta = nullptr;  // kWritten: the layer's (last) entry at the path
};

class LayerHistory {
 public:
  // One pass over the layers in order. In a layer, its whiteouts and opaque directories apply first
  // (to the lower layers only, wherever they stand in the layer's tar), then its entries in stream
  // order. A path that is already gone records no further deletion until it is written again.
  // Holds views into `scans`, which must outlive it.
  explicit LayerHistory(const std::vector<LayerScan>& scans);

  // The events of `path` in layer order; empty when no layer wrote it.
  std::span<const PathEvent> Events(std::string_view path) const;
  // The write of `path` that stands after the last layer, or nullptr when it was never written or a
  // later layer deleted, hid or replaced it.
  const PathEvent* Final(std::string_view path) const;
  // Every written path, in sorted order.
  void ForEachPath(const std::function<void(std::string_view)>& fn) const;
  // The content a view analyzer kept of `path` in layer `layer` (the last copy, as the tar's last
  // entry wins), or nullptr.
  std::shared_ptr<const std::string> Kept(int layer, std::string_view path) const;

 private:
  // A single layer without whiteouts and without entries below a file (every directory tree, most
  // root filesystem tarballs) has one event per path: a sorted flat list answers it, without a map
  // node and an event vector per path (86,000 of each for the fs benchmark's tree).
  bool BuildFlat(const std::vector<LayerScan>& scans);
  std::vector<std::pair<std::string_view, PathEvent>> flat_;  // sorted by path, one per path
  bool flat_mode_ = false;
  std::map<std::string_view, std::vector<PathEvent>> paths_;
  std::vector<std::unordered_map<std::string_view, const CapturedFile*>> kept_;  // per layer
};

}  // namespace customs
