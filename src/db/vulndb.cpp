#include "db/vulndb.h"

#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <mutex>
#include <unordered_map>

#include "core/error.h"
#include "db/schema.h"

namespace customs::db {

// Every query the matcher runs, prepared once per database.
#define CUSTOMS_AFFECTED_COLUMNS \
  "SELECT id, advisory_id, ecosystem, package, source, status, status_note, fixed_version, severity, purl FROM affected "
#define CUSTOMS_RANGE_COLUMNS \
  "SELECT r.affected_id, r.range_seq, r.type, r.repo, r.event, r.version FROM affected a " \
  "JOIN affected_ranges r ON r.affected_id = a.id "
#define CUSTOMS_RANGE_ORDER "ORDER BY r.affected_id, r.range_seq, r.seq"
#define CUSTOMS_VERSION_COLUMNS \
  "SELECT v.affected_id, v.version FROM affected a JOIN affected_versions v ON v.affected_id = a.id "
#define CUSTOMS_VERSION_ORDER "ORDER BY v.affected_id, v.version"
struct VulnDB::Queries {
  explicit Queries(const Connection& c)
      : affected_by_package(c, CUSTOMS_AFFECTED_COLUMNS "WHERE ecosystem = ? AND package = ? ORDER BY advisory_id, id"),
        affected_by_advisory(c, CUSTOMS_AFFECTED_COLUMNS "WHERE advisory_id = ? ORDER BY advisory_id, id"),
        // The ranges and versions of every row above in one query each (not one query per row).
        ranges_by_package(c, CUSTOMS_RANGE_COLUMNS "WHERE a.ecosystem = ? AND a.package = ? " CUSTOMS_RANGE_ORDER),
        versions_by_package(c, CUSTOMS_VERSION_COLUMNS "WHERE a.ecosystem = ? AND a.package = ? " CUSTOMS_VERSION_ORDER),
        ranges_by_advisory(c, CUSTOMS_RANGE_COLUMNS "WHERE a.advisory_id = ? " CUSTOMS_RANGE_ORDER),
        versions_by_advisory(c, CUSTOMS_VERSION_COLUMNS "WHERE a.advisory_id = ? " CUSTOMS_VERSION_ORDER),
        advisory(c, "SELECT id, summary, details, published, modified, withdrawn, source FROM advisories WHERE id = ?"),
        aliases(c, "SELECT alias FROM aliases WHERE advisory_id = ? ORDER BY alias"),
        refs(c, "SELECT type, url FROM refs WHERE advisory_id = ? ORDER BY seq"),
        cvss(c, "SELECT type, vector, source FROM cvss WHERE vuln_id = ? ORDER BY source, type, vector"),
        cwes(c, "SELECT cwe FROM cwes WHERE vuln_id = ? ORDER BY cwe"),
        nvd(c, "SELECT description, published, modified FROM nvd WHERE cve = ?"),
        epss(c, "SELECT score, percentile FROM epss WHERE cve = ?"),
        kev(c, "SELECT cve, date_added, due_date, ransomware_use, vendor, product, name FROM kev WHERE cve = ?"),
        by_alias(c, "SELECT advisory_id FROM aliases WHERE alias = ? ORDER BY advisory_id"),
        has_ecosystem(c, "SELECT 1 FROM affected WHERE ecosystem = ? LIMIT 1") {}
  Statement affected_by_package, affected_by_advisory, ranges_by_package, versions_by_package, ranges_by_advisory,
      versions_by_advisory, advisory, aliases, refs, cvss, cwes, nvd, epss, kev,
      by_alias, has_ecosystem;
  std::mutex mu;
};
#undef CUSTOMS_AFFECTED_COLUMNS
#undef CUSTOMS_RANGE_COLUMNS
#undef CUSTOMS_RANGE_ORDER
#undef CUSTOMS_VERSION_COLUMNS
#undef CUSTOMS_VERSION_ORDER

namespace {

// Resets a prepared statement (and clears its bindings) when the query using it ends, however it ends.
class ResetOnExit {
 public:
  explicit ResetOnExit(Statement& st) : st_(st) {}
  ~ResetOnExit() { st_.Reset(); }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  Statement& st_;
};

}  // namespace

VulnDB::VulnDB() = default;
VulnDB::~VulnDB() = default;

std::unique_ptr<VulnDB> VulnDB::Open(const std::string& path) {
  std::unique_ptr<VulnDB> db(new VulnDB());
  db->path_ = path;
  if (::access(path.c_str(), R_OK) != 0)
    throw IoError(path, "no vulnerability database here: run customs db build --from DIR -o " + path);
  db->c_ = std::make_unique<Connection>(Connection::OpenReadOnly(path));
  int version = -1;
  try {
    Statement st(*db->c_, "SELECT value FROM meta WHERE key = 'schema_version'");
    if (st.Step()) version = std::atoi(st.Text(0).c_str());
  } catch (const Error&) {
    throw IoError(path, "not a customs vulnerability database");
  }
  if (version < 0) throw IoError(path, "not a customs vulnerability database (no schema version)");
  if (version != kSchemaVersion)
    throw IoError(path, "database schema " + std::to_string(version) + ", this customs needs " +
                            std::to_string(kSchemaVersion) + ": run customs db build");
  db->q_ = std::make_unique<Queries>(*db->c_);
  return db;
}

DbInfo VulnDB::Info(bool with_stats) const {
  DbInfo info;
  info.path = path_;
  {
    Statement st(*c_, "SELECT key, value FROM meta");
    while (st.Step()) {
      std::string k = st.Text(0), v = st.Text(1);
      if (k == "schema_version") info.schema_version = std::atoi(v.c_str());
      if (k == "built") info.built = v;
      if (k == "generator") info.generator = v;
    }
  }
  {
    Statement st(*c_, "SELECT name, format, records, skipped, snapshot, input FROM sources ORDER BY name");
    while (st.Step())
      info.sources.push_back({st.Text(0), st.Text(1), st.Text(4), st.Text(5), st.Int(2), st.Int(3), ""});
  }
  auto count = [&](const char* sql) {
    Statement st(*c_, sql);
    return st.Step() ? st.Int(0) : 0;
  };
  info.advisories = count("SELECT count(*) FROM advisories");
  info.affected = count("SELECT count(*) FROM affected");
  info.kev = count("SELECT count(*) FROM kev");
  info.nvd = count("SELECT count(*) FROM nvd");
  info.epss = count("SELECT count(*) FROM epss");
  if (!with_stats) return info;
  std::map<std::string, std::string> newest;
  {
    Statement st(*c_,
                 "SELECT source, max(d) FROM ("
                 " SELECT f.source AS source, max(ifnull(a.modified, ''), ifnull(a.published, '')) AS d"
                 "  FROM affected f JOIN advisories a ON a.id = f.advisory_id"
                 " UNION ALL SELECT source, max(ifnull(modified, ''), ifnull(published, '')) FROM advisories"
                 ") GROUP BY source");
    while (st.Step()) newest[st.Text(0)] = st.Text(1);
  }
  auto text = [&](const char* sql) {
    Statement st(*c_, sql);
    return st.Step() ? st.Text(0) : std::string();
  };
  const std::string nvd_newest = text("SELECT max(max(ifnull(modified, ''), ifnull(published, ''))) FROM nvd");
  const std::string kev_newest = text("SELECT max(date_added) FROM kev");
  for (auto& s : info.sources) {
    if (s.format == "nvd")
      s.newest = nvd_newest;
    else if (s.format == "kev")
      s.newest = kev_newest;
    else if (s.format == "epss")
      s.newest = s.snapshot;
    else if (auto it = newest.find(s.name); it != newest.end())
      s.newest = it->second;
  }
  {
    Statement st(*c_,
                 "WITH ids(cve) AS (SELECT id FROM advisories WHERE id LIKE 'CVE-%'"
                 "                  UNION SELECT alias FROM aliases WHERE alias LIKE 'CVE-%')"
                 " SELECT count(*),"
                 "  ifnull(sum(EXISTS (SELECT 1 FROM cvss c WHERE c.vuln_id = ids.cve"
                 "                     AND (c.source = 'nvd' OR c.source LIKE 'nvd:%'))), 0),"
                 "  ifnull(sum(EXISTS (SELECT 1 FROM epss e WHERE e.cve = ids.cve)), 0)"
                 " FROM ids");
    if (st.Step()) {
      info.cve_ids = st.Int(0);
      info.cve_ids_nvd_rated = st.Int(1);
      info.cve_ids_epss_scored = st.Int(2);
    }
  }
  return info;
}

std::vector<Affected> VulnDB::LoadAffected(Statement& st, Statement& ranges, Statement& versions,
                                           std::vector<std::string>* ids) const {
  // All three statements are bound to the same key; each is reset however this ends.
  ResetOnExit done_rows(st), done_ranges(ranges), done_versions(versions);
  std::vector<Affected> out;
  std::unordered_map<int64_t, size_t> index;  // affected.id -> position in `out`
  while (st.Step()) {
    Affected a;
    index.emplace(st.Int(0), out.size());
    if (ids) ids->push_back(st.Text(1));
    a.ecosystem = st.Text(2);
    a.package = st.Text(3);
    a.source = st.Text(4);
    a.status = st.Text(5);
    a.status_note = st.Text(6);
    a.fixed_version = st.Text(7);
    a.severity = st.Text(8);
    a.purl = st.Text(9);
    out.push_back(std::move(a));
  }
  if (out.empty()) return out;
  int64_t last_row = -1, last_range = -1;
  Affected* cur = nullptr;
  while (ranges.Step()) {
    const int64_t row = ranges.Int(0), seq = ranges.Int(1);
    if (row != last_row) {
      auto it = index.find(row);
      cur = it == index.end() ? nullptr : &out[it->second];
      last_row = row;
      last_range = -1;
    }
    if (!cur) continue;
    if (seq != last_range) {
      cur->ranges.push_back({ranges.Text(2), ranges.Text(3), {}});
      last_range = seq;
    }
    cur->ranges.back().events.push_back({ranges.Text(4), ranges.Text(5)});
  }
  while (versions.Step()) {
    auto it = index.find(versions.Int(0));
    if (it != index.end()) out[it->second].versions.push_back(versions.Text(1));
  }
  return out;
}

std::vector<Affected> VulnDB::Affecting(const std::string& ecosystem, const std::string& package) const {
  std::string eco = NormalizeEcosystem(ecosystem);
  std::lock_guard lock(q_->mu);
  const std::string pkg = NormalizePackage(eco, package);
  q_->affected_by_package.Bind(1, eco).Bind(2, pkg);
  q_->ranges_by_package.Bind(1, eco).Bind(2, pkg);
  q_->versions_by_package.Bind(1, eco).Bind(2, pkg);
  return LoadAffected(q_->affected_by_package, q_->ranges_by_package, q_->versions_by_package, nullptr);
}

std::vector<std::pair<std::string, Affected>> VulnDB::AffectingWithIds(const std::string& ecosystem,
                                                                       const std::string& package) const {
  std::string eco = NormalizeEcosystem(ecosystem);
  std::vector<std::string> ids;
  std::vector<Affected> rows;
  {
    std::lock_guard lock(q_->mu);
    const std::string pkg = NormalizePackage(eco, package);
    q_->affected_by_package.Bind(1, eco).Bind(2, pkg);
    q_->ranges_by_package.Bind(1, eco).Bind(2, pkg);
    q_->versions_by_package.Bind(1, eco).Bind(2, pkg);
    rows = LoadAffected(q_->affected_by_package, q_->ranges_by_package, q_->versions_by_package, &ids);
  }
  std::vector<std::pair<std::string, Affected>> out;
  out.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) out.emplace_back(std::move(ids[i]), std::move(rows[i]));
  return out;
}

