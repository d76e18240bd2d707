// YAML front end (Kubernetes manifests, Compose files; JSON too, YAML being a superset): yaml-cpp
// parses, this file converts its nodes into Value trees with lines (docs/misconfig-model.md), resolving
// aliases and merge keys under limits that keep alias bombs and deep nesting from hurting the scan.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/error.h"
#include "formats/yaml.h"
#include "misconfig/frontends/frontends.h"

namespace customs::misconfig::frontends {
namespace {

constexpr size_t kMaxYamlBytes = 8u << 20;
constexpr int kMaxDepth = 200;
constexpr size_t kMaxDocuments = 100000;
// Node budget after alias expansion: a file without aliases has fewer nodes than bytes, so the budget
// grows with the file (aliases may multiply it by 10) up to a hard cap; alias bombs stop early.
size_t NodeBudget(size_t bytes) { return std::min<size_t>(1000000, 100000 + 10 * bytes); }
// The same for the bytes of scalars and keys (one long scalar aliased many times).
size_t ByteBudget(size_t bytes) { return std::min<size_t>(128u << 20, (16u << 20) + 10 * bytes); }

struct LimitError {
  int line;
  std::string message;
};

bool Plain(const YAML::Node& n) { return n.Tag() == "?"; }

bool IsOneOf(const std::string& s, std::initializer_list<const char*> set) {
  for (const char* c : set)
    if (s == c) return true;
  return false;
}

bool ParseInt(const std::string& s, int64_t& out) {
  std::string_view t = s;
  bool neg = false;
  if (!t.empty() && (t[0] == '-' || t[0] == '+')) {
    neg = t[0] == '-';
    t.remove_prefix(1);
  }
  if (t.empty()) return false;
  int base = 10;
  if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
    base = 16;
    t.remove_prefix(2);
  } else if (t.size() > 2 && t[0] == '0' && t[1] == 'o') {
    base = 8;
    t.remove_prefix(2);
  } else if (t.size() > 1 && t[0] == '0') {
    base = 8;  // YAML 1.1 octal (0644), as Kubernetes' decoder reads file modes
    t.remove_prefix(1);
  }
  if (t.empty()) return false;
  unsigned __int128 v = 0;
  for (char c : t) {
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (base == 16 && c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (base == 16 && c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else if (c == '_' && base != 10) continue;
    else return false;
    if (d >= base) return false;
    v = v * static_cast<unsigned>(base) + static_cast<unsigned>(d);
    if (v > static_cast<unsigned __int128>(std::numeric_limits<int64_t>::max()) + 1) return false;
  }
  if (!neg && v > static_cast<unsigned __int128>(std::numeric_limits<int64_t>::max())) return false;
  out = neg ? static_cast<int64_t>(-static_cast<__int128>(v)) : static_cast<int64_t>(v);
  return true;
}

bool ParseDouble(const std::string& s, double& out) {
  if (IsOneOf(s, {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"})) { out = HUGE_VAL; return true; }
  if (IsOneOf(s, {"-.inf", "-.Inf", "-.INF"})) { out = -HUGE_VAL; return true; }
  if (IsOneOf(s, {".nan", ".NaN", ".NAN"})) { out = std::nan(""); return true; }
  // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  size_t digits = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) != 0) { ++i; ++digits; }
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) != 0) { ++i; ++digits; }
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    size_t ed = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) != 0) { ++i; ++ed; }
    if (ed == 0) return false;
  }
  if (i != s.size()) return false;
  out = std::strtod(s.c_str(), nullptr);
  return true;
}

class Converter {
 public:
  Converter(size_t budget, size_t byte_budget) : budget_(budget), byte_budget_(byte_budget) {}

