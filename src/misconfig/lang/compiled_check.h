// The compiled form of a check (misconfig/check.h's CompiledCheck): its variables, deny and message
// expressions, parsed and checked once at load time, shared read-only by every evaluation (and thread).
#pragma once

#include <string>
#include <vector>

#include "misconfig/lang/program.h"

namespace customs::misconfig {

struct CompiledCheck {
  std::vector<std::string> variable_names;
  std::vector<lang::Program> variables;
  lang::Program deny;
  bool has_message = false;
  lang::Program message;
};

}  // namespace customs::misconfig
