// Vulnerability-scan fixtures for the e2e suites: the database built from the shared advisory
// snapshots (../shared/vulndata), the scan targets the vulnerability tests use (an Alpine
// minirootfs packed as a docker-archive, a Debian bullseye root filesystem from the shared dpkg
// status file), and reading customs' findings back as (package, id) pairs.
//
// Nothing here uses customs' own code: the database is made by running the built `customs db build`.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/fixtures.h"

namespace customs_test {

// The database built once per test process from SharedDir()/vulndata, returned as a path. It is
// cached in $TMPDIR/customs-vulndb-cache/ under a name keyed by the customs binary's mtime and size
// (built to a unique temporary name and renamed, so parallel ctest processes never see a partial
// file). Returns "" when the build failed; SharedVulnDbError() then says why.
std::string SharedVulnDb();
std::string SharedVulnDbError();

// Runs `customs db build --from FROM -o OUT` (CUSTOMS_FIXED_TIME set, so the content is
// reproducible).
RunResult BuildVulnDb(const std::string& from, const std::string& out);

// An Alpine minirootfs of the shared folder (by version, "3.7.3") packed as a one-layer
// docker-archive at `out_tar` (repo tag customs-test/alpine:<version>). Throws when the minirootfs is
// not there.
ImageInfo AlpineDockerArchive(const std::string& version, const std::string& out_tar);

// A bullseye root filesystem under `dir`: var/lib/dpkg/status = the shared bullseye-11.0.status,
// etc/os-release as Debian 11 writes it. Returns `dir`.
std::string BullseyeRootfs(const std::string& dir);

// (package name, id) pairs.
using FindingSet = std::set<std::pair<std::string, std::string>>;

// Every reported finding of the JSON report as (package name, vulnerability id).
FindingSet ReportFindings(const nlohmann::json& report);
// Every reported finding as (package name, each of id and aliases).
FindingSet ReportFindingIds(const nlohmann::json& report);
// The findings `expected` that customs reports (id or alias), and exactly-equal test: every
// expected pair is reported (by id or alias) and every reported finding (package, id) matches some
// expected pair for that package by its id or one of its aliases. `*diff` explains a mismatch.
bool FindingsEqual(const nlohmann::json& report, const FindingSet& expected, std::string* diff);

// All vulnerabilities of a package of the report (the JSON objects), with the package attached as
// "_package" (name) and "_purl".
std::vector<nlohmann::json> ReportVulnerabilities(const nlohmann::json& report);

// The findings the Debian security tracker lists (../shared/vulndata/debian-tracker/{DSA,DLA}.list)
// imply for the shared bullseye status file, computed without customs: an installed binary package
// is affected by an advisory's CVEs (or, when it names none, by the advisory id itself) when its
// source package (Source field, else its own name; the Source version in parentheses, else its own
// version) is listed for [bullseye] with a fixed version it is below (`dpkg --compare-versions`,
// batched in one shell), or with a tag other than `<not-affected>` (`<unfixed>`, `<end-of-life>`,
// `<no-dsa>`, ...: no fix for the release). `*log` (optional) gets one line per
// comparison made. Throws std::runtime_error when the inputs cannot be read or dpkg fails.
// `tracker_dir`: the folder holding DSA.list and DLA.list (default: the shared snapshot's).
FindingSet ExpectedBullseyeFindings(std::vector<std::string>* log = nullptr, const std::string& tracker_dir = "");

}  // namespace customs_test