  Value Convert(const YAML::Node& n, int depth) {
    if (depth > kMaxDepth) throw LimitError{Line(n), "YAML nested deeper than " + std::to_string(kMaxDepth)};
    if (++nodes_ > budget_)
      throw LimitError{Line(n), "YAML expands to more than " + std::to_string(budget_) + " nodes (alias bomb?)"};
    const int line = Line(n);
    switch (n.Type()) {
      case YAML::NodeType::Sequence: {
        Value v = Value::List(line);
        v.column = Column(n);
        for (const auto& e : n) {
          Value& c = v.Push(Convert(e, depth + 1));
          v.end_line = std::max(v.end_line, c.end_line);
        }
        return v;
      }
      case YAML::NodeType::Map: {
        Value v = Value::Map(line);
        v.column = Column(n);
        // Key -> position in v: Value::Set searches linearly, which merge keys over large aliased
        // maps would make quadratic (a fuzzer found a 10 s input).
        std::unordered_map<std::string, size_t> index;
        std::vector<YAML::Node> merges;
        for (const auto& kv : n) {
          const YAML::Node& k = kv.first;
          if (k.IsScalar() && Plain(k) && k.Scalar() == "<<") {
            merges.push_back(kv.second);
            continue;
          }
          Value c = Convert(kv.second, depth + 1);
          c.line = Line(k);
          c.column = Column(k);
          c.end_line = std::max(c.end_line, c.line);
          v.end_line = std::max(v.end_line, c.end_line);
          std::string key = KeyText(k, line);
          const auto [it, fresh] = index.emplace(key, v.keys.size());
          if (fresh) {
            v.keys.push_back(std::move(key));
            v.items.push_back(std::move(c));
          } else {
            v.items[it->second] = std::move(c);  // YAML/JSON: the last one wins
          }
        }
        // Merge keys: explicit keys win; among merged maps the first wins.
        for (const YAML::Node& m : merges) {
          std::vector<YAML::Node> sources;
          if (m.IsMap()) sources.push_back(m);
          else if (m.IsSequence())
            for (const auto& e : m)
              if (e.IsMap()) sources.push_back(e);
          for (const YAML::Node& src : sources) {
            Value mv = Convert(src, depth + 1);
            for (size_t i = 0; i < mv.keys.size(); ++i) {
              if (!index.emplace(mv.keys[i], v.keys.size()).second) continue;
              v.keys.push_back(std::move(mv.keys[i]));
              v.items.push_back(std::move(mv.items[i]));
            }
          }
        }
        return v;
      }
      case YAML::NodeType::Scalar: {
        bytes_ += n.Scalar().size();
        if (bytes_ > byte_budget_)
          throw LimitError{line, "YAML expands to more than " + std::to_string(byte_budget_) + " bytes of text (alias bomb?)"};
        Value v = Scalar(n);
        v.line = line;
        v.column = Column(n);
        v.end_line = line;
        if (!Plain(n)) v.end_line += static_cast<int>(std::count(n.Scalar().begin(), n.Scalar().end(), '\n'));
        return v;
      }
      default: {
        Value v = Value::Null(line);
        v.column = Column(n);
        return v;
      }
    }
  }

  static int Line(const YAML::Node& n) {
    const YAML::Mark m = n.Mark();
    return m.line < 0 ? 0 : m.line + 1;
  }
  static int Column(const YAML::Node& n) {
    const YAML::Mark m = n.Mark();
    return m.column < 0 ? 0 : m.column + 1;
  }

 private:
  // Keys count against the text budget too: one long key aliased into many maps is a bomb as well.
  std::string KeyText(const YAML::Node& k, int line) {
    std::string text;
    if (k.IsScalar()) {
      text = k.Scalar();
    } else if (!k.IsNull()) {
      // A complex key: its flow text (rare in configuration files). Converting it first bounds it by
      // the node and text budgets before the emitter expands anything.
      (void)Convert(k, 1);
      YAML::Emitter e;
      e << YAML::Flow << k;
      text = e.c_str();
    }
    bytes_ += text.size();
    if (bytes_ > byte_budget_)
      throw LimitError{line, "YAML expands to more than " + std::to_string(byte_budget_) + " bytes of text (alias bomb?)"};
    return text;
  }

