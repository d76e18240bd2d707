#include "registry/manifest.h"

#include "core/error.h"

namespace customs::registry {

std::string ManifestAcceptHeader() {
  return std::string(oci::kMediaOciIndex) + ", " + std::string(oci::kMediaOciManifest) + ", " +
         std::string(oci::kMediaDockerManifestList) + ", " + std::string(oci::kMediaDockerManifest);
}

ParsedManifest ParseManifest(std::string_view content_type, std::string_view body, const std::string& where) {
  oci::MediaKind kind = oci::ClassifyMediaType(content_type);
  // Registries serve some documents as application/json or octet-stream: the body decides then.
  if (kind != oci::MediaKind::kIndex && kind != oci::MediaKind::kManifest && kind != oci::MediaKind::kLegacyManifest)
    kind = oci::DocumentKind(body, where);
  ParsedManifest out;
  out.kind = kind;
  switch (kind) {
    case oci::MediaKind::kIndex:
      out.index = oci::ParseOciIndex(body, where);
      return out;
    case oci::MediaKind::kManifest:
      out.manifest = oci::ParseOciManifest(body, where);
      return out;
    case oci::MediaKind::kLegacyManifest:
      throw InputError(where, "Docker image manifest schema 1 is not supported (deprecated since 2017; re-push the "
                              "image with a current docker, buildah or skopeo to get a schema 2 or OCI manifest)");
    default: {
      std::string ct(content_type.substr(0, 100));
      throw InputError(where, "neither an image manifest nor an image index" +
                                  (ct.empty() ? std::string() : " (Content-Type \"" + ct + "\")"));
    }
  }
}

std::optional<oci::Descriptor> SelectManifest(const oci::Index& index, const Platform& want) {
  std::vector<oci::Descriptor> usable;
  for (const auto& d : index.manifests) {
    auto ref = d.annotations.find("vnd.docker.reference.type");
    if (ref != d.annotations.end() && ref->second == "attestation-manifest") continue;
    auto kind = oci::ClassifyMediaType(d.media_type);
    if (kind != oci::MediaKind::kManifest && kind != oci::MediaKind::kIndex) continue;
    usable.push_back(d);
  }
  auto pick = oci::SelectPlatform(usable, want);
  if (!pick) return std::nullopt;
  return usable[*pick];
}

}  // namespace customs::registry
