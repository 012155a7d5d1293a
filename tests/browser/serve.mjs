// trustmap serve in a real browser: the model page renders its diagram and findings, a decision made
// in the UI lands in the register exactly like the CLI's, the register and history pages render, and
// the defences hold: a foreign Host header (DNS rebinding), a POST without the session's CSRF token
// or from another origin, a path outside the pages, read-only mode, and a payload typed into a form.
// usage: node serve.mjs TRUSTMAP SOURCE_DIR   (TM_SCREENSHOT_DIR=dir also saves screenshots)
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { launch, check, done, skipUnlessReady } from './lib.mjs';

const [tm, src] = process.argv.slice(2).map((p) => path.resolve(p));
skipUnlessReady();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trustmap-serve.'));
const system = path.join(tmp, 'shop');
fs.cpSync(path.join(src, 'examples/shop'), system, { recursive: true });
fs.rmSync(path.join(system, '.trustmap'), { recursive: true, force: true });
const store = 'sqlite:' + path.join(tmp, 'register.db');
const env = { ...process.env, TRUSTMAP_STORE: store, TRUSTMAP_USER: 'carol', TRUSTMAP_NOW: '2026-11-01' };
const cli = (...args) => execFileSync(tm, args, { env, maxBuffer: 64 << 20 }).toString();
cli('scan', system, '-o', '/dev/null');
const report = JSON.parse(cli('scan', system, '--format', 'json', '--no-store'));

