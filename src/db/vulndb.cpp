#include "db/vulndb.h"

#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <map>

#include "core/error.h"
#include "db/schema.h"

namespace customs::db {

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
  return db;
}

DbInfo VulnDB::Info() const {
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
      info.sources.push_back({st.Text(0), st.Text(1), st.Text(4), st.Text(5), st.Int(2), st.Int(3)});
  }
  auto count = [&](const char* sql) {
    Statement st(*c_, sql);
    return st.Step() ? st.Int(0) : 0;
  };
  info.advisories = count("SELECT count(*) FROM advisories");
  info.affected = count("SELECT count(*) FROM affected");
  info.kev = count("SELECT count(*) FROM kev");
  return info;
}

std::vector<Affected> VulnDB::LoadAffected(const char* where_sql, const std::vector<std::string>& args,
                                           std::vector<std::string>* ids) const {
  std::string sql =
      "SELECT id, advisory_id, ecosystem, package, source, status, status_note, fixed_version, severity, purl "
      "FROM affected WHERE ";
  sql += where_sql;
  sql += " ORDER BY advisory_id, id";
  Statement st(*c_, sql.c_str());
  for (size_t i = 0; i < args.size(); ++i) st.Bind(int(i + 1), args[i]);
  std::vector<Affected> out;
  std::vector<int64_t> rowids;
  while (st.Step()) {
    Affected a;
    rowids.push_back(st.Int(0));
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
  Statement rq(*c_, "SELECT range_seq, type, repo, event, version FROM affected_ranges WHERE affected_id = ? ORDER BY range_seq, seq");
  Statement vq(*c_, "SELECT version FROM affected_versions WHERE affected_id = ? ORDER BY version");
  for (size_t i = 0; i < out.size(); ++i) {
    rq.Bind(1, rowids[i]);
    int64_t last = -1;
    while (rq.Step()) {
      if (rq.Int(0) != last) {
        out[i].ranges.push_back({rq.Text(1), rq.Text(2), {}});
        last = rq.Int(0);
      }
      out[i].ranges.back().events.push_back({rq.Text(3), rq.Text(4)});
    }
    rq.Reset();
    vq.Bind(1, rowids[i]);
    while (vq.Step()) out[i].versions.push_back(vq.Text(0));
    vq.Reset();
  }
  return out;
}

std::vector<Affected> VulnDB::Affecting(const std::string& ecosystem, const std::string& package) const {
  std::string eco = NormalizeEcosystem(ecosystem);
  return LoadAffected("ecosystem = ? AND package = ?", {eco, NormalizePackage(eco, package)}, nullptr);
}

std::vector<std::pair<std::string, Affected>> VulnDB::AffectingWithIds(const std::string& ecosystem,
                                                                       const std::string& package) const {
  std::string eco = NormalizeEcosystem(ecosystem);
  std::vector<std::string> ids;
  auto rows = LoadAffected("ecosystem = ? AND package = ?", {eco, NormalizePackage(eco, package)}, &ids);
  std::vector<std::pair<std::string, Affected>> out;
  for (size_t i = 0; i < rows.size(); ++i) out.emplace_back(ids[i], std::move(rows[i]));
  return out;
}

std::vector<std::string> VulnDB::ByAlias(const std::string& alias) const {
  Statement st(*c_, "SELECT advisory_id FROM aliases WHERE alias = ? ORDER BY advisory_id");
  st.Bind(1, alias);
  std::vector<std::string> out;
  while (st.Step()) out.push_back(st.Text(0));
  return out;
}

bool VulnDB::HasEcosystem(const std::string& ecosystem) const {
  Statement st(*c_, "SELECT 1 FROM affected WHERE ecosystem = ? LIMIT 1");
  st.Bind(1, NormalizeEcosystem(ecosystem));
  return st.Step();
}

std::optional<KevInfo> VulnDB::Kev(const std::string& cve) const {
  Statement st(*c_, "SELECT cve, date_added, due_date, ransomware_use, vendor, product, name FROM kev WHERE cve = ?");
  st.Bind(1, cve);
  if (!st.Step()) return std::nullopt;
  return KevInfo{st.Text(0), st.Text(1), st.Text(2), st.Text(3), st.Text(4), st.Text(5), st.Text(6)};
}

std::optional<AdvisoryDetails> VulnDB::Advisory(const std::string& id) const {
  Statement st(*c_, "SELECT id, summary, details, published, modified, withdrawn, source FROM advisories WHERE id = ?");
  st.Bind(1, id);
  if (!st.Step()) return std::nullopt;
  AdvisoryDetails d;
  d.id = st.Text(0);
  d.summary = st.Text(1);
  d.details = st.Text(2);
  d.published = st.Text(3);
  d.modified = st.Text(4);
  d.withdrawn = st.Text(5);
  d.source = st.Text(6);
  {
    Statement q(*c_, "SELECT alias FROM aliases WHERE advisory_id = ? ORDER BY alias");
    q.Bind(1, id);
    while (q.Step()) d.aliases.push_back(q.Text(0));
  }
  {
    Statement q(*c_, "SELECT type, url FROM refs WHERE advisory_id = ? ORDER BY seq");
    q.Bind(1, id);
    while (q.Step()) d.references.push_back({q.Text(0), q.Text(1)});
  }
  std::vector<std::string> keys = {id};
  keys.insert(keys.end(), d.aliases.begin(), d.aliases.end());
  {
    Statement q(*c_, "SELECT type, vector, source FROM cvss WHERE vuln_id = ? ORDER BY source, type, vector");
    Statement w(*c_, "SELECT cwe FROM cwes WHERE vuln_id = ? ORDER BY cwe");
    for (const auto& k : keys) {
      q.Bind(1, k);
      while (q.Step()) {
        CvssVector v{q.Text(0), q.Text(1), q.Text(2)};
        bool dup = false;
        for (const auto& x : d.cvss) dup = dup || x == v;
        if (!dup) d.cvss.push_back(v);
      }
      q.Reset();
      w.Bind(1, k);
      while (w.Step()) d.cwes.push_back(w.Text(0));
      w.Reset();
    }
  }
  std::sort(d.cwes.begin(), d.cwes.end());
  d.cwes.erase(std::unique(d.cwes.begin(), d.cwes.end()), d.cwes.end());
  for (const auto& k : keys) {
    if (auto kev = Kev(k)) {
      d.kev = kev;
      break;
    }
  }
  d.affected = LoadAffected("advisory_id = ?", {id}, nullptr);
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
