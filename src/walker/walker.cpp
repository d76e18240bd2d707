#include "walker/walker.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <unordered_map>

#include <spdlog/spdlog.h>

#include "core/entry_path.h"
#include "core/error.h"

namespace customs {

namespace {

constexpr uint64_t kKeepForLinksBytes = 1 << 20;  // wanted files up to 1 MiB stay in memory for link resolution
// A wanted file read into memory may hold at most this many bytes of sparse holes: no package database
// or manifest is mostly holes, and a few KB of tar can otherwise declare GiBs of them.
constexpr uint64_t kMaxHolesInMemory = 16ull << 20;

struct AnalyzerSplit {
  std::vector<const Analyzer*> per_file, view, all;
};

std::string Quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(c));
      out += buf;
    } else {
      out.push_back(c);
    }
  }
  return out + "'";
}

// Classifies whiteout names (OCI image-spec "Representing Changes": .wh.NAME and .wh..wh..opq).
// Returns false for entries to drop (aufs metadata such as .wh..wh.plnk).
bool ApplyWhiteoutNaming(FileMeta& m, std::string& reason) {
  size_t slash = m.path.rfind('/');
  if (m.path.compare(slash == std::string::npos ? 0 : slash + 1, 4, ".wh.") != 0) return true;  // the common case
  std::string dir = slash == std::string::npos ? "" : m.path.substr(0, slash);
  std::string base = slash == std::string::npos ? m.path : m.path.substr(slash + 1);
  if (base == ".wh..wh..opq") {
    m.type = FileType::kOpaqueWhiteout;
    m.path = dir;
    return true;
  }
  if (base.rfind(".wh..wh.", 0) == 0) return false;
  std::string name = base.substr(4);
  if (name.empty() || name == "." || name == "..") {
    reason = "invalid whiteout name";
    return false;
  }
  m.type = FileType::kWhiteout;
  m.path = dir.empty() ? name : dir + "/" + name;
  return true;
}

// Files at most this large are handed to the layer's helper threads whole; larger ones stream through
// the reading thread block by block (never buffered when only stream sessions want them).
constexpr uint64_t kOffloadMaxBytes = 2 << 20;
// Bytes of file content waiting for or in the hands of helper threads, at most; past it the reading
// thread does the work itself.
constexpr uint64_t kMaxInflightBytes = 4 << 20;

// One wanted file whose content is in memory: the stream sessions and the per-file analyzers run on it.
struct FileTask {
  size_t seq = 0;  // position in the layer, for a deterministic merge of results
  FileMeta meta;
  std::shared_ptr<const std::string> content;
  std::vector<const Analyzer*> wanting;  // per-file analyzers
  bool stream = false;                   // stream sessions want it
};

void RunAnalyzers(const std::vector<const Analyzer*>& wanting, const std::string& path, const std::string& content,
                  int index, AnalysisResult& out) {
  for (const Analyzer* a : wanting) {
    InvokeAnalyzer(*a, path, out, [&] { a->Analyze(AnalysisInput{path, content, index}, out); });
  }
}

// A stream session and the analyzer it belongs to (for InvokeAnalyzer's diagnostics).
struct Session {
  const Analyzer* analyzer = nullptr;
  std::unique_ptr<StreamSession> session;
};

// Calls one session method through InvokeAnalyzer; false when it failed (the failure is then a
// diagnostic on the file in `out`, and the session sees nothing more of that file).
bool CallSession(const Session& s, const std::string& path, AnalysisResult& out, const std::function<void()>& call) {
  bool ok = false;
  InvokeAnalyzer(*s.analyzer, path, out, [&] {
    call();
    ok = true;
  });
  return ok;
}

// Sessions of every stream analyzer, for one thread.
struct SessionSet {
  std::vector<Session> sessions;
  SessionSet(const std::vector<const Analyzer*>& all, int index) {
    for (const Analyzer* a : all)
      if (auto s = a->OpenStream(index)) sessions.push_back({a, std::move(s)});
  }
  void RunWhole(const FileMeta& meta, const std::string& content, AnalysisResult& out) {
    for (auto& s : sessions) {
      InvokeAnalyzer(*s.analyzer, meta.path, out, [&] {
        if (!s.session->Begin(meta)) return;
        s.session->Feed(std::span<const char>(content.data(), content.size()));
        s.session->End(out);
      });
    }
  }
};

