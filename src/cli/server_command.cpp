// `customs server ...`: execs the sibling program customs-server (src/server/main.cpp) with the same
// arguments. The HTTP server library lives only there, so that scans do not load it.
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <string>
#include <vector>

#include "cli/command.h"
#include "core/error.h"

namespace customs {

namespace {

std::string SiblingProgram(const char* name) {
  char self[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) throw IoError("/proc/self/exe", std::strerror(errno));
  std::string dir(self, static_cast<size_t>(n));
  dir = dir.substr(0, dir.rfind('/'));
  return dir + "/" + name;
}

[[noreturn]] void ExecServer(const std::vector<std::string>& args) {
  const std::string prog = SiblingProgram("customs-server");
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(prog.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  ::execv(prog.c_str(), argv.data());
  throw IoError(prog, std::string("cannot run customs-server (build it beside customs: cmake --build build): ") +
                          std::strerror(errno));
}

}  // namespace

void RegisterCommands_server(CLI::App& app, CommandSet& set) {
  auto* srv = app.add_subcommand("server", "serve the scan store's REST API; `server token create` makes API tokens "
                                           "(customs server --help; docs/server.md)");
  srv->prefix_command();
  srv->allow_extras();
  srv->set_help_flag();  // --help goes to customs-server
  srv->callback([srv, &set] {
    std::vector<std::string> args = srv->remaining();
    set.selected = [args] () -> int { ExecServer(args); };
  });
}

}  // namespace customs
