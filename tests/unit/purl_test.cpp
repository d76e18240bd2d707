// Package URLs: the builder against the purl specification's own test vectors (tests/types/*.json
// and tests/spec/specification-test.json in package-url/purl-spec, "build" cases), then the
// mapping from customs packages.
#include <gtest/gtest.h>

#include "inventory/purl.h"

namespace customs {
namespace {

PurlParts Parts(std::string type, std::string ns, std::string name, std::string version,
                std::vector<std::pair<std::string, std::string>> qualifiers = {}, std::string subpath = "") {
  return PurlParts{std::move(type), std::move(ns), std::move(name), std::move(version), std::move(qualifiers),
                   std::move(subpath)};
}

// ---- The specification's build vectors ----

TEST(PurlSpec, Deb) {
  EXPECT_EQ(BuildPurl(Parts("deb", "debian", "curl", "7.50.3-1", {{"arch", "i386"}, {"distro", "jessie"}})),
            "pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie");
  EXPECT_EQ(BuildPurl(Parts("deb", "debian", "dpkg", "1.19.0.4", {{"arch", "amd64"}, {"distro", "stretch"}})),
            "pkg:deb/debian/dpkg@1.19.0.4?arch=amd64&distro=stretch");
  EXPECT_EQ(BuildPurl(Parts("deb", "ubuntu", "dpkg", "1.19.0.4", {{"arch", "amd64"}})),
            "pkg:deb/ubuntu/dpkg@1.19.0.4?arch=amd64");
  // ':' is never encoded; '+' is.
  EXPECT_EQ(BuildPurl(Parts("deb", "debian", "attr", "1:2.4.47-2", {{"arch", "source"}})),
            "pkg:deb/debian/attr@1:2.4.47-2?arch=source");
  EXPECT_EQ(BuildPurl(Parts("deb", "debian", "attr", "1:2.4.47-2+b1", {{"arch", "amd64"}})),
            "pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64");
}

TEST(PurlSpec, Rpm) {
  EXPECT_EQ(BuildPurl(Parts("rpm", "fedora", "curl", "7.50.3-1.fc25", {{"arch", "i386"}, {"distro", "fedora-25"}})),
            "pkg:rpm/fedora/curl@7.50.3-1.fc25?arch=i386&distro=fedora-25");
  // Qualifiers sorted by key, whatever the input order; no namespace.
  EXPECT_EQ(BuildPurl(Parts("rpm", "", "centerim", "4.22.10-1.el6",
                            {{"arch", "i686"}, {"epoch", "1"}, {"distro", "fedora-25"}})),
            "pkg:rpm/centerim@4.22.10-1.el6?arch=i686&distro=fedora-25&epoch=1");
  // Type and qualifier keys are lowercased (roundtrip vector "pkg:Rpm/fedora/curl@...?Arch=i386&Distro=...").
  EXPECT_EQ(BuildPurl(Parts("Rpm", "fedora", "curl", "7.50.3-1.fc25", {{"Arch", "i386"}, {"Distro", "fedora-25"}})),
            "pkg:rpm/fedora/curl@7.50.3-1.fc25?arch=i386&distro=fedora-25");
}

TEST(PurlSpec, Apk) {
  EXPECT_EQ(BuildPurl(Parts("apk", "alpine", "curl", "7.83.0-r0", {{"arch", "x86"}})),
            "pkg:apk/alpine/curl@7.83.0-r0?arch=x86");
  EXPECT_EQ(BuildPurl(Parts("apk", "alpine", "apk", "2.12.9-r3", {{"arch", "x86"}})),
            "pkg:apk/alpine/apk@2.12.9-r3?arch=x86");
  EXPECT_EQ(BuildPurl(Parts("apk", "alpine", "libcrypto3", "3.5.5-r0",
                            {{"upstream", "openssl"}, {"distro", "alpine-edge"}, {"arch", "x86_64"}})),
            "pkg:apk/alpine/libcrypto3@3.5.5-r0?arch=x86_64&distro=alpine-edge&upstream=openssl");
}

TEST(PurlSpec, Pypi) {
  // PEP 503 normalization is part of the pypi type.
  EXPECT_EQ(BuildPurl(Parts("pypi", "", "My.PyPI_.--._Package", "1.11.1.dev1")), "pkg:pypi/my-pypi-package@1.11.1.dev1");
  EXPECT_EQ(BuildPurl(Parts("pypi", "", "django", "1.11.1")), "pkg:pypi/django@1.11.1");
  EXPECT_EQ(BuildPurl(Parts("pypi", "", "django", "1.11.1", {{"filename", "Django-1.11.1.tar.gz"}})),
            "pkg:pypi/django@1.11.1?filename=Django-1.11.1.tar.gz");
  EXPECT_EQ(BuildPurl(Parts("pypi", "", "django-allauth", "12.23")), "pkg:pypi/django-allauth@12.23");
}

TEST(PurlSpec, OtherEcosystems) {
  // The npm scope's '@' is percent-encoded; the namespace/name slash stays.
  EXPECT_EQ(BuildPurl(Parts("npm", "@angular", "animation", "12.3.1")), "pkg:npm/%40angular/animation@12.3.1");
  EXPECT_EQ(BuildPurl(Parts("npm", "", "foobar", "12.3.1")), "pkg:npm/foobar@12.3.1");
  EXPECT_EQ(BuildPurl(Parts("nuget", "", "EnterpriseLibrary.Common", "6.0.1304")),
            "pkg:nuget/EnterpriseLibrary.Common@6.0.1304");
  EXPECT_EQ(BuildPurl(Parts("maven", "org.apache.xmlgraphics", "batik-anim", "1.9.1", {{"packaging", "sources"}})),
            "pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?packaging=sources");
  EXPECT_EQ(BuildPurl(Parts("maven", "org.apache.xmlgraphics", "batik-anim", "1.9.1",
                            {{"repository_url", "repo.spring.io/release"}})),
            "pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?repository_url=repo.spring.io%2Frelease");
  EXPECT_EQ(BuildPurl(Parts("golang", "google.golang.org", "genproto", "", {}, "googleapis/api/annotations")),
            "pkg:golang/google.golang.org/genproto#googleapis/api/annotations");
  EXPECT_EQ(BuildPurl(Parts("github", "package-url", "purl-spec", "244fd47e07d1004f0aed9c")),
            "pkg:github/package-url/purl-spec@244fd47e07d1004f0aed9c");
  EXPECT_EQ(BuildPurl(Parts("gem", "", "jruby-launcher", "1.1.2", {{"platform", "java"}})),
            "pkg:gem/jruby-launcher@1.1.2?platform=java");
  EXPECT_EQ(BuildPurl(Parts("cargo", "", "rand", "0.7.2")), "pkg:cargo/rand@0.7.2");
  EXPECT_EQ(BuildPurl(Parts("composer", "Laravel", "Laravel", "5.5.0")), "pkg:composer/laravel/laravel@5.5.0");
}

TEST(PurlSpec, GenericChecksumList) {
  // "Build with multiple checksum": the ',' of the joined list is encoded.
  EXPECT_EQ(BuildPurl(Parts("generic", "", "openssl", "1.1.10g",
                            {{"checksum", "sha1:ad9503c3e994a4f,sha256:41bf9088b3a1e6c1ef1d"}})),
            "pkg:generic/openssl@1.1.10g?checksum=sha1:ad9503c3e994a4f%2Csha256:41bf9088b3a1e6c1ef1d");
}

TEST(PurlSpec, InvalidInputsBuildNothing) {
  EXPECT_EQ(BuildPurl(Parts("", "", "EnterpriseLibrary.Common", "6.0.1304")), "");  // a type is required
  EXPECT_EQ(BuildPurl(Parts("maven", "", "", "")), "");                             // a name is required
  EXPECT_EQ(BuildPurl(Parts("3nginx", "", "nginx", "0.8.9")), "");                  // type starts with a digit
  EXPECT_EQ(BuildPurl(Parts("nginx:a", "", "nginx", "0.8.9")), "");                 // colon in type
  EXPECT_EQ(BuildPurl(Parts("npm", "", "myartifact", "1.0.0", {{"in production", "true"}})), "");  // bad key
}

TEST(PurlSpec, EncodingAndEmptyParts) {
  EXPECT_EQ(PurlPercentEncode("a b"), "a%20b");
  EXPECT_EQ(PurlPercentEncode("Caf\xC3\xA9"), "Caf%C3%A9");
  EXPECT_EQ(PurlPercentEncode("az-AZ_09.~:"), "az-AZ_09.~:");
  EXPECT_EQ(PurlPercentEncode("a/b?c#d@e&f=g%h+i,j"), "a%2Fb%3Fc%23d%40e%26f%3Dg%25h%2Bi%2Cj");
  // Empty qualifier values are dropped; a namespace is stripped of '/' and split into segments;
  // ".." and "." subpath segments are dropped.
  EXPECT_EQ(BuildPurl(Parts("generic", "/a//b c/", "n", "1", {{"arch", ""}, {"k", "v w"}}, "/./x/../y/")),
            "pkg:generic/a/b%20c/n@1?k=v%20w#x/y");
}

// ---- customs packages ----

Package P(std::string type, std::string name, std::string version, std::string arch) {
  Package p;
  p.type = std::move(type);
  p.name = std::move(name);
  p.version = std::move(version);
  p.arch = std::move(arch);
  return p;
}

OSInfo Os(std::string family, std::string version, std::string codename = "") {
  OSInfo o;
  o.family = std::move(family);
  o.version = std::move(version);
  o.codename = std::move(codename);
  return o;
}

TEST(PurlPackage, Apk) {
  EXPECT_EQ(Purl(P("apk", "musl", "1.1.20-r4", "x86_64"), Os("alpine", "3.9.6")),
            "pkg:apk/alpine/musl@1.1.20-r4?arch=x86_64&distro=3.9.6");
  EXPECT_EQ(Purl(P("apk", "glibc", "2.39-r1", "aarch64"), Os("wolfi", "20230201")),
            "pkg:apk/wolfi/glibc@2.39-r1?arch=aarch64&distro=20230201");
  EXPECT_EQ(Purl(P("apk", "busybox", "1.36.1-r5", "x86_64"), Os("chainguard", "20230214")),
            "pkg:apk/chainguard/busybox@1.36.1-r5?arch=x86_64&distro=20230214");
  // No OS facts: the alpine vendor, no distro.
  EXPECT_EQ(Purl(P("apk", "musl", "1.2.4-r2", "x86_64"), std::nullopt), "pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64");
}

TEST(PurlPackage, Dpkg) {
  EXPECT_EQ(Purl(P("dpkg", "libc6", "2.31-13", "amd64"), Os("debian", "11.0")),
            "pkg:deb/debian/libc6@2.31-13?arch=amd64&distro=debian-11.0");
  EXPECT_EQ(Purl(P("dpkg", "libc6", "2.35-0ubuntu3.6", "amd64"), Os("ubuntu", "22.04", "jammy")),
            "pkg:deb/ubuntu/libc6@2.35-0ubuntu3.6?arch=amd64&distro=ubuntu-22.04");
  // The epoch stays in the version, as in the purl spec's deb example; '+' is encoded.
  Package bsd = P("dpkg", "bsdutils", "1:2.36.1-8+deb11u1", "amd64");
  bsd.epoch = 1;
  EXPECT_EQ(Purl(bsd, Os("debian", "11.8")), "pkg:deb/debian/bsdutils@1:2.36.1-8%2Bdeb11u1?arch=amd64&distro=debian-11.8");
  EXPECT_EQ(Purl(P("dpkg", "attr", "1:2.4.47-2", "source"), Os("debian", "11.0")),
            "pkg:deb/debian/attr@1:2.4.47-2?arch=source&distro=debian-11.0");
  // Debian testing has no VERSION_ID: the codename stands in.
  EXPECT_EQ(Purl(P("dpkg", "tar", "1.35-1", "amd64"), Os("debian", "", "trixie")),
            "pkg:deb/debian/tar@1.35-1?arch=amd64&distro=debian-trixie");
  EXPECT_EQ(Purl(P("dpkg", "tar", "1.35-1", "amd64"), std::nullopt), "pkg:deb/debian/tar@1.35-1?arch=amd64");
}

TEST(PurlPackage, Rpm) {
  Package p = P("rpm", "openssl-libs", "1:3.0.7-24.el9", "x86_64");
  p.epoch = 1;
  p.upstream = "3.0.7";
  p.release = "24.el9";
  EXPECT_EQ(Purl(p, Os("rocky", "9.3")), "pkg:rpm/rocky/openssl-libs@3.0.7-24.el9?arch=x86_64&distro=rocky-9.3&epoch=1");
  Package bash = P("rpm", "bash", "5.2.26-3.fc40", "x86_64");
  bash.upstream = "5.2.26";
  bash.release = "3.fc40";
  EXPECT_EQ(Purl(bash, Os("fedora", "40")), "pkg:rpm/fedora/bash@5.2.26-3.fc40?arch=x86_64&distro=fedora-40");
  // The RPM name keeps its case; the modularity label is a qualifier.
  Package py = P("rpm", "PyYAML", "5.4.1-6.el9", "x86_64");
  py.upstream = "5.4.1";
  py.release = "6.el9";
  py.extra["modularitylabel"] = "python39:3.9:8080020230118:c9e1d4ea";
  EXPECT_EQ(Purl(py, Os("rhel", "9.3")),
            "pkg:rpm/rhel/PyYAML@5.4.1-6.el9?arch=x86_64&distro=rhel-9.3&modularitylabel=python39:3.9:8080020230118:c9e1d4ea");
  // Without upstream/release split, the version minus its epoch.
  EXPECT_EQ(Purl(P("rpm", "zsh", "2:5.8-9.el9", "x86_64"), std::nullopt), "pkg:rpm/zsh@5.8-9.el9?arch=x86_64&epoch=2");
}

TEST(PurlPackage, UnknownTypeIsGeneric) {
  EXPECT_EQ(Purl(P("unknown-type", "thing", "2.0", "x86_64"), Os("alpine", "3.19.1")), "pkg:generic/thing@2.0");
  EXPECT_EQ(Purl(P("something", "a b", "1.0+x", ""), std::nullopt), "pkg:generic/a%20b@1.0%2Bx");
}

}  // namespace
}  // namespace customs

