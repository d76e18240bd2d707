#include "db/schema.h"

#include <cstdlib>
#include <string>

#include "core/distro.h"
#include "core/ecosystem.h"
#include "core/error.h"
#include "db/feeds/feed.h"

namespace customs::db {

namespace {

// Bump kSchemaVersion (schema.h) whenever anything below changes.
constexpr const char* kSchema = R"SQL(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE sources (
  name     TEXT PRIMARY KEY,      -- 'alpine-secdb', 'debian-tracker', 'osv-go', 'rustsec', 'kev', 'nvd', ...
  format   TEXT NOT NULL,         -- feed parser id
  records  INTEGER NOT NULL,
  skipped  INTEGER NOT NULL,
  snapshot TEXT,                  -- the feed's own date, when it states one
  input    TEXT NOT NULL          -- path given at build time
) WITHOUT ROWID;
CREATE TABLE advisories (
  id        TEXT PRIMARY KEY,     -- CVE-..., DSA-..., GO-..., PYSEC-..., RUSTSEC-..., GHSA-...
  summary   TEXT,
  details   TEXT,
  published TEXT,
  modified  TEXT,
  withdrawn TEXT,
  source    TEXT NOT NULL         -- first source (in name order) that named it
) WITHOUT ROWID;
CREATE TABLE aliases (
  advisory_id TEXT NOT NULL,
  alias       TEXT NOT NULL,
  PRIMARY KEY (advisory_id, alias)
) WITHOUT ROWID;
CREATE INDEX aliases_by_alias ON aliases(alias);
CREATE TABLE refs (
  advisory_id TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  type        TEXT,
  url         TEXT NOT NULL,
  PRIMARY KEY (advisory_id, seq)
) WITHOUT ROWID;
CREATE TABLE cvss (
  vuln_id TEXT NOT NULL,          -- advisory id or CVE id
  source  TEXT NOT NULL,
  type    TEXT NOT NULL,          -- CVSS_V2 | CVSS_V3 | CVSS_V4
  vector  TEXT NOT NULL,
  PRIMARY KEY (vuln_id, source, type, vector)
) WITHOUT ROWID;
CREATE TABLE cwes (
  vuln_id TEXT NOT NULL,
  cwe     TEXT NOT NULL,          -- 'CWE-79'
  PRIMARY KEY (vuln_id, cwe)
) WITHOUT ROWID;
CREATE TABLE nvd (
  cve         TEXT PRIMARY KEY,
  description TEXT,               -- English description
  published   TEXT,
  modified    TEXT
) WITHOUT ROWID;
CREATE TABLE epss (
  cve        TEXT PRIMARY KEY,
  score      REAL NOT NULL,       -- 0..1: probability of exploitation activity in the next 30 days
  percentile REAL NOT NULL        -- 0..1
) WITHOUT ROWID;
CREATE TABLE kev (
  cve            TEXT PRIMARY KEY,
  date_added     TEXT NOT NULL,
  due_date       TEXT,
  ransomware_use TEXT,            -- 'Known' | 'Unknown'
  vendor         TEXT,
  product        TEXT,
  name           TEXT
) WITHOUT ROWID;
CREATE TABLE affected (
  id            INTEGER PRIMARY KEY,
  advisory_id   TEXT NOT NULL,
  ecosystem     TEXT NOT NULL,    -- 'alpine:v3.9', 'debian:bullseye', 'ubuntu:22.04', 'Go', 'PyPI', 'crates.io', ...
  package       TEXT NOT NULL,
  source        TEXT NOT NULL,
  status        TEXT NOT NULL,    -- 'fixed' | 'unfixed' | 'not-affected'
  status_note   TEXT,             -- feed wording: 'no-dsa', 'end-of-life', 'postponed', ...
  fixed_version TEXT,
  severity      TEXT,
  purl          TEXT
);
CREATE INDEX affected_by_package ON affected(ecosystem, package);
CREATE INDEX affected_by_advisory ON affected(advisory_id);
CREATE TABLE affected_ranges (
  affected_id INTEGER NOT NULL,
  range_seq   INTEGER NOT NULL,
  seq         INTEGER NOT NULL,
  type        TEXT NOT NULL,      -- ECOSYSTEM | SEMVER | GIT
  repo        TEXT,
  event       TEXT NOT NULL,      -- introduced | fixed | last_affected | limit
  version     TEXT NOT NULL,
  PRIMARY KEY (affected_id, range_seq, seq)
) WITHOUT ROWID;
CREATE TABLE affected_versions (
  affected_id INTEGER NOT NULL,
  version     TEXT NOT NULL,
  PRIMARY KEY (affected_id, version)
) WITHOUT ROWID;
)SQL";

}  // namespace

