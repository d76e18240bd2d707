// Real root filesystems for the tests: Debian (debootstrap, cached), rpm databases (rpmbuild +
// rpm --justdb; ndb converted from sqlite where rpm cannot write it), and helpers for the shared Alpine minirootfs tarballs.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "support/fixtures.h"
#include "support/ndb_writer.h"

namespace fs = std::filesystem;

namespace customs_test {

namespace {

constexpr const char* kMirror = "http://deb.debian.org/debian";
constexpr const char* kSuite = "bookworm";
constexpr const char* kMirrorPrefix = "no Debian mirror answered";

std::string LastLines(const std::string& text, size_t n) {
  std::vector<std::string> lines;
  std::istringstream ss(text);
  for (std::string l; std::getline(ss, l);)
    if (!l.empty()) lines.push_back(l);
  std::string out;
  for (size_t i = lines.size() > n ? lines.size() - n : 0; i < lines.size(); ++i)
    out += (out.empty() ? "" : " | ") + lines[i];
  return out;
}

bool Probe(const std::string& url, std::string* why) {
  // debootstrap itself depends on wget, so it is there whenever debootstrap is.
  RunOptions o;
  o.timeout_seconds = 60;
  RunResult r = Run({"wget", "-q", "-T", "20", "-t", "2", "-O", "/dev/null", url}, o);
  if (r.exit_code == 127) r = Run({"curl", "-fsS", "-m", "40", "-o", "/dev/null", url}, o);
  if (r.exit_code == 0) return true;
  *why = url + " (" + (r.timed_out ? std::string("timed out") : "exit " + std::to_string(r.exit_code)) +
         (r.err.empty() ? "" : ": " + LastLines(r.err, 2)) + ")";
  return false;
}

// Whether `name` is an executable file in a directory of $PATH.
bool OnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream ss(path ? path : "/usr/local/bin:/usr/bin:/bin");
  for (std::string dir; std::getline(ss, dir, ':');) {
    if (dir.empty()) dir = ".";
    if (::access((dir + "/" + name).c_str(), X_OK) == 0) return true;
  }
  return false;
}

const char* BackendName(RpmDbBackend backend) { return backend == RpmDbBackend::kNdb ? "ndb" : "sqlite"; }

}  // namespace

bool IsMirrorUnavailable(const std::string& reason) { return reason.rfind(kMirrorPrefix, 0) == 0; }

