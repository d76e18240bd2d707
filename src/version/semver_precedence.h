// Semantic Versioning 2.0.0 precedence (semver.org, section 11), shared by the semver, npm and go
// schemes: they differ in what they parse, not in how parsed versions are ordered.
#pragma once

#include <string_view>

namespace customs::version::detail {

struct SemverParts {
  std::string_view major, minor, patch;  // decimal digits
  std::string_view prerelease;           // without the '-'
  bool has_prerelease = false;
};

// Dot-separated pre-release identifiers: numeric ones compare as integers and sort below
// alphanumeric ones, which compare in ASCII order; a shorter list of equal identifiers sorts first.
int ComparePrerelease(std::string_view a, std::string_view b);

// major, minor, patch as integers, then a version with a pre-release below the same without one.
int CompareSemverParts(const SemverParts& x, const SemverParts& y);

}  // namespace customs::version::detail
