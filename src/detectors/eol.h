#pragma once

#include <optional>
#include <string>

#include "core/types.h"

namespace customs {

// End of security support ("YYYY-MM-DD") of an OS release, from the distributions' published
// schedules (data table in eol.cpp); nullopt when unknown.
std::optional<std::string> EndOfLife(const OSInfo& os);

}  // namespace customs
