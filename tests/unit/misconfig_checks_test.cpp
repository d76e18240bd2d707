// Check files (src/misconfig/check_loader.cpp): loading, every way a check file can be wrong (each a
// UsageError naming file:line, and the column for expressions), and Evaluate on hand-built document trees:
// bool vs list results, the lines findings point at, messages, variables, and evaluation errors.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.h"
#include "misconfig/check.h"
#include "support/fixtures.h"

namespace customs::misconfig {
namespace {

using customs_test::TempDir;
using customs_test::WriteFile;

std::string ErrorOf(std::string_view yaml, const std::string& source = "c.yaml") {
  try {
    LoadChecksFromText(yaml, source);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), kExitUsage);
    return e.what();
  }
  ADD_FAILURE() << "loaded: " << yaml;
  return "";
}

Check One(std::string_view yaml) {
  std::vector<Check> cs = LoadChecksFromText(yaml, "c.yaml");
  EXPECT_EQ(cs.size(), 1u);
  return cs.at(0);
}

// A Deployment-like document at line 3 of its file (e.g. after another document).
Document Deployment() {
  Document d;
  d.kind = DocKind::kKubernetes;
  d.path = "k8s/app.yaml";
  d.line = 3;
  Value& r = d.root = Value::Map(3);
  r.end_line = 20;
  r.Set("kind", Value::String("Deployment", 3));
  Value& spec = r.Set("spec", Value::Map(4));
  Value& cs = spec.Set("containers", Value::List(5));
  Value& a = cs.Push(Value::Map(6));
  a.end_line = 9;
  a.Set("name", Value::String("app", 6));
  a.Set("image", Value::String("nginx:latest", 7));
  Value& sc = a.Set("securityContext", Value::Map(8));
  sc.Set("privileged", Value::Bool(true, 9));
  Value& b = cs.Push(Value::Map(10));
  b.end_line = 11;
  b.Set("name", Value::String("sidecar", 10));
  b.Set("image", Value::String("busybox:1.36", 11));
  return d;
}

constexpr const char* kHeader =
    "id: T-1\n"
    "title: Test check\n"
    "severity: HIGH\n"
    "kind: kubernetes\n";

TEST(MisconfigChecks, LoadsAllFields) {
  const Check c = One(
      "id: CUS-K8S-001\n"
      "title: Privileged container\n"
      "severity: critical\n"
      "kind: kubernetes\n"
      "description: Privileged containers share the host's kernel capabilities.\n"
      "remediation: Set securityContext.privileged to false.\n"
      "references: [https://kubernetes.io/docs/concepts/security/pod-security-standards/]\n"
      "variables:\n"
      "  - name: containers\n"
      "    expression: object.spec.containers\n"
      "deny: variables.containers.filter(c, c.?securityContext.?privileged.orValue(false))\n"
      "message: \"'container ' + item.name + ' is privileged'\"\n");
  EXPECT_EQ(c.id, "CUS-K8S-001");
  EXPECT_EQ(c.title, "Privileged container");
  EXPECT_EQ(c.severity, cvss::Severity::kCritical);
  EXPECT_EQ(c.kind, DocKind::kKubernetes);
  EXPECT_EQ(c.description, "Privileged containers share the host's kernel capabilities.");
  EXPECT_EQ(c.remediation, "Set securityContext.privileged to false.");
  ASSERT_EQ(c.references.size(), 1u);
  EXPECT_EQ(c.source, "c.yaml");
  EXPECT_EQ(c.source_line, 1);
  ASSERT_TRUE(c.compiled);

  const Document d = Deployment();
  std::string error;
  const std::vector<Violation> v = Evaluate(c, d, &error);
  EXPECT_EQ(error, "");
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].check, &c);
  EXPECT_EQ(v[0].line, 6);
  EXPECT_EQ(v[0].end_line, 9);
  EXPECT_EQ(v[0].message, "container app is privileged");
}

