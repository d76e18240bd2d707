#include "support/registry_fixture.h"

#include <sstream>
#include <stdexcept>

#include "support/fixtures.h"

namespace customs_test {

std::unique_ptr<TestRegistry> TestRegistry::Start(Mode mode, std::string* reason) {
  const std::string script = SourceDir() + "/scripts/registry.sh";
  const char* name = mode == Mode::kPlain ? "plain" : mode == Mode::kTlsAuth ? "tls-auth" : "tls-token";
  RunResult r = Run({"bash", script, "start", name});
  if (r.exit_code == 3) {
    if (reason) *reason = r.err;
    return nullptr;
  }
  if (r.exit_code != 0) throw std::runtime_error("scripts/registry.sh start failed: " + r.Describe());
  std::unique_ptr<TestRegistry> reg(new TestRegistry());
  reg->mode_ = mode;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string k = line.substr(0, eq), v = line.substr(eq + 1);
    if (k == "DIR") reg->dir_ = v;
    else if (k == "HOST") reg->host_ = v;
    else if (k == "LOG") reg->log_ = v;
    else if (k == "CA") reg->ca_ = v;
    else if (k == "USERNAME") reg->user_ = v;
    else if (k == "PASSWORD") reg->password_ = v;
  }
  if (reg->dir_.empty() || reg->host_.empty())
    throw std::runtime_error("scripts/registry.sh start printed no DIR/HOST: " + r.out);
  if (mode != Mode::kPlain) {
    // skopeo trusts the *.crt files of a certificate directory.
    reg->cert_dir_ = reg->dir_ + "/skopeo-certs";
    Run({"mkdir", "-p", reg->cert_dir_});
    WriteFile(reg->cert_dir_ + "/ca.crt", ReadFile(reg->ca_));
  }
  return reg;
}

TestRegistry::~TestRegistry() {
  if (!dir_.empty()) Run({"bash", SourceDir() + "/scripts/registry.sh", "stop", dir_});
}

std::string TestRegistry::BlobDataPath(const std::string& digest) const {
  std::string hex = digest.substr(digest.find(':') + 1);
  return storage() + "/docker/registry/v2/blobs/sha256/" + hex.substr(0, 2) + "/" + hex + "/data";
}

void TestRegistry::Push(const std::string& source, const std::string& dest) const {
  std::vector<std::string> argv = {"skopeo", "--insecure-policy", "copy", "--quiet"};
  if (mode_ == Mode::kPlain) {
    argv.push_back("--dest-tls-verify=false");
  } else {
    argv.push_back("--dest-cert-dir=" + cert_dir_);
    argv.push_back("--dest-creds=" + user_ + ":" + password_);
  }
  argv.push_back(source);
  argv.push_back("docker://" + host_ + "/" + dest);
  RunOptions o;
  o.timeout_seconds = 300;
  // skopeo keeps state under $HOME and $XDG_RUNTIME_DIR; a private one keeps tests independent.
  o.env = {"XDG_RUNTIME_DIR=" + dir_, "REGISTRY_AUTH_FILE=" + dir_ + "/skopeo-auth.json"};
  RunResult r = Run(argv, o);
  if (r.exit_code != 0) throw std::runtime_error("skopeo copy " + source + " failed: exit " +
                                                 std::to_string(r.exit_code) + ": " + r.err);
}

}  // namespace customs_test
