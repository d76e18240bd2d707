// Ignore files: the text form (.customsignore, Trivy's .trivyignore plus `pkg:` scopes) and the YAML
// form (Trivy's trivyignore.yaml layout). Formats in docs/policy.md.
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/error.h"
#include "formats/yaml.h"
#include "policy/policy.h"
#include "policy/util.h"

namespace customs {
namespace {

using policy_detail::IsDate;
using policy_detail::Trim;

Error Malformed(const std::string& where, const std::string& reason) { return UsageError(where + ": " + reason); }

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

bool ValidPurl(std::string_view p) { return PurlMatches(p, p); }

// The entry rendered in the text form (how --show-suppressed names it).
std::string Render(const IgnoreEntry& e) {
  std::string s = e.id;
  if (!e.expires.empty()) s += " exp:" + e.expires;
  for (const auto& p : e.packages) s += " pkg:" + p;
  for (const auto& p : e.purls) s += " " + p;
  for (const auto& p : e.paths) s += " path:" + p;
  return s;
}

}  // namespace

std::vector<IgnoreEntry> ParseIgnoreText(std::string_view content, const std::string& source) {
  std::vector<IgnoreEntry> out;
  std::string pending_comment;  // comment lines right above an entry
  size_t line_no = 0;
  while (!content.empty()) {
    const size_t nl = content.find('\n');
    std::string_view line = content.substr(0, nl);
    content = nl == std::string_view::npos ? std::string_view() : content.substr(nl + 1);
    ++line_no;
    const std::string where = source + ":" + std::to_string(line_no);
    if (line_no == 1 && StartsWith(line, "\xEF\xBB\xBF")) line.remove_prefix(3);  // UTF-8 BOM
    line = Trim(line);
    if (line.empty()) {
      pending_comment.clear();
      continue;
    }
    if (line.front() == '#') {
      const std::string_view text = Trim(line.substr(1));
      if (!text.empty()) {
        if (!pending_comment.empty()) pending_comment += " ";
        pending_comment += std::string(text);
      }
      continue;
    }
    if (line.find('\0') != std::string_view::npos) throw Malformed(where, "NUL byte");
    IgnoreEntry e;
    e.where = where;
    std::string_view body = line;
    // A trailing comment starts at a '#' preceded by whitespace.
    for (size_t i = 1; i < body.size(); ++i) {
      if (body[i] == '#' && (body[i - 1] == ' ' || body[i - 1] == '\t')) {
        e.comment = std::string(Trim(body.substr(i + 1)));
        body = Trim(body.substr(0, i));
        break;
      }
    }
    if (e.comment.empty()) e.comment = pending_comment;
    pending_comment.clear();
    e.statement = std::string(body);
    bool first = true;
    while (!body.empty()) {
      size_t end = 0;
      while (end < body.size() && body[end] != ' ' && body[end] != '\t') ++end;
      const std::string_view tok = body.substr(0, end);
      body = Trim(body.substr(end));
      if (first) {
        first = false;
        if (StartsWith(tok, "exp:") || StartsWith(tok, "pkg:") || StartsWith(tok, "path:"))
          throw Malformed(where, "the line must start with a vulnerability id, not \"" + std::string(tok) + "\"");
        e.id = std::string(tok);
        continue;
      }
      if (StartsWith(tok, "exp:")) {
        const std::string_view date = tok.substr(4);
        if (!e.expires.empty()) throw Malformed(where, "more than one exp:");
        if (!IsDate(date)) throw Malformed(where, "exp: wants a date YYYY-MM-DD, got \"" + std::string(date) + "\"");
        e.expires = std::string(date);
      } else if (StartsWith(tok, "pkg:")) {
        const std::string_view scope = tok.substr(4);
        if (scope.empty()) throw Malformed(where, "pkg: wants a package name or a purl");
        if (scope.find('/') != std::string_view::npos) {
          if (!ValidPurl(tok)) throw Malformed(where, "not a valid purl: \"" + std::string(tok) + "\"");
          e.purls.emplace_back(tok);
        } else {
          e.packages.emplace_back(scope);
        }
      } else if (StartsWith(tok, "path:")) {
        // A file path glob: scopes a secret or misconfiguration entry to the files it names.
        std::string glob(tok.substr(5));
        while (!glob.empty() && glob.front() == '/') glob.erase(0, 1);
        if (glob.empty()) throw Malformed(where, "path: wants a file path or glob");
        e.paths.push_back(std::move(glob));
      } else {
        throw Malformed(where, "unknown field \"" + std::string(tok) +
                                   "\" (expected exp:YYYY-MM-DD, pkg:NAME, pkg:TYPE/... purl or path:GLOB)");
      }
    }
    out.push_back(std::move(e));
  }
  return out;
}

namespace {

std::string Scalar(const YAML::Node& n, const std::string& where, const char* key) {
  if (!n.IsScalar()) throw Malformed(where, std::string(key) + " must be a string");
  return n.Scalar();
}

std::vector<std::string> ScalarList(const YAML::Node& n, const std::string& where, const char* key) {
  std::vector<std::string> out;
  if (n.IsNull()) return out;
  if (n.IsScalar()) {
    out.push_back(n.Scalar());
    return out;
  }
  if (!n.IsSequence()) throw Malformed(where, std::string(key) + " must be a list of strings");
  for (const auto& item : n) {
    if (!item.IsScalar()) throw Malformed(where, std::string(key) + " must be a list of strings");
    out.push_back(item.Scalar());
  }
  return out;
}

std::vector<IgnoreEntry> ParseYamlRoot(const YAML::Node& root, const std::string& source) {
  std::vector<IgnoreEntry> out;
  if (!root || root.IsNull()) return out;
  if (!root.IsMap()) throw Malformed(source, "the YAML ignore file must be a mapping with a `vulnerabilities` list");
  for (const auto& kv : root) {
    if (!kv.first.IsScalar()) throw Malformed(source, "keys must be strings");
    const std::string key = kv.first.Scalar();
    if (key == "licenses") continue;  // scanner not there yet
    // Secret and misconfiguration entries have the same shape (rule or check id, paths of the file,
    // expiry); their ids never collide with vulnerability ids, so every list goes into one set.
    if (key != "vulnerabilities" && key != "secrets" && key != "misconfigurations")
      throw Malformed(source, "unknown key \"" + key + "\" (expected vulnerabilities, misconfigurations, secrets, licenses)");
    const YAML::Node& list = kv.second;
    if (list.IsNull()) continue;
    if (!list.IsSequence()) throw Malformed(source, key + " must be a list");
    size_t i = 0;
    for (const auto& item : list) {
      const std::string where = source + ": " + key + "[" + std::to_string(i++) + "]";
      if (!item.IsMap()) throw Malformed(where, "each entry must be a mapping with an id");
      IgnoreEntry e;
      e.where = where;
      for (const auto& f : item) {
        if (!f.first.IsScalar()) throw Malformed(where, "keys must be strings");
        const std::string k = f.first.Scalar();
        if (k == "id") {
          e.id = std::string(Trim(Scalar(f.second, where, "id")));
        } else if (k == "statement") {
          e.comment = Scalar(f.second, where, "statement");
        } else if (k == "expired_at") {
          std::string d(Trim(Scalar(f.second, where, "expired_at")));
          // A full timestamp is accepted; its date is what counts.
          if (d.size() > 10 && (d[10] == 'T' || d[10] == 't' || d[10] == ' ') &&
              policy_detail::ParseRfc3339(d)) {
            d.resize(10);
          }
          if (!IsDate(d)) throw Malformed(where, "expired_at wants a date YYYY-MM-DD, got \"" + d + "\"");
          e.expires = d;
        } else if (k == "paths") {
          e.paths = ScalarList(f.second, where, "paths");
          for (auto& p : e.paths) {
            while (!p.empty() && p.front() == '/') p.erase(0, 1);
            if (p.empty()) throw Malformed(where, "empty path");
          }
        } else if (k == "purls") {
          e.purls = ScalarList(f.second, where, "purls");
          for (const auto& p : e.purls) {
            if (!ValidPurl(p)) throw Malformed(where, "not a valid purl: \"" + p + "\"");
          }
        } else if (k == "packages") {
          e.packages = ScalarList(f.second, where, "packages");
          for (const auto& p : e.packages) {
            if (p.empty()) throw Malformed(where, "empty package name");
          }
        } else {
          throw Malformed(where, "unknown key \"" + k + "\" (expected id, statement, expired_at, paths, purls, packages)");
        }
      }
      if (e.id.empty()) throw Malformed(where, "missing id");
      e.statement = Render(e);
      out.push_back(std::move(e));
    }
  }
  return out;
}

}  // namespace

std::vector<IgnoreEntry> ParseIgnoreYaml(std::string_view content, const std::string& source) {
  YAML::Node root;
  try {
    root = LoadDocument(content, source);
  } catch (const YAML::Exception& e) {
    throw Malformed(source, std::string("not valid YAML: ") + e.what());
  }
  try {
    return ParseYamlRoot(root, source);
  } catch (const YAML::Exception& e) {
    throw Malformed(source, e.what());
  }
}

std::vector<IgnoreEntry> LoadIgnoreFile(const std::string& path) {
  const std::string content = policy_detail::ReadPolicyFile(path);
  const std::string lower = policy_detail::Lower(path);
  const auto ends = [&](std::string_view suf) {
    return lower.size() >= suf.size() && lower.compare(lower.size() - suf.size(), suf.size(), suf) == 0;
  };
  if (ends(".yaml") || ends(".yml")) return ParseIgnoreYaml(content, path);
  return ParseIgnoreText(content, path);
}

}  // namespace customs