std::vector<std::string> VulnDB::ByAlias(const std::string& alias) const {
  std::lock_guard lock(q_->mu);
  Statement& st = q_->by_alias;
  ResetOnExit done(st);
  st.Bind(1, alias);
  std::vector<std::string> out;
  while (st.Step()) out.push_back(st.Text(0));
  return out;
}

bool VulnDB::HasEcosystem(const std::string& ecosystem) const {
  std::lock_guard lock(q_->mu);
  Statement& st = q_->has_ecosystem;
  ResetOnExit done(st);
  st.Bind(1, NormalizeEcosystem(ecosystem));
  return st.Step();
}

std::optional<KevInfo> VulnDB::KevLocked(const std::string& cve) const {
  Statement& st = q_->kev;
  ResetOnExit done(st);
  st.Bind(1, cve);
  if (!st.Step()) return std::nullopt;
  return KevInfo{st.Text(0), st.Text(1), st.Text(2), st.Text(3), st.Text(4), st.Text(5), st.Text(6)};
}

std::optional<EpssInfo> VulnDB::EpssLocked(const std::string& cve) const {
  Statement& st = q_->epss;
  ResetOnExit done(st);
  st.Bind(1, cve);
  if (!st.Step()) return std::nullopt;
  return EpssInfo{st.Real(0), st.Real(1)};
}

