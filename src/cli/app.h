#pragma once

namespace customs {

// Parses the command line, runs the command, returns the process exit code (see core/exit_codes.h).
int RunCli(int argc, char** argv);

}  // namespace customs
