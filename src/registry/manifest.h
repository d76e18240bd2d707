// What a registry served under /v2/<repo>/manifests/<ref>: an image manifest (OCI, Docker v2 schema 2)
// or an index (OCI image index, Docker manifest list), and the choice of a platform's manifest.
// Docker v2 schema 1 is refused with a clear message. The document parsers are source/oci.h's.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/types.h"
#include "formats/oci.h"

namespace customs::registry {

// The Accept header value for manifest requests: the four media types customs reads.
std::string ManifestAcceptHeader();

struct ParsedManifest {
  oci::MediaKind kind = oci::MediaKind::kUnknown;  // kIndex or kManifest
  oci::Index index;        // when kIndex
  oci::Manifest manifest;  // when kManifest
};

// Parses a manifest response: the kind from `content_type` when it names one, else from the body.
// InputError (customs::Error) for malformed documents, for schema 1 and for anything that is neither
// an index nor an image manifest.
ParsedManifest ParseManifest(std::string_view content_type, std::string_view body, const std::string& where);

// The index entry for `want` (attestation manifests skipped); nullopt when none fits.
std::optional<oci::Descriptor> SelectManifest(const oci::Index& index, const Platform& want);

}  // namespace customs::registry
