// round.test.mjs — the quarterly cycle (issue 11) in a real browser with real
// accounts: an admin opens the 2011/12 Q3 round on /rounds, the police and
// fire editors enter their figures and submit (the fire return has a red
// figure, refused until its exception commentary is written), the officer
// returns the police return with a reason, approves every return once it is
// back, and publishes; the locked period then refuses an edit (the API answers
// 409, the entry form shows the refusal); the stored paper's SHA-256 stays the
// same after `kpi reopen` and an edit, and the next paper marks the revised
// figure. Then /rounds and /papers (with a paper) are checked by axe (WCAG 2.2
// AA) and for sideways scroll at 1280 and 375 px, as an editor and an admin.
// Run by tests/browser/run with KPI_BIN set; its own database and server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { start, stop, axeCheck, widthCheck } from './harness.mjs';

const P = '2011/12 Q3';
const POLICE = 'Lancashire Constabulary', FIRE = 'Lancashire Fire and Rescue', COUNTY = 'Lancashire County Council';
const PASS = { alice: 'admin-pass-1', olive: 'officer-pass-1', pc: 'police-pass-1', fc: 'fire-pass-1' };

let h, kpi, base, browser, token;

before(async () => {
  h = await start('kpi-round-', site => {
    site.kpi(['user', 'add', 'alice', '--role', 'admin'], `${PASS.alice}\n`);
    site.kpi(['user', 'add', 'olive', '--role', 'officer'], `${PASS.olive}\n`);
    site.kpi(['user', 'add', 'pc', '--role', 'editor', '--partner', POLICE], `${PASS.pc}\n`);
    site.kpi(['user', 'add', 'fc', '--role', 'editor', '--partner', FIRE], `${PASS.fc}\n`);
    token = site.kpi(['token', 'add', 'pc']).trim().split('\n').pop();
  });
  ({ kpi, base, browser } = h);
});

after(() => stop(h));

