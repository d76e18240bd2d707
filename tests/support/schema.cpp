#include "support/schema.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

namespace {

namespace fs = std::filesystem;

const char* kSchemas[] = {"cyclonedx-1.6", "spdx-2.3", "sarif-2.1.0", "openvex"};

fs::path NodeDir() { return fs::path(CUSTOMS_SOURCE_DIR) / "tests" / "node"; }
fs::path SchemaDir() { return fs::path(CUSTOMS_SOURCE_DIR "/../shared/specs/schemas/"); }

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else out.push_back(c);
  }
  return out + "'";
}

// Runs a shell command; returns its exit status (-1 when it could not run) and its output
// (stdout and stderr).
int Run(const std::string& cmd, std::string* output) {
  FILE* f = popen((cmd + " 2>&1").c_str(), "r");
  if (!f) return -1;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), f)) > 0) output->append(buf.data(), n);
  int status = pclose(f);
  if (status == -1 || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

}  // namespace

bool SchemaValidatorAvailable(std::string* why) {
  std::string out;
  if (Run("node --version", &out) != 0) {
    if (why) *why = "node is not installed (apt-get install nodejs npm); schema validation skipped";
    return false;
  }
  for (const char* mod : {"ajv", "ajv-formats"}) {
    if (!fs::exists(NodeDir() / "node_modules" / mod / "package.json")) {
      if (why)
        *why = std::string("tests/node/node_modules/") + mod +
               " is missing (run: bash scripts/test-node-deps.sh); schema validation skipped";
      return false;
    }
  }
  return true;
}

::testing::AssertionResult ValidatesAgainstSchema(const std::string& schema, const std::string& json_file) {
  bool known = false;
  for (const char* s : kSchemas) known = known || schema == s;
  if (!known) return ::testing::AssertionFailure() << "unknown schema \"" << schema << "\"";
  if (!fs::exists(json_file)) return ::testing::AssertionFailure() << json_file << ": no such file";

  std::string why;
  if (!SchemaValidatorAvailable(&why)) {
    [&] { GTEST_SKIP() << why; }();
    return ::testing::AssertionSuccess() << "skipped: " << why;
  }

  std::string cmd = "node " + ShellQuote((NodeDir() / "validate.js").string()) + " " + ShellQuote(schema) + " " +
                    ShellQuote(json_file) + " " + ShellQuote(SchemaDir().string());
  std::string output;
  int rc = Run(cmd, &output);
  if (rc == 0) return ::testing::AssertionSuccess() << output;
  if (rc == 1)
    return ::testing::AssertionFailure() << json_file << " does not validate against " << schema << ":\n" << output;
  return ::testing::AssertionFailure() << "validator failed (exit " << rc << ") on " << json_file << ":\n" << output;
}
