// The one entry point for JSON read from untrusted input (lockfiles, manifests, image configs, VEX
// documents, feeds, signatures). Limits on size, nesting depth and element count are checked WHILE
// nlohmann parses (SAX events), so a 10,000-deep or 100-million-element document is refused before
// its tree is built, in memory bounded by the limits.
#pragma once

#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

namespace customs {

struct JsonLimits {
  size_t max_bytes = 256u << 20;
  // Nesting of arrays and objects; the document itself is level 1.
  size_t max_depth = 256;
  // Values of every kind (objects, arrays, scalars; object keys not counted).
  size_t max_elements = 20'000'000;
};

// Throws LimitExceeded(where, ...) (a LimitError: the input is rejected as a whole) when a limit is
// crossed, e.g. "package-lock.json: JSON nested deeper than 256 levels", and InputError(where,
// "invalid JSON: ...") when the text is not JSON.
nlohmann::json ParseJson(std::string_view text, std::string_view where, const JsonLimits& limits = {});
nlohmann::ordered_json ParseOrderedJson(std::string_view text, std::string_view where, const JsonLimits& limits = {});

// For callers that skip or report malformed input themselves (what json::parse(..., nullptr, false)
// did): malformed JSON gives a discarded value (is_discarded()); a crossed limit still throws.
nlohmann::json ParseJsonOrDiscarded(std::string_view text, std::string_view where, const JsonLimits& limits = {});
nlohmann::ordered_json ParseOrderedJsonOrDiscarded(std::string_view text, std::string_view where,
                                                   const JsonLimits& limits = {});

}  // namespace customs
