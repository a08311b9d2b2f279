// The gate lab: every cell trains in the page to the CLI's bits; the heatmaps show each cell's
// own gates; the Gate lab view draws every cell and opens a comparison; an ablation search's
// file shows its chart; an unknown cell in a link is named and the defaults kept.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, launch, open, mounted, trained, runs, noProblems, ROOT } from '../harness.js';

let srv, browser;
before(async () => { srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

const gatelab = (...args) => execFileSync(join(ROOT, 'target/release/gatelab'), args, { stdio: 'pipe' }).toString();
const VARIANTS = ['lstm-ph', 'lstm-nig', 'lstm-nfg', 'lstm-nog', 'lstm-niaf', 'lstm-noaf', 'lstm-cifg', 'lstm-fgr', 'mgu', 'mingru', 'minlstm'];

test('every gate lab cell trains in the page to the bits `gatelab train` gives', async (t) => {
  const q = `task=adding&len=8&cells=4&layers=2&archs=${VARIANTS.join(',')}&steps=30&every=10&seeds=1`;
  const { page, problems, context } = await open(browser, `${srv.base}?${q}`);
  await mounted(page);
  await trained(page);
  await page.click('#play');
  await page.locator('#status', { hasText: 'done' }).waitFor({ timeout: 120000 });
  const out = mkdtempSync(join(tmpdir(), 'gatelab-cells-'));
  gatelab('train', q, '--out', out);
  const cli = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).runs;
  const web = await runs(page);
  assert.equal(web.length, VARIANTS.length);
  for (const r of web) {
    const c = cli.find((x) => x.arch === r.arch);
    assert.equal(Number(r.summaryVal), c.val_loss, `${r.arch}: the page's validation loss is the CLI's`);
  }
  await noProblems(t, problems);
  await context.close();
});

test("the heatmaps show each cell's own gates: none for a gate the cell does not have", async (t) => {
  const { page, problems, context } = await open(browser, `${srv.base}?task=adding&len=8&cells=4&archs=lstm-nfg,mingru&steps=20&seeds=1`);
  await mounted(page);
  await trained(page);
  await page.click('#play');
  await page.locator('#status', { hasText: 'done' }).waitFor({ timeout: 60000 });
  await page.locator('.gate-panel[data-arch="lstm-nfg"] canvas.heatmap').first().waitFor({ timeout: 30000 });
  const names = async (arch) => page.$$eval(`.gate-panel[data-arch="${arch}"] canvas.heatmap`, (cs) => cs.map((c) => c.dataset.name));
  const nfg = await names('lstm-nfg');
  for (const g of ['i', 'g', 'o', 'c', 'h']) assert.ok(nfg.includes(`LSTM-NFG ${g}`), `${g} in ${nfg}`);
  assert.ok(!nfg.includes('LSTM-NFG f'), `no forget gate: ${nfg}`);
  const min = await names('mingru');
  assert.deepEqual(min.filter((n) => n.startsWith('minGRU')), ['minGRU z', 'minGRU n', 'minGRU h']);
  await noProblems(t, problems);
  await context.close();
});

test('the Gate lab draws every cell, marks what a variant removed, and opens its comparison', async (t) => {
  const { page, problems, context } = await open(browser, `${srv.base}#gatelab`);
  await mounted(page);
  await page.locator('.cell-card').first().waitFor({ timeout: 30000 });
  assert.equal(await page.locator('.cell-card').count(), 14);
  assert.equal(await page.locator('.cell-card svg.cell-diagram').count(), 14);
  const removed = await page.$$eval('.cell-card[data-arch="lstm-nfg"] .part.removed .name', (e) => e.map((x) => x.textContent));
  assert.deepEqual(removed, ['f']);
  const added = await page.locator('.cell-card[data-arch="lstm-ph"] .wire.added').count();
  assert.ok(added > 0, 'the peepholes are drawn as added');
  assert.match(await page.locator('.cell-card[data-arch="minlstm"] pre').textContent(), /f \/ \(f \+ i\)/);
  await page.click('.cell-card[data-arch="lstm-cifg"] button');
  await page.waitForFunction(() => location.search.includes('archs=lstm,lstm-cifg') && location.hash === '');
  await trained(page);
  assert.deepEqual((await runs(page)).map((r) => r.arch).filter((a, i, all) => all.indexOf(a) === i), ['lstm', 'lstm-cifg']);
  await noProblems(t, problems);
  await context.close();
});

test('an ablation search shows each variant against the LSTM, in the page and from its file', async (t) => {
  const q = 'task=adding&len=8&archs=lstm,lstm-nig,lstm-cifg&lr=0.003..0.03&cells=4..8&trials=2&halving=2&seeds=1&confirm=3&steps=40&seed=1';
  const out = mkdtempSync(join(tmpdir(), 'gatelab-ablation-'));
  const printed = gatelab('search', q, '--out', out);
  assert.match(printed, /ablation \(each variant against its base cell/);
  const file = JSON.parse(readFileSync(join(out, 'search.json'), 'utf8'));
  assert.deepEqual(file.ablation.map((r) => r.arch).sort(), ['lstm-cifg', 'lstm-nig']);
  const { page, problems, context } = await open(browser, `${srv.base}#search`);
  await mounted(page);
  await page.locator('#open-sweep').waitFor({ timeout: 30000 });
  await page.setInputFiles('#open-sweep', join(out, 'search.json'));
  await page.locator('#ablation').waitFor();
  const rows = await page.$$eval('#ablation .forest-row[data-arch]', (rs) => rs.map((r) => r.dataset.arch));
  assert.deepEqual(rows, file.ablation.map((r) => r.arch), 'least harmful first, as the file orders them');
  for (const r of file.ablation) {
    const call = await page.locator(`#ablation .forest-row[data-arch="${r.arch}"] .call`).textContent();
    assert.equal(call, { hurts: 'hurts', helps: 'helps', no_clear_difference: 'no clear difference' }[r.change]);
  }
  await noProblems(t, problems);
  await context.close();
});

for (const k of [0, 1, 2]) test(`the Gate lab's ablation search ${k + 1} is one the page runs: no refusal, 9 cells, the Search view`, async (t) => {
  const { page, problems, context } = await open(browser, `${srv.base}#gatelab`);
  await mounted(page);
  await page.locator('.ablation-run').first().waitFor({ timeout: 30000 });
  await page.click(`.ablation-run >> nth=${k}`);
  await page.waitForFunction(() => location.hash === '#search');
  const archs = await page.evaluate(() => new URLSearchParams(location.search).get('archs').split(','));
  assert.equal(archs.length, 9);
  assert.ok(archs.includes('lstm') && archs.includes('lstm-fgr') && !archs.includes('minlstm'), archs.join(','));
  // It starts at once; its estimate is within the page's limits (no refusal), then it is cancelled.
  await page.locator('#search-estimate').waitFor({ timeout: 30000 });
  const estimate = await page.locator('#search-estimate').textContent();
  assert.ok(!estimate.includes('refused') && estimate.includes('360 runs'), estimate);
  await page.locator('#search-cancel:not([disabled])').waitFor({ timeout: 30000 });
  await page.click('#search-cancel');
  await noProblems(t, problems);
  await context.close();
});

test('an unknown cell in a link is named in a notice and the known ones kept', async (t) => {
  const { page, problems, context } = await open(browser, `${srv.base}?archs=lstm,lsmt,mgu&steps=20&seeds=1`);
  await mounted(page);
  const notes = await page.locator('#notices').textContent();
  assert.ok(notes.includes('"lsmt" is not one of lstm, lstm-ph'), notes);
  await page.waitForFunction(() => new URLSearchParams(location.search).get('archs') === 'lstm,mgu');
  await noProblems(t, problems);
  await context.close();
});
