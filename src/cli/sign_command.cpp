// The signing commands, in cosign's formats (docs/signing.md):
//   customs key generate [--output-key-prefix cosign] [--force]
//   customs sign --key cosign.key IMAGE [-a key=value]...
//   customs verify --key cosign.pub IMAGE [--output text|json]
//   customs attest --key cosign.key --type cyclonedx|customs-scan|URI IMAGE [--predicate FILE]
//   customs verify-attestation --key cosign.pub [--type T] IMAGE [--print-predicate]
// Registry flags shared by all: --cacert FILE, --insecure HOST (plain HTTP to that host only).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/command.h"
#include "cli/scan.h"
#include "formats/json.h"
#include "core/error.h"
#include "core/log.h"
#include "registry/client.h"
#include "reporters/reporter.h"
#include "signing/keys.h"
#include "signing/password.h"
#include "signing/sign.h"

namespace customs {

namespace {

struct RegistryFlags {
  std::string cacert, username, password;
  std::vector<std::string> insecure;
  bool debug = false;
};

void AddRegistryFlags(CLI::App* cmd, RegistryFlags& f) {
  cmd->add_option("--cacert", f.cacert, "PEM bundle of CAs to trust for the registry's TLS certificate");
  cmd->add_option("--insecure", f.insecure, "talk plain HTTP to this registry HOST[:PORT] (repeatable)")
      ->type_size(1)
      ->expected(1);
  cmd->add_option("--username", f.username, "registry user name (default: ~/.docker/config.json)");
  cmd->add_option("--password", f.password,
                  "registry password (prefer CUSTOMS_REGISTRY_PASSWORD or customs registry login; the key's "
                  "password is CUSTOMS_PASSWORD)");
  cmd->add_flag("-d,--debug", f.debug, "debug logging on stderr");
}

registry::ClientOptions ClientOptionsFrom(const RegistryFlags& f) {
  InitLogging(f.debug ? LogLevel::kDebug : LogLevel::kNormal);
  registry::ClientOptions o;
  o.ca_file = f.cacert;
  o.insecure_registries = f.insecure;
  o.username = f.username;
  o.password = f.password;
  if (o.password.empty())
    if (const char* p = std::getenv("CUSTOMS_REGISTRY_PASSWORD"); p && *p) o.password = p;
  if (!o.password.empty() && o.username.empty())
    throw UsageError("--password (or CUSTOMS_REGISTRY_PASSWORD) needs --username");
  return o;
}

std::string ReadSmallFile(const std::string& path, size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path, std::strerror(errno));
  std::string data;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    data.append(buf, size_t(in.gcount()));
    if (data.size() > max_bytes) throw InputError(path, "too large (over " + std::to_string(max_bytes) + " bytes)");
  }
  if (in.bad()) throw IoError(path, "read failed");
  return data;
}

// Creates `path` with `mode` (O_EXCL unless `force`) and writes `data`.
void WriteNewFile(const std::string& path, const std::string& data, mode_t mode, bool force) {
  int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (force ? O_TRUNC : O_EXCL);
  int fd = ::open(path.c_str(), flags, mode);
  if (fd < 0) {
    if (errno == EEXIST) throw UsageError(path + " exists (use --force to overwrite)");
    throw IoError(path, std::strerror(errno));
  }
  if (force) ::fchmod(fd, mode);
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      ::close(fd);
      throw IoError(path, std::strerror(err));
    }
    off += size_t(n);
  }
  if (::close(fd) != 0) throw IoError(path, std::strerror(errno));
}

void Flush() {
  std::cout.flush();
  if (!std::cout) throw IoError("stdout", "write failed");
}

signing::PrivateKey LoadPrivateKey(const std::string& path) {
  const std::string pem = ReadSmallFile(path, 1 << 20);
  const std::string password = signing::ReadPassword("Enter password for private key: ", false);
  return signing::DecryptPrivateKeyPem(pem, password, path);
}

signing::PublicKey LoadPublicKey(const std::string& path) {
  return signing::PublicKey::FromPem(ReadSmallFile(path, 1 << 20), path);
}

int RunKeyGenerate(const std::string& prefix, bool force) {
  InitLogging(LogLevel::kNormal);
  if (prefix.empty()) throw UsageError("--output-key-prefix: empty");
  const std::string password = signing::ReadPassword("Enter password for private key: ", true);
  signing::PrivateKey key = signing::PrivateKey::Generate();
  const std::string private_pem = signing::EncryptPrivateKeyPem(key, password);
  const std::string public_pem = key.Public().Pem();
  WriteNewFile(prefix + ".key", private_pem, 0600, force);
  WriteNewFile(prefix + ".pub", public_pem, 0644, force);
  std::cerr << "Private key written to " << prefix << ".key\nPublic key written to " << prefix << ".pub\n";
  return kExitOk;
}

std::map<std::string, std::string> ParseAnnotations(const std::vector<std::string>& list) {
  std::map<std::string, std::string> out;
  for (const auto& a : list) {
    const size_t eq = a.find('=');
    if (eq == std::string::npos || eq == 0) throw UsageError("-a: '" + a + "' is not key=value");
    out[a.substr(0, eq)] = a.substr(eq + 1);
  }
  return out;
}