// Application packages: the ecosystem's purl type, namespaces cut where the ecosystem puts them.
TEST(PurlLang, EcosystemTypes) {
  auto P = [](const char* type, const char* name, const char* version) {
    customs::Package p;
    p.type = type;
    p.name = name;
    p.version = version;
    return customs::Purl(p, std::nullopt);
  };
  EXPECT_EQ(P("npm", "lodash", "4.17.15"), "pkg:npm/lodash@4.17.15");
  EXPECT_EQ(P("npm", "@babel/core", "7.0.0"), "pkg:npm/%40babel/core@7.0.0");
  EXPECT_EQ(P("pypi", "Django_Rest", "1.0"), "pkg:pypi/django-rest@1.0");
  EXPECT_EQ(P("golang", "github.com/gorilla/context", "v1.1.1"), "pkg:golang/github.com/gorilla/context@v1.1.1");
  EXPECT_EQ(P("golang", "stdlib", "v1.21.5"), "pkg:golang/stdlib@v1.21.5");
  EXPECT_EQ(P("cargo", "smallvec", "0.6.13"), "pkg:cargo/smallvec@0.6.13");
  EXPECT_EQ(P("maven", "org.apache.xmlgraphics:batik-anim", "1.9.1"), "pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1");
  EXPECT_EQ(P("gem", "rails", "6.0.0"), "pkg:gem/rails@6.0.0");
  EXPECT_EQ(P("composer", "symfony/console", "5.4.0"), "pkg:composer/symfony/console@5.4.0");
  EXPECT_EQ(P("nuget", "Newtonsoft.Json", "12.0.1"), "pkg:nuget/Newtonsoft.Json@12.0.1");
}
