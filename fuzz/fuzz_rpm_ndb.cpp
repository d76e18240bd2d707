// libFuzzer target: the ndb Packages.db reader (analyzers/rpm_ndb.cpp) and what the rpm analyzer
// does with its blobs (librpm's headerImport, then the header -> package code).
//   1. The input as a Packages.db: the reader must check every offset, count, length and checksum.
//   2. The input as the header blob of one package in a well-formed Packages.db (checksum made
//      right here), so that arbitrary header bytes get past the framing to headerImport() and the
//      package code; mutations alone would hardly ever produce a matching adler32.
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "analyzers/analyzer.h"
#include "analyzers/rpm_ndb.h"

namespace customs {
std::unique_ptr<Analyzer> Make_rpm();
}

namespace {

class OneFileView final : public customs::FileView {
 public:
  explicit OneFileView(std::string_view content) : content_(content) {}
  std::optional<std::string_view> Read(std::string_view path) const override {
    if (path == "var/lib/rpm/Packages.db") return content_;
    return std::nullopt;
  }
  std::vector<std::string> Paths() const override { return {"var/lib/rpm/Packages.db"}; }

 private:
  std::string_view content_;
};

void Put(std::string& s, size_t off, uint32_t v) {
  for (int i = 0; i < 4; ++i) s[off + i] = static_cast<char>(v >> (8 * i));
}

// A one-page ndb file holding `blob` as package 1 (layout: see analyzers/rpm_ndb.cpp).
std::string Wrap(std::string_view blob) {
  std::string f(4096, '\0');
  for (size_t o = 32; o < f.size(); o += 16) Put(f, o, 0x746f6c53);  // "Slot"
  Put(f, 0, 0x506d7052);                                             // "RpmP"
  Put(f, 12, 1);
  Put(f, 16, 2);
  std::string b(16, '\0');
  Put(b, 0, 0x53626c42);  // "BlbS"
  Put(b, 4, 1);
  Put(b, 12, static_cast<uint32_t>(blob.size()));
  b.append(blob);
  b.resize((b.size() + 12 + 15) / 16 * 16 - 12, '\0');
  const uLong adler =
      adler32(adler32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(b.data()), static_cast<uInt>(b.size()));
  b.resize(b.size() + 12);
  Put(b, b.size() - 12, static_cast<uint32_t>(adler));
  Put(b, b.size() - 8, static_cast<uint32_t>(blob.size()));
  Put(b, b.size() - 4, 0x45626c42);  // "BlbE"
  Put(f, 32 + 4, 1);
  Put(f, 32 + 8, static_cast<uint32_t>(f.size() / 16));
  Put(f, 32 + 12, static_cast<uint32_t>(b.size() / 16));
  return f + b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto rpm = customs::Make_rpm();
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  customs::rpm_ndb::Contents contents;
  std::string error;
  if (customs::rpm_ndb::Read(input, contents, error)) {
    for (const auto& b : contents.blobs) {
      // Every blob handed out lies inside the input.
      if (b.header.data() < input.data() || b.header.data() + b.header.size() > input.data() + input.size())
        __builtin_trap();
    }
  }

  customs::AnalysisResult out;
  rpm->AnalyzeView(OneFileView(input), 0, out);

  if (!input.empty()) {
    const std::string wrapped = Wrap(input);
    customs::AnalysisResult out2;
    rpm->AnalyzeView(OneFileView(wrapped), 0, out2);
  }
  return 0;
}
