#!/usr/bin/env bash
# Installs everything customs needs to build, test and benchmark, on Debian bookworm.
# Idempotent: packages already present are not fetched again.
set -euo pipefail

PACKAGES=(
  # build
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
  # libraries
  libarchive-dev zlib1g-dev libzstd-dev libssl-dev nlohmann-json3-dev libcli11-dev libfmt-dev
  libspdlog-dev librpm-dev libyaml-cpp-dev libsqlite3-dev libtomlplusplus-dev libcurl4-openssl-dev libsodium-dev
  libhyperscan-dev libpcre2-dev libpq-dev libpugixml-dev libcpp-httplib-dev
  # the scan store's PostgreSQL back end, tested against a real server (scripts/postgres.sh); curl drives
  # the server's REST API in tests
  postgresql curl
  # tests: oracles and fixture makers
  libgtest-dev libgmock-dev libbenchmark-dev rpm db5.3-util sqlite3 gpg debootstrap dpkg-dev zstd gzip tar
  python3 python3-pip python3-yaml nodejs
  # cosign key format oracle (scrypt + NaCl secretbox + EC keys, written independently of customs)
  python3-nacl python3-cryptography
  # real inputs: Go executables shipped by Debian, Rust programs for cargo-auditable sections
  docker-registry skopeo rustc
  # the TLS + basic-auth test registry (htpasswd -B)
  apache2-utils
  # benchmarks (bench/lib.sh unpacks the UPX-packed Trivy binary under gdb)
  gdb
  # version-comparison oracles (Go's x/mod, RubyGems, Composer, Maven's ComparableVersion)
  golang-go golang-golang-x-mod-dev ruby php-cli php-composer-semver libmaven3-core-java default-jre-headless
  ca-certificates
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Debian's nodejs comes without npm; some machines carry a nodejs build that bundles it (and conflicts
# with Debian's npm package). Ask for npm only when the command is missing.
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]})); then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
