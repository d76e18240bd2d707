#include "analyzers/version_split.h"

#include <charconv>

namespace customs {

namespace {

bool ParseEpoch(std::string_view s, uint32_t& out) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

bool SplitDebianVersion(std::string_view version, VersionParts& out, std::string& reason) {
  out = VersionParts{};
  std::string_view rest = version;
  if (size_t colon = rest.find(':'); colon != std::string_view::npos) {
    if (!ParseEpoch(rest.substr(0, colon), out.epoch)) {
      reason = "invalid epoch in version \"" + std::string(version) + "\"";
      return false;
    }
    rest.remove_prefix(colon + 1);
  }
  if (size_t dash = rest.rfind('-'); dash != std::string_view::npos) {
    out.release = std::string(rest.substr(dash + 1));
    rest = rest.substr(0, dash);
  }
  if (rest.empty()) {
    reason = "empty upstream version in \"" + std::string(version) + "\"";
    return false;
  }
  out.upstream = std::string(rest);
  return true;
}

VersionParts SplitApkVersion(std::string_view version) {
  VersionParts out;
  size_t r = version.rfind("-r");
  if (r != std::string_view::npos && r > 0 && AllDigits(version.substr(r + 2))) {
    out.upstream = std::string(version.substr(0, r));
    out.release = std::string(version.substr(r + 1));
  } else {
    out.upstream = std::string(version);
  }
  return out;
}

bool ParseSourceRpm(std::string_view file, SourceRpm& out) {
  std::string_view s = file;
  if (s.ends_with(".src.rpm")) {
    s.remove_suffix(8);
  } else if (s.ends_with(".nosrc.rpm")) {
    s.remove_suffix(10);
  } else {
    return false;
  }
  size_t last = s.rfind('-');
  if (last == std::string_view::npos || last == 0) return false;
  size_t prev = s.rfind('-', last - 1);
  if (prev == std::string_view::npos || prev == 0) return false;
  out.name = std::string(s.substr(0, prev));
  out.version = std::string(s.substr(prev + 1, last - prev - 1));
  out.release = std::string(s.substr(last + 1));
  return !out.version.empty() && !out.release.empty();
}

}  // namespace customs