async function signedIn(user, viewport = { width: 1280, height: 900 }, opts = {}) {
  const context = await browser.newContext({ viewport, ...opts });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill(PASS[user]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/`);
  return { context, page };
}

const banner = page => page.locator('.govuk-notification-banner').innerText();
const problem = page => page.locator('.govuk-error-summary').innerText();

// The papers as `kpi paper list` prints them: {`${paper}.${format}`: sha256}.
function paperList() {
  const rows = kpi(['paper', 'list']).trim().split('\n').slice(1);
  return Object.fromEntries(rows.map(l => { const c = l.split(','); return [`${c[0]}.${c[5]}`, c[7]]; }));
}

async function enter(page, figures) {
  await page.goto(`${base}/enter?area=Chorley&period=${encodeURIComponent(P)}`);
  for (const [code, v] of Object.entries(figures))
    await page.locator(`#v-${code.replace('.', '\\.')}`).fill(v);
  await page.getByRole('button', { name: 'Save all', exact: true }).last().click();
}

async function act(page, button, reason) {
  await page.goto(`${base}/rounds`);
  if (reason !== undefined) await page.getByLabel(reason[0]).fill(reason[1]);
  await page.getByRole('button', { name: button }).click();
}

test('the whole round: open, enter, exception, submit, return, approve, publish, locked, reopen, revised', async () => {
  // The admin opens the round on /rounds, reached from the navigation.
  const admin = await signedIn('alice');
  let page = admin.page;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Rounds' }).click();
  assert.equal(await page.locator('nav [aria-current="page"]').innerText(), 'Rounds');
  await page.getByLabel('Period', { exact: true }).selectOption(P);
  await page.getByLabel('Due date').fill('20 October');
  await page.getByRole('button', { name: 'Open the round' }).click();
  assert.match(await page.title(), /^Error: /);
  assert.match(await problem(page), /The due date must be a real date/);
  assert.match(await page.locator('#due-error').innerText(), /like 2011-10-20/);
  assert.equal(await page.getByLabel('Due date').inputValue(), '20 October', 'what was typed is kept');
  assert.equal(kpi(['round', 'list']).trim().split('\n').length, 1, 'nothing opened');
  await page.getByLabel('Due date').fill('2011-10-20');
  await page.getByLabel('Opens (optional)').fill('2011-10-01');
  await page.getByRole('button', { name: 'Open the round' }).click();
  assert.match(await banner(page), /The round for 2011\/12 Q3 is open: due 20 October 2011\./);
  assert.match(kpi(['round', 'list']), /^2011\/12 Q3,2011-10-01,2011-10-20,"-7,0,3",open,/m);
  assert.equal(await page.getByLabel('Period', { exact: true }).inputValue(), '2011/12 Q4', 'the form offers the next quarter');
  await page.getByLabel('Period', { exact: true }).selectOption('2011-11'); // a month inside the open round
  await page.getByLabel('Due date').fill('2011-12-20');
  await page.getByRole('button', { name: 'Open the round' }).click();
  assert.match(await problem(page), /The round for 2011-11 cannot be opened: the round for 2011\/12 Q3 is open and overlaps 2011-11: close it first$/);

  // The fire editor enters a red figure: the return is refused until its exception is written.
  const fire = await signedIn('fc');
  page = fire.page;
  await enter(page, { 'fire.adf': '40', 'fire.dpf': '9' });
  assert.match(await banner(page), /2 figures saved/);
  await act(page, `Submit ${FIRE}'s return`);
  assert.match(await problem(page), /red figure without exception commentary \(fire\.adf in Chorley\)/);
  await page.locator('summary', { hasText: 'Exception commentary' }).click();
  await page.getByLabel('Indicator').selectOption('fire.adf');
  await page.getByLabel('Cause').fill('Three kitchen fires in one block in November');
  await page.getByLabel('Action', { exact: true }).fill('Home fire safety checks in every flat of the block');
  await page.getByLabel('Owner').fill('Station Manager, Chorley');
  await page.getByLabel('Action due by (YYYY-MM-DD)').fill('2012-01-31');
  await page.getByRole('button', { name: 'Save the exception' }).click();
  assert.match(await banner(page), /The exception for Accidental Dwelling Fires in 2011\/12 Q3 is saved/);
  await act(page, `Submit ${FIRE}'s return`);
  assert.match(await banner(page), new RegExp(`${FIRE}'s return for 2011/12 Q3 is submitted`));
  assert.equal(await page.getByRole('button', { name: `Submit ${POLICE}'s return` }).count(), 0,
    'the fire editor cannot submit the police return');

  // The police editor enters and submits.
  const police = await signedIn('pc');
  page = police.page;
  await enter(page, { 'crime.robbery': '4', 'crime.vehicle': '99' });
  assert.match(await banner(page), /2 figures saved/);
  await act(page, `Submit ${POLICE}'s return`);
  assert.match(await banner(page), /is submitted/);
  kpi(['submit', P, '--partner', COUNTY]); // the third partner, where the browser adds nothing

  // The officer returns the police return with a reason...
  const officer = await signedIn('olive');
  page = officer.page;
  await page.goto(`${base}/rounds`);
  assert.match(await page.locator('main').innerText(), /can be published when every return is approved; not yet/);
  await act(page, `Return ${POLICE}'s return`, [`Reason for returning ${POLICE}'s return`, 'Robbery looks low: check']);
  assert.match(await banner(page), /is returned/);
  assert.match(await page.locator('tr', { hasText: POLICE }).innerText(), /returned: Robbery looks low: check/);
  // ...the editor corrects it and submits again...
  await enter(police.page, { 'crime.robbery': '5' });
  await act(police.page, `Submit ${POLICE}'s return`);
  assert.match(await banner(police.page), /is submitted/);
  // ...and the officer approves every return and publishes.
  for (const partner of [POLICE, FIRE, COUNTY]) {
    await act(page, `Approve ${partner}'s return`);
    assert.match(await banner(page), new RegExp(`${partner}'s return for 2011/12 Q3 is approved`));
  }
  await page.getByRole('button', { name: `Publish ${P}` }).click();
  assert.match(await banner(page), /2011\/12 Q3 is published as paper 1 and locked; 0 figures are marked revised/);
  const first = paperList();
  assert.equal(Object.keys(first).length, 6, 'the paper is stored in six formats');

  // /papers shows each file's SHA-256, and the file served is that file.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Papers' }).click();
  assert.equal(await page.locator('nav [aria-current="page"]').innerText(), 'Papers');
  const mdRow = page.locator('tr', { has: page.getByRole('link', { name: 'md', exact: true }) }).first();
  assert.equal(await mdRow.locator('code').innerText(), first['1.md']);
  const md1 = await (await page.request.get(`${base}/papers/1.md`)).body();
  assert.equal(createHash('sha256').update(md1).digest('hex'), first['1.md']);

  // The locked period refuses a later edit: the API answers 409, the entry form shows why.
  const api = await fetch(`${base}/api/v1/values`, {
    method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ indicator: 'crime.robbery', area: 'Chorley', period: P, value: 6 }),
  });
  assert.equal(api.status, 409);
  assert.match(await api.text(), /published/);
  await enter(police.page, { 'crime.robbery': '6' });
  assert.match(await problem(police.page), /2011\/12 Q3 is published/);
  assert.match(kpi(['compare', '--area', 'Chorley', '--period', P, '--format', 'csv']).split('\n')
    .find(l => l.startsWith('crime.robbery')) || '', /,5,/, 'the figure is still 5');

  // Reopened with a reason and edited: the stored paper does not change.
  kpi(['reopen', P, '--reason', 'Fire corrected November\'s count']);
  await enter(fire.page, { 'fire.adf': '38' });
  assert.match(await banner(fire.page), /1 figure saved/);
  assert.deepEqual(paperList(), first, 'every file of paper 1 keeps its SHA-256');
  const again = await (await page.request.get(`${base}/papers/1.md`)).body();
  assert.ok(again.equals(md1), 'paper 1 is served byte for byte as published');

  // The next paper marks the revised figure.
  await page.goto(`${base}/rounds`);
  await page.getByRole('button', { name: `Publish ${P}` }).click();
  assert.match(await banner(page), /published as paper 2 and locked; 1 figure is marked revised/);
  const md2 = (await (await page.request.get(`${base}/papers/2.md`)).body()).toString('utf8');
  assert.match(md2, /Accidental Dwelling Fires \(revised\)/);
  assert.doesNotMatch(md1.toString('utf8'), /\(revised\)/);
  assert.equal(paperList()['1.md'], first['1.md']);

  for (const s of [admin, fire, police, officer]) await s.context.close();
});

