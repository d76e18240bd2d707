// Deciding whether an installed version is affected by one database record, and turning advisory
// details into finding fields. Shared by the OS and (part 3) language detectors.
#pragma once

#include <string>

#include "db/vulndb.h"
#include "findings/findings.h"
#include "version/version.h"

namespace customs {

// True when `installed` falls in the record: below its fixed version (distro feeds), inside one of
// its ECOSYSTEM/SEMVER ranges (introduced/fixed/last_affected/limit), or listed in its versions.
// GIT ranges are not evaluated (counted by the caller). Unfixed records affect every version.
bool IsAffected(const db::Affected& rec, const std::string& installed, const version::Comparator& cmp);

// The first fixed version of the record that is above `installed` ("" when none).
std::string FixedVersionFor(const db::Affected& rec, const std::string& installed, const version::Comparator& cmp);

// Severity, CVSS, KEV, title, references... from the advisory details; `feed_severity` (the feed's
// own rating for this package) wins when it parses.
void Enrich(VulnFinding& f, const db::AdvisoryDetails* details, const std::string& feed_severity,
            const std::optional<db::KevInfo>& kev, const std::string& feed_source);

DataSource DataSourceFor(const std::string& source_name);

}  // namespace customs
