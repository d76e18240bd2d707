// Feeds arbitrary bytes to every advisory feed parser's in-memory entry point (Feed::ParseBytes).
// The first byte picks the parser and the name hint (JSON vs YAML); malformed input must end in
// Sink::Skip, never a crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"
#include "db/feeds/feed.h"

namespace {

struct NullSink : customs::db::Sink {
  size_t n = 0;
  void Advisory(customs::db::AdvisoryRecord&& r) override { n += r.affected.size() + 1; }
  void Kev(customs::db::KevRecord&&) override { ++n; }
  void Nvd(customs::db::NvdRecord&&) override { ++n; }
  void Skip(const std::string&, const std::string&) override { ++n; }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const auto& feeds = customs::db::Feeds();
  const uint8_t sel = data[0];
  const auto* feed = feeds[sel % feeds.size()];
  static const char* const kNames[] = {"input.json", "input.yaml", "DSA.list", "RUSTSEC-0000-0000.md"};
  std::string name = kNames[(sel / feeds.size()) % 4];
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  NullSink sink;
  try {
    feed->ParseBytes(body, name, sink);
  } catch (const customs::LimitError&) {
    // a crossed limit (formats/json, formats/yaml) rejects the feed file: expected, not a crash
  }
  return 0;
}
