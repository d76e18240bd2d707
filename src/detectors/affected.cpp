#include "detectors/affected.h"

#include <algorithm>

#include "cvss/cvss.h"
#include "cvss/severity.h"
#include "db/feeds/feed.h"

namespace customs {

namespace {

// OSV range evaluation (OSV schema, "Evaluation"): walk the events in version order ("0" first);
// `introduced` at or below v opens the range, `fixed` at or below v closes it, `last_affected` below
// v closes it. `limit` events bound the whole range from above. The database stores the events in
// that order (db::SortEventsForEvaluation, at build time), so this is one pass, allocating nothing.
bool InRange(const db::Range& r, const std::string& v, const version::Comparator& cmp) {
  bool affected = false, any_limit = false, below_a_limit = false;
  for (const auto& e : r.events) {
    if (e.kind == "introduced") {
      if (e.version == "0" || cmp.Compare(v, e.version) >= 0) affected = true;
    } else if (e.kind == "fixed") {
      if (cmp.Compare(v, e.version) >= 0) affected = false;
    } else if (e.kind == "last_affected") {
      if (cmp.Compare(v, e.version) > 0) affected = false;
    } else if (e.kind == "limit") {
      any_limit = true;
      below_a_limit = below_a_limit || e.version == "*" || cmp.Compare(v, e.version) < 0;
    }
  }
  return affected && (!any_limit || below_a_limit);
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
  // Names and home pages live with the feeds (db/feeds/<feed>.cpp), not here.
  if (const db::Feed* feed = db::FeedForSource(source)) return {source, feed->source_name, feed->homepage};
  return {source, source, ""};
}

void Enrich(VulnFinding& f, const db::AdvisoryDetails* details, const std::string& feed_severity,
            const std::optional<db::KevInfo>& kev, const std::string& feed_source) {
  f.source = DataSourceFor(feed_source);
  std::vector<std::optional<cvss::Score>> parsed;  // parallel to details->cvss
  if (details) {
    f.title = details->summary;
    f.description = details->details;
    f.published = details->published;
    f.modified = details->modified;
    f.cwes = details->cwes;
    for (const auto& r : details->references) f.references.push_back(r.url);
    // Each vector parsed once: for the finding's list and for the choice of severity below.
    parsed.reserve(details->cvss.size());
    for (const auto& v : details->cvss) {
      parsed.push_back(cvss::Parse(v.vector));
      const auto& sc = parsed.back();
      if (!sc) continue;
      f.cvss.push_back({v.source, std::string(cvss::VersionName(sc->version)), sc->vector, sc->overall});
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
    size_t best = parsed.size();
    for (size_t i = 0; i < parsed.size(); ++i)
      if (parsed[i] && (best == parsed.size() || CvssRank(details->cvss[i]) > CvssRank(details->cvss[best]))) best = i;
    if (best < parsed.size()) {
      f.severity = cvss::FromCvss(*parsed[best]);
      f.severity_source = details->cvss[best].source.empty() ? "cvss" : details->cvss[best].source;
    }
  }
}

}  // namespace customs
