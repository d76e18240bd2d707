// The secret engine. Hyperscan (Debian's libhyperscan) scans every byte once, in streaming mode, with
// all rules compiled as prefilters into one database: it reports where a rule *may* match (a superset
// of the exact pattern's matches, each real match end among the reported ends). Only there does PCRE2
// run the exact pattern, over a window of recent bytes the session keeps. The glue — windows, line
// and column bookkeeping, confirmation, inline ignores — is hand-written because no library does it.
#include "secrets/engine.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <fcntl.h>
#include <hs/hs.h>
#include <sys/stat.h>
#include <unistd.h>
#include <pcre2.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/error.h"
#include "core/sha256.h"

namespace customs::secrets {

namespace {

// Bytes of context given to PCRE2 after the last reported end (lookaheads, \b) and before a match's
// earliest possible start (lookbehinds).
constexpr uint64_t kContext = 64;
// A reported-ends interval longer than this is confirmed at once (long runs of candidate bytes).
constexpr uint64_t kMaxInterval = 64 * 1024;
// Bytes scanned per step of a session (Feed cuts larger blocks).
constexpr size_t kSlice = 64 * 1024;
// How far after a match we wait for the end of its line (inline ignore comments, snippet).
constexpr uint64_t kLineTail = 4096;
// Files larger than this are not scanned for secrets.
constexpr uint64_t kMaxFileBytes = 32ull << 20;
constexpr size_t kSnippetBytes = 240;

std::string Pcre2Error(int code) {
  PCRE2_UCHAR buf[256];
  pcre2_get_error_message(code, buf, sizeof buf);
  return reinterpret_cast<const char*>(buf);
}

// A compiled PCRE2 pattern (owned).
struct Regex {
  pcre2_code* code = nullptr;
  Regex() = default;
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;
  Regex(Regex&& o) noexcept : code(std::exchange(o.code, nullptr)) {}
  Regex& operator=(Regex&& o) noexcept {
    if (this != &o) {
      if (code) pcre2_code_free(code);
      code = std::exchange(o.code, nullptr);
    }
    return *this;
  }
  ~Regex() {
    if (code) pcre2_code_free(code);
  }
  // Throws std::runtime_error with PCRE2's message.
  static Regex Compile(const std::string& pattern, bool caseless) {
    int err = 0;
    PCRE2_SIZE off = 0;
    Regex r;
    r.code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                           caseless ? PCRE2_CASELESS : 0, &err, &off, nullptr);
    if (!r.code) throw std::runtime_error(Pcre2Error(err) + " at offset " + std::to_string(off));
    pcre2_jit_compile(r.code, PCRE2_JIT_COMPLETE);  // best effort: the interpreter works without it
    return r;
  }
};

// Per-thread PCRE2 state.
struct MatchState {
  pcre2_match_data* md = nullptr;
  pcre2_match_context* mc = nullptr;
  pcre2_jit_stack* js = nullptr;
  MatchState() {
    md = pcre2_match_data_create(64, nullptr);
    mc = pcre2_match_context_create(nullptr);
    js = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, nullptr);
    pcre2_jit_stack_assign(mc, nullptr, js);
    pcre2_set_match_limit(mc, 1'000'000);  // a user's pathological pattern fails its match, not the scan
    pcre2_set_depth_limit(mc, 10'000);
  }
  ~MatchState() {
    pcre2_match_data_free(md);
    pcre2_match_context_free(mc);
    pcre2_jit_stack_free(js);
  }
  MatchState(const MatchState&) = delete;
  MatchState& operator=(const MatchState&) = delete;

