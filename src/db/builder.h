// `customs db build`: finds the feeds under a directory, parses them, and writes one database file.
// The database is written to a temporary file next to the output and renamed over it at the end, so
// an interrupted build leaves the previous database intact. Identical input gives identical content:
// records are merged in memory and inserted in sorted order; the only timestamp is meta.built, which
// is CUSTOMS_FIXED_TIME (or SOURCE_DATE_EPOCH) when set.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace customs::db {

struct SourceInput {
  std::string name;  // "alpine-secdb", "osv-go", ... (directory or file stem)
  std::string feed;  // parser id (feeds/list.inc)
  std::string path;
};

// Sources under `dir`: each child directory matched by its name (alpine-secdb, debian-tracker, osv-*,
// rustsec, kev, nvd) or else by the content of its first recognizable file; loose files by content.
// If `dir` itself is a feed (by name or content), it is the one source. Sorted by name.
// `ignored` receives the children nothing claimed.
std::vector<SourceInput> DiscoverSources(const std::string& dir, std::vector<std::string>* ignored = nullptr);

struct BuildOptions {
  std::string from;    // directory (or a single feed file)
  std::string output;  // database path; its directory is created
  std::ostream* out = nullptr;  // summary table (nullptr: none)
  std::ostream* err = nullptr;  // diagnostics (nullptr: none)
  size_t max_diagnostics_shown = 50;  // per source; the rest are counted
  // Sources read besides those found under `from` (one of the same name found there is replaced):
  // `db update` keeps the NVD feeds in a cache directory beside the database (update.h).
  std::vector<SourceInput> extra_sources;
};

struct SourceSummary {
  std::string name, feed, input, snapshot;
  int64_t records = 0;
  int64_t skipped = 0;
};

struct BuildResult {
  std::vector<SourceSummary> sources;
  std::vector<std::string> diagnostics;  // "where: reason"
  int64_t advisories = 0;
  int64_t affected = 0;
  std::string built;  // meta.built
  double seconds = 0;
};

// Throws customs::Error: IoError when `from` is unreadable / nothing recognizable in it or the output
// cannot be written.
BuildResult BuildDatabase(const BuildOptions& options);

// meta.built for a build now: CUSTOMS_FIXED_TIME (epoch seconds or a literal timestamp), else
// SOURCE_DATE_EPOCH, else the current UTC time; RFC 3339 "YYYY-MM-DDTHH:MM:SSZ".
std::string BuildTimestamp();

}  // namespace customs::db
