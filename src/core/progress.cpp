#include "core/progress.h"

#include <unistd.h>

#include <cstdio>

namespace customs {

Progress::Progress(bool allowed) : enabled_(allowed && isatty(STDERR_FILENO)) {}

Progress::~Progress() { Finish(); }

void Progress::Tick(bool force) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  if (!force && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  std::fprintf(stderr, "\r\033[Kscanning: %llu/%llu layers, %.1f MiB read",
               (unsigned long long)done_layers_.load(), (unsigned long long)total_layers_.load(),
               bytes_.load() / 1048576.0);
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::Finish() {
  std::lock_guard<std::mutex> lock(mu_);
  if (enabled_ && drawn_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
    drawn_ = false;
  }
}

}  // namespace customs
