// The Search view: ranges searched on the page's workers give the very search.json `gatelab
// search` writes (every number, but the timing column); a link reproduces the search; the view
// shows the verdict, the best settings, what mattered and the trials; a search.json opens; a
// search finding from the gallery runs at once and checks its claim.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, launch, open, mounted, inked, shot, noProblems, ROOT, untimedSearch } from '../harness.js';

const gatelab = (...args) => execFileSync(join(ROOT, 'target/release/gatelab'), args, { stdio: 'pipe' }).toString();

let srv, browser;
before(async () => { srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

const Q = 'task=parity&len=6&lr=0.001..0.1&cells=2..16&archs=lstm,gru&trials=6&halving=2&seeds=2&confirm=2&steps=60';

test('a search from a link runs on the workers and equals `gatelab search` exactly', async (t) => {
  const { page, problems, context } = await open(browser, `${srv.base}?${Q}`);
  await mounted(page);
  await page.locator('#search-run').waitFor();
  assert.equal(await page.$eval('[role=tab][aria-selected=true]', (b) => b.textContent), 'Search', 'a link with ranges opens the Search view');
  assert.deepEqual(await page.$$eval('.range-row input[type=checkbox]:checked', (cs) => cs.map((c) => c.id)), ['search-cells', 'search-lr']);
  assert.match(await page.locator('#search-estimate').textContent(), /rung 1 of 3 \(15 steps\): 24 runs/);
  await page.click('#search-run');
  await page.locator('#search-status', { hasText: 'all of it took' }).waitFor({ timeout: 240000 });
  assert.match(await page.locator('#search-verdict').textContent(), /Confirmed on 2 fresh seeds at these settings/);
  assert.equal(await page.locator('#search-best tbody tr').count(), 2);
  for (const id of ['#search-slice-lr', '#search-slice-cells', '#search-progress', '#search-heat-lstm', '#search-heat-gru']) {
    assert.ok(await inked(page, id) > 0.02, `${id} is drawn`);
  }
  assert.equal(await page.locator('#importance-gru .bar-row').count(), 3, 'cells, lr and their interaction');
  // Each learning rate x cells map labels its bins' edges and its colour scale's ends.
  const map = page.locator('.gate-panel', { has: page.locator('#search-heat-gru') });
  assert.equal(await map.locator('.x-ticks span').count(), 5);
  assert.deepEqual(await map.locator('.y-ticks span').allTextContents(), ['16', '10', '6', '3', '2']);
  assert.match(await map.locator('.lr-cells-scale').textContent(), /^val loss \d\.\d+\s*\d\.\d+ x: learning rate/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#search-json')]);
  const web = JSON.parse(readFileSync(await download.path(), 'utf8'));
  const out = mkdtempSync(join(tmpdir(), 'gatelab-search-'));
  gatelab('search', Q, '--out', out);
  const cli = JSON.parse(readFileSync(join(out, 'search.json'), 'utf8'));
  assert.deepEqual(untimedSearch(web), untimedSearch(cli));
  await shot(page, 'search');
  // The file opens back in a fresh page, which shows the same verdict.
  const fresh = await open(browser, `${srv.base}#search`);
  await mounted(fresh.page);
  await fresh.page.setInputFiles('#open-sweep', join(out, 'search.json'));
  await fresh.page.locator('#search-source', { hasText: 'search.json' }).waitFor();
  assert.equal(await fresh.page.locator('#search-verdict').textContent(), await page.locator('#search-verdict').textContent());
  assert.equal(await fresh.page.locator('#search-arithmetic').count(), 0, 'exact arithmetic needs no caveat');
  // A search run with --fast opens with a caveat: fused arithmetic, different last bits.
  const fast = mkdtempSync(join(tmpdir(), 'gatelab-search-fast-'));
  gatelab('search', Q, '--out', fast, '--fast');
  await fresh.page.setInputFiles('#open-sweep', join(fast, 'search.json'));
  await fresh.page.locator('#search-arithmetic', { hasText: 'fused multiply-adds' }).waitFor();
  assert.match(await fresh.page.locator('#search-verdict').textContent(), /\S/);
  await noProblems(t, fresh.problems);
  await fresh.context.close();
  await noProblems(t, problems);
  await context.close();
});

test('bad ranges get notices naming the key, and nothing runs', async (t) => {
  const { page, problems, context } = await open(browser, `${srv.base}?task=parity&lr=0.1..0.001&len=2..8&cells=4..8,16&trials=0#search`);
  await mounted(page);
  const notes = await page.locator('#notices').textContent();
  for (const part of ['lr: "0.1..0.001": 0.1 is above 0.001', 'len: "2..8": len takes no range', 'cells: "4..8,16": a range and a list cannot be mixed', 'trials: 0 is out of range']) {
    assert.ok(notes.includes(part), `${part} in ${notes}`);
  }
  await page.locator('#search-run').waitFor({ timeout: 30000 });
  assert.ok(await page.$eval('#search-run', (b) => b.disabled), 'no range left: nothing to search');
  await noProblems(t, problems);
  await context.close();
});

test('a search of one trial still draws its trial and says why it cannot tell what mattered', async (t) => {
  const q = 'task=parity&len=6&lr=0.001..0.1&cells=2..16&archs=lstm,gru&trials=1&seeds=1&confirm=2&steps=30';
  const { page, problems, context } = await open(browser, `${srv.base}?${q}`);
  await mounted(page);
  await page.locator('#search-run').waitFor();
  await page.click('#search-run');
  await page.locator('#search-status', { hasText: 'all of it took' }).waitFor({ timeout: 120000 });
  assert.match(await page.locator('#importance-caution').textContent(), /Too few trials .* to tell what mattered/);
  for (const id of ['#search-slice-lr', '#search-slice-cells']) assert.ok(await inked(page, id) > 0.02, `${id} is drawn`);
  await noProblems(t, problems);
  await context.close();
});
