// A real PostgreSQL server for the store's tests: started once per test process with
// scripts/postgres.sh (Debian's PostgreSQL 15, a temporary data directory, loopback only) and stopped
// when the process exits. Each caller gets a database of its own.
#pragma once

#include <optional>
#include <string>

namespace customs_test {

// A URL to a new, empty database on the process's server; nullopt with `*why` when PostgreSQL is not
// installed or does not start (the caller skips, saying why).
std::optional<std::string> FreshPostgresDatabase(std::string* why);

}  // namespace customs_test
