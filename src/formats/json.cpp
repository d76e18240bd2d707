#include "formats/json.h"

#include <string>

#include "core/error.h"

namespace customs {
namespace {

// The first part of a nlohmann message after its "[json.exception.parse_error.101] " tag, printable
// and short: it goes into a one-line error.
std::string Reason(const std::string& what) {
  std::string msg = what;
  if (auto p = msg.find("] "); msg.rfind("[json.exception", 0) == 0 && p != std::string::npos) msg = msg.substr(p + 2);
  std::string out;
  for (char c : msg) {
    if (out.size() >= 200) {
      out += "...";
      break;
    }
    const auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f) ? '?' : c;
  }
  return out;
}

struct Malformed {
  std::string reason;
};

// Checks every event against the limits, then hands it to nlohmann's own DOM builder.
template <typename Json>
class LimitedSax {
 public:
  using number_integer_t = typename Json::number_integer_t;
  using number_unsigned_t = typename Json::number_unsigned_t;
  using number_float_t = typename Json::number_float_t;
  using string_t = typename Json::string_t;
  using binary_t = typename Json::binary_t;

  LimitedSax(Json& out, std::string_view where, const JsonLimits& limits)
      : dom_(out, /*allow_exceptions=*/true), where_(where), limits_(limits) {}

  bool null() { return Count() && dom_.null(); }
  bool boolean(bool v) { return Count() && dom_.boolean(v); }
  bool number_integer(number_integer_t v) { return Count() && dom_.number_integer(v); }
  bool number_unsigned(number_unsigned_t v) { return Count() && dom_.number_unsigned(v); }
  bool number_float(number_float_t v, const string_t& s) { return Count() && dom_.number_float(v, s); }
  bool string(string_t& v) { return Count() && dom_.string(v); }
  bool binary(binary_t& v) { return Count() && dom_.binary(v); }
  bool start_object(std::size_t n) { return Open() && dom_.start_object(n); }
  bool key(string_t& k) { return dom_.key(k); }
  bool end_object() {
    --depth_;
    return dom_.end_object();
  }
  bool start_array(std::size_t n) { return Open() && dom_.start_array(n); }
  bool end_array() {
    --depth_;
    return dom_.end_array();
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    throw Malformed{Reason(e.what())};
  }

 private:
  bool Count() {
    if (++elements_ > limits_.max_elements)
      throw LimitExceeded(std::string(where_), "JSON has more than " + std::to_string(limits_.max_elements) + " elements");
    return true;
  }
  bool Open() {
    if (++depth_ > limits_.max_depth)
      throw LimitExceeded(std::string(where_), "JSON nested deeper than " + std::to_string(limits_.max_depth) + " levels");
    return Count();
  }

  nlohmann::detail::json_sax_dom_parser<Json> dom_;
  std::string_view where_;
  const JsonLimits& limits_;
  size_t depth_ = 0;
  size_t elements_ = 0;
};

template <typename Json>
Json Parse(std::string_view text, std::string_view where, const JsonLimits& limits, bool discard_malformed) {
  if (text.size() > limits.max_bytes)
    throw LimitExceeded(std::string(where), "JSON larger than " + std::to_string(limits.max_bytes) + " bytes");
  Json out;
  try {
    LimitedSax<Json> sax(out, where, limits);
    Json::sax_parse(text.begin(), text.end(), &sax);
  } catch (const Malformed& m) {
    if (discard_malformed) return Json(nlohmann::detail::value_t::discarded);
    throw InputError(std::string(where), "invalid JSON: " + m.reason);
  } catch (const nlohmann::json::exception& e) {
    // The DOM builder's own complaints (e.g. a number too large for a double).
    if (discard_malformed) return Json(nlohmann::detail::value_t::discarded);
    throw InputError(std::string(where), "invalid JSON: " + Reason(e.what()));
  }
  return out;
}

}  // namespace

nlohmann::json ParseJson(std::string_view text, std::string_view where, const JsonLimits& limits) {
  return Parse<nlohmann::json>(text, where, limits, false);
}
nlohmann::ordered_json ParseOrderedJson(std::string_view text, std::string_view where, const JsonLimits& limits) {
  return Parse<nlohmann::ordered_json>(text, where, limits, false);
}
nlohmann::json ParseJsonOrDiscarded(std::string_view text, std::string_view where, const JsonLimits& limits) {
  return Parse<nlohmann::json>(text, where, limits, true);
}
nlohmann::ordered_json ParseOrderedJsonOrDiscarded(std::string_view text, std::string_view where,
                                                   const JsonLimits& limits) {
  return Parse<nlohmann::ordered_json>(text, where, limits, true);
}

}  // namespace customs