  // Searches `re` in subject[start, end) (the whole subject is context for lookarounds).
  bool Search(const Regex& re, std::string_view subject, size_t start, size_t end, size_t& mstart, size_t& mend) {
    int rc = pcre2_match(re.code, reinterpret_cast<PCRE2_SPTR>(subject.data()), end, start, 0, md, mc);
    if (rc < 0) return false;
    PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
    mstart = ov[0];
    mend = ov[1];
    return true;
  }
  bool Find(const Regex& re, std::string_view s) {
    size_t a, b;
    return Search(re, s, 0, s.size(), a, b);
  }
};

struct CompiledAllow {
  Regex regex, path;  // empty code: any
};

struct CompiledRule {
  Regex re;
  int secret_group = -1;  // the "secret" group's number, -1 when the rule has none
  Regex path;             // empty code: any path
  std::vector<Regex> allow;
  std::vector<CompiledAllow> allow_rules;  // the rule's own (value and/or path)
  std::vector<std::string> keywords;
  bool generic = false;  // category "Generic": yields to a specific rule's overlapping match
};

bool ContainsCaseless(std::string_view hay, std::string_view needle) {
  if (needle.empty()) return true;
  auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
  return it != hay.end();
}

bool HasExtension(std::string_view path, std::string_view ext) {
  return path.size() > ext.size() && path.substr(path.size() - ext.size()) == ext &&
         path[path.size() - ext.size() - 1] == '.';
}

class EngineImpl;

class SessionImpl final : public Session {
 public:
  explicit SessionImpl(const EngineImpl& e);
  ~SessionImpl() override;
  void Begin(std::string_view path) override;
  void Feed(std::span<const char> block) override;
  std::vector<Match> End() override;

  static int OnMatch(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void* ctx);

 private:
  struct Pending {
    bool active = false;
    uint64_t lo = 0, hi = 0;  // reported end offsets awaiting confirmation
  };
  struct Deferred {  // a confirmed match waiting for the end of its line
    Match m;
    uint64_t match_start = 0, match_end = 0;  // the whole match, absolute
  };

  uint64_t WinEnd() const { return win_start_ + win_.size(); }
  void Confirm(size_t rule, uint64_t lo, uint64_t hi, bool eof);
  void Accept(size_t rule, uint64_t mstart, uint64_t mend, uint64_t sstart, uint64_t send);
  void FlushDeferred(bool eof);
  void Finalize(Deferred& d, uint64_t line_end);
  void Trim();
  void DropGenericOverlaps();
  uint64_t LineOf(uint64_t abs) const;
  uint64_t LineStart(uint64_t abs) const;  // absolute offset of the line's first byte (>= win_start_)

