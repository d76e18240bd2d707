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

// Severity, CVSS, KEV, EPSS, title, references... from the advisory details. The severity, in order
// (docs/risk.md): the distribution's own rating word (`feed_severity` of an OS feed, when
// `distro_feed`), NVD's primary CVSS, the feed's own CVSS (`feed_severity` when it is a vector, or a
// vector the record carries), a language feed's rating word, a CNA's CVSS through NVD; within one
// source the newest CVSS version (4.0 > 3.1 > 3.0 > 2). Title and description fall back to NVD's.
void Enrich(VulnFinding& f, const db::AdvisoryDetails* details, const std::string& feed_severity,
            const std::optional<db::KevInfo>& kev, const std::string& feed_source, bool distro_feed = true);

// A title from a description: its first sentence, at most 100 characters (cut at a word, "...").
std::string TitleFromDescription(std::string_view description);

DataSource DataSourceFor(const std::string& source_name);

}  // namespace customs
