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
  // Packages this one depends on. OS packages: names, as the database lists them (possibly with a
  // ":<arch>" suffix). Language packages: "name", or "name@version" when the lockfile (or the
  // installed tree) pins which version is used; split at the last '@' that is not at position 0,
  // so "@babel/core@7.0.0" is "@babel/core" at "7.0.0" and "@babel/core" alone is a bare name.
  std::vector<std::string> depends;
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

// A credential found in a file of the artifact, in the layer that wrote that file. The rule's
// metadata (category, title, severity) stays with the rule set; detectors look it up by id.
struct SecretMatch {
  std::string path;        // file (normalized), as the layer wrote it
  int layer = -1;          // layer that wrote the file (-1: no layers)
  std::string rule_id;
  std::string secret;      // the full value; reports mask it unless asked not to
  uint64_t line = 0, column = 0, end_line = 0;  // 1-based; column in bytes
  std::string snippet;     // the line around it, unmasked
  int removed_in_layer = -1;  // a later layer deleted (or replaced) the file: the secret stays in this layer
  bool replaced = false;      // true: overwritten by another file; false: deleted (whiteout)
};

// Everything found in the artifact: what it carries.
struct Inventory {
  Artifact artifact;
  std::optional<OSInfo> os;
  std::vector<LayerInfo> layers;
  std::vector<Package> packages;  // sorted by (db_path, name, version, arch)
  uint64_t file_count = 0;        // regular files in the final (squashed) view
  std::vector<Diagnostic> diagnostics;
  std::vector<SecretMatch> secrets;  // every layer's, sorted by (layer, path, line, column, rule)
};

}  // namespace customs