  const EngineImpl& e_;
  hs_scratch_t* scratch_ = nullptr;
  hs_stream_t* stream_ = nullptr;
  MatchState ms_;
  std::string path_;
  bool skip_ = false;      // an allow rule covers the whole path
  bool binary_ = false;
  bool first_ = true;
  std::vector<char> enabled_;  // per rule, for this file
  std::string win_;            // bytes [win_start_, win_start_ + win_.size())
  uint64_t win_start_ = 0;
  uint64_t lines_before_ = 0;     // newlines before win_start_
  int64_t last_nl_before_ = -1;   // absolute offset of the last newline before win_start_
  std::vector<Pending> pending_;
  std::vector<uint64_t> confirmed_to_;  // per rule: reported ends up to here are covered
  std::vector<uint64_t> emitted_to_;    // per rule: matches starting before here were handled
  std::vector<Deferred> deferred_;
  std::vector<Match> out_;
};

class EngineImpl final : public Engine {
 public:
  // cache_dir: where a compiled database may be loaded from ("" for none); store: write it there.
  EngineImpl(const Config& cfg, const std::string& cache_dir, bool store) : rules_(cfg.rules) {
    std::vector<std::string> patterns;
    std::vector<const char*> exprs;
    std::vector<unsigned> flags, ids;
    max_len_ = 0;
    for (size_t i = 0; i < rules_.size(); ++i) {
      const Rule& r = rules_[i];
      CompiledRule c;
      try {
        c.re = Regex::Compile(r.regex, r.caseless);
      } catch (const std::exception& ex) {
        throw UsageError("secret rule " + r.id + ": regex does not compile: " + ex.what());
      }
      int g = pcre2_substring_number_from_name(c.re.code, reinterpret_cast<PCRE2_SPTR>("secret"));
      c.secret_group = g > 0 ? g : -1;
      try {
        if (!r.path.empty()) c.path = Regex::Compile(r.path, false);
        for (const auto& a : r.allow) c.allow.push_back(Regex::Compile(a, false));
        for (const auto& a : r.allow_rules) {
          CompiledAllow ca;
          if (!a.regex.empty()) ca.regex = Regex::Compile(a.regex, false);
          if (!a.path.empty()) ca.path = Regex::Compile(a.path, false);
          c.allow_rules.push_back(std::move(ca));
        }
      } catch (const std::exception& ex) {
        throw UsageError("secret rule " + r.id + ": path or allow regex does not compile: " + ex.what());
      }
      c.keywords = r.keywords;
      c.generic = r.category == "Generic";
      compiled_.push_back(std::move(c));
      patterns.push_back(r.prefilter.empty() ? r.regex : r.prefilter);
      flags.push_back(HS_FLAG_PREFILTER | (r.caseless ? HS_FLAG_CASELESS : 0u));
      ids.push_back(unsigned(i));
      max_len_ = std::max<uint64_t>(max_len_, r.max_len);
    }
    for (const auto& a : cfg.allow_rules) {
      CompiledAllow c;
      try {
        if (!a.regex.empty()) c.regex = Regex::Compile(a.regex, false);
        if (!a.path.empty()) c.path = Regex::Compile(a.path, false);
      } catch (const std::exception& ex) {
        throw UsageError("secret allow rule " + a.id + ": regex does not compile: " + ex.what());
      }
      allow_.push_back(std::move(c));
    }
    if (patterns.empty()) return;  // nothing to look for: sessions see no matches
    for (const auto& p : patterns) exprs.push_back(p.c_str());
    const std::string cache_path = DatabaseCachePath(cache_dir, patterns, flags, ids);
    if (!store && !cache_path.empty() && LoadCachedDatabase(cache_path)) {
      if (hs_alloc_scratch(db_, &scratch_) != HS_SUCCESS) throw std::runtime_error("hs_alloc_scratch failed");
      return;
    }
    hs_compile_error_t* err = nullptr;
    if (hs_compile_multi(exprs.data(), flags.data(), ids.data(), unsigned(exprs.size()), HS_MODE_STREAM, nullptr,
                         &db_, &err) != HS_SUCCESS) {
      std::string msg = err && err->message ? err->message : "unknown error";
      std::string which = err && err->expression >= 0 ? rules_[size_t(err->expression)].id : "(all)";
      hs_free_compile_error(err);
      throw UsageError("secret rule " + which + ": Hyperscan cannot compile its regex: " + msg);
    }
    if (store && !cache_path.empty() && StoreCachedDatabase(cache_path)) stored_ = cache_path;
    if (hs_alloc_scratch(db_, &scratch_) != HS_SUCCESS) throw std::runtime_error("hs_alloc_scratch failed");
  }

  // The compiled database cache. Compiling the rules takes about 0.25 s on this project's CI machine,
  // longer than scanning a whole 270 MB image, so `customs db build`/`db update` store the compiled
  // database of the built-in rules beside the vulnerability database, and scans load it from there
  // (scans themselves never write it). The file is named by the SHA-256 of everything that determines
  // the database: the Hyperscan version, the host platform (CPU features) and every pattern, flag and
  // id, so another rule set or machine simply misses. It holds the SHA-256 of the serialized database
  // on its first line, then the database: a damaged file fails that check (or Hyperscan's own) and the
  // rules are compiled as without a cache. Writes go to a temporary file renamed into place.
  // CUSTOMS_NO_SECRET_CACHE=1 turns loading off.
  static std::string DatabaseCachePath(const std::string& dir, const std::vector<std::string>& patterns,
                                       const std::vector<unsigned>& flags, const std::vector<unsigned>& ids) {
    if (dir.empty()) return "";
    if (const char* off = std::getenv("CUSTOMS_NO_SECRET_CACHE"); off && *off && std::string(off) != "0") return "";
    hs_platform_info_t plat{};
    if (hs_populate_platform(&plat) != HS_SUCCESS) return "";
    Sha256 key;
    key.Update(std::string_view(hs_version()));
    key.Update(&plat.tune, sizeof plat.tune);
    key.Update(&plat.cpu_features, sizeof plat.cpu_features);
    for (size_t k = 0; k < patterns.size(); ++k) {
      key.Update(patterns[k]);
      key.Update(std::string_view("\0", 1));
      key.Update(&flags[k], sizeof flags[k]);
      key.Update(&ids[k], sizeof ids[k]);
    }
    std::string digest = key.Digest();  // "sha256:<hex>"
    return dir + "/secrets-" + digest.substr(digest.find(':') + 1, 32) + ".hsdb";
  }