std::optional<std::string> DebianRootfs(std::string* reason, const std::vector<std::string>& extra_packages,
                                        const std::string& cache_name) {
  std::string dummy;
  if (!reason) reason = &dummy;
  try {
    const std::string root = TestCacheRoot();
    fs::create_directories(root);
    const std::string final_dir = root + "/" + cache_name;
    if (PathExists(final_dir + "/var/lib/dpkg/status")) return final_dir;

    // A recent failure to reach the mirror is remembered for a few minutes, so that a suite run
    // without network does not wait for the probe in every test process.
    const std::string unavailable = root + "/" + cache_name + ".unavailable";
    FileLock lock(root + "/" + cache_name + ".lock");
    if (PathExists(final_dir + "/var/lib/dpkg/status")) return final_dir;  // built meanwhile
    struct stat st;
    if (::stat(unavailable.c_str(), &st) == 0 && ::time(nullptr) - st.st_mtime < 300) {
      *reason = ReadFile(unavailable);
      return std::nullopt;
    }
    // Leftovers of an interrupted build.
    for (const auto& e : fs::directory_iterator(root)) {
      std::string n = e.path().filename().string();
      if (n.rfind(cache_name + ".tmp-", 0) == 0) RemoveTree(e.path().string());
    }
    if (PathExists(final_dir)) RemoveTree(final_dir);  // incomplete (no status file)

    std::string why;
    if (!Probe(std::string(kMirror) + "/dists/" + kSuite + "/Release", &why)) {
      *reason = std::string(kMirrorPrefix) + ": " + why;
      WriteFile(unavailable, *reason);
      return std::nullopt;
    }
    if (::geteuid() != 0) {
      *reason = "debootstrap needs root (run the suite as root, as CI does)";
      return std::nullopt;
    }
    std::string tmpl = root + "/" + cache_name + ".tmp-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (!::mkdtemp(buf.data())) throw std::runtime_error("mkdtemp " + tmpl + ": " + std::strerror(errno));
    const std::string tmp = buf.data();
    std::vector<std::string> argv{"debootstrap", "--variant=minbase"};
    if (!extra_packages.empty()) {
      std::string inc = "--include=";
      for (size_t i = 0; i < extra_packages.size(); ++i) inc += (i ? "," : "") + extra_packages[i];
      argv.push_back(inc);
    }
    argv.insert(argv.end(), {kSuite, tmp, kMirror});
    RunOptions o;
    o.timeout_seconds = 1500;
    o.env = {"DEBIAN_FRONTEND=noninteractive", "LC_ALL=C"};
    RunResult r = Run(argv, o);
    if (r.exit_code != 0) {
      std::string log = r.out + "\n" + r.err;
      std::string tail = LastLines(log, 3);
      if (PathExists(tmp + "/debootstrap/debootstrap.log"))
        tail += " | log: " + LastLines(ReadFile(tmp + "/debootstrap/debootstrap.log"), 3);
      RemoveTree(tmp);
      bool network = log.find("Failed getting release file") != std::string::npos ||
                     log.find("Couldn't download") != std::string::npos ||
                     log.find("Failed to fetch") != std::string::npos ||
                     log.find("Could not resolve") != std::string::npos ||
                     log.find("unable to resolve") != std::string::npos;
      std::string what = "debootstrap " + std::string(r.timed_out ? "timed out" : "exit " + std::to_string(r.exit_code)) +
                         ": " + tail;
      if (r.exit_code == 127 && !PathExists("/usr/sbin/debootstrap"))
        what = "debootstrap is not installed (scripts/install-deps.sh installs it)";
      *reason = network ? std::string(kMirrorPrefix) + ": " + what : what;
      if (network) WriteFile(unavailable, *reason);
      return std::nullopt;
    }
    // Downloaded .debs and apt lists are not part of what an image ships (Debian's images drop
    // them too); they would only slow every test that tars the root.
    for (const char* sub : {"/var/cache/apt/archives", "/var/lib/apt/lists"}) {
      std::error_code ec;
      for (const auto& e : fs::directory_iterator(tmp + sub, ec)) {
        if (e.is_regular_file(ec)) fs::remove(e.path(), ec);
      }
    }
    if (::rename(tmp.c_str(), final_dir.c_str()) != 0) {
      std::string err = std::strerror(errno);
      RemoveTree(tmp);
      *reason = "rename " + tmp + " -> " + final_dir + ": " + err;
      return std::nullopt;
    }
    std::error_code ec;
    fs::remove(unavailable, ec);
    return final_dir;
  } catch (const std::exception& e) {
    *reason = std::string("building the Debian root filesystem failed: ") + e.what();
    return std::nullopt;
  }
}

// ---------------------------------------------------------------------------------------------
// rpm.

std::vector<RpmSpec> DefaultRpmSpecs() {
  std::vector<RpmSpec> v;
  {
    RpmSpec s;
    s.name = "customs-base";
    s.version = "1.0.0";
    s.release = "1.fc39";
    s.license = "MIT";
    s.files["/usr/share/customs-base/README"] = "customs base\n";
    s.files["/etc/customs-base.conf"] = "key=value\n";
    v.push_back(s);
  }
  {
    RpmSpec s;
    s.name = "customs-tool";
    s.version = "2.3.4";
    s.release = "5.fc39";
    s.epoch = 2;
    s.license = "GPL-2.0-or-later AND BSD-3-Clause";
    s.requires_ = {"customs-base >= 1.0"};
    s.files["/usr/bin/customs-tool"] = "#!/bin/sh\necho tool\n";
    v.push_back(s);
  }
  {
    RpmSpec s;
    s.name = "customs-data";
    s.version = "20240101";
    s.release = "0.3.fc39";
    s.license = "CC0-1.0";
    s.files["/usr/share/customs-data/a.txt"] = "a\n";
    s.files["/usr/share/customs-data/b.txt"] = "b\n";
    v.push_back(s);
  }
  {
    RpmSpec s;  // no files at all (meta package)
    s.name = "customs-meta";
    s.version = "0.1";
    s.release = "1";
    s.license = "Apache-2.0";
    s.requires_ = {"customs-tool", "customs-data"};
    v.push_back(s);
  }
  return v;
}

