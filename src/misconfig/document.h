// Front ends of the misconfiguration scanner: configuration files in, Documents (misconfig/value.h
// trees) out. One file per front end under misconfig/frontends/. docs/misconfig-model.md describes the tree
// each front end builds: that description is the contract the checks are written against.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "misconfig/value.h"

namespace customs::misconfig {

// What a document is; a check names the one kind it applies to.
enum class DocKind { kDockerfile, kKubernetes, kCompose, kImageConfig };
std::string_view DocKindName(DocKind k);  // "dockerfile", "kubernetes", "compose", "imageconfig"
bool ParseDocKind(std::string_view name, DocKind& out);

struct Document {
  DocKind kind = DocKind::kDockerfile;
  std::string path;   // file the document came from, as the scan names it ("k8s/app.yaml", "image-config")
  int index = 0;      // position in a multi-document file (0-based)
  int line = 0;       // first line of the document in the file (1-based; 0 for image config)
  Value root;
};

// A file a front end could not read: reported as a diagnostic, never fatal for the scan.
struct ParseProblem {
  std::string path;
  int line = 0;  // 0 when unknown
  std::string message;
};

struct ParseResult {
  std::vector<Document> documents;
  std::vector<ParseProblem> problems;
};

// Which front end a file is for, from its name and (when the name is not decisive, e.g. any .yaml)
// its content: Dockerfile / *.Dockerfile / Dockerfile.* / Containerfile; Kubernetes YAML/JSON (apiVersion
// + kind); Compose (compose.yaml, docker-compose*.yml, or a top-level `services:` map). False: not a
// configuration file customs checks.
bool DetectKind(std::string_view path, std::string_view content, DocKind& out);

// Parses one file of a known kind (multi-document YAML gives several Documents). Never throws on bad
// input: problems are returned.
ParseResult ParseConfig(DocKind kind, const std::string& path, std::string_view content);

// DetectKind + ParseConfig; an empty result for files that are not configuration files.
ParseResult ParseAny(const std::string& path, std::string_view content);

// The image configuration JSON (OCI/Docker config: config.User, Env, Healthcheck, history, ...) as a
// document of kind kImageConfig, path "image-config".
ParseResult ParseImageConfig(std::string_view config_json);

}  // namespace customs::misconfig
