#!/usr/bin/env node
// Validates a JSON document against one of the report schemas with ajv.
//
//   node validate.js <schema> <file.json> [schema-dir]
//
// <schema>: cyclonedx-1.6 | spdx-2.3 | sarif-2.1.0 | openvex
// [schema-dir]: the folder holding the schemas (default: ../../../shared/specs/schemas from here,
//   or $CUSTOMS_SCHEMA_DIR).
// Exit status: 0 valid, 1 invalid (errors printed), 2 usage or setup error.
'use strict';

const fs = require('fs');
const path = require('path');

// Each schema: its main file and the files its $refs name, relative to the schema folder.
const SCHEMAS = {
  'cyclonedx-1.6': {
    main: 'cyclonedx/bom-1.6.SNAPSHOT.schema.json',
    refs: ['cyclonedx/spdx.SNAPSHOT.schema.json', 'cyclonedx/jsf-0.82.SNAPSHOT.schema.json'],
  },
  'spdx-2.3': { main: 'spdx-2.3.schema.json', refs: [] },
  'sarif-2.1.0': { main: 'sarif-2.1.0.schema.json', refs: [] },
  'openvex': { main: 'openvex.schema.json', refs: [] },
};

function fail(message) {
  process.stderr.write(`validate.js: ${message}\n`);
  process.exit(2);
}

function readJson(file, what) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    fail(`cannot read ${what} ${file}: ${e.message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    // The document itself not being JSON is a validation failure, not a setup error.
    if (what === 'document') {
      process.stdout.write(`${file}: not valid JSON: ${e.message}\n`);
      process.exit(1);
    }
    fail(`${what} ${file} is not valid JSON: ${e.message}`);
  }
}

// The ajv class for the JSON Schema draft a schema declares.
function ajvClassFor(schema) {
  const draft = String(schema.$schema || '');
  if (draft.includes('2020-12')) return require('ajv/dist/2020').default;
  if (draft.includes('2019-09')) return require('ajv/dist/2019').default;
  return require('ajv').default; // draft-07 (and draft-06, and draft-04 once converted below)
}

// ajv 8 has no draft-04 mode. The draft-04 keywords that differ from draft-07 are "id" (now "$id")
// and boolean exclusiveMinimum/exclusiveMaximum (now numbers); convert those and validate as
// draft-07. Only the root "id" is touched: elsewhere "id" is usually a property name.
function fromDraft04(schema) {
  const draft = String(schema.$schema || '');
  if (!draft.includes('draft-04')) return schema;
  const out = JSON.parse(JSON.stringify(schema));
  out.$schema = 'http://json-schema.org/draft-07/schema#';
  if (typeof out.id === 'string' && out.$id === undefined) {
    out.$id = out.id;
    delete out.id;
  }
  const walk = (node) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [bound, limit] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']]) {
      if (typeof node[bound] === 'boolean') {
        if (node[bound] && typeof node[limit] === 'number') {
          node[bound] = node[limit];
          delete node[limit];
        } else {
          delete node[bound];
        }
      }
    }
    Object.values(node).forEach(walk);
  };
  walk(out);
  return out;
}

function main() {
  const [schemaName, file, dirArg] = process.argv.slice(2);
  if (!schemaName || !file) fail('usage: node validate.js <cyclonedx-1.6|spdx-2.3|sarif-2.1.0|openvex> <file.json> [schema-dir]');
  const spec = SCHEMAS[schemaName];
  if (!spec) fail(`unknown schema "${schemaName}" (known: ${Object.keys(SCHEMAS).join(', ')})`);

  let Ajv;
  let addFormats;
  try {
    require.resolve('ajv');
    addFormats = require('ajv-formats').default || require('ajv-formats');
  } catch (e) {
    fail(`ajv / ajv-formats not installed in ${__dirname}/node_modules (run: bash scripts/test-node-deps.sh)`);
  }

  const dir = dirArg || process.env.CUSTOMS_SCHEMA_DIR || path.resolve(__dirname, '../../../shared/specs/schemas');
  const main = fromDraft04(readJson(path.join(dir, spec.main), 'schema'));
  Ajv = ajvClassFor(main);
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  // Formats the schemas use that ajv-formats lacks: accepted as they come.
  for (const f of ['iri', 'iri-reference', 'idn-email', 'idn-hostname']) {
    if (!ajv.formats[f]) ajv.addFormat(f, true);
  }

  // Referenced schemas are registered under the URL the main schema's $ref resolves to (relative to
  // the main schema's $id), whatever their own $id says.
  const base = main.$id || main.id || 'file:///';
  for (const ref of spec.refs) {
    const sub = fromDraft04(readJson(path.join(dir, ref), 'schema'));
    const url = new URL(path.basename(ref), base).href;
    const copy = Object.assign({}, sub, { $id: url });
    ajv.addSchema(copy);
  }

  let validate;
  try {
    validate = ajv.compile(main);
  } catch (e) {
    fail(`cannot compile schema ${spec.main}: ${e.message}`);
  }

  const doc = readJson(file, 'document');
  if (validate(doc)) {
    process.stdout.write(`${file}: valid against ${schemaName}\n`);
    process.exit(0);
  }
  process.stdout.write(`${file}: ${validate.errors.length} error(s) against ${schemaName}\n`);
  for (const err of validate.errors.slice(0, 50)) {
    const where = err.instancePath || '(root)';
    let params = JSON.stringify(err.params);
    if (params.length > 200) params = params.slice(0, 200) + '...';
    process.stdout.write(`  ${where}: ${err.message} ${params} [${err.schemaPath}]\n`);
  }
  if (validate.errors.length > 50) process.stdout.write(`  ... ${validate.errors.length - 50} more\n`);
  process.exit(1);
}

main();
