// Feed parsers: one file per upstream format under src/db/feeds/, one line in src/db/feeds/list.inc.
// A parser turns files into normalized records (db/records.h) and hands them to a Sink. A malformed
// record is reported through Sink::Skip (file + reason) and skipped; parsers never throw for bad
// content (only the builder decides what is fatal).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "db/records.h"

namespace customs::db {

class Sink {
 public:
  virtual ~Sink() = default;
  virtual void Advisory(AdvisoryRecord&& record) = 0;
  virtual void Kev(KevRecord&& record) { (void)record; }
  virtual void Nvd(NvdRecord&& record) { (void)record; }
  virtual void Epss(EpssRecord&& record) { (void)record; }
  // A malformed record (or file): `where` is the file (and the entry inside it).
  virtual void Skip(const std::string& where, const std::string& reason) = 0;
  // The feed's own snapshot/release date, when it states one.
  virtual void Snapshot(const std::string& date) { (void)date; }
};

struct Feed {
  const char* id;      // "alpine_secdb", "debian_tracker", "osv", "rustsec", "kev", "nvd"
  const char* format;  // human name for the summary table
  // The data source a finding names (JSON `dataSource`, CycloneDX `source`): its name and home page.
  const char* source_name;  // "Alpine Secdb"
  const char* homepage;     // "https://secdb.alpinelinux.org/"
  // Does this directory name (last component) look like this feed's layout? ("alpine-secdb", "osv-go", ...)
  bool (*MatchesDirName)(const std::string& name);
  // Does this file's content look like this feed? (first bytes + name)
  bool (*Sniff)(const std::filesystem::path& file, std::string_view head);
  // Parses a file or a directory (recursively, in sorted order).
  void (*ParsePath)(const std::filesystem::path& path, Sink& sink);
  // Parses one in-memory document; `name` is used for diagnostics and format hints (".yaml", ".json").
  void (*ParseBytes)(std::string_view data, const std::string& name, Sink& sink);
};

const std::vector<const Feed*>& Feeds();
const Feed* FindFeed(std::string_view id);
// The feed a builder source name ("alpine-secdb", "osv-go", "nvd") came from: the first whose
// MatchesDirName accepts it; nullptr when none does.
const Feed* FeedForSource(std::string_view source);

// ---- helpers shared by the parsers (feeds/common.cpp) ----

// Regular files under `path` (or `path` itself), sorted by path; symlinks are not followed.
std::vector<std::filesystem::path> ListFiles(const std::filesystem::path& path);
// Reads a whole file; returns false (and sets `error`) on failure or when larger than `max_bytes`.
bool ReadWholeFile(const std::filesystem::path& path, std::string& out, std::string& error,
                   uint64_t max_bytes = 256ull << 20);
// True when `data` starts with the gzip magic (1f 8b).
bool IsGzip(std::string_view data);
// Decompresses gzip data (every member of a multi-member stream). False with `error` on corrupt or
// truncated data ("truncated gzip data"), or when the output would exceed `max_bytes`.
bool Gunzip(std::string_view in, std::string& out, std::string& error, uint64_t max_bytes = 4ull << 30);
// ReadWholeFile, then Gunzip when the content is gzip (by magic); `max_bytes` bounds both sizes.
bool ReadMaybeGzip(const std::filesystem::path& path, std::string& out, std::string& error,
                   uint64_t max_bytes = 256ull << 20);
std::string Trim(std::string_view s);
bool EndsWith(std::string_view s, std::string_view suffix);
bool StartsWith(std::string_view s, std::string_view prefix);
std::string Lower(std::string_view s);
// Sorts and removes duplicates.
void SortUnique(std::vector<std::string>& v);

}  // namespace customs::db
