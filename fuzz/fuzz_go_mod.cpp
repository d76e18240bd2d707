// libFuzzer target: the go_mod analyzer, go.mod alone (Analyze) and a go.mod/go.sum pair as the view
// analyzer sees it. The input is "GO.MOD\0GO.SUM"; without a NUL byte it is a go.sum next to a go.mod
// without a go directive (which means go 1.16, so go.sum is read).
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "analyzers/analyzer.h"

namespace customs {
std::unique_ptr<Analyzer> Make_go_mod();
}  // namespace customs

namespace {

class PairView : public customs::FileView {
 public:
  PairView(std::string_view mod, std::string_view sum) : files_{{"app/go.mod", mod}, {"app/go.sum", sum}} {}
  std::optional<std::string_view> Read(std::string_view path) const override {
    auto it = files_.find(std::string(path));
    if (it == files_.end()) return std::nullopt;
    return it->second;
  }
  std::vector<std::string> Paths() const override { return {"app/go.mod", "app/go.sum"}; }

 private:
  std::map<std::string, std::string_view> files_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto go = customs::Make_go_mod();
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  customs::AnalysisResult out;
  go->Analyze(customs::AnalysisInput{"app/go.mod", content, 0}, out);
  const size_t nul = content.find('\0');
  const std::string_view mod = nul == std::string_view::npos ? std::string_view("module m\n") : content.substr(0, nul);
  const std::string_view sum = nul == std::string_view::npos ? content : content.substr(nul + 1);
  go->AnalyzeView(PairView(mod, sum), 0, out);
  return 0;
}
