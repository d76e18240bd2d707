// libFuzzer target: the check language (src/misconfig/lang/) and the check loader
// (src/misconfig/check_loader.cpp). Each input is used twice:
//  - as a check file: loaded (a UsageError is the only exception allowed), and every check it holds is
//    evaluated on a small fixed document tree (Evaluate must never throw);
//  - as a bare expression: compiled (CompileError is the only exception allowed, and its offset must lie
//    within the input), then evaluated on the same tree.
// Properties checked besides not crashing: a value selected from the tree keeps a line of the tree; a
// violation's line is a line of the document; an expression that compiled evaluates to the same value
// twice (evaluation is deterministic and does not mutate the tree).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/error.h"
#include "misconfig/check.h"
#include "misconfig/lang/program.h"

namespace {

using namespace customs::misconfig;

Document MakeDoc(DocKind kind) {
  Document d;
  d.kind = kind;
  d.path = "fuzz.yaml";
  d.line = 1;
  Value& r = d.root = Value::Map(1);
  r.end_line = 12;
  r.Set("kind", Value::String("Pod", 1));
  r.Set("n", Value::Int(-3, 2));
  r.Set("f", Value::Double(0.5, 3));
  r.Set("t", Value::Bool(true, 4));
  r.Set("z", Value::Null(5));
  Value& spec = r.Set("spec", Value::Map(6));
  Value& cs = spec.Set("containers", Value::List(7));
  Value& c = cs.Push(Value::Map(8));
  c.Set("name", Value::String("app", 8));
  c.Set("image", Value::String("nginx:latest", 9));
  c.Set("args", Value::List(10)).Push(Value::String("--x=\xc3\xa9", 10));
  spec.Set("labels", Value::Map(11)).Set("a", Value::String("b", 11));
  spec.Set("empty", Value::List(12));
  return d;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16 * 1024) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  static const Document kDocs[] = {MakeDoc(DocKind::kDockerfile), MakeDoc(DocKind::kKubernetes),
                                   MakeDoc(DocKind::kCompose), MakeDoc(DocKind::kImageConfig)};

  // As a check file.
  try {
    const std::vector<Check> checks = LoadChecksFromText(input, "fuzz.yaml");
    for (const Check& c : checks) {
      for (const Document& d : kDocs) {
        std::string error;
        for (const Violation& v : Evaluate(c, d, &error)) {
          if (v.line < 1 || v.line > 12 || v.end_line < v.line || v.check != &c) std::abort();
        }
      }
    }
  } catch (const customs::Error& e) {
    if (e.code() != customs::kExitUsage) std::abort();
  }

  // As an expression.
  try {
    const lang::Program p = lang::Compile(input, lang::Env{});
    lang::EvalContext ctx1, ctx2;
    ctx1.object = ctx2.object = lang::Val::FromDoc(kDocs[1].root);
    const lang::Val a = lang::Eval(p, ctx1);
    const lang::Val b = lang::Eval(p, ctx2);
    if (lang::Debug(a) != lang::Debug(b)) std::abort();
    if (a.line < 0 || a.line > 12) std::abort();
  } catch (const lang::CompileError& e) {
    if (e.pos > size) std::abort();
  }
  return 0;
}
