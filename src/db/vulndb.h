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

struct SourceInfo {
  std::string name, format, snapshot, input;
  int64_t records = 0;
  int64_t skipped = 0;
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
};

struct KevInfo {
  std::string cve, date_added, due_date, ransomware_use, vendor, product, name;
};

struct AdvisoryDetails {
  std::string id, summary, details, published, modified, withdrawn, source;
  std::vector<std::string> aliases;     // sorted
  std::vector<Reference> references;    // feed order
  std::vector<CvssVector> cvss;         // of the id and its aliases (NVD's under the CVE alias)
  std::vector<std::string> cwes;        // of the id and its aliases
  std::optional<KevInfo> kev;           // when the id or an alias is in CISA KEV
  std::vector<Affected> affected;
};

class VulnDB {
 public:
  // Opens read-only. Throws customs::Error (kExitIo): missing/unreadable file, not a customs
  // database, or "database schema N, this customs needs M: run customs db build".
  static std::unique_ptr<VulnDB> Open(const std::string& path);
  ~VulnDB();

  DbInfo Info() const;
  // Everything recorded for `package` in `ecosystem` (normalized like the builder: "Debian:11",
  // "debian:11", "debian:bullseye" are one key; PyPI names PEP 503). Ordered by advisory id.
  std::vector<Affected> Affecting(const std::string& ecosystem, const std::string& package) const;
  // Advisory ids of the rows Affecting returns, in the same order (parallel vector).
  std::vector<std::pair<std::string, Affected>> AffectingWithIds(const std::string& ecosystem,
                                                                 const std::string& package) const;
  std::optional<AdvisoryDetails> Advisory(const std::string& id) const;
  // Advisory ids that list `alias` (e.g. a CVE) as an alias, sorted.
  std::vector<std::string> ByAlias(const std::string& alias) const;
  std::optional<KevInfo> Kev(const std::string& cve) const;
  // True when some record covers `ecosystem` (normalized): lets a scan say "no data for this release".
  bool HasEcosystem(const std::string& ecosystem) const;
  // Days since meta.built (0 if in the future or unparseable).
  double AgeDays() const;

 private:
  VulnDB() = default;
  std::unique_ptr<Connection> c_;
  std::string path_;
  std::vector<Affected> LoadAffected(const char* where_sql, const std::vector<std::string>& args,
                                     std::vector<std::string>* ids) const;
};

}  // namespace customs::db