bool RpmBackendSupported(RpmDbBackend backend, std::string* why) {
  const std::string name = BackendName(backend);
  if (!OnPath("rpm")) {
    if (why) *why = "rpm is not installed (scripts/install-deps.sh installs it)";
    return false;
  }
  TempDir d("customs-rpmdb-probe");
  RunResult r = Run({"rpm", "--root", d.path(), "--dbpath", "/var/lib/rpm", "--define", "_db_backend " + name,
                     "--initdb"});
  bool ok = r.exit_code == 0 && r.err.find("invalid %_db_backend") == std::string::npos &&
            r.err.find("dummy database") == std::string::npos;
  if (!ok && why) {
    *why = "this machine's rpm (" + LastLines(Run({"rpm", "--version"}).out, 1) + ") cannot write an " + name +
           " database: " + LastLines(r.err, 2);
  }
  return ok;
}

bool RpmRootAvailable(RpmDbBackend backend, std::string* why) {
  std::string dummy;
  if (!why) why = &dummy;
  for (const char* tool : {"rpm", "rpmbuild"}) {
    if (!OnPath(tool)) {
      *why = std::string(tool) + " is not installed (scripts/install-deps.sh installs it); the rpm fixtures need it";
      return false;
    }
  }
  if (backend == RpmDbBackend::kSqlite) return RpmBackendSupported(backend, why);
  std::string native_why;
  if (RpmBackendSupported(RpmDbBackend::kNdb, &native_why)) return true;
  // Converted from a sqlite database: needs rpm's sqlite backend and the sqlite3 shell.
  std::string sqlite_why;
  if (!RpmBackendSupported(RpmDbBackend::kSqlite, &sqlite_why)) {
    *why = native_why + "; nor a sqlite one to convert: " + sqlite_why;
    return false;
  }
  if (!OnPath("sqlite3")) {
    *why = native_why + "; converting a sqlite database instead needs sqlite3, which is not installed";
    return false;
  }
  return true;
}

