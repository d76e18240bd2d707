// Limits that protect the scanner from hostile input. Every one has a command-line flag.
#pragma once

#include <cstdint>

namespace customs {

struct Limits {
  // Largest uncompressed layer (or rootfs tarball) stream: --max-layer-size.
  uint64_t max_layer_bytes = 32ull << 30;
  // Largest single file inside a layer: --max-file-size.
  uint64_t max_file_bytes = 8ull << 30;
  // Decompression bomb guard: once a stream has produced more than `ratio_check_after_bytes`,
  // output/input may not exceed this ratio: --max-compression-ratio.
  double max_compression_ratio = 500.0;
  uint64_t ratio_check_after_bytes = 256ull << 20;
  // Largest JSON document (manifest, index, config) read into memory.
  uint64_t max_metadata_bytes = 64ull << 20;
  // Largest file an analyzer receives in memory (package databases and the like); larger wanted
  // files are skipped with a warning.
  uint64_t max_analyzed_file_bytes = 512ull << 20;
  // Total of the file contents the walker keeps in memory until the scan ends (view analyzers' files,
  // small files kept for link resolution), over every layer: --max-kept-size.
  uint64_t max_kept_bytes = 4ull << 30;
  // Most entries in one layer.
  uint64_t max_entries_per_layer = 10'000'000;
  // Symlink hops while resolving one path.
  int max_symlink_hops = 40;
};

}  // namespace customs
