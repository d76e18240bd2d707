#include "inventory/inventory.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <tuple>

#include <spdlog/spdlog.h>

#include "analyzers/os_release.h"
#include "core/error.h"
#include "inventory/dedupe.h"
#include "inventory/history.h"
#include "inventory/links.h"
#include "walker/squash.h"

namespace customs {

namespace {

// One database's successive states: a PackageDB per layer that rewrote it, nullptr where a layer
// deleted, hid or replaced it (or rewrote it into something unreadable).
struct History {
  std::vector<std::pair<int, const PackageDB*>> states;
};

// The layer that introduced each package of the final state (by index into its packages): the earliest
// layer of the unbroken run of states, ending with the last, that all hold the package. One set of keys
// per state, walked back from the last: linear in the packages of the states it visits.
std::vector<int> IntroducingLayers(const History& h) {
  const PackageDB& last = *h.states.back().second;
  std::vector<int> layer(last.packages.size(), h.states.back().first);
  using KeyView = std::tuple<std::string_view, std::string_view, std::string_view>;
  auto key = [](const Package& p) { return KeyView(p.name, p.version, p.arch); };
  std::vector<size_t> open(last.packages.size());  // packages whose run has not broken yet
  for (size_t i = 0; i < open.size(); ++i) open[i] = i;
  std::set<KeyView> present;
  for (size_t i = h.states.size() - 1; i-- > 0 && !open.empty();) {
    const PackageDB* db = h.states[i].second;
    if (!db) break;
    present.clear();
    for (const Package& q : db->packages) present.insert(key(q));
    std::erase_if(open, [&](size_t k) { return !present.count(key(last.packages[k])); });
    for (size_t k : open) layer[k] = h.states[i].first;
  }
  return layer;
}

// Re-reads one file from a layer: directory layers read it directly; streams are walked again.
// Rare: only for a wanted path reached through a link whose target no analyzer wanted.
std::shared_ptr<const std::string> Fetch(const LoadedSource& src, int layer, const std::string& path,
                                         const Limits& limits) {
  const LayerSource& ls = *src.streams[size_t(layer)];
  std::string out;
  if (ls.ReadFileDirect(path, limits.max_analyzed_file_bytes, out)) return std::make_shared<const std::string>(std::move(out));
  spdlog::debug("re-reading {} to fetch {}", ls.Describe(), path);
  auto stream = ls.Open();
  RawEntry raw;
  std::string norm, reason;
  std::shared_ptr<const std::string> found;
  while (stream->Next(raw)) {
    if (raw.type != FileType::kRegular || !NormalizeEntryPath(raw.path, norm, reason) || norm != path) continue;
    if (raw.size > limits.max_analyzed_file_bytes) return nullptr;
    std::string content;
    for (auto b = stream->ReadBlock(); !b.empty(); b = stream->ReadBlock()) content.append(b.data(), b.size());
    found = std::make_shared<const std::string>(std::move(content));
  }
  return found;
}

class MapView : public FileView {
 public:
  explicit MapView(const std::map<std::string, std::shared_ptr<const std::string>>& files) : files_(files) {}
  std::optional<std::string_view> Read(std::string_view path) const override {
    auto it = files_.find(std::string(path));
    if (it == files_.end()) return std::nullopt;
    return std::string_view(*it->second);
  }
  std::vector<std::string> Paths() const override {
    std::vector<std::string> out;
    for (const auto& [p, _] : files_) out.push_back(p);
    return out;
  }

