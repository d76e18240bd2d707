// The check loader (check.h): check files (YAML) in, compiled checks out; and Evaluate, which runs a
// check's expressions on a document and turns the result into violations with lines.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "core/error.h"
#include "formats/yaml.h"
#include "misconfig/check.h"
#include "misconfig/lang/compiled_check.h"

namespace customs::misconfig {
namespace {

namespace fs = std::filesystem;
using lang::Val;

constexpr size_t kMaxVariables = 64;

std::string Where(const std::string& source, const YAML::Mark& m) {
  return source + ":" + std::to_string(m.line + 1);
}

[[noreturn]] void Fail(const std::string& source, const YAML::Node& n, const std::string& reason) {
  throw UsageError(Where(source, n.Mark()) + ": " + reason);
}

// Where byte `off` of the expression held by scalar `n` is in the file (1-based line and column).
// Block scalars (| and >) keep their lines; a plain or quoted scalar on one line maps column by column.
// For a plain or quoted scalar that spans lines the line of the scalar is given and the column is the
// expression's own (YAML folded those lines into one).
std::string ExprWhere(std::string_view text, const std::string& source, const YAML::Node& n, const std::string& expr,
                      size_t off) {
  const YAML::Mark m = n.Mark();
  int line = m.line + 1, col = m.column + 1;
  const size_t pos = m.pos >= 0 ? static_cast<size_t>(m.pos) : text.size();
  const char c = pos < text.size() ? text[pos] : '\0';
  off = std::min(off, expr.size());
  const size_t nl_before = static_cast<size_t>(std::count(expr.begin(), expr.begin() + static_cast<std::ptrdiff_t>(off), '\n'));
  const size_t line_start = expr.rfind('\n', off == 0 ? std::string::npos : off - 1);
  const size_t in_line = (nl_before == 0 || line_start == std::string::npos) ? off : off - line_start - 1;
  if (c == '|' || c == '>') {
    // Content starts on the first non-blank line after the indicator; its indentation is the block's.
    size_t p = text.find('\n', pos);
    int l = line;
    size_t indent = 0;
    while (p != std::string_view::npos && p + 1 < text.size()) {
      ++l;
      size_t q = p + 1;
      indent = 0;
      while (q < text.size() && text[q] == ' ') { ++q; ++indent; }
      if (q < text.size() && text[q] != '\n' && text[q] != '\r') break;
      p = text.find('\n', q);
    }
    return source + ":" + std::to_string(l + static_cast<int>(nl_before)) + ":" + std::to_string(indent + in_line + 1);
  }
  const size_t q = (c == '"' || c == '\'') ? 1 : 0;
  const size_t raw_end = text.find('\n', pos);
  const bool one_line = expr.find('\n') == std::string::npos &&
                        (raw_end == std::string_view::npos || raw_end - pos >= expr.size() + 2 * q);
  if (one_line) return source + ":" + std::to_string(line) + ":" + std::to_string(col + static_cast<int>(q + off));
  return source + ":" + std::to_string(line) + ":" + std::to_string(col) + ": (expression column " + std::to_string(off + 1) + ")";
}

bool ParseKind(const std::string& s, DocKind* out) {
  static const std::pair<const char*, DocKind> kKinds[] = {{"dockerfile", DocKind::kDockerfile},
                                                           {"kubernetes", DocKind::kKubernetes},
                                                           {"compose", DocKind::kCompose},
                                                           {"imageconfig", DocKind::kImageConfig}};
  for (const auto& [name, k] : kKinds)
    if (s == name) { *out = k; return true; }
  return false;
}

bool ParseSeverityWord(std::string s, cvss::Severity* out) {
  for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  static const std::pair<const char*, cvss::Severity> kLevels[] = {{"UNKNOWN", cvss::Severity::kUnknown},
                                                                   {"LOW", cvss::Severity::kLow},
                                                                   {"MEDIUM", cvss::Severity::kMedium},
                                                                   {"HIGH", cvss::Severity::kHigh},
                                                                   {"CRITICAL", cvss::Severity::kCritical}};
  for (const auto& [name, sev] : kLevels)
    if (s == name) { *out = sev; return true; }
  return false;
}

bool IsIdentifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char ch : s)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_')) return false;
  return true;
}

constexpr int kMaxDocuments = 1000;

class FileLoader {
 public:
  FileLoader(std::string_view text, const std::string& source) : text_(text), source_(source) {}