int RunSign(const std::string& key_path, const std::string& image, const std::vector<std::string>& annotations,
            const RegistryFlags& rf) {
  auto opts = ClientOptionsFrom(rf);
  const auto ann = ParseAnnotations(annotations);
  const registry::Reference ref = registry::Reference::Parse(image);
  signing::PrivateKey key = LoadPrivateKey(key_path);
  registry::Client client(opts);
  signing::SignResult r = signing::SignImage(client, ref, key, ann);
  std::cerr << "Pushed signature to " << r.signature_ref << (r.appended ? " (added to the signatures there)" : "")
            << "\n";
  std::cout << ref.Repository() << "@" << r.digest << "\n";
  Flush();
  return kExitOk;
}

int RunVerify(const std::string& key_path, const std::string& image, const std::string& output,
              const RegistryFlags& rf) {
  if (output != "text" && output != "json") throw UsageError("--output: '" + output + "' (text or json)");
  auto opts = ClientOptionsFrom(rf);
  const registry::Reference ref = registry::Reference::Parse(image);
  signing::PublicKey key = LoadPublicKey(key_path);
  registry::Client client(opts);
  signing::VerifyResult r = signing::VerifyImage(client, ref, key);
  std::cerr << "Verification for " << ref.Repository() << "@" << r.digest << " --\n"
            << "The following checks were performed on each of these signatures:\n"
            << "  - The cosign claims were validated (critical.image.docker-manifest-digest is the image's digest)\n"
            << "  - The signatures were verified against the specified public key\n";
  if (output == "text") {
    for (const auto& s : r.signatures) std::cout << s.payload << "\n";
  } else {
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (const auto& s : r.signatures) arr.push_back(ParseOrderedJson(s.payload, ref.Repository() + "@" + r.digest + " signature payload"));
    std::cout << arr.dump() << "\n";
  }
  Flush();
  return kExitOk;
}

// The predicate: a file, or customs' own scan of the image (CycloneDX SBOM or the JSON report): of the
// registry image pinned to the digest being attested, or of its archive given with --input.
nlohmann::ordered_json MakePredicate(const std::string& type, const std::string& predicate_file,
                                     const std::string& input, const std::string& pinned_ref,
                                     const registry::ClientOptions& opts, const std::string& cache_dir) {
  if (!predicate_file.empty()) {
    const std::string text = ReadSmallFile(predicate_file, 256u << 20);
    return ParseOrderedJson(text, predicate_file);
  }
  if (type != "cyclonedx" && type != "customs-scan")
    throw UsageError("--type " + type + ": give the predicate with --predicate FILE");
  ScanRequest req;
  if (input.empty()) {
    req.kind = TargetKind::kRegistryImage;
    req.path = pinned_ref;
    req.source.registry_cacert = opts.ca_file;
    req.source.registry_insecure = opts.insecure_registries;
    req.source.registry_username = opts.username;
    req.source.registry_password = opts.password;
    req.source.layer_cache_dir = cache_dir;
  } else {
    req.kind = TargetKind::kImageArchive;
    req.path = input;
  }
  if (type == "cyclonedx") req.scanners.clear();  // an SBOM: what the image carries
  else req.scanners = {"vuln", "secret"};
  ScanResult result = RunScan(req, nullptr);
  auto reporter = MakeReporter(type == "cyclonedx" ? "cyclonedx" : "json");
  if (!reporter) throw Error(kExitInternal, "no reporter for " + type);
  std::ostringstream buf;
  reporter->Write(result, ReportOptions{}, buf);
  auto j = nlohmann::ordered_json::parse(buf.str(), nullptr, false);
  if (j.is_discarded()) throw Error(kExitInternal, "the " + type + " report is not JSON");
  return j;
}

int RunAttest(const std::string& key_path, const std::string& image, const std::string& type,
              const std::string& predicate_file, const std::string& input, const std::string& cache_dir,
              const RegistryFlags& rf) {
  auto opts = ClientOptionsFrom(rf);
  const std::string predicate_type = signing::PredicateTypeFor(type);
  registry::Reference ref = registry::Reference::Parse(image);
  signing::PrivateKey key = LoadPrivateKey(key_path);
  registry::Client client(opts);
  // Pin the digest first: the scan and the attestation are of the same image even if the tag moves.
  ref = ref.WithDigest(signing::ResolveDigest(client, ref));
  nlohmann::ordered_json predicate = MakePredicate(type, predicate_file, input, ref.String(), opts, cache_dir);
  signing::AttestResult r = signing::AttestImage(client, ref, key, predicate_type, predicate);
  std::cerr << "Pushed attestation (" << predicate_type << ") to " << r.attestation_ref << "\n";
  std::cout << ref.Repository() << "@" << r.digest << "\n";
  Flush();
  return kExitOk;
}

