#!/usr/bin/env node
// Oracle for the semver and npm version comparators (tests/unit/version_semver_test.cpp,
// version_npm_test.cpp): node-semver's own answers.
//
//   node semver_oracle.js < pairs.tsv
//
// Input: one question per line, "MODE<TAB>A<TAB>B", MODE "strict" or "loose" (node-semver's
// `loose` option). Output: one line per question, "VALID_A VALID_B CMP": VALID_* is 1 when
// semver.valid(x, loose) accepts the string, else 0; CMP is semver.compare(a, b, loose) (-1, 0, 1)
// when both are valid, else "x". The first output line is "semver VERSION".
//
// The semver package is resolved from this folder's node_modules (scripts/test-node-deps.sh), or
// from the node_modules folder named by $CUSTOMS_NODE_MODULES. Exit status 2 when it is missing.
'use strict';

const path = require('path');

function load() {
  const candidates = [path.join(__dirname, 'node_modules', 'semver')];
  if (process.env.CUSTOMS_NODE_MODULES) candidates.push(path.join(process.env.CUSTOMS_NODE_MODULES, 'semver'));
  for (const c of candidates) {
    try {
      return { semver: require(c), version: require(path.join(c, 'package.json')).version };
    } catch (e) {
      // next
    }
  }
  process.stderr.write('semver_oracle.js: the npm package semver is not installed\n');
  process.exit(2);
}

const { semver, version } = load();
const input = require('fs').readFileSync(0, 'utf8');
const out = [`semver ${version}`];
for (const line of input.split('\n')) {
  if (line === '') continue;
  const [mode, a, b] = line.split('\t');
  const loose = mode === 'loose';
  const va = semver.valid(a, { loose }) !== null;
  const vb = semver.valid(b, { loose }) !== null;
  let cmp = 'x';
  if (va && vb) cmp = String(semver.compare(a, b, { loose }));
  out.push(`${va ? 1 : 0} ${vb ? 1 : 0} ${cmp}`);
}
process.stdout.write(out.join('\n') + '\n');
