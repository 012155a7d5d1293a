// The HTML report in a real browser (Debian's chromium, driven by playwright-core): the diagram
// renders, the filters and sorting work, a finding's path highlights on the diagram, and an XSS
// payload corpus placed in the example's specs, manifests and overlay never executes.
// usage: node report.mjs TRUSTMAP SOURCE_DIR   (TM_SCREENSHOT_DIR=dir also saves screenshots)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, check, done, skipUnlessReady } from './lib.mjs';

const [tm, src] = process.argv.slice(2).map((p) => path.resolve(p));
skipUnlessReady();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trustmap-browser.'));
const env = { ...process.env, TRUSTMAP_STORE: 'none' };
const run = (...args) => execFileSync(tm, args, { env, maxBuffer: 64 << 20 }).toString();

const browser = await launch();
try {
  // 1. the example system
  const html = path.join(tmp, 'shop.html');
  run('scan', path.join(src, 'examples/shop'), '--format', 'html', '-o', html);
  const report = JSON.parse(run('scan', path.join(src, 'examples/shop'), '--format', 'json'));
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  const requests = [];
  page.on('request', (r) => !r.url().startsWith('file:') && requests.push(r.url()));
  await page.goto('file://' + html);

  const nodes = page.locator('#diagram svg .tm-node');
  check((await nodes.count()) >= 10, 'the diagram draws the example\'s nodes');
  const box = await nodes.first().boundingBox();
  check(box && box.width > 5 && box.height > 5, 'diagram nodes have a size on the page');
  check((await page.locator('#diagram svg .tm-edge.state-missing').count()) > 0, 'edges without auth are marked');

  const rows = page.locator('table#findings tr.finding');
  const total = await rows.count();
  check(total === report.findings.length, `one row per finding (${total} of ${report.findings.length})`);
  const visible = () => page.locator('table#findings tr.finding:visible').count();
  await page.selectOption('.filters[data-for="findings"] select[data-filter="severity"]', 'critical');
  const critical = report.findings.filter((f) => f.severity === 'critical').length;
  check((await visible()) === critical, `severity filter: ${await visible()} rows, ${critical} critical findings`);
  await page.selectOption('.filters[data-for="findings"] select[data-filter="stride"]', 'elevation-of-privilege');
  const both = report.findings.filter((f) => f.severity === 'critical' && f.stride.includes('elevation-of-privilege')).length;
  check((await visible()) === both, `STRIDE filter combines with severity (${await visible()} of ${both})`);
  await page.selectOption('.filters[data-for="findings"] select[data-filter="stride"]', '');
  await page.selectOption('.filters[data-for="findings"] select[data-filter="severity"]', '');
  await page.fill('.filters[data-for="findings"] input[data-search]', 'TM-API-001');
  const api001 = report.findings.filter((f) => f.rule === 'TM-API-001').length;
  check((await visible()) === api001, `search by rule (${await visible()} of ${api001})`);
  await page.fill('.filters[data-for="findings"] input[data-search]', '');
  check((await visible()) === total, 'clearing the filters shows every finding');

  // sorting: by priority, ascending then descending
  const priorities = async () => page.$$eval('table#findings tr.finding', (rs) => rs.map((r) => +r.dataset.priority));
  await page.click('table#findings th[data-sort="priority"]');
  let p = await priorities();
  check(p.every((v, i) => i === 0 || p[i - 1] <= v), 'sorted by priority, ascending');
  await page.click('table#findings th[data-sort="priority"]');
  p = await priorities();
  check(p.every((v, i) => i === 0 || p[i - 1] >= v), 'sorted by priority, descending');

  // a finding with a path: its nodes and edges highlight, its evidence shows
  const withPath = report.findings.find((f) => f.path && f.path.length >= 3);
  const row = page.locator(`table#findings tr.finding[data-fp="${withPath.fingerprint}"]`);
  await row.click();
  const lit = await page.locator('#diagram svg .hl').count();
  check(lit >= 2, `a finding's path lights ${lit} elements of the diagram`);
  check(await row.locator('xpath=following-sibling::tr[1]').isVisible(), 'its detail row opens');
  check((await row.locator('xpath=following-sibling::tr[1]').textContent()).includes(withPath.evidence[0].path),
    'the detail shows the evidence file');
  check(await page.locator('#diagram svg').evaluate((s) => s.classList.contains('dim')), 'the rest of the diagram dims');
  await page.click('.filters[data-for="findings"] [data-clear]');
  check((await page.locator('#diagram svg .hl').count()) === 0, 'clear removes the highlight');
  check(errors.length === 0, 'no script errors: ' + errors.join('; '));
  check(requests.length === 0, 'no network requests: ' + requests.join(' '));
  if (process.env.TM_SCREENSHOT_DIR) {
    // the README's pictures: the diagram with a finding's path lit, then the findings with a filter set
    await page.setViewportSize({ width: 1400, height: 1250 });
    const openRow = async () => {
      if (await row.locator('xpath=following-sibling::tr[1]').isVisible()) await row.click(); // close first
      await row.click();
    };
    await openRow();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(process.env.TM_SCREENSHOT_DIR, 'report.png') });
    await page.selectOption('.filters[data-for="findings"] select[data-filter="severity"]', 'critical');
    await page.locator('#wrong').evaluate((e) => e.scrollIntoView());
    await page.screenshot({ path: path.join(process.env.TM_SCREENSHOT_DIR, 'report-findings.png') });
    await page.selectOption('.filters[data-for="findings"] select[data-filter="severity"]', '');
  }
  await page.close();

  // 2. the XSS corpus: payloads in specs, manifests, the overlay and CODEOWNERS
  const evil = path.join(tmp, 'evil');
  fs.cpSync(path.join(src, 'examples/shop'), evil, { recursive: true });
  const payloads = [
    '<script>window.__pwned=1</script>',
    '"><img src=x onerror="window.__pwned=2">',
    "'><svg onload='window.__pwned=3'>",
    '</title><script>window.__pwned=4</script>',
    'javascript:window.__pwned=5',
    '[click](javascript:window.__pwned=6)',
    '<a href="javascript:window.__pwned=7">x</a>',
    '{{constructor.constructor("window.__pwned=8")()}}',
    '</textarea></style></script><script>window.__pwned=9</script>',
    '<iframe srcdoc="<script>parent.__pwned=10</script>">',
  ];
  const spec = path.join(evil, 'api/orders.openapi.yaml');
  let text = fs.readFileSync(spec, 'utf8');
  const paths = payloads.map((pl, i) =>
    `  ${JSON.stringify('/evil' + i + '/' + pl + '/{orderId}')}:\n    delete:\n      summary: ${JSON.stringify(pl)}\n` +
    `      operationId: evil${i}\n      security: []\n      parameters:\n        - {name: orderId, in: path, required: true, schema: {type: integer}}\n` +
    `      responses:\n        "200": {description: ${JSON.stringify(pl)}}\n`).join('');
  text = text.replace('paths:\n', 'paths:\n' + paths);
  fs.writeFileSync(spec, text);
  const overlay = path.join(evil, 'trustmap.yaml');
  fs.writeFileSync(overlay, fs.readFileSync(overlay, 'utf8')
    .replace(/: team-checkout/g, ': ' + JSON.stringify(payloads[1])).replace(/: team-catalog/g, ': ' + JSON.stringify(payloads[2])));
  fs.writeFileSync(path.join(evil, 'k8s/evil.yaml'),
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${JSON.stringify(payloads[0])}, namespace: shop}\ndata: {URL: ${JSON.stringify('http://' + payloads[3])}}\n`);
  const evilHtml = path.join(tmp, 'evil.html');
  const evilJson = JSON.parse(run('scan', evil, '--format', 'json'));
  check(!evilJson.diagnostics.some((d) => d.severity === 'error'), 'the corpus system reads without errors: ' +
    evilJson.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; '));
  check(evilJson.findings.some((f) => f.action.owner === payloads[1]), 'an owner carries a payload');
  run('scan', evil, '--format', 'html', '-o', evilHtml);
  const page2 = await browser.newPage();
  const dialogs = [];
  page2.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  await page2.goto('file://' + evilHtml);
  // interact: open every finding, use every filter
  const evilRows = page2.locator('table#findings tr.finding');
  const n = await evilRows.count();
  // the payload operations are findings (folded per service when more than three share a rule)
  const titles = evilJson.findings.flatMap((f) => [f.title, ...(f.affected || []).map((m) => m.node + ' ' + m.title)]);
  check(n > 0 && titles.some((t) => t.includes(payloads[0])), `the payloads made findings (${n} rows)`);
  for (let i = 0; i < n; i++) await evilRows.nth(i).click();
  for (const f of ['severity', 'layer', 'stride', 'owner', 'status']) {
    const opts = await page2.$$eval(`select[data-filter="${f}"] option`, (os) => os.map((o) => o.value).filter(Boolean));
    for (const v of opts) await page2.selectOption(`select[data-filter="${f}"]`, v);
    await page2.selectOption(`select[data-filter="${f}"]`, '');
  }
  await page2.waitForTimeout(200);
  const pwned = await page2.evaluate(() => window.__pwned);
  check(pwned === undefined, `no payload ran (window.__pwned = ${pwned})`);
  check(dialogs.length === 0, 'no dialog opened: ' + dialogs.join('; '));
  // as text, not markup: a parsed payload would be an element, not these characters (textContent
  // also reads the detail rows a click did not leave open)
  const bodyText = await page2.locator('body').textContent();
  check(bodyText.includes('<script>window.__pwned=1</script>'), 'a payload is shown as text');
  check((await page2.locator('script').count()) === 1, 'one script element on the page: trustmap\'s own');
  check((await page2.locator('img, iframe, svg[onload], a[href^="javascript"]').count()) === 0,
    'no element a payload would create');
  await page2.close();

  // 3. a change review as one page: the agenda, the new findings on the head's diagram
  const diffHtml = path.join(tmp, 'diff.html');
  execFileSync(tm, ['diff', path.join(src, 'examples/shop'), evil, '--format', 'html', '-o', diffHtml], { env });
  const page3 = await browser.newPage();
  const dialogs3 = [];
  page3.on('dialog', (d) => { dialogs3.push(d.message()); d.dismiss(); });
  await page3.goto('file://' + diffHtml);
  check((await page3.locator('#agenda input[type=checkbox]').count()) > 0, 'the review lists its agenda as a checklist');
  const newRows = page3.locator('table#findings tr.finding');
  check((await newRows.count()) >= payloads.length, 'the review lists the new findings');
  await newRows.first().click();
  check((await page3.locator('#diagram svg .hl').count()) >= 1, "a new finding lights up on the head's diagram");
  check((await page3.evaluate(() => window.__pwned)) === undefined && dialogs3.length === 0, 'no payload ran in the review');
  if (process.env.TM_SCREENSHOT_DIR)
    await page3.screenshot({ path: path.join(process.env.TM_SCREENSHOT_DIR, 'review.png') });
  await page3.close();
} finally {
  await browser.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}
done('report');
