// The compare view: seeds with bands and a head-to-head, sliders, share links, presets, bad
// links, smoothness, parallel workers, a dying worker, diverging runs, text samples.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, launch, open, mounted, trained, waitStep, runs, stats, shot, inked, noProblems, ROOT } from '../harness.js';

const gatelab = (...args) => execFileSync(join(ROOT, 'target/release/gatelab'), args, { stdio: 'pipe' }).toString();

let srv, browser;
before(async () => { srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

test('the default view trains 6 seeds per architecture, names a clear winner, and says exactly what `gatelab train` says', async (t) => {
  const { page, problems, context } = await open(browser, srv.base);
  await mounted(page);
  await trained(page);
  const before = await stats(page);
  assert.deepEqual(Object.keys(before), ['lstm', 'gru']);
  assert.ok(Object.values(before).every((s) => s.seeds === 6), 'six seeds per architecture by default');
  assert.equal((await runs(page)).length, 12);
  assert.ok(await inked(page, '#chart-loss') > 0.005, 'before the first step the chart shows its axes and a hint');
  await page.click('#play');
  await page.locator('#status', { hasText: 'done' }).waitFor({ timeout: 180000 });
  // The page's head-to-head is the CLI's, sentence for sentence, and leads with the size.
  const query = (await page.evaluate(() => location.search)).slice(1);
  const printed = gatelab('train', decodeURIComponent(query)).split('\n');
  const h2h = await page.$$eval('#head-to-head li', (ls) => ls.map((l) => l.textContent));
  assert.equal(h2h.length, 1);
  assert.ok(printed.includes(h2h[0]), `${h2h[0]} is not among the CLI's lines:\n${printed.join('\n')}`);
  assert.match(h2h[0], /^(GRU|LSTM)'s validation loss is [0-9.]+x lower than the (LSTM|GRU)'s \(95% interval (from )?[0-9.]+x (higher )?to [0-9.e]+x lower/);
  assert.match(await page.locator('#stats tr.arch-row').first().locator('.val-loss').textContent(), /best .* · worst /, 'median, best and worst');
  assert.match(await page.locator('#stats thead').textContent(), /val share within 0\.04 ↑/, 'the metric and its direction are named');
  for (const id of ['#chart-loss', '#chart-metric', '#chart-gradflow', '#spark']) {
    assert.ok(await inked(page, id) > 0.02, `${id} is drawn`);
  }
  assert.match(await page.locator('#chart-legend').textContent(), /median of 6 seeds/);
  assert.equal(await page.locator('.legend-list').count(), 2, 'one legend for the two curve charts, one for the gradient flow');
  assert.ok(await page.locator('canvas.heatmap').count() >= 10, 'gate heatmaps are drawn');
  const steps = await page.$$eval('.gate-panel h3', (hs) => hs.map((h) => h.textContent.match(/step (\d+)/)[1]));
  assert.deepEqual([...new Set(steps)], ['1500'], 'every heatmap shows the final step');
  await page.selectOption('#probe-seed', '2');
  await page.locator('.gate-panel h3', { hasText: 'seed 2' }).first().waitFor();
  await shot(page, 'trained-desktop');
  await noProblems(t, problems);
  await context.close();
});

test("the canvases are drawn at the screen's pixel ratio", async (t) => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  await page.goto(`${srv.base}?seeds=1&steps=50`);
  await mounted(page);
  await trained(page);
  const sizes = await page.$$eval('canvas.chart', (cs) => cs.map((c) => [c.width, c.clientWidth, c.height, c.clientHeight]));
  for (const [w, cw, h, ch] of sizes) {
    assert.equal(w, 2 * cw, 'width: twice the CSS pixels');
    assert.equal(h, 2 * ch, 'height: as shown, twice');
  }
  await context.close();
});

test('a pool of workers shares the runs: two runs train in two workers', async (t) => {
  const init = () => {
    window.__workers = 0;
    const W = window.Worker;
    window.Worker = class extends W { constructor(...a) { super(...a); window.__workers += 1; } };
    Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => 2 });
  };
  const { page, problems, context } = await open(browser, `${srv.base}?task=adding&archs=lstm,gru&seeds=1&steps=100`, { init });
  await mounted(page);
  await trained(page);
  assert.equal(await page.evaluate(() => window.__workers), 0, 'no worker (and no engine download) before training');
  await page.click('#play');
  await page.locator('#status', { hasText: 'done' }).waitFor({ timeout: 60000 });
  assert.equal(await page.evaluate(() => window.__workers), 2);
  const r = await runs(page);
  assert.deepEqual(r.map((x) => Number(x.step)), [100, 100], 'records at the same steps');
  await noProblems(t, problems);
  await context.close();
});

