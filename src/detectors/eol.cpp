#include "detectors/eol.h"

#include <map>

namespace customs {

namespace {

// Published end-of-support dates. Alpine: the branch's end of support on alpinelinux.org/releases.
// Debian: end of (LTS) security support on wiki.debian.org/LTS. Ubuntu: end of standard support.
const std::map<std::string, std::string>& Table() {
  static const std::map<std::string, std::string> kEol = {
      {"alpine:3.3", "2017-05-01"},  {"alpine:3.4", "2018-05-01"},  {"alpine:3.5", "2018-11-01"},
      {"alpine:3.6", "2019-05-01"},  {"alpine:3.7", "2019-11-01"},  {"alpine:3.8", "2020-05-01"},
      {"alpine:3.9", "2020-11-01"},  {"alpine:3.10", "2021-05-01"}, {"alpine:3.11", "2021-11-01"},
      {"alpine:3.12", "2022-05-01"}, {"alpine:3.13", "2022-11-01"}, {"alpine:3.14", "2023-05-01"},
      {"alpine:3.15", "2023-11-01"}, {"alpine:3.16", "2024-05-23"}, {"alpine:3.17", "2024-11-22"},
      {"alpine:3.18", "2025-05-09"}, {"alpine:3.19", "2025-11-01"}, {"alpine:3.20", "2026-04-01"},
      {"alpine:3.21", "2026-11-01"}, {"alpine:3.22", "2027-05-01"},
      {"debian:8", "2020-06-30"},    {"debian:9", "2022-06-30"},    {"debian:10", "2024-06-30"},
      {"debian:11", "2026-08-31"},   {"debian:12", "2028-06-30"},   {"debian:13", "2030-06-30"},
      {"ubuntu:16.04", "2021-04-30"}, {"ubuntu:18.04", "2023-05-31"}, {"ubuntu:20.04", "2025-05-29"},
      {"ubuntu:22.04", "2027-06-01"}, {"ubuntu:24.04", "2029-05-31"},
  };
  return kEol;
}

}  // namespace

std::optional<std::string> EndOfLife(const OSInfo& os) {
  std::string v = os.version;
  if (os.family == "debian") {
    v = v.substr(0, v.find('.'));
  } else {
    size_t dot = v.find('.');
    if (dot != std::string::npos) {
      size_t dot2 = v.find('.', dot + 1);
      if (dot2 != std::string::npos) v = v.substr(0, dot2);
    }
  }
  auto it = Table().find(os.family + ":" + v);
  if (it == Table().end()) return std::nullopt;
  return it->second;
}

}  // namespace customs
