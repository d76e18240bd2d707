// Fuzzes the layer stream (compression detection, gzip/zstd, libarchive tar parsing), path
// normalization and whiteout handling of the walker, and the squashed view, on arbitrary bytes.
#include <cstdint>
#include <cstring>
#include <string>

#include "core/entry_path.h"
#include "core/error.h"
#include "walker/squash.h"
#include "source/streams.h"
#include "walker/walker.h"

namespace {

class MemoryBytes : public customs::ByteSource {
 public:
  MemoryBytes(const uint8_t* d, size_t n) : d_(d), n_(n) {}
  size_t Read(char* buf, size_t n) override {
    size_t k = std::min(n, n_ - pos_);
    std::memcpy(buf, d_ + pos_, k);
    pos_ += k;
    return k;
  }

 private:
  const uint8_t* d_;
  size_t n_, pos_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  customs::LoadedSource src;
  src.artifact.type = customs::ArtifactType::kContainerImage;
  src.layers.push_back(customs::LayerInfo{});
  src.expect.push_back({});
  src.streams.push_back(customs::MakeLayerSource("fuzz", [data, size] {
    customs::Limits lim;
    lim.max_layer_bytes = 64 << 20;
    lim.ratio_check_after_bytes = 1 << 20;
    return customs::OpenTarStream(std::make_unique<MemoryBytes>(data, size), "fuzz", lim);
  }));
  try {
    customs::WalkOptions wo;
    wo.threads = 1;
    wo.limits.max_file_bytes = 16 << 20;
    auto scans = customs::WalkLayers(src, {}, wo);
    customs::SquashedView view(scans, {"fuzz"}, wo.limits);
    std::string out;
    for (const auto& [path, e] : view.Entries()) view.Resolve(path, out);
  } catch (const customs::Error&) {
  }
  return 0;
}
