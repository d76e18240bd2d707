// rpm databases (sqlite rpmdb.sqlite, ndb Packages.db, Berkeley DB Packages). Headers are parsed by
// librpm in every case; how they are found is not. Debian's librpm 4.18 opens sqlite and (through
// bdb_ro) Berkeley DB databases, but was built without the ndb backend, so the blobs of an ndb
// Packages.db are pulled out by a reader of our own (rpm_ndb.cpp) and handed to headerImport().
// Either way the headers go through the same code (PackageCollector) to become packages.
#include <fcntl.h>
#include <rpm/header.h>
#include <rpm/rpmdb.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmlog.h>
#include <rpm/rpmmacro.h>
#include <rpm/rpmtag.h>
#include <rpm/rpmtd.h>
#include <rpm/rpmts.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/depends_util.h"
#include "analyzers/rpm_ndb.h"
#include "analyzers/version_split.h"

namespace customs {

namespace {

// Where images keep the database: the classic place and the one Fedora, openSUSE and others moved
// to (usr/lib/sysimage/rpm, with var/lib/rpm often a symlink to it).
constexpr std::string_view kDbDirs[] = {"var/lib/rpm/", "usr/lib/sysimage/rpm/"};

struct Backend {
  const char* name;            // value of librpm's %_db_backend
  std::string_view main_file;  // the file that holds the headers
  std::vector<std::string_view> files;
  bool own_reader = false;  // read by rpm_ndb.cpp, not by a librpm backend
};

// Checked in this order: a directory converted to a newer format may keep the old file around.
const std::vector<Backend>& Backends() {
  static const std::vector<Backend> kBackends = {
      {"sqlite", "rpmdb.sqlite", {"rpmdb.sqlite", "rpmdb.sqlite-wal", "rpmdb.sqlite-shm"}},
      {"ndb", "Packages.db", {"Packages.db", "Index.db"}, /*own_reader=*/true},
      {"bdb_ro", "Packages", {"Packages"}},
  };
  return kBackends;
}

bool IsDbFile(std::string_view path) {
  for (std::string_view dir : kDbDirs) {
    if (!path.starts_with(dir)) continue;
    std::string_view name = path.substr(dir.size());
    for (const auto& b : Backends())
      for (std::string_view f : b.files)
        if (name == f) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// The private copy of a database. librpm can only open a database from a directory (it derives
// every file name from %_dbpath), so the bytes from the view are written to a fresh mkdtemp
// directory (mode 0700), which is removed with everything librpm may have added to it.

class TempDir {
 public:
  TempDir() {
    const char* base = getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/customs-rpmdb-XXXXXX";
    if (mkdtemp(tmpl.data()))
      path_ = tmpl;
    else
      error_ = std::strerror(errno);
  }
  ~TempDir() {
    if (path_.empty()) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  const std::string& error() const { return error_; }

 private:
  std::string path_, error_;
};

// Creates `path` (which must not exist) with `data`. Returns an error message, or "" on success.
std::string WriteNewFile(const std::string& path, std::string_view data) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return std::strerror(errno);
  std::string err;
  while (!data.empty()) {
    ssize_t n = write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      err = n < 0 ? std::strerror(errno) : "short write";
      break;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  if (close(fd) != 0 && err.empty()) err = std::strerror(errno);
  return err;
}

// ---------------------------------------------------------------------------------------------
// librpm session. librpm keeps global state (configuration, macros, log), so every use goes
// through one mutex, and the macros set for one database are popped afterwards.

std::mutex& LibrpmMutex() {
  static std::mutex m;
  return m;
}

// Reads rpmrc/macros once (architecture and backend defaults). Caller holds the mutex.
bool InitLibrpm() {
  static int rc = rpmReadConfigFiles(nullptr, nullptr);
  return rc == 0;
}

class MacroOverride {
 public:
  MacroOverride(const char* name, const std::string& value) : name_(name) {
    rpmPushMacro(nullptr, name_, nullptr, value.c_str(), RMIL_CMDLINE);
  }
  ~MacroOverride() { rpmPopMacro(nullptr, name_); }
  MacroOverride(const MacroOverride&) = delete;
  MacroOverride& operator=(const MacroOverride&) = delete;

 private:
  const char* name_;
};

// Collects librpm's messages instead of letting them go to stderr.
class LogCapture {
 public:
  LogCapture() { rpmlogSetCallback(&LogCapture::Callback, this); }
  ~LogCapture() {
    rpmlogSetCallback(nullptr, nullptr);
    rpmlogClose();  // frees the records librpm keeps of every message
  }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  // "; "-joined messages: warnings and errors, or errors only.
  const std::string& All() const { return all_; }
  const std::string& Errors() const { return errors_; }

 private:
  static void Add(std::string& to, const std::string& msg) {
    if (to.size() > 4096) return;
    if (!to.empty()) to += "; ";
    to += msg;
  }
  static int Callback(rpmlogRec rec, rpmlogCallbackData data) {
    auto* self = static_cast<LogCapture*>(data);
    const rpmlogLvl level = rpmlogRecPriority(rec);
    std::string msg = rpmlogRecMessage(rec) ? rpmlogRecMessage(rec) : "";
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    if (!msg.empty() && level <= RPMLOG_WARNING) Add(self->all_, msg);
    if (!msg.empty() && level <= RPMLOG_ERR) Add(self->errors_, msg);
    return 0;  // handled: no default logging, never exit
  }
  std::string all_, errors_;
};

struct TsDeleter {
  void operator()(rpmts ts) const { rpmtsFree(ts); }
};
struct IteratorDeleter {
  void operator()(rpmdbMatchIterator mi) const { rpmdbFreeIterator(mi); }
};
struct TdDeleter {
  void operator()(rpmtd td) const {
    rpmtdFreeData(td);
    rpmtdFree(td);
  }
};

// ---------------------------------------------------------------------------------------------
// Header fields.

std::string GetString(Header h, rpmTagVal tag) {
  const char* s = headerGetString(h, tag);
  return s ? s : "";
}

std::vector<std::string> GetStrings(Header h, rpmTagVal tag) {
  std::vector<std::string> out;
  std::unique_ptr<rpmtd_s, TdDeleter> td(rpmtdNew());
  if (!headerGet(h, tag, td.get(), HEADERGET_MINMEM)) return out;
  rpmtdInit(td.get());
  while (const char* s = rpmtdNextString(td.get())) out.emplace_back(s);
  return out;
}

std::vector<uint32_t> GetUint32s(Header h, rpmTagVal tag) {
  std::vector<uint32_t> out;
  std::unique_ptr<rpmtd_s, TdDeleter> td(rpmtdNew());
  if (!headerGet(h, tag, td.get(), HEADERGET_MINMEM)) return out;
  rpmtdInit(td.get());
  while (const uint32_t* v = rpmtdNextUint32(td.get())) out.push_back(*v);
  return out;
}

std::string StripRoot(std::string path) {
  size_t n = path.find_first_not_of('/');
  return n == std::string::npos ? std::string() : path.substr(n);
}

// Installed files: BASENAMES[i] lives in DIRNAMES[DIRINDEXES[i]] ("/usr/bin/" + "bash"). Headers
// from before rpm 4 keep whole paths in OLDFILENAMES instead.
std::vector<std::string> GetFiles(Header h, std::string& problem) {
  std::vector<std::string> files;
  std::vector<std::string> base = GetStrings(h, RPMTAG_BASENAMES);
  if (base.empty()) {
    for (auto& f : GetStrings(h, RPMTAG_OLDFILENAMES))
      if (auto p = StripRoot(std::move(f)); !p.empty()) files.push_back(std::move(p));
    return files;
  }
  std::vector<std::string> dirs = GetStrings(h, RPMTAG_DIRNAMES);
  std::vector<uint32_t> index = GetUint32s(h, RPMTAG_DIRINDEXES);
  if (index.size() != base.size()) {
    problem = "file list: DIRINDEXES and BASENAMES differ in length";
    return files;
  }
  files.reserve(base.size());
  for (size_t i = 0; i < base.size(); ++i) {
    if (index[i] >= dirs.size()) {
      problem = "file list: directory index out of range";
      continue;
    }
    if (auto p = StripRoot(dirs[index[i]] + base[i]); !p.empty()) files.push_back(std::move(p));
  }
  return files;
}

void FillVersions(Package& p, Header h) {
  p.epoch = static_cast<uint32_t>(headerGetNumber(h, RPMTAG_EPOCH));
  p.upstream = GetString(h, RPMTAG_VERSION);
  p.release = GetString(h, RPMTAG_RELEASE);
  std::string vr = p.release.empty() ? p.upstream : p.upstream + "-" + p.release;
  p.version = p.epoch > 0 ? std::to_string(p.epoch) + ":" + vr : vr;

  // SOURCERPM names the source package file; its epoch is not recorded, rpm builds both from the
  // same spec, so the binary's epoch stands for it.
  SourceRpm src;
  if (ParseSourceRpm(GetString(h, RPMTAG_SOURCERPM), src)) {
    p.src_name = src.name;
    p.src_epoch = p.epoch;
    p.src_upstream = src.version;
    p.src_release = src.release;
    std::string svr = src.version + "-" + src.release;
    p.src_version = p.epoch > 0 ? std::to_string(p.epoch) + ":" + svr : svr;
  } else {
    p.src_name = p.name;
    p.src_epoch = p.epoch;
    p.src_upstream = p.upstream;
    p.src_release = p.release;
    p.src_version = p.version;
  }
}

// Headers -> packages, shared by every way of finding the headers (librpm's database iterator, the
// ndb reader): Add() each header, Finish() into the database fact.
class PackageCollector {
 public:
  explicit PackageCollector(std::string db_path) : db_path_(std::move(db_path)) {}

  void Add(Header h);
  void Problem(std::string msg) { problems_.push_back(std::move(msg)); }

  // Problems become diagnostics naming the database; the packages (with their dependencies
  // resolved) become its PackageDB.
  void Finish(AnalysisResult& out) {
    for (auto& problem : problems_) out.diagnostics.push_back({db_path_, std::move(problem)});
    // rpm also satisfies a requirement on a path ("/bin/sh") with the package owning that file.
    ResolveDepends(packages_, caps_, ResolveOptions{.files_provide = true});
    out.package_dbs.push_back(PackageDB{db_path_, "rpm", std::move(packages_)});
  }

 private:
  std::string db_path_;
  std::vector<Package> packages_;
  std::vector<Capabilities> caps_;
  std::vector<std::string> problems_;
};

void PackageCollector::Add(Header h) {
  Package p;
  p.name = GetString(h, RPMTAG_NAME);
  if (p.name.empty() || p.name == "gpg-pubkey") return;  // gpg-pubkey: imported keys, not software
  p.type = "rpm";
  p.db_path = db_path_;
  p.arch = GetString(h, RPMTAG_ARCH);
  FillVersions(p, h);
  if (auto lic = GetString(h, RPMTAG_LICENSE); !lic.empty()) p.licenses.push_back(std::move(lic));
  if (auto vendor = GetString(h, RPMTAG_VENDOR); !vendor.empty()) p.extra["vendor"] = std::move(vendor);
  if (auto label = GetString(h, RPMTAG_MODULARITYLABEL); !label.empty())
    p.extra["modularitylabel"] = std::move(label);
  std::string problem;
  p.files = GetFiles(h, problem);
  if (!problem.empty()) Problem(p.name + ": " + problem);

  Capabilities c;
  c.provides = GetStrings(h, RPMTAG_PROVIDENAME);
  c.requirements = GetStrings(h, RPMTAG_REQUIRENAME);
  packages_.push_back(std::move(p));
  caps_.push_back(std::move(c));
}

// librpm's messages name the private copy; say where the database is in the image instead.
std::string InImage(std::string msg, const std::string& tmp_dir, std::string_view image_dir) {
  for (size_t pos = msg.find(tmp_dir); pos != std::string::npos; pos = msg.find(tmp_dir, pos)) {
    msg.replace(pos, tmp_dir.size(), image_dir);
    pos += image_dir.size();
  }
  return msg;
}

// Opens the database copied into `tmp_dir` with `backend` and reads every header. Returns false
// with `error` when librpm cannot open it. `image_dir` names the directory in messages.
bool ReadWithLibrpm(const std::string& tmp_dir, std::string_view image_dir, const Backend& backend,
                    PackageCollector& out, std::string& error) {
  std::lock_guard<std::mutex> lock(LibrpmMutex());
  LogCapture log;
  if (!InitLibrpm()) {
    error = "librpm could not read its configuration: " + log.All();
    return false;
  }
  // %_dbpath defaults to ~/.rpmdb on Debian; pointing it (and so %_rpmlock_path and the keyring
  // path derived from it) at the private copy keeps librpm away from every other database.
  MacroOverride dbpath("_dbpath", tmp_dir);
  MacroOverride db_backend("_db_backend", backend.name);
  std::unique_ptr<rpmts_s, TsDeleter> ts(rpmtsCreate());
  rpmtsSetRootDir(ts.get(), "/");
  // The scan wants the recorded data, not a trust decision: no digest or signature checks, so no
  // keyring is loaded either.
  rpmtsSetVSFlags(ts.get(), RPMVSF_NOHDRCHK | RPMVSF_MASK_NODIGESTS | RPMVSF_MASK_NOSIGNATURES);
  const bool opened = rpmtsOpenDB(ts.get(), O_RDONLY) == 0;
  // A librpm built without this backend (Debian's has no ndb) warns and falls back to an empty
  // "dummy" database: not a success.
  const bool dummy = log.All().find("invalid %_db_backend") != std::string::npos ||
                     log.All().find("dummy database") != std::string::npos;
  if (!opened || dummy) {
    error = "librpm cannot open the " + std::string(backend.name) + " database" +
            (log.All().empty() ? "" : ": " + InImage(log.All(), tmp_dir, image_dir));
    return false;
  }
  {
    std::unique_ptr<rpmdbMatchIterator_s, IteratorDeleter> mi(
        rpmtsInitIterator(ts.get(), RPMDBI_PACKAGES, nullptr, 0));
    while (mi) {
      Header h = rpmdbNextIterator(mi.get());
      if (!h) break;
      out.Add(h);
    }
  }
  ts.reset();  // closes the database before the macros are popped
  // Warnings are about index files a read does not need (Berkeley DB's Name, Basenames...);
  // errors are about the data (a damaged header skipped).
  if (!log.Errors().empty()) out.Problem("librpm: " + InImage(log.Errors(), tmp_dir, image_dir));
  return true;
}

// Reads an ndb Packages.db with rpm_ndb.cpp and parses each blob with librpm's headerImport().
// Returns false with `error` when the file is not an ndb database at all.
bool ReadNdb(std::string_view file, PackageCollector& out, std::string& error) {
  rpm_ndb::Contents contents;
  if (!rpm_ndb::Read(file, contents, error)) return false;
  for (auto& problem : contents.problems) out.Problem(std::move(problem));
  std::lock_guard<std::mutex> lock(LibrpmMutex());
  LogCapture log;
  for (const rpm_ndb::Blob& blob : contents.blobs) {
    // HEADERIMPORT_COPY: librpm copies the bytes before looking at them, and checks the blob's
    // index and data against its size (hdrblobInit) before trusting them. The blob is never
    // written to, so the const_cast is only for the C signature.
    Header h = headerImport(const_cast<char*>(blob.header.data()), static_cast<unsigned>(blob.header.size()),
                            HEADERIMPORT_COPY);
    if (!h) {
      out.Problem("package " + std::to_string(blob.pkgidx) + ": librpm rejects the header blob");
      continue;
    }
    out.Add(h);
    headerFree(h);
  }
  if (!log.Errors().empty()) out.Problem("librpm: " + log.Errors());
  return true;
}

// ---------------------------------------------------------------------------------------------

class RpmAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return "rpm"; }
  AnalyzerGroup Group() const override { return AnalyzerGroup::kOS; }
  bool Wants(std::string_view path, const FileMeta&) const override { return IsDbFile(path); }
  bool NeedsView() const override { return true; }

  void AnalyzeView(const FileView& view, int /*layer*/, AnalysisResult& out) const override {
    // Main files already read: var/lib/rpm may be a symlink to usr/lib/sysimage/rpm.
    std::vector<std::string_view> seen;
    for (std::string_view dir : kDbDirs) {
      for (const auto& backend : Backends()) {
        auto main = view.Read(std::string(dir) + std::string(backend.main_file));
        if (!main) continue;
        bool duplicate = false;
        for (auto s : seen) duplicate = duplicate || s == *main;
        if (!duplicate) {
          seen.push_back(*main);
          AnalyzeDatabase(view, dir, backend, out);
        }
        break;  // one database per directory
      }
    }
  }

 private:
  static void AnalyzeDatabase(const FileView& view, std::string_view dir, const Backend& backend,
                              AnalysisResult& out) {
    const std::string db_path = std::string(dir) + std::string(backend.main_file);
    PackageCollector collector(db_path);
    std::string error;
    if (backend.own_reader) {
      auto data = view.Read(db_path);
      if (!data || !ReadNdb(*data, collector, error)) {
        out.diagnostics.push_back({db_path, data ? error : "cannot read the file"});
        return;
      }
      collector.Finish(out);
      return;
    }
    TempDir tmp;
    if (tmp.path().empty()) {
      out.diagnostics.push_back({db_path, "cannot create a temporary directory: " + tmp.error()});
      return;
    }
    for (std::string_view name : backend.files) {
      auto data = view.Read(std::string(dir) + std::string(name));
      if (!data) continue;
      if (std::string err = WriteNewFile(tmp.path() + "/" + std::string(name), *data); !err.empty()) {
        out.diagnostics.push_back(
            {db_path, "cannot copy " + std::string(name) + " to a temporary directory: " + err});
        return;
      }
    }
    std::string_view image_dir = dir.substr(0, dir.size() - 1);  // without the trailing '/'
    if (!ReadWithLibrpm(tmp.path(), image_dir, backend, collector, error)) {
      out.diagnostics.push_back({db_path, error});
      return;
    }
    collector.Finish(out);
  }
};

}  // namespace

std::unique_ptr<Analyzer> Make_rpm() { return std::make_unique<RpmAnalyzer>(); }

}  // namespace customs
