#include "inventory/history.h"

#include <algorithm>

namespace customs {

namespace {

bool Gone(const std::vector<PathEvent>& events) { return events.empty() || events.back().state != PathState::kWritten; }

}  // namespace

bool LayerHistory::BuildFlat(const std::vector<LayerScan>& scans) {
  if (scans.size() != 1) return false;
  const auto& entries = scans[0].entries;
  flat_.reserve(entries.size());
  bool sorted = true;
  for (const FileMeta& m : entries) {
    if (m.type == FileType::kWhiteout || m.type == FileType::kOpaqueWhiteout) {
      flat_.clear();
      return false;
    }
    if (!flat_.empty() && !(flat_.back().first < m.path)) sorted = false;
    flat_.push_back({std::string_view(m.path), PathEvent{0, PathState::kWritten, &m}});
  }
  // Stable: of several entries at one path, the tar's last one wins (kept below).
  if (!sorted)
    std::stable_sort(flat_.begin(), flat_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  size_t out = 0;
  for (size_t i = 0; i < flat_.size(); ++i) {
    if (out > 0 && flat_[out - 1].first == flat_[i].first) flat_[out - 1] = flat_[i];
    else flat_[out++] = flat_[i];
  }
  flat_.resize(out);
  // Something written below a non-directory ("a" a file, then "a/b") needs the full rules.
  for (size_t i = 0; i + 1 < flat_.size(); ++i) {
    const std::string_view p = flat_[i].first, next = flat_[i + 1].first;
    if (flat_[i].second.meta->type != FileType::kDirectory && next.size() > p.size() && next.starts_with(p) &&
        next[p.size()] == '/') {
      flat_.clear();
      flat_.shrink_to_fit();
      return false;
    }
  }
  return true;
}

void LayerHistory::ForEachPath(const std::function<void(std::string_view)>& fn) const {
  if (flat_mode_) {
    for (const auto& [path, e] : flat_) fn(path);
    return;
  }
  for (const auto& [path, events] : paths_) fn(path);
}

LayerHistory::LayerHistory(const std::vector<LayerScan>& scans) : kept_(scans.size()) {
  if (BuildFlat(scans)) {
    flat_mode_ = true;
    for (const CapturedFile& k : scans[0].kept) kept_[0][k.path] = &k;  // the last copy wins
    return;
  }
  // Every path at or under `dir` still standing (the dir itself when `self`; everything when `dir` is
  // empty) gets `state` in layer `layer`.
  auto mark_under = [&](std::string_view dir, bool self, int layer, PathState state) {
    auto it = paths_.begin();
    std::string prefix;
    if (!dir.empty()) {
      if (self)
        if (auto s = paths_.find(dir); s != paths_.end() && !Gone(s->second)) s->second.push_back({layer, state, nullptr});
      prefix.assign(dir).push_back('/');
      it = paths_.lower_bound(prefix);
    }
    for (; it != paths_.end() && it->first.substr(0, prefix.size()) == prefix; ++it)
      if (!Gone(it->second)) it->second.push_back({layer, state, nullptr});
  };
  for (size_t l = 0; l < scans.size(); ++l) {
    const int layer = int(l);
    const auto& entries = scans[l].entries;
    for (const FileMeta& m : entries) {
      if (m.type == FileType::kWhiteout) mark_under(m.path, true, layer, PathState::kDeleted);
      else if (m.type == FileType::kOpaqueWhiteout) mark_under(m.path, false, layer, PathState::kHidden);
    }
    // Layers list a directory's entries together and mostly in order (as in walker/squash.cpp): the
    // place after the previous insertion is usually the right one.
    auto hint = paths_.end();
    for (const FileMeta& m : entries) {
      if (m.type == FileType::kWhiteout || m.type == FileType::kOpaqueWhiteout) continue;
      auto it = (hint == paths_.end() || m.path <= hint->first) && (hint == paths_.begin() || std::prev(hint)->first < m.path)
                    ? hint
                    : paths_.lower_bound(m.path);
      if (it == paths_.end() || it->first != m.path) it = paths_.emplace_hint(it, std::string_view(m.path), std::vector<PathEvent>{});
      auto& events = it->second;
      if (!events.empty() && events.back().layer == layer && events.back().state == PathState::kWritten)
        events.back().meta = &m;  // the tar's last entry of a path wins
      else
        events.push_back({layer, PathState::kWritten, &m});
      hint = std::next(it);
      // Nothing stands below a file. Keys between "a" and "a/" all start with "a": when the next one
      // does not, nothing is below it (the common case, without a second lookup).
      if (m.type != FileType::kDirectory && hint != paths_.end() && hint->first.starts_with(m.path))
        mark_under(m.path, false, layer, PathState::kReplaced);
    }
    for (const CapturedFile& k : scans[l].kept) kept_[l][k.path] = &k;  // the last copy wins
  }
}

std::span<const PathEvent> LayerHistory::Events(std::string_view path) const {
  if (flat_mode_) {
    auto it = std::lower_bound(flat_.begin(), flat_.end(), path,
                               [](const auto& e, std::string_view p) { return e.first < p; });
    if (it == flat_.end() || it->first != path) return {};
    return std::span<const PathEvent>(&it->second, 1);
  }
  auto it = paths_.find(path);
  if (it == paths_.end()) return {};
  return it->second;
}

const PathEvent* LayerHistory::Final(std::string_view path) const {
  if (flat_mode_) {
    auto events = Events(path);
    return events.empty() ? nullptr : &events.front();
  }
  auto it = paths_.find(path);
  if (it == paths_.end() || Gone(it->second)) return nullptr;
  return &it->second.back();
}

std::shared_ptr<const std::string> LayerHistory::Kept(int layer, std::string_view path) const {
  if (layer < 0 || size_t(layer) >= kept_.size()) return nullptr;
  auto it = kept_[size_t(layer)].find(path);
  return it == kept_[size_t(layer)].end() ? nullptr : it->second->content;
}

}  // namespace customs
