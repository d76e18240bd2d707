#include "detectors/affected.h"

#include <algorithm>
#include <tuple>

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

// Rating classes, best first after a distribution's own rating (docs/risk.md, "Severity"): NVD's
// primary assessment; the feed's own vector (GHSA, OSV, RustSec: the CNA for its ecosystem); a CNA's
// vector that NVD carries as "Secondary" ("nvd:<source>").
int CvssClass(const std::string& source) {
  if (source == "nvd") return 3;
  if (source.rfind("nvd:", 0) == 0) return 1;
  return 2;
}

// Within a class the newest CVSS version wins: v4.0 > v3.1 > v3.0 > v2.
int VersionRank(cvss::Version v) {
  switch (v) {
    case cvss::Version::kV4_0: return 4;
    case cvss::Version::kV3_1: return 3;
    case cvss::Version::kV3_0: return 2;
    default: return 1;
  }
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

std::string TitleFromDescription(std::string_view d) {
  // The first sentence: up to the first ". " (or the end), cut at a word boundary to 100 characters.
  while (!d.empty() && (d.front() == ' ' || d.front() == '\n' || d.front() == '\t')) d.remove_prefix(1);
  size_t end = d.size();
  for (size_t i = 0; i + 1 < d.size(); ++i)
    if (d[i] == '.' && (d[i + 1] == ' ' || d[i + 1] == '\n')) {
      end = i;
      break;
    }
  if (end == d.size() && !d.empty() && d.back() == '.') end = d.size() - 1;
  std::string t(d.substr(0, end));
  for (char& c : t)
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
  constexpr size_t kMax = 100;
  if (t.size() > kMax) {
    size_t cut = t.rfind(' ', kMax - 3);
    if (cut == std::string::npos || cut < kMax / 2) cut = kMax - 3;
    // Never split a UTF-8 sequence.
    while (cut > 0 && (static_cast<unsigned char>(t[cut]) & 0xC0) == 0x80) --cut;
    t = t.substr(0, cut) + "...";
  }
  return t;
}

void Enrich(VulnFinding& f, const db::AdvisoryDetails* details, const std::string& feed_severity,
            const std::optional<db::KevInfo>& kev, const std::string& feed_source, bool distro_feed) {
  f.source = DataSourceFor(feed_source);
  std::vector<std::optional<cvss::Score>> parsed;  // parallel to details->cvss
  if (details) {
    f.title = details->summary;
    f.description = details->details;
    f.published = details->published;
    f.modified = details->modified;
    // NVD's record fills what the feed leaves empty (Alpine's secdb and Debian's tracker give no
    // text; many OSV records no summary).
    if (f.description.empty()) f.description = details->nvd_description;
    if (f.title.empty() && !f.description.empty()) f.title = TitleFromDescription(f.description);
    if (f.published.empty()) f.published = details->nvd_published;
    if (f.modified.empty()) f.modified = details->nvd_modified;
    f.cwes = details->cwes;
    for (const auto& r : details->references) f.references.push_back(r.url);
    if (details->epss) {
      f.epss = details->epss->score;
      f.epss_percentile = details->epss->percentile;
    }
    // Each vector parsed once: for the finding's list and for the choice of severity below.
    parsed.reserve(details->cvss.size());
    for (const auto& v : details->cvss) {
      parsed.push_back(cvss::Parse(v.vector));
      const auto& sc = parsed.back();
      if (!sc) continue;
      f.cvss.push_back({v.source.empty() ? feed_source : v.source, std::string(cvss::VersionName(sc->version)),
                        sc->vector, sc->overall});
    }
  }
  if (kev) {
    f.kev = true;
    f.kev_date_added = kev->date_added;
  }
  // 1. A distribution's own rating word for this package (Debian urgency, Ubuntu priority, Red Hat
  //    and SUSE severity).
  std::optional<Severity> feed_word;
  if (!feed_severity.empty())
    if (auto s = cvss::ParseSeverity(feed_severity); s && *s != Severity::kUnknown) feed_word = s;
  if (feed_word && distro_feed) {
    f.severity = *feed_word;
    f.severity_source = feed_source;
    return;
  }
  // 2.-3. The best CVSS vector: NVD primary, then the feed's own, then a CNA's through NVD; newest
  //    CVSS version first within each. The record's per-package vector counts as the feed's own.
  struct Candidate {
    int cls = 0, ver = 0;
    std::string source, vector;
    Severity severity = Severity::kUnknown;
  };
  std::optional<Candidate> best;
  auto consider = [&](const cvss::Score& sc, const std::string& source) {
    Candidate c{CvssClass(source), VersionRank(sc.version), source, sc.vector, cvss::FromCvss(sc)};
    if (!best || std::tie(c.cls, c.ver) > std::tie(best->cls, best->ver)) best = std::move(c);
  };
  if (details)
    for (size_t i = 0; i < parsed.size(); ++i)
      if (parsed[i]) consider(*parsed[i], details->cvss[i].source.empty() ? feed_source : details->cvss[i].source);
  if (!feed_word && !feed_severity.empty())
    if (auto sc = cvss::Parse(feed_severity)) consider(*sc, feed_source);
  // 4. A language feed's rating word (GHSA's, without a vector) ranks after every vector but a CNA's.
  if (feed_word && (!best || best->cls < 2)) {
    f.severity = *feed_word;
    f.severity_source = feed_source;
    return;
  }
  if (best) {
    f.severity = best->severity;
    f.severity_source = best->source;
    f.severity_vector = best->vector;
  }
}

}  // namespace customs