const char* SchemaSql() { return kSchema; }

std::string DebianCodename(std::string_view release) { return distro::DebianCodename(release); }

std::string NormalizeEcosystem(std::string_view ecosystem) {
  std::string e = Trim(ecosystem);
  // Distributions: the one table (core/distro.h) the scanner's release key comes from too.
  if (std::string key = distro::KeyFromOsv(e); !key.empty()) return key;
  const auto colon = e.find(':');
  // A bare distribution name ("Alpine", "Red Hat") is its key's head.
  if (colon == std::string::npos)
    if (const distro::Distro* d = distro::ForEcosystem(e)) return std::string(d->key);
  const std::string head = Lower(e.substr(0, colon));
  const std::string rest = colon == std::string::npos ? "" : e.substr(colon + 1);
  // Language ecosystems, and distribution spellings the table maps to no release key (Red Hat EUS
  // streams, SUSE LTSS): the canonical OSV spelling (core/ecosystem.cpp).
  if (std::string_view canon = ecosystem::CanonicalOsvName(head); !canon.empty())
    return std::string(canon) + (rest.empty() ? "" : ":" + rest);
  return e;
}

std::string NormalizePackage(std::string_view ecosystem_key, std::string_view name) {
  // The folding of the package type whose OSV ecosystem this is; OS release keys are exact.
  for (const auto& eco : ecosystem::All())
    if (!eco.osv.empty() && eco.osv == ecosystem_key) return ecosystem::Fold(eco.folding, Trim(name));
  return Trim(name);
}

std::string DefaultDatabasePath() {
  std::string base;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) {
    base = x;
  } else if (const char* h = std::getenv("HOME"); h && *h) {
    base = std::string(h) + "/.cache";
  } else {
    base = ".cache";
  }
  return base + "/customs/db/customs.db";
}

std::string DatabaseDirectory(const std::string& db_path) {
  const size_t slash = db_path.rfind('/');
  return slash == std::string::npos ? "." : slash == 0 ? "/" : db_path.substr(0, slash);
}

// ---- Connection / Statement ----

Connection::~Connection() {
  if (db_) sqlite3_close_v2(db_);
}

Connection Connection::OpenReadOnly(const std::string& path) {
  Connection c;
  c.path_ = path;
  int rc = sqlite3_open_v2(path.c_str(), &c.db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = c.db_ ? sqlite3_errmsg(c.db_) : sqlite3_errstr(rc);
    throw IoError(path, "cannot open database: " + msg);
  }
  sqlite3_busy_timeout(c.db_, 5000);
  return c;
}

Connection Connection::Create(const std::string& path) {
  Connection c;
  c.path_ = path;
  int rc = sqlite3_open_v2(path.c_str(), &c.db_,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = c.db_ ? sqlite3_errmsg(c.db_) : sqlite3_errstr(rc);
    throw IoError(path, "cannot create database: " + msg);
  }
  return c;
}

void Connection::Exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw IoError(path_, "sqlite: " + msg);
  }
}

void Connection::CreateSchema() {
  Exec(kSchema);
  Statement st(*this, "INSERT INTO meta(key, value) VALUES ('schema_version', ?)");
  st.Bind(1, std::to_string(kSchemaVersion)).Run();
}

Statement::Statement(const Connection& c, const char* sql) : db_(c.get()) {
  if (sqlite3_prepare_v2(db_, sql, -1, &stmt_, nullptr) != SQLITE_OK)
    throw IoError("database", std::string("sqlite: ") + sqlite3_errmsg(db_) + " in: " + sql);
}
Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::Bind(int i, std::string_view text) {
  sqlite3_bind_text(stmt_, i, text.data(), int(text.size()), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::Bind(int i, int64_t value) {
  sqlite3_bind_int64(stmt_, i, value);
  return *this;
}
Statement& Statement::BindReal(int i, double value) {
  sqlite3_bind_double(stmt_, i, value);
  return *this;
}
Statement& Statement::BindNull(int i) {
  sqlite3_bind_null(stmt_, i);
  return *this;
}
bool Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw IoError("database", std::string("sqlite: ") + sqlite3_errmsg(db_));
}
void Statement::Run() {
  while (Step()) {
  }
  Reset();
}
void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}
std::string Statement::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  return p ? std::string(reinterpret_cast<const char*>(p), size_t(sqlite3_column_bytes(stmt_, col))) : std::string();
}
int64_t Statement::Int(int col) const { return sqlite3_column_int64(stmt_, col); }
double Statement::Real(int col) const { return sqlite3_column_double(stmt_, col); }
bool Statement::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

}  // namespace customs::db
