#include "walker/walker.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <unordered_map>

#include <spdlog/spdlog.h>

#include "core/error.h"

namespace customs {

namespace {

constexpr uint64_t kKeepForLinksBytes = 1 << 20;  // wanted files up to 1 MiB stay in memory for link resolution

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
  std::string dir = slash == std::string::npos ? "" : m.path.substr(0, slash);
  std::string base = slash == std::string::npos ? m.path : m.path.substr(slash + 1);
  if (base.rfind(".wh.", 0) != 0) return true;
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

LayerScan ScanLayer(int index, const LoadedSource& src, const AnalyzerSplit& an, const WalkOptions& opts) {
  LayerScan ls;
  ls.index = index;
  const LayerSource& layer = *src.streams[size_t(index)];
  const std::string desc = layer.Describe();
  const Limits& lim = opts.limits;
  auto stream = layer.Open();
  std::unordered_map<std::string, std::shared_ptr<const std::string>> captured;
  std::vector<const Analyzer*> wanting;
  RawEntry raw;
  std::string reason;
  uint64_t count = 0;
  // Stream analyzers (secrets): one session each for this pass.
  std::vector<std::unique_ptr<StreamSession>> sessions;
  for (const Analyzer* a : an.all)
    if (auto s = a->OpenStream(index)) sessions.push_back(std::move(s));
  std::vector<StreamSession*> streaming;

  auto run_analyzers = [&](const std::string& path, const std::shared_ptr<const std::string>& content) {
    for (const Analyzer* a : wanting) {
      try {
        a->Analyze(AnalysisInput{path, *content, index}, ls.result);
      } catch (const std::exception& e) {
        ls.result.diagnostics.push_back({path, std::string(a->Name()) + " analyzer failed: " + e.what()});
      }
    }
  };

  while (stream->Next(raw)) {
    if (++count > lim.max_entries_per_layer)
      throw InputError(desc, "more than " + std::to_string(lim.max_entries_per_layer) + " entries in one layer");
    FileMeta m;
    if (!NormalizeEntryPath(raw.path, m.path, reason))
      throw InputError(desc, "entry " + Quote(raw.path) + ": " + reason);
    m.type = raw.type;
    m.size = raw.size;
    m.mode = raw.mode;
    m.uid = raw.uid;
    m.gid = raw.gid;
    reason.clear();
    if (!ApplyWhiteoutNaming(m, reason)) {
      if (!reason.empty()) throw InputError(desc, "entry " + Quote(raw.path) + ": " + reason);
      continue;
    }
    if (m.path.empty() && m.type == FileType::kDirectory) continue;  // the root itself
    if (m.type == FileType::kHardlink) {
      if (!NormalizeEntryPath(raw.link, m.link, reason) || m.link.empty())
        throw InputError(desc, "hardlink " + Quote(raw.path) + " -> " + Quote(raw.link) + ": " +
                                   (reason.empty() ? "empty target" : reason));
    } else if (m.type == FileType::kSymlink) {
      m.link = raw.link;
    }

    if (m.type == FileType::kRegular) {
      if (m.size > lim.max_file_bytes)
        throw InputError(desc, "entry " + Quote(m.path) + ": file of " + std::to_string(m.size) +
                                   " bytes is larger than the limit of " + std::to_string(lim.max_file_bytes) +
                                   " bytes (--max-file-size)");
      wanting.clear();
      for (const Analyzer* a : an.per_file)
        if (a->Wants(m.path, m)) wanting.push_back(a);
      bool view_wants = false;
      for (const Analyzer* a : an.view)
        if (a->Wants(m.path, m)) view_wants = true;
      streaming.clear();
      for (auto& sess : sessions)
        if (sess->Begin(m)) streaming.push_back(sess.get());
      if (!streaming.empty() && ((wanting.empty() && !view_wants) || m.size > lim.max_analyzed_file_bytes)) {
        // Only streamed (or too large to buffer): every block goes to the sessions, nothing is kept.
        uint64_t seen = 0;
        for (auto b = stream->ReadBlock(); !b.empty(); b = stream->ReadBlock()) {
          seen += b.size();
          if (seen > m.size) throw InputError(desc, "entry " + Quote(m.path) + ": more data than its header declares");
          for (StreamSession* sess : streaming) sess->Feed(b);
        }
        for (StreamSession* sess : streaming) sess->End(ls.result);
        streaming.clear();
      }
      if (!wanting.empty() || view_wants) {
        if (m.size > lim.max_analyzed_file_bytes) {
          ls.result.diagnostics.push_back({m.path, "not analyzed: larger than " +
                                                       std::to_string(lim.max_analyzed_file_bytes) + " bytes"});
        } else {
          std::string content;
          content.reserve(size_t(m.size));
          for (auto b = stream->ReadBlock(); !b.empty(); b = stream->ReadBlock()) {
            if (content.size() + b.size() > lim.max_analyzed_file_bytes)
              throw InputError(desc, "entry " + Quote(m.path) + ": more data than its header declares");
            content.append(b.data(), b.size());
            for (StreamSession* sess : streaming) sess->Feed(b);
          }
          for (StreamSession* sess : streaming) sess->End(ls.result);
          auto sp = std::make_shared<const std::string>(std::move(content));
          run_analyzers(m.path, sp);
          bool keep = view_wants;
          if (!keep && sp->size() <= kKeepForLinksBytes)
            keep = std::all_of(wanting.begin(), wanting.end(), [](const Analyzer* a) { return a->KeepContent(); });
          if (keep) {
            ls.kept.push_back({m.path, sp});
            captured[m.path] = sp;
          }
        }
      }
      if (opts.progress) opts.progress->AddBytes(m.size);
    } else if (m.type == FileType::kHardlink) {
      // A hardlink to a file of this layer that was kept: analyze it under its own name too.
      auto it = captured.find(m.link);
      if (it != captured.end()) {
        FileMeta as_file = m;
        as_file.type = FileType::kRegular;
        as_file.size = it->second->size();
        wanting.clear();
        for (const Analyzer* a : an.per_file)
          if (a->Wants(m.path, as_file)) wanting.push_back(a);
        bool view_wants = false;
        for (const Analyzer* a : an.view)
          if (a->Wants(m.path, as_file)) view_wants = true;
        if (!wanting.empty()) run_analyzers(m.path, it->second);
        if (view_wants || !wanting.empty()) ls.kept.push_back({m.path, it->second});
      }
    }
    ls.entries.push_back(std::move(m));
  }
  ls.stats = stream->Finish();

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

bool NormalizeEntryPath(std::string_view raw, std::string& out, std::string& reason) {
  out.clear();
  if (!raw.empty() && raw.front() == '/') {
    reason = "absolute path (entries must be relative to the image root)";
    return false;
  }
  size_t i = 0;
  while (i <= raw.size()) {
    size_t j = raw.find('/', i);
    if (j == std::string_view::npos) j = raw.size();
    std::string_view comp = raw.substr(i, j - i);
    if (comp == "..") {
      reason = "path traversal ('..' component escapes the image root)";
      return false;
    }
    if (!comp.empty() && comp != ".") {
      if (comp.find('\0') != std::string_view::npos) {
        reason = "NUL byte in path";
        return false;
      }
      if (!out.empty()) out.push_back('/');
      out.append(comp);
    }
    i = j + 1;
  }
  return true;
}

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
  if (opts.progress) opts.progress->SetTotal(n);

  auto worker = [&] {
    for (;;) {
      if (failed.load()) return;
      size_t i = next.fetch_add(1);
      if (i >= n) return;
      try {
        scans[i] = ScanLayer(int(i), src, split, opts);
        if (opts.progress) opts.progress->LayerDone();
      } catch (...) {
        errors[i] = std::current_exception();
        failed = true;
      }
    }
  };
  unsigned threads = opts.threads ? opts.threads : std::max(1u, std::thread::hardware_concurrency());
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
