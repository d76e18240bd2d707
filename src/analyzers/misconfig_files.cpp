// Misconfiguration files: claims Dockerfiles and *.yaml/*.yml/*.json files of at most 1 MiB as a
// view analyzer, so that the walker keeps their bytes; the misconfiguration detector parses them
// (no format leaves this file: the inventory holds no configuration trees).
#include "analyzers/misconfig_files.h"

#include <cctype>
#include <memory>
#include <string>

#include "analyzers/analyzer.h"

namespace customs {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

class MisconfigFilesAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return "misconfig_files"; }
  AnalyzerGroup Group() const override { return AnalyzerGroup::kConfig; }
  bool Wants(std::string_view path, const FileMeta& meta) const override {
    return meta.size <= kMaxMisconfigFileBytes && IsMisconfigCandidate(path);
  }
  bool NeedsView() const override { return true; }  // the walker keeps the bytes; nothing to analyze per layer
};

}  // namespace

bool IsMisconfigCandidate(std::string_view path) {
  const size_t slash = path.rfind('/');
  const std::string base = Lower(slash == std::string_view::npos ? path : path.substr(slash + 1));
  if (base.find("dockerfile") != std::string::npos || base.find("containerfile") != std::string::npos) return true;
  return EndsWith(base, ".yaml") || EndsWith(base, ".yml") || EndsWith(base, ".json");
}

std::unique_ptr<Analyzer> Make_misconfig_files() { return std::make_unique<MisconfigFilesAnalyzer>(); }

}  // namespace customs
