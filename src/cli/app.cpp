// The command line: parses flags with CLI11, runs the selected command, maps errors to exit codes.
// Kept thin: each command group lives in its own src/cli/<id>_command.cpp, listed in src/cli/list.inc.
#include "cli/app.h"

#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <clocale>
#include <iostream>

#include "cli/command.h"
#include "core/error.h"

namespace customs {

#define CUSTOMS_COMMAND(id) void RegisterCommands_##id(CLI::App& app, CommandSet& set);
#include "cli/list.inc"
#undef CUSTOMS_COMMAND

int RunCli(int argc, char** argv) {
  std::setlocale(LC_CTYPE, "C.UTF-8");
  // Walking a directory tree holds a descriptor per level and some for batches of entries waiting for
  // their metadata (walker/directory_stream.cpp, which sizes those to the limit): raise the soft limit
  // on open files to what the hard limit allows (up to 65,536), as Go programs such as Trivy do.
  if (struct rlimit rl; ::getrlimit(RLIMIT_NOFILE, &rl) == 0) {
    const rlim_t want = std::min<rlim_t>(rl.rlim_max, rlim_t(1) << 16);
    if (rl.rlim_cur < want) {
      rl.rlim_cur = want;
      ::setrlimit(RLIMIT_NOFILE, &rl);  // best effort
    }
  }
  CLI::App app{"customs: inspects container images, root filesystems and source trees before they are let in.\n"
               "It lists what they carry (SBOM) in table, JSON, CycloneDX or SPDX form."};
  app.name("customs");
  app.set_version_flag("--version", std::string("customs ") + CUSTOMS_VERSION);
  app.require_subcommand(1);
  app.footer("Exit codes: 0 ok, 1 a policy gate failed, 2 usage error, 3 input rejected (malformed or hostile),\n"
             "4 I/O error, 5 internal error; verify: 20 no signature, 21 wrong key, 22 signature for another\n"
             "digest, 23 tampered, 24 registry unreachable; 25 wrong key password. See README.md.");
  CommandSet set;
#define CUSTOMS_COMMAND(id) RegisterCommands_##id(app, set);
#include "cli/list.inc"
#undef CUSTOMS_COMMAND

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitUsage;
  }
  if (!set.selected) return kExitUsage;
  try {
    return set.selected();
  } catch (const Error& e) {
    std::cerr << "customs: error: " << e.what() << "\n";
    return e.code();
  } catch (const std::bad_alloc&) {
    std::cerr << "customs: error: out of memory\n";
    return kExitInternal;
  } catch (const std::exception& e) {
    std::cerr << "customs: internal error: " << e.what() << " (please report this)\n";
    return kExitInternal;
  }
}

}  // namespace customs
