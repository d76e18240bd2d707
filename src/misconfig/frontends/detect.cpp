// Front-end dispatch: which kind a file is (DetectKind), kind names, ParseConfig / ParseAny.
#include <cctype>
#include <string>
#include <string_view>

#include "misconfig/document.h"
#include "misconfig/frontends/frontends.h"

namespace customs::misconfig {
namespace {

std::string Lower(std::string_view s) {
  std::string o(s);
  for (char& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return o;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
bool StartsWith(std::string_view s, std::string_view prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

std::string BaseName(std::string_view path) {
  const size_t slash = path.find_last_of("/\\");
  return Lower(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

bool IsYamlName(const std::string& b) { return EndsWith(b, ".yaml") || EndsWith(b, ".yml"); }

}  // namespace

std::string_view DocKindName(DocKind k) {
  switch (k) {
    case DocKind::kDockerfile: return "dockerfile";
    case DocKind::kKubernetes: return "kubernetes";
    case DocKind::kCompose: return "compose";
    case DocKind::kImageConfig: return "imageconfig";
  }
  return "unknown";
}

bool ParseDocKind(std::string_view name, DocKind& out) {
  const std::string n = Lower(name);
  if (n == "dockerfile" || n == "containerfile") out = DocKind::kDockerfile;
  else if (n == "kubernetes" || n == "k8s") out = DocKind::kKubernetes;
  else if (n == "compose" || n == "docker-compose") out = DocKind::kCompose;
  else if (n == "imageconfig" || n == "image-config") out = DocKind::kImageConfig;
  else return false;
  return true;
}

bool DetectKind(std::string_view path, std::string_view content, DocKind& out) {
  const std::string b = BaseName(path);
  if (b == "dockerfile" || b == "containerfile" || EndsWith(b, ".dockerfile") || EndsWith(b, ".containerfile") ||
      StartsWith(b, "dockerfile.") || StartsWith(b, "containerfile.")) {
    out = DocKind::kDockerfile;
    return true;
  }
  const bool yaml = IsYamlName(b);
  if (yaml && (b == "compose.yaml" || b == "compose.yml" || StartsWith(b, "docker-compose.") ||
               StartsWith(b, "compose."))) {
    out = DocKind::kCompose;
    return true;
  }
  if (!yaml && !EndsWith(b, ".json")) return false;
  if (content.find("{{") != std::string_view::npos) return false;  // Helm/Go templates: not parsed
  if (frontends::YamlLooksLikeKubernetes(content)) {
    out = DocKind::kKubernetes;
    return true;
  }
  if (yaml && frontends::YamlLooksLikeCompose(content)) {
    out = DocKind::kCompose;
    return true;
  }
  return false;
}

ParseResult ParseConfig(DocKind kind, const std::string& path, std::string_view content) {
  switch (kind) {
    case DocKind::kDockerfile: return frontends::ParseDockerfile(path, content);
    case DocKind::kKubernetes:
    case DocKind::kCompose: return frontends::ParseYaml(kind, path, content);
    case DocKind::kImageConfig: {
      ParseResult r = ParseImageConfig(content);
      for (Document& d : r.documents) d.path = path;
      for (ParseProblem& p : r.problems) p.path = path;
      return r;
    }
  }
  return {};
}

ParseResult ParseAny(const std::string& path, std::string_view content) {
  DocKind kind;
  if (!DetectKind(path, content, kind)) return {};
  return ParseConfig(kind, path, content);
}

}  // namespace customs::misconfig