  std::vector<Check> Run() {
    std::vector<YAML::Node> docs;
    try {
      YamlLimits limits;
      limits.max_documents = kMaxDocuments;
      docs = LoadAllDocuments(text_, source_, limits);
    } catch (const YAML::Exception& e) {
      throw UsageError((e.mark.is_null() ? source_ : source_ + ":" + std::to_string(e.mark.line + 1)) + ": invalid YAML: " + e.msg);
    } catch (const LimitError& e) {
      throw UsageError(e.what());  // a check file is the user's own input, like its other faults
    }
    std::vector<Check> out;
    for (const YAML::Node& d : docs) {
      if (d.IsNull()) continue;
      if (d.IsSequence()) {
        for (const YAML::Node& c : d) out.push_back(One(c));
      } else if (d.IsMap()) {
        out.push_back(One(d));
      } else {
        Fail(source_, d, "a check file holds a check (a map) or a list of checks");
      }
    }
    std::map<std::string, int> seen;
    for (const Check& c : out) {
      auto [it, fresh] = seen.emplace(c.id, c.source_line);
      if (!fresh)
        throw UsageError(source_ + ":" + std::to_string(c.source_line) + ": duplicate check id " + c.id +
                         " (first at line " + std::to_string(it->second) + ")");
    }
    return out;
  }

 private:
  std::string Scalar(const YAML::Node& n, const std::string& key) {
    if (!n.IsScalar()) Fail(source_, n, key + " must be a string");
    return n.Scalar();
  }

  lang::Program CompileExpr(const YAML::Node& n, const std::string& key, const lang::Env& env) {
    const std::string text = Scalar(n, key);
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) Fail(source_, n, key + " is empty");
    try {
      return lang::Compile(text, env);
    } catch (const lang::CompileError& e) {
      throw UsageError(ExprWhere(text_, source_, n, text, e.pos) + ": " + key + ": " + e.what());
    }
  }

  Check One(const YAML::Node& n) {
    if (!n.IsMap()) Fail(source_, n, "a check must be a map (id, title, severity, kind, deny, ...)");
    static const std::set<std::string> kKeys = {"id",         "title",     "severity", "kind",
                                                "description", "remediation", "references", "variables",
                                                "deny",       "message",  "scope"};
    std::map<std::string, YAML::Node> fields;
    for (const auto& kv : n) {
      if (!kv.first.IsScalar()) Fail(source_, kv.first, "check keys must be strings");
      const std::string key = kv.first.Scalar();
      if (!kKeys.count(key)) Fail(source_, kv.first, "unknown key '" + key + "' in check");
      if (fields.count(key)) Fail(source_, kv.first, "duplicate key '" + key + "'");
      fields.emplace(key, kv.second);
    }
    Check c;
    c.source = source_;
    c.source_line = n.Mark().line + 1;
    for (const char* req : {"id", "title", "severity", "kind", "deny"})
      if (!fields.count(req)) Fail(source_, n, std::string("check has no '") + req + "'");
    c.id = Scalar(fields["id"], "id");
    if (c.id.empty() || c.id.find_first_of(" \t\r\n") != std::string::npos)
      Fail(source_, fields["id"], "id must be a non-empty word");
    c.title = Scalar(fields["title"], "title");
    if (c.title.empty()) Fail(source_, fields["title"], "title is empty");
    const std::string sev = Scalar(fields["severity"], "severity");
    if (!ParseSeverityWord(sev, &c.severity))
      Fail(source_, fields["severity"], "bad severity '" + sev + "' (UNKNOWN, LOW, MEDIUM, HIGH or CRITICAL)");
    const std::string kind = Scalar(fields["kind"], "kind");
    if (!ParseKind(kind, &c.kind))
      Fail(source_, fields["kind"], "bad kind '" + kind + "' (dockerfile, kubernetes, compose or imageconfig)");
    if (fields.count("scope")) {
      const std::string scope = Scalar(fields["scope"], "scope");
      if (scope == "all") c.scope = Check::Scope::kAll;
      else if (scope != "document") Fail(source_, fields["scope"], "bad scope '" + scope + "' (document or all)");
    }
    if (fields.count("description")) c.description = Scalar(fields["description"], "description");
    if (fields.count("remediation")) c.remediation = Scalar(fields["remediation"], "remediation");
    if (fields.count("references")) {
      const YAML::Node& r = fields["references"];
      if (!r.IsSequence()) Fail(source_, r, "references must be a list of strings");
      for (const YAML::Node& e : r) c.references.push_back(Scalar(e, "a reference"));
    }

    auto compiled = std::make_shared<CompiledCheck>();
    if (fields.count("variables")) {
      const YAML::Node& vs = fields["variables"];
      if (!vs.IsSequence()) Fail(source_, vs, "variables must be a list of {name, expression}");
      std::vector<YAML::Node> exprs;
      for (const YAML::Node& v : vs) {
        if (!v.IsMap()) Fail(source_, v, "a variable must be a map {name, expression}");
        YAML::Node name, expr;
        bool have_name = false, have_expr = false;
        for (const auto& kv : v) {
          const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
          if (key == "name" && !have_name) { name = kv.second; have_name = true; }
          else if (key == "expression" && !have_expr) { expr = kv.second; have_expr = true; }
          else Fail(source_, kv.first, "unknown or repeated key '" + key + "' in variable (name, expression)");
        }
        if (!have_name || !have_expr) Fail(source_, v, "a variable needs both name and expression");
        const std::string nm = Scalar(name, "variable name");
        if (!IsIdentifier(nm)) Fail(source_, name, "variable name '" + nm + "' is not an identifier");
        if (std::find(compiled->variable_names.begin(), compiled->variable_names.end(), nm) != compiled->variable_names.end())
          Fail(source_, name, "duplicate variable '" + nm + "'");
        if (compiled->variable_names.size() >= kMaxVariables) Fail(source_, name, "more than 64 variables");
        compiled->variable_names.push_back(nm);
        exprs.push_back(expr);
      }
      for (size_t k = 0; k < exprs.size(); ++k) {
        lang::Env env;
        env.variables = compiled->variable_names;
        env.visible_variables = k;
        compiled->variables.push_back(CompileExpr(exprs[k], "variables." + compiled->variable_names[k], env));
      }
    }
    lang::Env env;
    env.variables = compiled->variable_names;
    env.visible_variables = env.variables.size();
    compiled->deny = CompileExpr(fields["deny"], "deny", env);
    if (fields.count("message")) {
      env.has_item = true;
      compiled->message = CompileExpr(fields["message"], "message", env);
      compiled->has_message = true;
    }
    c.compiled = std::move(compiled);
    return c;
  }

  std::string_view text_;
  const std::string& source_;
};

