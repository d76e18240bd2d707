// `customs db update`: downloads the live feeds (src/db/feeds_urls.inc) with libcurl into a temporary
// directory laid out like `db build --from` expects, builds a database next to the target
// ("<db>.tmp-<pid>-update"), opens it with VulnDB::Open to check it (schema version, every selected
// source has records), then renames it over the target. Any failure (a download, the build, the
// check) removes the temporary files and leaves the previous database untouched; an update killed
// outright leaves at most a download directory under $TMPDIR and a "<db>.tmp-<pid>..." file, which
// the next update removes (RemoveStaleUpdateFiles). `--offline-mirror DIR` skips the downloads and
// builds from DIR with the same check and replace.
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
  std::string group;   // "alpine", "debian", "osv", "kev"
  std::string source;  // builder source name: "alpine-secdb", "debian-tracker", "osv-go", "kev", ...
  std::string file;    // relative path in the download directory: "alpine-secdb/v3.20/main.json"
  std::string url;     // live URL
};

// Every table line, in table order.
const std::vector<FeedUrl>& LiveFeeds();
// The Alpine branches of the table ("v3.19", ...).
const std::vector<std::string>& AlpineBranches();

// `--feeds`: a comma-separated list of groups (alpine, debian, osv, kev) or source names (osv-go,
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
  std::vector<std::string> urls;  // downloaded, in order (empty for --offline-mirror)
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
