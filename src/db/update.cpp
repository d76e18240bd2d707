#include "db/update.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <ctime>
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

#include <pugixml.hpp>
#include <zlib.h>

#include "core/curl_lib.h"
#include "core/error.h"
#include "core/sha256.h"
#include "db/feeds/feed.h"
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
#define CUSTOMS_NVD_FIRST_YEAR(y)
#define CUSTOMS_FEED_URL(group, source, file, url)
#include "db/feeds_urls.inc"
#undef CUSTOMS_FEED_URL
#undef CUSTOMS_NVD_FIRST_YEAR
#undef CUSTOMS_ALPINE_BRANCH
};

constexpr int kNvdFirstYear[] = {
#define CUSTOMS_ALPINE_BRANCH(b)
#define CUSTOMS_NVD_FIRST_YEAR(y) y,
#define CUSTOMS_FEED_URL(group, source, file, url)
#include "db/feeds_urls.inc"
#undef CUSTOMS_FEED_URL
#undef CUSTOMS_NVD_FIRST_YEAR
#undef CUSTOMS_ALPINE_BRANCH
};

constexpr TableLine kTable[] = {
#define CUSTOMS_ALPINE_BRANCH(b)
#define CUSTOMS_NVD_FIRST_YEAR(y)
#define CUSTOMS_FEED_URL(group, source, file, url) {group, source, file, url},
#include "db/feeds_urls.inc"
#undef CUSTOMS_FEED_URL
#undef CUSTOMS_NVD_FIRST_YEAR
#undef CUSTOMS_ALPINE_BRANCH
};

int CurrentYear() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm.tm_year + 1900;
}

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

// A yum repository's updateinfo (update.h FeedUrl::yum): mirror.list -> base URL -> repodata/repomd.xml
// -> the updateinfo location and sha256 -> the body, verified. `base_url` (--base-url) rebases the
// mirror's URL as it rebases the table's.
static void FetchYumUpdateinfo(const FeedUrl& f, const std::string& dest, const UpdateOptions& o, UpdateResult& res) {
  const std::string list_file = dest + ".mirror.list", repomd_file = dest + ".repomd.xml";
  ScopedFile list_guard(list_file), repomd_guard(repomd_file);
  DownloadFile(f.url, list_file, o.limits, o.progress, o.cancel);
  res.urls.push_back(f.url);
  std::string text, err;
  if (!ReadWholeFile(list_file, text, err, 1 << 16)) throw IoError(list_file, err);
  std::string base;
  for (size_t i = 0; i < text.size() && base.empty();) {
    size_t nl = text.find('\n', i);
    std::string line = Trim(text.substr(i, nl == std::string::npos ? std::string::npos : nl - i));
    i = nl == std::string::npos ? text.size() : nl + 1;
    if (StartsWith(line, "http://") || StartsWith(line, "https://")) base = line;
  }
  if (base.empty()) throw Error(kExitInputRejected, f.url + ": no repository URL in the mirror list; database not replaced");
  if (base.back() != '/') base += '/';
  if (!o.base_url.empty()) base = RebaseUrl(base, o.base_url);
  ThrowIfCancelled(o.cancel);
  const std::string repomd_url = base + "repodata/repomd.xml";
  DownloadFile(repomd_url, repomd_file, o.limits, o.progress, o.cancel);
  res.urls.push_back(repomd_url);
  if (!ReadWholeFile(repomd_file, text, err, 16 << 20)) throw IoError(repomd_file, err);
  pugi::xml_document doc;
  if (!doc.load_buffer(text.data(), text.size()))
    throw Error(kExitInputRejected, repomd_url + ": not XML; database not replaced");
  std::string href, sha256;
  for (const pugi::xml_node d : doc.child("repomd").children("data")) {
    if (std::string(d.attribute("type").value()) != "updateinfo") continue;
    href = d.child("location").attribute("href").value();
    const pugi::xml_node sum = d.child("checksum");
    if (Lower(sum.attribute("type").value()) == "sha256") sha256 = Lower(Trim(sum.child_value()));
  }
  if (href.empty() || href.find("..") != std::string::npos || StartsWith(href, "/") || href.find("://") != std::string::npos)
    throw Error(kExitInputRejected, repomd_url + ": names no updateinfo inside the repository; database not replaced");
  ThrowIfCancelled(o.cancel);
  const std::string body_url = base + href;
  DownloadFile(body_url, dest, o.limits, o.progress, o.cancel);
  res.urls.push_back(body_url);
  if (!sha256.empty()) {
    Sha256 h;
    std::FILE* in = std::fopen(dest.c_str(), "rb");
    if (!in) throw IoError(dest, std::strerror(errno));
    char buf[1 << 16];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, in)) > 0;) h.Update(buf, n);
    std::fclose(in);
    if (h.Digest() != "sha256:" + sha256) {
      std::error_code ec;
      fs::remove(dest, ec);
      throw Error(kExitInputRejected, body_url + ": sha256 differs from " + repomd_url + "; database not replaced");
    }
  }
}

