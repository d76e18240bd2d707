#include "detectors/affected.h"

#include <algorithm>

#include "cvss/cvss.h"
#include "cvss/severity.h"

namespace customs {

namespace {

// OSV range evaluation (OSV schema, "Evaluation"): walk the events in version order ("0" first);
// `introduced` at or below v opens the range, `fixed` at or below v closes it, `last_affected` below
// v closes it. `limit` events bound the whole range from above.
bool InRange(const db::Range& r, const std::string& v, const version::Comparator& cmp) {
  std::vector<const db::RangeEvent*> events;
  std::vector<const db::RangeEvent*> limits;
  for (const auto& e : r.events) (e.kind == "limit" ? limits : events).push_back(&e);
  std::stable_sort(events.begin(), events.end(), [&](const db::RangeEvent* a, const db::RangeEvent* b) {
    bool az = a->version == "0" && a->kind == "introduced", bz = b->version == "0" && b->kind == "introduced";
    if (az != bz) return az;
    if (az) return false;
    return cmp.Compare(a->version, b->version) < 0;
  });
  bool affected = false;
  for (const auto* e : events) {
    if (e->kind == "introduced") {
      if (e->version == "0" || cmp.Compare(v, e->version) >= 0) affected = true;
    } else if (e->kind == "fixed") {
      if (cmp.Compare(v, e->version) >= 0) affected = false;
    } else if (e->kind == "last_affected") {
      if (cmp.Compare(v, e->version) > 0) affected = false;
    }
  }
  if (affected && !limits.empty()) {
    bool below_any = std::any_of(limits.begin(), limits.end(),
                                 [&](const db::RangeEvent* l) { return l->version == "*" || cmp.Compare(v, l->version) < 0; });
    if (!below_any) affected = false;
  }
  return affected;
}

bool HasEvaluableRanges(const db::Affected& rec) {
  return std::any_of(rec.ranges.begin(), rec.ranges.end(), [](const db::Range& r) { return r.type != "GIT"; });
}

int CvssRank(const db::CvssVector& v) {
  int rank = 0;
  if (v.source == "nvd") rank += 100;
  if (v.vector.rfind("CVSS:3", 0) == 0) rank += 30;
  else if (v.vector.rfind("CVSS:4", 0) == 0) rank += 20;
  else rank += 10;
  return rank;
}

}  // namespace

bool IsAffected(const db::Affected& rec, const std::string& installed, const version::Comparator& cmp) {
  if (rec.status == db::kStatusNotAffected) return false;
  if (std::find(rec.versions.begin(), rec.versions.end(), installed) != rec.versions.end()) return true;
  if (!rec.fixed_version.empty()) {
    if (rec.fixed_version == "0") return false;  // Alpine's "never affected"
    return cmp.Compare(installed, rec.fixed_version) < 0;
  }
  if (HasEvaluableRanges(rec)) {
    for (const auto& r : rec.ranges)
      if (r.type != "GIT" && InRange(r, installed, cmp)) return true;
    return false;
  }
  if (!rec.versions.empty()) return false;  // only an explicit list, and we are not in it
  return rec.status == db::kStatusUnfixed;
}

std::string FixedVersionFor(const db::Affected& rec, const std::string& installed, const version::Comparator& cmp) {
  if (!rec.fixed_version.empty()) return rec.fixed_version;
  std::string best;
  for (const auto& r : rec.ranges) {
    if (r.type == "GIT") continue;
    for (const auto& e : r.events)
      if (e.kind == "fixed" && cmp.Compare(installed, e.version) < 0 && (best.empty() || cmp.Compare(e.version, best) < 0))
        best = e.version;
  }
  return best;
}

DataSource DataSourceFor(const std::string& source) {
  if (source.rfind("alpine", 0) == 0) return {source, "Alpine Secdb", "https://secdb.alpinelinux.org/"};
  if (source.rfind("debian", 0) == 0) return {source, "Debian Security Tracker", "https://security-tracker.debian.org/tracker/"};
  if (source.rfind("rustsec", 0) == 0) return {source, "RustSec Advisory Database", "https://rustsec.org/"};
  if (source.rfind("osv", 0) == 0) return {source, "OSV", "https://osv.dev/"};
  if (source.rfind("nvd", 0) == 0) return {source, "NVD", "https://nvd.nist.gov/"};
  return {source, source, ""};
}

void Enrich(VulnFinding& f, const db::AdvisoryDetails* details, const std::string& feed_severity,
            const std::optional<db::KevInfo>& kev, const std::string& feed_source) {
  f.source = DataSourceFor(feed_source);
  if (details) {
    f.title = details->summary;
    f.description = details->details;
    f.published = details->published;
    f.modified = details->modified;
    f.cwes = details->cwes;
    for (const auto& r : details->references) f.references.push_back(r.url);
    for (const auto& v : details->cvss) {
      std::string err;
      auto s = cvss::Parse(v.vector, &err);
      if (!s) continue;
      f.cvss.push_back({v.source, std::string(cvss::VersionName(s->version)), s->vector, s->overall});
    }
  }
  if (kev) {
    f.kev = true;
    f.kev_date_added = kev->date_added;
  }
  // The feed's own rating for this package first (a word, or a vector), then the best CVSS.
  if (!feed_severity.empty()) {
    if (auto s = cvss::ParseSeverity(feed_severity); s && *s != Severity::kUnknown) {
      f.severity = *s;
      f.severity_source = feed_source;
      return;
    }
    if (auto s = cvss::Parse(feed_severity)) {
      f.severity = cvss::FromCvss(*s);
      f.severity_source = feed_source;
      return;
    }
  }
  if (details && !details->cvss.empty()) {
    const db::CvssVector* best = nullptr;
    for (const auto& v : details->cvss)
      if (cvss::Parse(v.vector) && (!best || CvssRank(v) > CvssRank(*best))) best = &v;
    if (best) {
      f.severity = cvss::FromCvss(*cvss::Parse(best->vector));
      f.severity_source = best->source.empty() ? "cvss" : best->source;
    }
  }
}

}  // namespace customs
