// Checks: the rules of the misconfiguration scanner, written in the check language (a subset of CEL,
// the expression language of Kubernetes ValidatingAdmissionPolicy; misconfig/lang/ implements it and
// docs/checks.md specifies it). Built-in checks are files under checks/ compiled into the binary;
// users add their own with --checks DIR without recompiling.
//
// A check file is YAML:
//   id: CKV-K8S-001            # unique
//   title: Privileged container
//   severity: HIGH             # UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL
//   kind: kubernetes           # dockerfile | kubernetes | compose | imageconfig
//   description: ...
//   remediation: ...
//   references: [https://...]
//   variables:                 # optional, evaluated lazily, read as variables.NAME (as in VAP)
//     - name: containers
//       expression: "..."
//   deny: "..."                # CEL; `object` is the document root. Result: a bool (true: one finding
//                              # at the document), or a list (one finding per element, at the element's
//                              # line; a map element {"at": node, "message": str} sets both)
//   message: "..."             # optional CEL string expression; `item` is the list element
//   scope: document            # optional: `document` (the default, one document at a time) or `all`:
//                              # `object` is {documents: [{path, index, object}]}, every document of the
//                              # check's kind in the scan, and deny is a list whose elements point at
//                              # nodes of those documents (each finding goes to its node's file)
// A file may hold several checks as a YAML list or as several YAML documents.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cvss/severity.h"
#include "misconfig/document.h"

namespace customs::misconfig {

struct CompiledCheck;  // the parsed expressions (misconfig/lang/)

struct Check {
  std::string id, title, description, remediation;
  cvss::Severity severity = cvss::Severity::kUnknown;
  DocKind kind = DocKind::kDockerfile;
  enum class Scope { kDocument, kAll } scope = Scope::kDocument;
  std::vector<std::string> references;
  std::string source;  // "builtin:checks/k8s/privileged.yaml" or the user file path
  int source_line = 0;
  std::shared_ptr<const CompiledCheck> compiled;
};

// One finding of one check on one document.
struct Violation {
  const Check* check = nullptr;
  int line = 0, end_line = 0;  // where the finding points (document line when the check gave no node)
  std::string message;         // the check's message, or its title
  int document = -1;           // EvaluateAll: the index in `docs` of the document the finding is in
};

// Loading: a malformed file, unknown key, duplicate id or an expression that does not parse/type
// check -> customs::UsageError "file:line: reason".
std::vector<Check> LoadChecksFromText(std::string_view yaml, const std::string& source);
std::vector<Check> LoadChecksFromDir(const std::string& dir);  // every *.yaml / *.yml, recursively, sorted
const std::vector<Check>& BuiltinChecks();
// The checks a scan runs: the built-in ones (unless skip_builtin) plus every --checks path (a directory,
// recursively, or one file). A check id defined twice -> UsageError naming both places; no check at all
// -> UsageError.
std::vector<Check> LoadCheckSet(bool skip_builtin, const std::vector<std::string>& paths);

// Evaluates one check on one document. An evaluation error (e.g. a type mismatch the checker could
// not see) is returned in `error` and gives no violation; it never throws for any document content.
// A check whose `kind` is not the document's gives no violation. A failing `message` expression keeps
// the violation (with the title as its message) and sets `error`. The compiled form is read-only, so
// one Check may be evaluated from several threads at once. (misconfig/check_loader.cpp)
std::vector<Violation> Evaluate(const Check& check, const Document& doc, std::string* error = nullptr);

// Evaluates a `scope: all` check once on all `docs` (those not of its kind are left out of `object`).
// Every deny element must point at a node of one of the documents (its `at`, or the element itself);
// one that does not is an evaluation error. Same guarantees as Evaluate.
std::vector<Violation> EvaluateAll(const Check& check, const std::vector<const Document*>& docs,
                                   std::string* error = nullptr);

}  // namespace customs::misconfig
