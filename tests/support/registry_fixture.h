// A real registry for the tests: Debian's docker-registry started by scripts/registry.sh on 127.0.0.1
// (plain HTTP, or TLS with a throwaway CA plus htpasswd basic auth), stopped on destruction; and
// images pushed to it with Debian's skopeo.
#pragma once

#include <memory>
#include <optional>
#include <string>

namespace customs_test {

class TestRegistry {
 public:
  // kTlsToken: TLS and the registry's token authentication (Bearer challenge, JWTs from the token
  // server scripts/registry.sh starts next to it).
  enum class Mode { kPlain, kTlsAuth, kTlsToken };
  // nullptr with `*reason` set when docker-registry (or htpasswd/openssl/python3) is missing;
  // throws std::runtime_error when the registry fails to start.
  static std::unique_ptr<TestRegistry> Start(Mode mode, std::string* reason);
  ~TestRegistry();

  Mode mode() const { return mode_; }
  const std::string& host() const { return host_; }      // "127.0.0.1:PORT"
  const std::string& dir() const { return dir_; }        // temp dir: config, storage, certificates
  const std::string& log() const { return log_; }        // the registry's log (access log included)
  const std::string& ca() const { return ca_; }          // kTlsAuth/kTlsToken: the CA certificate
  const std::string& username() const { return user_; }  // kTlsAuth/kTlsToken
  const std::string& password() const { return password_; }
  std::string storage() const { return dir_ + "/storage"; }
  // The file holding a blob in the registry's storage (filesystem driver layout).
  std::string BlobDataPath(const std::string& digest) const;

  // skopeo copy `source` (a skopeo transport reference: "oci:DIR:TAG", "oci-archive:FILE",
  // "docker-archive:FILE") to docker://host/<dest>. Throws std::runtime_error with skopeo's output.
  void Push(const std::string& source, const std::string& dest) const;

 private:
  TestRegistry() = default;
  Mode mode_ = Mode::kPlain;
  std::string host_, dir_, log_, ca_, user_, password_, cert_dir_;
};

}  // namespace customs_test