// A META-guarded feed (update.h): its META downloaded; the body only when the META changed.
static void FetchGuarded(const FeedUrl& f, const std::string& cache_dir, const UpdateOptions& o, UpdateResult& res) {
  std::error_code ec;
  const fs::path body = fs::path(cache_dir) / f.file;
  std::string stem = body.string();
  if (EndsWith(stem, ".json.gz")) stem.resize(stem.size() - 8);
  const std::string meta_file = stem + ".meta", meta_new = stem + ".meta.new", part = body.string() + ".part";
  fs::create_directories(body.parent_path(), ec);
  if (ec) throw IoError(body.parent_path().string(), "cannot create directory: " + ec.message());
  ThrowIfCancelled(o.cancel);
  DownloadFile(f.meta_url, meta_new, o.limits, o.progress, o.cancel);
  res.urls.push_back(f.meta_url);
  ScopedFile meta_guard(meta_new);
  std::string text, err;
  NvdMeta meta, old;
  if (!ReadWholeFile(meta_new, text, err, 1 << 16) || !ParseNvdMeta(text, meta, err))
    throw Error(kExitInputRejected, f.meta_url + ": " + err + "; database not replaced");
  std::string old_text, old_err;
  bool same = ReadWholeFile(meta_file, old_text, old_err, 1 << 16) && ParseNvdMeta(old_text, old, old_err) &&
              old.last_modified == meta.last_modified && old.sha256 == meta.sha256 && old.size == meta.size &&
              old.gz_size == meta.gz_size;
  if (same) {
    uint64_t have = fs::file_size(body, ec);
    same = !ec && have == meta.gz_size;
  }
  if (same) {
    res.kept.push_back(body.string());
    if (o.progress) *o.progress << "unchanged (META " << meta.last_modified << "): " << f.url << "\n" << std::flush;
    return;
  }
  ThrowIfCancelled(o.cancel);
  DownloadFile(f.url, part, o.limits, o.progress, o.cancel);
  res.urls.push_back(f.url);
  ScopedFile part_guard(part);
  if (!VerifyAgainstMeta(part, meta, err))
    throw Error(kExitInputRejected, f.url + ": does not match " + f.meta_url + ": " + err + "; database not replaced");
  // Body first, then its META: a crash between the two leaves an old META, so the body is fetched again.
  fs::rename(part, body, ec);
  if (ec) throw IoError(body.string(), "cannot replace: " + ec.message());
  part_guard.Release();
  fs::rename(meta_new, meta_file, ec);
  if (ec) throw IoError(meta_file, "cannot replace: " + ec.message());
  meta_guard.Release();
}

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
          out.push_back({line.group, line.source, ReplaceAll(file, "{branch}", b), ReplaceAll(url, "{branch}", b), "", ""});
      } else if (url.find("{year}") != std::string::npos) {
        std::vector<std::string> years;
        for (int y = kNvdFirstYear[0]; y <= CurrentYear(); ++y) years.push_back(std::to_string(y));
        years.push_back("modified");
        for (const auto& y : years) {
          FeedUrl f{line.group, line.source, ReplaceAll(file, "{year}", y), ReplaceAll(url, "{year}", y), "", y};
          if (EndsWith(f.url, ".json.gz")) f.meta_url = f.url.substr(0, f.url.size() - 8) + ".meta";
          out.push_back(std::move(f));
        }
      } else if (StartsWith(url, "yum:")) {
        FeedUrl f{line.group, line.source, file, url.substr(4), "", ""};
        f.yum = true;
        out.push_back(std::move(f));
      } else {
        out.push_back({line.group, line.source, file, url, "", ""});
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

bool ParseNvdMeta(std::string_view text, NvdMeta& meta, std::string& error) {
  meta = {};
  bool have_size = false, have_gz = false;
  auto number = [](const std::string& v, uint64_t& out) {
    if (v.empty() || v.size() > 19 || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return false;
    out = std::stoull(v);
    return true;
  };
  size_t lineno = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t nl = text.find('\n', pos);
    std::string line = Trim(text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++lineno;
    if (line.empty()) continue;
    size_t colon = line.find(':');
    if (colon == std::string::npos) return error = "line " + std::to_string(lineno) + ": not key:value", false;
    std::string key = Trim(line.substr(0, colon)), value = Trim(line.substr(colon + 1));
    if (key == "lastModifiedDate") {
      meta.last_modified = value;
    } else if (key == "size") {
      if (!number(value, meta.size)) return error = "line " + std::to_string(lineno) + ": size is not a number", false;
      have_size = true;
    } else if (key == "gzSize") {
      if (!number(value, meta.gz_size)) return error = "line " + std::to_string(lineno) + ": gzSize is not a number", false;
      have_gz = true;
    } else if (key == "sha256") {
      meta.sha256 = Lower(value);
      if (meta.sha256.size() != 64 ||
          !std::all_of(meta.sha256.begin(), meta.sha256.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); }))
        return error = "line " + std::to_string(lineno) + ": sha256 is not 64 hex digits", false;
    }
  }
  if (meta.last_modified.empty() || !have_size || !have_gz || meta.sha256.empty())
    return error = "not an NVD META file (lastModifiedDate, size, gzSize and sha256 expected)", false;
  return true;
}

