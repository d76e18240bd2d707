// Process exit codes. The README's "Exit codes" table documents exactly these.
#pragma once

namespace customs {

enum ExitCode : int {
  kExitOk = 0,             // scan completed; no gate failed
  kExitFindings = 1,       // default value of --exit-code: a policy gate failed
  kExitUsage = 2,          // bad command line
  kExitInputRejected = 3,  // the input is malformed or hostile (traversal, bomb, bad digest, truncation, ...)
  kExitIo = 4,             // an input could not be read or the output could not be written
  kExitInternal = 5,       // a bug: please report it
};

}  // namespace customs
