// The one entry point for JSON read from untrusted input (lockfiles, manifests, image configs, VEX
// documents, feeds, signatures). Limits on size, nesting depth and element count are checked WHILE
// nlohmann parses (SAX events), so a 10,000-deep or 100-million-element document is refused before
// its tree is built, in memory bounded by the limits.
#pragma once

#include <cstddef>
#include <functional>
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

// Streams one large array member of a top-level object (the NVD data feeds' `vulnerabilities`, up to
// a GiB of text): each element of the member named `array_key` is built alone, handed to `each` (which
// may move from it) and dropped, so memory holds one element at a time instead of the whole tree. The
// rest of the document is built as usual and returned, with that member as an empty array. The depth
// and element limits apply to each element and to the rest; max_bytes to the whole text. Malformed
// JSON -> InputError, a crossed limit -> LimitExceeded (elements delivered before stay delivered:
// callers that want all-or-nothing collect first).
nlohmann::json ParseJsonStreamingArray(std::string_view text, std::string_view where, std::string_view array_key,
                                       const std::function<void(nlohmann::json&&)>& each,
                                       const JsonLimits& limits = {});

}  // namespace customs
