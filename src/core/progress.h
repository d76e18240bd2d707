// A progress line on stderr, only when stderr is a terminal and --quiet is not given.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace customs {

class Progress {
 public:
  // Enabled only when `allowed` and stderr is a terminal.
  explicit Progress(bool allowed);
  ~Progress();
  bool enabled() const { return enabled_; }
  void SetTotal(uint64_t layers) { total_layers_ = layers; }
  void LayerDone() { ++done_layers_; Tick(true); }
  void AddBytes(uint64_t n) { bytes_ += n; Tick(false); }
  void Finish();

 private:
  void Tick(bool force);
  bool enabled_ = false;
  std::atomic<uint64_t> total_layers_{0}, done_layers_{0}, bytes_{0};
  std::mutex mu_;
  std::chrono::steady_clock::time_point last_{};
  bool drawn_ = false;
};

}  // namespace customs
