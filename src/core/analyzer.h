// The analyzer interface, the contract between the walker (which calls it) and the analyzers (which
// implement it). An analyzer says which paths it wants; the walker hands it the bytes of those files
// only, layer by layer. Each analyzer is one .cpp file in analyzers/ plus one line in analyzers/list.inc.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.h"
#include "core/layer.h"

namespace customs {

namespace secrets {
class Engine;  // secrets/engine.h: core does not include the secret engine
}

enum class AnalyzerGroup {
  kOS,      // OS release and OS package databases (image, rootfs)
  kLang,    // language ecosystems (part 3)
  kSecret,  // secrets (part 4)
  kConfig,  // misconfiguration (part 5)
};

// Facts an analyzer reports. Every fact names the file it came from: the inventory keeps a fact only
// when that file survives in the final view, and attributes packages to layers from the history of
// that file.
struct OSFact {
  std::string path;
  OSInfo info;
  int priority = 0;  // higher wins when several files describe the OS (os-release over debian_version)
};

struct PackageDB {
  std::string path;  // database file ("var/lib/dpkg/status", "var/lib/dpkg/status.d/libc6")
  std::string type;  // "apk", "dpkg", "rpm"
  std::vector<Package> packages;
};

// Facts about a package that live in a file of their own: dpkg's var/lib/dpkg/info/NAME[:ARCH].list
// (installed files) and usr/share/doc/NAME/copyright (licenses). The inventory attaches them to the
// packages of that type and name (and architecture, when given).
struct PackageAttachment {
  std::string path;
  std::string type;      // "dpkg"
  std::string package;   // "libc6" or "libc6:amd64"
  std::vector<std::string> files;     // normalized paths, no leading "/"
  std::vector<std::string> licenses;
};

struct AnalysisResult {
  std::vector<OSFact> os;
  std::vector<PackageDB> package_dbs;
  std::vector<PackageAttachment> attachments;
  std::vector<Diagnostic> diagnostics;
  std::vector<SecretMatch> secrets;  // kept whether or not the file survives: a deleted secret is still in its layer

  void Append(AnalysisResult&& other);
};

struct AnalysisInput {
  std::string_view path;     // normalized path of the file
  std::string_view content;  // the whole file
  int layer = 0;
};

// Read access to the files a view-analyzer wanted, as they stand after a given layer.
class FileView {
 public:
  virtual ~FileView() = default;
  // Content of a wanted regular file (symlinks already resolved), or nullopt when absent.
  virtual std::optional<std::string_view> Read(std::string_view path) const = 0;
  // Wanted paths present in the view, sorted.
  virtual std::vector<std::string> Paths() const = 0;
};

// Stream analyzers see the bytes of the files they want block by block as a layer streams past,
// without the walker holding whole files (secrets: every byte of every file). The walker opens one
// session per layer pass; a session is used by one thread only.
class StreamSession {
 public:
  virtual ~StreamSession() = default;
  // Whether to see this regular file's bytes; when true, Feed follows with every block, then End.
  virtual bool Begin(const FileMeta& meta) = 0;
  virtual void Feed(std::span<const char> block) = 0;
  virtual void End(AnalysisResult& out) = 0;
};

// What analyzers may be configured with (built by the CLI from its flags).
struct AnalyzerConfig {
  std::shared_ptr<const secrets::Engine> secret_engine;  // analyzers of the secret group need it
};

class Analyzer {
 public:
  virtual ~Analyzer() = default;
  virtual std::string_view Name() const = 0;
  virtual AnalyzerGroup Group() const = 0;
  // Cheap test on the normalized path (and size/mode) of a regular file. Must be thread-safe.
  virtual bool Wants(std::string_view path, const FileMeta& meta) const = 0;

  // Per-file analyzers: called once per wanted file per layer that writes it. Thread-safe (const).
  virtual void Analyze(const AnalysisInput& /*in*/, AnalysisResult& /*out*/) const {}

  // Whether the walker may keep this analyzer's (small) files in memory after the walk, so that a
  // wanted path that is a link to them resolves without a re-read. Analyzers that want many files
  // (every executable, every archive) say false.
  virtual bool KeepContent() const { return true; }

  // View analyzers need several files together (the rpm database). They return true here; the
  // walker keeps their wanted files, and after the walk Analyze View is called once for each layer
  // that changed any of them, with the view as it stands after that layer.
  virtual bool NeedsView() const { return false; }
  // Stream analyzers return a session for one pass over layer `layer`; others nullptr. The walker may
  // open several per layer (one per thread) and hand each file to one of them.
  virtual std::unique_ptr<StreamSession> OpenStream(int /*layer*/) const { return nullptr; }
  // Whether this analyzer's sessions want the bytes of this regular file (their Begin then returns
  // true). Thread-safe.
  virtual bool WantsStream(const FileMeta& /*meta*/) const { return false; }
  // Called once after construction with the scan's configuration. Throws customs::Error when the
  // configuration does not suit the analyzer.
  virtual void Configure(const AnalyzerConfig& /*cfg*/) {}
  virtual void AnalyzeView(const FileView& /*view*/, int /*layer*/, AnalysisResult& /*out*/) const {}
};

// Every call into an analyzer (Analyze, AnalyzeView, a stream session's Begin/Feed/End) goes through
// here, wherever it is made (the walker, its helper threads, the inventory's link and view passes), so
// that a failure means the same everywhere: a file an analyzer cannot read is that file's problem,
// recorded as a diagnostic on `where` while the scan goes on; running out of memory (std::bad_alloc),
// crossing a limit (LimitError) and anything that is not a std::exception are the scan's, and propagate.
void InvokeAnalyzer(const Analyzer& a, std::string_view where, AnalysisResult& out,
                    const std::function<void()>& call);

}  // namespace customs
