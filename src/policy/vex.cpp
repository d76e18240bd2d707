// OpenVEX documents (spec v0.2.0; the v0.0.x forms with string vulnerability/products accepted).
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "formats/json.h"
#include "policy/policy.h"
#include "policy/util.h"

namespace customs {
namespace {

using nlohmann::json;

Error Malformed(const std::string& where, const std::string& reason) { return UsageError(where + ": " + reason); }

std::string OptString(const json& obj, const char* key, const std::string& where) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return "";
  if (!it->is_string()) throw Malformed(where, std::string(key) + " must be a string");
  return it->get<std::string>();
}

// A product or subcomponent: a string (v0.0.x) or an object with "@id" and/or identifiers.purl.
// The purl is preferred when "@id" is not one.
std::string ComponentId(const json& c, const std::string& where) {
  if (c.is_string()) return c.get<std::string>();
  if (!c.is_object()) throw Malformed(where, "a product must be an object with @id or identifiers");
  std::string id = OptString(c, "@id", where);
  std::string purl;
  if (auto it = c.find("identifiers"); it != c.end() && !it->is_null()) {
    if (!it->is_object()) throw Malformed(where, "identifiers must be an object");
    purl = OptString(*it, "purl", where);
  }
  if (id.rfind("pkg:", 0) != 0 && !purl.empty()) return purl;
  if (id.empty() && purl.empty()) throw Malformed(where, "a product needs @id or identifiers");
  return id.empty() ? purl : id;
}

std::vector<std::string> Subcomponents(const json& arr, const std::string& where) {
  std::vector<std::string> out;
  if (arr.is_null()) return out;
  if (!arr.is_array()) throw Malformed(where, "subcomponents must be a list");
  for (const auto& s : arr) out.push_back(ComponentId(s, where));
  return out;
}

bool ValidStatus(const std::string& s) {
  return s == "not_affected" || s == "affected" || s == "fixed" || s == "under_investigation";
}

}  // namespace

std::vector<VexStatement> ParseOpenVex(std::string_view content, const std::string& source) {
  json doc;
  try {
    doc = ParseJsonOrDiscarded(content, source);
  } catch (const json::exception& e) {
    throw Malformed(source, std::string("not valid JSON: ") + e.what());
  }
  if (doc.is_discarded()) {
    throw Malformed(source, "not valid JSON");
  }
  if (!doc.is_object()) throw Malformed(source, "an OpenVEX document must be a JSON object");
  try {
    const std::string doc_time = OptString(doc, "timestamp", source);
    if (!doc_time.empty() && !policy_detail::ParseRfc3339(doc_time))
      throw Malformed(source, "timestamp is not an RFC 3339 date-time: \"" + doc_time + "\"");
    auto st = doc.find("statements");
    if (st == doc.end() || !st->is_array()) throw Malformed(source, "missing statements list (is this an OpenVEX document?)");
    std::vector<VexStatement> out;
    size_t i = 0;
    for (const auto& s : *st) {
      const std::string where = source + ": statements[" + std::to_string(i++) + "]";
      if (!s.is_object()) throw Malformed(where, "a statement must be an object");
      VexStatement v;
      v.source = source;
      auto vuln = s.find("vulnerability");
      if (vuln == s.end()) throw Malformed(where, "missing vulnerability");
      if (vuln->is_string()) {
        v.vuln_name = vuln->get<std::string>();
      } else if (vuln->is_object()) {
        v.vuln_name = OptString(*vuln, "name", where);
        v.vuln_iri = OptString(*vuln, "@id", where);
        if (auto a = vuln->find("aliases"); a != vuln->end() && !a->is_null()) {
          if (!a->is_array()) throw Malformed(where, "vulnerability aliases must be a list of strings");
          for (const auto& x : *a) {
            if (!x.is_string()) throw Malformed(where, "vulnerability aliases must be a list of strings");
            v.vuln_aliases.push_back(x.get<std::string>());
          }
        }
      } else {
        throw Malformed(where, "vulnerability must be an object with a name");
      }
      if (v.vuln_name.empty()) throw Malformed(where, "vulnerability has no name");
      v.status = OptString(s, "status", where);
      if (!ValidStatus(v.status))
        throw Malformed(where, "status must be not_affected, affected, fixed or under_investigation, got \"" + v.status +
                                   "\"");
      v.justification = OptString(s, "justification", where);
      v.impact_statement = OptString(s, "impact_statement", where);
      v.action_statement = OptString(s, "action_statement", where);
      v.status_notes = OptString(s, "status_notes", where);
      v.statement_id = OptString(s, "@id", where);
      v.timestamp = OptString(s, "timestamp", where);
      if (v.timestamp.empty()) v.timestamp = doc_time;
      if (!v.timestamp.empty()) {
        const auto t = policy_detail::ParseRfc3339(v.timestamp);
        if (!t) throw Malformed(where, "timestamp is not an RFC 3339 date-time: \"" + v.timestamp + "\"");
        v.time = *t;
        v.has_time = true;
      }
      // v0.0.x: statement-level subcomponents apply to every product.
      std::vector<std::string> shared_subs;
      if (auto sc = s.find("subcomponents"); sc != s.end()) shared_subs = Subcomponents(*sc, where);
      if (auto p = s.find("products"); p != s.end() && !p->is_null()) {
        if (!p->is_array()) throw Malformed(where, "products must be a list");
        for (const auto& prod : *p) {
          VexProduct vp;
          vp.id = ComponentId(prod, where);
          if (prod.is_object()) {
            if (auto sc = prod.find("subcomponents"); sc != prod.end()) vp.subcomponents = Subcomponents(*sc, where);
          }
          vp.subcomponents.insert(vp.subcomponents.end(), shared_subs.begin(), shared_subs.end());
          v.products.push_back(std::move(vp));
        }
      }
      out.push_back(std::move(v));
    }
    return out;
  } catch (const json::exception& e) {
    throw Malformed(source, e.what());
  }
}

std::vector<VexStatement> LoadVexFile(const std::string& path) {
  return ParseOpenVex(policy_detail::ReadPolicyFile(path), path);
}

}  // namespace customs