std::optional<EpssInfo> VulnDB::Epss(const std::string& cve) const {
  std::lock_guard lock(q_->mu);
  return EpssLocked(cve);
}

std::optional<KevInfo> VulnDB::Kev(const std::string& cve) const {
  std::lock_guard lock(q_->mu);
  return KevLocked(cve);
}

std::optional<AdvisoryDetails> VulnDB::Advisory(const std::string& id, bool with_affected) const {
  std::lock_guard lock(q_->mu);
  AdvisoryDetails d;
  {
    Statement& st = q_->advisory;
    ResetOnExit done(st);
    st.Bind(1, id);
    if (!st.Step()) {
      // A CVE no advisory feed names as an advisory (a DSA's CVE, say) may still have NVD's record.
      Statement& q = q_->nvd;
      ResetOnExit done_nvd(q);
      q.Bind(1, id);
      if (!q.Step()) return std::nullopt;
      d.id = id;
      d.source = "nvd";
    } else {
      d.id = st.Text(0);
      d.summary = st.Text(1);
      d.details = st.Text(2);
      d.published = st.Text(3);
      d.modified = st.Text(4);
      d.withdrawn = st.Text(5);
      d.source = st.Text(6);
    }
  }
  {
    Statement& q = q_->aliases;
    ResetOnExit done(q);
    q.Bind(1, id);
    while (q.Step()) d.aliases.push_back(q.Text(0));
  }
  {
    Statement& q = q_->refs;
    ResetOnExit done(q);
    q.Bind(1, id);
    while (q.Step()) d.references.push_back({q.Text(0), q.Text(1)});
  }
  std::vector<std::string> keys = {id};
  keys.insert(keys.end(), d.aliases.begin(), d.aliases.end());
  for (const auto& k : keys) {
    {
      Statement& q = q_->cvss;
      ResetOnExit done(q);
      q.Bind(1, k);
      while (q.Step()) {
        CvssVector v{q.Text(0), q.Text(1), q.Text(2)};
        bool dup = false;
        for (const auto& x : d.cvss) dup = dup || x == v;
        if (!dup) d.cvss.push_back(std::move(v));
      }
    }
    Statement& w = q_->cwes;
    ResetOnExit done(w);
    w.Bind(1, k);
    while (w.Step()) d.cwes.push_back(w.Text(0));
  }
  std::sort(d.cwes.begin(), d.cwes.end());
  d.cwes.erase(std::unique(d.cwes.begin(), d.cwes.end()), d.cwes.end());
  for (const auto& k : keys) {
    if (auto kev = KevLocked(k)) {
      d.kev = kev;
      break;
    }
  }
  for (const auto& k : keys) {
    if (d.nvd_cve.empty()) {
      Statement& q = q_->nvd;
      ResetOnExit done(q);
      q.Bind(1, k);
      if (q.Step()) {
        d.nvd_cve = k;
        d.nvd_description = q.Text(0);
        d.nvd_published = q.Text(1);
        d.nvd_modified = q.Text(2);
      }
    }
    if (!d.epss) d.epss = EpssLocked(k);
  }
  if (with_affected) {
    q_->affected_by_advisory.Bind(1, id);
    q_->ranges_by_advisory.Bind(1, id);
    q_->versions_by_advisory.Bind(1, id);
    d.affected = LoadAffected(q_->affected_by_advisory, q_->ranges_by_advisory, q_->versions_by_advisory, nullptr);
  }
  return d;
}

double VulnDB::AgeDays() const {
  std::string built = Info().built;
  std::tm tm{};
  if (built.size() < 19 || !strptime(built.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return 0;
  time_t t = timegm(&tm);
  double d = std::difftime(std::time(nullptr), t) / 86400.0;
  return d > 0 ? d : 0;
}

}  // namespace customs::db