  bool LoadCachedDatabase(const std::string& path) {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (64 << 20)) return false;  // ~0.3 MB expected
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream ss;
    ss << in.rdbuf();
    const std::string bytes = ss.str();
    const size_t nl = bytes.find('\n');
    if (nl == std::string::npos || bytes.substr(0, nl) != Sha256::Of(std::string_view(bytes).substr(nl + 1))) return false;
    hs_database_t* db = nullptr;
    if (hs_deserialize_database(bytes.data() + nl + 1, bytes.size() - nl - 1, &db) != HS_SUCCESS) return false;
    db_ = db;
    return true;
  }

  bool StoreCachedDatabase(const std::string& path) const {
    char* bytes = nullptr;
    size_t size = 0;
    if (hs_serialize_database(db_, &bytes, &size) != HS_SUCCESS) return false;
    const std::string data(bytes, size);
    std::free(bytes);
    std::error_code ec;  // a directory that cannot be made shows as a failed write below
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    const std::string tmp = path + ".tmp." + std::to_string(::getpid());
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      if (!out) return false;
      out << Sha256::Of(data) << '\n' << data;
      if (!out.flush()) {
        ::unlink(tmp.c_str());
        return false;
      }
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
      ::unlink(tmp.c_str());
      return false;
    }
    return true;
  }

  const std::string& stored() const { return stored_; }

  ~EngineImpl() override {
    if (scratch_) hs_free_scratch(scratch_);
    if (db_) hs_free_database(db_);
  }

  const std::vector<Rule>& Rules() const override { return rules_; }

  bool WantsFile(std::string_view path, uint64_t size) const override {
    if (size == 0 || size > kMaxFileBytes) return false;
    // Paths that hold reference data, never credentials: locale tables, time zones, documentation
    // compressed or not, the package manager's own bookkeeping.
    static constexpr std::string_view kNoisePrefixes[] = {
        "usr/share/zoneinfo/", "usr/share/locale/", "usr/share/i18n/",  "usr/lib/locale/",
        "usr/share/man/",      "usr/share/info/",   "usr/share/mime/",  "usr/share/terminfo/",
        "usr/share/doc/",      "usr/share/common-licenses/",           "var/lib/dpkg/info/",
        "var/cache/debconf/",  "var/lib/apt/lists/", "var/cache/apt/", "usr/share/X11/locale/",
    };
    for (auto p : kNoisePrefixes)
      if (path.substr(0, p.size()) == p) return false;
    if (path.find("/.git/objects/") != std::string_view::npos || path.substr(0, 12) == ".git/objects") return false;
    if (path.find("__pycache__/") != std::string_view::npos) return false;
    // Formats that cannot carry readable text: compressed, media, fonts, bytecode.
    static constexpr std::string_view kSkipExt[] = {
        "png", "jpg", "jpeg", "gif", "bmp", "ico", "webp", "tif", "tiff", "psd", "mp3", "mp4", "m4a", "ogg",
        "wav", "flac", "avi", "mov", "mkv", "webm", "woff", "woff2", "ttf", "otf", "eot", "pdf", "zip", "gz",
        "tgz", "bz2", "xz", "zst", "lz4", "lzma", "7z", "rar", "jar", "war", "ear", "whl", "deb", "rpm",
        "apk", "iso", "pyc", "pyo", "class", "mo", "gmo", "svgz", "db", "sqlite", "wasm",
    };
    for (auto e : kSkipExt)
      if (HasExtension(path, e)) return false;
    return true;
  }

  std::unique_ptr<Session> NewSession() const override { return std::make_unique<SessionImpl>(*this); }

  const std::vector<CompiledRule>& compiled() const { return compiled_; }
  const std::vector<CompiledAllow>& allow() const { return allow_; }
  hs_database_t* db() const { return db_; }
  hs_scratch_t* scratch() const { return scratch_; }
  uint64_t max_len() const { return max_len_; }

 private:
  std::vector<Rule> rules_;
  std::vector<CompiledRule> compiled_;
  std::vector<CompiledAllow> allow_;
  hs_database_t* db_ = nullptr;
  std::string stored_;  // StoreCompiled: the file written
  hs_scratch_t* scratch_ = nullptr;
  uint64_t max_len_ = 0;
};

