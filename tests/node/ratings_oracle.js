#!/usr/bin/env node
// An independent check of customs' ratings (docs/risk.md) over real NVD records: for every finding of
// a customs JSON report whose CVE the NVD API 2.0 page has metrics for, the severity customs chose
// must be the one docs/risk.md's precedence gives, computed here from the raw NVD record and scored
// with the npm package ae-cvss-calculator; and every finding's risk score must follow the documented
// formula from the oracle's own base score.
//
//   node ratings_oracle.js <nvd-page.json> <report.json>
//
// Prints one JSON object: {"oracle": "ae-cvss-calculator x.y.z", "findings": N, "nvdRated": N,
// "distroRated": N, "mismatches": [ ... ]}. Exit status: 0 done (mismatches or not), 2 usage or I/O
// error, 3 ae-cvss-calculator not installed.
'use strict';

const fs = require('fs');
const path = require('path');

function fail(code, message) {
  process.stderr.write(`ratings_oracle.js: ${message}\n`);
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

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    fail(2, `cannot read ${file}: ${e.message}`);
  }
}

// NVD's metric lists, newest CVSS version first.
const METRIC_KEYS = [['cvssMetricV40', 4], ['cvssMetricV31', 3], ['cvssMetricV30', 2], ['cvssMetricV2', 1]];

function baseScore(lib, vector) {
  try {
    const c = lib.fromVector(vector);
    if (!c) return null;
    const s = c.calculateScores();
    // CVSS v4: the score of the vector as given (NVD's vectors carry base metrics only).
    return typeof s.base === 'number' ? s.base : null;
  } catch (e) {
    return null;
  }
}

function band(score, rank) {
  if (rank === 1) return score < 4 ? 'LOW' : score < 7 ? 'MEDIUM' : 'HIGH';  // NVD's v2 bands
  if (score === 0) return 'NONE';
  return score < 4 ? 'LOW' : score < 7 ? 'MEDIUM' : score < 9 ? 'HIGH' : 'CRITICAL';
}

// The candidates docs/risk.md ranks for a CVE: NVD primary (class 3) and CNAs through NVD (class 1),
// each with its version rank. Returns the best class's best version's candidates (several CNAs may
// tie).
function expectedChoice(lib, cve) {
  const candidates = [];
  for (const [key, rank] of METRIC_KEYS) {
    for (const m of (cve.metrics && cve.metrics[key]) || []) {
      const vector = m.cvssData && m.cvssData.vectorString;
      if (!vector) continue;
      const score = baseScore(lib, vector);
      if (score === null) continue;  // an invalid vector is skipped, as customs does
      const cls = m.type === 'Primary' || !m.type ? 3 : 1;
      candidates.push({ cls, rank, vector, score, severity: band(score, rank) });
    }
  }
  if (!candidates.length) return [];
  const best = candidates.reduce((a, b) => (b.cls > a.cls || (b.cls === a.cls && b.rank > a.rank) ? b : a));
  return candidates.filter((c) => c.cls === best.cls && c.rank === best.rank);
}

function main() {
  const [nvdFile, reportFile] = process.argv.slice(2);
  if (!nvdFile || !reportFile) fail(2, 'usage: node ratings_oracle.js <nvd-page.json> <report.json>');
  const { lib, version } = load();
  const nvd = readJson(nvdFile);
  const report = readJson(reportFile);
  const byCve = new Map();
  for (const v of nvd.vulnerabilities || []) if (v.cve && v.cve.id) byCve.set(v.cve.id, v.cve);

  const out = { oracle: `ae-cvss-calculator ${version}`, findings: 0, nvdRated: 0, distroRated: 0, mismatches: [] };
  const mismatch = (f, pkg, what) => out.mismatches.push({ id: f.id, package: pkg, what });
  for (const t of report.targets || []) {
    for (const p of t.packages || []) {
      for (const f of p.vulnerabilities || []) {
        out.findings++;
        const cveId = [f.id, ...(f.aliases || [])].find((x) => byCve.has(x));
        const choice = cveId ? expectedChoice(lib, byCve.get(cveId)) : [];
        let impact = null;
        if (f.severitySource && !f.severityVector && !String(f.severitySource).startsWith('nvd')) {
          // 1. a distribution's own rating word: nothing to score, the word's band middle is the impact.
          out.distroRated++;
          impact = { CRITICAL: 9.5, HIGH: 8.0, MEDIUM: 5.5, LOW: 2.0, NONE: 0 }[f.severity];
          if (impact === undefined) mismatch(f, p.name, `rated by ${f.severitySource} but severity ${f.severity}`);
        } else if (choice.length) {
          out.nvdRated++;
          const hit = choice.find((c) => c.vector === f.severityVector);
          if (!hit) {
            mismatch(f, p.name, `severityVector ${f.severityVector || '(none)'}, expected ${choice.map((c) => c.vector).join(' or ')}`);
          } else {
            if (hit.severity !== f.severity) mismatch(f, p.name, `severity ${f.severity}, oracle ${hit.severity} (${hit.score})`);
            const wantSource = hit.cls === 3 ? 'nvd' : 'nvd:';
            if (hit.cls === 3 ? f.severitySource !== 'nvd' : !String(f.severitySource).startsWith('nvd:'))
              mismatch(f, p.name, `severitySource ${f.severitySource}, expected ${wantSource}...`);
            impact = hit.score;
          }
        } else if (f.severity === 'UNKNOWN') {
          impact = 5.0;
        } else {
          continue;  // rated by a source this oracle does not read (a language feed's own vector)
        }
        if (impact === null || !f.risk) continue;
        const exploitation = f.kev ? 1 : typeof f.epss === 'number' ? f.epss : 0;
        const fix = f.fixedVersion ? 1 : 0;
        const want = Math.round(60 * impact / 10 + 30 * exploitation + 10 * fix);
        if (f.risk.score !== want) mismatch(f, p.name, `risk ${f.risk.score}, formula gives ${want}`);
      }
    }
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main();
