// The read API over a database built by `customs db build` (the matcher's view). No format types here:
// records come back as the plain structs of db/records.h.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "db/records.h"

namespace customs::db {

class Connection;
class Statement;

struct SourceInfo {
  std::string name, format, snapshot, input;
  int64_t records = 0;
  int64_t skipped = 0;
  // Filled by Info(true) only. The newest record date: of the advisories the source gave (the
  // greater of modified and published, the advisory's own or of an advisory it added packages to),
  // NVD: of its CVE records, KEV: the latest dateAdded, EPSS: the score date; "" when none is dated.
  std::string newest;
};

struct DbInfo {
  std::string path;
  int schema_version = 0;
  std::string built;      // RFC 3339 UTC
  std::string generator;  // "customs 0.1.0"
  std::vector<SourceInfo> sources;
  int64_t advisories = 0;
  int64_t affected = 0;
  int64_t kev = 0;
  int64_t nvd = 0;   // CVEs with an NVD record
  int64_t epss = 0;  // CVEs with an EPSS score
  // Coverage, filled by Info(true) only: the CVE ids of the database (advisory ids and aliases that
  // are CVE-...), how many of them have an NVD CVSS vector (NVD's own or a CNA's, as NVD lists
  // them), and how many an EPSS score.
  int64_t cve_ids = 0;
  int64_t cve_ids_nvd_rated = 0;
  int64_t cve_ids_epss_scored = 0;
};

struct KevInfo {
  std::string cve, date_added, due_date, ransomware_use, vendor, product, name;
};

struct EpssInfo {
  double score = 0;       // 0..1
  double percentile = 0;  // 0..1
};

struct AdvisoryDetails {
  std::string id, summary, details, published, modified, withdrawn, source;
  std::vector<std::string> aliases;     // sorted
  std::vector<Reference> references;    // feed order
  std::vector<CvssVector> cvss;         // of the id and its aliases (NVD's under the CVE alias)
  std::vector<std::string> cwes;        // of the id and its aliases
  std::optional<KevInfo> kev;           // when the id or an alias is in CISA KEV
  // NVD's record of the id or, failing that, of its first CVE alias ("" / nullopt when none).
  std::string nvd_cve, nvd_description, nvd_published, nvd_modified;
  std::optional<EpssInfo> epss;         // EPSS of the id or of its first scored CVE alias
  std::vector<Affected> affected;       // empty unless asked for (Advisory(id, true))
};

// The queries of the matcher are prepared once, when the database is opened. One VulnDB may be
// shared between threads: its queries run one at a time (a mutex guards the prepared statements and
// the single-threaded connection).
class VulnDB {
 public:
  // Opens read-only. Throws customs::Error (kExitIo): missing/unreadable file, not a customs
  // database, or "database schema N, this customs needs M: run customs db build".
  static std::unique_ptr<VulnDB> Open(const std::string& path);
  ~VulnDB();

  // `with_stats`: also each source's newest record date and the NVD/EPSS coverage (scans the
  // tables: for `db info`, not for the matcher).
  DbInfo Info(bool with_stats = false) const;
  // Everything recorded for `package` in `ecosystem` (normalized like the builder: "Debian:11",
  // "debian:11", "debian:bullseye" are one key; PyPI names PEP 503). Ordered by advisory id.
  std::vector<Affected> Affecting(const std::string& ecosystem, const std::string& package) const;
  // Advisory ids of the rows Affecting returns, in the same order (parallel vector).
  std::vector<std::pair<std::string, Affected>> AffectingWithIds(const std::string& ecosystem,
                                                                 const std::string& package) const;
  // The advisory's details; its affected rows only when `with_affected` (the detectors do not read
  // them).
  std::optional<AdvisoryDetails> Advisory(const std::string& id, bool with_affected = true) const;
  // Advisory ids that list `alias` (e.g. a CVE) as an alias, sorted.
  std::vector<std::string> ByAlias(const std::string& alias) const;
  std::optional<KevInfo> Kev(const std::string& cve) const;
  std::optional<EpssInfo> Epss(const std::string& cve) const;
  // True when some record covers `ecosystem` (normalized): lets a scan say "no data for this release".
  bool HasEcosystem(const std::string& ecosystem) const;
  // Days since meta.built (0 if in the future or unparseable).
  double AgeDays() const;

 private:
  struct Queries;
  VulnDB();
  std::unique_ptr<Connection> c_;
  std::unique_ptr<Queries> q_;
  std::string path_;
  // The rows `st` (bound, selecting the affected columns) yields, with their ranges and versions
  // from `ranges` and `versions` (bound to the same key); the advisory ids into *ids when given. The
  // caller holds the lock.
  std::vector<Affected> LoadAffected(Statement& st, Statement& ranges, Statement& versions,
                                     std::vector<std::string>* ids) const;
  std::optional<KevInfo> KevLocked(const std::string& cve) const;
  std::optional<EpssInfo> EpssLocked(const std::string& cve) const;
};

}  // namespace customs::db