SessionImpl::SessionImpl(const EngineImpl& e) : e_(e) {
  const size_t n = e.Rules().size();
  enabled_.assign(n, 0);
  pending_.assign(n, {});
  confirmed_to_.assign(n, 0);
  emitted_to_.assign(n, 0);
  if (e.db()) {
    if (hs_clone_scratch(e.scratch(), &scratch_) != HS_SUCCESS) throw std::runtime_error("hs_clone_scratch failed");
    if (hs_open_stream(e.db(), 0, &stream_) != HS_SUCCESS) throw std::runtime_error("hs_open_stream failed");
  }
}

SessionImpl::~SessionImpl() {
  if (stream_) hs_close_stream(stream_, scratch_, nullptr, nullptr);
  if (scratch_) hs_free_scratch(scratch_);
}

void SessionImpl::Begin(std::string_view path) {
  path_.assign(path);
  win_.clear();
  win_start_ = 0;
  lines_before_ = 0;
  last_nl_before_ = -1;
  binary_ = false;
  first_ = true;
  deferred_.clear();
  out_.clear();
  std::fill(confirmed_to_.begin(), confirmed_to_.end(), 0);
  std::fill(emitted_to_.begin(), emitted_to_.end(), 0);
  for (auto& p : pending_) p = {};
  // An allow rule with a path and no value regex covers every match in the file: skip it whole.
  skip_ = !stream_;
  for (const auto& a : e_.allow())
    if (!a.regex.code && a.path.code && ms_.Find(a.path, path_)) skip_ = true;
  const auto& rules = e_.compiled();
  for (size_t i = 0; i < rules.size(); ++i) {
    enabled_[i] = !rules[i].path.code || ms_.Find(rules[i].path, path_);
    // The rule's own path-only allow rule covering this path turns the rule off for the file.
    for (const auto& a : rules[i].allow_rules)
      if (enabled_[i] && !a.regex.code && a.path.code && ms_.Find(a.path, path_)) enabled_[i] = 0;
  }
}

int SessionImpl::OnMatch(unsigned id, unsigned long long /*from*/, unsigned long long to, unsigned /*flags*/,
                         void* ctx) {
  auto& s = *static_cast<SessionImpl*>(ctx);
  if (!s.enabled_[id] || to <= s.confirmed_to_[id]) return 0;
  Pending& p = s.pending_[id];
  const uint64_t max_len = s.e_.Rules()[id].max_len;
  if (p.active) {
    if (to <= p.hi + max_len && to - p.lo <= kMaxInterval) {
      p.hi = std::max<uint64_t>(p.hi, to);
      return 0;
    }
    // A new, distant candidate: everything the old interval needs has been seen.
    Pending old = p;
    p = {};
    s.Confirm(id, old.lo, old.hi, false);
    if (to <= s.confirmed_to_[id]) return 0;
  }
  p.active = true;
  p.lo = p.hi = to;
  return 0;
}

void SessionImpl::Feed(std::span<const char> block) {
  if (skip_ || block.empty()) return;
  if (first_) {
    first_ = false;
    binary_ = std::memchr(block.data(), 0, std::min<size_t>(block.size(), 8192)) != nullptr;
    if (binary_) {
      const auto& rules = e_.Rules();
      for (size_t i = 0; i < rules.size(); ++i)
        if (rules[i].text_only) enabled_[i] = 0;
    }
  }
  // In slices, so that the window (which holds what confirmations may still need) stays small
  // whatever the size of the blocks: a whole file handed over at once would otherwise be copied.
  for (size_t at = 0; at < block.size(); at += kSlice) {
    const size_t n = std::min(kSlice, block.size() - at);
    win_.append(block.data() + at, n);
    hs_scan_stream(stream_, block.data() + at, unsigned(n), 0, scratch_, &SessionImpl::OnMatch, this);
    // Intervals whose every possible match end has been reported (kContext bytes seen past them).
    for (size_t i = 0; i < pending_.size(); ++i) {
      Pending& p = pending_[i];
      if (p.active && p.hi + kContext <= WinEnd()) {
        Pending old = p;
        p = {};
        Confirm(i, old.lo, old.hi, false);
      }
    }
    FlushDeferred(false);
    Trim();
  }
}

