// web.test.mjs — the web application in a real browser: Debian's headless
// Chromium driven by playwright-core. The main journeys (sign in, enter a
// month's figures, see the dashboard change, download the report) and an
// axe-core accessibility check of every page, as an editor and as an admin, at
// 1280 and 375 px: zero WCAG 2.2 AA violations, and at 375 px no page wider
// than the screen.
// Run by tests/browser/run with KPI_BIN set; each run builds its own database
// and server on a free loopback port.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, stop, axeCheck, widthCheck } from './harness.mjs';

const WIDTHS = [1280, 375];

let h, base, browser;

before(async () => {
  h = await start('kpi-browser-', site => {
    // A monthly indicator, so that a month's figures can be entered.
    writeFileSync(join(site.dir, 'asb.csv'),
      'code,title,unit,polarity,frequency,partner\n' +
      'police.asb,Anti-social behaviour incidents,count,lower,month,Lancashire Constabulary\n');
    site.kpi(['import', 'indicators', join(site.dir, 'asb.csv')]);
    writeFileSync(join(site.dir, 'asb-values.csv'), 'indicator,area,period,value\n' +
      ['2010-04,410', '2010-05,395', '2010-06,402', '2010-07,420', '2011-04,388', '2011-05,371', '2011-06,365']
        .map(l => `police.asb,Chorley,${l}`).join('\n') + '\n');
    site.kpi(['import', 'values', join(site.dir, 'asb-values.csv')]);
    site.kpi(['user', 'add', 'ed', '--role', 'editor', '--partner', 'Lancashire Constabulary'], 'police-pass-1\n');
    site.kpi(['user', 'add', 'alice', '--role', 'admin'], 'admin-pass-1\n');
  });
  ({ base, browser } = h);
});

after(() => stop(h));

