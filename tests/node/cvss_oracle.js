#!/usr/bin/env node
// Scores CVSS vectors with the npm package ae-cvss-calculator ({metæffekt}), as an independent oracle
// for customs' own CVSS implementation (src/cvss/).
//
//   node cvss_oracle.js <vectors.txt> <scores.jsonl>
//
// <vectors.txt>: one vector per line ("CVSS:3.1/...", "CVSS:3.0/...", "CVSS:4.0/...", or a v2 vector
//   without prefix, "AV:N/AC:L/Au:N/C:P/I:P/A:P").
// <scores.jsonl>: a first line {"oracle":"ae-cvss-calculator","version":"x.y.z"}, then one JSON
//   object per input line, in order:
//     {"vector":..., "ok":true, "version":"2.0"|"3.0"|"3.1"|"4.0", "base":n, "temporal":n|null,
//      "environmental":n|null, "overall":n, "baseMetricsOnly":n|null}
//   or {"vector":..., "ok":false, "error":"..."} when the package rejects the vector.
//   For v4 the package's "base"/"overall" are the score of the whole vector (CVSS-B/BT/BE/BTE) and
//   "baseMetricsOnly" the CVSS-B score.
//   For v2 vectors with environmental metrics, also "environmentalGuide": the environmental equation
//   of the CVSS v2 guide (section 3.2.3) evaluated on the package's own sub-scores and metric
//   weights. The package's "environmental" departs from the guide: it rounds the exploitability
//   sub-score to one decimal and does not round AdjustedBase and AdjustedTemporal, so it gives 9.1 and
//   7.4 where the guide's worked examples (CVE-2002-0392, CVE-2003-0062) give 9.2 and 7.5.
// The package is taken from tests/node/node_modules (scripts/test-node-deps.sh installs it), or from
// the node_modules folder named by $CUSTOMS_NODE_MODULES.
// Exit status: 0 done, 2 usage or I/O error, 3 ae-cvss-calculator not installed.
'use strict';

const fs = require('fs');
const path = require('path');

function fail(code, message) {
  process.stderr.write(`cvss_oracle.js: ${message}\n`);
  process.exit(code);
}

function load() {
  const places = [path.join(__dirname, 'node_modules')];
  if (process.env.CUSTOMS_NODE_MODULES) places.push(process.env.CUSTOMS_NODE_MODULES);
  for (const dir of places) {
    const pkgDir = path.join(dir, 'ae-cvss-calculator');
    if (!fs.existsSync(path.join(pkgDir, 'package.json'))) continue;
    const version = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
    return { lib: require(pkgDir), version };
  }
  fail(3, `ae-cvss-calculator is not installed (looked in ${places.join(', ')})`);
}

function num(x) {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

// round_to_1_decimal as the package rounds (binary floating point, half up).
function round1(x) {
  return Math.round(x * 10) / 10;
}

// The v2 guide's environmental equation (3.2.3) on the package's sub-equations and weights:
//   AdjustedImpact    = min(10, 10.41*(1-(1-C*CR)*(1-I*IR)*(1-A*AR)))
//   AdjustedBase      = round_to_1_decimal(((0.6*AdjustedImpact)+(0.4*Exploitability)-1.5)*f(AdjustedImpact))
//   AdjustedTemporal  = round_to_1_decimal(AdjustedBase*E*RL*RC)
//   Environmental     = round_to_1_decimal((AdjustedTemporal+(10-AdjustedTemporal)*CDP)*TD)
function v2EnvironmentalGuide(cvss) {
  if (typeof cvss.calculateExactAdjustedImpactScore !== 'function' ||
      typeof cvss.calculateExactExploitabilityScore !== 'function') return null;
  const w = (name) => {
    const c = cvss.getComponentByStringOpt(name);
    return c && typeof c.value === 'number' ? c.value : null;
  };
  const [e, rl, rc, cdp, td] = ['E', 'RL', 'RC', 'CDP', 'TD'].map(w);
  if ([e, rl, rc, cdp, td].some((x) => x === null)) return null;
  const adjustedImpact = cvss.calculateExactAdjustedImpactScore();
  const exploitability = cvss.calculateExactExploitabilityScore();
  const f = adjustedImpact === 0 ? 0 : 1.176;
  const adjustedBase = round1((0.6 * adjustedImpact + 0.4 * exploitability - 1.5) * f);
  const adjustedTemporal = round1(adjustedBase * e * rl * rc);
  return round1((adjustedTemporal + (10 - adjustedTemporal) * cdp) * td);
}

function score(lib, vector) {
  let cvss;
  try {
    cvss = lib.fromVector(vector);
  } catch (e) {
    return { vector, ok: false, error: String(e && e.message ? e.message : e) };
  }
  if (!cvss) return { vector, ok: false, error: 'not recognised' };
  const name = cvss.getVectorName(); // "CVSS:2.0", "CVSS:3.1", ...
  const s = cvss.calculateScores();
  const result = {
    vector,
    ok: true,
    version: name.replace(/^CVSS:/, ''),
    base: num(s.base),
    temporal: num(s.temporal),
    environmental: num(s.environmental),
    overall: num(s.overall),
    baseMetricsOnly: num(s.baseMetricsOnly),
  };
  if (result.version === '2.0' && result.environmental !== null) result.environmentalGuide = v2EnvironmentalGuide(cvss);
  return result;
}

function main() {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) fail(2, 'usage: node cvss_oracle.js <vectors.txt> <scores.jsonl>');
  const { lib, version } = load();
  let text;
  try {
    text = fs.readFileSync(input, 'utf8');
  } catch (e) {
    fail(2, `cannot read ${input}: ${e.message}`);
  }
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const out = [JSON.stringify({ oracle: 'ae-cvss-calculator', version })];
  for (const line of lines) out.push(JSON.stringify(score(lib, line.replace(/\r$/, ''))));
  try {
    fs.writeFileSync(output, out.join('\n') + '\n');
  } catch (e) {
    fail(2, `cannot write ${output}: ${e.message}`);
  }
}

main();
