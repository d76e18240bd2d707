// Feeds arbitrary bytes to every advisory feed parser's in-memory entry point (Feed::ParseBytes).
// The first byte picks the parser (bits 0-2: index into Feeds(), modulo their number; 7: amazon_alas) and the name
// hint (bits 3-4: JSON, YAML, list, markdown), so seeds keep their parser when a feed is added;
// malformed input must end in Sink::Skip, never a crash, hang or leak. Gzip bodies (NVD .json.gz,
// EPSS .csv.gz) are decompressed by the parsers themselves. Bit 7 set: the body is an NVD .meta file
// for db::ParseNvdMeta instead (what it accepts must have a 64-hex-digit lowercase sha256).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"
#include "db/feeds/feed.h"
#include "db/update.h"

namespace {

struct NullSink : customs::db::Sink {
  size_t n = 0;
  void Advisory(customs::db::AdvisoryRecord&& r) override { n += r.affected.size() + 1; }
  void Kev(customs::db::KevRecord&&) override { ++n; }
  void Nvd(customs::db::NvdRecord&&) override { ++n; }
  void Epss(customs::db::EpssRecord&&) override { ++n; }
  void Skip(const std::string&, const std::string&) override { ++n; }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const auto& feeds = customs::db::Feeds();
  const uint8_t sel = data[0];
  const auto* feed = feeds[(sel & 7u) % feeds.size()];
  static const char* const kNames[] = {"input.json", "input.yaml", "DSA.list", "RUSTSEC-0000-0000.md"};
  std::string name = kNames[(sel >> 3) & 3u];
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  if (sel & 0x80u) {
    customs::db::NvdMeta meta;
    std::string error;
    if (customs::db::ParseNvdMeta(body, meta, error)) {
      if (meta.sha256.size() != 64 || meta.last_modified.empty()) __builtin_trap();
      for (char c : meta.sha256)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) __builtin_trap();
    } else if (error.empty()) {
      __builtin_trap();  // a rejection always says why
    }
    return 0;
  }
  NullSink sink;
  try {
    feed->ParseBytes(body, name, sink);
  } catch (const customs::LimitError&) {
    // a crossed limit (formats/json, formats/yaml) rejects the feed file: expected, not a crash
  }
  return 0;
}
