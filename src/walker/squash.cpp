#include "walker/squash.h"

#include <deque>

#include "core/error.h"

namespace customs {

namespace {

void Split(std::string_view p, std::deque<std::string>& out, bool front) {
  std::vector<std::string> comps;
  size_t i = 0;
  while (i <= p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string_view::npos) j = p.size();
    if (j > i) comps.emplace_back(p.substr(i, j - i));
    i = j + 1;
  }
  if (front)
    out.insert(out.begin(), comps.begin(), comps.end());
  else
    out.insert(out.end(), comps.begin(), comps.end());
}

}  // namespace

void SquashedView::EraseSubtree(std::string_view dir) {
  if (dir.empty()) {
    entries_.clear();
    return;
  }
  std::string prefix(dir);
  prefix.push_back('/');
  auto it = entries_.lower_bound(prefix);
  while (it != entries_.end() && it->first.substr(0, prefix.size()) == prefix) it = entries_.erase(it);
}

SquashedView::SquashedView(const std::vector<LayerScan>& scans, const std::vector<std::string>& names,
                           const Limits& limits)
    : limits_(limits) {
  for (size_t l = 0; l < scans.size(); ++l) {
    const auto& entries = scans[l].entries;
    // Deletions apply to the lower layers only, whatever their position in this layer's tar.
    for (const FileMeta& m : entries) {
      if (m.type == FileType::kWhiteout) {
        entries_.erase(m.path);
        EraseSubtree(m.path);
      } else if (m.type == FileType::kOpaqueWhiteout) {
        EraseSubtree(m.path);
      }
    }
    // Layers list a directory's entries together and mostly in order, so the place after the previous
    // insertion is usually the right one: checking that costs two comparisons instead of a descent
    // (long shared prefixes make each comparison expensive on big trees).
    auto hint = entries_.end();
    auto locate = [&](std::string_view path) {
      if ((hint == entries_.end() || path <= hint->first) && (hint == entries_.begin() || std::prev(hint)->first < path))
        return hint;
      return entries_.lower_bound(path);
    };
    for (const FileMeta& m : entries) {
      if (m.type == FileType::kWhiteout || m.type == FileType::kOpaqueWhiteout) continue;
      auto it = locate(m.path);
      if (it != entries_.end() && it->first == m.path && it->second.meta->type == FileType::kDirectory &&
          m.type != FileType::kDirectory) {
        EraseSubtree(m.path);  // a file replacing a directory hides what was below it
        it = entries_.lower_bound(m.path);
      }
      if (m.type == FileType::kHardlink) {
        const ViewEntry* target = Find(m.link);
        std::string where = l < names.size() ? names[l] : "layer " + std::to_string(l);
        if (!target)
          throw InputError(where, "hardlink '" + m.path + "' points to missing target '" + m.link + "'");
        if (target->meta->type == FileType::kDirectory)
          throw InputError(where, "hardlink '" + m.path + "' points to a directory '" + m.link + "'");
      }
      // An existing key keeps viewing a lower layer's equal path: every LayerScan outlives the view.
      if (it != entries_.end() && it->first == m.path) it->second = ViewEntry{int(l), &m};
      else it = entries_.emplace_hint(it, std::string_view(m.path), ViewEntry{int(l), &m});
      hint = std::next(it);
    }
  }
}

const ViewEntry* SquashedView::Find(std::string_view path) const {
  auto it = entries_.find(path);
  return it == entries_.end() ? nullptr : &it->second;
}

SquashedView::Resolution SquashedView::Resolve(std::string_view path, std::string& resolved) const {
  std::deque<std::string> todo;
  Split(path, todo, false);
  std::vector<std::string> stack;
  int hops = 0;
  auto joined = [&](const std::string* extra) {
    std::string s;
    for (const auto& c : stack) {
      if (!s.empty()) s.push_back('/');
      s += c;
    }
    if (extra) {
      if (!s.empty()) s.push_back('/');
      s += *extra;
    }
    return s;
  };
  while (!todo.empty()) {
    std::string c = std::move(todo.front());
    todo.pop_front();
    if (c.empty() || c == ".") continue;
    if (c == "..") {
      if (!stack.empty()) stack.pop_back();
      continue;
    }
    std::string candidate = joined(&c);
    const ViewEntry* e = Find(candidate);
    if (!e) {
      resolved = candidate;
      return Resolution::kMissing;
    }
    if (e->meta->type == FileType::kSymlink) {
      if (++hops > limits_.max_symlink_hops) {
        resolved = candidate;
        return Resolution::kLoop;
      }
      const std::string& target = e->meta->link;
      if (!target.empty() && target.front() == '/') stack.clear();
      Split(target, todo, true);
      continue;
    }
    if (e->meta->type == FileType::kHardlink && todo.empty()) {
      if (++hops > limits_.max_symlink_hops) {
        resolved = candidate;
        return Resolution::kLoop;
      }
      stack.clear();
      Split(e->meta->link, todo, true);
      continue;
    }
    if (!todo.empty() && e->meta->type != FileType::kDirectory) {
      resolved = candidate;
      return Resolution::kMissing;  // a non-directory in the middle of the path
    }
    stack.push_back(std::move(c));
  }
  resolved = joined(nullptr);
  return Resolution::kFound;
}

}  // namespace customs