bool VerifyAgainstMeta(const std::string& gz, const NvdMeta& meta, std::string& error) {
  std::error_code ec;
  uint64_t on_disk = fs::file_size(gz, ec);
  if (ec) return error = ec.message(), false;
  if (on_disk != meta.gz_size)
    return error = std::to_string(on_disk) + " bytes, its META says gzSize " + std::to_string(meta.gz_size), false;
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(gz.c_str(), "rb"), std::fclose);
  if (!f) return error = std::string("cannot open: ") + std::strerror(errno), false;
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return error = "cannot initialize zlib", false;
  std::unique_ptr<z_stream, int (*)(z_stream*)> zguard(&z, inflateEnd);
  Sha256 hash;
  uint64_t size = 0;
  std::vector<unsigned char> in(1 << 16), out(1 << 16);
  bool ended = false;
  for (;;) {
    if (z.avail_in == 0) {
      size_t n = std::fread(in.data(), 1, in.size(), f.get());
      if (n == 0) break;
      z.next_in = in.data();
      z.avail_in = uInt(n);
    }
    z.next_out = out.data();
    z.avail_out = uInt(out.size());
    int rc = inflate(&z, Z_NO_FLUSH);
    size_t n = out.size() - z.avail_out;
    hash.Update(out.data(), n);
    size += n;
    if (size > meta.size) return error = "decompresses to more than its META's size " + std::to_string(meta.size), false;
    if (rc == Z_STREAM_END) {
      ended = true;
      if (z.avail_in == 0) {
        int c = std::fgetc(f.get());
        if (c == EOF) break;
        std::ungetc(c, f.get());
      }
      inflateReset(&z);  // a further gzip member
      ended = false;
      continue;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR)
      return error = std::string("corrupt gzip data") + (z.msg ? std::string(" (") + z.msg + ")" : ""), false;
  }
  if (!ended) return error = "truncated gzip data", false;
  if (size != meta.size)
    return error = "decompresses to " + std::to_string(size) + " bytes, its META says size " + std::to_string(meta.size), false;
  std::string digest = hash.Digest().substr(7);  // "sha256:" prefix
  if (digest != meta.sha256) return error = "sha256 " + digest + " of the decompressed JSON, its META says " + meta.sha256, false;
  return true;
}

