#include "db/update.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iomanip>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <set>
#include <sstream>

#include "core/curl_lib.h"
#include "core/error.h"
#include "db/schema.h"
#include "db/vulndb.h"

namespace customs::db {

namespace fs = std::filesystem;

namespace {

struct TableLine {
  const char* group;
  const char* source;
  const char* file;
  const char* url;
};

constexpr const char* kAlpineBranches[] = {
#define CUSTOMS_ALPINE_BRANCH(b) b,
#define CUSTOMS_FEED_URL(group, source, file, url)
#include "db/feeds_urls.inc"
#undef CUSTOMS_FEED_URL
#undef CUSTOMS_ALPINE_BRANCH
};

constexpr TableLine kTable[] = {
#define CUSTOMS_ALPINE_BRANCH(b)
#define CUSTOMS_FEED_URL(group, source, file, url) {group, source, file, url},
#include "db/feeds_urls.inc"
#undef CUSTOMS_FEED_URL
#undef CUSTOMS_ALPINE_BRANCH
};

std::string ReplaceAll(std::string s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) s.replace(pos, from.size(), to);
  return s;
}

// "https://host:port/path?q" -> {"https://host:port", "/path?q"}; false when not http(s)://host.
bool SplitUrl(const std::string& url, std::string& origin, std::string& path) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return false;
  std::string scheme = url.substr(0, scheme_end);
  for (auto& c : scheme) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "http" && scheme != "https") return false;
  size_t host_start = scheme_end + 3;
  size_t host_end = url.find_first_of("/?#", host_start);
  if (host_end == std::string::npos) host_end = url.size();
  if (host_end == host_start) return false;
  origin = url.substr(0, host_end);
  path = url.substr(host_end);
  return true;
}

bool ProcessGone(long pid) { return pid > 0 && pid != long(::getpid()) && ::kill(pid_t(pid), 0) != 0 && errno == ESRCH; }

// Leading decimal digits of `s` as a pid (-1 when none or too long).
long LeadingPid(const std::string& s) {
  size_t n = 0;
  while (n < s.size() && n < 10 && std::isdigit(static_cast<unsigned char>(s[n]))) ++n;
  if (n == 0 || (n < s.size() && std::isdigit(static_cast<unsigned char>(s[n])))) return -1;
  return std::stol(s.substr(0, n));
}

struct WriteState {
  FILE* f = nullptr;
  uint64_t written = 0;
  uint64_t max_bytes = 0;
  bool too_large = false;
  bool write_failed = false;
  const volatile std::sig_atomic_t* cancel = nullptr;
};

int ProgressCallback(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* st = static_cast<WriteState*>(user);
  return st->cancel && *st->cancel ? 1 : 0;  // non-zero aborts (CURLE_ABORTED_BY_CALLBACK)
}

bool Cancelled(const volatile std::sig_atomic_t* cancel) { return cancel && *cancel; }

void ThrowIfCancelled(const volatile std::sig_atomic_t* cancel) {
  if (Cancelled(cancel)) throw Error(kExitIo, "db update: interrupted; the database was not changed");
}

size_t WriteCallback(char* data, size_t size, size_t nmemb, void* user) {
  auto* st = static_cast<WriteState*>(user);
  size_t n = size * nmemb;
  if (st->written + n > st->max_bytes) {
    st->too_large = true;
    return 0;  // aborts the transfer (CURLE_WRITE_ERROR)
  }
  if (std::fwrite(data, 1, n, st->f) != n) {
    st->write_failed = true;
    return 0;
  }
  st->written += n;
  return n;
}

std::string HumanBytes(uint64_t n) {
  std::ostringstream s;
  if (n >= (1u << 20))
    s << std::fixed << std::setprecision(1) << double(n) / double(1u << 20) << " MiB";
  else if (n >= 1024)
    s << std::fixed << std::setprecision(1) << double(n) / 1024.0 << " KiB";
  else
    s << n << " B";
  return s.str();
}

