#include "core/analyzer.h"

#include <new>

#include "core/error.h"

namespace customs {

void AnalysisResult::Append(AnalysisResult&& o) {
  for (auto& x : o.os) os.push_back(std::move(x));
  for (auto& x : o.package_dbs) package_dbs.push_back(std::move(x));
  for (auto& x : o.attachments) attachments.push_back(std::move(x));
  for (auto& x : o.diagnostics) diagnostics.push_back(std::move(x));
  for (auto& x : o.secrets) secrets.push_back(std::move(x));
}

void InvokeAnalyzer(const Analyzer& a, std::string_view where, AnalysisResult& out,
                    const std::function<void()>& call) {
  try {
    call();
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const LimitError&) {
    throw;
  } catch (const std::exception& e) {
    out.diagnostics.push_back({std::string(where), std::string(a.Name()) + " analyzer failed: " + e.what()});
  }
}

}  // namespace customs