int DocLine(const Document& doc) { return doc.line ? doc.line : doc.root.line; }

}  // namespace

std::vector<Check> LoadChecksFromText(std::string_view yaml, const std::string& source) {
  return FileLoader(yaml, source).Run();
}

std::vector<Check> LoadChecksFromDir(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw UsageError(dir + ": not a directory of checks");
  std::vector<std::string> files;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
  if (ec) throw UsageError(dir + ": " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) throw UsageError(dir + ": " + ec.message());
    const fs::path& p = it->path();
    const std::string ext = p.extension().string();
    if ((ext == ".yaml" || ext == ".yml") && it->is_regular_file(ec)) files.push_back(p.string());
  }
  std::sort(files.begin(), files.end());
  std::vector<Check> out;
  std::map<std::string, std::string> seen;  // id -> file:line
  for (const std::string& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) throw UsageError(f + ": cannot read");
    std::ostringstream ss;
    ss << in.rdbuf();
    for (Check& c : LoadChecksFromText(ss.str(), f)) {
      const std::string where = f + ":" + std::to_string(c.source_line);
      auto [at, fresh] = seen.emplace(c.id, where);
      if (!fresh) throw UsageError(where + ": duplicate check id " + c.id + " (also at " + at->second + ")");
      out.push_back(std::move(c));
    }
  }
  return out;
}

std::vector<Check> LoadCheckSet(bool skip_builtin, const std::vector<std::string>& paths) {
  std::vector<Check> out;
  if (!skip_builtin) out = BuiltinChecks();
  std::set<std::string> ids;
  for (const Check& c : out) ids.insert(c.id);
  for (const std::string& path : paths) {
    std::error_code ec;
    if (!fs::exists(path, ec)) throw UsageError("--checks: " + path + ": no such file or directory");
    std::vector<Check> loaded;
    if (fs::is_directory(path, ec)) {
      loaded = LoadChecksFromDir(path);
    } else {
      if (fs::file_size(path, ec) > (4u << 20)) throw UsageError("--checks: " + path + ": larger than 4 MiB");
      std::ifstream in(path, std::ios::binary);
      if (!in) throw UsageError("--checks: " + path + ": cannot read");
      std::ostringstream ss;
      ss << in.rdbuf();
      loaded = LoadChecksFromText(ss.str(), path);
    }
    for (Check& c : loaded) {
      if (!ids.insert(c.id).second)
        throw UsageError(c.source + ":" + std::to_string(c.source_line) + ": check id " + c.id +
                         " is already defined (by a built-in check or another user check)");
      out.push_back(std::move(c));
    }
  }
  if (out.empty()) throw UsageError("no checks to run (--skip-builtin without --checks)");
  return out;
}