TEST(MisconfigChecks, SeveralChecksPerFile) {
  const std::string two = std::string(kHeader) + "deny: 'true'\n---\n" + "id: T-2\ntitle: b\nseverity: LOW\nkind: dockerfile\ndeny: 'false'\n";
  std::vector<Check> cs = LoadChecksFromText(two, "two.yaml");
  ASSERT_EQ(cs.size(), 2u);
  EXPECT_EQ(cs[1].id, "T-2");
  EXPECT_EQ(cs[1].source_line, 7);
  EXPECT_EQ(cs[1].kind, DocKind::kDockerfile);
  const std::string list =
      "- {id: A, title: a, severity: LOW, kind: compose, deny: 'true'}\n"
      "- {id: B, title: b, severity: MEDIUM, kind: imageconfig, deny: 'true'}\n";
  cs = LoadChecksFromText(list, "l.yaml");
  ASSERT_EQ(cs.size(), 2u);
  EXPECT_EQ(cs[1].source_line, 2);
  EXPECT_EQ(cs[1].kind, DocKind::kImageConfig);
  EXPECT_TRUE(LoadChecksFromText("", "empty.yaml").empty());
}

TEST(MisconfigChecks, LoaderErrorsNameFileAndLine) {
  const std::string h = kHeader;
  EXPECT_EQ(ErrorOf(h + "deny: 'true'\nseverty: LOW\n"), "c.yaml:6: unknown key 'severty' in check");
  EXPECT_EQ(ErrorOf("title: t\nseverity: LOW\nkind: compose\ndeny: 'true'\n"), "c.yaml:1: check has no 'id'");
  EXPECT_EQ(ErrorOf("id: x\nseverity: LOW\nkind: compose\ndeny: 'true'\n"), "c.yaml:1: check has no 'title'");
  EXPECT_EQ(ErrorOf("id: x\ntitle: t\nkind: compose\ndeny: 'true'\n"), "c.yaml:1: check has no 'severity'");
  EXPECT_EQ(ErrorOf("id: x\ntitle: t\nseverity: LOW\ndeny: 'true'\n"), "c.yaml:1: check has no 'kind'");
  EXPECT_EQ(ErrorOf(h), "c.yaml:1: check has no 'deny'");
  EXPECT_EQ(ErrorOf("id: x\ntitle: t\nseverity: SEVERE\nkind: compose\ndeny: 'true'\n"),
            "c.yaml:3: bad severity 'SEVERE' (UNKNOWN, LOW, MEDIUM, HIGH or CRITICAL)");
  EXPECT_EQ(ErrorOf("id: x\ntitle: t\nseverity: LOW\nkind: helm\ndeny: 'true'\n"),
            "c.yaml:4: bad kind 'helm' (dockerfile, kubernetes, compose or imageconfig)");
  EXPECT_EQ(ErrorOf(h + "deny: 'true'\n---\n" + h + "deny: 'false'\n"), "c.yaml:7: duplicate check id T-1 (first at line 1)");
  EXPECT_EQ(ErrorOf(h + "deny: 'true'\ndeny: 'false'\n"), "c.yaml:6: duplicate key 'deny'");
  EXPECT_EQ(ErrorOf("id: [a]\ntitle: t\nseverity: LOW\nkind: compose\ndeny: 'true'\n"), "c.yaml:1: id must be a string");
  EXPECT_EQ(ErrorOf("id: a b\ntitle: t\nseverity: LOW\nkind: compose\ndeny: 'true'\n"), "c.yaml:1: id must be a non-empty word");
  EXPECT_EQ(ErrorOf(h + "references: x\ndeny: 'true'\n"), "c.yaml:5: references must be a list of strings");
  EXPECT_EQ(ErrorOf("42\n"), "c.yaml:1: a check file holds a check (a map) or a list of checks");
  EXPECT_EQ(ErrorOf("- 42\n"), "c.yaml:1: a check must be a map (id, title, severity, kind, deny, ...)");
  EXPECT_EQ(ErrorOf("id: [\n").rfind("c.yaml:2: invalid YAML: ", 0), 0u);
  EXPECT_EQ(ErrorOf(h + "deny: ''\n"), "c.yaml:5: deny is empty");
  // yaml-cpp's LoadAll reports documents forever for this (found by fuzz_check_language): bounded.
  EXPECT_EQ(ErrorOf(",object.spec.containers.exist{(c, 0.image.endsWith(':late3t'))").rfind("c.yaml", 0), 0u);
  // Variables.
  EXPECT_EQ(ErrorOf(h + "variables: {a: b}\ndeny: 'true'\n"), "c.yaml:5: variables must be a list of {name, expression}");
  EXPECT_EQ(ErrorOf(h + "variables:\n  - name: a\n    expr: b\ndeny: 'true'\n"),
            "c.yaml:7: unknown or repeated key 'expr' in variable (name, expression)");
  EXPECT_EQ(ErrorOf(h + "variables:\n  - name: a\ndeny: 'true'\n"), "c.yaml:6: a variable needs both name and expression");
  EXPECT_EQ(ErrorOf(h + "variables:\n  - name: a-b\n    expression: '1'\ndeny: 'true'\n"),
            "c.yaml:6: variable name 'a-b' is not an identifier");
  EXPECT_EQ(ErrorOf(h + "variables:\n  - {name: a, expression: '1'}\n  - {name: a, expression: '2'}\ndeny: 'true'\n"),
            "c.yaml:7: duplicate variable 'a'");
}