test('moving the cell-count slider from the keyboard changes the URL and the parameter counts', async (t) => {
  const { page, problems, context } = await open(browser, `${srv.base}?cells=16`);
  await mounted(page);
  const before = await page.locator('#params-lstm').textContent();
  await page.focus('#ctl-cells');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => location.search.includes('cells=24'));
  assert.equal(await page.locator('#val-cells').textContent(), '24');
  const after = await page.locator('#params-lstm').textContent();
  assert.notEqual(after, before);
  assert.match(after, /^2713 params/); // 4*24*(2+24+2) + 24 + 1, as nn.LSTM(2, 24) + nn.Linear(24, 1)
  await noProblems(t, problems);
  await context.close();
});

const LINK = 'task=copy&len=8&cells=12&archs=gru,rnn&lr=0.005&batch=16&train=256&steps=300&every=10'
  + '&optim=sgd&momentum=0.9&clip=2&fbias=0&init=orthogonal&tbptt=5&symbols=2&seed=7&seeds=2&layers=2&speed=5';

async function firstRecords(url) {
  const { page, problems, context } = await open(browser, url);
  await mounted(page);
  await trained(page);
  await page.click('#step');
  await page.waitForFunction(() => [...document.querySelectorAll('#stats tr.seed-row')]
    .every((r) => Number(r.dataset.records) >= 2));
  const controls = {};
  for (const k of ['len', 'cells', 'lr', 'batch', 'train', 'momentum', 'clip', 'tbptt', 'symbols', 'steps', 'speed', 'layers', 'seeds']) {
    controls[k] = await page.locator(`#val-${k}`).textContent();
  }
  for (const k of ['task', 'optim', 'init', 'seed']) controls[k] = await page.$eval(`#ctl-${k}`, (e) => e.value);
  controls.fbias = await page.$eval('#ctl-fbias', (e) => e.checked);
  controls.archs = await page.$$eval('[id^=arch-]', (es) => es.filter((e) => e.checked).map((e) => e.id));
  const r = await runs(page);
  const search = await page.evaluate(() => location.search);
  await noProblems(null, problems);
  await context.close();
  return { controls, records: r.map((x) => [x.arch, x.seed, x.firstTrain, x.firstVal]), search };
}

test('a link restores every control and reproduces the same first recorded losses, seed by seed', async () => {
  const a = await firstRecords(`${srv.base}?${LINK}`);
  assert.deepEqual(a.controls, {
    len: '8', cells: '12', lr: '0.005', batch: '16', train: '256 sequences', momentum: '0.9', clip: 'norm 2',
    tbptt: 'truncated to 5', symbols: '2', steps: '300', speed: '5', layers: '2', seeds: '2', task: 'copy', optim: 'sgd',
    init: 'orthogonal', seed: '7', fbias: false, archs: ['arch-gru', 'arch-rnn'],
  });
  // The page's own URL (what "Copy link" gives) opened in a fresh page gives the same numbers.
  const b = await firstRecords(`${srv.base}${a.search}`);
  assert.deepEqual(b.controls, a.controls);
  assert.deepEqual(b.records, a.records);
  assert.equal(a.records.length, 4);
  assert.ok(a.records.every(([, , train, val]) => Number(train) > 0 && Number(val) > 0));
});

test('every preset opens with several seeds and trains without error', async (t) => {
  const { page, problems, context } = await open(browser, srv.base);
  await mounted(page);
  const presets = await page.$$eval('a.preset', (as) => as.map((a) => a.getAttribute('href')));
  const listed = gatelab('gallery', '--list').trim().split('\n').map((l) => JSON.parse(l));
  // A search finding opens in the Search view (its link says so); the others in Compare.
  const search = (p) => p.name.startsWith('Search:');
  assert.deepEqual(presets, listed.map((p) => `?${p.query}${search(p) ? '#search' : ''}`), 'the page shows every finding of the library, in order');
  const odds = await page.$$eval('.presets li span', (ss) => ss.map((s) => s.textContent));
  listed.forEach((p, i) => assert.ok(odds[i].includes(p.odds), `${p.name}: ${odds[i]}`));
  for (const p of listed.filter(search)) {
    await page.goto(`${srv.base}?${p.query}#search`);
    await mounted(page);
    await page.locator('#search-finding', { hasText: p.name }).waitFor();
    assert.equal(await page.locator('#search-run').isEnabled(), true, `${p.name} is a runnable search`);
    assert.equal(await page.locator('#notices').count(), 0, `${p.name} is a clean config`);
  }
  for (const href of presets.filter((h) => !h.endsWith('#search'))) {
    await page.goto(`${srv.base}${href}`);
    await mounted(page);
    await trained(page);
    assert.ok(Object.values(await stats(page)).every((s) => s.seeds >= 3), `${href} runs several seeds`);
    await page.click('#play');
    await waitStep(page, 20);
    await page.click('#play');
    assert.equal(await page.locator('#notices').count(), 0, `${href} is a clean config`);
  }
  await noProblems(t, problems);
  await context.close();
});

