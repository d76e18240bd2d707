// Normalized advisory records: what every feed parser emits and what the database read API returns.
// Plain data only: no YAML/JSON/SQLite types here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace customs::version {
class Comparator;
}

namespace customs::db {

// One OSV-style range event: kind is "introduced", "fixed", "last_affected" or "limit".
struct RangeEvent {
  std::string kind;
  std::string version;
  bool operator==(const RangeEvent&) const = default;
};

// type is "ECOSYSTEM", "SEMVER" or "GIT"; the feed parsers keep events in feed order, the database
// stores them in evaluation order (SortEventsForEvaluation).
struct Range {
  std::string type;
  std::string repo;  // GIT ranges only
  std::vector<RangeEvent> events;
  bool operator==(const Range&) const = default;
};

// Puts the events of a non-GIT range in the order OSV evaluation walks them, so that matching
// (detectors/affected.cpp) needs no sort: `introduced: "0"` first, then the other non-limit events
// in version order (stable: equal versions keep feed order), then the `limit` events in feed order.
// The builder applies it with the comparator of the record's ecosystem; GIT ranges and ecosystems
// without a version order keep feed order.
void SortEventsForEvaluation(Range& r, const version::Comparator& cmp);

// Status of a package for an advisory.
inline constexpr const char* kStatusFixed = "fixed";              // a fixed version exists
inline constexpr const char* kStatusUnfixed = "unfixed";          // affected, no fix (yet, or ever)
inline constexpr const char* kStatusNotAffected = "not-affected";  // this release/package is not affected

// (advisory, ecosystem, package): which versions are affected.
struct Affected {
  std::string ecosystem;  // normalized key: "alpine:v3.9", "debian:bullseye", "ubuntu:22.04", "Go", "PyPI", ...
  std::string package;    // normalized name (PyPI: PEP 503)
  std::string purl;
  std::vector<Range> ranges;
  std::vector<std::string> versions;  // explicit affected versions (OSV `versions`)
  std::string fixed_version;          // distro feeds: the version that fixes it
  std::string status = kStatusFixed;  // kStatus*
  std::string status_note;            // feed's own wording: "no-dsa", "end-of-life", "postponed", ...
  std::string severity;               // the feed's severity for this package, if any ("high", "CVSS:3.1/...")
  std::string source;                 // filled by the builder: the source name
  bool operator==(const Affected&) const = default;
};

struct Reference {
  std::string type;
  std::string url;
  bool operator==(const Reference&) const = default;
};

// A CVSS vector: type is the OSV severity type ("CVSS_V2", "CVSS_V3", "CVSS_V4"), source the feed.
struct CvssVector {
  std::string type;
  std::string vector;
  std::string source;
  bool operator==(const CvssVector&) const = default;
};

struct AdvisoryRecord {
  std::string id;
  std::vector<std::string> aliases;
  std::string summary;
  std::string details;
  std::string published;  // as given (RFC 3339 or YYYY-MM-DD)
  std::string modified;
  std::string withdrawn;
  std::vector<Reference> references;
  std::vector<CvssVector> cvss;
  std::vector<std::string> cwes;
  std::vector<Affected> affected;
};

// CISA KEV entry.
struct KevRecord {
  std::string cve;
  std::string date_added;
  std::string due_date;
  std::string ransomware_use;  // "Known" / "Unknown"
  std::string vendor, product, name;
  std::vector<std::string> cwes;
};

// NVD enrichment for one CVE.
struct NvdRecord {
  std::string cve;
  std::string published, modified;
  std::string description;  // the English description (cve.descriptions[lang=en])
  std::vector<CvssVector> cvss;
  std::vector<std::string> cwes;
};

// FIRST EPSS score of one CVE (https://www.first.org/epss/data_stats): the probability of
// exploitation activity in the next 30 days, and its percentile among all scored CVEs; both 0..1.
struct EpssRecord {
  std::string cve;
  double epss = 0;
  double percentile = 0;
};

}  // namespace customs::db