function serve(...extra) {
  return new Promise((resolve, reject) => {
    const p = spawn(tm, ['serve', system, '--listen', '127.0.0.1:0', ...extra], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => {
      err += d;
      const m = err.match(/serving (http:\/\/[^/\s]+)\//);
      if (m) resolve({ p, url: m[1] });
    });
    p.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
    setTimeout(() => reject(new Error('serve did not start: ' + err)), 20000);
  });
}

// A raw request, headers as given (the browser would not let us forge Host or Origin).
function raw(url, { method = 'GET', headers = {}, body = null, pathName = '/' } = {}) {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method, path: pathName, headers }, (res) => {
      let data = '';
      res.on('data', (d) => (data += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

const { p: server, url } = await serve();
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  const resp = await page.goto(url + '/');
  check(resp.status() === 200, 'the model page loads');
  const h = resp.headers();
  check(/default-src 'none'/.test(h['content-security-policy'] || '') && h['x-frame-options'] === 'DENY' &&
    h['x-content-type-options'] === 'nosniff' && h['cache-control'] === 'no-store', 'security headers on every page');
  check((await page.locator('#diagram svg .tm-node').count()) >= 10, 'the diagram renders');
  check((await page.locator('table#findings tr.finding').count()) === report.findings.length, 'every finding is listed');

  // accept a finding from the UI
  const target = report.findings.find((f) => f.status === 'open' && f.severity === 'high');
  const row = page.locator(`table#findings tr.finding[data-fp="${target.fingerprint}"]`);
  await row.click();
  const form = row.locator('xpath=following-sibling::tr[1]').locator('form.decide');
  check(await form.isVisible(), 'the finding opens with a decision form');
  await form.locator('select[name=action]').selectOption('accept');
  await form.locator('input[name=owner]').fill('team-web');
  await form.locator('input[name=until]').fill('2026-12-31');
  await form.locator('input[name=why]').fill('<img src=x onerror="window.__pwned=1"> compensating control');
  await Promise.all([page.waitForNavigation(), form.locator('button[type=submit]').click()]);
  if (!(await page.locator('.notice').count())) console.error('DEBUG', page.url(), (await page.content()).slice(0, 400));
  check((await page.locator('.notice').textContent()).includes('Recorded'), 'the page says the decision was recorded');
  const reg = JSON.parse(cli('findings', system, '--status', 'accepted', '--format', 'json'));
  const got = reg.findings.find((f) => f.fingerprint === target.fingerprint);
  check(got && got.decision.owner === 'team-web' && got.decision.until === '2026-12-31' &&
    got.decision.recorded_by === 'carol (web)', 'the register holds the UI\'s decision: ' + JSON.stringify(got && got.decision));
  check((await page.locator(`table#findings tr.finding[data-fp="${target.fingerprint}"]`).getAttribute('data-status')) === 'accepted',
    'the model page shows it accepted');

  // the register page: mark another finding mitigated; the payload typed before shows as text
  await page.goto(url + '/register');
  const other = report.findings.find((f) => f.status === 'open' && f.fingerprint !== target.fingerprint);
  const rrow = page.locator(`table#register tr.finding[data-fp="${other.fingerprint}"]`);
  await rrow.click();
  const rform = rrow.locator('xpath=following-sibling::tr[1]').locator('form.decide');
  await rform.locator('select[name=action]').selectOption('mitigated');
  await rform.locator('input[name=why]').fill('rate limit at the edge');
  await Promise.all([page.waitForNavigation(), rform.locator('button[type=submit]').click()]);
  check(page.url().endsWith('/register'), 'a decision on the register returns to the register');
  const mit = JSON.parse(cli('findings', system, '--status', 'mitigated', '--format', 'json'));
  check(mit.findings.some((f) => f.fingerprint === other.fingerprint), 'mitigated from the register page');
  check((await page.locator('body').innerText()).includes('<img src=x onerror="window.__pwned=1">'), 'a typed payload shows as text');
  // a decision the CLI would refuse is refused here too
  await rrow.click();
  await rform.locator('select[name=action]').selectOption('accept');
  await rform.locator('input[name=owner]').fill('x');
  await rform.locator('input[name=until]').fill('2020-01-01');
  await rform.locator('input[name=why]').fill('y');
  await Promise.all([page.waitForNavigation(), rform.locator('button[type=submit]').click()]);
  check((await page.locator('.notice').textContent()).includes('Not recorded: the expiry is in the past'), 'a past expiry is refused');

  await page.goto(url + '/history');
  check((await page.locator('svg.chart polyline').count()) === 4, 'the history chart draws four series');
  check((await page.evaluate(() => window.__pwned)) === undefined && dialogs.length === 0, 'no payload ran');
  check(errors.length === 0, 'no script errors: ' + errors.join('; '));
  if (process.env.TM_SCREENSHOT_DIR) {
    await page.goto(url + '/register');
    await page.locator(`table#register tr.finding[data-fp="${other.fingerprint}"]`).click();
    await page.screenshot({ path: path.join(process.env.TM_SCREENSHOT_DIR, 'serve-register.png') });
  }

  // the defences, with raw requests
  const cookies = await page.context().cookies();
  const sid = cookies.find((c) => c.name === 'tm_session');
  check(sid && sid.httpOnly && sid.sameSite === 'Strict', 'the session cookie is HttpOnly and SameSite=Strict');
  await page.goto(url + '/');
  const csrf = await page.locator('form.decide input[name=csrf]').first().getAttribute('value');
  const host = new URL(url).host;
  const formBody = (token) => `csrf=${token}&fp=${other.fingerprint}&action=open&owner=&until=&why=&back=%2F`;
  const post = (headers, token) => raw(url, { method: 'POST', pathName: '/decide', body: formBody(token),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Host: host, Cookie: 'tm_session=' + sid.value, ...headers } });
  check((await raw(url, { headers: { Host: 'evil.example' } })).status === 421, 'a foreign Host is refused (DNS rebinding)');
  check((await raw(url, { headers: { Host: 'evil.example:' + new URL(url).port } })).status === 421, 'even on our port');
  check((await raw(url, { headers: { Host: 'localhost:' + new URL(url).port } })).status === 200, 'localhost:PORT is us');
  check((await post({}, 'f'.repeat(32))).status === 403, 'a POST with a wrong CSRF token is refused');
  check((await raw(url, { method: 'POST', pathName: '/decide', body: formBody(csrf),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Host: host } })).status === 403, 'a POST without the session is refused');
  check((await post({ Origin: 'http://evil.example' }, csrf)).status === 403, 'a cross-origin POST is refused');
  const ok = await post({ Origin: 'http://' + host }, csrf);
  check(ok.status === 303, 'the same POST with the token and our origin is taken (' + ok.status + ')');
  for (const p of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/register/../../../etc/passwd', '/.trustmap/trustmap.db',
                   '/favicon.ico', '/decide']) {
    const r = await raw(url, { pathName: p, headers: { Host: host } });
    // dot segments are refused before routing (400), unknown paths are not found (404)
    check((r.status === 404 || r.status === 400) && !r.body.includes('root:'), `${p} reads nothing (${r.status})`);
  }
  check((await raw(url, { method: 'PUT', headers: { Host: host } })).status === 405, 'other methods are refused');
  const big = await raw(url, { method: 'POST', pathName: '/decide', body: 'why=' + 'x'.repeat(40000),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Host: host, Cookie: 'tm_session=' + sid.value } });
  check(big.status === 413 || big.status === 400, 'an oversized form is refused (' + big.status + ')');
  await page.close();

  // read-only mode: nothing to post
  const { p: ro, url: roUrl } = await serve('--read-only');
  try {
    const p2 = await browser.newPage();
    await p2.goto(roUrl + '/');
    check((await p2.locator('form').count()) === 0, 'read-only: no forms');
    check((await p2.locator('table#findings tr.finding').count()) === report.findings.length, 'read-only: the findings');
    const r = await raw(roUrl, { method: 'POST', pathName: '/decide', body: 'x=1',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Host: new URL(roUrl).host } });
    check(r.status === 403, 'read-only: a POST is refused');
    await p2.close();
  } finally {
    ro.kill('SIGTERM');
  }
} finally {
  await browser.close();
  if (server.exitCode === null && server.signalCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  } else {
    check(false, `the server had stopped on its own (exit ${server.exitCode}, signal ${server.signalCode})`);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}
done('serve');
