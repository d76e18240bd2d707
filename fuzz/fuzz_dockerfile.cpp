// libFuzzer target: the Dockerfile front end (src/misconfig/frontends/dockerfile.cpp) on arbitrary
// bytes. Properties checked on every input, besides not crashing:
//  - exactly one document, kind dockerfile, and every problem names the file and a line within it;
//  - every instruction has 1 <= line <= end_line <= the file's line count, instructions come in line
//    order, and each stage's instructions start with its FROM;
//  - stage indexes are 0..n-1, stage_ref / from_stage name an earlier stage (or -1).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "misconfig/document.h"

namespace {

using customs::misconfig::Value;

const Value& Need(const Value& m, const char* key) {
  const Value* v = m.Find(key);
  if (v == nullptr) std::abort();
  return *v;
}

void CheckInstruction(const Value& ins, int lines) {
  if (!ins.is_map() || ins.line < 1 || ins.end_line < ins.line || ins.end_line > lines) std::abort();
  if (Need(ins, "line").i != ins.line || Need(ins, "end_line").i != ins.end_line) std::abort();
  if (!Need(ins, "cmd").is_string() || !Need(ins, "args").is_list() || !Need(ins, "heredocs").is_list()) std::abort();
  for (const Value& h : Need(ins, "heredocs").items)
    if (h.line < ins.line || h.end_line > ins.end_line) std::abort();
  if (const Value* t = ins.Find("trigger"); t != nullptr) CheckInstruction(*t, lines);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace customs::misconfig;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const ParseResult r = ParseConfig(DocKind::kDockerfile, "Dockerfile", input);
  if (r.documents.size() != 1) std::abort();
  int lines = 1;
  for (char c : input) lines += c == '\n' ? 1 : 0;
  for (const ParseProblem& p : r.problems)
    if (p.path != "Dockerfile" || p.line < 0 || p.line > lines || p.message.empty()) std::abort();
  const Document& d = r.documents[0];
  if (d.kind != DocKind::kDockerfile) std::abort();
  const Value& root = d.root;
  int prev = 0;
  for (const Value& ins : Need(root, "instructions").items) {
    CheckInstruction(ins, lines);
    if (ins.line <= prev) std::abort();
    prev = ins.end_line;
  }
  const Value& stages = Need(root, "stages");
  if (Need(root, "final_stage").i != static_cast<int64_t>(stages.items.size()) - 1) std::abort();
  for (size_t s = 0; s < stages.items.size(); ++s) {
    const Value& st = stages.items[s];
    if (Need(st, "index").i != static_cast<int64_t>(s)) std::abort();
    const int64_t ref = Need(Need(st, "base"), "stage_ref").i;
    if (ref < -1 || ref >= static_cast<int64_t>(s)) std::abort();
    const Value& ins = Need(st, "instructions");
    if (ins.items.empty() || Need(ins.items[0], "cmd").s != "from") std::abort();
    for (const Value& i : ins.items) {
      if (Need(i, "stage").i != static_cast<int64_t>(s)) std::abort();
      if (const Value* fs = i.Find("from_stage"); fs != nullptr && (fs->i < -1 || fs->i > static_cast<int64_t>(s)))
        std::abort();
    }
  }
  return 0;
}
