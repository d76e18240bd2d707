// An SBOM as a scan target (`customs sbom FILE`): CycloneDX 1.4-1.6 JSON or SPDX 2.3 JSON, as customs,
// Trivy or Syft write them, read into the same Inventory an image scan builds, so that the detectors,
// policy and reporters run unchanged.
//
//   packages  from each component's (CycloneDX) or package's (SPDX externalRefs) purl: type from the
//             purl type (core/ecosystem.h), name with its namespace as the ecosystem spells it
//             (Maven group:artifact, npm @scope/name, Go module path), version with the deb/rpm epoch
//             qualifier put back ("1:2.36.1-7"); the source package (what Debian and Alpine publish
//             advisories by) from customs' or Trivy's SrcName/SrcVersion/SrcRelease/SrcEpoch
//             properties, SPDX's "built package from: NAME VERSION" sourceInfo, or Syft's `upstream`
//             qualifier; the package database or lockfile from DBPath/FilePath properties.
//   OS        from the operating-system component (CycloneDX) or OPERATING_SYSTEM package (SPDX), else
//             from the OS packages' purl namespace and `distro` qualifier.
//   artifact  the SBOM file as its name; repo tags/digests and the image id from the described
//             component's properties when present.
//
// Components without a purl, or with one of a type customs has no ecosystem for, are counted in a
// diagnostic, not dropped silently. The document is untrusted: bounded JSON (formats/json.h), at most
// kMaxSbomComponents components.
#pragma once

#include <string>
#include <string_view>

#include "core/types.h"

namespace customs {

inline constexpr size_t kMaxSbomComponents = 200'000;

struct ImportedSbom {
  Inventory inventory;
  std::string format;  // "CycloneDX 1.6", "SPDX-2.3"
};

// Throws customs::Error (kExitInput): not JSON, neither CycloneDX nor SPDX, an unsupported spec version,
// more than kMaxSbomComponents components; LimitError for the JSON limits.
ImportedSbom ImportSbom(std::string_view text, const std::string& where);

}  // namespace customs
