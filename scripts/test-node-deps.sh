#!/usr/bin/env bash
# npm packages the tests use as oracles and validators (JSON-schema validation with ajv), installed
# into tests/node/node_modules (ignored by git) from the npm registry.
set -euo pipefail
cd "$(dirname "$0")/../tests/node"
if [ ! -d node_modules/ajv ] || [ ! -d node_modules/ajv-formats ]; then
  npm install --no-audit --no-fund --silent
fi