namespace {

// One evaluation of a check's deny (and message) expressions against `object`. Violations point at the
// element's node, else at (fallback_line, fallback_end); `nodes` receives, per violation, the document
// node it points at (nullptr when the element is computed).
bool RunCheck(const Check& check, const Val& object, int fallback_line, int fallback_end,
              std::vector<Violation>& out, std::vector<const Value*>& nodes, std::string* error) {
  auto fail = [&](const std::string& what) {
    if (error) *error = check.id + ": " + what;
    out.clear();
    nodes.clear();
    return false;
  };
  if (!check.compiled) return fail("check is not compiled");
  const CompiledCheck& cc = *check.compiled;
  lang::EvalContext ctx;
  ctx.object = object;
  ctx.variables = &cc.variables;
  const Val r = lang::Eval(cc.deny, ctx);
  auto message_for = [&](const Val& item, std::string* msg) -> bool {
    if (!cc.has_message) { *msg = check.title; return true; }
    ctx.item = item;  // the step budget is shared with deny: all messages of one evaluation are bounded too
    const Val m = lang::Eval(cc.message, ctx);
    if (m.kind == Val::Kind::kString) { *msg = std::string(m.str()); return true; }
    *msg = check.title;
    if (error && error->empty())
      *error = check.id + ": message: " + (m.is_error() ? std::string(m.str()) : "evaluates to " + std::string(lang::TypeName(m)) + ", not string");
    return false;
  };
  switch (r.kind) {
    case Val::Kind::kError: return fail("deny: " + std::string(r.str()));
    case Val::Kind::kBool: {
      if (!r.b) return true;
      Violation v;
      v.check = &check;
      v.line = fallback_line;
      v.end_line = std::max(fallback_line, fallback_end);
      message_for(Val::Null(), &v.message);
      out.push_back(std::move(v));
      nodes.push_back(nullptr);
      return true;
    }
    case Val::Kind::kList: {
      for (size_t k = 0; k < r.size(); ++k) {
        const Val e = r.at(k);
        Violation v;
        v.check = &check;
        Val at = e;
        bool have_msg = false;
        // A computed map {"at": node, "message": str} names the node and the message itself.
        if (e.kind == Val::Kind::kMap && !e.doc()) {
          Val a, m;
          if (e.GetField("at", &a)) at = a;
          if (e.GetField("message", &m)) {
            if (m.kind != Val::Kind::kString) return fail("deny: element " + std::to_string(k) + ": message is " + std::string(lang::TypeName(m)) + ", not string");
            v.message = std::string(m.str());
            have_msg = true;
          }
        }
        if (at.kind == Val::Kind::kOptional && at.has_value()) at = at.value();
        v.line = at.line ? at.line : fallback_line;
        v.end_line = at.line ? std::max(at.line, at.end_line) : v.line;
        if (!have_msg) message_for(e, &v.message);
        out.push_back(std::move(v));
        nodes.push_back(at.doc());
      }
      return true;
    }
    default:
      return fail("deny evaluates to " + std::string(lang::TypeName(r)) + ", not bool or list");
  }
}

void IndexNodes(const Value& v, int doc, std::unordered_map<const Value*, int>& index) {
  index.emplace(&v, doc);
  for (const Value& c : v.items) IndexNodes(c, doc, index);
}

}  // namespace

std::vector<Violation> Evaluate(const Check& check, const Document& doc, std::string* error) {
  std::vector<Violation> out;
  std::vector<const Value*> nodes;
  if (error) error->clear();
  if (check.kind != doc.kind) return out;
  const int doc_line = DocLine(doc);
  RunCheck(check, Val::FromDoc(doc.root), doc_line, doc.root.end_line, out, nodes, error);
  return out;
}

std::vector<Violation> EvaluateAll(const Check& check, const std::vector<const Document*>& docs, std::string* error) {
  std::vector<Violation> out;
  std::vector<const Value*> nodes;
  if (error) error->clear();
  std::vector<Val> items;
  std::vector<int> positions;  // items[k] is docs[positions[k]]
  for (size_t k = 0; k < docs.size(); ++k) {
    const Document& d = *docs[k];
    if (d.kind != check.kind) continue;
    items.push_back(Val::Map({{Val::String("path"), Val::String(d.path)},
                              {Val::String("index"), Val::Int(d.index)},
                              {Val::String("object"), Val::FromDoc(d.root)}}));
    positions.push_back(static_cast<int>(k));
  }
  if (items.empty()) return out;
  const Val object = Val::Map({{Val::String("documents"), Val::List(std::move(items))}});
  if (!RunCheck(check, object, 0, 0, out, nodes, error)) return out;
  std::unordered_map<const Value*, int> index;
  for (size_t k = 0; k < out.size(); ++k) {
    if (index.empty())
      for (int p : positions) IndexNodes(docs[p]->root, p, index);
    const auto it = nodes[k] ? index.find(nodes[k]) : index.end();
    if (it == index.end()) {
      if (error) *error = check.id + ": deny: element " + std::to_string(k) + " does not point at a node of a document (scope: all)";
      return {};
    }
    out[k].document = it->second;
    if (out[k].line == 0) out[k].line = out[k].end_line = DocLine(*docs[it->second]);
  }
  return out;
}

}  // namespace customs::misconfig