std::vector<Match> SessionImpl::End() {
  if (stream_ && !skip_) {
    // End of data: matches anchored at the end are reported now; the stream is ready for the next file.
    hs_reset_stream(stream_, 0, scratch_, &SessionImpl::OnMatch, this);
    for (size_t i = 0; i < pending_.size(); ++i) {
      Pending& p = pending_[i];
      if (p.active) {
        Pending old = p;
        p = {};
        Confirm(i, old.lo, old.hi, true);
      }
    }
    FlushDeferred(true);
  }
  std::sort(out_.begin(), out_.end(), [](const Match& a, const Match& b) {
    return std::tie(a.offset, a.rule) < std::tie(b.offset, b.rule);
  });
  DropGenericOverlaps();
  return std::move(out_);
}

void SessionImpl::Confirm(size_t rule, uint64_t lo, uint64_t hi, bool eof) {
  const Rule& r = e_.Rules()[rule];
  const CompiledRule& c = e_.compiled()[rule];
  const uint64_t from = std::max<uint64_t>(win_start_, lo > r.max_len + kContext ? lo - r.max_len - kContext : 0);
  const uint64_t to = eof ? WinEnd() : std::min<uint64_t>(WinEnd(), hi + kContext);
  confirmed_to_[rule] = std::max(confirmed_to_[rule], hi);
  std::string_view subject(win_.data(), size_t(to - win_start_));
  size_t pos = size_t(from - win_start_);
  while (pos <= subject.size()) {
    size_t ms, me;
    if (!ms_.Search(c.re, subject, pos, subject.size(), ms, me)) break;
    const uint64_t ams = win_start_ + ms, ame = win_start_ + me;
    uint64_t ass = ams, ase = ame;
    if (c.secret_group > 0) {
      PCRE2_SIZE* ov = pcre2_get_ovector_pointer(ms_.md);
      if (ov[2 * c.secret_group] != PCRE2_UNSET) {
        ass = win_start_ + ov[2 * c.secret_group];
        ase = win_start_ + ov[2 * c.secret_group + 1];
      }
    }
    // A match ending past the last reported end belongs to a later confirmation, unless at EOF.
    if (ame <= hi || eof) {
      if (ams >= emitted_to_[rule] && ase > ass) {
        Accept(rule, ams, ame, ass, ase);
        emitted_to_[rule] = ame;
      }
    }
    pos = me > ms ? me : ms + 1;
  }
}

void SessionImpl::Accept(size_t rule, uint64_t mstart, uint64_t mend, uint64_t sstart, uint64_t send) {
  const Rule& r = e_.Rules()[rule];
  const CompiledRule& c = e_.compiled()[rule];
  std::string_view whole(win_.data() + (mstart - win_start_), size_t(mend - mstart));
  std::string_view secret(win_.data() + (sstart - win_start_), size_t(send - sstart));
  if (!c.keywords.empty() &&
      std::none_of(c.keywords.begin(), c.keywords.end(), [&](const std::string& k) { return ContainsCaseless(whole, k); }))
    return;
  if (r.min_entropy > 0 && ShannonEntropy(secret) < r.min_entropy) return;
  if (r.validate && !r.validate(secret)) return;
  for (const auto& a : c.allow)
    if (ms_.Find(a, secret)) return;
  for (const auto& a : c.allow_rules) {
    if (!a.regex.code) continue;  // path-only: the rule was off for this file (Begin)
    if (a.path.code && !ms_.Find(a.path, path_)) continue;
    if (ms_.Find(a.regex, secret)) return;
  }
  for (const auto& a : e_.allow()) {
    if (!a.regex.code) continue;  // path-only rules skipped the file in Begin
    if (a.path.code && !ms_.Find(a.path, path_)) continue;
    if (ms_.Find(a.regex, secret)) return;
  }
  Deferred d;
  d.m.rule = rule;
  d.m.secret.assign(secret);
  d.m.offset = sstart;
  d.m.line = LineOf(sstart);
  d.m.end_line = d.m.line + uint64_t(std::count(secret.begin(), secret.end(), '\n'));
  // The line may begin before the window: then after the last newline the window dropped.
  const uint64_t ls = LineStart(sstart);
  d.m.column = sstart - (ls == win_start_ ? uint64_t(last_nl_before_ + 1) : ls) + 1;
  d.match_start = mstart;
  d.match_end = mend;
  deferred_.push_back(std::move(d));
}