// A directory removed (with its content) on destruction.
class ScopedDir {
 public:
  explicit ScopedDir(std::string path) : path_(std::move(path)) {}
  ~ScopedDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  ScopedDir(const ScopedDir&) = delete;
  ScopedDir& operator=(const ScopedDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A file removed on destruction unless released.
class ScopedFile {
 public:
  explicit ScopedFile(std::string path) : path_(std::move(path)) {}
  ~ScopedFile() {
    std::error_code ec;
    if (!path_.empty()) fs::remove(path_, ec);
  }
  ScopedFile(const ScopedFile&) = delete;
  ScopedFile& operator=(const ScopedFile&) = delete;
  void Release() { path_.clear(); }

 private:
  std::string path_;
};

std::string TempRoot(const std::string& configured) {
  if (!configured.empty()) return configured;
  const char* t = std::getenv("TMPDIR");
  if (t && *t) return t;
  return "/tmp";
}

// Flushes a file's content to disk (best effort: the rename that follows is what makes it atomic).
void SyncPath(const std::string& path, bool directory) {
  int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

// Opens the freshly built database and checks it before it may replace the old one.
void CheckBuilt(const std::string& staged, const std::set<std::string>& required_sources,
                const std::map<std::string, std::string>& origin_of) {
  auto vdb = VulnDB::Open(staged);  // throws on a wrong schema version
  DbInfo info = vdb->Info();
  if (info.schema_version != kSchemaVersion)
    throw IoError(staged, "built database has schema " + std::to_string(info.schema_version) + ", expected " +
                              std::to_string(kSchemaVersion));
  for (const auto& name : required_sources) {
    const SourceInfo* found = nullptr;
    for (const auto& s : info.sources)
      if (s.name == name) found = &s;
    std::string from;
    if (auto it = origin_of.find(name); it != origin_of.end()) from = " (from " + it->second + ")";
    if (!found)
      throw Error(kExitInputRejected, name + from + ": not recognized as a feed after download; database not replaced");
    if (found->records <= 0)
      throw Error(kExitInputRejected, name + from + ": no records (" + std::to_string(found->skipped) +
                                          " skipped): not the expected feed format; database not replaced");
  }
}

}  // namespace

const std::vector<std::string>& AlpineBranches() {
  static const std::vector<std::string> v(std::begin(kAlpineBranches), std::end(kAlpineBranches));
  return v;
}

const std::vector<FeedUrl>& LiveFeeds() {
  static const std::vector<FeedUrl> v = [] {
    std::vector<FeedUrl> out;
    for (const auto& line : kTable) {
      std::string file = line.file, url = line.url;
      if (url.find("{branch}") != std::string::npos || file.find("{branch}") != std::string::npos) {
        for (const auto& b : AlpineBranches())
          out.push_back({line.group, line.source, ReplaceAll(file, "{branch}", b), ReplaceAll(url, "{branch}", b)});
      } else {
        out.push_back({line.group, line.source, file, url});
      }
    }
    return out;
  }();
  return v;
}

std::vector<FeedUrl> SelectFeeds(const std::string& feeds) {
  const auto& all = LiveFeeds();
  std::set<std::string> wanted;
  std::stringstream ss(feeds);
  for (std::string tok; std::getline(ss, tok, ',');) {
    std::string t;
    for (char c : tok)
      if (!std::isspace(static_cast<unsigned char>(c))) t += char(std::tolower(static_cast<unsigned char>(c)));
    if (t.empty()) continue;
    bool known = false;
    for (const auto& f : all) known = known || f.group == t || f.source == t;
    if (!known) {
      std::set<std::string> names;
      std::string list;
      for (const auto& f : all) {
        if (names.insert(f.group).second) list += (list.empty() ? "" : ", ") + f.group;
      }
      for (const auto& f : all)
        if (names.insert(f.source).second) list += ", " + f.source;
      throw UsageError("db update: --feeds: unknown feed '" + t + "' (known: " + list + ")");
    }
    wanted.insert(t);
  }
  if (wanted.empty()) return all;
  std::vector<FeedUrl> out;
  for (const auto& f : all)
    if (wanted.count(f.group) || wanted.count(f.source)) out.push_back(f);
  return out;
}

std::string RebaseUrl(const std::string& url, const std::string& base) {
  std::string base_origin, base_path, origin, path;
  if (!SplitUrl(base, base_origin, base_path) || base_path.find_first_of("?#") != std::string::npos)
    throw UsageError("db update: --base-url must be an http:// or https:// URL with a host (and optionally a path): '" +
                     base + "'");
  if (!SplitUrl(url, origin, path)) throw UsageError("not an http(s) URL: " + url);
  while (!base_path.empty() && base_path.back() == '/') base_path.pop_back();
  return base_origin + base_path + path;
}

void DownloadFile(const std::string& url, const std::string& file, const DownloadLimits& limits,
                  std::ostream* progress, const volatile std::sig_atomic_t* cancel) {
  ScopedFile guard(file);
  WriteState st;
  st.max_bytes = limits.max_bytes;
  st.cancel = cancel;
  st.f = std::fopen(file.c_str(), "wb");
  if (!st.f) throw IoError(file, std::string("cannot create: ") + std::strerror(errno));
  const curl::Api& api = curl::Lib();
  std::unique_ptr<CURL, void (*)(CURL*)> h(api.easy_init(), api.easy_cleanup);
  if (!h) {
    std::fclose(st.f);
    throw IoError(url, "download failed: cannot initialize libcurl");
  }
  char errbuf[CURL_ERROR_SIZE] = {0};
  const bool https = url.rfind("https://", 0) == 0 || url.rfind("HTTPS://", 0) == 0;
  CURL* c = h.get();
  api.easy_setopt(c, CURLOPT_URL, url.c_str());
  api.easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  api.easy_setopt(c, CURLOPT_WRITEFUNCTION, WriteCallback);
  api.easy_setopt(c, CURLOPT_WRITEDATA, &st);
  api.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  api.easy_setopt(c, CURLOPT_FAILONERROR, 1L);
  api.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  api.easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
  api.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  // Redirects never downgrade an https download to http.
  api.easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, https ? "https" : "http,https");
  api.easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  api.easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  api.easy_setopt(c, CURLOPT_CONNECTTIMEOUT, limits.connect_timeout_seconds);
  api.easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, limits.low_speed_bytes);
  api.easy_setopt(c, CURLOPT_LOW_SPEED_TIME, limits.low_speed_seconds);
  api.easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(limits.max_bytes));
  api.easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // gzip/deflate transfer encoding when offered
  api.easy_setopt(c, CURLOPT_XFERINFOFUNCTION, ProgressCallback);
  api.easy_setopt(c, CURLOPT_XFERINFODATA, &st);
  api.easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  api.easy_setopt(c, CURLOPT_USERAGENT, "customs/" CUSTOMS_VERSION);
  auto t0 = std::chrono::steady_clock::now();
  if (progress) *progress << "downloading " << url << " ..." << std::flush;
  CURLcode rc = api.easy_perform(c);
  bool closed_ok = std::fclose(st.f) == 0;
  st.f = nullptr;
  std::string reason;
  if (rc != CURLE_OK) {
    if (Cancelled(cancel))
      reason = "interrupted";
    else if (st.too_large || rc == CURLE_FILESIZE_EXCEEDED)
      reason = "larger than the limit of " + HumanBytes(limits.max_bytes);
    else if (st.write_failed)
      reason = "cannot write " + file + ": " + std::strerror(errno);
    else
      reason = std::string(api.easy_strerror(rc)) + (errbuf[0] ? std::string(" (") + errbuf + ")" : "");
  } else if (!closed_ok) {
    reason = "cannot write " + file + ": " + std::strerror(errno);
  }
  if (!reason.empty()) {
    if (progress) *progress << " failed\n" << std::flush;
    throw IoError(url, "download failed: " + reason);
  }
  if (progress) {
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::ostringstream s;
    s << std::fixed << std::setprecision(1) << secs;
    *progress << " " << HumanBytes(st.written) << " in " << s.str() << "s\n" << std::flush;
  }
  guard.Release();
}

