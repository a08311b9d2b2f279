// The Sweep view: a sweep on the worker pool equals `gatelab sweep` number for number, carries
// its verdict, keeps its own config, survives diverging runs, and opens a merged sweep.json.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, launch, open, mounted, shot, inked, noProblems, ROOT } from '../harness.js';

let srv, browser;
before(async () => { srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

const gatelab = (...args) => execFileSync(join(ROOT, 'target/release/gatelab'), args, { stdio: 'pipe' });
const table = (page) => page.$$eval('#sweep-table tbody tr', (rs) => rs.map((r) => ({ ...r.dataset })));

async function openSweep(url) {
  const o = await open(browser, url);
  await mounted(o.page);
  await o.page.click('button[role=tab]:has-text("Sweep")');
  await o.page.locator('#sweep-run').waitFor();
  return o;
}

// 32 cells: the LSTM's 4H = 128 columns take the native wide-vector path, so this also checks it
// agrees with wasm's.
const SWEEP = 'task=adding&len=10&cells=2,8,32&lr=0.003,0.03&archs=lstm,gru&seeds=2&steps=150&seed=3';

const done = (page) => page.locator('#sweep-status', { hasText: 'all of it took' }).waitFor({ timeout: 240000 });

test('a sweep over cells and learning rates, confirmed on fresh seeds, equals `gatelab sweep` exactly', async (t) => {
  const { page, problems, context } = await openSweep(`${srv.base}?${SWEEP}`);
  await page.locator('#sweep-estimate', { hasText: '24 runs' }).waitFor();
  assert.match(await page.locator('#sweep-estimate').textContent(), /on 6 fresh seeds: up to 12 runs/);
  await page.click('#sweep-run');
  await done(page);
  for (const id of ['#sweep-loss-cells', '#sweep-loss-params', '#sweep-metric-cells', '#sweep-loss-lr']) {
    assert.ok(await inked(page, id) > 0.02, `${id} is drawn`);
  }
  const web = await table(page);
  assert.equal(web.length, 24 + 12, "the grid, then each architecture's best on 6 fresh seeds");
  const verdict = await page.locator('#sweep-verdict').textContent();
  assert.match(verdict, /LSTM best at \d+ cells, lr [0-9.]+/);
  assert.match(verdict, /GRU best at \d+ cells, lr [0-9.]+/);
  assert.match(verdict, /Confirmed on 6 fresh seeds at these settings: /);
  assert.match(await page.locator('#sweep-table thead').textContent(), /val share within 0\.04 ↑/);
  assert.ok((await page.$$eval('#sweep-table td', (ts) => ts.map((t) => t.textContent))).some((c) => c === 'LSTM'), 'names as written');
  await shot(page, 'sweep');
  await noProblems(t, problems);
  await context.close();

  const out = mkdtempSync(join(tmpdir(), 'gatelab-sweep-'));
  const printed = gatelab('sweep', SWEEP, '--out', out).toString();
  const native = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));
  assert.equal(native.runs.length, 24);
  assert.equal(native.confirm.length, 12);
  for (const [stage, rows] of [['0', native.runs], ['1', native.confirm]]) {
    for (const n of rows) {
      const w = web.find((r) => r.stage === stage && r.arch === n.arch && Number(r.hidden) === n.hidden && Number(r.seed) === n.seed && Number(r.lr) === n.lr);
      assert.ok(w, `web has ${n.arch} h${n.hidden} lr ${n.lr} seed ${n.seed} in stage ${stage}`);
      assert.equal(Number(w.val), n.val_loss, `${n.arch} h${n.hidden} lr ${n.lr} seed ${n.seed}: val loss`);
      assert.equal(Number(w.metric), n.val_metric, `${n.arch} h${n.hidden} lr ${n.lr} seed ${n.seed}: metric`);
    }
  }
  // The page's verdict is the CLI's, word for word.
  for (const line of printed.split('\n').filter((l) => l.startsWith('  len '))) {
    assert.ok(verdict.includes(line.trim()), `${line.trim()} in ${verdict}`);
  }
});

test('a sweep past the limit is refused with the numbers, before it starts', async (t) => {
  const big = 'task=adding&len=500&cells=64,128,256&archs=lstm,gru,rnn&seeds=10&steps=100000';
  const { page, problems, context } = await openSweep(`${srv.base}?${big}`);
  assert.match(await page.locator('#sweep-estimate').textContent(), /refused/);
  await page.click('#sweep-run');
  assert.match(await page.locator('#sweep-refusal').textContent(), /limit is/);
  assert.match(await page.locator('#sweep-status').textContent(), /^$/);
  await noProblems(t, problems);
  await context.close();
});

