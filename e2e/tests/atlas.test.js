// The Atlas view: the shipped atlas.json drawn as one square per cell, each reachable from the
// keyboard with its sentence; what the map says; a click re-runs the square's search on the
// page's workers, which equals `gatelab search` for its config and the atlas's own runs of that
// cell; a broken atlas.json gets one clear message; and the view reads at phone width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, launch, open, mounted, shot, noProblems, ROOT, untimedSearch } from '../harness.js';

const gatelab = (...args) => execFileSync(join(ROOT, 'target/release/gatelab'), args, { stdio: 'pipe' }).toString();
const ATLAS = JSON.parse(readFileSync(join(ROOT, 'assets/atlas.json'), 'utf8'));

let srv, browser;
before(async () => { srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

test('the Atlas view draws every cell with its verdict, and says what the map says', async (t) => {
  const { page, problems, context } = await open(browser, `${srv.base}#atlas`);
  await mounted(page);
  await page.locator('.atlas-cell[data-id]').first().waitFor({ timeout: 60000 });
  const ids = await page.$$eval('.atlas-cell[data-id]', (cs) => cs.map((c) => c.dataset.id));
  assert.deepEqual([...ids].sort(), ATLAS.cells.map((c) => c.id).sort());
  assert.equal(await page.locator('.atlas-group').count(), 7);
  const marks = { 'lstm-wins': 'LSTM', 'gru-wins': 'GRU', 'no-clear-winner': '=', unsettled: '?' };
  for (const c of ATLAS.cells) {
    assert.equal(await page.locator(`.atlas-cell[data-id="${c.id}"] .call`).textContent(), marks[c.call], c.id);
  }
  assert.deepEqual(await page.$$eval('#atlas-says li', (ls) => ls.map((l) => l.textContent)), ATLAS.says);
  assert.equal(await page.locator('#atlas-readings li').count(), 6, 'every reading holds on the shipped atlas');
  // Keyboard: Tab reaches a square, whose sentence shows.
  const c = ATLAS.cells[4];
  await page.focus(`.atlas-cell[data-id="${c.id}"]`);
  const detail = await page.locator('#atlas-detail').textContent();
  assert.ok(detail.startsWith(`${c.problem} (${c.kind}), len ${c.len}, ${c.size} parameters:`), detail);
  assert.ok(detail.includes(`seeds ${c.seeds[1][0]}-${c.seeds[1][1]}`), detail);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.id), ATLAS.cells[5].id);
  await shot(page, 'atlas');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling at phone width (${overflow}px)`);
  await shot(page, 'atlas-phone');
  await noProblems(t, problems);
  await context.close();
});

test("a square re-runs its search in the page to the CLI's numbers and the atlas's own runs", async (t) => {
  // The cheapest cell, so the browser's run stays short.
  const cell = ATLAS.cells.reduce((a, b) => (a.seconds <= b.seconds ? a : b));
  const { page, problems, context } = await open(browser, `${srv.base}#atlas`);
  await mounted(page);
  await page.locator(`.atlas-cell[data-id="${cell.id}"]`).click({ timeout: 60000 });
  await page.waitForFunction(() => location.hash === '#search');
  await page.locator('#search-status', { hasText: 'all of it took' }).waitFor({ timeout: 480000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#search-json')]);
  const web = JSON.parse(readFileSync(await download.path(), 'utf8'));
  const out = mkdtempSync(join(tmpdir(), 'gatelab-atlas-'));
  gatelab('search', cell.config, '--out', out);
  const cli = JSON.parse(readFileSync(join(out, 'search.json'), 'utf8'));
  assert.deepEqual(untimedSearch(web), untimedSearch(cli));
  // The atlas's runs of this cell: each rung's and the confirmation's, number for number.
  const key = (r) => `${r.arch} ${r.trial} ${r.seed} ${r.steps}`;
  const atlasRuns = new Map(cell.stages.flat().map((r) => [key(r), r.val_loss]));
  const webRuns = [...web.trials.flatMap((tr) => tr.rungs.flatMap((r) => r.runs)), ...web.confirm];
  assert.equal(webRuns.length, atlasRuns.size);
  for (const r of webRuns) assert.equal(r.val_loss, atlasRuns.get(key(r)), key(r));
  await noProblems(t, problems);
  await context.close();
});

test('a broken atlas.json gets one clear message and nothing else', async (t) => {
  const { page, problems, context } = await open(browser, `${srv.base}#atlas`);
  await page.route('**/atlas.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"query": "atlas", "cells": 3}' }));
  await page.reload();
  await mounted(page);
  const msg = await page.locator('#atlas-error').textContent({ timeout: 60000 });
  assert.match(msg, /^The atlas did not load: not a Gatelab atlas.json/);
  assert.equal(await page.locator('.atlas-cell').count(), 0);
  await noProblems(t, problems);
  await context.close();
});

test("an atlas.json of the user's own opens in the view; a foreign one is refused and the map stays", async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'gatelab-atlas-own-'));
  // Run with --fast: the view says its numbers came from fused arithmetic.
  gatelab('atlas', '--only', 'id=parity-5-1k', '--out', out, '--threads', '2', '--fast');
  const { page, problems, context } = await open(browser, `${srv.base}#atlas`);
  await mounted(page);
  await page.locator('.atlas-cell[data-id]').first().waitFor({ timeout: 60000 });
  assert.equal(await page.locator('#atlas-arithmetic').count(), 0, 'the shipped atlas is exact');
  await page.setInputFiles('#open-atlas', join(out, 'atlas.json'));
  await page.locator('#atlas-note', { hasText: 'Showing the file atlas.json (1 cells)' }).waitFor();
  await page.locator('#atlas-arithmetic', { hasText: 'fused multiply-adds' }).waitFor();
  assert.deepEqual(await page.$$eval('.atlas-cell[data-id]', (cs) => cs.map((c) => c.dataset.id)), ['parity-5-1k']);
  await page.setInputFiles('#open-atlas', { name: 'search.json', mimeType: 'application/json', buffer: Buffer.from('{"query": "task=adding", "trials": []}') });
  await page.locator('#atlas-note', { hasText: 'search.json is not an atlas Gatelab can show: not a Gatelab atlas.json' }).waitFor();
  assert.equal(await page.locator('.atlas-cell[data-id]').count(), 1, 'the map is unchanged');
  await noProblems(t, problems);
  await context.close();
});

test('leaving the Atlas view before its file arrives is quiet: no panic, and it loads when opened again', async (t) => {
  const { page, problems, context } = await open(browser, srv.base);
  await mounted(page);
  await page.route('**/atlas.json', async (route) => { await new Promise((r) => setTimeout(r, 1500)); await route.continue(); });
  await page.click('[role=tab]:has-text("Atlas")');
  await page.locator('#atlas-loading').waitFor({ timeout: 30000 });
  await page.click('[role=tab]:has-text("Compare")');
  await page.waitForTimeout(3000);
  await page.click('[role=tab]:has-text("Atlas")');
  await page.locator('.atlas-cell[data-id]').first().waitFor({ timeout: 60000 });
  await noProblems(t, problems);
  await context.close();
});
