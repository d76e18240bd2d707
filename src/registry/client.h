// The OCI distribution client (libcurl): manifests, indexes and blobs of a registry, with the token
// flow, basic auth, ~/.docker/config.json credentials, a custom CA and explicit plain-HTTP registries.
// The signing commands (src/signing/) push and pull through the same client.
//
// This header is the contract between src/registry/ and its users; keep the signatures below stable.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace customs::registry {

// "alpine" -> docker.io/library/alpine:latest; "127.0.0.1:5000/a/b:1.0"; "host/repo@sha256:<hex>";
// "host/repo:tag@sha256:<hex>" (the digest wins; the tag is kept for display).
struct Reference {
  std::string registry;    // "127.0.0.1:5000", "docker.io" (the API host of docker.io is registry-1.docker.io)
  std::string repository;  // "library/alpine"
  std::string tag;         // "" when none
  std::string digest;      // "sha256:<hex>" or ""
  static Reference Parse(std::string_view text);  // UsageError on a malformed reference
  std::string String() const;      // canonical text (registry/repository[:tag][@digest])
  std::string Repository() const;  // registry/repository
  Reference WithDigest(std::string d) const;
  Reference WithTag(std::string t) const;     // drops the digest
};

// Why a registry operation failed; verify and scan map each to its own message and exit code.
class RegistryError : public std::runtime_error {
 public:
  enum class Kind { kUnreachable, kAuth, kNotFound, kDigestMismatch, kProtocol, kTooLarge };
  RegistryError(Kind k, const std::string& what) : std::runtime_error(what), kind(k) {}
  Kind kind;
};

struct ClientOptions {
  std::string ca_file;                          // --cacert: PEM bundle trusted for TLS
  std::vector<std::string> insecure_registries; // --insecure HOST: plain HTTP to exactly these hosts
  std::string docker_config;                    // default $DOCKER_CONFIG/config.json or ~/.docker/config.json
  std::string username, password;               // explicit credentials (win over docker config)
  std::string user_agent = "customs";
  uint64_t max_blob_bytes = 0;                  // StreamBlob refuses (kTooLarge) blobs past this; 0: no limit
};

struct Manifest {
  std::string media_type;  // Content-Type as served (or the body's mediaType)
  std::string digest;      // "sha256:<hex>" of body (verified against the requested digest)
  std::string body;        // raw bytes
};

class Client {
 public:
  explicit Client(ClientOptions opts);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // By tag or digest. Accepts OCI/Docker manifests and indexes. kNotFound when absent.
  Manifest GetManifest(const Reference& ref);
  std::optional<Manifest> FindManifest(const Reference& ref);  // nullopt instead of kNotFound
  // PUT a manifest under ref's tag (or digest when it has no tag); returns its digest.
  std::string PutManifest(const Reference& ref, std::string_view media_type, std::string_view body);

  // Small blobs (configs, signature payloads) in memory, verified by digest; kTooLarge past max_bytes.
  std::string GetBlob(const Reference& repo, const std::string& digest, uint64_t max_bytes = 64u << 20);
  // Streams a blob to `sink` in chunks, verifying the digest at the end (kDigestMismatch).
  void StreamBlob(const Reference& repo, const std::string& digest,
                  const std::function<void(const void*, size_t)>& sink);
  bool HasBlob(const Reference& repo, const std::string& digest);
  // Monolithic upload (POST + PUT ?digest=); a no-op when the blob exists. Returns "sha256:<hex>".
  std::string PutBlob(const Reference& repo, std::string_view data);

  // GET /v2/ with the configured credentials (for `customs registry login`): returns when the registry
  // accepts them (or needs none); RegistryError kAuth when it refuses them.
  void CheckLogin(const std::string& registry);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace customs::registry
