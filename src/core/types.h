// Core model types shared by every stage. No output format lives here: reporters translate these.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace customs {

// One installed package, whatever ecosystem it comes from.
struct Package {
  std::string type;       // package type: "apk", "dpkg", "rpm" (later "npm", "pypi", ...)
  std::string name;
  std::string version;    // full version string as the ecosystem writes it ("1:2.3-4", "1.2-r3", "1:2.3-4.el9")
  uint32_t epoch = 0;     // components of `version`
  std::string upstream;   // version without epoch and release ("2.3", "1.2")
  std::string release;    // "4", "r3", "4.el9"; empty when none
  std::string arch;
  std::string src_name;     // source package (dpkg Source, apk origin, rpm SOURCERPM name)
  std::string src_version;  // full source version; equals `version` when the database gives none
  uint32_t src_epoch = 0;
  std::string src_upstream;
  std::string src_release;
  std::vector<std::string> licenses;   // as the database writes them (SPDX expressions when it uses them)
  std::string maintainer;
  std::vector<std::string> depends;    // names of packages this one depends on (as the database lists them)
  std::vector<std::string> files;      // installed files the database lists, relative to the root ("usr/bin/x")
  std::map<std::string, std::string> extra;  // ecosystem-specific fields ("vendor", "modularitylabel", "checksum", ...)
  std::string db_path;    // database file the package was read from ("var/lib/dpkg/status")
  int layer = -1;         // index of the layer that introduced it (-1: unknown / no layers)
};

// The operating system of an image or root filesystem.
struct OSInfo {
  std::string family;    // "alpine", "debian", "ubuntu", "rhel", "centos", "rocky", "almalinux", "fedora",
                         // "amazon", "oracle", "opensuse", "photon", "wolfi", "chainguard", ...
  std::string name;      // pretty name ("Alpine Linux v3.9")
  std::string version;   // exact version ("3.9.6", "11.0", "12", "9.3")
  std::string codename;  // "bookworm", "jammy"; empty when unknown
  std::string source_file;  // file the facts came from
};

struct LayerInfo {
  int index = 0;
  std::string digest;      // blob digest as stored ("sha256:..."); empty for rootfs/fs
  std::string diff_id;     // sha256 of the uncompressed tar ("sha256:...")
  std::string media_type;
  uint64_t size = 0;               // stored (possibly compressed) size
  uint64_t uncompressed_size = 0;
  std::string created_by;  // from the image config history, when present
};

enum class ArtifactType { kContainerImage, kRootfs, kFilesystem };

struct Platform {
  std::string os, architecture, variant;
};

struct Artifact {
  ArtifactType type = ArtifactType::kFilesystem;
  std::string name;              // what the user named (path or reference)
  std::string image_id;          // config digest ("sha256:...")
  std::string manifest_digest;   // when known ("sha256:...")
  std::vector<std::string> repo_tags;
  std::vector<std::string> repo_digests;
  Platform platform;
  std::string created;           // RFC 3339 from the config, when present
  std::string config_json;       // raw image config (env, history, labels) for later detectors
};

// A non-fatal problem met during the scan ("file: reason"). Reported, never silently dropped.
struct Diagnostic {
  std::string where;
  std::string message;
};

// Everything found in the artifact: what it carries.
struct Inventory {
  Artifact artifact;
  std::optional<OSInfo> os;
  std::vector<LayerInfo> layers;
  std::vector<Package> packages;  // sorted by (db_path, name, version, arch)
  uint64_t file_count = 0;        // regular files in the final (squashed) view
  std::vector<Diagnostic> diagnostics;
};

}  // namespace customs