int RemoveStaleUpdateFiles(const std::string& db, const std::string& temp_dir) {
  int removed = 0;
  std::error_code ec;
  fs::path target(db);
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const std::string prefix = target.filename().string() + ".tmp-";
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    if (!ProcessGone(LeadingPid(name.substr(prefix.size())))) continue;
    std::error_code e2;
    if (fs::is_regular_file(fs::symlink_status(it->path(), e2)) && fs::remove(it->path(), e2)) ++removed;
  }
  if (!temp_dir.empty()) {
    ec.clear();
    const std::string tprefix = "customs-update-";
    for (fs::directory_iterator it(temp_dir, ec), end; !ec && it != end; it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (name.rfind(tprefix, 0) != 0) continue;
      if (!ProcessGone(LeadingPid(name.substr(tprefix.size())))) continue;
      std::error_code e2;
      if (fs::is_directory(fs::symlink_status(it->path(), e2)) && fs::remove_all(it->path(), e2) > 0) ++removed;
    }
  }
  return removed;
}

UpdateResult UpdateDatabase(const UpdateOptions& o) {
  UpdateResult res;
  res.db = o.db.empty() ? DefaultDatabasePath() : o.db;
  const bool offline = !o.offline_mirror.empty();
  if (offline && !o.base_url.empty()) throw UsageError("db update: --offline-mirror and --base-url exclude each other");
  if (offline && !o.feeds.empty())
    throw UsageError("db update: --feeds selects downloads; with --offline-mirror, the mirror's content is built");
  std::vector<FeedUrl> feeds;
  if (!offline) {
    feeds = SelectFeeds(o.feeds);
    for (auto& f : feeds)
      if (!o.base_url.empty()) f.url = RebaseUrl(f.url, o.base_url);
  }

  fs::path target(res.db);
  std::error_code ec;
  if (target.has_parent_path()) {
    fs::create_directories(target.parent_path(), ec);
    if (ec) throw IoError(target.parent_path().string(), "cannot create directory: " + ec.message());
  }
  if (fs::is_directory(target, ec)) throw IoError(res.db, "is a directory");
  const std::string temp_root = TempRoot(o.temp_dir);
  RemoveStaleUpdateFiles(res.db, temp_root);

  // 1. The input directory: downloads into a fresh temporary directory, or the offline mirror.
  std::unique_ptr<ScopedDir> download_dir;
  std::string from;
  std::set<std::string> required;
  std::map<std::string, std::string> origin_of;
  if (offline) {
    from = o.offline_mirror;
    for (const auto& in : DiscoverSources(from)) {
      required.insert(in.name);
      origin_of[in.name] = in.path;
    }
    if (required.empty())
      throw IoError(from, "no advisory feed found (expected alpine-secdb/, debian-tracker/, osv-*/, rustsec/, kev/ or nvd/)");
  } else {
    std::string templ = (fs::path(temp_root) / ("customs-update-" + std::to_string(::getpid()) + "-XXXXXX")).string();
    if (!::mkdtemp(templ.data())) throw IoError(temp_root, std::string("cannot create a temporary directory: ") + std::strerror(errno));
    download_dir = std::make_unique<ScopedDir>(templ);
    from = templ;
    for (const auto& f : feeds) {
      fs::path dest = fs::path(from) / f.file;
      fs::create_directories(dest.parent_path(), ec);
      if (ec) throw IoError(dest.parent_path().string(), "cannot create directory: " + ec.message());
      ThrowIfCancelled(o.cancel);
      DownloadFile(f.url, dest.string(), o.limits, o.progress, o.cancel);
      res.urls.push_back(f.url);
      required.insert(f.source);
      auto& origin = origin_of[f.source];
      origin += (origin.empty() ? "" : ", ") + f.url;
    }
  }

  // 2. Build next to the target (same file system: the final rename is atomic), then check it.
  const std::string staged = res.db + ".tmp-" + std::to_string(::getpid()) + "-update";
  ScopedFile staged_guard(staged);
  fs::remove(staged, ec);
  BuildOptions b;
  b.from = from;
  b.output = staged;
  b.out = nullptr;
  b.err = o.err;
  ThrowIfCancelled(o.cancel);
  res.build = BuildDatabase(b);
  ThrowIfCancelled(o.cancel);
  CheckBuilt(staged, required, origin_of);
  ThrowIfCancelled(o.cancel);

  // 3. Replace.
  SyncPath(staged, false);
  fs::rename(staged, target, ec);
  if (ec) throw IoError(res.db, "cannot replace database: " + ec.message());
  staged_guard.Release();
  SyncPath(target.has_parent_path() ? target.parent_path().string() : ".", true);

  if (o.out) {
    size_t w = 6;
    for (const auto& s : res.build.sources) w = std::max(w, s.name.size());
    *o.out << std::left << std::setw(int(w) + 2) << "SOURCE" << std::setw(16) << "FORMAT" << std::right
           << std::setw(9) << "RECORDS" << std::setw(9) << "SKIPPED" << "  SNAPSHOT\n";
    for (const auto& s : res.build.sources)
      *o.out << std::left << std::setw(int(w) + 2) << s.name << std::setw(16) << s.feed << std::right
             << std::setw(9) << s.records << std::setw(9) << s.skipped << "  "
             << (s.snapshot.empty() ? "-" : s.snapshot) << "\n";
    std::ostringstream secs;
    secs << std::fixed << std::setprecision(1) << res.build.seconds;
    *o.out << "updated " << res.db << ": " << res.build.advisories << " advisories, " << res.build.affected
           << " affected-package records, built " << res.build.built << " (build " << secs.str() << "s)\n";
  }
  return res;
}

}  // namespace customs::db
