// The compare view: training, sliders, share links, presets, bad links, smoothness.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open, mounted, trained, shot, inked, noProblems } from '../harness.js';

let srv, browser;
before(async () => { srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

const rows = (page) => page.$$eval('#stats tbody tr', (trs) => trs.map((r) => ({ ...r.dataset })));

async function waitStep(page, atLeast, timeout = 60000) {
  await page.waitForFunction((n) => [...document.querySelectorAll('#stats tbody tr')]
    .every((r) => Number(r.dataset.step) >= n), atLeast, { timeout });
}

test('the default page trains: curves draw and validation loss falls below the baseline', async (t) => {
  const { page, problems, context } = await open(browser, srv.base);
  await mounted(page);
  await trained(page);
  await page.click('#play');
  // Bounded: within the default budget (1500 steps) every architecture beats chance by 2x.
  await page.waitForFunction(() => {
    const base = Number(document.querySelector('#stats').dataset.baseline);
    const r = [...document.querySelectorAll('#stats tbody tr')];
    return r.length > 0 && r.every((x) => Number(x.dataset.val) < base / 2);
  }, null, { timeout: 90000 });
  for (const id of ['#chart-loss', '#chart-metric', '#chart-gradflow']) {
    assert.ok(await inked(page, id) > 0.02, `${id} is drawn`);
  }
  assert.ok(await page.locator('canvas.heatmap').count() >= 10, 'gate heatmaps are drawn');
  await page.click('#play'); // pause
  await shot(page, 'trained-desktop');
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
  + '&optim=sgd&momentum=0.9&clip=2&fbias=0&init=orthogonal&tbptt=5&symbols=2&seed=7&speed=5';

async function firstRecords(url) {
  const { page, problems, context } = await open(browser, url);
  await mounted(page);
  await trained(page);
  await page.click('#step');
  await page.waitForFunction(() => [...document.querySelectorAll('#stats tbody tr')]
    .every((r) => Number(r.dataset.records) >= 2));
  const controls = {};
  for (const k of ['len', 'cells', 'lr', 'batch', 'train', 'momentum', 'clip', 'tbptt', 'symbols', 'steps', 'speed']) {
    controls[k] = await page.locator(`#val-${k}`).textContent();
  }
  controls.task = await page.$eval('#ctl-task', (e) => e.value);
  controls.optim = await page.$eval('#ctl-optim', (e) => e.value);
  controls.init = await page.$eval('#ctl-init', (e) => e.value);
  controls.seed = await page.$eval('#ctl-seed', (e) => e.value);
  controls.fbias = await page.$eval('#ctl-fbias', (e) => e.checked);
  controls.archs = await page.$$eval('[id^=arch-]', (es) => es.filter((e) => e.checked).map((e) => e.id));
  const r = await rows(page);
  const search = await page.evaluate(() => location.search);
  await noProblems(null, problems);
  await context.close();
  return { controls, records: r.map((x) => [x.arch, x.firstTrain, x.firstVal]), search };
}

test('a link restores every control and reproduces the same first recorded losses', async () => {
  const a = await firstRecords(`${srv.base}?${LINK}`);
  assert.deepEqual(a.controls, {
    len: '8', cells: '12', lr: '0.005', batch: '16', train: '256 sequences', momentum: '0.9', clip: 'norm 2',
    tbptt: 'truncated to 5', symbols: '2', steps: '300', speed: '5', task: 'copy', optim: 'sgd',
    init: 'orthogonal', seed: '7', fbias: false, archs: ['arch-gru', 'arch-rnn'],
  });
  // The page's own URL (what "Copy link" gives) opened in a fresh page gives the same numbers.
  const b = await firstRecords(`${srv.base}${a.search}`);
  assert.deepEqual(b.controls, a.controls);
  assert.deepEqual(b.records, a.records);
  assert.equal(a.records.length, 2);
  assert.ok(a.records.every(([, train, val]) => Number(train) > 0 && Number(val) > 0));
});

test('every preset loads and trains without error', async (t) => {
  const { page, problems, context } = await open(browser, srv.base);
  await mounted(page);
  const presets = await page.$$eval('a.preset', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(presets.length >= 6);
  for (const href of presets) {
    await page.goto(`${srv.base}${href}`);
    await mounted(page);
    await trained(page);
    await page.click('#play');
    await waitStep(page, 50);
    await page.click('#play');
    assert.equal(await page.locator('#notices').count(), 0, `${href} is a clean config`);
  }
  await noProblems(t, problems);
  await context.close();
});

test('a garbage query shows a notice naming each problem, and a working page', async (t) => {
  const { page, problems, context } = await open(browser, `${srv.base}?cells=lots&lr=-3&task=chess&zap=1&archs=lstm,tcn&len=99999`);
  await mounted(page);
  const notice = await page.locator('#notices').textContent();
  for (const key of ['cells', 'lr', 'task', 'zap', 'archs', 'len']) assert.match(notice, new RegExp(`${key}:`));
  await trained(page);
  await page.click('#step');
  await waitStep(page, 1);
  assert.equal(await page.$eval('#ctl-task', (e) => e.value), 'adding');
  await shot(page, 'garbage-query');
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
  await page.waitForTimeout(500);
  await page.evaluate(() => { window.__long = []; });
  await page.click('#play');
  await page.waitForTimeout(6000);
  const long = await page.evaluate(() => window.__long);
  const steps = Number(await page.$eval('#stats tbody tr', (r) => r.dataset.step));
  await page.click('#play');
  assert.ok(steps > 100, `training progressed (${steps} steps)`);
  assert.deepEqual(long.filter((d) => d > 50), [], `long tasks: ${long.join(', ')}`);
  await noProblems(t, problems);
  await context.close();
});

test('pause takes effect at once even at long sequences and high speed', async (t) => {
  const { page, problems, context } = await open(browser, `${srv.base}?task=adding&len=300&cells=64&archs=lstm,gru&speed=500&steps=5000`);
  await mounted(page);
  await trained(page);
  await page.click('#play');
  await waitStep(page, 2);
  await page.click('#play');
  const atPause = Number(await page.$eval('#stats tbody tr', (r) => r.dataset.step));
  // At most the one chunk already in flight finishes, and a chunk is time-boxed to ~0.1 s of
  // lockstep training (here one step per run), not 500 steps.
  await page.waitForTimeout(1500);
  const settled = await page.$eval('#stats tbody tr', (r) => r.dataset.step);
  await page.waitForTimeout(2000);
  assert.equal(await page.$eval('#stats tbody tr', (r) => r.dataset.step), settled, 'no training after pause');
  assert.ok(Number(settled) - atPause <= 3, `paused at ${atPause}, settled at ${settled}`);
  await noProblems(t, problems);
  await context.close();
});

test('at phone width the trained page stays usable', async (t) => {
  const { page, problems, context } = await open(browser, `${srv.base}?task=parity&steps=200`, { viewport: { width: 390, height: 844 } });
  await mounted(page);
  await trained(page);
  await page.click('#play');
  await waitStep(page, 200);
  await shot(page, 'trained-phone');
  await noProblems(t, problems);
  await context.close();
});
