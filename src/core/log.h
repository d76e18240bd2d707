// Logging to stderr (spdlog). --debug turns on debug lines, --quiet keeps only errors.
#pragma once

#include <spdlog/spdlog.h>

namespace customs {

enum class LogLevel { kQuiet, kNormal, kDebug };
void InitLogging(LogLevel level);

}  // namespace customs
