// Internal interface between the misconfiguration front ends (misconfig/frontends/): detect.cpp
// dispatches to these. docs/misconfig-model.md describes the trees they build.
#pragma once

#include <string>
#include <string_view>

#include "misconfig/document.h"

namespace customs::misconfig::frontends {

// dockerfile.cpp: one Document (kind kDockerfile), plus problems for what BuildKit would reject.
ParseResult ParseDockerfile(const std::string& path, std::string_view content);

// yaml.cpp: YAML/JSON -> one Document per YAML document. kKubernetes keeps only mappings with
// apiVersion + kind and expands List kinds into their items; kCompose keeps every mapping.
ParseResult ParseYaml(DocKind kind, const std::string& path, std::string_view content);

// yaml.cpp: content sniffing for DetectKind, cheap and without building trees: true when some YAML
// document of `content` is a mapping with apiVersion and kind (resp. a top-level `services` mapping).
bool YamlLooksLikeKubernetes(std::string_view content);
bool YamlLooksLikeCompose(std::string_view content);

}  // namespace customs::misconfig::frontends
