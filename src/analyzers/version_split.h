// Splitting of package version strings into epoch, upstream version and release, per ecosystem.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace customs {

struct VersionParts {
  uint32_t epoch = 0;
  std::string upstream;
  std::string release;  // empty when the version has none
};

// Debian version ([epoch:]upstream[-revision], Debian Policy 5.6.12): the epoch is the unsigned
// number before the first ':', the revision is everything after the LAST '-' (the upstream part
// may itself contain hyphens). Returns false with `reason` when the epoch is not a number or the
// upstream part is empty.
bool SplitDebianVersion(std::string_view version, VersionParts& out, std::string& reason);

// apk version (upstream[-rN]): the release is the "rN" package revision after the last "-r" when
// N is a number; apk has no epoch.
VersionParts SplitApkVersion(std::string_view version);

// An rpm SOURCERPM value "NAME-VERSION-RELEASE.src.rpm" (or ".nosrc.rpm"). The name may contain
// '-', the version and release may not (rpm forbids it), so the last two hyphens separate the
// fields. Returns false when the value does not have that shape.
struct SourceRpm {
  std::string name, version, release;
};
bool ParseSourceRpm(std::string_view file, SourceRpm& out);

}  // namespace customs