std::optional<std::string> RpmRoot(const std::string& work_dir, std::string* reason, RpmDbBackend backend,
                                   const std::vector<RpmSpec>& specs, const std::string& os_release) {
  std::string dummy;
  if (!reason) reason = &dummy;
  if (!RpmRootAvailable(backend, reason)) return std::nullopt;
  // ndb that this machine's rpm cannot write: rpm writes sqlite, converted below.
  const bool convert = backend == RpmDbBackend::kNdb && !RpmBackendSupported(backend, nullptr);
  const RpmDbBackend written = convert ? RpmDbBackend::kSqlite : backend;
  try {
    const std::string top = work_dir + "/rpmbuild";
    const std::string root = work_dir + "/root";
    for (const char* d : {"SPECS", "SOURCES", "BUILD", "RPMS", "SRPMS", "BUILDROOT"})
      fs::create_directories(top + "/" + d);
    fs::create_directories(root + "/var/lib/rpm");
    std::vector<std::string> rpms;
    for (const auto& s : specs) {
      const std::string src = work_dir + "/src/" + s.name;
      fs::create_directories(src);
      std::ostringstream spec;
      spec << "Name: " << s.name << "\n"
           << "Version: " << s.version << "\n"
           << "Release: " << s.release << "\n";
      if (s.epoch) spec << "Epoch: " << *s.epoch << "\n";
      spec << "Summary: " << (s.summary.empty() ? "customs test package " + s.name : s.summary) << "\n"
           << "License: " << s.license << "\n"
           << "BuildArch: noarch\n";
      for (const auto& r : s.requires_) spec << "Requires: " << r << "\n";
      spec << "\n%description\nA package made by the customs test suite.\n\n"
           << "%install\nmkdir -p %{buildroot}\ncp -a " << src << "/. %{buildroot}/\n\n"
           << "%files\n";
      for (const auto& [path, content] : s.files) {
        WriteFile(src + path, content, path.find("/bin/") != std::string::npos ? 0755 : 0644);
        spec << path << "\n";
      }
      const std::string spec_path = top + "/SPECS/" + s.name + ".spec";
      WriteFile(spec_path, spec.str());
      RunOptions o;
      o.timeout_seconds = 300;
      o.env = {"LC_ALL=C"};
      RunResult r = Run({"rpmbuild", "-bb", "--nodeps", "--quiet", "--define", "_topdir " + top,
                         "--define", "__os_install_post %{nil}", "--define", "_build_id_links none",
                         "--define", "_binary_payloadio w9.gzdio", spec_path},
                        o);
      if (r.exit_code != 0) {
        *reason = "rpmbuild " + s.name + ": " + r.Describe();
        return std::nullopt;
      }
      std::string rpm = top + "/RPMS/noarch/" + s.name + "-" + s.version + "-" + s.release + ".noarch.rpm";
      if (!PathExists(rpm)) {
        *reason = "rpmbuild did not produce " + rpm;
        return std::nullopt;
      }
      rpms.push_back(rpm);
    }
    const std::vector<std::string> rpm_cmd{"rpm", "--root", root, "--dbpath", "/var/lib/rpm", "--define",
                                           std::string("_db_backend ") + BackendName(written)};
    std::vector<std::string> argv = rpm_cmd;
    argv.insert(argv.end(), {"-i", "--nodeps", "--justdb", "--ignorearch"});
    argv.insert(argv.end(), rpms.begin(), rpms.end());
    RunOptions o;
    o.timeout_seconds = 300;
    o.env = {"LC_ALL=C"};
    RunResult r = Run(argv, o);
    if (r.exit_code != 0) {
      *reason = "rpm -i --justdb: " + r.Describe();
      return std::nullopt;
    }
    // The oracle, from rpm itself on the database it wrote.
    for (const auto& [format, file] : {std::pair{kRpmQaFormat, RpmQaFile(work_dir)},
                                       std::pair{kRpmQaFactsFormat, RpmQaFactsFile(work_dir)}}) {
      std::vector<std::string> qa = rpm_cmd;
      qa.insert(qa.end(), {"-qa", "--qf", format});
      RunResult q = Run(qa, o);
      if (q.exit_code != 0 || q.out.empty()) {
        *reason = "rpm -qa on the new database: " + q.Describe();
        return std::nullopt;
      }
      WriteFile(file, q.out);
    }
    if (convert) {
      const std::string dbdir = root + "/var/lib/rpm";
      const std::string sqlite_db = dbdir + "/rpmdb.sqlite";
      RunResult dump = Run({"sqlite3", sqlite_db, "SELECT hnum, hex(blob) FROM Packages ORDER BY hnum"}, o);
      if (dump.exit_code != 0) {
        *reason = "sqlite3 " + sqlite_db + ": " + dump.Describe();
        return std::nullopt;
      }
      std::vector<NdbEntry> entries = ParseSqliteHeaderDump(dump.out);
      if (entries.size() != specs.size()) {
        *reason = "sqlite3 listed " + std::to_string(entries.size()) + " header blobs in " + sqlite_db + ", not " +
                  std::to_string(specs.size());
        return std::nullopt;
      }
      // Several slot pages once the 254 slots of the first one would not hold the packages.
      const uint32_t pages = static_cast<uint32_t>((entries.size() + 2 + 255) / 256);
      WriteFile(dbdir + "/Packages.db", WriteNdb(entries, pages).file);
      for (const char* f : {"rpmdb.sqlite", "rpmdb.sqlite-shm", "rpmdb.sqlite-wal", "rpmdb.sqlite-journal"}) {
        std::error_code ec;
        fs::remove(dbdir + "/" + f, ec);
        if (ec) {
          *reason = "removing " + dbdir + "/" + f + ": " + ec.message();
          return std::nullopt;
        }
      }
    }
    if (!os_release.empty()) WriteFile(root + "/etc/os-release", os_release);
    return root;
  } catch (const std::exception& e) {
    *reason = std::string("building the rpm root failed: ") + e.what();
    return std::nullopt;
  }
}

