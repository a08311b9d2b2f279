// The views and the address: #sweep and #bench open their views and clicking a tab writes the
// address; the tabs follow the ARIA tablist pattern from the keyboard; a new task keeps what
// the user changed; a finding opened from the gallery trains at once and checks its own claim,
// as `gatelab gallery` does; axe-core finds no WCAG 2 A/AA violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { serve, launch, open, mounted, trained, noProblems, ROOT } from '../harness.js';

const gatelab = (...args) => execFileSync(join(ROOT, 'target/release/gatelab'), args, { stdio: 'pipe' }).toString();
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let srv, browser;
before(async () => { srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

const selected = (page) => page.$eval('[role=tab][aria-selected=true]', (b) => b.textContent);

test('the view is in the address, both ways', async (t) => {
  const { page, problems, context } = await open(browser, `${srv.base}#sweep`);
  await mounted(page);
  assert.equal(await selected(page), 'Sweep');
  await page.locator('#sweep-run').waitFor();
  await page.goto(`${srv.base}?task=copy#sweep`);
  await mounted(page);
  assert.equal(await selected(page), 'Sweep');
  assert.match(await page.evaluate(() => location.href), /\?task=copy.*#sweep$/, 'the hash stays');
  await page.click('[role=tab]:has-text("Compare")');
  await page.waitForFunction(() => location.hash === '');
  await page.click('[role=tab]:has-text("Bench")');
  await page.waitForFunction(() => location.hash === '#bench');
  await page.click('[role=tab]:has-text("Sweep")');
  await page.waitForFunction(() => location.hash === '#sweep');
  await page.reload();
  await mounted(page);
  assert.equal(await selected(page), 'Sweep', 'a reload keeps the view');
  await page.evaluate(() => { location.hash = '#compare'; });
  await page.locator('#play').waitFor();
  assert.equal(await selected(page), 'Compare');
  await noProblems(t, problems);
  await context.close();
});

test('the tabs take arrow keys, Home and End, and only the shown tab is in the tab order', async (t) => {
  const { page, problems, context } = await open(browser, srv.base);
  await mounted(page);
  assert.deepEqual(await page.$$eval('[role=tab]', (bs) => bs.map((b) => b.tabIndex)), [0, -1, -1, -1, -1, -1]);
  await page.focus('[role=tab][aria-selected=true]');
  await page.keyboard.press('ArrowRight');
  assert.equal(await selected(page), 'Sweep');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Sweep');
  await page.keyboard.press('End');
  assert.equal(await selected(page), 'Atlas');
  await page.keyboard.press('ArrowRight');
  assert.equal(await selected(page), 'Compare', 'wraps around');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Home');
  assert.equal(await selected(page), 'Compare');
  assert.deepEqual(await page.$$eval('[role=tab]', (bs) => bs.map((b) => b.tabIndex)), [0, -1, -1, -1, -1, -1]);
  await noProblems(t, problems);
  await context.close();
});

test('a new task keeps the settings the user changed and takes its own defaults for the rest', async (t) => {
  const { page, problems, context } = await open(browser, `${srv.base}?task=parity&steps=200&seeds=2`);
  await mounted(page);
  await page.focus('#ctl-task');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => !location.search.includes('task=parity'));
  const q = await page.evaluate(() => location.search);
  assert.match(q, /steps=200/, q);
  assert.match(q, /seeds=2/, q);
  await noProblems(t, problems);
  await context.close();
});

test('a finding opened from the gallery trains at once, keeps its claim in view, and checks it as the CLI does', async (t) => {
  const name = 'Forget-gate bias off';
  const listed = gatelab('gallery', '--list').trim().split('\n').map((l) => JSON.parse(l)).find((p) => p.name === name);
  const { page, problems, context } = await open(browser, srv.base);
  await mounted(page);
  await page.click(`a.preset:has-text("${name}")`);
  await page.waitForFunction((q) => q.split('&').every((kv) => location.search.slice(1).split('&').includes(kv)), listed.query);
  await page.locator('#status', { hasText: 'training' }).waitFor({ timeout: 30000 });
  assert.match(await page.locator('#finding').textContent(), new RegExp(listed.odds.replace(/[()]/g, '.')));
  await page.locator('#status', { hasText: 'done' }).waitFor({ timeout: 240000 });
  await page.locator('#finding-check', { hasText: 'holds on' }).waitFor();
  const live = await page.locator('#finding-check').textContent();
  const seeds = Number(new URLSearchParams(await page.evaluate(() => location.search)).get('seeds'));
  const cli = JSON.parse(gatelab('gallery', '--preset', name, '--seeds', `1-${seeds}`, '--json'));
  assert.equal(live, `This run: the claim holds on ${cli.holds} of ${seeds} seeds.`);
  // A clear gap on six seeds: the head-to-head names the winner.
  assert.match(await page.locator('#head-to-head li').first().textContent(), /^GRU's validation loss is .*: GRU wins$/);
  await noProblems(t, problems);
  await context.close();
});

test('every finding of the gallery starts training as soon as it is opened, from the Sweep view too', async (t) => {
  const listed = gatelab('gallery', '--list').trim().split('\n').map((l) => JSON.parse(l)).filter((p) => !p.query.includes('..'));
  const { page, problems, context } = await open(browser, `${srv.base}#sweep`);
  await mounted(page);
  for (const p of listed) {
    // Opened from the Sweep view (where the Compare view's training pauses), each finding
    // shows the Compare view and trains.
    await page.click('a.preset:has-text("' + p.name + '")');
    await page.waitForFunction((q) => q.split('&').every((kv) => location.search.slice(1).split('&').includes(kv)), p.query);
    await page.locator('#status', { hasText: 'training' }).waitFor({ timeout: 30000 });
    assert.equal(await selected(page), 'Compare', `${p.name} shows the runs it trains`);
    await page.click('[role=tab]:has-text("Sweep")');
  }
  await noProblems(t, problems);
  await context.close();
});

test('axe-core finds no WCAG 2 A or AA violation in the compare, sweep, bench, gate lab and atlas views', async (t) => {
  const { page, problems, context } = await open(browser, `${srv.base}?seeds=2&steps=100`);
  await mounted(page);
  await trained(page);
  await page.click('#play');
  await page.locator('#status', { hasText: 'done' }).waitFor({ timeout: 60000 });
  const found = [];
  for (const tab of ['Compare', 'Sweep', 'Bench', 'Gate lab', 'Atlas']) {
    await page.click(`[role=tab]:has-text("${tab}")`);
    await page.waitForTimeout(tab === 'Gate lab' ? 1000 : 300);
    if (tab === 'Atlas') await page.locator('.atlas-cell[data-id]').first().waitFor({ timeout: 60000 });
    await page.addScriptTag({ path: AXE });
    const r = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } }));
    found.push(...r.violations.map((v) => `${tab}: ${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`));
  }
  assert.deepEqual(found, []);
  await noProblems(t, problems);
  await context.close();
});
