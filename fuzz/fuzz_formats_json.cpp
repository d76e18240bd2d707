// libFuzzer target: the bounded JSON entry point (src/formats/json.cpp) every analyzer, feed and
// signature reader uses, on arbitrary bytes and with small limits so that the limit paths are taken.
// Properties checked on every input, besides not crashing or exhausting memory:
//  - only customs::Error leaves ParseJson (InputError for malformed text, LimitError for a limit);
//  - ParseJsonOrDiscarded agrees: discarded exactly when ParseJson reports malformed text;
//  - an accepted document is within the limits (depth, element count) and equals what nlohmann's own
//    parser makes of the same text (the oracle: the limits must never change an accepted value);
//  - the ordered variant accepts exactly the same inputs;
//  - the streaming parse (ParseJsonStreamingArray, member "a") reports malformed text exactly when
//    nlohmann's parser rejects it (unless a limit stops it first), and what it delivers rebuilds the
//    oracle's document: the rest equals it but for "a", and the streamed elements end with the
//    oracle's "a" (a duplicate "a" member streams its elements too; the last member wins, as in a DOM).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "formats/json.h"

namespace {

enum class Outcome { kOk, kMalformed, kLimit };

// Depth (the document is level 1; scalars count as a level inside a container, as the SAX limits do
// not: only containers nest) and the number of values.
void Measure(const nlohmann::json& j, size_t depth, size_t& max_depth, size_t& elements) {
  ++elements;
  if (!j.is_structured()) return;
  if (depth > max_depth) max_depth = depth;
  for (const auto& c : j) Measure(c, depth + 1, max_depth, elements);
}

template <typename F>
Outcome Run(F&& f) {
  try {
    f();
    return Outcome::kOk;
  } catch (const customs::LimitError&) {
    return Outcome::kLimit;
  } catch (const customs::Error&) {
    return Outcome::kMalformed;
  } catch (...) {
    std::abort();  // anything else escaping is a bug
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  customs::JsonLimits limits;
  limits.max_bytes = 32768;
  limits.max_depth = 12;
  limits.max_elements = 400;

  nlohmann::json tree;
  const Outcome plain = Run([&] { tree = customs::ParseJson(text, "f.json", limits); });
  if (size > limits.max_bytes && plain != Outcome::kLimit) std::abort();
  if (plain == Outcome::kOk) {
    size_t depth = 0, elements = 0;
    Measure(tree, 1, depth, elements);
    if (depth > limits.max_depth || elements > limits.max_elements) std::abort();
    const nlohmann::json oracle = nlohmann::json::parse(text, nullptr, false);
    if (oracle.is_discarded() || oracle != tree) std::abort();
  }

  nlohmann::json maybe;
  const Outcome discarded = Run([&] { maybe = customs::ParseJsonOrDiscarded(text, "f.json", limits); });
  if (plain == Outcome::kLimit && discarded != Outcome::kLimit) std::abort();
  if (plain == Outcome::kMalformed && !(discarded == Outcome::kOk && maybe.is_discarded())) std::abort();
  if (plain == Outcome::kOk && !(discarded == Outcome::kOk && maybe == tree)) std::abort();

  nlohmann::ordered_json ordered;
  const Outcome ord = Run([&] { ordered = customs::ParseOrderedJson(text, "f.json", limits); });
  if (ord != plain) std::abort();
  if (ord == Outcome::kOk && nlohmann::json(ordered) != tree) std::abort();

  std::vector<nlohmann::json> streamed;
  nlohmann::json rest;
  const Outcome st = Run([&] {
    rest = customs::ParseJsonStreamingArray(text, "f.json", "a", [&](nlohmann::json&& e) { streamed.push_back(e); },
                                            limits);
  });
  if (size > limits.max_bytes && st != Outcome::kLimit) std::abort();
  if (size <= limits.max_bytes && st != Outcome::kLimit) {
    const nlohmann::json oracle = nlohmann::json::parse(text, nullptr, false);
    if (oracle.is_discarded() != (st == Outcome::kMalformed)) std::abort();
    if (st == Outcome::kOk) {
      nlohmann::json want = oracle;
      if (oracle.is_object() && oracle.contains("a") && oracle["a"].is_array()) {
        const auto& arr = oracle["a"];
        if (streamed.size() < arr.size()) std::abort();
        for (size_t i = 0; i < arr.size(); ++i)
          if (streamed[streamed.size() - arr.size() + i] != arr[i]) std::abort();
        want["a"] = nlohmann::json::array();
      }
      if (rest != want) std::abort();
    }
  }
  return 0;
}
