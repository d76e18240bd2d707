// THE distribution table: for every OS family the scanner detects, which package database it uses,
// its version order, how a scanned release becomes the vulnerability database's ecosystem key, which
// OSV ecosystem spellings name it, and which feeds cover it. The builder's key (db::NormalizeEcosystem
// over a feed's spelling) and the scanner's key (ReleaseKey over the detected OSInfo) are both computed
// here, so the two cannot drift apart.
//
// Keys: "<key>:<release>" ("alpine:v3.18", "debian:bookworm", "ubuntu:22.04", "rhel:9", "almalinux:9",
// "rocky:9", "sles:15.5", "opensuse-leap:15.5", "amzn:2023"), or "<key>" alone for rolling
// distributions ("wolfi", "chainguard", "opensuse-tumbleweed").
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "core/ecosystem.h"
#include "core/types.h"

namespace customs::distro {

// How the release part of a key is built from a scanned OSInfo.
enum class Release {
  kAlpineBranch,  // "v" + major.minor of the exact version: "3.18.4" -> "v3.18"
  kDebian,        // the codename (os-release VERSION_CODENAME, debian_version "trixie/sid"), else the
                  // codename of the major number: "12.5" -> "bookworm"
  kMajorMinor,    // "22.04", "15.5"
  kMajor,         // "9.3" -> "9", "2023.4.20240319" -> "2023"
  kRolling,       // no release: one key for the whole distribution
};

// How the release part of a key is read from the rest of an OSV ecosystem name (after "Head:").
enum class OsvForm {
  kNone,          // no OSV ecosystem names this distribution
  kAlpine,        // "Alpine:v3.18"
  kDebian,        // "Debian:11" (a number, mapped to its codename)
  kUbuntu,        // "Ubuntu:22.04:LTS", "Ubuntu:24.10"; "Ubuntu:Pro:18.04:LTS" stays its own key
  kRedHat,        // "Red Hat:enterprise_linux:9::baseos" -> "9"; other Red Hat products (rhel_eus, ...) none
  kMajor,         // "AlmaLinux:9", "Rocky Linux:8"
  kSles,          // "SUSE:Linux Enterprise Server 15 SP5", "SUSE:Linux Enterprise Module for Basesystem 15 SP5"
  kOpenSuseLeap,  // "openSUSE:Leap 15.5"
  kOpenSuseTumbleweed,  // "openSUSE:Tumbleweed"
  kRolling,       // "Wolfi", "Chainguard": no release
};

struct Distro {
  std::string_view key;   // the key's head: "alpine", "rhel", "opensuse-leap", "amzn"
  std::string_view name;  // "Red Hat Enterprise Linux"
  // OSInfo::family values (analyzers/os_release.cpp folds os-release IDs: "amzn" -> "amazon").
  std::span<const std::string_view> families;
  std::span<const std::string_view> os_release_ids;  // os-release ID values ("amzn")
  std::string_view pkg_type;  // Package::type of its package database: "apk", "dpkg", "rpm"
  ecosystem::Scheme scheme;   // version order of its packages and fixed versions
  Release release;
  std::string_view osv_name;  // OSV ecosystem head ("Red Hat", "Rocky Linux"); "" when none
  OsvForm osv_form;
  // The `db update` sources whose records carry this distribution's keys ("osv-rocky"); "" when no feed
  // covers it (its scans get the no-data notice).
  std::string_view feeds;
  std::string_view versions;  // the releases the feeds cover, for people ("3.19-3.22", "8, 9")
  std::string_view note;      // what customs does not do for it, or how it treats it
};

// Every row, in table order.
std::span<const Distro> All();
// The row of an OSInfo::family ("amazon", "opensuse.leap"); nullptr when the table has none.
const Distro* ForFamily(std::string_view family);
// The row whose key or OSV ecosystem head starts `ecosystem` (up to its first ':'), ASCII
// case-insensitively: "rhel:9", "Red Hat:enterprise_linux:9::baseos", "Wolfi"; nullptr otherwise.
const Distro* ForEcosystem(std::string_view ecosystem);

// The database key the scanner asks for a detected OS. Families the table has no row for get
// "<family>:<major>" (never stored by any feed, so their scans get the no-data notice).
std::string ReleaseKey(const OSInfo& os);
// The database key of an OSV ecosystem name or of a key already normalized ("Alpine:v3.18",
// "alpine:3.18", "Debian:11", "debian:bullseye", "Ubuntu:22.04:LTS", "Red Hat:enterprise_linux:9::appstream",
// "AlmaLinux:9", "SUSE:Linux Enterprise Server 15 SP5", "openSUSE:Leap 15.5", "Wolfi"); "" when the name
// is no distribution release the table knows (language ecosystems, Red Hat EUS streams, SUSE LTSS, ...).
std::string KeyFromOsv(std::string_view ecosystem);
// True when `ecosystem` (an OSV name or a key) belongs to a distribution of the table, even in a
// spelling KeyFromOsv does not map ("Red Hat:rhel_eus:9.2::appstream"): its ECOSYSTEM ranges' fixed
// events are distribution fixed versions.
bool IsDistroEcosystem(std::string_view ecosystem);

// Debian release number -> codename ("11" -> "bullseye", "11.7" -> "bullseye"); unknown numbers are
// returned lowercased and unchanged.
std::string DebianCodename(std::string_view release);

}  // namespace customs::distro
