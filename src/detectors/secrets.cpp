// Secrets: the matches the secret analyzer made in every layer become findings with their rule's
// category, title and severity; the image configuration (environment, labels, history commands,
// entrypoint and command) is scanned here, as text, with the same engine.
#include <map>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "formats/json.h"
#include "detectors/detector.h"
#include "secrets/engine.h"

namespace customs {

namespace {

// One text per part of the image config, one entry per line so that line numbers index entries.
std::vector<std::pair<std::string, std::string>> ConfigTexts(const std::string& config_json) {
  std::vector<std::pair<std::string, std::string>> out;
  if (config_json.empty()) return out;
  auto doc = ParseJsonOrDiscarded(config_json, "image config");
  if (!doc.is_object()) return out;
  auto lines = [](const nlohmann::json& arr) {
    std::string text;
    if (!arr.is_array()) return text;
    for (const auto& v : arr) text += (v.is_string() ? v.get<std::string>() : v.dump()) + "\n";
    return text;
  };
  const nlohmann::json* cfg = nullptr;
  if (auto it = doc.find("config"); it != doc.end() && it->is_object()) cfg = &*it;
  if (cfg) {
    if (auto it = cfg->find("Env"); it != cfg->end()) out.emplace_back("image-config:env", lines(*it));
    if (auto it = cfg->find("Labels"); it != cfg->end() && it->is_object()) {
      std::string text;
      for (const auto& [k, v] : it->items()) text += k + "=" + (v.is_string() ? v.get<std::string>() : v.dump()) + "\n";
      out.emplace_back("image-config:labels", text);
    }
    std::string cmd;
    for (const char* key : {"Entrypoint", "Cmd"})
      if (auto it = cfg->find(key); it != cfg->end() && it->is_array()) {
        std::string joined;
        for (const auto& v : *it) joined += (joined.empty() ? "" : " ") + (v.is_string() ? v.get<std::string>() : v.dump());
        cmd += joined + "\n";
      }
    if (!cmd.empty()) out.emplace_back("image-config:cmd", cmd);
  }
  if (auto it = doc.find("history"); it != doc.end() && it->is_array()) {
    std::string text;
    for (const auto& h : *it) text += (h.is_object() && h.contains("created_by") && h["created_by"].is_string()
                                           ? h["created_by"].get<std::string>()
                                           : std::string()) + "\n";
    out.emplace_back("image-config:history", text);
  }
  return out;
}

class SecretsDetector final : public Detector {
 public:
  std::string_view Name() const override { return "secrets"; }
  std::string_view Scanner() const override { return "secret"; }

  void Detect(const DetectOptions& opts, ScanResult& result) const override {
    const secrets::Engine* engine = opts.secret_engine;
    if (!engine) return;
    std::map<std::string, const secrets::Rule*> rule_of;
    for (const auto& r : engine->Rules()) rule_of[r.id] = &r;
    auto finding = [&](const secrets::Rule* r) {
      SecretFinding f;
      if (r) {
        f.rule_id = r->id;
        f.category = r->category;
        f.title = r->title;
        f.severity = r->severity;
      }
      return f;
    };
    result.secret_scanned = true;
    for (const SecretMatch& m : result.inventory.secrets) {
      auto it = rule_of.find(m.rule_id);
      SecretFinding f = finding(it == rule_of.end() ? nullptr : it->second);
      f.rule_id = m.rule_id;
      f.path = m.path;
      f.layer = m.layer;
      f.removed_in_layer = m.removed_in_layer;
      f.replaced = m.replaced;
      f.line = m.line;
      f.column = m.column;
      f.end_line = m.end_line;
      f.secret = m.secret;
      f.snippet = m.snippet;
      result.secrets.push_back(std::move(f));
    }
    for (const auto& [where, text] : ConfigTexts(result.inventory.artifact.config_json)) {
      for (auto& m : engine->ScanBuffer(where, text)) {
        SecretFinding f = finding(&engine->Rules()[m.rule]);
        f.path = where;
        f.line = m.line;
        f.column = m.column;
        f.end_line = m.end_line;
        f.secret = std::move(m.secret);
        f.snippet = std::move(m.snippet);
        result.secrets.push_back(std::move(f));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Detector> MakeDetector_secrets() { return std::make_unique<SecretsDetector>(); }

}  // namespace customs
