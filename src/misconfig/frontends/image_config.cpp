// Image config front end: the OCI / Docker image configuration JSON as a document (kind imageconfig),
// kept as-is (docs/misconfig-model.md), plus the `env` map built from config.Env.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "misconfig/document.h"

namespace customs::misconfig {
namespace {

constexpr int kMaxDepth = 200;

struct TooDeep {};

Value FromJson(const nlohmann::json& j, int depth) {
  if (depth > kMaxDepth) throw TooDeep{};
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
  nlohmann::json j;
  // Depth first: nlohmann's parser recurses on nesting; a callback refuses deep input early.
  auto guard = [](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
    if (depth > kMaxDepth) throw TooDeep{};
    return true;
  };
  try {
    j = nlohmann::json::parse(config_json.begin(), config_json.end(), guard);
  } catch (const nlohmann::json::exception& e) {
    res.problems.push_back({path, 0, std::string("invalid image config JSON: ") + e.what()});
    return res;
  } catch (const TooDeep&) {
    res.problems.push_back({path, 0, "image config JSON nested too deeply"});
    return res;
  }
  if (!j.is_object()) {
    res.problems.push_back({path, 0, "image config JSON is not an object"});
    return res;
  }
  Value root;
  try {
    root = FromJson(j, 0);
  } catch (const TooDeep&) {
    res.problems.push_back({path, 0, "image config JSON nested too deeply"});
    return res;
  }
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
