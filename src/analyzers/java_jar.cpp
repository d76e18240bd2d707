// Java archives (.jar, .war, .ear), read in memory with libarchive's zip reader. Nested archives
// (a WAR's WEB-INF/lib/*.jar, an EAR's modules, fat JARs' BOOT-INF/lib) are opened recursively.
//
// Each archive is identified, in order, by:
//   1. META-INF/maven/<group>/<artifact>/pom.properties (groupId, artifactId, version): every one
//      found is a package (shaded JARs carry those of the artifacts they embed);
//   2. META-INF/MANIFEST.MF: artifactId from Implementation-Title / Bundle-SymbolicName /
//      Automatic-Module-Name / Specification-Title / Bundle-Name (the first one without spaces),
//      version from Implementation-Version / Bundle-Version / Specification-Version, groupId from
//      Implementation-Vendor-Id, else the package part of Bundle-SymbolicName or Automatic-Module-Name;
//   3. the file name "artifact-1.2.3.jar" (version starts at the last '-' followed by a digit), the
//      groupId then coming from the manifest hints.
// A scanned file in a Maven repository layout (".m2/repository/org/foo/bar/1.0/bar-1.0.jar",
// Debian's usr/share/maven-repo) is identified by its path (as "filename") before the manifest:
// manifests carry no Maven groupId, only hints (OSGi names such as "com.google.inject" for
// com.google.inject.extensions:guice-jmx). A shaded JAR (pom.properties present, none naming the
// archive's file) reports its embedded pom.properties and is identified by steps 2-3 as well.
// Package name "groupId:artifactId" (just "artifactId" when no group is known). extra:
// "identified_by" = pom.properties | manifest | filename, "archive" = the nested location
// ("app.war!/WEB-INF/lib/x.jar") when not the scanned file itself.
//
// Zip bombs: nesting depth at most 4, a nested archive at most 64 MiB, at most 256 MiB read out of
// all the nested archives and metadata of one scanned file, at most 100000 entries walked.
#include <archive.h>
#include <archive_entry.h>

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/java_util.h"
#include "analyzers/text_util.h"

namespace customs {

namespace java {

namespace {

constexpr int kMaxDepth = 4;
constexpr uint64_t kMaxNestedSize = 64ull << 20;
constexpr uint64_t kMaxMetaSize = 1ull << 20;
constexpr uint64_t kMaxTotalRead = 256ull << 20;
constexpr uint64_t kMaxEntries = 100000;

bool HasArchiveExtension(std::string_view name) {
  const std::string lower = text::Lower(name.substr(name.size() > 4 ? name.size() - 4 : 0));
  return lower == ".jar" || lower == ".war" || lower == ".ear";
}

using text::BaseName;


struct Budget {
  uint64_t read = 0;
  uint64_t entries = 0;
  bool exhausted = false;
};

class ArchiveReader {
 public:
  ArchiveReader(const std::string& db_path, AnalysisResult& out) : db_path_(db_path), out_(out) {}

