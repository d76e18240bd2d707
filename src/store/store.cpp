#include "store/store.h"

#include <openssl/rand.h>
#include <zstd.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "core/error.h"
#include "core/sha256.h"
#include "findings/risk.h"
#include "inventory/purl.h"
#include "store/schema.h"

namespace customs::store {

namespace {

std::string Compress(const std::string& s) {
  std::string out(ZSTD_compressBound(s.size()), '\0');
  const size_t n = ZSTD_compress(out.data(), out.size(), s.data(), s.size(), 9);
  if (ZSTD_isError(n)) throw Error(kExitInternal, std::string("zstd: ") + ZSTD_getErrorName(n));
  out.resize(n);
  return out;
}

std::string Decompress(const std::string& z) {
  const unsigned long long size = ZSTD_getFrameContentSize(z.data(), z.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > (1ull << 31))
    throw Error(kExitIo, "store: a stored SBOM is damaged");
  std::string out(static_cast<size_t>(size), '\0');
  const size_t n = ZSTD_decompress(out.data(), out.size(), z.data(), z.size());
  if (ZSTD_isError(n) || n != size) throw Error(kExitIo, "store: a stored SBOM is damaged");
  return out;
}

std::string S(const std::optional<std::string>& v) { return v.value_or(""); }
int64_t I(const std::optional<std::string>& v) { return v ? std::stoll(*v) : 0; }

Value OptText(const std::string& s) { return s.empty() ? Value::Null() : Value::Text(s); }

bool StartsWith(const std::string& s, std::string_view p) { return s.compare(0, p.size(), p) == 0; }

}  // namespace

std::unique_ptr<Store> Store::Open(const std::string& url) {
  if (StartsWith(url, "postgres://") || StartsWith(url, "postgresql://")) return std::make_unique<Store>(OpenPostgres(url));
  std::string path = url;
  if (StartsWith(path, "sqlite://")) path = path.substr(9);
  else if (StartsWith(path, "sqlite:")) path = path.substr(7);
  if (path.empty()) throw Error(kExitUsage, "--store: empty SQLite path");
  return std::make_unique<Store>(OpenSqlite(path));
}

Store::Store(std::unique_ptr<Sql> sql) : sql_(std::move(sql)) { Migrate(*sql_); }

int Store::SchemaVersion() {
  auto rows = sql_->Query("SELECT value FROM store_meta WHERE key = 'schema_version'");
  return rows.empty() ? 0 : static_cast<int>(I(rows[0][0]));
}

std::vector<Event> Store::Record(const Submission& s) {
  if (s.digest.empty()) throw Error(kExitInputRejected, "store: a submission needs an image digest");
  Sql& q = *sql_;
  Transaction tx(q);
  const int64_t image = I(q.Query("INSERT INTO images (digest, artifact_type, os_family, os_version, first_seen, last_seen) "
                                  "VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (digest) DO UPDATE SET "
                                  "last_seen = excluded.last_seen, os_family = excluded.os_family, "
                                  "os_version = excluded.os_version RETURNING id",
                                  {Value::Text(s.digest), Value::Text(s.artifact_type), Value::Text(s.os_family),
                                   Value::Text(s.os_version), Value::Text(s.at)})[0][0]);
  for (const auto& ref : s.refs)
    q.Exec("INSERT INTO image_refs (image_id, ref, first_seen, last_seen) VALUES ($1, $2, $3, $3) "
           "ON CONFLICT (image_id, ref) DO UPDATE SET last_seen = excluded.last_seen",
           {Value::Int(image), Value::Text(ref), Value::Text(s.at)});
  if (!s.sbom.empty())
    q.Exec("INSERT INTO sboms (image_id, sha256, format, size, body, stored_at) VALUES ($1, $2, $3, $4, $5, $6) "
           "ON CONFLICT (image_id, sha256) DO NOTHING",
           {Value::Int(image), Value::Text(Sha256::Of(s.sbom)), Value::Text(s.sbom_format),
            Value::Int(static_cast<int64_t>(s.sbom.size())), Value::Blob(Compress(s.sbom)), Value::Text(s.at)});

  // Components once by purl; the image's set is the one this evaluation saw.
  std::map<std::string, int64_t> component_id;
  auto component = [&](const ComponentIn& c) {
    auto it = component_id.find(c.purl);
    if (it != component_id.end()) return it->second;
    const int64_t id = I(q.Query("INSERT INTO components (purl, type, name, version) VALUES ($1, $2, $3, $4) "
                                 "ON CONFLICT (purl) DO UPDATE SET purl = excluded.purl RETURNING id",
                                 {Value::Text(c.purl), Value::Text(c.type), Value::Text(c.name), Value::Text(c.version)})[0][0]);
    component_id.emplace(c.purl, id);
    return id;
  };
  for (const auto& c : s.components) component(c);
  q.Exec("DELETE FROM image_components WHERE image_id = $1", {Value::Int(image)});
  for (const auto& [purl, id] : component_id)
    q.Exec("INSERT INTO image_components (image_id, component_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
           {Value::Int(image), Value::Int(id)});
  const std::set<std::string> present = [&] {
    std::set<std::string> p;
    for (const auto& c : s.components) p.insert(c.purl);
    return p;
  }();

  // One finding per (vulnerability, component) of this evaluation.
  std::map<std::pair<std::string, std::string>, const FindingIn*> now;
  for (const auto& f : s.findings) now.emplace(std::make_pair(f.vuln_id, f.purl), &f);
  const int64_t eval = I(q.Query("INSERT INTO evaluations (image_id, at, db_version, findings) VALUES ($1, $2, $3, $4) "
                                 "RETURNING id",
                                 {Value::Int(image), Value::Text(s.at), Value::Text(s.db_version),
                                  Value::Int(static_cast<int64_t>(now.size()))})[0][0]);

  struct Open {
    int64_t id;
    std::string severity;
    bool kev;
  };
  std::map<std::pair<std::string, std::string>, Open> open;
  for (const auto& r : q.Query("SELECT f.id, f.vuln_id, c.purl, f.severity, f.kev FROM findings f JOIN components c "
                               "ON c.id = f.component_id WHERE f.image_id = $1 AND f.closed_at IS NULL",
                               {Value::Int(image)}))
    open.emplace(std::make_pair(S(r[1]), S(r[2])), Open{I(r[0]), S(r[3]), I(r[4]) != 0});

  std::vector<Event> events;
  auto event = [&](int64_t finding, const std::string& kind, const std::string& vuln, const std::string& purl,
                   const std::string& detail) {
    const int64_t id = I(q.Query("INSERT INTO events (image_id, finding_id, evaluation_id, kind, at, detail) "
                                 "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                                 {Value::Int(image), Value::Int(finding), Value::Int(eval), Value::Text(kind),
                                  Value::Text(s.at), Value::Text(detail)})[0][0]);
    events.push_back({id, s.digest, kind, vuln, purl, s.at, detail, s.db_version});
  };
  for (const auto& [key, f] : now) {
    const int64_t comp = component({f->purl, "", "", ""});
    const Params fields = {Value::Text(f->severity),     Value::Text(f->severity_source), Value::Text(f->fixed_version),
                           Value::Int(f->kev ? 1 : 0),  OptText(f->epss ? FormatProbability(*f->epss) : ""),      Value::Int(f->risk),
                           Value::Text(f->title),        Value::Text(f->suppressed),      Value::Text(f->aliases),
                           Value::Text(s.at),            Value::Int(eval)};
    auto it = open.find(key);
    if (it == open.end()) {
      Params p = fields;
      p.insert(p.end(), {Value::Int(image), Value::Int(comp), Value::Text(f->vuln_id)});
      const int64_t id = I(q.Query(
          "INSERT INTO findings (severity, severity_source, fixed_version, kev, epss, risk, title, suppressed, aliases, "
          "first_seen, last_seen, first_evaluation, last_evaluation, image_id, component_id, vuln_id) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $11, $12, $13, $14) RETURNING id",
          p)[0][0]);
      event(id, "new", f->vuln_id, f->purl, f->severity);
      continue;
    }
    Params p = fields;
    p.push_back(Value::Int(it->second.id));
    q.Exec("UPDATE findings SET severity = $1, severity_source = $2, fixed_version = $3, kev = $4, epss = $5, "
           "risk = $6, title = $7, suppressed = $8, aliases = $9, last_seen = $10, last_evaluation = $11 "
           "WHERE id = $12",
           p);
    if (it->second.severity != f->severity)
      event(it->second.id, "severity-changed", f->vuln_id, f->purl, it->second.severity + " -> " + f->severity);
    if (!it->second.kev && f->kev) event(it->second.id, "kev-added", f->vuln_id, f->purl, "");
  }
  for (const auto& [key, o] : open) {
    if (now.count(key)) continue;
    const std::string kind = present.count(key.second) ? "fixed" : "gone";
    q.Exec("UPDATE findings SET closed_at = $1, close_kind = $2 WHERE id = $3",
           {Value::Text(s.at), Value::Text(kind), Value::Int(o.id)});
    event(o.id, kind, key.first, key.second, "");
  }
  tx.Commit();
  return events;
}