void SessionImpl::FlushDeferred(bool eof) {
  size_t kept = 0;
  for (size_t i = 0; i < deferred_.size(); ++i) {
    Deferred& d = deferred_[i];
    const size_t from = size_t(d.match_end - win_start_);
    const void* nl = std::memchr(win_.data() + from, '\n', win_.size() - from);
    if (nl) {
      Finalize(d, win_start_ + uint64_t(static_cast<const char*>(nl) - win_.data()));
    } else if (eof || WinEnd() >= d.match_end + kLineTail) {
      Finalize(d, std::min<uint64_t>(WinEnd(), d.match_end + kLineTail));
    } else {
      if (kept != i) deferred_[kept] = std::move(d);  // never onto itself: a self-move empties strings
      ++kept;
    }
  }
  deferred_.resize(kept);
}

void SessionImpl::Finalize(Deferred& d, uint64_t line_end) {
  // The line of the match's end, from its start (as far as the window reaches) to line_end.
  const uint64_t ls = LineStart(d.match_end > d.match_start ? d.match_end - 1 : d.match_end);
  std::string_view line(win_.data() + (ls - win_start_), size_t(line_end - ls));
  // Inline ignore: "customs:ignore" on the line, or "customs:ignore:<id>[,<id>...]" naming the rule.
  static constexpr std::string_view kMark = "customs:ignore";
  for (size_t at = line.find(kMark); at != std::string_view::npos; at = line.find(kMark, at + 1)) {
    std::string_view rest = line.substr(at + kMark.size());
    if (!rest.empty() && (std::isalnum(static_cast<unsigned char>(rest[0])) || rest[0] == '-' || rest[0] == '_'))
      continue;  // "customs:ignored", ...: not the marker
    if (rest.empty() || rest[0] != ':') return;  // every rule
    rest.remove_prefix(1);
    size_t end = 0;
    while (end < rest.size() && (std::isalnum(static_cast<unsigned char>(rest[end])) || rest[end] == '-' ||
                                 rest[end] == '_' || rest[end] == ',' || rest[end] == '.'))
      ++end;
    std::string_view ids = rest.substr(0, end);
    const std::string& id = e_.Rules()[d.m.rule].id;
    for (size_t p = 0; p <= ids.size();) {
      size_t q = ids.find(',', p);
      if (q == std::string_view::npos) q = ids.size();
      if (ids.substr(p, q - p) == id) return;
      p = q + 1;
    }
  }
  // Snippet: the line holding the secret's start, cut around it.
  const uint64_t sls = std::max(LineStart(d.m.offset), win_start_);
  const uint64_t sle = d.m.end_line == d.m.line ? line_end : d.m.offset + d.m.secret.size();
  uint64_t a = sls, b = std::max(sle, d.m.offset);
  if (b - a > kSnippetBytes) {
    a = std::max(a, d.m.offset > kSnippetBytes / 3 ? d.m.offset - kSnippetBytes / 3 : 0);
    b = std::min(b, a + std::max<uint64_t>(kSnippetBytes, d.m.secret.size() + 16));
  }
  if (a >= win_start_ && b <= WinEnd() && b > a) d.m.snippet.assign(win_.data() + (a - win_start_), size_t(b - a));
  if (!d.m.snippet.empty() && d.m.snippet.back() == '\r') d.m.snippet.pop_back();
  out_.push_back(std::move(d.m));
}

