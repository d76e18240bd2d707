// Helpers of the Java analyzers (java_jar, java_gradle): pom.properties, MANIFEST.MF and file-name
// identification of archives, and package construction.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/types.h"

namespace customs::java {

struct PomProps {
  std::string group, artifact, version;
};

// Java .properties subset: "key=value", "key: value", "key value"; '#' and '!' comments.
PomProps ParsePomProperties(std::string_view content);

// MANIFEST.MF main section (up to the first blank line): "Name: value" with 72-byte continuation
// lines (starting with one space) joined.
std::map<std::string, std::string> ParseManifest(std::string_view content);

struct ManifestId {
  std::string group, artifact, version;
};
// Identity from manifest attributes; `file_name` breaks ties between artifactId candidates.
ManifestId FromManifest(const std::map<std::string, std::string>& mf, std::string_view file_name);

struct FileNameId {
  std::string artifact, version;
};
// "commons-io-2.11.0.jar" -> {commons-io, 2.11.0}; no version: {} (nothing identified).
FileNameId ParseFileName(std::string_view file_name);

// Maven repository layout (".../.m2/repository/" or ".../maven-repo/", then
// "org/foo/bar/1.0/bar-1.0[-classifier].jar"): {org.foo, bar, 1.0}; empty otherwise.
struct RepoCoords {
  std::string group, artifact, version;
  // Debian's maven-repo-helper also installs each JAR under made-up versions ("debian", "1.x"):
  // the same file as the real-version path, not a version of its own.
  bool debian_alias = false;
};
RepoCoords FromRepositoryPath(std::string_view path);

// A maven package "group:artifact".
Package MakePackage(std::string name, std::string version, const std::string& db_path);

}  // namespace customs::java