async function signIn(page, user, password) {
  await page.goto(`${base}/`);
  assert.match(page.url(), /\/login/, 'an anonymous visitor is sent to sign in');
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/`);
}

test('sign in, enter a month\'s figures, see the dashboard change, download the report', async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await signIn(page, 'ed', 'police-pass-1');
  assert.match(await page.locator('h1').innerText(), /Performance dashboard/);

  // The dashboard for July 2011 has no figure for the monthly indicator yet.
  await page.goto(`${base}/?area=Chorley&period=2011-07`);
  const row = page.locator('tr', { has: page.getByRole('link', { name: 'Anti-social behaviour incidents' }) });
  assert.match(await row.locator('td').first().textContent(), /No figure/);

  // Enter July's figure with a note.
  await page.getByRole('link', { name: 'Enter figures' }).click();
  await page.getByLabel('Period', { exact: true }).selectOption('2011-07');
  await page.getByRole('button', { name: 'Change period' }).click();
  await page.locator('#v-police\\.asb').fill('352');
  await page.locator('#note-police\\.asb').fill('Summer patrols in the town centre');
  await page.getByRole('button', { name: 'Save all', exact: true }).last().click();
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /1 figure saved/);

  // A mistake is shown beside the field and in the summary, and nothing is stored.
  await page.locator('#v-police\\.asb').fill('35x');
  await page.getByRole('button', { name: 'Save all', exact: true }).last().click();
  assert.match(await page.locator('.govuk-error-summary').innerText(), /not a number/);
  assert.match(await page.locator('#v-police\\.asb-error').innerText(), /not a number/);

  // The dashboard shows July's figure, last July's, the change and the direction.
  await page.goto(`${base}/?area=Chorley&period=2011-07`);
  const cells = await row.locator('td').allInnerTexts();
  assert.equal(cells[0], '352');
  assert.equal(cells[1], '420');
  assert.equal(cells[2], '-16.2%');
  assert.match(cells[6], /Down, better/);

  // The indicator page keeps the note and who changed it.
  await page.getByRole('link', { name: 'Anti-social behaviour incidents' }).click();
  assert.match(await page.content(), /Summer patrols in the town centre/);
  assert.match(await page.locator('text=History of changes').locator('xpath=following::table[1]').innerText(), /ed/);

  // Preview and download the report.
  await page.getByRole('link', { name: 'Report' }).click();
  await page.getByLabel('Period', { exact: true }).selectOption('2011/12 Q2');
  await page.getByRole('button', { name: 'Preview' }).click();
  assert.match(await page.locator('.app-preview').innerText(), /SECOND QUARTER CHORLEY PARTNERSHIP PERFORMANCE REPORT/i);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: /Download the report as HTML/ }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'report-Chorley-2011-12-Q2.html');
  const html = readFileSync(await download.path(), 'utf8');
  assert.match(html, /All Crime/);
  assert.match(html, /1455/);
  await context.close();
});

// Every page, checked by axe-core for WCAG 2.2 A and AA (null: any signed-in user).
const PAGES = [
  ['sign-in', '/login', 'anonymous'],
  ['dashboard', '/?area=Chorley&period=2011/12%20Q2', null],
  ['dashboard, red and amber first', '/?area=Chorley&period=2011/12%20Q2&order=rag&partner=Lancashire%20Constabulary', null],
  ['dashboard, special cause only', '/?area=Chorley&period=2011/12%20Q2&special=1', null],
  ['dashboard with a mistyped period', '/?area=Chorley&period=July%202011', null],
  ['indicator (count)', '/indicators/crime.all?area=Chorley&period=2011/12%20Q2', null],
  ['indicator (ratio)', '/indicators/crime.dv-detections?area=Chorley&period=2011/12%20Q2', null],
  ['indicator (target)', '/indicators/fire.adf?area=Chorley&period=2011/12%20Q2', null],
  ['indicator (monthly, with history)', '/indicators/police.asb?area=Chorley&period=2011-07', null],
  ['projects', '/projects?period=2011/12%20Q2', null],
  ['projects by status', '/projects?period=2011/12%20Q2&sort=status', null],
  ['project with its form', '/projects/dp-03?period=2011/12%20Q2', null],
  ['chase list', '/chase?area=Chorley&period=2011/12%20Q3', null],
  ['report', '/report', null],
  ['report preview', '/report?template=chorley-2011-q2&area=Chorley&period=2011/12%20Q2', null],
  ['benchmark', '/benchmark', null],
  ['data entry', '/enter?area=Chorley&period=2011/12%20Q2', null],
  ['data entry, a month', '/enter?area=Chorley&period=2011-08', null],
  ['data entry, every row missing', '/enter?area=Chorley&period=2011/12%20Q3', 'ed'],
  ['data entry after a save, with a warning', '/enter?area=Chorley&period=2011/12%20Q2&saved=1&check=crime.robbery,crime.all', 'ed'],
  ['administration', '/admin', 'alice'],
  ['collection rounds', '/rounds', null],
  ['published papers (none yet)', '/papers', null],
  ['not found', '/indicators/nope', null],
  ['forbidden', '/admin', 'ed'],
];

test('accessibility: every page at 1280 and 375 px, as an editor and an admin, has no WCAG 2.2 AA violation and no sideways scroll', async () => {
  const users = { ed: 'police-pass-1', alice: 'admin-pass-1' };
  let checked = 0;
  const failures = [];
  for (const width of WIDTHS) {
    const contexts = {};
    for (const [name, path, only] of PAGES) {
      for (const user of only ? [only] : ['ed', 'alice']) {
        if (!contexts[user]) {
          // bypassCSP lets the test inject axe; the pages themselves run no script.
          contexts[user] = await browser.newContext({ bypassCSP: true, viewport: { width, height: 800 } });
          if (user !== 'anonymous') await signIn(await contexts[user].newPage(), user, users[user]);
        }
        const page = await contexts[user].newPage();
        await page.goto(`${base}${path}`);
        const label = `${name} (${user}, ${width} px)`;
        // every page is checked, and every failure reported together
        for (const check of [() => axeCheck(page, label), () => widthCheck(page, label, width)])
          await check().catch(e => failures.push(e.message));
        checked++;
        await page.close();
      }
    }
    // A form showing its errors.
    const page = await contexts.ed.newPage();
    await page.goto(`${base}/enter?area=Chorley&period=2011-08`);
    await page.locator('#v-police\\.asb').fill('abc');
    await page.getByRole('button', { name: 'Save all', exact: true }).last().click();
    await page.locator('.govuk-error-summary').waitFor();
    assert.match(await page.title(), /^Error: /, 'a page with errors says so first in its title');
    assert.ok(await page.evaluate(() => document.activeElement.classList.contains('govuk-error-summary')),
      'focus moves to the error summary');
    await axeCheck(page, `data entry with errors (${width} px)`);
    await widthCheck(page, `data entry with errors`, width);
    for (const c of Object.values(contexts)) await c.close();
  }
  assert.deepEqual(failures, []);
  assert.equal(checked, WIDTHS.length * PAGES.reduce((n, [, , only]) => n + (only ? 1 : 2), 0));
});

test('the navigation marks the current page; error pages keep it; a mistyped period shows the page with an inline error', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'ed', 'police-pass-1');
  await page.goto(`${base}/projects?period=2011/12%20Q2`);
  assert.equal(await page.locator('nav [aria-current="page"]').innerText(), 'Projects');
  const missing = await page.goto(`${base}/indicators/nope`);
  assert.equal(missing.status(), 404);
  assert.equal(await page.locator('nav.app-nav a').first().innerText(), 'Dashboard');
  const bad = await page.goto(`${base}/chase?area=Chorley&period=Jul-11`);
  assert.equal(bad.status(), 400);
  assert.match(await page.title(), /^Error: Chase list/);
  assert.match(await page.locator('#period-error').innerText(), /Jul-11/);
  assert.ok(await page.locator('nav.app-nav').isVisible(), 'the navigation is there');
  assert.equal(await page.locator('select#period').count(), 1, 'the period is chosen from a list');
  // The period picker chooses a quarter and the page follows.
  await page.locator('select#period').selectOption('2011/12 Q2');
  await page.getByRole('button', { name: 'Show' }).click();
  assert.match(await page.locator('h1').innerText(), /2011\/12 Q2/);
  await context.close();
});

test('on a phone an indicator page stays legible: keys above their values, the chart scrolls rather than shrinks', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  await signIn(page, 'ed', 'police-pass-1');
  await page.goto(`${base}/indicators/fire.adf?area=Chorley&period=2011/12%20Q2`);
  const row = page.locator('.govuk-summary-list__row', { hasText: 'Significance of the change' }).first();
  const key = await row.locator('.govuk-summary-list__key').boundingBox();
  const value = await row.locator('.govuk-summary-list__value').boundingBox();
  assert.ok(value.y >= key.y + key.height - 1, `the value sits under its key (key ${JSON.stringify(key)}, value ${JSON.stringify(value)})`);
  const keyFits = await row.locator('.govuk-summary-list__key').evaluate(e => e.scrollWidth <= e.clientWidth);
  assert.ok(keyFits, 'the key "Significance of the change" fits its box');
  const figure = page.locator('figure.chart').first();
  const svg = await figure.locator('svg').boundingBox();
  assert.ok(svg.width >= 519, `the chart is drawn at least 520 px wide, not shrunk (${svg.width} px)`);
  assert.equal(await figure.getAttribute('tabindex'), '0', 'the scrolling chart takes the keyboard focus');
  await widthCheck(page, 'indicator page at 375 px', 375);
  await page.setViewportSize({ width: 1280, height: 800 });
  const wide = page.locator('.govuk-summary-list__row', { hasText: 'Significance of the change' }).first();
  const k2 = await wide.locator('.govuk-summary-list__key').boundingBox();
  const v2 = await wide.locator('.govuk-summary-list__value').boundingBox();
  assert.ok(Math.abs(v2.y - k2.y) < 2 && v2.x > k2.x + k2.width - 1, 'at 1280 px the value sits beside its key');
  await context.close();
});

test('screenshots of the dashboard, the entry form, the chase list and an indicator at 1280 and 375 px', async () => {
  const out = process.env.KPI_SCREENSHOTS;
  if (!out) { console.log('# KPI_SCREENSHOTS not set: screenshots not taken'); return; }
  for (const width of WIDTHS) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await signIn(page, 'ed', 'police-pass-1');
    for (const [name, path] of [['dashboard', '/?area=Chorley&period=2011/12%20Q2'],
      ['enter', '/enter?area=Chorley&period=2011/12%20Q2'], ['enter-missing', '/enter?area=Chorley&period=2011/12%20Q3'],
      ['enter-warning', '/enter?area=Chorley&period=2011/12%20Q2&saved=2&check=crime.robbery,crime.all#row-crime.robbery'],
      ['chase', '/chase?area=Chorley&period=2011/12%20Q3'],
      ['indicator', '/indicators/fire.adf?area=Chorley&period=2011/12%20Q2']]) {
      await page.goto(`${base}${path}`);
      await page.screenshot({ path: join(out, `${name}-${width}.png`), fullPage: true });
    }
    await context.close();
  }
});

test('the entry form: figures beside each box, missing rows, Save on one row, a warning on a large change', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  await signIn(page, 'ed', 'police-pass-1');
  await page.goto(`${base}/enter?area=Chorley&period=2011/12%20Q3`);
  const todo = await page.locator('#todo h2').innerText();
  const due = Number(todo.match(/^(\d+) figures due, (\d+) entered$/)[1]);
  assert.ok(due >= 5, `the to-do counts the rows: ${todo}`);
  // The box is described by the figures beside it: last year, the previous quarter, the target.
  const box = page.getByLabel('Value').and(page.locator('#v-crime\\.robbery'));
  assert.equal(await box.getAttribute('aria-describedby'), 'ctx-crime.robbery');
  assert.match(await page.locator('#ctx-crime\\.robbery').innerText(), /Last year: no figure\s+Previous quarter: 1\s+Target to date: no target/);
  // A missing row's link in the to-do moves to its box.
  await page.locator('#todo').getByRole('link', { name: 'Robbery', exact: true }).click();
  assert.match(page.url(), /#v-crime\.robbery$/);
  // Save on one row saves it alone: the other row's figure is not stored.
  await box.fill('4');
  await page.locator('#v-crime\\.vehicle').fill('99');
  await page.getByRole('button', { name: 'Save Robbery only' }).click();
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /1 figure saved/);
  assert.match(await page.locator('.app-warning').first().innerText(), /Robbery: 4 is 4\.0 times the previous quarter's 1/);
  assert.equal(await page.locator('#v-crime\\.vehicle').inputValue(), '99', 'what was typed in another row is kept to be saved');
  assert.match(await page.locator('#ctx-crime\\.vehicle').innerText(), /Previous quarter: 105/);
  assert.match(await page.locator('#todo h2').innerText(), new RegExp(`^${due} figures due, 1 entered$`));
  assert.equal(await page.locator('#row-crime\\.robbery .govuk-tag').count(), 0, 'no longer tagged Missing');
  // The editor's home page counts the same.
  await page.goto(`${base}/?area=Chorley&period=2011/12%20Q3`);
  assert.match(await page.locator('#your-figures h2').innerText(), new RegExp(`Your figures for 2011/12 Q3: ${due} due, 1 entered`));
  await context.close();
});

test('pages work without JavaScript', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, 'ed', 'police-pass-1');
  await page.goto(`${base}/enter?area=Chorley&period=2011-09`);
  await page.locator('#v-police\\.asb').fill('340');
  await page.getByRole('button', { name: 'Save all', exact: true }).last().click();
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /1 figure saved/);
  await context.close();
});