// Results of one layer's files, merged in file order whichever thread produced them.
class ResultSlots {
 public:
  void Add(size_t seq, AnalysisResult&& r) {
    if (r.os.empty() && r.package_dbs.empty() && r.attachments.empty() && r.diagnostics.empty() && r.secrets.empty())
      return;
    std::lock_guard<std::mutex> lock(mu_);
    slots_.emplace_back(seq, std::move(r));
  }
  void MergeInto(AnalysisResult& out) {
    std::stable_sort(slots_.begin(), slots_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [seq, r] : slots_) out.Append(std::move(r));
    slots_.clear();
  }

 private:
  std::mutex mu_;
  std::vector<std::pair<size_t, AnalysisResult>> slots_;
};

// Helper threads of one layer: the reading thread (tar parsing or directory listing) hands them whole
// files, each runs its own stream sessions and the per-file analyzers. With one layer on a machine of
// several cores this is where the other cores work.
class LayerHelpers {
 public:
  LayerHelpers(unsigned n, const std::vector<const Analyzer*>& all, int index, ResultSlots& slots)
      : index_(index), slots_(slots) {
    for (unsigned i = 0; i < n; ++i) threads_.emplace_back([this, &all] { Work(all); });
  }
  ~LayerHelpers() { Join(); }  // on the error path: stop, never throw

  // False when the helpers are busy enough: the caller then does the work itself.
  bool TrySubmit(FileTask&& t) {
    if (threads_.empty()) return false;
    const uint64_t size = t.content->size();
    std::lock_guard<std::mutex> lock(mu_);
    if (inflight_ + size > kMaxInflightBytes || queue_.size() >= 4096) return false;
    inflight_ += size;
    queue_.push_back(std::move(t));
    cv_.notify_one();
    return true;
  }

  // Waits for every submitted file; rethrows a helper's failure.
  void Finish() {
    Join();
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }

 private:
  void Work(const std::vector<const Analyzer*>& all) {
    SessionSet sessions(all, index_);
    for (;;) {
      FileTask t;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return closed_ || !queue_.empty(); });
        if (queue_.empty()) return;
        t = std::move(queue_.front());
        queue_.pop_front();
      }
      AnalysisResult r;
      // Analyzer failures are diagnostics already (InvokeAnalyzer); what arrives here is the scan's
      // (std::bad_alloc, LimitError) and fails it from Finish().
      try {
        if (t.stream) sessions.RunWhole(t.meta, *t.content, r);
        RunAnalyzers(t.wanting, t.meta.path, *t.content, index_, r);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu_);
        if (!error_) error_ = std::current_exception();
      }
      slots_.Add(t.seq, std::move(r));
      std::lock_guard<std::mutex> lock(mu_);
      inflight_ -= t.content->size();
    }
  }

  void Join() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      closed_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
    threads_.clear();
  }

  int index_;
  ResultSlots& slots_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<FileTask> queue_;
  uint64_t inflight_ = 0;
  bool closed_ = false;
  std::exception_ptr error_;
  std::vector<std::thread> threads_;
};

std::string Mib(uint64_t n) { return std::to_string(n >> 20) + " MiB"; }

