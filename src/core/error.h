// Errors carry the exit code they map to and a one-line message that names the file and the reason.
#pragma once

#include <stdexcept>
#include <string>

#include "core/exit_codes.h"

namespace customs {

class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

// Malformed or hostile input. `where` names the file (and the entry inside it, if any).
inline Error InputError(const std::string& where, const std::string& reason) {
  return Error(kExitInputRejected, where + ": " + reason);
}

inline Error IoError(const std::string& where, const std::string& reason) {
  return Error(kExitIo, where + ": " + reason);
}

// A limit that protects the scanner was crossed (size, depth, count, expansion). Never turned into a
// diagnostic: the input is rejected as a whole (see InvokeAnalyzer in core/analyzer.h).
class LimitError : public Error {
 public:
  explicit LimitError(const std::string& message) : Error(kExitInputRejected, message) {}
};

inline LimitError LimitExceeded(const std::string& where, const std::string& reason) {
  return LimitError(where + ": " + reason);
}

inline Error UsageError(const std::string& message) { return Error(kExitUsage, message); }

}  // namespace customs
