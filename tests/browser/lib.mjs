// Shared by the browser tests: launching Debian's chromium through playwright-core, checks, exit codes.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const chromiumPath = process.env.TM_CHROMIUM || '/usr/bin/chromium';
let failures = 0, passes = 0;

// Exit 77 (ctest: skipped), saying why, when the browser or playwright-core is not installed.
export function skipUnlessReady() {
  if (!fs.existsSync(path.join(here, 'node_modules/playwright-core'))) {
    console.log('browser tests skipped: playwright-core is not installed (scripts/install-deps.sh runs npm ci in tests/browser)');
    process.exit(77);
  }
  if (!fs.existsSync(chromiumPath)) {
    console.log(`browser tests skipped: no chromium at ${chromiumPath} (scripts/install-deps.sh installs Debian's chromium)`);
    process.exit(77);
  }
}

export async function launch() {
  const { chromium } = await import(path.join(here, 'node_modules/playwright-core/index.mjs'));
  return chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu'] });
}

export function check(ok, what) {
  if (ok) passes++;
  else {
    failures++;
    console.error('FAIL: ' + what);
  }
}

export function done(name) {
  console.log(`${name}: ${passes} passed, ${failures} failed`);
  process.exit(failures ? 1 : 0);
}