LayerScan ScanLayer(int index, const LoadedSource& src, const AnalyzerSplit& an, const WalkOptions& opts,
                    unsigned helpers, std::atomic<uint64_t>& kept_bytes) {
  LayerScan ls;
  ls.index = index;
  const LayerSource& layer = *src.streams[size_t(index)];
  const std::string desc = layer.Describe();
  const Limits& lim = opts.limits;
  auto stream = layer.Open();
  std::unordered_map<std::string, std::shared_ptr<const std::string>> captured;
  RawEntry raw;
  std::string reason;
  uint64_t count = 0;
  size_t seq = 0;
  ResultSlots slots;
  // Stream analyzers (secrets): this thread's sessions, and the helpers' own.
  std::vector<const Analyzer*> streamers;
  for (const Analyzer* a : an.all)
    if (auto s = a->OpenStream(index)) streamers.push_back(a);
  SessionSet own(streamers, index);
  LayerHelpers pool(streamers.empty() && an.per_file.empty() ? 0 : helpers, streamers, index, slots);

  while (stream->Next(raw)) {
    if (++count > lim.max_entries_per_layer)
      throw InputError(desc, "more than " + std::to_string(lim.max_entries_per_layer) + " entries in one layer");
    FileMeta m;
    if (IsNormalEntryPath(raw.path)) m.path = std::move(raw.path);  // directory trees, most tars
    else if (!NormalizeEntryPath(raw.path, m.path, reason))
      throw InputError(desc, "entry " + Quote(raw.path) + ": " + reason);
    m.type = raw.type;
    m.size = raw.size;
    m.mode = raw.mode;
    m.uid = raw.uid;
    m.gid = raw.gid;
    const uint64_t holes = std::min(raw.hole_bytes, raw.size);
    reason.clear();
    if (!ApplyWhiteoutNaming(m, reason)) {
      if (!reason.empty()) throw InputError(desc, "entry " + Quote(m.path) + ": " + reason);
      continue;
    }
    if (m.path.empty() && m.type == FileType::kDirectory) continue;  // the root itself
    if (m.type == FileType::kHardlink) {
      if (!NormalizeEntryPath(raw.link, m.link, reason) || m.link.empty())
        throw InputError(desc, "hardlink " + Quote(m.path) + " -> " + Quote(raw.link) + ": " +
                                   (reason.empty() ? "empty target" : reason));
    } else if (m.type == FileType::kSymlink) {
      m.link = std::move(raw.link);
    }

    if (m.type == FileType::kRegular) {
      // A sparse file's holes cost nothing unless it is read (and then count as the stream's bytes, see
      // TarStream), so the file size limit applies to the data it stores: a huge sparse /var/log/lastlog
      // (useradd with a high UID) does not stop the scan.
      if (m.size - holes > lim.max_file_bytes)
        throw InputError(desc, "entry " + Quote(m.path) + ": file of " + std::to_string(m.size - holes) +
                                   " bytes is larger than the limit of " + std::to_string(lim.max_file_bytes) +
                                   " bytes (--max-file-size)");
      FileTask task;
      task.seq = seq++;
      for (const Analyzer* a : an.per_file)
        if (a->Wants(m.path, m)) task.wanting.push_back(a);
      bool view_wants = false;
      for (const Analyzer* a : an.view)
        if (a->Wants(m.path, m)) view_wants = true;
      for (const Analyzer* a : streamers)
        if (a->WantsStream(m)) task.stream = true;
      const bool buffer = !task.wanting.empty() || view_wants;
      AnalysisResult inline_result;
      if (buffer && holes > kMaxHolesInMemory && m.size <= lim.max_analyzed_file_bytes)
        throw LimitExceeded(desc, "entry " + Quote(m.path) + ": sparse file of " + Mib(m.size) + " with " +
                                      Mib(holes) + " of holes; a file read into memory for analysis may hold at most " +
                                      Mib(kMaxHolesInMemory) + " of holes");
      if (task.stream && ((!buffer && m.size > kOffloadMaxBytes) || m.size > lim.max_analyzed_file_bytes)) {
        // Only streamed (or too large to buffer): every block goes to this thread's sessions, nothing is kept.
        std::vector<const Session*> streaming;
        for (auto& sess : own.sessions)
          if (bool begun = false;
              CallSession(sess, m.path, inline_result, [&] { begun = sess.session->Begin(m); }) && begun)
            streaming.push_back(&sess);
        uint64_t seen = 0;
        for (auto b = stream->ReadBlock(); !b.empty(); b = stream->ReadBlock()) {
          seen += b.size();
          if (seen > m.size) throw InputError(desc, "entry " + Quote(m.path) + ": more data than its header declares");
          std::erase_if(streaming, [&](const Session* sess) {
            return !CallSession(*sess, m.path, inline_result, [&] { sess->session->Feed(b); });
          });
        }
        for (const Session* sess : streaming)
          CallSession(*sess, m.path, inline_result, [&] { sess->session->End(inline_result); });
        task.stream = false;
      }
      if (buffer && m.size > lim.max_analyzed_file_bytes) {
        inline_result.diagnostics.push_back(
            {m.path, "not analyzed: larger than " + std::to_string(lim.max_analyzed_file_bytes) + " bytes"});
      } else if (buffer || task.stream) {
        // A sparse entry grows as its bytes arrive (its declared size is not data). Otherwise the size
        // is reserved at once, bounded by the analysis limit: growing by doubling would hold up to twice a
        // large file at its peak, while a reservation the stream never fills is address space only (the
        // allocator maps it; untouched pages are not resident), so a lying header costs nothing real.
        std::string content;
        if (holes == 0) content.reserve(static_cast<size_t>(std::min<uint64_t>(m.size, lim.max_analyzed_file_bytes)));
        for (auto b = stream->ReadBlock(); !b.empty(); b = stream->ReadBlock()) {
          if (content.size() + b.size() > lim.max_analyzed_file_bytes)
            throw InputError(desc, "entry " + Quote(m.path) + ": more data than its header declares");
          content.append(b.data(), b.size());
        }
        auto sp = std::make_shared<const std::string>(std::move(content));
        if (buffer) {
          bool keep = view_wants;
          if (!keep && sp->size() <= kKeepForLinksBytes)
            keep = std::all_of(task.wanting.begin(), task.wanting.end(),
                               [](const Analyzer* a) { return a->KeepContent(); });
          if (keep) {
            // Kept files live until the scan ends: their total over every layer is bounded.
            const uint64_t total = kept_bytes.fetch_add(sp->size()) + sp->size();
            if (total > lim.max_kept_bytes)
              throw LimitExceeded(desc, "entry " + Quote(m.path) + ": file contents kept in memory for analysis exceed " +
                                            Mib(lim.max_kept_bytes) + " in total over all layers (--max-kept-size)");
            ls.kept.push_back({m.path, sp});
            captured[m.path] = sp;
          }
        }
        task.meta = m;
        task.content = sp;
        if (!pool.TrySubmit(std::move(task))) {
          if (task.stream) own.RunWhole(m, *sp, inline_result);
          RunAnalyzers(task.wanting, m.path, *sp, index, inline_result);
        }
      }
      slots.Add(task.seq, std::move(inline_result));
      if (opts.progress) opts.progress->AddBytes(m.size);
    } else if (m.type == FileType::kHardlink) {
      // A hardlink to a file of this layer that was kept: analyze it under its own name too.
      auto it = captured.find(m.link);
      if (it != captured.end()) {
        FileMeta as_file = m;
        as_file.type = FileType::kRegular;
        as_file.size = it->second->size();
        std::vector<const Analyzer*> wanting;
        for (const Analyzer* a : an.per_file)
          if (a->Wants(m.path, as_file)) wanting.push_back(a);
        bool view_wants = false;
        for (const Analyzer* a : an.view)
          if (a->Wants(m.path, as_file)) view_wants = true;
        AnalysisResult r;
        if (!wanting.empty()) RunAnalyzers(wanting, m.path, *it->second, index, r);
        slots.Add(seq++, std::move(r));
        if (view_wants || !wanting.empty()) ls.kept.push_back({m.path, it->second});
      }
    }
    ls.entries.push_back(std::move(m));
  }
  ls.stats = stream->Finish();
  pool.Finish();
  slots.MergeInto(ls.result);

  const LayerExpectation& exp = src.expect[size_t(index)];
  if (ls.stats.digests_valid) {
    if (!exp.digest.empty() && exp.digest != ls.stats.stored_sha256)
      throw InputError(desc, "blob digest mismatch: the manifest says " + exp.digest + " but the content hashes to " +
                                 ls.stats.stored_sha256);
    if (!exp.diff_id.empty() && exp.diff_id != ls.stats.uncompressed_sha256)
      throw InputError(desc, "diff_id mismatch: the image config says " + exp.diff_id +
                                 " but the uncompressed layer hashes to " + ls.stats.uncompressed_sha256);
  }
  spdlog::debug("layer {} ({}): {} entries, {} bytes stored, {} uncompressed", index, desc, ls.entries.size(),
                ls.stats.stored_bytes, ls.stats.uncompressed_bytes);
  return ls;
}

}  // namespace