TEST(MisconfigChecks, ExpressionErrorsNameFileLineAndColumn) {
  const std::string h = kHeader;
  // Plain scalar: column of the expression in the file.
  EXPECT_EQ(ErrorOf(h + "deny: object.kind == \n"), "c.yaml:5:21: deny: unexpected end of expression");
  EXPECT_EQ(ErrorOf(h + "deny: object.kind.sizee() > 1\n"), "c.yaml:5:19: deny: undeclared function 'sizee'");
  // Quoted scalar: one more for the quote.
  EXPECT_EQ(ErrorOf(h + "deny: \"objec.kind == 'x'\"\n"), "c.yaml:5:8: deny: undeclared reference to 'objec'");
  // Block scalar: line and column inside the block.
  EXPECT_EQ(ErrorOf(h + "deny: |\n  object.kind == 'x' &&\n    has(object.spec) && nope\n"),
            "c.yaml:7:25: deny: undeclared reference to 'nope'");
  EXPECT_EQ(ErrorOf(h + "deny: 'true'\nmessage: item.name + foo\n"), "c.yaml:6:22: message: undeclared reference to 'foo'");
  EXPECT_EQ(ErrorOf(h + "deny: item\n"), "c.yaml:5:7: deny: 'item' is only defined in a check's message expression");
  EXPECT_EQ(ErrorOf(h + "variables:\n  - name: a\n    expression: variables.b\n  - name: b\n    expression: '1'\ndeny: 'true'\n"),
            "c.yaml:7:27: variables.a: variables.b is not declared before this expression (a variable may only use the ones listed above it)");
  EXPECT_EQ(ErrorOf(h + "deny: variables.nope\n"), "c.yaml:5:17: deny: undeclared variable 'nope'");
  EXPECT_EQ(ErrorOf(h + "deny: \"'x'.matches('(')\"\n").rfind("c.yaml:5:20: deny: invalid regular expression", 0), 0u);
}

TEST(MisconfigChecks, BoolResultPointsAtTheDocument) {
  const std::string h = kHeader;
  const Check yes = One(h + "deny: object.kind == 'Deployment'\n");
  const Check no = One(h + "deny: object.kind == 'Pod'\n");
  Document d = Deployment();
  std::string error;
  std::vector<Violation> v = Evaluate(yes, d, &error);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].line, 3);
  EXPECT_EQ(v[0].end_line, 20);
  EXPECT_EQ(v[0].message, "Test check");  // no message expression: the title
  EXPECT_TRUE(Evaluate(no, d, &error).empty());
  EXPECT_EQ(error, "");
  d.line = 0;  // no document line: the root's
  d.root.line = 2;
  EXPECT_EQ(Evaluate(yes, d)[0].line, 2);
  // A check for another kind of document does not apply.
  d.kind = DocKind::kCompose;
  EXPECT_TRUE(Evaluate(yes, d, &error).empty());
  EXPECT_EQ(error, "");
}

