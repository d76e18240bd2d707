// Secrets: every regular file of every layer goes through the secret engine (src/secrets/) block by
// block as the layer streams past. Matches are kept per layer whether or not the file survives: a
// credential deleted by a later layer is still in the image.
#include <memory>
#include <string>

#include "analyzers/analyzer.h"
#include "core/error.h"
#include "secrets/engine.h"

namespace customs {

namespace {

class SecretSession final : public StreamSession {
 public:
  SecretSession(const secrets::Engine& engine, int layer) : engine_(engine), session_(engine.NewSession()), layer_(layer) {}

  bool Begin(const FileMeta& meta) override {
    if (!engine_.WantsFile(meta.path, meta.size)) return false;
    path_ = meta.path;
    session_->Begin(path_);
    return true;
  }
  void Feed(std::span<const char> block) override { session_->Feed(block); }
  void End(AnalysisResult& out) override {
    for (auto& m : session_->End()) {
      SecretMatch s;
      s.path = path_;
      s.layer = layer_;
      s.rule_id = engine_.Rules()[m.rule].id;
      s.secret = std::move(m.secret);
      s.line = m.line;
      s.column = m.column;
      s.end_line = m.end_line;
      s.snippet = std::move(m.snippet);
      out.secrets.push_back(std::move(s));
    }
  }

 private:
  const secrets::Engine& engine_;
  std::unique_ptr<secrets::Session> session_;
  int layer_;
  std::string path_;
};

class SecretsAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return "secrets"; }
  AnalyzerGroup Group() const override { return AnalyzerGroup::kSecret; }
  bool Wants(std::string_view, const FileMeta&) const override { return false; }

  void Configure(const AnalyzerConfig& cfg) override {
    engine_ = std::static_pointer_cast<const secrets::Engine>(cfg.secret_engine);
    if (!engine_) engine_ = secrets::Engine::Build(secrets::DefaultConfig());
  }

  bool WantsStream(const FileMeta& meta) const override {
    return engine_ && engine_->WantsFile(meta.path, meta.size);
  }

  std::unique_ptr<StreamSession> OpenStream(int layer) const override {
    return engine_ ? std::make_unique<SecretSession>(*engine_, layer) : nullptr;
  }

 private:
  std::shared_ptr<const secrets::Engine> engine_;
};

}  // namespace

std::unique_ptr<Analyzer> Make_secrets() { return std::make_unique<SecretsAnalyzer>(); }

}  // namespace customs
