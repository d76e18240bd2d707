#include "formats/json.h"

#include <optional>
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

// The SAX handler of ParseJsonStreamingArray: events of the top-level object go to one DOM builder
// (the "rest"), events inside the streamed array member to a fresh builder per element.
class StreamingSax {
 public:
  using Json = nlohmann::json;
  using number_integer_t = Json::number_integer_t;
  using number_unsigned_t = Json::number_unsigned_t;
  using number_float_t = Json::number_float_t;
  using string_t = Json::string_t;
  using binary_t = Json::binary_t;

  StreamingSax(Json& rest, std::string_view where, std::string_view array_key,
               const std::function<void(Json&&)>& each, const JsonLimits& limits)
      : rest_(rest, /*allow_exceptions=*/true), where_(where), key_(array_key), each_(each), limits_(limits) {}

  bool null() { return Scalar(Json(nullptr), [&](auto& d) { return d.null(); }); }
  bool boolean(bool v) { return Scalar(Json(v), [&](auto& d) { return d.boolean(v); }); }
  bool number_integer(number_integer_t v) { return Scalar(Json(v), [&](auto& d) { return d.number_integer(v); }); }
  bool number_unsigned(number_unsigned_t v) { return Scalar(Json(v), [&](auto& d) { return d.number_unsigned(v); }); }
  bool number_float(number_float_t v, const string_t& s) {
    return Scalar(Json(v), [&](auto& d) { return d.number_float(v, s); });
  }
  bool string(string_t& v) { return Scalar(Json(v), [&](auto& d) { return d.string(v); }); }
  bool binary(binary_t& v) { return Scalar(Json(v), [&](auto& d) { return d.binary(v); }); }

  bool start_object(std::size_t n) {
    Open();
    if (InArray()) StartElement();
    if (element_) return element_->start_object(n);
    return rest_.start_object(n);
  }
  bool key(string_t& k) {
    if (element_) return element_->key(k);
    if (depth_ == 1) pending_ = k == key_;
    return rest_.key(k);
  }
  bool end_object() {
    --depth_;
    if (element_) return element_->end_object() && MaybeDeliver();
    return rest_.end_object();
  }
  bool start_array(std::size_t n) {
    Open();
    if (!element_ && !streaming_ && depth_ == 2 && pending_) {
      streaming_ = true;
      pending_ = false;
      return rest_.start_array(0);
    }
    if (InArray()) StartElement();
    if (element_) return element_->start_array(n);
    return rest_.start_array(n);
  }
  bool end_array() {
    --depth_;
    if (element_) return element_->end_array() && MaybeDeliver();
    if (streaming_ && depth_ == 1) streaming_ = false;
    return rest_.end_array();
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    throw Malformed{Reason(e.what())};
  }

 private:
  // Directly inside the streamed array, outside any element.
  bool InArray() const { return streaming_ && !element_ && depth_ == 3; }

  template <typename F>
  bool Scalar(Json&& value, F&& to_dom) {
    Count();
    if (element_) return to_dom(*element_);
    if (streaming_ && depth_ == 2) {  // a scalar element of the streamed array
      elements_ = 0;
      each_(std::move(value));
      return true;
    }
    if (depth_ == 1) pending_ = false;
    return to_dom(rest_);
  }
  void StartElement() {
    element_value_ = Json();
    element_.emplace(element_value_, /*allow_exceptions=*/true);
    elements_ = 1;  // this element's count starts with the element itself
  }
  bool MaybeDeliver() {
    if (depth_ != 2) return true;  // still inside the element
    element_.reset();
    each_(std::move(element_value_));
    element_value_ = Json();
    elements_ = 0;
    return true;
  }
  void Count() {
    if (++elements_ > limits_.max_elements)
      throw LimitExceeded(std::string(where_), "JSON has more than " + std::to_string(limits_.max_elements) + " elements");
  }
  void Open() {
    if (++depth_ > limits_.max_depth)
      throw LimitExceeded(std::string(where_), "JSON nested deeper than " + std::to_string(limits_.max_depth) + " levels");
    Count();
  }

  nlohmann::detail::json_sax_dom_parser<Json> rest_;
  Json element_value_;
  std::optional<nlohmann::detail::json_sax_dom_parser<Json>> element_;
  std::string_view where_, key_;
  const std::function<void(Json&&)>& each_;
  const JsonLimits& limits_;
  size_t depth_ = 0;     // open objects/arrays, the top-level object being 1
  size_t elements_ = 0;  // of the rest, or of the current element
  bool pending_ = false;    // the last key of the top-level object names the streamed array
  bool streaming_ = false;  // inside the streamed array
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

nlohmann::json ParseJsonStreamingArray(std::string_view text, std::string_view where, std::string_view array_key,
                                       const std::function<void(nlohmann::json&&)>& each, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes)
    throw LimitExceeded(std::string(where), "JSON larger than " + std::to_string(limits.max_bytes) + " bytes");
  nlohmann::json rest;
  try {
    StreamingSax sax(rest, where, array_key, each, limits);
    nlohmann::json::sax_parse(text.begin(), text.end(), &sax);
  } catch (const Malformed& m) {
    throw InputError(std::string(where), "invalid JSON: " + m.reason);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(std::string(where), "invalid JSON: " + Reason(e.what()));
  }
  return rest;
}

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
