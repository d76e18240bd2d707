// `customs db update`: downloads the live feeds (src/db/feeds_urls.inc) with libcurl into a temporary
// directory laid out like `db build --from` expects, builds a database next to the target
// ("<db>.tmp-<pid>-update"), opens it with VulnDB::Open to check it (schema version, every selected
// source has records), then renames it over the target. Any failure (a download, the build, the
// check) removes the temporary files and leaves the previous database untouched; an update killed
// outright leaves at most a download directory under $TMPDIR and a "<db>.tmp-<pid>..." file, which
// the next update removes (RemoveStaleUpdateFiles). `--offline-mirror DIR` skips the downloads and
// builds from DIR with the same check and replace.
// NVD is incremental: the yearly and `modified` feeds live in FeedCacheDirectory(db) with the META
// each body was verified against; an update downloads every META, and a body only when its META
// differs from the cached one (or the body is missing or not gzSize bytes). A downloaded body is
// checked against its META (gzSize, size, sha256 of the decompressed JSON) before it replaces the
// cached one; a mismatch fails the update (exit 3) and leaves the database and the cache as they were.
#pragma once

#include <csignal>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "db/builder.h"

namespace customs::db {

// One line of the URL table, "{branch}" expanded.
struct FeedUrl {
  std::string group;   // "alpine", "debian", "osv", "kev", "nvd", "epss"
  std::string source;  // builder source name: "alpine-secdb", "debian-tracker", "osv-go", "kev", ...
  std::string file;    // relative path in the download directory: "alpine-secdb/v3.20/main.json"
  std::string url;     // live URL
  // META-guarded feeds (NVD): the META file's URL and the "{year}" the line expanded to ("2019",
  // "modified"); empty for the others.
  std::string meta_url;
  std::string year;
  // Yum repositories (Amazon Linux): `url` is the repository's mirror.list; the body is the
  // updateinfo.xml.gz its repodata/repomd.xml names, checked against the sha256 repomd.xml gives.
  bool yum = false;
};

// A NVD data feed's META file (https://nvd.nist.gov/vuln/data-feeds): "key:value" lines.
struct NvdMeta {
  std::string last_modified;  // lastModifiedDate
  uint64_t size = 0;          // uncompressed JSON bytes
  uint64_t gz_size = 0;       // gzSize: the .json.gz bytes
  std::string sha256;         // of the uncompressed JSON, lowercase hex
};
// False (with `error`) unless lastModifiedDate, size, gzSize and a 64-hex-digit sha256 are present.
bool ParseNvdMeta(std::string_view text, NvdMeta& meta, std::string& error);
// Decompresses the gzip file `gz` in chunks and checks it against `meta` (compressed size,
// uncompressed size, sha256). False with `error` naming what differs.
bool VerifyAgainstMeta(const std::string& gz, const NvdMeta& meta, std::string& error);
// `--nvd-years`: "" (every year of the table), "2019", "2018-2020", "2002,2019-2020"; UsageError
// otherwise. The `modified` feed is always kept.
std::vector<FeedUrl> FilterNvdYears(std::vector<FeedUrl> feeds, const std::string& years);
// Where `db update` keeps the META-guarded feeds between updates: "<db>.feeds/" (its nvd/ holds
// nvdcve-2.0-<year>.json.gz and nvdcve-2.0-<year>.meta, the META the body was verified against).
std::string FeedCacheDirectory(const std::string& db);

// Every table line, in table order.
const std::vector<FeedUrl>& LiveFeeds();
// The Alpine branches of the table ("v3.19", ...).
const std::vector<std::string>& AlpineBranches();

// `--feeds`: a comma-separated list of groups (alpine, debian, osv, kev, nvd, epss) or source names (osv-go,
// osv-pypi, ...); empty selects everything. Table order is kept. UsageError for an unknown name.
std::vector<FeedUrl> SelectFeeds(const std::string& feeds);

// `--base-url`: the scheme and host (and port) of `url` replaced by `base` ("http://127.0.0.1:8000",
// optionally with a path prefix: "https://mirror.example/customs"), the path kept.
// UsageError unless `base` is an http:// or https:// URL with a host.
std::string RebaseUrl(const std::string& url, const std::string& base);

struct DownloadLimits {
  long connect_timeout_seconds = 30;
  long low_speed_bytes = 1024;    // abort when slower than this ...
  long low_speed_seconds = 60;    // ... for this long
  uint64_t max_bytes = 2ull << 30;  // per download
};

// Downloads `url` into `file` (created or truncated). HTTPS peers are verified; redirects are followed
// (at most 5, never from https to http); HTTP errors (>= 400) fail. Throws customs::Error (kExitIo)
// "<url>: download failed: <curl's reason>" and removes `file` on failure. `progress` (may be null)
// gets one line per download.
// `cancel` (may be null): when it becomes non-zero (a signal handler sets it), the transfer stops with
// "interrupted".
void DownloadFile(const std::string& url, const std::string& file, const DownloadLimits& limits = {},
                  std::ostream* progress = nullptr, const volatile std::sig_atomic_t* cancel = nullptr);

struct UpdateOptions {
  std::string db;              // target database (empty: DefaultDatabasePath())
  std::string base_url;        // see RebaseUrl; empty: the live hosts
  std::string offline_mirror;  // build from this directory instead of downloading
  std::string feeds;           // see SelectFeeds (downloads only)
  std::string nvd_years;       // see FilterNvdYears (downloads only)
  std::string temp_dir;        // where the download directory goes (empty: $TMPDIR or /tmp)
  DownloadLimits limits;
  std::ostream* out = nullptr;       // the summary table
  std::ostream* progress = nullptr;  // one line per download
  std::ostream* err = nullptr;       // skipped-record diagnostics
  // Set non-zero by a signal handler (the CLI's, for SIGINT/SIGTERM/SIGHUP): the update stops at the
  // next download chunk or step, removes its temporary files and throws (kExitIo, "interrupted").
  const volatile std::sig_atomic_t* cancel = nullptr;
};

struct UpdateResult {
  std::string db;                 // the replaced database
  std::vector<std::string> urls;  // downloaded, in order (empty for --offline-mirror); META files too
  std::vector<std::string> kept;  // META-guarded feed bodies not downloaded: their META is unchanged
  BuildResult build;
};

// Throws customs::Error: UsageError for bad options; IoError (kExitIo) when a download fails, the
// mirror is unreadable or the database cannot be written; InputError (kExitInputRejected) when the
// built database fails the check (a source without records: the feed was not what we expected).
UpdateResult UpdateDatabase(const UpdateOptions& options);

// Removes what killed updates left behind: "<db>.tmp-<pid>..." files next to `db` and
// "customs-update-<pid>-*" directories in `temp_dir`, when process <pid> no longer exists.
// Errors are ignored. Returns the number of paths removed.
int RemoveStaleUpdateFiles(const std::string& db, const std::string& temp_dir);

}  // namespace customs::db