TEST(MisconfigChecks, ListResultPointsAtEachNode) {
  const std::string h = kHeader;
  const Document d = Deployment();
  // Document nodes: their lines.
  Check c = One(h + "deny: object.spec.containers.filter(c, !c.image.contains('@sha256:')).map(c, c.image)\n"
                    "message: \"'image ' + item + ' is not pinned by digest'\"\n");
  std::vector<Violation> v = Evaluate(c, d);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].line, 7);
  EXPECT_EQ(v[0].message, "image nginx:latest is not pinned by digest");
  EXPECT_EQ(v[1].line, 11);
  // Computed elements (line 0): the document's line.
  c = One(h + "deny: object.spec.containers.map(c, c.name + '!')\n");
  v = Evaluate(c, d);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].line, 3);
  EXPECT_EQ(v[0].message, "Test check");
  // {"at": node, "message": str} maps set both.
  c = One(h + "deny: >-\n  object.spec.containers.filter(c, c.image.endsWith(':latest'))\n"
              "  .map(c, {'at': c.image, 'message': c.name + ' uses :latest'})\n");
  v = Evaluate(c, d);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].line, 7);
  EXPECT_EQ(v[0].message, "app uses :latest");
  // {"at": ...} without a message: the message expression sees the map as item.
  c = One(h + "deny: \"object.spec.containers.map(c, {'at': c, 'name': c.name})\"\nmessage: item.name\n");
  v = Evaluate(c, d);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[1].line, 10);
  EXPECT_EQ(v[1].end_line, 11);
  EXPECT_EQ(v[1].message, "sidecar");
  // An empty list: no finding.
  c = One(h + "deny: '[]'\n");
  EXPECT_TRUE(Evaluate(c, d).empty());
}

TEST(MisconfigChecks, VariablesInChecks) {
  const std::string h = kHeader;
  const Check c = One(h +
                      "variables:\n"
                      "  - name: containers\n"
                      "    expression: object.spec.containers\n"
                      "  - name: unpinned\n"
                      "    expression: variables.containers.filter(c, !c.image.contains('@'))\n"
                      "  - name: never\n"
                      "    expression: 1 / 0 == 1\n"
                      "deny: size(variables.unpinned) > 1 || variables.never\n");
  std::string error;
  const std::vector<Violation> v = Evaluate(c, Deployment(), &error);
  EXPECT_EQ(error, "");  // `never` is not evaluated: || decided before it
  ASSERT_EQ(v.size(), 1u);
}

TEST(MisconfigChecks, EvaluationErrorsAreReturnedNotThrown) {
  const std::string h = kHeader;
  const Document d = Deployment();
  std::string error;
  EXPECT_TRUE(Evaluate(One(h + "deny: object.spec.volumes.size() > 0\n"), d, &error).empty());
  EXPECT_EQ(error, "T-1: deny: no such key: 'volumes' (column 13)");
  EXPECT_TRUE(Evaluate(One(h + "deny: object.kind\n"), d, &error).empty());
  EXPECT_EQ(error, "T-1: deny evaluates to string, not bool or list");
  EXPECT_TRUE(Evaluate(One(h + "deny: \"[{'at': 1, 'message': 2}]\"\n"), d, &error).empty());
  EXPECT_EQ(error, "T-1: deny: element 0: message is int, not string");
  // A message that fails: the finding keeps the title, the error is reported.
  const std::vector<Violation> v = Evaluate(One(h + "deny: 'true'\nmessage: item.name\n"), d, &error);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].message, "Test check");
  EXPECT_EQ(error.rfind("T-1: message: cannot select field 'name' from null_type", 0), 0u);
  // Errors inside a variable name it.
  Evaluate(One(h + "variables: [{name: v, expression: object.x}]\ndeny: variables.v\n"), d, &error);
  EXPECT_EQ(error, "T-1: deny: variables.v: no such key: 'x' (column 8)");
}

// scope: all: one evaluation over every document of the kind; findings name the document they are in.
TEST(MisconfigChecks, ScopeAllSeesEveryDocumentAndAttributesFindings) {
  EXPECT_EQ(One(std::string(kHeader) + "deny: 'false'\n").scope, Check::Scope::kDocument);
  EXPECT_NE(ErrorOf(std::string(kHeader) + "scope: some\ndeny: 'false'\n").find("c.yaml:5: bad scope 'some' (document or all)"),
            std::string::npos);
  const Check all = One(std::string(kHeader) + "scope: all\n"
                        "deny: \"object.documents.filter(d, d.object.kind == 'Deployment').map(d, {'at': d.object.spec, 'message': d.path})\"\n");
  ASSERT_EQ(all.scope, Check::Scope::kAll);
  Document a = Deployment();
  Document b = Deployment();
  b.path = "k8s/other.yaml";
  Document c;  // another kind: not in `object`
  c.kind = DocKind::kCompose;
  c.path = "compose.yaml";
  c.root = Value::Map(1);
  std::string error;
  const std::vector<Violation> v = EvaluateAll(all, {&c, &a, &b}, &error);
  EXPECT_EQ(error, "");
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].document, 1);
  EXPECT_EQ(v[0].message, "k8s/app.yaml");
  EXPECT_EQ(v[0].line, 4);
  EXPECT_EQ(v[1].document, 2);
  EXPECT_EQ(v[1].message, "k8s/other.yaml");
  // Elements that are not document nodes cannot be placed in a file: an error, no finding.
  EXPECT_TRUE(EvaluateAll(One(std::string(kHeader) + "scope: all\ndeny: \"['x']\"\n"), {&a}, &error).empty());
  EXPECT_EQ(error, "T-1: deny: element 0 does not point at a node of a document (scope: all)");
  EXPECT_TRUE(EvaluateAll(One(std::string(kHeader) + "scope: all\ndeny: 'true'\n"), {&a}, &error).empty());
  EXPECT_EQ(error, "T-1: deny: element 0 does not point at a node of a document (scope: all)");
  EXPECT_TRUE(EvaluateAll(all, {&c}, &error).empty());
  EXPECT_EQ(error, "");
}

