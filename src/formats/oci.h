// Pure parsers for container image metadata: docker-archive manifest.json, OCI image layout files
// (oci-layout, index.json), image indexes and manifests (OCI and Docker v2 schema 2 media types) and
// image configs, plus platform selection. They read untrusted bytes and throw only customs::Error
// (kExitInputRejected for bad input, kExitUsage for a bad --platform), naming `where`. They do no
// I/O, so the registry client can reuse them for registry responses.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.h"

namespace customs::oci {

// ---- media types -------------------------------------------------------------------------------

inline constexpr std::string_view kMediaOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view kMediaOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view kMediaOciConfig = "application/vnd.oci.image.config.v1+json";
inline constexpr std::string_view kMediaOciLayer = "application/vnd.oci.image.layer.v1.tar";
inline constexpr std::string_view kMediaOciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
inline constexpr std::string_view kMediaOciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
inline constexpr std::string_view kMediaOciEmpty = "application/vnd.oci.empty.v1+json";
inline constexpr std::string_view kMediaDockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr std::string_view kMediaDockerManifestList =
    "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr std::string_view kMediaDockerConfig = "application/vnd.docker.container.image.v1+json";
inline constexpr std::string_view kMediaDockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";

enum class MediaKind {
  kUnknown,         // anything else (artifacts, signatures, attestations' blobs, ...)
  kIndex,           // OCI image index, Docker manifest list
  kManifest,        // OCI image manifest, Docker v2 schema 2 manifest
  kLegacyManifest,  // Docker v2 schema 1 (signed or not): recognised only to be refused clearly
  kConfig,          // OCI image config, Docker container image config
  kLayer,           // a filesystem layer customs can read (tar, gzip, zstd; foreign/non-distributable too)
  kEmpty,           // application/vnd.oci.empty.v1+json
};

// Classifies a media type (parameters such as "; charset=utf-8" are ignored).
MediaKind ClassifyMediaType(std::string_view media_type);

// ---- documents ---------------------------------------------------------------------------------

struct Descriptor {
  std::string media_type;
  std::string digest;                 // "<algorithm>:<encoded>", grammar-checked; sha256 ones are 64 lowercase hex
  std::optional<uint64_t> size;       // absent only when the document omitted it
  std::optional<Platform> platform;   // index entries only
  std::string artifact_type;
  std::vector<std::string> urls;
  std::map<std::string, std::string> annotations;
};

// docker save's manifest.json: one entry per saved image.
struct DockerManifestEntry {
  std::string config;                  // member name of the config JSON (as written)
  std::vector<std::string> repo_tags;  // may be empty
  std::vector<std::string> layers;     // member names of the layer tars, bottom first (as written)
};

struct Index {  // OCI image index, Docker manifest list, and an OCI layout's index.json
  int schema_version = 2;
  std::string media_type;  // may be empty (index.json often omits it)
  std::vector<Descriptor> manifests;
  std::map<std::string, std::string> annotations;
};

struct Manifest {  // OCI image manifest or Docker v2 schema 2 manifest
  int schema_version = 2;
  std::string media_type;  // may be empty
  std::string artifact_type;
  Descriptor config;
  std::vector<Descriptor> layers;
  std::optional<Descriptor> subject;
  std::map<std::string, std::string> annotations;
};

struct HistoryEntry {
  std::string created, created_by, author, comment;
  bool empty_layer = false;
};

struct ImageConfig {
  Platform platform;       // os / architecture / variant as the config writes them
  std::string os_version;  // "os.version"
  std::string created;     // RFC 3339, may be empty
  std::string rootfs_type; // "layers"
  std::vector<std::string> diff_ids;  // each a valid sha256 digest
  std::vector<HistoryEntry> history;
};

// manifest.json of `docker save`. An empty list is returned as is (the caller decides).
std::vector<DockerManifestEntry> ParseDockerManifest(std::string_view bytes,
                                                     const std::string& where = "manifest.json");
// The oci-layout file; returns imageLayoutVersion (must be 1.x.y).
std::string ParseOciLayout(std::string_view bytes, const std::string& where = "oci-layout");
// An image index or manifest list (also index.json). Refuses a document whose mediaType says it is
// something else.
Index ParseOciIndex(std::string_view bytes, const std::string& where = "index");
// An image manifest (OCI or Docker schema 2). Refuses schema 1 and documents that are indexes.
Manifest ParseOciManifest(std::string_view bytes, const std::string& where = "manifest");
// An image config. Requires rootfs.type "layers" and valid sha256 diff_ids.
ImageConfig ParseImageConfig(std::string_view bytes, const std::string& where = "config");
// What a JSON document is, from its mediaType, else from its shape ("manifests" -> index,
// "config"/"layers" -> manifest, schemaVersion 1 -> legacy). kUnknown when it cannot tell.
MediaKind DocumentKind(std::string_view bytes, const std::string& where = "document");

// created_by of each layer, bottom first: the history entries that are not empty_layer. The result
// may be shorter or longer than the layer list when the config's history is inconsistent.
std::vector<std::string> LayerHistory(const ImageConfig& config);

// ---- digests -----------------------------------------------------------------------------------

// True for "algorithm:encoded" per the image-spec grammar; a sha256 digest must also be 64 lowercase
// hex digits.
bool IsValidDigest(std::string_view digest);

// ---- platforms ---------------------------------------------------------------------------------

// Parses --platform "os/arch[/variant]" (lowercased). Throws UsageError when malformed.
Platform ParsePlatform(std::string_view spec);
// "os/arch[/variant]".
std::string FormatPlatform(const Platform& p);
// Canonical names: x86_64 -> amd64, aarch64 -> arm64 (variant v8), arm -> variant v7 when none,
// i386/i686 -> 386, armhf -> arm/v7, armel -> arm/v6; lowercase.
Platform NormalizePlatform(Platform p);
// Equal after normalization. When want.variant is empty, any variant of want's os/arch matches.
bool PlatformMatches(const Platform& have, const Platform& want);
// Index into `manifests` of the entry to use for `want`: an exact (normalized) match first, else, if
// `want` names no variant, the first entry with the same os and architecture. Entries without a
// platform never match. nullopt when none does.
std::optional<size_t> SelectPlatform(const std::vector<Descriptor>& manifests, const Platform& want);
// "linux/amd64, linux/arm64/v8" for the entries that carry a platform (deduplicated, in order).
std::string ListPlatforms(const std::vector<Descriptor>& manifests);

}  // namespace customs::oci