 private:
  const std::map<std::string, std::shared_ptr<const std::string>>& files_;
};

}  // namespace

Inventory BuildInventory(const LoadedSource& src, const std::vector<LayerScan>& scans,
                         const std::vector<const Analyzer*>& analyzers, const Limits& limits) {
  return BuildInventory(src, scans, LayerHistory(scans), analyzers, limits);
}

Inventory BuildInventory(const LoadedSource& src, const std::vector<LayerScan>& scans, const LayerHistory& history,
                         const std::vector<const Analyzer*>& analyzers, const Limits& limits) {
  Inventory inv;
  inv.artifact = src.artifact;
  const bool is_image = src.artifact.type == ArtifactType::kContainerImage;

  std::vector<std::string> names;
  for (const auto& s : src.streams) names.push_back(s->Describe());
  SquashedView view(scans, names, limits);

  if (is_image) {
    inv.layers = src.layers;
    for (size_t i = 0; i < inv.layers.size() && i < scans.size(); ++i) {
      auto& L = inv.layers[i];
      const auto& st = scans[i].stats;
      if (st.digests_valid) {
        if (L.diff_id.empty()) L.diff_id = st.uncompressed_sha256;
        if (L.digest.empty()) L.digest = st.stored_sha256;
        L.uncompressed_size = st.uncompressed_bytes;
        if (L.size == 0) L.size = st.stored_bytes;
      }
    }
  }

  auto alive = [&](const std::string& path, int layer) {
    const ViewEntry* e = view.Find(path);
    return e && e->layer == layer &&
           (e->meta->type == FileType::kRegular || e->meta->type == FileType::kHardlink);
  };

  std::vector<OSFact> facts;
  std::vector<const PackageDB*> final_dbs;
  std::map<const PackageDB*, History> histories;  // keyed by the final PackageDB
  std::vector<const PackageAttachment*> attachments;
  std::deque<AnalysisResult> extra_results;  // results produced here (links, views); deque: stable addresses

  // 1. Per-file results whose file survives.
  std::map<std::string, std::vector<std::pair<int, const PackageDB*>>> db_by_path;
  for (const auto& scan : scans) {
    for (const auto& f : scan.result.os)
      if (alive(f.path, scan.index)) facts.push_back(f);
    for (const auto& a : scan.result.attachments)
      if (alive(a.path, scan.index)) attachments.push_back(&a);
    for (const auto& d : scan.result.diagnostics)
      if (alive(d.where, scan.index) || !view.Find(d.where)) inv.diagnostics.push_back(d);
    for (const auto& db : scan.result.package_dbs) db_by_path[db.path].push_back({scan.index, &db});
  }
  // Each database's states from its path's history: the analyzed database where a layer wrote one,
  // nullptr where a layer deleted, hid or replaced it or wrote something unreadable there (attribution
  // stops there). One state per layer.
  for (auto& [path, states] : db_by_path) {
    const int last_layer = states.back().first;
    const PackageDB* last_db = states.back().second;
    if (!alive(path, last_layer)) continue;
    History h;
    std::map<int, const PackageDB*> by_layer(states.begin(), states.end());
    for (const PathEvent& e : history.Events(path)) {
      if (e.layer > last_layer) break;
      if (!h.states.empty() && h.states.back().first == e.layer) continue;
      auto it = by_layer.find(e.layer);
      h.states.push_back({e.layer, it != by_layer.end() ? it->second : nullptr});
    }
    final_dbs.push_back(last_db);
    histories[last_db] = std::move(h);
  }

  // 2. Wanted paths that are links in the final view: analyze their targets under the link's name.
  std::vector<const Analyzer*> per_file, view_analyzers;
  for (const Analyzer* a : analyzers) (a->NeedsView() ? view_analyzers : per_file).push_back(a);
  for (const auto& [path, entry] : view.Entries()) {
    const FileType t = entry.meta->type;
    if (t != FileType::kSymlink && t != FileType::kHardlink) continue;
    FileMeta as_file = *entry.meta;
    as_file.type = FileType::kRegular;
    std::vector<const Analyzer*> wanting;
    for (const Analyzer* a : per_file)
      if (a->Wants(path, as_file)) wanting.push_back(a);
    if (wanting.empty()) continue;
    if (t == FileType::kHardlink && history.Kept(entry.layer, path)) continue;  // analyzed during the walk
    std::string target;
    auto res = view.Resolve(path, target);
    if (res == SquashedView::Resolution::kLoop)
      throw InputError(names.empty() ? src.artifact.name : names[size_t(entry.layer)],
                       "symlink loop while resolving '" + std::string(path) + "' (more than " +
                           std::to_string(limits.max_symlink_hops) + " links)");
    if (res == SquashedView::Resolution::kMissing) {
      spdlog::debug("{}: link to missing '{}', not analyzed", path, target);
      continue;
    }
    const ViewEntry* te = view.Find(target);
    if (!te || te->meta->type != FileType::kRegular) continue;
    auto content = history.Kept(te->layer, target);
    if (!content) content = Fetch(src, te->layer, target, limits);
    if (!content) continue;
    int layer = std::max(entry.layer, te->layer);
    AnalysisResult r;
    for (const Analyzer* a : wanting)
      InvokeAnalyzer(*a, path, r, [&, &p = path] { a->Analyze(AnalysisInput{p, *content, layer}, r); });
    extra_results.push_back(std::move(r));
    const AnalysisResult& kept = extra_results.back();
    for (const auto& f : kept.os) facts.push_back(f);
    for (const auto& a : kept.attachments) attachments.push_back(&a);
    for (const auto& d : kept.diagnostics) inv.diagnostics.push_back(d);
    for (const auto& db : kept.package_dbs) {
      final_dbs.push_back(&db);
      histories[&db].states.push_back({layer, &db});
    }
  }

  // 3. View analyzers: one call per layer that changed any of their files.
  for (const Analyzer* a : view_analyzers) {
    std::map<std::string, std::shared_ptr<const std::string>> state;
    std::vector<std::pair<int, size_t>> calls;  // layer, index into extra_results (or SIZE_MAX: empty)
    for (const auto& scan : scans) {
      bool changed = false;
      for (auto it = state.begin(); it != state.end();) {
        const auto events = history.Events(it->first);
        if (std::any_of(events.begin(), events.end(), [&](const PathEvent& e) {
              return e.layer == scan.index && (e.state == PathState::kDeleted || e.state == PathState::kHidden);
            })) {
          it = state.erase(it);
          changed = true;
        } else {
          ++it;
        }
      }
      for (const auto& k : scan.kept) {
        FileMeta m;
        m.path = k.path;
        m.size = k.content->size();
        if (a->Wants(k.path, m)) {
          state[k.path] = k.content;
          changed = true;
        }
      }
      if (!changed) continue;
      if (state.empty()) {
        calls.push_back({scan.index, SIZE_MAX});
        continue;
      }
      AnalysisResult r;
      MapView mv(state);
      InvokeAnalyzer(*a, a->Name(), r, [&] { a->AnalyzeView(mv, scan.index, r); });
      extra_results.push_back(std::move(r));
      calls.push_back({scan.index, extra_results.size() - 1});
    }
    if (calls.empty() || calls.back().second == SIZE_MAX) continue;
    const AnalysisResult& last = extra_results[calls.back().second];
    for (const auto& f : last.os) facts.push_back(f);
    for (const auto& at : last.attachments) attachments.push_back(&at);
    for (const auto& d : last.diagnostics) inv.diagnostics.push_back(d);
    for (const auto& db : last.package_dbs) {
      History h;
      for (const auto& [layer, idx] : calls) {
        const PackageDB* state_db = nullptr;
        if (idx != SIZE_MAX)
          for (const auto& d : extra_results[idx].package_dbs)
            if (d.path == db.path) state_db = &d;
        h.states.push_back({layer, state_db});
      }
      final_dbs.push_back(&db);
      histories[&db] = std::move(h);
    }
  }

  // 4. Assemble.
  inv.os = MergeOSFacts(facts);
  for (const PackageDB* db : final_dbs) {
    const std::vector<int> layers = is_image ? IntroducingLayers(histories[db]) : std::vector<int>();
    for (size_t k = 0; k < db->packages.size(); ++k) {
      Package q = db->packages[k];
      if (q.type.empty()) q.type = db->type;
      if (q.db_path.empty()) q.db_path = db->path;
      q.layer = is_image ? layers[k] : -1;
      inv.packages.push_back(std::move(q));
    }
  }
  std::map<std::pair<std::string, std::string>, std::vector<Package*>> by_name;
  for (auto& p : inv.packages) by_name[{p.type, p.name}].push_back(&p);
  for (const PackageAttachment* a : attachments) {
    std::string name = a->package, arch;
    if (auto colon = name.find(':'); colon != std::string::npos) {
      arch = name.substr(colon + 1);
      name.resize(colon);
    }
    auto it = by_name.find({a->type, name});
    if (it == by_name.end()) continue;
    for (Package* p : it->second) {
      if (!arch.empty() && p->arch != arch && arch != "all" && p->arch != "all") continue;
      p->files.insert(p->files.end(), a->files.begin(), a->files.end());
      for (const auto& l : a->licenses)
        if (std::find(p->licenses.begin(), p->licenses.end(), l) == p->licenses.end()) p->licenses.push_back(l);
    }
  }
  for (auto& p : inv.packages) {
    std::sort(p.files.begin(), p.files.end());
    p.files.erase(std::unique(p.files.begin(), p.files.end()), p.files.end());
  }
  LinkInstalledPackages(inv.packages, [&view](const std::string& path) -> std::optional<std::string> {
    std::string target;
    if (view.Resolve(path, target) != SquashedView::Resolution::kFound) return std::nullopt;
    const ViewEntry* e = view.Find(target);
    if (!e || (e->meta->type != FileType::kRegular && e->meta->type != FileType::kHardlink)) return std::nullopt;
    return target;
  });
  // After linking: the installed copies' dependencies are pinned by now, and the lockfile's are its own.
  MergeInstalledNpmIntoLockfiles(inv.packages);
  std::sort(inv.packages.begin(), inv.packages.end(), [](const Package& a, const Package& b) {
    return std::tie(a.type, a.name, a.version, a.arch, a.db_path) < std::tie(b.type, b.name, b.version, b.arch, b.db_path);
  });
  for (const auto& [path, e] : view.Entries())
    if (e.meta->type == FileType::kRegular || e.meta->type == FileType::kHardlink) ++inv.file_count;
  return inv;
}

}  // namespace customs
