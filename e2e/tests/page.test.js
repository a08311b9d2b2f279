// The compare view: seeds with bands and a head-to-head, sliders, share links, presets, bad
// links, smoothness, parallel workers, a dying worker, diverging runs, text samples.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open, mounted, trained, waitStep, runs, stats, shot, inked, noProblems } from '../harness.js';

let srv, browser;
before(async () => { srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

test('the default view trains 3 seeds per architecture, draws bands, and says who leads with a sign test', async (t) => {
  const { page, problems, context } = await open(browser, srv.base);
  await mounted(page);
  await trained(page);
  const before = await stats(page);
  assert.deepEqual(Object.keys(before), ['lstm', 'gru']);
  assert.ok(Object.values(before).every((s) => s.seeds === 3), 'three seeds per architecture by default');
  assert.equal((await runs(page)).length, 6);
  await page.click('#play');
  // Bounded: within the default budget every architecture's median beats chance by 2x.
  await page.waitForFunction(() => {
    const base = Number(document.querySelector('#stats').dataset.baseline);
    const r = [...document.querySelectorAll('#stats tr.arch-row')];
    return r.length === 2 && r.every((x) => Number(x.dataset.val) < base / 2);
  }, null, { timeout: 120000 });
  const h2h = await page.locator('#head-to-head').textContent();
  assert.match(h2h, /LSTM (vs GRU|beats GRU)|GRU beats LSTM/, h2h);
  assert.match(h2h, /p [=<] [0-9.]+/, 'the sign test p-value is shown');
  assert.match(await page.locator('#stats tr.arch-row').first().locator('.val-loss').textContent(), /\[.*,.*\]/, 'median [min, max]');
  for (const id of ['#chart-loss', '#chart-metric', '#chart-gradflow']) {
    assert.ok(await inked(page, id) > 0.02, `${id} is drawn`);
  }
  assert.match(await page.locator('#chart-loss-legend').textContent(), /median of 3 seeds/);
  assert.ok(await page.locator('canvas.heatmap').count() >= 10, 'gate heatmaps are drawn');
  await page.selectOption('#probe-seed', '2');
  await page.locator('.gate-panel h3', { hasText: 'seed 2' }).first().waitFor();
  await page.click('#play'); // pause
  await shot(page, 'trained-desktop');
  await noProblems(t, problems);
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
  assert.ok(presets.length >= 8);
  for (const href of presets) {
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

test('while training, the main thread has no long task over 50 ms', async (t) => {
  const init = () => {
    window.__long = [];
    new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__long.push(e.duration)))
      .observe({ type: 'longtask', buffered: true });
  };
  const { page, problems, context } = await open(browser, `${srv.base}?task=sine&cells=32&archs=lstm,gru,rnn&steps=20000&speed=50`, { init });
  await mounted(page);
  await trained(page);
  await page.click('#step');
  await waitStep(page, 1);
  await page.waitForTimeout(500);
  await page.evaluate(() => { window.__long = []; });
  await page.click('#play');
  await page.waitForTimeout(6000);
  const long = await page.evaluate(() => window.__long);
  const steps = Math.min(...(await runs(page)).map((r) => Number(r.step)));
  await page.click('#play');
  assert.ok(steps > 100, `training progressed (${steps} steps)`);
  assert.deepEqual(long.filter((d) => d > 50), [], `long tasks: ${long.join(', ')}`);
  await noProblems(t, problems);
  await context.close();
});

test('pause takes effect at once even at long sequences and high speed', async (t) => {
  const { page, problems, context } = await open(browser, `${srv.base}?task=adding&len=300&cells=64&archs=lstm,gru&speed=500&steps=5000&seeds=1`);
  await mounted(page);
  await trained(page);
  await page.click('#play');
  await waitStep(page, 2);
  await page.click('#play');
  const step = async () => Math.max(...(await runs(page)).map((r) => Number(r.step)));
  const atPause = await step();
  // At most the round already in flight finishes, and a round is time-boxed to ~0.1 s: here a
  // step of a 300-long sequence takes ~25 ms, so a round is at most about 5 steps (500 asked).
  await page.waitForTimeout(1500);
  const settled = await step();
  await page.waitForTimeout(2000);
  assert.equal(await step(), settled, 'no training after pause');
  assert.ok(settled - atPause <= 6, `paused at ${atPause}, settled at ${settled}`);
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

test('at phone width Play is in reach, the stats table scrolls and the page stays usable', async (t) => {
  const { page, problems, context } = await open(browser, `${srv.base}?task=parity&steps=200`, { viewport: { width: 390, height: 844 } });
  await mounted(page);
  await trained(page);
  const play = await page.locator('#play').boundingBox();
  assert.ok(play.y + play.height < 844, 'Play is on the first screen');
  await page.mouse.wheel(0, 2500);
  await page.waitForTimeout(300);
  const after = await page.locator('#play').boundingBox();
  assert.ok(after.y >= 0 && after.y < 100, `the toolbar stays at the top while scrolling (y = ${after.y})`);
  await page.click('#play');
  await waitStep(page, 200);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `page is ${overflow}px wider than the phone`);
  await shot(page, 'trained-phone');
  await noProblems(t, problems);
  await context.close();
});
