// harness.mjs — what every browser test file shares: a database of its own
// in a temporary folder, `kpi serve` on a free loopback port, Debian's
// headless Chromium, and the two page checks (axe-core for WCAG 2.2 A and AA;
// no sideways scroll of the page itself). The test files bring their data and
// journeys; stopping asserts that the server exited cleanly with no sanitizer
// report.
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import axe from 'axe-core';

export const KPI = process.env.KPI_BIN;
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const EXAMPLE = join(ROOT, 'examples', 'chorley-2011-q2');
export const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

// Start a site: a fresh folder (name starting `prefix`) with kpi.db, the
// worked example's framework imported, then setup(h) to add what the file
// needs (users, more data), then the server and the browser. Returns h:
// { dir, db, base, browser, kpi(args, input), log() }.
export async function start(prefix, setup) {
  assert.ok(KPI, 'set KPI_BIN to the kpi binary');
  const h = { server: null, serverLog: '', browser: null };
  h.dir = mkdtempSync(join(tmpdir(), prefix));
  h.db = join(h.dir, 'kpi.db');
  h.kpi = (args, input) => execFileSync(KPI, ['--db', h.db, ...args], { input, encoding: 'utf8' });
  h.log = () => h.serverLog;
  try {
    h.kpi(['init', '--area', 'Chorley']);
    for (const kind of ['indicators', 'targets', 'values', 'projects', 'statuses'])
      h.kpi(['import', kind, join(EXAMPLE, `${kind}.csv`)]);
    await setup(h);
    const port = await freePort();
    h.base = `http://127.0.0.1:${port}`;
    h.server = spawn(KPI, ['--db', h.db, 'serve', '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    h.server.stderr.on('data', d => { h.serverLog += d; });
    let up = false;
    for (let i = 0; i < 200 && !up; i++) {
      try { await fetch(`${h.base}/login`); up = true; } catch { await new Promise(r => setTimeout(r, 100)); }
    }
    if (!up) throw new Error(`server did not start: ${h.serverLog}`);
    h.browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      // Playwright gives every launch its own fresh, temporary --user-data-dir
      // (and refuses one in args), so no profile is ever shared between runs.
    });
  } catch (e) {
    // Nothing left running or lying about; the first error is the one reported.
    if (h.browser) await h.browser.close().catch(() => {});
    if (h.server) h.server.kill('SIGKILL');
    rmSync(h.dir, { recursive: true, force: true });
    throw e;
  }
  return h;
}

// Stop what start() started (whatever part of it did start): the browser,
// then the server, which must exit 0 with no sanitizer report; then the folder.
export async function stop(h) {
  if (!h) return;
  if (h.browser) await h.browser.close();
  if (h.server) {
    const done = new Promise(r => h.server.on('exit', (code, sig) => r({ code, sig })));
    h.server.kill('SIGTERM');
    const { code } = await done;
    assert.equal(code, 0, `server exit status (log: ${h.serverLog})`);
    assert.doesNotMatch(h.serverLog, /Sanitizer|runtime error/, 'no sanitizer report from the server');
  }
  if (h.dir) rmSync(h.dir, { recursive: true, force: true });
}

// axe-core's WCAG 2.2 A and AA rules on the page: no violation.
export async function axeCheck(page, name) {
  await page.evaluate(axe.source);
  const result = await page.evaluate(tags => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), WCAG);
  const problems = result.violations.map(v =>
    `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('\n    ')}`);
  assert.deepEqual(problems, [], `${name}: WCAG 2.2 AA violations`);
}

// At a phone's width the page itself never scrolls sideways (a wide table or
// chart may, inside its own region).
export async function widthCheck(page, name, width) {
  const { doc, body } = await page.evaluate(() => ({
    doc: document.documentElement.scrollWidth, body: document.body.scrollWidth }));
  assert.ok(doc <= width && body <= width, `${name} at ${width} px: the document is ${doc} px wide (body ${body} px)`);
}
