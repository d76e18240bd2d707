#!/usr/bin/env bash
# npm packages the tests use as oracles and validators (ajv + ajv-formats for the JSON schemas, semver,
# ae-cvss-calculator), installed from the npm registry into tests/node/node_modules (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/../tests/node"
missing=0
for dep in $(node -e 'console.log(Object.keys(require("./package.json").dependencies).join(" "))'); do
  [ -d "node_modules/$dep" ] || missing=1
done
if [ "$missing" = 1 ]; then
  npm ci --no-audit --no-fund --silent 2>&1 | grep -v 'Unknown user config' || true
fi
