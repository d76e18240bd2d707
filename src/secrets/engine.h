// The secret engine: every rule compiled into one Hyperscan database (as prefilters), files scanned
// in Hyperscan's streaming mode block by block in one pass; where the prefilter fires, the rule's
// exact PCRE2 pattern confirms the match over a window kept around it, then keywords, entropy,
// validators, allow rules and inline "customs:ignore" comments decide.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "secrets/config.h"

namespace customs::secrets {

struct Match {
  size_t rule = 0;          // index into Engine::Rules()
  std::string secret;       // the value (reports mask it unless asked not to)
  uint64_t offset = 0;      // byte offset of the secret in the file
  uint64_t line = 0;        // 1-based line of the secret's first byte
  uint64_t column = 0;      // 1-based byte column of the secret's first byte
  uint64_t end_line = 0;    // line of its last byte
  std::string snippet;      // the line holding the secret (cut to at most ~240 bytes around it)
};

class Engine;

// Scans one file at a time, block by block. One per thread; reusable across files.
class Session {
 public:
  virtual ~Session() = default;
  // Starts a file. `path` is used for path-scoped rules and allow rules.
  virtual void Begin(std::string_view path) = 0;
  virtual void Feed(std::span<const char> block) = 0;
  // Ends the file and returns its matches, in file order.
  virtual std::vector<Match> End() = 0;
};

class Engine {
 public:
  virtual ~Engine() = default;
  // Compiles the configuration. Throws customs::Error (kExitUsage) naming the rule of a pattern
  // that does not compile.
  static std::shared_ptr<const Engine> Build(const Config& cfg);
  // The same, first looking in `cache_dir` for the rules' compiled Hyperscan database (written by
  // StoreCompiled; compiling takes ~0.25 s, loading a few ms). Never writes.
  static std::shared_ptr<const Engine> Build(const Config& cfg, const std::string& cache_dir);
  // Compiles cfg's rules and writes the database into `cache_dir` (created if needed) for Build to find.
  // Returns the file written, or "" when it could not be written.
  static std::string StoreCompiled(const Config& cfg, const std::string& cache_dir);

  virtual const std::vector<Rule>& Rules() const = 0;
  // Whether a file is worth scanning at all: not too large, not a known-noise path or a format that
  // cannot hold text (images, archives, fonts...).
  virtual bool WantsFile(std::string_view path, uint64_t size) const = 0;
  virtual std::unique_ptr<Session> NewSession() const = 0;
  // Convenience: one whole buffer.
  std::vector<Match> ScanBuffer(std::string_view path, std::string_view data) const;
};

}  // namespace customs::secrets
