// Subcommands register themselves here: one file per command group under src/cli/, plus one line in
// src/cli/list.inc. A command's callback returns the process exit code (core/exit_codes.h).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <vector>

namespace customs {

struct CommandSet {
  // Set by the command that ran; RunCli returns it. Callbacks may throw customs::Error.
  std::function<int()> selected;
};

using CommandRegistrar = void (*)(CLI::App& app, CommandSet& set);

}  // namespace customs
