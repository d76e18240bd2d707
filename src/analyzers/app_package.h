// The package record of an application dependency (npm, pypi, maven, gem, composer, nuget, ...):
// no epoch or release, and the package is its own source.
#pragma once

#include <string>

#include "core/types.h"

namespace customs {

Package MakeAppPackage(std::string type, std::string name, std::string version, std::string db_path);

}  // namespace customs
