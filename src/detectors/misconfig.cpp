// Misconfigurations: every configuration file is parsed by its front end (misconfig/frontends/),
// and every check of a document's kind runs on every document of it. Files are independent, so they
// are parsed and checked in parallel; results are merged in file order.
#include "detectors/misconfig.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>
#include <tuple>

#include <spdlog/spdlog.h>

#include "detectors/detector.h"
#include "misconfig/document.h"

namespace customs {

namespace {

struct FileOutcome {
  misconfig::ParseResult parsed;  // kept only when a `scope: all` check needs every document
  std::vector<MisconfigFinding> findings;
  std::vector<Diagnostic> diagnostics;
  bool is_config = false;
  std::string kind;
  int checks = 0;
};

MisconfigFinding MakeFinding(const misconfig::Check& check, const misconfig::Violation& v, const std::string& kind,
                             const std::string& path, int layer) {
  MisconfigFinding f;
  f.check_id = check.id;
  f.title = check.title;
  f.severity = check.severity;
  f.description = check.description;
  f.remediation = check.remediation;
  f.references = check.references;
  f.kind = kind;
  f.path = path;
  f.line = v.line;
  f.end_line = std::max(v.end_line, v.line);
  f.layer = layer;
  f.message = v.message.empty() ? check.title : v.message;
  return f;
}

// Runs the document-scope checks on each document of one file.
void CheckDocuments(const misconfig::ParseResult& parsed, const std::vector<misconfig::Check>& checks, int layer,
                    const std::string& path, FileOutcome& out) {
  for (const auto& p : parsed.problems)
    out.diagnostics.push_back({p.line > 0 ? p.path + ":" + std::to_string(p.line) : p.path, p.message});
  for (const auto& doc : parsed.documents) {
    out.is_config = true;
    out.kind = std::string(misconfig::DocKindName(doc.kind));
    for (const auto& check : checks) {
      if (check.kind != doc.kind || check.scope != misconfig::Check::Scope::kDocument) continue;
      ++out.checks;
      std::string error;
      std::vector<misconfig::Violation> vs;
      try {
        vs = misconfig::Evaluate(check, doc, &error);
      } catch (const std::exception& e) {  // Evaluate promises not to throw; a bug must not end the scan
        error = e.what();
      }
      if (!error.empty())
        out.diagnostics.push_back({path, "check " + check.id + " could not be evaluated: " + error});
      for (const auto& v : vs) out.findings.push_back(MakeFinding(check, v, out.kind, path, layer));
    }
  }
}

// Runs the `scope: all` checks once over the documents of every file; each finding goes to the outcome
// of the file its node is in.
void CheckAllDocuments(const std::vector<misconfig::Check>& checks, const std::vector<std::string>& paths,
                       const std::vector<int>& layers, std::vector<FileOutcome>& outcomes) {
  std::vector<const misconfig::Document*> docs;
  std::vector<size_t> owner;  // docs[k] belongs to outcomes[owner[k]]
  for (size_t i = 0; i < outcomes.size(); ++i)
    for (const auto& d : outcomes[i].parsed.documents) {
      docs.push_back(&d);
      owner.push_back(i);
    }
  for (const auto& check : checks) {
    if (check.scope != misconfig::Check::Scope::kAll) continue;
    std::vector<bool> counted(outcomes.size(), false);
    for (size_t k = 0; k < docs.size(); ++k)
      if (docs[k]->kind == check.kind && !counted[owner[k]]) {
        counted[owner[k]] = true;
        ++outcomes[owner[k]].checks;
      }
    std::string error;
    std::vector<misconfig::Violation> vs;
    try {
      vs = misconfig::EvaluateAll(check, docs, &error);
    } catch (const std::exception& e) {
      error = e.what();
    }
    if (!error.empty() && !outcomes.empty())
      outcomes.front().diagnostics.push_back({"checks", "check " + check.id + " could not be evaluated: " + error});
    for (const auto& v : vs) {
      const size_t i = owner[static_cast<size_t>(v.document)];
      outcomes[i].findings.push_back(MakeFinding(check, v, outcomes[i].kind, paths[i], layers[i]));
    }
  }
}

class MisconfigDetector final : public Detector {
 public:
  std::string_view Name() const override { return "misconfig"; }
  std::string_view Scanner() const override { return "misconfig"; }
  void Detect(const DetectOptions& opts, ScanResult& result) const override {
    if (opts.misconfig) DetectMisconfigurations(*opts.misconfig, result);
  }
};

}  // namespace

void DetectMisconfigurations(const MisconfigInput& in, ScanResult& result) {
  result.misconfig_scanned = true;
  const bool keep_documents = std::any_of(in.checks.begin(), in.checks.end(), [](const misconfig::Check& c) {
    return c.scope == misconfig::Check::Scope::kAll;
  });
  std::vector<FileOutcome> outcomes(in.files.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < in.files.size(); i = next++) {
      const MisconfigFile& file = in.files[i];
      if (!file.content) continue;
      misconfig::ParseResult parsed;
      try {
        parsed = misconfig::ParseAny(file.path, *file.content);
      } catch (const std::exception& e) {  // front ends promise not to throw; never fatal for the scan
        parsed.problems.push_back({file.path, 0, e.what()});
      }
      CheckDocuments(parsed, in.checks, file.layer, file.path, outcomes[i]);
      if (keep_documents) outcomes[i].parsed = std::move(parsed);
    }
  };
  unsigned n = in.threads ? in.threads : std::max(1u, std::thread::hardware_concurrency());
  n = unsigned(std::min<size_t>(n, in.files.size()));
  if (n <= 1) {
    work();
  } else {
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < n; ++t) pool.emplace_back(work);
    for (auto& t : pool) t.join();
  }
  if (in.image_config && !result.inventory.artifact.config_json.empty()) {
    FileOutcome o;
    misconfig::ParseResult parsed;
    try {
      parsed = misconfig::ParseImageConfig(result.inventory.artifact.config_json);
    } catch (const std::exception& e) {
      parsed.problems.push_back({"image-config", 0, e.what()});
    }
    CheckDocuments(parsed, in.checks, -1, "image-config", o);
    if (keep_documents) o.parsed = std::move(parsed);
    outcomes.push_back(std::move(o));
  }
  if (keep_documents) {
    std::vector<std::string> paths;
    std::vector<int> layers;
    for (size_t i = 0; i < outcomes.size(); ++i) {
      paths.push_back(i < in.files.size() ? in.files[i].path : "image-config");
      layers.push_back(i < in.files.size() ? in.files[i].layer : -1);
    }
    CheckAllDocuments(in.checks, paths, layers, outcomes);
  }
  for (size_t i = 0; i < outcomes.size(); ++i) {
    auto& o = outcomes[i];
    for (auto& d : o.diagnostics) {
      spdlog::warn("{}: {}", d.where, d.message);
      result.inventory.diagnostics.push_back(std::move(d));
    }
    if (o.is_config) {
      MisconfigTarget t;
      t.path = i < in.files.size() ? in.files[i].path : "image-config";
      t.kind = o.kind;
      t.layer = i < in.files.size() ? in.files[i].layer : -1;
      t.checks = o.checks;
      result.misconfig_targets.push_back(std::move(t));
    }
    for (auto& f : o.findings) result.misconfigs.push_back(std::move(f));
  }
  std::sort(result.misconfig_targets.begin(), result.misconfig_targets.end(),
            [](const MisconfigTarget& a, const MisconfigTarget& b) { return std::tie(a.path, a.layer) < std::tie(b.path, b.layer); });
  std::stable_sort(result.misconfigs.begin(), result.misconfigs.end(), [](const MisconfigFinding& a, const MisconfigFinding& b) {
    return std::tie(a.path, a.layer, a.line, a.check_id, a.end_line) < std::tie(b.path, b.layer, b.line, b.check_id, b.end_line);
  });
}

std::unique_ptr<Detector> MakeDetector_misconfig() { return std::make_unique<MisconfigDetector>(); }

}  // namespace customs