// ---------------------------------------------------------------------------------------------
// Alpine.

std::vector<ApkPackage> ParseApkInstalled(std::string_view db) {
  std::vector<ApkPackage> out;
  ApkPackage cur;
  bool have = false;
  std::string dir;
  auto flush = [&] {
    if (have && !cur.name.empty()) out.push_back(cur);
    cur = ApkPackage{};
    have = false;
    dir.clear();
  };
  size_t pos = 0;
  while (pos <= db.size()) {
    size_t nl = db.find('\n', pos);
    std::string_view line = db.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? db.size() + 1 : nl + 1;
    if (line.empty()) {
      flush();
      continue;
    }
    if (line.size() < 2 || line[1] != ':') continue;
    have = true;
    std::string value(line.substr(2));
    switch (line[0]) {
      case 'P': cur.name = value; break;
      case 'V': cur.version = value; break;
      case 'F': dir = value; break;
      case 'R': cur.files.push_back(dir.empty() ? value : dir + "/" + value); break;
      default: break;
    }
  }
  flush();
  return out;
}

std::string RemoveApkStanza(std::string_view db, std::string_view name) {
  // Split into stanzas (runs of non-empty lines), keep all but the one whose P: is `name`.
  std::vector<std::string> stanzas;
  std::string cur;
  size_t pos = 0;
  while (pos < db.size()) {
    size_t nl = db.find('\n', pos);
    std::string_view line = db.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? db.size() : nl + 1;
    if (line.empty()) {
      if (!cur.empty()) stanzas.push_back(cur);
      cur.clear();
    } else {
      cur.append(line).push_back('\n');
    }
  }
  if (!cur.empty()) stanzas.push_back(cur);
  std::string out;
  const std::string key = "P:" + std::string(name) + "\n";
  for (const auto& s : stanzas) {
    if (s.rfind(key, 0) == 0 || s.find("\n" + key) != std::string::npos) continue;
    out += s + "\n";
  }
  return out;
}

std::vector<AlpineRootfsFile> AlpineMinirootfsFiles() {
  std::vector<AlpineRootfsFile> out;
  const std::regex re(R"(alpine-minirootfs-([0-9.]+)-x86_64\.tar\.gz)");
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(SharedDir() + "/images", ec)) {
    std::smatch m;
    std::string n = e.path().filename().string();
    if (std::regex_match(n, m, re)) out.push_back({m[1].str(), e.path().string()});
  }
  auto key = [](const std::string& v) {
    std::vector<int> k;
    std::istringstream ss(v);
    for (std::string p; std::getline(ss, p, '.');) k.push_back(std::atoi(p.c_str()));
    return k;
  };
  std::sort(out.begin(), out.end(), [&](const auto& a, const auto& b) { return key(a.version) < key(b.version); });
  return out;
}

std::string TestCacheRoot() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  std::string base;
  if (xdg && *xdg) {
    base = xdg;
  } else {
    const char* home = std::getenv("HOME");
    base = std::string(home && *home ? home : "/tmp") + "/.cache";
  }
  return base + "/customs-tests";
}

FileLock::FileLock(const std::string& path) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw std::runtime_error("open " + path + ": " + std::strerror(errno));
  while (::flock(fd_, LOCK_EX) != 0) {
    if (errno != EINTR) throw std::runtime_error("flock " + path + ": " + std::strerror(errno));
  }
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

}  // namespace customs_test
