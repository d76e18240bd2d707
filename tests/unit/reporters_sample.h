// Hand-built scan results for the reporter tests: an Alpine image, a Debian image, a Rocky Linux
// image (RPM) and a root filesystem without a known OS.
#pragma once

#include <memory>  // before reporter.h (it uses std::unique_ptr)
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "reporters/reporter.h"

namespace customs::sample {

inline const std::string kLayer0 = "sha256:6102f0d2ad33ab0d0a0a3d9ae1d27c2e6e8ab8f0b7c2c4a7e1b0d2c3e4f5a6b7";
inline const std::string kLayer1 = "sha256:a1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddeeff00";

inline LayerInfo Layer(int index, const std::string& diff_id, const std::string& created_by) {
  LayerInfo l;
  l.index = index;
  l.diff_id = diff_id;
  l.digest = "sha256:" + std::string(64, static_cast<char>('0' + index));
  l.media_type = "application/vnd.oci.image.layer.v1.tar+gzip";
  l.size = 1000 + index;
  l.uncompressed_size = 5000 + index;
  l.created_by = created_by;
  return l;
}

inline Package Pkg(const std::string& type, const std::string& name, const std::string& version,
                   const std::string& arch, int layer) {
  Package p;
  p.type = type;
  p.name = name;
  p.version = version;
  p.upstream = version;
  p.arch = arch;
  p.src_name = name;
  p.src_version = version;
  p.layer = layer;
  return p;
}

inline ScanResult Base(const std::string& name, ArtifactType type) {
  ScanResult r;
  r.tool_version = "0.1.0";
  r.scanned_at = "2024-05-06T07:08:09Z";
  r.inventory.artifact.type = type;
  r.inventory.artifact.name = name;
  if (type == ArtifactType::kContainerImage) {
    r.inventory.artifact.image_id = "sha256:" + std::string(64, 'c');
    r.inventory.artifact.repo_tags = {name};
    r.inventory.artifact.repo_digests = {"docker.io/library/x@sha256:" + std::string(64, 'd')};
    r.inventory.artifact.platform = {"linux", "amd64", ""};
    r.inventory.artifact.created = "2020-04-24T01:05:03.92860976Z";
    r.inventory.layers = {Layer(0, kLayer0, "/bin/sh -c #(nop) ADD file:abc in /"),
                          Layer(1, kLayer1, "/bin/sh -c apk add curl")};
  }
  return r;
}

inline ScanResult Alpine() {
  ScanResult r = Base("alpine:3.9", ArtifactType::kContainerImage);
  r.inventory.os = OSInfo{"alpine", "Alpine Linux v3.9", "3.9.6", "", "etc/os-release"};
  auto& pk = r.inventory.packages;
  Package musl = Pkg("apk", "musl", "1.1.20-r4", "x86_64", 0);
  musl.upstream = "1.1.20";
  musl.release = "r4";
  musl.licenses = {"MIT"};
  musl.maintainer = "Timo Teräs <timo.teras@iki.fi>";
  musl.db_path = "lib/apk/db/installed";
  musl.files = {"lib/ld-musl-x86_64.so.1", "lib/libc.musl-x86_64.so.1"};
  Package busybox = Pkg("apk", "busybox", "1.29.3-r10", "x86_64", 0);
  busybox.licenses = {"GPL-2.0"};
  busybox.depends = {"musl", "so:libc.musl-x86_64.so.1"};
  busybox.db_path = "lib/apk/db/installed";
  Package ssl = Pkg("apk", "libssl1.1", "1.1.1k-r0", "x86_64", 1);
  ssl.src_name = "openssl";
  ssl.licenses = {"OpenSSL"};
  ssl.depends = {"musl", "libcrypto1.1"};
  ssl.db_path = "lib/apk/db/installed";
  Package crypto = Pkg("apk", "libcrypto1.1", "1.1.1k-r0", "x86_64", 1);
  crypto.src_name = "openssl";
  crypto.licenses = {"OpenSSL"};
  crypto.depends = {"musl"};
  crypto.db_path = "lib/apk/db/installed";
  Package curl = Pkg("apk", "curl", "7.64.0-r5", "x86_64", 1);
  curl.licenses = {"MIT AND BSD-3-Clause"};
  curl.depends = {"libssl1.1", "ca-certificates"};
  curl.db_path = "lib/apk/db/installed";
  curl.extra = {{"checksum", "Q1abc="}, {"url", "https://curl.haxx.se/"}};
  // Database order, not report order.
  pk = {musl, busybox, ssl, crypto, curl};
  r.inventory.diagnostics = {{"lib/apk/db/installed", "line 42: unknown field 'Z'"}};
  return r;
}

inline ScanResult Debian() {
  ScanResult r = Base("debian:11", ArtifactType::kContainerImage);
  r.inventory.os = OSInfo{"debian", "Debian GNU/Linux 11 (bullseye)", "11.0", "bullseye", "etc/os-release"};
  auto& pk = r.inventory.packages;
  Package libc = Pkg("dpkg", "libc6", "2.31-13", "amd64", 0);
  libc.upstream = "2.31";
  libc.release = "13";
  libc.src_name = "glibc";
  libc.licenses = {"GPL-2.0", "LGPL-2.1"};
  libc.maintainer = "GNU Libc Maintainers <debian-glibc@lists.debian.org>";
  libc.db_path = "var/lib/dpkg/status";
  Package tar = Pkg("dpkg", "tar", "1.34+dfsg-1", "amd64", 0);
  tar.upstream = "1.34+dfsg";
  tar.release = "1";
  tar.licenses = {"GPL-3+", "public-domain"};
  tar.depends = {"libc6", "libacl1"};
  tar.db_path = "var/lib/dpkg/status";
  Package bsd = Pkg("dpkg", "bsdutils", "1:2.36.1-8", "amd64", 1);
  bsd.epoch = 1;
  bsd.upstream = "2.36.1";
  bsd.release = "8";
  bsd.src_name = "util-linux";
  bsd.src_version = "2.36.1-8";
  bsd.src_epoch = 0;
  bsd.licenses = {"BSD-4-Clause", "GPL-2.0-or-later WITH Linux-syscall-note"};
  bsd.depends = {"libc6:amd64"};
  bsd.db_path = "var/lib/dpkg/status";
  pk = {libc, tar, bsd};
  return r;
}

inline ScanResult Rocky() {
  ScanResult r = Base("rockylinux:9", ArtifactType::kContainerImage);
  r.inventory.os = OSInfo{"rocky", "Rocky Linux 9.3 (Blue Onyx)", "9.3", "", "etc/os-release"};
  auto& pk = r.inventory.packages;
  Package bash = Pkg("rpm", "bash", "5.1.8-6.el9_1", "x86_64", 0);
  bash.upstream = "5.1.8";
  bash.release = "6.el9_1";
  bash.src_name = "bash";
  bash.src_version = "5.1.8-6.el9_1";
  bash.licenses = {"GPLv3+"};
  bash.depends = {"glibc"};
  bash.db_path = "var/lib/rpm/rpmdb.sqlite";
  bash.extra = {{"vendor", "Rocky Enterprise Software Foundation"}};
  Package openssl = Pkg("rpm", "openssl-libs", "1:3.0.7-24.el9", "x86_64", 1);
  openssl.epoch = 1;
  openssl.upstream = "3.0.7";
  openssl.release = "24.el9";
  openssl.src_name = "openssl";
  openssl.src_version = "1:3.0.7-24.el9";
  openssl.src_epoch = 1;
  openssl.licenses = {"ASL 2.0"};
  openssl.depends = {"glibc", "openssl-libs"};
  openssl.db_path = "var/lib/rpm/rpmdb.sqlite";
  Package glibc = Pkg("rpm", "glibc", "2.34-83.el9.7", "x86_64", 0);
  glibc.upstream = "2.34";
  glibc.release = "83.el9.7";
  glibc.licenses = {"LGPL-2.1-or-later AND SunPro AND LGPL-2.1-or-later WITH GCC-exception-2.0 AND BSD-3-Clause"};
  glibc.db_path = "var/lib/rpm/rpmdb.sqlite";
  Package glibc32 = glibc;
  glibc32.arch = "i686";
  pk = {bash, openssl, glibc, glibc32};
  return r;
}

// A root filesystem with no OS facts and packages of a type without a purl mapping.
inline ScanResult BareRootfs() {
  ScanResult r = Base("/srv/rootfs", ArtifactType::kRootfs);
  Package odd = Pkg("dpkg", "odd pkg", "1.0", "all", -1);
  odd.licenses = {"Custom License (see COPYING)"};
  Package other = Pkg("unknown-type", "thing", "2.0", "", -1);
  r.inventory.packages = {odd, other};
  return r;
}

inline std::string Render(const std::string& format, const ScanResult& r, bool color = false) {
  auto rep = MakeReporter(format);
  if (!rep) return "";
  std::ostringstream out;
  rep->Write(r, ReportOptions{color}, out);
  return out.str();
}

// Writes `content` to a file in the test's temporary folder and returns its path.
inline std::string WriteTemp(const std::string& name, const std::string& content) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string path = ::testing::TempDir() + "customs-" + (info ? std::string(info->test_suite_name()) + "-" + info->name() : "x") +
                     "-" + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

}  // namespace customs::sample