  void Read(std::string_view data, const std::string& location, std::string_view file_name, int depth) {
    archive* a = archive_read_new();
    archive_read_support_format_zip(a);
    if (archive_read_open_memory(a, data.data(), data.size()) != ARCHIVE_OK) {
      Diag(location, std::string("not a readable zip archive: ") + ErrorOf(a));
      archive_read_free(a);
      return;
    }
    std::vector<PomProps> poms;
    std::map<std::string, std::string> manifest;
    bool have_manifest = false;
    std::vector<std::pair<std::string, std::string>> nested;  // (entry name, bytes)
    archive_entry* e = nullptr;
    int rc;
    while ((rc = archive_read_next_header(a, &e)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
      if (++budget_.entries > kMaxEntries) {
        Exhaust(location, "more than " + std::to_string(kMaxEntries) + " archive entries");
        break;
      }
      const char* raw = archive_entry_pathname(e);
      if (!raw || archive_entry_filetype(e) != AE_IFREG) continue;
      std::string name = raw;
      while (name.starts_with("./") || name.starts_with("/")) name.erase(0, name[0] == '/' ? 1 : 2);
      const bool is_pom = name.starts_with("META-INF/maven/") && name.ends_with("/pom.properties");
      const bool is_manifest = text::IEquals(name, "META-INF/MANIFEST.MF");
      const bool is_nested = depth < kMaxDepth && HasArchiveExtension(name);
      if (!is_pom && !is_manifest && !is_nested) continue;
      const uint64_t cap = is_nested ? kMaxNestedSize : kMaxMetaSize;
      if (archive_entry_size_is_set(e) && static_cast<uint64_t>(archive_entry_size(e)) > cap) {
        Diag(location + "!/" + name, "entry larger than " + std::to_string(cap) + " bytes; skipped");
        continue;
      }
      std::string bytes;
      if (!ReadEntry(a, cap, bytes)) {
        Diag(location + "!/" + name, std::string("unreadable or too large entry; skipped: ") + ErrorOf(a));
        if (budget_.exhausted) break;
        continue;
      }
      if (is_pom) {
        PomProps p = ParsePomProperties(bytes);
        if (p.group.empty() || p.artifact.empty() || p.version.empty())
          Diag(location + "!/" + name, "pom.properties without groupId, artifactId or version; ignored");
        else
          poms.push_back(std::move(p));
      } else if (is_manifest) {
        manifest = ParseManifest(bytes);
        have_manifest = true;
      } else {
        nested.emplace_back(std::move(name), std::move(bytes));
      }
    }
    if (rc != ARCHIVE_EOF && rc != ARCHIVE_OK && rc != ARCHIVE_WARN && !budget_.exhausted)
      Diag(location, std::string("archive truncated or corrupt: ") + ErrorOf(a));
    archive_read_free(a);

    Identify(location, file_name, depth, poms, have_manifest ? &manifest : nullptr);
    for (auto& [name, bytes] : nested) {
      if (budget_.exhausted) break;
      Read(bytes, location + "!/" + name, BaseName(name), depth + 1);
    }
  }

  std::vector<Package> Take() { return std::move(packages_); }

 private:
  static const char* ErrorOf(archive* a) {
    const char* s = archive_error_string(a);
    return s ? s : "unknown error";
  }

  void Diag(const std::string& where, std::string msg) { out_.diagnostics.push_back({where, std::move(msg)}); }

  void Exhaust(const std::string& where, const std::string& why) {
    if (!budget_.exhausted)
      Diag(where, "stopped reading nested archives: " + why + " (zip bomb limits)");
    budget_.exhausted = true;
  }

  bool ReadEntry(archive* a, uint64_t cap, std::string& bytes) {
    char buf[65536];
    for (;;) {
      la_ssize_t n = archive_read_data(a, buf, sizeof buf);
      if (n == 0) return true;
      if (n < 0) return false;
      if (bytes.size() + static_cast<uint64_t>(n) > cap) return false;
      budget_.read += static_cast<uint64_t>(n);
      if (budget_.read > kMaxTotalRead) {
        Exhaust(db_path_, "more than " + std::to_string(kMaxTotalRead) + " bytes decompressed");
        return false;
      }
      bytes.append(buf, static_cast<size_t>(n));
    }
  }

  void Identify(const std::string& location, std::string_view file_name, int depth,
                const std::vector<PomProps>& poms, const std::map<std::string, std::string>* manifest) {
    const std::string archive = depth == 0 ? "" : location;
    const FileNameId fid = ParseFileName(file_name);
    // A Debian alias path of a JAR the repository also holds under its real version: that path
    // reports it; identifying it here again (by a made-up version) would be wrong twice.
    if (depth == 0 && FromRepositoryPath(db_path_).debian_alias) return;
    if (!poms.empty()) {
      for (const auto& p : poms) Add(p.group, p.artifact, p.version, "pom.properties", archive);
      // A shaded JAR carries the pom.properties of what it embeds: when none of them names the
      // archive itself (its file name says another artifact), identify the archive too.
      if (fid.artifact.empty()) return;
      for (const auto& p : poms)
        if (file_name.starts_with(p.artifact)) return;
    }
    // Maven repository layout: the path holds the coordinates, group included.
    if (depth == 0) {
      RepoCoords rc = FromRepositoryPath(db_path_);
      if (!rc.group.empty()) {
        Add(rc.group, rc.artifact, rc.version, "filename", archive);
        return;
      }
    }
    ManifestId mid;
    if (manifest) mid = FromManifest(*manifest, file_name);
    if (!mid.artifact.empty() && !mid.version.empty()) {
      Add(mid.group, mid.artifact, mid.version, "manifest", archive);
      return;
    }
    if (fid.artifact.empty()) {
      if (poms.empty())
        Diag(location, "could not identify the archive (no pom.properties, manifest or versioned file name)");
      return;
    }
    Add(mid.group, fid.artifact, fid.version, "filename", archive);
  }

  void Add(const std::string& group, const std::string& artifact, const std::string& version,
           const char* how, const std::string& archive) {
    const std::string name = group.empty() ? artifact : group + ":" + artifact;
    if (!seen_.insert(name + "\n" + version + "\n" + archive).second) return;
    Package p = MakePackage(name, version, db_path_);
    p.extra["identified_by"] = how;
    if (group.empty()) p.extra["group_unknown"] = "true";
    if (!archive.empty()) p.extra["archive"] = archive;
    packages_.push_back(std::move(p));
  }

  std::string db_path_;
  AnalysisResult& out_;
  Budget budget_;
  std::vector<Package> packages_;
  std::set<std::string> seen_;
};

class JavaJarAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return "java_jar"; }
  AnalyzerGroup Group() const override { return AnalyzerGroup::kLang; }
  bool KeepContent() const override { return false; }  // archives: do not hold them after the walk
  bool Wants(std::string_view path, const FileMeta&) const override { return HasArchiveExtension(path); }
  void Analyze(const AnalysisInput& in, AnalysisResult& out) const override {
    const std::string path(in.path);
    ArchiveReader reader(path, out);
    reader.Read(in.content, path, BaseName(in.path), 0);
    out.package_dbs.push_back(PackageDB{path, "maven", reader.Take()});
  }
};

}  // namespace

}  // namespace java

std::unique_ptr<Analyzer> Make_java_jar() { return std::make_unique<java::JavaJarAnalyzer>(); }

}  // namespace customs
