// Secrets in the inventory: every layer's matches, each told whether a later layer removed the file
// that holds it (the credential is still in the image: in the layer that added it).
#pragma once

#include <vector>

#include "core/types.h"
#include "walker/walker.h"

namespace customs {

// Moves the secret matches of every layer into inv.secrets, sets removed_in_layer/replaced from the
// later layers' entries (whiteouts, opaque directories, files written over), and sorts them.
void CollectSecrets(std::vector<LayerScan>& scans, Inventory& inv);

}  // namespace customs
