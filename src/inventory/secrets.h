// Secrets in the inventory: every layer's matches, each told whether a later layer removed the file
// that holds it (the credential is still in the image: in the layer that added it).
#pragma once

#include <vector>

#include "core/types.h"
#include "inventory/history.h"
#include "walker/walker.h"

namespace customs {

// Moves the secret matches of every layer into inv.secrets, sets removed_in_layer/replaced from the
// path's history (the first later layer that deleted it, hid it under an opaque directory, or wrote
// over it or over a directory above it), and sorts them.
void CollectSecrets(std::vector<LayerScan>& scans, const LayerHistory& history, Inventory& inv);

}  // namespace customs
