#include "core/entry_path.h"

#include <cstring>

namespace customs {

bool IsNormalEntryPath(std::string_view p) {
  if (p.empty()) return true;
  if (p.front() == '/' || p.back() == '/' || std::memchr(p.data(), '\0', p.size())) return false;
  for (size_t i = 0;;) {
    size_t j = p.find('/', i);
    if (j == std::string_view::npos) j = p.size();
    const std::string_view comp = p.substr(i, j - i);
    if (comp.empty() || comp == "." || comp == "..") return false;
    if (j == p.size()) return true;
    i = j + 1;
  }
}

bool NormalizeEntryPath(std::string_view raw, std::string& out, std::string& reason) {
  out.clear();
  if (!raw.empty() && raw.front() == '/') {
    reason = "absolute path (entries must be relative to the image root)";
    return false;
  }
  size_t i = 0;
  while (i <= raw.size()) {
    size_t j = raw.find('/', i);
    if (j == std::string_view::npos) j = raw.size();
    std::string_view comp = raw.substr(i, j - i);
    if (comp == "..") {
      reason = "path traversal ('..' component escapes the image root)";
      return false;
    }
    if (!comp.empty() && comp != ".") {
      if (comp.find('\0') != std::string_view::npos) {
        reason = "NUL byte in path";
        return false;
      }
      if (!out.empty()) out.push_back('/');
      out.append(comp);
    }
    i = j + 1;
  }
  return true;
}

}  // namespace customs