  static Value Scalar(const YAML::Node& n) {
    const std::string& s = n.Scalar();
    if (!Plain(n)) return Value::String(s);
    if (s.empty() || IsOneOf(s, {"~", "null", "Null", "NULL"})) return Value::Null();
    if (IsOneOf(s, {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"})) return Value::Bool(true);
    if (IsOneOf(s, {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"})) return Value::Bool(false);
    int64_t i = 0;
    if (ParseInt(s, i)) return Value::Int(i);
    double d = 0;
    if (ParseDouble(s, d)) return Value::Double(d);
    return Value::String(s);
  }

  size_t nodes_ = 0, bytes_ = 0;
  size_t budget_, byte_budget_;
};

// Checks the text before yaml-cpp sees it, roughly (quotes and comments skipped):
//  - flow-collection nesting deeper than kMaxDepth (yaml-cpp's own guard allows 2000 levels of
//    recursion, too deep for small stacks);
//  - a ',' outside any flow collection right after a flow collection or quoted scalar ("[1]," or
//    "\"x\","): invalid YAML on which yaml-cpp 0.7's LoadAll never returns.
// Returns the 1-based line of the first such place and sets *why, or 0.
int PrescanLine(std::string_view text, std::string* why) {
  int depth = 0, line = 1;
  char quote = 0;
  char last = '\n';  // last significant character; '\n' at a line start; 'Q' after a quoted scalar
  bool comment = false;
  bool after_node = false;  // a flow node or quoted scalar just ended outside any flow collection
  auto node_start = [&] { return last == '\n' || last == ':' || last == '-' || last == '[' || last == '{' ||
                                 last == ',' || last == '?'; };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      comment = false;
      if (quote == 0) last = '\n';
      continue;
    }
    if (comment) continue;
    if (quote != 0) {
      if (c == '\\' && quote == '"') ++i;
      else if (c == quote) {
        quote = 0;
        last = 'Q';
        after_node = depth == 0;
      }
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') continue;
    if (c == ',' && depth == 0 && after_node) {
      *why = "invalid YAML: ',' after a complete flow node";
      return line;
    }
    if (c != '#') after_node = false;
    if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\n')) {
      comment = true;
      continue;
    }
    if ((c == '"' || c == '\'') && node_start()) {
      quote = c;
      continue;
    }
    if ((c == '[' || c == '{') && (depth > 0 || node_start())) {
      if (++depth > kMaxDepth) {
        *why = "YAML nested deeper than " + std::to_string(kMaxDepth);
        return line;
      }
      last = c;
      continue;
    }
    if ((c == ']' || c == '}') && depth > 0) {
      --depth;
      last = depth == 0 ? ']' : c;
      after_node = depth == 0;
      continue;
    }
    last = c;
  }
  return 0;
}

bool IsListKind(const Value& root) {
  const Value* kind = root.Find("kind");
  const Value* items = root.Find("items");
  if (kind == nullptr || !kind->is_string() || items == nullptr || !items->is_list()) return false;
  const std::string& k = kind->s;
  return k.size() >= 4 && k.compare(k.size() - 4, 4, "List") == 0;
}

bool IsKubernetesObject(const Value& v) {
  return v.is_map() && v.Find("apiVersion") != nullptr && v.Find("kind") != nullptr;
}

}  // namespace

ParseResult ParseYaml(DocKind kind, const std::string& path, std::string_view content) {
  ParseResult res;
  if (content.size() > kMaxYamlBytes) {
    res.problems.push_back({path, 0, "file larger than 8 MiB: not parsed"});
    return res;
  }
  std::string why;
  if (const int bad = PrescanLine(content, &why); bad != 0) {
    res.problems.push_back({path, bad, why});
    return res;
  }
  std::vector<YAML::Node> docs;
  try {
    // The shared loader refuses alias bombs, deep nesting and document floods before any node is
    // built; here such a file is a problem of its own, like the converter's limits below.
    YamlLimits limits;
    limits.max_bytes = kMaxYamlBytes;
    limits.max_depth = kMaxDepth;
    limits.max_documents = kMaxDocuments;
    limits.max_nodes = NodeBudget(content.size());
    limits.max_text_bytes = ByteBudget(content.size());
    docs = LoadAllDocuments(content, path, limits);
  } catch (const customs::LimitError& e) {
    const std::string what = e.what();
    res.problems.push_back({path, 0, what.rfind(path + ": ", 0) == 0 ? what.substr(path.size() + 2) : what});
    return res;
  } catch (const YAML::Exception& e) {
    res.problems.push_back({path, e.mark.line < 0 ? 0 : e.mark.line + 1, "invalid YAML: " + e.msg});
    return res;
  } catch (const std::exception& e) {
    res.problems.push_back({path, 0, std::string("invalid YAML: ") + e.what()});
    return res;
  }
  Converter conv(NodeBudget(content.size()), ByteBudget(content.size()));  // one node budget for the whole file
  int index = 0;
  try {
    for (const YAML::Node& d : docs) {
      if (!d.IsDefined() || d.IsNull()) continue;
      Value root = conv.Convert(d, 0);
      if (!root.is_map()) continue;
      if (kind == DocKind::kKubernetes) {
        if (!IsKubernetesObject(root)) continue;
        if (IsListKind(root)) {
          Value* items = nullptr;
          for (size_t k = 0; k < root.keys.size(); ++k)
            if (root.keys[k] == "items") items = &root.items[k];
          for (Value& item : items->items) {
            if (!IsKubernetesObject(item)) continue;
            const int line = item.line;
            res.documents.push_back(Document{kind, path, index++, line, std::move(item)});
          }
          continue;
        }
      }
      const int line = root.line;
      res.documents.push_back(Document{kind, path, index++, line, std::move(root)});
    }
  } catch (const LimitError& e) {
    res.documents.clear();
    res.problems.push_back({path, e.line, e.message});
  } catch (const YAML::Exception& e) {
    res.documents.clear();
    res.problems.push_back({path, e.mark.line < 0 ? 0 : e.mark.line + 1, "invalid YAML: " + e.msg});
  }
  return res;
}

namespace {

// Top-level keys of YAML block documents ("key:" at column 0), or of a JSON object (any "key":).
bool HasTopKey(std::string_view content, std::string_view key) {
  size_t i = 0;
  while (i < content.size() && std::isspace(static_cast<unsigned char>(content[i])) != 0) ++i;
  if (i < content.size() && (content[i] == '{' || content[i] == '[')) {
    const std::string quoted = "\"" + std::string(key) + "\"";
    return content.find(quoted) != std::string_view::npos;
  }
  size_t pos = 0;
  while (pos < content.size()) {
    const size_t nl = content.find('\n', pos);
    const std::string_view l = content.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    std::string_view k = l;
    if (!k.empty() && (k[0] == '"' || k[0] == '\'')) k.remove_prefix(1);
    if (k.compare(0, key.size(), key) == 0) {
      std::string_view r = k.substr(key.size());
      if (!r.empty() && (r[0] == '"' || r[0] == '\'')) r.remove_prefix(1);
      while (!r.empty() && (r[0] == ' ' || r[0] == '\t')) r.remove_prefix(1);
      if (!r.empty() && r[0] == ':') return true;
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return false;
}

}  // namespace

bool YamlLooksLikeKubernetes(std::string_view content) {
  return HasTopKey(content, "apiVersion") && HasTopKey(content, "kind");
}

bool YamlLooksLikeCompose(std::string_view content) { return HasTopKey(content, "services"); }

}  // namespace customs::misconfig::frontends
