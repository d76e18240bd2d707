// Fuzzes the image metadata parsers of src/source/oci.h (docker-archive manifest.json, oci-layout,
// image indexes, manifests, configs, platform selection) on arbitrary bytes. Inputs that look like a
// tar are also loaded as an image archive (tar scanning, member lookup through symlinks and hard
// links, digest checks). Only customs::Error may escape the code under test: anything else (another
// exception, a crash, a sanitizer report) is a bug.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

#include "core/error.h"
#include "formats/oci.h"
#include "source/source.h"

namespace {

using namespace customs;

template <class F>
void Guarded(F&& f) {
  try {
    f();
  } catch (const Error&) {
  }
}

void Exercise(const std::vector<oci::Descriptor>& descs) {
  static const char* const kWants[] = {"linux/amd64", "linux/arm64", "linux/arm/v6", "windows/amd64/v3"};
  for (const char* w : kWants) {
    Platform want = oci::ParsePlatform(w);
    if (auto i = oci::SelectPlatform(descs, want); i && *i >= descs.size()) __builtin_trap();
  }
  (void)oci::ListPlatforms(descs);
  for (const auto& d : descs) {
    (void)oci::ClassifyMediaType(d.media_type);
    if (!oci::IsValidDigest(d.digest)) __builtin_trap();  // the parser only accepts valid digests
    if (d.platform) (void)oci::FormatPlatform(oci::NormalizePlatform(*d.platform));
  }
}

bool LooksLikeTar(std::string_view in) {
  return in.size() >= 512 && (in.substr(257, 5) == "ustar" || (in.size() >= 2 && uint8_t(in[0]) == 0x1f && uint8_t(in[1]) == 0x8b));
}

void LoadAsArchive(std::string_view in) {
  static const std::string path = "/tmp/fuzz_oci_manifest." + std::to_string(::getpid()) + ".tar";
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return;
  std::fwrite(in.data(), 1, in.size(), f);
  std::fclose(f);
  SourceOptions opts;
  opts.limits.max_metadata_bytes = 1 << 16;
  Guarded([&] {
    LoadedSource s = LoadImageArchive(path, opts);
    if (s.layers.size() != s.expect.size() || s.layers.size() != s.streams.size()) __builtin_trap();
  });
  ::unlink(path.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);  // "several images" warnings would flood the output
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (LooksLikeTar(in)) {
    LoadAsArchive(in);
    return 0;
  }
  Guarded([&] {
    auto entries = oci::ParseDockerManifest(in, "manifest.json");
    for (const auto& e : entries)
      if (e.config.empty()) __builtin_trap();
  });
  Guarded([&] { (void)oci::ParseOciLayout(in, "oci-layout"); });
  Guarded([&] { Exercise(oci::ParseOciIndex(in, "index.json").manifests); });
  Guarded([&] {
    oci::Manifest m = oci::ParseOciManifest(in, "manifest");
    std::vector<oci::Descriptor> all = m.layers;
    all.push_back(m.config);
    Exercise(all);
  });
  Guarded([&] {
    oci::ImageConfig c = oci::ParseImageConfig(in, "config");
    (void)oci::LayerHistory(c);
    (void)oci::PlatformMatches(c.platform, oci::ParsePlatform("linux/amd64"));
  });
  Guarded([&] { (void)oci::DocumentKind(in, "document"); });
  Guarded([&] { (void)oci::FormatPlatform(oci::NormalizePlatform(oci::ParsePlatform(in.substr(0, 64)))); });
  (void)oci::IsValidDigest(in.substr(0, 256));
  return 0;
}
