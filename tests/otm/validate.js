#!/usr/bin/env node
// Validate OTM documents against the published Open Threat Model 0.2.0 JSON schema (otm_schema.json
// beside this file), with the ajv that tests/sarif installs (no network, no install of its own).
// The schema is JSON Schema draft-07: ajv 8's default class is the draft-07 one.
// Usage: node validate.js FILE.otm.json... ; exits 1 on any schema error.
'use strict';
const fs = require('fs');
const path = require('path');

const modules = path.join(__dirname, '..', 'sarif', 'node_modules');
const Ajv = require(path.join(modules, 'ajv'));
const schema = JSON.parse(fs.readFileSync(path.join(__dirname, 'otm_schema.json'), 'utf8'));
if (schema.$schema !== 'http://json-schema.org/draft-07/schema#') {
  console.log(`FAIL: otm_schema.json declares ${schema.$schema}, not draft-07`);
  process.exit(1);
}
// strict mode on: the published schema compiles under it, so a typo in it would show
const ajv = new Ajv({allErrors: true});
const validate = ajv.compile(schema);
let failed = 0;
for (const file of process.argv.slice(2)) {
  let doc;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    failed++;
    console.log(`FAIL: ${file}: not JSON: ${e.message}`);
    continue;
  }
  if (!validate(doc)) {
    failed++;
    console.log(`FAIL: ${file}`);
    for (const e of validate.errors.slice(0, 20))
      console.log(`  ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  } else {
    const n = (k) => (doc[k] || []).length;
    console.log(`ok: ${file} (${n('trustZones')} trust zones, ${n('components')} components, ` +
                `${n('dataflows')} dataflows, ${n('threats')} threats)`);
  }
}
process.exit(failed ? 1 : 0);
