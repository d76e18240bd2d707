// Application (language) package vulnerabilities, matched through OSV ranges of each ecosystem
// (SEMVER and ECOSYSTEM ranges, versions lists, last_affected, limit) with that ecosystem's version
// order. An advisory published under several ids (GHSA, CVE, PYSEC, GO, RUSTSEC) is reported once
// per package, its other ids listed as aliases. GIT ranges are not evaluated; they are counted.
#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "core/ecosystem.h"
#include "detectors/affected.h"
#include "detectors/detector.h"

namespace customs {

namespace {

bool OnlyGitRanges(const db::Affected& rec) {
  return !rec.ranges.empty() && rec.versions.empty() && rec.fixed_version.empty() &&
         std::all_of(rec.ranges.begin(), rec.ranges.end(), [](const db::Range& r) { return r.type == "GIT"; });
}

// The id users track: a CVE when the advisory has one, else the advisory's own id.
std::string PrimaryId(const std::set<std::string>& ids, const std::string& fallback) {
  for (const auto& id : ids)
    if (id.rfind("CVE-", 0) == 0) return id;
  return fallback;
}

class LangVulns : public Detector {
 public:
  std::string_view Name() const override { return "lang_vulns"; }
  std::string_view Scanner() const override { return "vuln"; }

  void Detect(const DetectOptions& opts, ScanResult& result) const override {
    if (!opts.db) return;
    const Inventory& inv = result.inventory;
    size_t git_only = 0;
    // Advisory details, looked up once per scan (an advisory is consulted for every package and
    // finding it touches).
    std::map<std::string, std::optional<db::AdvisoryDetails>, std::less<>> details_cache;
    auto advisory = [&](const std::string& id) -> const db::AdvisoryDetails* {
      auto it = details_cache.find(id);
      if (it == details_cache.end()) it = details_cache.emplace(id, opts.db->Advisory(id, false)).first;
      return it->second ? &*it->second : nullptr;
    };
    for (size_t i = 0; i < inv.packages.size(); ++i) {
      const Package& p = inv.packages[i];
      const ecosystem::Ecosystem* e = ecosystem::ForType(p.type);
      if (!e || e->os) continue;
      const std::string eco(e->osv);
      const version::Comparator* cmp = &version::ComparatorFor(e->scheme);
      // Groups of advisories sharing an id or alias become one finding.
      struct Group {
        std::set<std::string> ids;
        std::vector<std::pair<std::string, db::Affected>> recs;
      };
      std::vector<Group> groups;
      for (auto& [adv_id, rec] : opts.db->AffectingWithIds(eco, p.name)) {
        if (OnlyGitRanges(rec)) {
          ++git_only;
          continue;
        }
        if (!IsAffected(rec, p.version, *cmp)) continue;
        std::set<std::string> ids = {adv_id};
        const db::AdvisoryDetails* details = advisory(adv_id);
        // A withdrawn advisory (OSV "withdrawn", RustSec [advisory] withdrawn) was published in error.
        if (details && !details->withdrawn.empty()) continue;
        if (details)
          for (const auto& a : details->aliases) ids.insert(a);
        Group* into = nullptr;
        for (auto it = groups.begin(); it != groups.end();) {
          bool overlap = std::any_of(ids.begin(), ids.end(), [&](const std::string& x) { return it->ids.count(x); });
          if (!overlap) {
            ++it;
            continue;
          }
          if (!into) {
            into = &*it;
            ++it;
          } else {  // the new advisory joins two groups: merge them
            into->ids.insert(it->ids.begin(), it->ids.end());
            into->recs.insert(into->recs.end(), it->recs.begin(), it->recs.end());
            size_t keep = size_t(into - groups.data());
            it = groups.erase(it);
            into = &groups[keep];
          }
        }
        if (!into) {
          groups.push_back({});
          into = &groups.back();
        }
        into->ids.insert(ids.begin(), ids.end());
        into->recs.push_back({adv_id, std::move(rec)});
      }
      for (auto& g : groups) {
        std::sort(g.recs.begin(), g.recs.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        const auto& [first_id, first_rec] = g.recs.front();
        VulnFinding f;
        f.id = PrimaryId(g.ids, first_id);
        f.package_index = i;
        f.installed_version = p.version;
        Enrich(f, advisory(first_id), first_rec.severity, opts.db->Kev(f.id), first_rec.source, /*distro_feed=*/false);
        for (const auto& id : g.ids)
          if (id != f.id) f.aliases.push_back(id);
        // The lowest fixed version above the installed one, over all the advisories of the group.
        for (const auto& [id, rec] : g.recs) {
          std::string fixed = FixedVersionFor(rec, p.version, *cmp);
          if (!fixed.empty() && (f.fixed_version.empty() || cmp->Compare(fixed, f.fixed_version) < 0)) f.fixed_version = fixed;
        }
        f.status = f.fixed_version.empty() ? FixStatus::kAffected : FixStatus::kFixed;
        result.vulnerabilities.push_back(std::move(f));
      }
    }
    if (git_only)
      result.notices.push_back({"git-ranges", std::to_string(git_only) +
                                                  " advisory records give only GIT commit ranges; they were not evaluated"});
  }
};

}  // namespace

std::unique_ptr<Detector> MakeDetector_lang_vulns() { return std::make_unique<LangVulns>(); }

}  // namespace customs
