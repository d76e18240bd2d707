// Image config front end: the OCI / Docker image configuration JSON as a document (kind imageconfig),
// kept as-is (docs/misconfig-model.md), plus the `env` map built from config.Env.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "formats/json.h"
#include "misconfig/document.h"

namespace customs::misconfig {
namespace {

// Enforced by the parser, so FromJson's recursion is bounded too.
constexpr size_t kMaxDepth = 200;

Value FromJson(const nlohmann::json& j, int depth) {
  switch (j.type()) {
    case nlohmann::json::value_t::object: {
      Value v = Value::Map();
      for (auto it = j.begin(); it != j.end(); ++it) v.Set(it.key(), FromJson(it.value(), depth + 1));
      return v;
    }
    case nlohmann::json::value_t::array: {
      Value v = Value::List();
      for (const auto& e : j) v.Push(FromJson(e, depth + 1));
      return v;
    }
    case nlohmann::json::value_t::string: return Value::String(j.get<std::string>());
    case nlohmann::json::value_t::boolean: return Value::Bool(j.get<bool>());
    case nlohmann::json::value_t::number_integer: return Value::Int(j.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned: {
      const uint64_t u = j.get<uint64_t>();
      if (u <= static_cast<uint64_t>(INT64_MAX)) return Value::Int(static_cast<int64_t>(u));
      return Value::Double(static_cast<double>(u));
    }
    case nlohmann::json::value_t::number_float: return Value::Double(j.get<double>());
    default: return Value::Null();
  }
}

}  // namespace

ParseResult ParseImageConfig(std::string_view config_json) {
  ParseResult res;
  const std::string path = "image-config";
  // Malformed JSON is a problem of this document; a crossed limit (depth, size) rejects the input.
  JsonLimits limits;
  limits.max_depth = kMaxDepth;
  nlohmann::json j;
  try {
    j = ParseJsonOrDiscarded(config_json, path, limits);
  } catch (const LimitError&) {
    // Like the YAML front end's limits: a problem of this document (the image's own parse, with
    // tighter limits, has already accepted any config that reaches here from an image).
    res.problems.push_back({path, 0, "image config JSON nested deeper than " + std::to_string(kMaxDepth) + " levels or too large"});
    return res;
  }
  if (j.is_discarded()) {
    res.problems.push_back({path, 0, "invalid image config JSON"});
    return res;
  }
  if (!j.is_object()) {
    res.problems.push_back({path, 0, "image config JSON is not an object"});
    return res;
  }
  Value root = FromJson(j, 0);
  Value env = Value::Map();
  if (const Value* cfg = root.Find("config"); cfg != nullptr)
    if (const Value* e = cfg->Find("Env"); e != nullptr && e->is_list())
      for (const Value& item : e->items) {
        if (!item.is_string()) continue;
        const size_t eq = item.s.find('=');
        env.Set(item.s.substr(0, eq), Value::String(eq == std::string::npos ? "" : item.s.substr(eq + 1)));
      }
  root.Set("env", std::move(env));
  res.documents.push_back(Document{DocKind::kImageConfig, path, 0, 0, std::move(root)});
  return res;
}

}  // namespace customs::misconfig