std::vector<FeedUrl> FilterNvdYears(std::vector<FeedUrl> feeds, const std::string& years) {
  if (Trim(years).empty()) return feeds;
  std::set<std::string> wanted;
  std::stringstream ss(years);
  auto bad = [&](const std::string& what) {
    return UsageError("db update: --nvd-years: '" + what + "' is not a year or a range of years (2019, 2018-2020)");
  };
  auto year = [&](const std::string& t) {
    if (t.size() != 4 || !std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; })) throw bad(t);
    return std::stoi(t);
  };
  for (std::string tok; std::getline(ss, tok, ',');) {
    std::string t = Trim(tok);
    if (t.empty()) continue;
    size_t dash = t.find('-');
    int lo = year(Trim(t.substr(0, dash))), hi = dash == std::string::npos ? lo : year(Trim(t.substr(dash + 1)));
    if (hi < lo) throw bad(t);
    for (int y = lo; y <= hi; ++y) wanted.insert(std::to_string(y));
  }
  std::vector<FeedUrl> out;
  for (auto& f : feeds)
    if (f.year.empty() || f.year == "modified" || wanted.count(f.year)) out.push_back(std::move(f));
  return out;
}

std::string FeedCacheDirectory(const std::string& db) { return db + ".feeds"; }

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
    feeds = FilterNvdYears(SelectFeeds(o.feeds), o.nvd_years);
    for (auto& f : feeds)
      if (!o.base_url.empty()) {
        f.url = RebaseUrl(f.url, o.base_url);
        if (!f.meta_url.empty()) f.meta_url = RebaseUrl(f.meta_url, o.base_url);
      }
  } else if (!o.nvd_years.empty()) {
    throw UsageError("db update: --nvd-years selects downloads; with --offline-mirror, the mirror's content is built");
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
  const std::string cache_dir = FeedCacheDirectory(res.db);
  std::map<std::string, std::string> cached_sources;  // source name -> its directory in the cache
  std::set<std::string> required;
  std::map<std::string, std::string> origin_of;
  if (offline) {
    from = o.offline_mirror;
    for (const auto& in : DiscoverSources(from)) {
      required.insert(in.name);
      origin_of[in.name] = in.path;
    }
    if (required.empty())
      throw IoError(from, "no advisory feed found (expected alpine-secdb/, debian-tracker/, osv-*/, rustsec/, kev/, nvd/ or epss/)");
  } else {
    std::string templ = (fs::path(temp_root) / ("customs-update-" + std::to_string(::getpid()) + "-XXXXXX")).string();
    if (!::mkdtemp(templ.data())) throw IoError(temp_root, std::string("cannot create a temporary directory: ") + std::strerror(errno));
    download_dir = std::make_unique<ScopedDir>(templ);
    from = templ;
    for (const auto& f : feeds) {
      if (!f.meta_url.empty()) {
        FetchGuarded(f, cache_dir, o, res);
        required.insert(f.source);
        auto& origin = origin_of[f.source];
        origin += (origin.empty() ? "" : ", ") + f.url;
        cached_sources[f.source] = (fs::path(cache_dir) / fs::path(f.file).parent_path()).string();
        continue;
      }
      fs::path dest = fs::path(from) / f.file;
      fs::create_directories(dest.parent_path(), ec);
      if (ec) throw IoError(dest.parent_path().string(), "cannot create directory: " + ec.message());
      ThrowIfCancelled(o.cancel);
      if (f.yum) {
        FetchYumUpdateinfo(f, dest.string(), o, res);
      } else {
        DownloadFile(f.url, dest.string(), o.limits, o.progress, o.cancel);
        res.urls.push_back(f.url);
      }
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
  for (const auto& [name, dir] : cached_sources) {
    const FeedUrl* line = nullptr;
    for (const auto& f : feeds)
      if (f.source == name) line = &f;
    const Feed* feed = FeedForSource(name);
    if (line && feed) b.extra_sources.push_back({name, feed->id, dir});
  }
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