std::vector<LayerScan> WalkLayers(const LoadedSource& src, const std::vector<const Analyzer*>& analyzers,
                                  const WalkOptions& opts) {
  AnalyzerSplit split;
  for (const Analyzer* a : analyzers) (a->NeedsView() ? split.view : split.per_file).push_back(a);
  split.all = analyzers;

  const size_t n = src.streams.size();
  std::vector<LayerScan> scans(n);
  std::vector<std::exception_ptr> errors(n);
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::atomic<uint64_t> kept_bytes{0};  // contents of LayerScan::kept, every layer
  if (opts.progress) opts.progress->SetTotal(n);

  unsigned threads = opts.threads ? opts.threads : std::max(1u, std::thread::hardware_concurrency());
  // Fewer layers than cores: each layer gets helper threads for its files (a one-layer image or a
  // directory tree would otherwise scan on one core).
  const unsigned helpers = n > 0 && n < threads ? unsigned((threads - n) / n) : 0;
  auto worker = [&] {
    for (;;) {
      if (failed.load()) return;
      size_t i = next.fetch_add(1);
      if (i >= n) return;
      try {
        scans[i] = ScanLayer(int(i), src, split, opts, helpers, kept_bytes);
        if (opts.progress) opts.progress->LayerDone();
      } catch (...) {
        errors[i] = std::current_exception();
        failed = true;
      }
    }
  };
  threads = unsigned(std::min<size_t>(threads, std::max<size_t>(n, 1)));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);  // the lowest layer's error, deterministically
  return scans;
}

}  // namespace customs
