#!/usr/bin/env node
// Validate SARIF files against the SARIF 2.1.0 JSON schema (the copy @microsoft/jest-sarif ships),
// with ajv. Usage: node validate.js FILE.sarif... ; exits 1 on any schema error.
'use strict';
const fs = require('fs');
const path = require('path');
const Ajv = require('ajv-draft-04'); // the SARIF 2.1.0 schema is draft-04
const addFormats = require('ajv-formats');

const schemaPath = path.join(__dirname, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas',
                             'sarif-2.1.0-rtm.5.json');
const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
// the schema's language pattern is not valid with the u flag: compile patterns without it
const ajv = new Ajv({allErrors: true, strict: false, unicodeRegExp: false});
addFormats(ajv);
const validate = ajv.compile(schema);
let failed = 0;
for (const file of process.argv.slice(2)) {
  const log = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!validate(log)) {
    failed++;
    console.log(`FAIL: ${file}`);
    for (const e of validate.errors.slice(0, 20))
      console.log(`  ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  } else {
    const results = log.runs.reduce((n, r) => n + (r.results || []).length, 0);
    console.log(`ok: ${file} (${results} results)`);
  }
}
process.exit(failed ? 1 : 0);
