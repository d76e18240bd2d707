// libFuzzer target: the java_pom analyzer. The input is up to three POMs separated by NUL bytes: a
// project (app/core/pom.xml), its parent in the tree (app/pom.xml) and a POM in a local repository
// (.m2/repository/g/a/1/a-1.pom, coordinates g:a:1), so that parent lookup, BOM imports and the
// transitive walk all see fuzzed documents. The first is also analyzed alone (Analyze).
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/analyzer.h"

namespace customs {
std::unique_ptr<Analyzer> Make_java_pom();
}  // namespace customs

namespace {

class MapView : public customs::FileView {
 public:
  explicit MapView(std::map<std::string, std::string_view> files) : files_(std::move(files)) {}
  std::optional<std::string_view> Read(std::string_view path) const override {
    auto it = files_.find(std::string(path));
    if (it == files_.end()) return std::nullopt;
    return it->second;
  }
  std::vector<std::string> Paths() const override {
    std::vector<std::string> out;
    for (const auto& [p, _] : files_) out.push_back(p);
    return out;
  }

 private:
  std::map<std::string, std::string_view> files_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto pom = customs::Make_java_pom();
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> parts;
  while (parts.size() < 2) {
    const size_t nul = rest.find('\0');
    if (nul == std::string_view::npos) break;
    parts.push_back(rest.substr(0, nul));
    rest.remove_prefix(nul + 1);
  }
  parts.push_back(rest);
  customs::AnalysisResult out;
  pom->Analyze(customs::AnalysisInput{"app/core/pom.xml", parts[0], 0}, out);
  std::map<std::string, std::string_view> files{{"app/core/pom.xml", parts[0]}};
  if (parts.size() > 1) files["app/pom.xml"] = parts[1];
  if (parts.size() > 2) files[".m2/repository/g/a/1/a-1.pom"] = parts[2];
  pom->AnalyzeView(MapView(std::move(files)), 0, out);
  return 0;
}
