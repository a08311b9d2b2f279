// The sweep view: a small sweep on the worker pool completes, draws, and equals the native CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, launch, open, mounted, shot, inked, noProblems, ROOT } from '../harness.js';

let srv, browser;
before(async () => { srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

// 32 cells: LSTM's 4H = 128 columns take the native AVX path, so this also checks it agrees with wasm.
const SWEEP = 'task=adding&len=10&cells=2,8,32&archs=lstm,gru&seeds=2&steps=150&seed=3';

// Metrics agree exactly. The f64 validation loss of the 32-cell LSTM was seen to differ in its
// last 2 bits (cause not found yet; a difference in the trained f32 weights would show as 1e-9 or
// more), hence a 1e-12 relative bound rather than equality (the issue asks for 1e-5 at worst).
const close = (a, b) => Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));

test('a 2 x 3 x 2 sweep completes, draws its charts, and equals `gatelab sweep` to 1e-12', async (t) => {
  const { page, problems, context } = await open(browser, `${srv.base}?${SWEEP}`);
  await mounted(page);
  await page.locator('#sweep-estimate', { hasText: '12 runs' }).waitFor();
  await page.click('#sweep-run');
  await page.locator('#sweep-status', { hasText: '12 / 12 runs done' }).waitFor({ timeout: 120000 });
  for (const id of ['#sweep-loss-cells', '#sweep-loss-params', '#sweep-metric-cells']) {
    assert.ok(await inked(page, id) > 0.02, `${id} is drawn`);
  }
  const web = await page.$$eval('#sweep-table tbody tr', (rs) => rs.map((r) => ({ ...r.dataset })));
  assert.equal(web.length, 12);
  await shot(page, 'sweep');
  await noProblems(t, problems);
  await context.close();

  const out = mkdtempSync(join(tmpdir(), 'gatelab-sweep-'));
  execFileSync(join(ROOT, 'target/release/gatelab'), ['sweep', SWEEP, '--out', out], { stdio: 'pipe' });
  const native = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));
  assert.equal(native.length, 12);
  for (const n of native) {
    const w = web.find((r) => r.arch === n.arch && Number(r.hidden) === n.hidden && Number(r.seed) === n.seed);
    assert.ok(w, `web has ${n.arch} h${n.hidden} seed ${n.seed}`);
    assert.ok(close(Number(w.val), n.val_loss), `${n.arch} h${n.hidden} seed ${n.seed}: val loss ${w.val} vs ${n.val_loss}`);
    assert.equal(Number(w.metric), n.val_metric, `${n.arch} h${n.hidden} seed ${n.seed}: metric`);
  }
});

test('a sweep past the limit is refused with the numbers, before it starts', async (t) => {
  const big = 'task=adding&len=500&cells=64,128,256&archs=lstm,gru,rnn&seeds=10&steps=100000';
  const { page, problems, context } = await open(browser, `${srv.base}?${big}`);
  await mounted(page);
  assert.match(await page.locator('#sweep-estimate').textContent(), /refused/);
  await page.click('#sweep-run');
  assert.match(await page.locator('#sweep-refusal').textContent(), /limit is/);
  assert.match(await page.locator('#sweep-status').textContent(), /^$/);
  await noProblems(t, problems);
  await context.close();
});

test('a running sweep can be cancelled', async (t) => {
  const { page, problems, context } = await open(browser, `${srv.base}?task=adding&len=50&cells=16,32&archs=lstm,gru&seeds=3&steps=3000`);
  await mounted(page);
  await page.click('#sweep-run');
  await page.locator('#sweep-status', { hasText: 'running' }).waitFor();
  await page.click('#sweep-cancel');
  await page.locator('#sweep-status', { hasText: 'cancelled' }).waitFor();
  await noProblems(t, problems);
  await context.close();
});

test('switching between Compare and Sweep, back and forth, leaves a working page', async (t) => {
  const { page, problems, context } = await open(browser, srv.base);
  await mounted(page);
  for (let i = 0; i < 2; i++) {
    await page.click('button[role=tab]:has-text("Sweep")');
    await page.locator('#sweep-run').waitFor();
    await page.waitForTimeout(700); // past the sweep view's 500 ms timer
    await page.click('button[role=tab]:has-text("Compare")');
    await page.locator('#play').waitFor();
    await page.waitForTimeout(700);
  }
  assert.equal(await page.locator('#fatal').count(), 0);
  await noProblems(t, problems);
  await context.close();
});
