// mkimage: packs existing layer tars into a container image, with the fixture library's writers.
// Used by the benchmarks (bench/sbom.sh) and handy for trying customs by hand.
//
//   mkimage docker-archive OUT.tar LAYER.tar... [--tag NAME:TAG] [--layout legacy|blobs]
//   mkimage oci OUT_DIR|OUT.tar LAYER.tar... [--compress none|gzip|zstd]
//
// Layers are uncompressed tars (as `tar -cf` writes them), bottom first.
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "support/fixtures.h"

namespace ct = customs_test;

namespace {

int Usage() {
  std::fprintf(stderr,
               "usage: mkimage docker-archive OUT.tar LAYER.tar... [--tag NAME:TAG] [--layout legacy|blobs]\n"
               "       mkimage oci OUT_DIR|OUT.tar LAYER.tar... [--compress none|gzip|zstd]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) return Usage();
  const std::string kind = argv[1];
  const std::string out = argv[2];
  std::vector<std::string> layer_files;
  std::string tag = "customs-bench/image:latest", layout = "legacy", compress = "gzip";
  for (int i = 3; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--tag") tag = value();
    else if (a == "--layout") layout = value();
    else if (a == "--compress") compress = value();
    else if (a.rfind("--", 0) == 0) return Usage();
    else layer_files.push_back(a);
  }
  if (layer_files.empty()) return Usage();
  try {
    ct::TempDir work("mkimage");
    if (kind == "docker-archive") {
      std::vector<ct::Layer> layers;
      for (const auto& f : layer_files) layers.push_back(ct::LayerFromTarFile(work.path(), f, ct::Compression::kNone));
      ct::DockerArchiveOptions o;
      o.repo_tags = {tag};
      if (layout == "blobs") o.layout = ct::DockerLayout::kOciBlobs;
      else if (layout != "legacy") return Usage();
      ct::ImageInfo info = ct::WriteDockerArchive(out, layers, {}, o);
      std::printf("%s %s\n", out.c_str(), info.config_digest.c_str());
    } else if (kind == "oci") {
      ct::Compression c = compress == "none" ? ct::Compression::kNone
                          : compress == "zstd" ? ct::Compression::kZstd
                                               : ct::Compression::kGzip;
      if (compress != "none" && compress != "zstd" && compress != "gzip") return Usage();
      std::vector<ct::Layer> layers;
      for (const auto& f : layer_files) layers.push_back(ct::LayerFromTarFile(work.path(), f, c));
      ct::ImageInfo info = ct::WriteOciLayout(out, layers);
      std::printf("%s %s\n", out.c_str(), info.manifest_digest.c_str());
    } else {
      return Usage();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mkimage: %s\n", e.what());
    return 1;
  }
  return 0;
}
