// The store's schema: one list of versioned migrations for both back ends (docs in schema.cpp).
#pragma once

#include "store/sql.h"

namespace customs::store {

// The schema version this customs writes; Migrate brings an older store up to it.
int CurrentSchemaVersion();

// Runs, in one transaction each, every migration above the store's recorded version; a store newer
// than this customs is refused (customs::Error naming both versions). Returns the version now.
int Migrate(Sql& sql);

}  // namespace customs::store