int RunVerifyAttestation(const std::string& key_path, const std::string& image, const std::string& type,
                         bool print_predicate, const RegistryFlags& rf) {
  auto opts = ClientOptionsFrom(rf);
  const std::string predicate_type = type.empty() ? "" : signing::PredicateTypeFor(type);
  const registry::Reference ref = registry::Reference::Parse(image);
  signing::PublicKey key = LoadPublicKey(key_path);
  registry::Client client(opts);
  auto r = signing::VerifyAttestations(client, ref, key, predicate_type);
  std::cerr << "Verification for " << ref.Repository() << "@" << r.digest << " --\n"
            << "The following checks were performed on each of these attestations:\n"
            << "  - The DSSE signatures were verified against the specified public key\n"
            << "  - The in-toto statement's subject names the image's digest\n";
  for (const auto& a : r.attestations) {
    if (print_predicate) std::cout << a.statement.predicate.dump() << "\n";
    else std::cout << a.envelope << "\n";
  }
  Flush();
  return kExitOk;
}

}  // namespace

void RegisterCommands_sign(CLI::App& app, CommandSet& set) {
  struct State {
    std::string prefix = "cosign";
    bool force = false;
    std::string key, image, output = "text", type, predicate, input, cache_dir;
    std::vector<std::string> annotations;
    bool print_predicate = false;
    RegistryFlags sign_rf, verify_rf, attest_rf, vatt_rf;
  };
  auto st = std::make_shared<State>();

  auto* key = app.add_subcommand("key", "signing keys in cosign's format");
  key->require_subcommand(1);
  auto* gen = key->add_subcommand("generate", "write an ECDSA P-256 key pair: PREFIX.key (encrypted with a password "
                                              "from CUSTOMS_PASSWORD / COSIGN_PASSWORD or the terminal) and PREFIX.pub");
  gen->add_option("--output-key-prefix", st->prefix, "file name prefix (default cosign)")->capture_default_str();
  gen->add_flag("--force", st->force, "overwrite existing key files");
  gen->callback([st, &set] { set.selected = [st] { return RunKeyGenerate(st->prefix, st->force); }; });

  auto* sign = app.add_subcommand("sign", "sign an image in a registry (cosign's .sig format)");
  sign->add_option("--key", st->key, "private key (cosign.key)")->required();
  sign->add_option("-a,--annotations", st->annotations, "key=value added to the payload's optional section (repeatable)")
      ->type_size(1)
      ->expected(1);
  sign->add_option("IMAGE", st->image, "REGISTRY/REPO:TAG or REGISTRY/REPO@sha256:DIGEST")->required();
  AddRegistryFlags(sign, st->sign_rf);
  sign->callback([st, &set] {
    set.selected = [st] { return RunSign(st->key, st->image, st->annotations, st->sign_rf); };
  });

  auto* verify = app.add_subcommand("verify", "verify an image's cosign signatures with a public key");
  verify->add_option("--key", st->key, "public key (cosign.pub)")->required();
  verify->add_option("--output", st->output, "text (payloads, one per line) or json (an array)")->capture_default_str();
  verify->add_option("IMAGE", st->image, "REGISTRY/REPO:TAG or REGISTRY/REPO@sha256:DIGEST")->required();
  AddRegistryFlags(verify, st->verify_rf);
  verify->callback([st, &set] {
    set.selected = [st] { return RunVerify(st->key, st->image, st->output, st->verify_rf); };
  });

  auto* attest = app.add_subcommand("attest", "attach a signed in-toto attestation (DSSE, cosign's .att format)");
  attest->add_option("--key", st->key, "private key (cosign.key)")->required();
  attest->add_option("--type", st->type, "cyclonedx, customs-scan, or a predicate type URI")->required();
  attest->add_option("--predicate", st->predicate, "the predicate JSON (default: customs' own scan of the image)");
  attest->add_option("--input", st->input,
                     "scan this archive or OCI layout of the image for the predicate (default: the registry image)");
  attest->add_option("--cache-dir", st->cache_dir, "layer cache for the scan (default ~/.cache/customs/layers)");
  attest->add_option("IMAGE", st->image, "REGISTRY/REPO:TAG or REGISTRY/REPO@sha256:DIGEST")->required();
  AddRegistryFlags(attest, st->attest_rf);
  attest->callback([st, &set] {
    set.selected = [st] { return RunAttest(st->key, st->image, st->type, st->predicate, st->input, st->cache_dir, st->attest_rf); };
  });

  auto* vatt = app.add_subcommand("verify-attestation", "verify an image's attestations with a public key");
  vatt->add_option("--key", st->key, "public key (cosign.pub)")->required();
  vatt->add_option("--type", st->type, "only attestations of this type (cyclonedx, customs-scan or a URI)");
  vatt->add_flag("--print-predicate", st->print_predicate, "print the predicates instead of the envelopes");
  vatt->add_option("IMAGE", st->image, "REGISTRY/REPO:TAG or REGISTRY/REPO@sha256:DIGEST")->required();
  AddRegistryFlags(vatt, st->vatt_rf);
  vatt->callback([st, &set] {
    set.selected = [st] {
      return RunVerifyAttestation(st->key, st->image, st->type, st->print_predicate, st->vatt_rf);
    };
  });
}

}  // namespace customs
