// THE database schema (one place), its version, the key normalization shared by the builder and the
// matcher, and small SQLite helpers (RAII handle + prepared statement).
//
// Tables (see kSchemaSql in schema.cpp for the exact DDL):
//   meta(key, value)                      schema_version, built (UTC, RFC 3339; CUSTOMS_FIXED_TIME honoured)
//   sources(name, format, records, skipped, snapshot, input)
//   advisories(id, summary, details, published, modified, withdrawn, source)
//   aliases(advisory_id, alias)           + index on alias (CVE -> advisories)
//   refs(advisory_id, seq, type, url)
//   cvss(vuln_id, source, type, vector)   vuln_id: an advisory id or a CVE (NVD)
//   cwes(vuln_id, cwe)
//   kev(cve, date_added, due_date, ransomware_use, vendor, product, name)
//   affected(id, advisory_id, ecosystem, package, source, status, status_note, fixed_version, severity, purl)
//                                         + index (ecosystem, package): the matcher's query
//   affected_ranges(affected_id, range_seq, seq, type, repo, event, version)
//   affected_versions(affected_id, version)
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace customs::db {

// 2: package names folded by core/ecosystem.h (NuGet and Packagist lowercased; PyPI names keep
// leading/trailing separators as one '-', like packaging's canonicalize_name).
// 3: NVD (description, dates) and EPSS tables.
// 4: distribution release keys from core/distro.h ("rhel:9", "almalinux:8", "wolfi"): databases built
//    before store OSV records of those distributions under keys the scanner never asks for; crates.io
//    names folded (case, '-' = '_') in the RustSec and OSV records alike.
inline constexpr int kSchemaVersion = 4;

// Every CREATE statement, in order.
const char* SchemaSql();

// Ecosystem keys. Distributions: the key of core/distro.h's table (distro::KeyFromOsv, the same table
// the scanner's distro::ReleaseKey reads): "Alpine:v3.18" / "alpine:3.18" -> "alpine:v3.18"; "Debian:11" /
// "debian:bullseye" -> "debian:bullseye"; "Ubuntu:22.04:LTS" -> "ubuntu:22.04";
// "Red Hat:enterprise_linux:9::baseos" -> "rhel:9"; "AlmaLinux:9" -> "almalinux:9"; "Rocky Linux:9" ->
// "rocky:9"; "SUSE:Linux Enterprise Server 15 SP5" -> "sles:15.5"; "openSUSE:Leap 15.5" ->
// "opensuse-leap:15.5"; "Wolfi" -> "wolfi". Distribution spellings the table maps to no release (Red Hat
// EUS streams, SUSE LTSS) and language ecosystems keep their OSV spelling with the head canonical ("Go",
// "PyPI", "crates.io", "npm", "Maven", "Red Hat:rhel_eus:9.2::appstream"), matched case-insensitively.
std::string NormalizeEcosystem(std::string_view ecosystem);
// Debian release number -> codename ("11" -> "bullseye"; distro::DebianCodename); unknown numbers are
// returned unchanged.
std::string DebianCodename(std::string_view release);
// Package names as stored: folded like the package type of the ecosystem (core/ecosystem.h: PyPI
// PEP 503, NuGet and Packagist ASCII-lowercased), others unchanged.
std::string NormalizePackage(std::string_view ecosystem_key, std::string_view name);

// ${XDG_CACHE_HOME:-~/.cache}/customs/db/customs.db
std::string DefaultDatabasePath();
// The directory holding a database file ("." for a bare name): other offline data lives beside it.
std::string DatabaseDirectory(const std::string& db_path);

// RAII sqlite3 handle.
class Connection {
 public:
  Connection() = default;
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  Connection(Connection&& o) noexcept : db_(o.db_) { o.db_ = nullptr; }

  // Opens read-only (must exist) or read-write-create. Throws customs::Error (IoError).
  static Connection OpenReadOnly(const std::string& path);
  static Connection Create(const std::string& path);  // the file must not hold a database yet

  sqlite3* get() const { return db_; }
  void Exec(const std::string& sql);  // throws on error
  // Creates every table of the schema and writes meta.schema_version.
  void CreateSchema();

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

// A prepared statement; Bind* are 1-based. Step() returns true while a row is available.
class Statement {
 public:
  Statement(const Connection& c, const char* sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int i, std::string_view text);
  Statement& Bind(int i, int64_t value);
  Statement& BindNull(int i);
  Statement& BindReal(int i, double value);
  bool Step();
  void Run();    // Step to completion, then Reset
  void Reset();  // reset and clear bindings
  std::string Text(int col) const;
  int64_t Int(int col) const;
  double Real(int col) const;
  bool IsNull(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace customs::db
