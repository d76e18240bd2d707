#include "analyzers/python_util.h"

#include "analyzers/app_package.h"

#include "analyzers/text_util.h"

namespace customs::python {

namespace {

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// RFC 822 field names: printable ASCII except ':' and space.
bool IsFieldName(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 32 || u >= 127 || c == ':') return false;
  }
  return true;
}

}  // namespace

std::string Headers::Get(std::string_view name) const {
  for (const auto& [k, v] : fields)
    if (text::IEquals(k, name)) return v;
  return {};
}

bool Headers::Has(std::string_view name) const {
  for (const auto& f : fields)
    if (text::IEquals(f.first, name)) return true;
  return false;
}

std::vector<std::string> Headers::All(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : fields)
    if (text::IEquals(k, name)) out.push_back(v);
  return out;
}

Headers ParseHeaders(std::string_view content) {
  Headers h;
  if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);  // UTF-8 BOM
  auto lines = text::Lines(content);
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (text::IsBlank(line)) break;  // end of headers; the body (description) is not needed
    if (line.front() == ' ' || line.front() == '\t') {
      if (h.fields.empty()) {
        h.bad_line = i + 1;
        break;
      }
      h.fields.back().second += '\n';
      h.fields.back().second += text::Trim(line);
      continue;
    }
    if (i == 0 && line.starts_with("From ")) continue;  // mbox "unix from" line
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || !IsFieldName(line.substr(0, colon))) {
      h.bad_line = i + 1;
      break;
    }
    h.fields.emplace_back(std::string(line.substr(0, colon)), std::string(text::Trim(line.substr(colon + 1))));
  }
  return h;
}

std::string_view RequirementName(std::string_view req) {
  req = text::Trim(req);
  // PEP 508: ^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$, case-insensitive.
  size_t n = 0;
  while (n < req.size() && (IsAlnum(req[n]) || req[n] == '.' || req[n] == '_' || req[n] == '-')) ++n;
  while (n > 0 && !IsAlnum(req[n - 1])) --n;
  if (n == 0 || !IsAlnum(req[0])) return {};
  return req.substr(0, n);
}

std::string_view RequirementMarker(std::string_view req) {
  size_t semi = req.find(';');
  if (semi == std::string_view::npos) return {};
  return text::Trim(req.substr(semi + 1));
}

bool MarkerNamesExtra(std::string_view marker) {
  for (size_t pos = marker.find("extra"); pos != std::string_view::npos; pos = marker.find("extra", pos + 1)) {
    bool left_ok = pos == 0 || !(IsAlnum(marker[pos - 1]) || marker[pos - 1] == '_');
    size_t end = pos + 5;
    bool right_ok = end >= marker.size() || !(IsAlnum(marker[end]) || marker[end] == '_');
    if (left_ok && right_ok) return true;
  }
  return false;
}

Package MakePackage(std::string_view name, std::string_view version, std::string_view db_path,
                    std::string_view source) {
  Package p = MakeAppPackage("pypi", std::string(name), std::string(version), std::string(db_path));
  p.extra["source"] = source;
  return p;
}

}  // namespace customs::python
