// The scan store (#15): every image's SBOM and findings over time, on SQLite (default) or PostgreSQL.
// docs/store.md describes it for users; store/schema.cpp holds the schema.
//
// An evaluation is one matching of an image's packages against one vulnerability database (a scan
// submitted by a client, or a rescan of the stored SBOM). Record() compares its findings with the
// image's open findings and writes the differences as events, in one transaction:
//   new               a (vulnerability, component) not open before
//   severity-changed  open before with another severity ("HIGH -> CRITICAL")
//   kev-added         open before, now listed in CISA KEV
//   fixed             open before, absent now, its component still in the image (the advisory no longer
//                     applies: withdrawn, or its affected range changed)
//   gone              open before, its component no longer in the image
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "findings/scan_result.h"
#include "store/sql.h"

namespace customs::store {

struct ComponentIn {
  std::string purl, type, name, version;
};

struct FindingIn {
  std::string vuln_id, purl;  // the component, by purl
  std::string aliases;        // comma-separated
  std::string severity, severity_source, fixed_version, title;
  bool kev = false;
  std::optional<double> epss;
  int risk = 0;
  std::string suppressed;  // suppression kinds, comma-separated ("" = the finding stands)
};

struct Submission {
  std::string digest;                 // the image (manifest) digest; for other targets a digest of the SBOM
  std::string artifact_type;          // "container_image", "rootfs", "filesystem"
  std::vector<std::string> refs;      // repo tags and repo digests
  std::string os_family, os_version;
  std::string sbom_format;            // "cyclonedx" (empty: no SBOM kept)
  std::string sbom;                   // the SBOM text as submitted
  std::vector<ComponentIn> components;
  std::vector<FindingIn> findings;
  std::string at;                     // RFC 3339 UTC of the evaluation
  std::string db_version;             // the vulnerability database's build time (or id)
};

struct Event {
  int64_t id = 0;
  std::string image_digest, kind, vuln_id, purl, at, detail, db_version;
};

struct FindingRow {
  std::string vuln_id, purl, package, version, severity, severity_source, fixed_version, title, suppressed;
  bool kev = false;
  int risk = 0;
  std::string first_seen, last_seen, closed_at, close_kind;
};

struct ImageRow {
  std::string digest, artifact_type, os_family, os_version, first_seen, last_seen;
  std::vector<std::string> refs;
  int64_t open_findings = 0, critical = 0, high = 0;
};

class Store {
 public:
  // "sqlite:PATH", "sqlite://PATH" or a plain path: SQLite; "postgres://..." / "postgresql://...":
  // PostgreSQL. Migrates the schema on open. Throws customs::Error (kExitIo, kExitUsage for a bad URL).
  static std::unique_ptr<Store> Open(const std::string& url);
  explicit Store(std::unique_ptr<Sql> sql);

  // Records one evaluation; returns the events it produced, in order. One transaction.
  std::vector<Event> Record(const Submission& s);

  std::vector<ImageRow> Images();
  // The image's findings: open ones, and with `include_closed` the closed ones too.
  std::vector<FindingRow> Findings(const std::string& digest, bool include_closed = false);
  // Events with id > after_id (oldest first), at most `limit`; of one image when `digest` is given.
  std::vector<Event> Events(int64_t after_id = 0, size_t limit = 1000, const std::string& digest = "");
  // The stored SBOM of an image (the latest), decompressed; nullopt when none.
  std::optional<std::string> Sbom(const std::string& digest);
  int SchemaVersion();

  // A new API token ("cst_" + 64 hex digits from the system's CSPRNG) of scope "read" or "write"; only
  // its SHA-256 is stored. The token is returned once.
  std::string CreateToken(const std::string& scope, const std::string& at, const std::string& note = "");
  // The scope of a token, nullopt when it is not one of the store's.
  std::optional<std::string> TokenScope(const std::string& token);
  // Digests of the images that have a stored SBOM (rescans re-match them).
  std::vector<std::string> ImagesWithSbom();

  Sql& sql() { return *sql_; }

 private:
  std::unique_ptr<Sql> sql_;
};

// A submission from a scan (standing and suppressed vulnerability findings, the inventory's packages
// as components). `sbom`: the CycloneDX text to keep ("" keeps none). `db_version`: the database's
// build time.
Submission SubmissionFromScan(const ScanResult& r, const std::string& sbom, const std::string& db_version);

}  // namespace customs::store
