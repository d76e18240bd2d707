#include "core/log.h"

#include <spdlog/sinks/stdout_sinks.h>

namespace customs {

void InitLogging(LogLevel level) {
  auto logger = spdlog::stderr_logger_mt("customs");
  logger->set_pattern("customs: %^%l%$: %v");
  switch (level) {
    case LogLevel::kQuiet: logger->set_level(spdlog::level::err); break;
    case LogLevel::kNormal: logger->set_level(spdlog::level::warn); break;
    case LogLevel::kDebug: logger->set_level(spdlog::level::debug); break;
  }
  spdlog::set_default_logger(logger);
}

}  // namespace customs