test('accessibility: /rounds (with returns, forms and an error) and /papers (with papers) at 1280 and 375 px, as an editor and an admin', async () => {
  // A second round, still open, so that the forms show.
  kpi(['round', 'open', '2011/12 Q4', '--due', '2012-01-20', '--opens', '2012-01-01']);
  const failures = [];
  let checked = 0;
  for (const width of [1280, 375]) {
    for (const user of ['fc', 'alice']) {
      const { context, page } = await signedIn(user, { width, height: 800 }, { bypassCSP: true });
      for (const [name, path] of [['rounds', '/rounds'], ['papers', '/papers']]) {
        await page.goto(`${base}${path}`);
        const label = `${name} (${user}, ${width} px)`;
        if (name === 'papers') assert.ok(await page.locator('tbody tr').count() >= 6, 'papers are listed');
        // nothing is cut off inside a table's scrolling region either: every button and hash is on screen
        const outside = await page.evaluate(w => [...document.querySelectorAll('main button, main code')]
          .filter(e => e.getBoundingClientRect().right > w).map(e => e.textContent.slice(0, 40)), width);
        if (outside.length) failures.push(`${label}: off-screen to the right: ${outside.join(' | ')}`);
        if (process.env.KPI_SCREENSHOTS)
          await page.screenshot({ path: join(process.env.KPI_SCREENSHOTS, `${name}-${user}-${width}.png`), fullPage: true });
        for (const check of [() => axeCheck(page, label), () => widthCheck(page, label, width)])
          await check().catch(e => failures.push(e.message));
        checked++;
      }
      if (user === 'alice') { // the open form showing its errors
        await page.goto(`${base}/rounds`);
        await page.getByRole('button', { name: 'Open the round' }).click();
        await page.locator('.govuk-error-summary').waitFor();
        assert.ok(await page.evaluate(() => document.activeElement.classList.contains('govuk-error-summary')),
          'focus moves to the error summary');
        for (const check of [() => axeCheck(page, `rounds with errors (${width} px)`),
          () => widthCheck(page, 'rounds with errors', width)])
          await check().catch(e => failures.push(e.message));
        checked++;
      }
      await context.close();
    }
  }
  assert.deepEqual(failures, []);
  assert.equal(checked, 10);
});
