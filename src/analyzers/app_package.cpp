#include "analyzers/app_package.h"

namespace customs {

Package MakeAppPackage(std::string type, std::string name, std::string version, std::string db_path) {
  Package p;
  p.type = std::move(type);
  p.name = std::move(name);
  p.version = std::move(version);
  p.upstream = p.version;
  p.src_name = p.name;
  p.src_version = p.version;
  p.src_upstream = p.version;
  p.db_path = std::move(db_path);
  return p;
}

}  // namespace customs