// A generic rule (a high-entropy assignment) also fires on most specific credentials; where its value
// overlaps a specific rule's, the specific finding says more and the generic one is dropped.
void SessionImpl::DropGenericOverlaps() {
  const auto& rules = e_.compiled();
  bool any_generic = false, any_specific = false;
  for (const auto& m : out_) (rules[m.rule].generic ? any_generic : any_specific) = true;
  if (!any_generic || !any_specific) return;
  std::vector<std::pair<uint64_t, uint64_t>> specific;  // [start, end) of specific matches, by start
  for (const auto& m : out_)
    if (!rules[m.rule].generic) specific.emplace_back(m.offset, m.offset + m.secret.size());
  size_t kept = 0;
  for (size_t i = 0; i < out_.size(); ++i) {
    const Match& m = out_[i];
    bool drop = false;
    if (rules[m.rule].generic) {
      const uint64_t a = m.offset, b = m.offset + m.secret.size();
      for (const auto& [sa, sb] : specific) {
        if (sa >= b) break;
        if (sb > a) { drop = true; break; }
      }
    }
    if (drop) continue;
    if (kept != i) out_[kept] = std::move(out_[i]);
    ++kept;
  }
  out_.resize(kept);
}

void SessionImpl::Trim() {
  // Keep what a later confirmation or a deferred match may still need.
  uint64_t keep_from = WinEnd() > e_.max_len() + 2 * kContext ? WinEnd() - e_.max_len() - 2 * kContext : 0;
  for (size_t i = 0; i < pending_.size(); ++i)
    if (pending_[i].active) {
      const uint64_t need = e_.Rules()[i].max_len + kContext;
      keep_from = std::min(keep_from, pending_[i].lo > need ? pending_[i].lo - need : 0);
    }
  for (const auto& d : deferred_) {
    uint64_t ls = LineStart(d.m.offset);
    keep_from = std::min(keep_from, std::max(ls, d.m.offset > kLineTail ? d.m.offset - kLineTail : 0));
  }
  keep_from = std::max(keep_from, win_start_);
  const size_t drop = size_t(keep_from - win_start_);
  // Compact only when worth it: the drop is at least as large as what stays.
  if (drop < 64 * 1024 || drop < win_.size() - drop) return;
  const char* p = win_.data();
  for (const char* q = p; (q = static_cast<const char*>(std::memchr(q, '\n', drop - size_t(q - p)))); ++q) {
    ++lines_before_;
    last_nl_before_ = int64_t(win_start_ + uint64_t(q - p));
  }
  win_.erase(0, drop);
  win_start_ = keep_from;
}

uint64_t SessionImpl::LineOf(uint64_t abs) const {
  const size_t n = size_t(abs - win_start_);
  return lines_before_ + uint64_t(std::count(win_.data(), win_.data() + n, '\n')) + 1;
}

uint64_t SessionImpl::LineStart(uint64_t abs) const {
  size_t n = size_t(std::min(abs, WinEnd()) - win_start_);
  while (n > 0 && win_[n - 1] != '\n') --n;
  return win_start_ + n;
}

}  // namespace

std::shared_ptr<const Engine> Engine::Build(const Config& cfg) { return std::make_shared<EngineImpl>(cfg, "", false); }

std::shared_ptr<const Engine> Engine::Build(const Config& cfg, const std::string& cache_dir) {
  return std::make_shared<EngineImpl>(cfg, cache_dir, false);
}

std::string Engine::StoreCompiled(const Config& cfg, const std::string& cache_dir) {
  return EngineImpl(cfg, cache_dir, true).stored();
}

std::vector<Match> Engine::ScanBuffer(std::string_view path, std::string_view data) const {
  auto s = NewSession();
  s->Begin(path);
  constexpr size_t kBlock = 64 * 1024;
  for (size_t i = 0; i < data.size(); i += kBlock)
    s->Feed(std::span<const char>(data.data() + i, std::min(kBlock, data.size() - i)));
  return s->End();
}

}  // namespace customs::secrets