test('a diverging sweep completes with its diverged rows marked', async (t) => {
  const q = 'task=adding&len=30&cells=8,32&archs=lstm,gru,rnn&lr=1&optim=sgd&clip=0&steps=200&seeds=1';
  const { page, problems, context } = await openSweep(`${srv.base}?${q}`);
  await page.click('#sweep-run');
  await done(page);
  const rows = await table(page);
  assert.ok(rows.some((r) => r.state === 'diverged'), JSON.stringify(rows));
  await noProblems(t, problems);
  await context.close();
});

test('a running sweep can be cancelled, and its results keep their own config when the controls change', async (t) => {
  const { page, problems, context } = await openSweep(`${srv.base}?task=adding&len=10&cells=2,4&archs=lstm&seeds=1&steps=50`);
  await page.click('#sweep-run');
  await done(page);
  const before = await table(page);
  await page.selectOption('#ctl-task', 'sine');
  await page.waitForTimeout(500);
  assert.deepEqual(await table(page), before, 'the table is the sweep that ran');
  assert.match(await page.locator('#sweep-verdict').textContent(), /len 10/);
  await page.goto(`${srv.base}?task=adding&len=50&cells=16,32&archs=lstm,gru&seeds=3&steps=3000`);
  await mounted(page);
  await page.click('button[role=tab]:has-text("Sweep")');
  await page.click('#sweep-run');
  await page.locator('#sweep-status', { hasText: 'running' }).waitFor();
  await page.click('#sweep-cancel');
  await page.locator('#sweep-status', { hasText: 'cancelled' }).waitFor();
  await noProblems(t, problems);
  await context.close();
});

test('a sweep.json merged from shards opens from the file picker with its charts, table and verdict', async (t) => {
  const q = 'task=parity&len=6&cells=2,4&archs=lstm,gru&seeds=2&confirm=2&steps=40';
  const dirs = [1, 2].map((k) => mkdtempSync(join(tmpdir(), `gatelab-shard${k}-`)));
  const out = mkdtempSync(join(tmpdir(), 'gatelab-merged-'));
  for (const stage of ['1', '2']) {
    dirs.forEach((d, k) => gatelab('sweep', q, '--shard', `${k + 1}/2`, '--stage', stage, '--out', d, ...(stage === '2' ? ['--from', out] : [])));
    gatelab('merge', ...dirs, '--out', out);
  }
  const file = join(out, 'sweep.json');
  const merged = JSON.parse(readFileSync(file, 'utf8'));
  const { page, problems, context } = await openSweep(srv.base);
  await page.setInputFiles('#open-sweep', file);
  await page.locator('#sweep-source', { hasText: 'sweep.json' }).waitFor();
  assert.match(await page.locator('#sweep-source').textContent(), /a link cannot carry a file/);
  const rows = await table(page);
  assert.equal(rows.length, 8 + 4);
  for (const r of merged.runs) {
    const w = rows.find((x) => x.arch === r.arch && Number(x.hidden) === r.hidden && Number(x.seed) === r.seed);
    assert.equal(Number(w.val), r.val_loss);
  }
  assert.ok(await inked(page, '#sweep-loss-cells') > 0.02);
  assert.match(await page.locator('#sweep-verdict').textContent(), new RegExp(merged.verdict[0].text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.equal(await page.$eval('#ctl-task', (e) => e.value), 'parity', 'the controls show its config');
  assert.equal(await page.locator('#sweep-arithmetic').count(), 0, 'exact arithmetic needs no caveat');
  // The same sweep with --fast: its file says so, and so does the page.
  const fast = mkdtempSync(join(tmpdir(), 'gatelab-sweep-fast-'));
  gatelab('sweep', q, '--out', fast, '--fast');
  await page.setInputFiles('#open-sweep', join(fast, 'sweep.json'));
  await page.locator('#sweep-arithmetic', { hasText: 'fused multiply-adds' }).waitFor();
  assert.match(await page.locator('#sweep-arithmetic').textContent(), /Verdicts compare; bits do not/);
  await shot(page, 'sweep-fused');
  // A bad file gets a notice naming what is wrong.
  const bad = join(out, 'bad.json');
  writeFileSync(bad, JSON.stringify({ ...merged, runs: merged.runs.slice(1) }));
  await page.setInputFiles('#open-sweep', bad);
  await page.locator('#sweep-refusal', { hasText: 'bad.json' }).waitFor();
  assert.match(await page.locator('#sweep-refusal').textContent(), /7/);
  writeFileSync(bad, '{"query": "task=adding", "runs": [');
  await page.setInputFiles('#open-sweep', bad);
  await page.locator('#sweep-refusal', { hasText: 'not a Gatelab sweep.json' }).waitFor();
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