// The built-in CKS-038 on real manifests: a Namespace the manifests define is reported unless a
// NetworkPolicy of that namespace is among the documents, whichever file it is in; namespaces only used
// by workloads are not (their policies live elsewhere).
TEST(MisconfigChecks, NetworkPolicyPresenceAcrossFiles) {
  const Check* np = nullptr;
  for (const Check& c : BuiltinChecks())
    if (c.id == "CKS-038") np = &c;
  ASSERT_NE(np, nullptr);
  const ParseResult app = ParseConfig(DocKind::kKubernetes, "app.yaml",
                                      "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n"
                                      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n---\n"
                                      "apiVersion: v1\nkind: Pod\nmetadata: {name: debug, namespace: elsewhere}\n---\n"
                                      "apiVersion: v1\nkind: Namespace\nmetadata: {name: default}\n");
  const ParseResult pol = ParseConfig(DocKind::kKubernetes, "policy.yaml",
                                      "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
                                      "metadata: {name: deny, namespace: shop}\nspec: {podSelector: {}}\n---\n"
                                      "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
                                      "metadata: {name: deny}\nspec: {podSelector: {}}\n");
  ASSERT_EQ(app.documents.size(), 4u);
  ASSERT_EQ(pol.documents.size(), 2u);
  std::vector<const Document*> docs;
  for (const auto& d : app.documents) docs.push_back(&d);
  std::string error;
  std::vector<Violation> v = EvaluateAll(*np, docs, &error);
  EXPECT_EQ(error, "");
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].line, 1);
  EXPECT_EQ(v[0].document, 0);
  EXPECT_EQ(v[0].message, "Namespace 'shop' has no NetworkPolicy among the scanned manifests");
  EXPECT_EQ(v[1].line, 13);
  EXPECT_EQ(v[1].document, 3);
  docs.push_back(&pol.documents[0]);
  v = EvaluateAll(*np, docs, &error);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].message, "Namespace 'default' has no NetworkPolicy among the scanned manifests");
  docs.push_back(&pol.documents[1]);  // no namespace: the default one
  EXPECT_TRUE(EvaluateAll(*np, docs, &error).empty());
  EXPECT_EQ(error, "");
}

TEST(MisconfigChecks, LoadsADirectory) {
  TempDir dir;
  WriteFile(dir / "b.yaml", std::string(kHeader) + "deny: 'true'\n");
  WriteFile(dir / "sub/a.yml", "id: A-1\ntitle: a\nseverity: LOW\nkind: dockerfile\ndeny: 'false'\n");
  WriteFile(dir / "notes.txt", "not a check");
  std::vector<Check> cs = LoadChecksFromDir(dir.path());
  ASSERT_EQ(cs.size(), 2u);
  EXPECT_EQ(cs[0].id, "T-1");  // b.yaml sorts before sub/a.yml
  EXPECT_EQ(cs[0].source, dir / "b.yaml");
  EXPECT_EQ(cs[1].id, "A-1");
  WriteFile(dir / "sub/c.yaml", "\n" + std::string(kHeader) + "deny: 'true'\n");
  try {
    LoadChecksFromDir(dir.path());
    ADD_FAILURE() << "duplicate id across files loaded";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), dir / "sub/c.yaml" + ":2: duplicate check id T-1 (also at " + dir / "b.yaml" + ":1)");
  }
  EXPECT_THROW(LoadChecksFromDir(dir / "nope"), Error);
}

}  // namespace
}  // namespace customs::misconfig
