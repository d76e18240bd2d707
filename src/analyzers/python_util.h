// Helpers shared by the Python analyzers (python_dist, python_requirements, python_poetry,
// python_pipenv, python_uv).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzers/text_util.h"
#include "core/types.h"

namespace customs::python {

// The header part of an RFC 822-style document (core metadata: METADATA, PKG-INFO). Hand-written,
// as no library here reads these: "Name: value" lines, continuation lines start with a space or tab
// and are joined to the previous value with '\n' (leading whitespace of the continuation kept out),
// the header ends at the first blank line; the body after it is ignored. As Python's email parser
// does, a line that is neither a header nor a continuation ends the headers (it starts the body);
// `bad_line` then holds its 1-based number.
struct Headers {
  std::vector<std::pair<std::string, std::string>> fields;  // in order, names as written
  size_t bad_line = 0;

  // First value of the field (case-insensitive name), or "" when absent.
  std::string Get(std::string_view name) const;
  bool Has(std::string_view name) const;
  // Every value of a repeatable field (Classifier, Requires-Dist).
  std::vector<std::string> All(std::string_view name) const;
};
Headers ParseHeaders(std::string_view content);

// The distribution name a PEP 508 requirement starts with ("requests[socks] (>=2) ; x" -> "requests");
// "" when it does not start with a valid name.
std::string_view RequirementName(std::string_view req);

// The environment-marker part of a PEP 508 requirement (after ';'), or "".
std::string_view RequirementMarker(std::string_view req);

// True when the marker refers to an extra ("extra == 'socks'"): an optional dependency.
bool MarkerNamesExtra(std::string_view marker);

using text::BaseName;

// True when `path` is `file` or ends with "/" + file.
inline bool IsFile(std::string_view path, std::string_view file) { return BaseName(path) == file; }

// A "pypi" package read from `db_path`, extra "source" = `source`; version fields filled.
Package MakePackage(std::string_view name, std::string_view version, std::string_view db_path,
                    std::string_view source);

}  // namespace customs::python