test('pause stops the rounds: once the round in flight is back, no other leaves until Step or Play', async (t) => {
  const { page, problems, context } = await open(browser, `${srv.base}?task=adding&len=300&cells=64&archs=lstm,gru&speed=500&steps=5000&seeds=1`);
  await mounted(page);
  await trained(page);
  await page.click('#play');
  await waitStep(page, 2);
  await page.click('#play');
  const settled = () => page.waitForFunction(() => document.querySelector('#status').dataset.inFlight === '0');
  await settled();
  const rounds = async () => Number(await page.$eval('#status', (s) => s.dataset.rounds));
  const frames = () => page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  const paused = await rounds();
  await frames();
  assert.equal(await rounds(), paused, 'no round after pause');
  const step = Math.max(...(await runs(page)).map((r) => Number(r.step)));
  await page.click('#step');
  await page.waitForFunction((s) => [...document.querySelectorAll('#stats tr.seed-row')].every((r) => Number(r.dataset.step) > s), step);
  await settled();
  await frames();
  assert.equal(await rounds(), paused + 1, 'Step sends exactly one round');
  await noProblems(t, problems);
  await context.close();
});

test("a finished run given a larger budget trains on from where it is, to the CLI's numbers at that budget", async (t) => {
  const q = 'task=adding&len=12&cells=8&archs=lstm,gru&steps=100&seeds=2';
  const { page, problems, context } = await open(browser, `${srv.base}?${q}`);
  await mounted(page);
  await trained(page);
  await page.focus('#play');
  await page.keyboard.press('Enter');
  await page.locator('#status', { hasText: 'done' }).waitFor({ timeout: 60000 });
  assert.equal(await page.evaluate(() => document.activeElement.id), 'play', 'focus stays on Play');
  assert.equal(await page.locator('#play').textContent(), '↻ Replay');
  assert.match(await page.getAttribute('#play', 'title'), /raise the step budget to train on/);
  const first = await runs(page);
  await page.focus('#ctl-steps');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => location.search.includes('steps=200'));
  const kept = await runs(page);
  assert.deepEqual(kept.map((r) => Number(r.records)), first.map((r) => Number(r.records)), 'the curves are kept');
  await page.click('#play');
  await page.locator('#status', { hasText: 'step 200 / 200 · done' }).waitFor({ timeout: 60000 });
  const out = mkdtempSync(join(tmpdir(), 'gatelab-longer-'));
  gatelab('train', q.replace('steps=100', 'steps=200'), '--out', out);
  const cli = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).runs;
  for (const r of await runs(page)) {
    const c = cli.find((x) => x.arch === r.arch && x.seed === Number(r.seed));
    assert.equal(Number(r.summaryVal), c.val_loss, `${r.arch} seed ${r.seed}: as if trained to 200 from the start`);
  }
  await noProblems(t, problems);
  await context.close();
});

test('a diverging link marks its runs diverged, keeps their history and finishes the rest', async (t) => {
  const { page, problems, context } = await open(browser, `${srv.base}?task=adding&len=30&cells=32&archs=lstm,gru,rnn&lr=1&optim=sgd&clip=0&steps=300&seeds=1`);
  await mounted(page);
  await trained(page);
  await page.click('#play');
  await page.locator('#status', { hasText: 'done' }).waitFor({ timeout: 90000 });
  const r = await runs(page);
  assert.ok(r.some((x) => x.state === 'diverged'), JSON.stringify(r));
  assert.ok(r.every((x) => x.state !== 'training'), 'nothing stuck in training');
  assert.ok(r.filter((x) => x.state === 'diverged').every((x) => Number(x.records) >= 2), 'history kept');
  assert.match(await page.locator('#status').textContent(), /diverged/);
  // Bounded numbers: no 42-digit losses; a diverged seed's metric is no "0.0000".
  const cells = await page.$$eval('#stats td, .gate-panel h3', (es) => es.map((e) => e.textContent));
  assert.ok(cells.every((c) => !/\d{12}/.test(c)), cells.find((c) => /\d{12}/.test(c)));
  const diverged = await page.$$eval('#stats tr.seed-row[data-state=diverged]', (rs) => rs.flatMap((r) => [...r.cells].slice(5).map((t) => t.textContent)));
  assert.ok(diverged.every((c) => c === 'diverged'), JSON.stringify(diverged));
  assert.doesNotMatch(await page.locator('#head-to-head').textContent(), /no evidence yet/);
  await noProblems(t, problems);
  await context.close();
});

