// OS package vulnerabilities, matched the way each distribution publishes them: Debian and Ubuntu by
// source package and release, Alpine by origin package and branch, rpm distributions by package name
// and release.
#include <map>
#include <memory>
#include <set>

#include <spdlog/spdlog.h>

#include "core/distro.h"
#include "core/ecosystem.h"
#include "db/schema.h"
#include "detectors/affected.h"
#include "detectors/detector.h"
#include "detectors/eol.h"

namespace customs {

namespace {

// The table entry of an OS package type (apk, dpkg, rpm); nullptr for application packages.
const ecosystem::Ecosystem* OsEcosystem(const std::string& pkg_type) {
  const ecosystem::Ecosystem* e = ecosystem::ForType(pkg_type);
  return e && e->os ? e : nullptr;
}

bool IsCveLike(const std::string& id) { return id.rfind("CVE-", 0) == 0; }

class OsVulns : public Detector {
 public:
  std::string_view Name() const override { return "os_vulns"; }
  std::string_view Scanner() const override { return "vuln"; }

  void Detect(const DetectOptions& opts, ScanResult& result) const override {
    const Inventory& inv = result.inventory;
    bool any_os_pkg = false;
    for (const auto& p : inv.packages) any_os_pkg |= OsEcosystem(p.type) != nullptr;
    if (!any_os_pkg || !opts.db) return;
    if (!inv.os) {
      result.notices.push_back({"no-os", "OS packages found but the OS was not detected: OS packages were not matched"});
      return;
    }
    const OSInfo& os = *inv.os;
    // The key the builder stores for this release: both sides come from core/distro.h's table.
    const std::string eco = distro::ReleaseKey(os);
    const std::string label = os.family + " " + os.version;
    if (auto eol = EndOfLife(os); eol && !opts.today.empty() && *eol < opts.today)
      result.notices.push_back({"eol", label + ": this release reached its end of life on " + *eol +
                                           "; it gets no more security fixes"});
    if (!opts.db->HasEcosystem(eco)) {
      const distro::Distro* d = distro::ForFamily(os.family);
      std::string why;
      if (!d || d->feeds.empty())
        why = "; customs knows no feed for this distribution";
      else
        why = "; the feeds that cover " + std::string(d->name.substr(0, d->name.find(" ("))) + " are " +
              std::string(d->feeds) + " (" + std::string(d->versions) + ")";
      result.notices.push_back({"no-data", label + ": no vulnerability data covers this release (" + eco +
                                               "); its OS packages were not checked" + why});
      return;
    }

    std::map<std::string, std::vector<std::pair<std::string, db::Affected>>> by_source_pkg;
    std::map<std::string, std::optional<db::AdvisoryDetails>> details_cache;
    auto details = [&](const std::string& id) -> const db::AdvisoryDetails* {
      auto it = details_cache.find(id);
      if (it == details_cache.end()) it = details_cache.emplace(id, opts.db->Advisory(id, false)).first;
      return it->second ? &*it->second : nullptr;
    };

    // (package index, finding id) -> finding, merged over advisories naming the same id.
    std::map<std::pair<size_t, std::string>, VulnFinding> merged;
    for (size_t i = 0; i < inv.packages.size(); ++i) {
      const Package& p = inv.packages[i];
      const ecosystem::Ecosystem* e = OsEcosystem(p.type);
      if (!e) continue;
      const version::Comparator* cmp = &version::ComparatorFor(e->scheme);
      // Debian/Ubuntu and Alpine publish by source package (origin); rpm distributions by name.
      const bool by_source = e->by_source && !p.src_name.empty();
      const std::string name = by_source ? p.src_name : p.name;
      const std::string installed = by_source && !p.src_version.empty() ? p.src_version : p.version;
      auto it = by_source_pkg.find(name);
      if (it == by_source_pkg.end()) it = by_source_pkg.emplace(name, opts.db->AffectingWithIds(eco, name)).first;
      for (const auto& [adv_id, rec] : it->second) {
        if (!IsAffected(rec, installed, *cmp)) continue;
        const db::AdvisoryDetails* adv = details(adv_id);
        // A distro advisory (DSA/DLA) covering CVEs yields one finding per CVE, as the CVE is
        // what users track; the advisory becomes an alias.
        std::vector<std::string> ids;
        if (!IsCveLike(adv_id) && adv)
          for (const auto& a : adv->aliases)
            if (IsCveLike(a)) ids.push_back(a);
        if (ids.empty()) ids.push_back(adv_id);
        const std::string fixed = FixedVersionFor(rec, installed, *cmp);
        for (const auto& id : ids) {
          auto key = std::make_pair(i, id);
          auto m = merged.find(key);
          if (m == merged.end()) {
            VulnFinding f;
            f.id = id;
            f.package_index = i;
            f.installed_version = p.version;
            const db::AdvisoryDetails* d = id == adv_id ? adv : details(id);
            Enrich(f, d ? d : adv, rec.severity, opts.db->Kev(id), rec.source);
            if (adv && id != adv_id) f.aliases.push_back(adv_id);
            if (adv && id == adv_id)
              for (const auto& a : adv->aliases) f.aliases.push_back(a);
            f.fixed_version = fixed;
            f.status = !fixed.empty() ? FixStatus::kFixed
                       : (rec.status_note == "no-dsa" || rec.status_note == "ignored") ? FixStatus::kWillNotFix
                                                                                       : FixStatus::kAffected;
            merged.emplace(key, std::move(f));
          } else {
            VulnFinding& f = m->second;
            if (id != adv_id && std::find(f.aliases.begin(), f.aliases.end(), adv_id) == f.aliases.end())
              f.aliases.push_back(adv_id);
            if (!fixed.empty() && (f.fixed_version.empty() || cmp->Compare(fixed, f.fixed_version) > 0)) {
              f.fixed_version = fixed;
              f.status = FixStatus::kFixed;
            }
          }
        }
      }
    }
    for (auto& [key, f] : merged) {
      std::sort(f.aliases.begin(), f.aliases.end());
      f.aliases.erase(std::unique(f.aliases.begin(), f.aliases.end()), f.aliases.end());
      result.vulnerabilities.push_back(std::move(f));
    }
  }
};

}  // namespace

std::unique_ptr<Detector> MakeDetector_os_vulns() { return std::make_unique<OsVulns>(); }

}  // namespace customs