std::vector<ImageRow> Store::Images() {
  std::vector<ImageRow> out;
  for (const auto& r : sql_->Query(
           "SELECT i.digest, i.artifact_type, i.os_family, i.os_version, i.first_seen, i.last_seen, "
           "(SELECT COUNT(*) FROM findings f WHERE f.image_id = i.id AND f.closed_at IS NULL AND f.suppressed = ''), "
           "(SELECT COUNT(*) FROM findings f WHERE f.image_id = i.id AND f.closed_at IS NULL AND f.suppressed = '' "
           " AND f.severity = 'CRITICAL'), "
           "(SELECT COUNT(*) FROM findings f WHERE f.image_id = i.id AND f.closed_at IS NULL AND f.suppressed = '' "
           " AND f.severity = 'HIGH'), i.id "
           "FROM images i ORDER BY i.digest")) {
    ImageRow row{S(r[0]), S(r[1]), S(r[2]), S(r[3]), S(r[4]), S(r[5]), {}, I(r[6]), I(r[7]), I(r[8])};
    for (const auto& ref : sql_->Query("SELECT ref FROM image_refs WHERE image_id = $1 ORDER BY ref", {Value::Text(S(r[9]))}))
      row.refs.push_back(S(ref[0]));
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<FindingRow> Store::Findings(const std::string& digest, bool include_closed) {
  std::vector<FindingRow> out;
  for (const auto& r : sql_->Query(
           std::string("SELECT f.vuln_id, c.purl, c.name, c.version, f.severity, f.severity_source, f.fixed_version, "
                       "f.title, f.suppressed, f.kev, f.risk, f.first_seen, f.last_seen, f.closed_at, f.close_kind "
                       "FROM findings f JOIN components c ON c.id = f.component_id JOIN images i ON i.id = f.image_id "
                       "WHERE i.digest = $1") +
               (include_closed ? "" : " AND f.closed_at IS NULL") + " ORDER BY f.risk DESC, f.vuln_id, c.purl, f.id",
           {Value::Text(digest)}))
    out.push_back({S(r[0]), S(r[1]), S(r[2]), S(r[3]), S(r[4]), S(r[5]), S(r[6]), S(r[7]), S(r[8]), I(r[9]) != 0,
                   static_cast<int>(I(r[10])), S(r[11]), S(r[12]), S(r[13]), S(r[14])});
  return out;
}

std::vector<Event> Store::Events(int64_t after_id, size_t limit, const std::string& digest) {
  std::vector<Event> out;
  for (const auto& r : sql_->Query(
           "SELECT e.id, i.digest, e.kind, f.vuln_id, c.purl, e.at, e.detail, v.db_version FROM events e "
           "JOIN images i ON i.id = e.image_id JOIN findings f ON f.id = e.finding_id "
           "JOIN components c ON c.id = f.component_id JOIN evaluations v ON v.id = e.evaluation_id "
           "WHERE e.id > $1 AND ($2 = '' OR i.digest = $2) ORDER BY e.id LIMIT $3",
           {Value::Int(after_id), Value::Text(digest), Value::Int(static_cast<int64_t>(limit))}))
    out.push_back({I(r[0]), S(r[1]), S(r[2]), S(r[3]), S(r[4]), S(r[5]), S(r[6]), S(r[7])});
  return out;
}

std::optional<std::string> Store::Sbom(const std::string& digest) {
  auto rows = sql_->Query("SELECT s.body FROM sboms s JOIN images i ON i.id = s.image_id WHERE i.digest = $1 "
                          "ORDER BY s.id DESC LIMIT 1",
                          {Value::Text(digest)});
  if (rows.empty() || !rows[0][0]) return std::nullopt;
  return Decompress(*rows[0][0]);
}

std::string Store::CreateToken(const std::string& scope, const std::string& at, const std::string& note) {
  if (scope != "read" && scope != "write") throw Error(kExitUsage, "token scope must be read or write, not '" + scope + "'");
  unsigned char raw[32];
  if (RAND_bytes(raw, sizeof raw) != 1) throw Error(kExitInternal, "no random bytes from OpenSSL");
  static const char* kHex = "0123456789abcdef";
  std::string token = "cst_";
  for (unsigned char b : raw) {
    token += kHex[b >> 4];
    token += kHex[b & 15];
  }
  sql_->Exec("INSERT INTO tokens (sha256, scope, created_at, note) VALUES ($1, $2, $3, $4)",
             {Value::Text(Sha256::Of(token)), Value::Text(scope), Value::Text(at), Value::Text(note)});
  return token;
}

std::optional<std::string> Store::TokenScope(const std::string& token) {
  if (token.size() != 68 || token.compare(0, 4, "cst_") != 0) return std::nullopt;
  auto rows = sql_->Query("SELECT scope FROM tokens WHERE sha256 = $1", {Value::Text(Sha256::Of(token))});
  if (rows.empty() || !rows[0][0]) return std::nullopt;
  return *rows[0][0];
}

std::vector<std::string> Store::ImagesWithSbom() {
  std::vector<std::string> out;
  for (const auto& r : sql_->Query("SELECT DISTINCT i.digest FROM images i JOIN sboms s ON s.image_id = i.id ORDER BY i.digest"))
    out.push_back(S(r[0]));
  return out;
}

Submission SubmissionFromScan(const ScanResult& r, const std::string& sbom, const std::string& db_version) {
  const Inventory& inv = r.inventory;
  Submission s;
  const Artifact& a = inv.artifact;
  s.artifact_type = a.type == ArtifactType::kContainerImage ? "container_image"
                    : a.type == ArtifactType::kRootfs        ? "rootfs"
                                                             : "filesystem";
  s.refs = a.repo_tags;
  s.refs.insert(s.refs.end(), a.repo_digests.begin(), a.repo_digests.end());
  if (inv.os) {
    s.os_family = inv.os->family;
    s.os_version = inv.os->version;
  }
  s.sbom = sbom;
  s.sbom_format = sbom.empty() ? "" : "cyclonedx";
  s.at = r.scanned_at;
  s.db_version = db_version;
  std::vector<std::string> purls(inv.packages.size());
  for (size_t i = 0; i < inv.packages.size(); ++i) {
    const Package& p = inv.packages[i];
    purls[i] = Purl(p, inv.os);
    s.components.push_back({purls[i], p.type, p.name, p.version});
  }
  for (const auto& f : r.vulnerabilities) {
    if (f.package_index >= purls.size()) continue;
    FindingIn in;
    in.vuln_id = f.id;
    in.purl = purls[f.package_index];
    for (const auto& al : f.aliases) in.aliases += (in.aliases.empty() ? "" : ",") + al;
    in.severity = std::string(cvss::Name(f.severity));
    in.severity_source = f.severity_source;
    in.fixed_version = f.fixed_version;
    in.title = f.title;
    in.kev = f.kev;
    in.epss = f.epss;
    in.risk = Risk(f).score;
    for (const auto& sup : f.suppressed_by) in.suppressed += (in.suppressed.empty() ? "" : ",") + sup.kind;
    s.findings.push_back(std::move(in));
  }
  // The image digest: the manifest's, else the config's (image id), else one the references name; a
  // target without any (a root filesystem, a directory) is identified by its package set.
  s.digest = a.manifest_digest;
  if (s.digest.empty()) s.digest = a.image_id;
  for (const auto& d : a.repo_digests)
    if (s.digest.empty() && d.find("@sha256:") != std::string::npos) s.digest = d.substr(d.find('@') + 1);
  if (s.digest.empty()) {
    std::vector<std::string> sorted = purls;
    std::sort(sorted.begin(), sorted.end());
    Sha256 h;
    for (const auto& p : sorted) {
      h.Update(p);
      h.Update("\n");
    }
    s.digest = h.Digest();
  }
  return s;
}

}  // namespace customs::store