test('a dying worker is replaced: the page says so, its runs keep their records, the rest finish', async (t) => {
  const { page, problems, context } = await open(browser, `${srv.base}?task=adding&archs=lstm,gru&seeds=2&steps=400#debug-crash`);
  await mounted(page);
  await trained(page);
  await page.click('#play');
  await page.locator('#worker-error', { hasText: 'a fresh worker took its place' }).waitFor({ timeout: 30000 });
  await page.locator('#status', { hasText: 'done' }).waitFor({ timeout: 90000 });
  const r = await runs(page);
  assert.ok(r.some((x) => x.state === 'crashed') && r.some((x) => x.state === 'done'), JSON.stringify(r));
  assert.ok(r.filter((x) => x.state === 'crashed').every((x) => Number(x.records) >= 1));
  await page.click('#reset');
  await page.click('#step');
  await page.waitForFunction(() => [...document.querySelectorAll('#stats tr.seed-row')].every((x) => Number(x.dataset.step) >= 4));
  problems.console = problems.console.filter((m) => !m.includes('crash requested'));
  await noProblems(t, problems);
  await context.close();
});

test('the text task shows what each architecture writes, refreshed as it trains', async (t) => {
  const { page, problems, context } = await open(browser, `${srv.base}?task=text&len=20&cells=16&archs=lstm,gru&steps=60&seeds=1&batch=8`);
  await mounted(page);
  await trained(page);
  await page.click('#step');
  await page.waitForFunction(() => [...document.querySelectorAll('#samples pre')].filter((p) => p.textContent.length > 100).length === 2,
    null, { timeout: 60000 });
  const first = await page.$$eval('#samples pre', (ps) => ps.map((p) => p.textContent));
  await page.focus('#ctl-temp');
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction((before) => [...document.querySelectorAll('#samples pre')].some((p, i) => p.textContent !== before[i]), first);
  await noProblems(t, problems);
  await context.close();
});

test('at phone width Play and a live curve are in reach, the stats table scrolls and the page stays usable', async (t) => {
  const { page, problems, context } = await open(browser, `${srv.base}?task=parity&steps=200`, { viewport: { width: 390, height: 844 } });
  await mounted(page);
  await trained(page);
  const play = await page.locator('#play').boundingBox();
  assert.ok(play.y + play.height < 844, 'Play is on the first screen');
  const bar = await page.locator('body > .transport').boundingBox();
  assert.ok(bar.height <= 100, `the toolbar takes ${bar.height}px`);
  const spark = await page.locator('#spark').boundingBox();
  assert.ok(spark.y + spark.height <= bar.y + bar.height, 'the live curve is in the toolbar');
  await page.mouse.wheel(0, 2500);
  await page.waitForTimeout(300);
  const after = await page.locator('#play').boundingBox();
  assert.ok(after.y >= 0 && after.y < 100, `the toolbar stays at the top while scrolling (y = ${after.y})`);
  await page.click('#play');
  await waitStep(page, 200);
  assert.ok(await inked(page, '#spark') > 0.02, 'the live curve drew');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `page is ${overflow}px wider than the phone`);
  await page.click('#show-seeds');
  await page.click('#show-seeds');
  const wrapped = await page.$$eval('#stats td', (ts) => ts.filter((t) => t.getClientRects().length > 1 || t.offsetHeight > 2 * parseFloat(getComputedStyle(t).lineHeight || '16')).map((t) => t.textContent));
  assert.deepEqual(wrapped, [], 'no cell wraps');
  await shot(page, 'trained-phone');
  await noProblems(t, problems);
  await context.close();
});

test('after the budget, Play replays the same runs from step 0 to the same numbers', async (t) => {
  const { page, problems, context } = await open(browser, `${srv.base}?task=parity&len=6&cells=4&archs=lstm,gru&steps=60&seeds=2`);
  await mounted(page);
  await trained(page);
  await page.click('#play');
  await page.locator('#status', { hasText: 'step 60 / 60 · done' }).waitFor({ timeout: 60000 });
  const first = await runs(page);
  await page.click('#play');
  await page.locator('#play', { hasText: 'Pause' }).or(page.locator('#status', { hasText: 'step 0 /' })).first().waitFor({ timeout: 30000 });
  await page.locator('#status', { hasText: 'step 60 / 60 · done' }).waitFor({ timeout: 60000 });
  assert.deepEqual((await runs(page)).map((r) => r.summaryVal), first.map((r) => r.summaryVal), 'the same numbers again');
  await noProblems(t, problems);
  await context.close();
});
