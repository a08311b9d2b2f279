// Shared harness of the browser tests: a static server for ../dist on loopback, Debian's
// Chromium through playwright-core, and a page that records every console error, page error
// and request that leaves 127.0.0.1.
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = fileURLToPath(new URL('.', import.meta.url));
export const DIST = join(here, '..', 'dist');
export const ROOT = join(here, '..');
export const SHOTS = join(here, 'screenshots');

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

// Serves dist/ at `prefix` (a folder path such as "/it's gatelab/"); other paths are 404.
export async function serve({ prefix = '/' } = {}) {
  const server = createServer(async (req, res) => {
    const full = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!full.startsWith(prefix)) { res.writeHead(404).end('not found'); return; }
    const path = full.slice(prefix.length - 1);
    const file = normalize(join(DIST, path === '/' ? 'index.html' : path));
    if (!file.startsWith(DIST)) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const encoded = prefix.split('/').map(encodeURIComponent).join('/');
  return { server, base: `http://127.0.0.1:${server.address().port}${encoded}` };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    // playwright gives every launch a fresh, empty user-data-dir of its own.
  });
}

// A fresh page with problem recorders; `viewport` defaults to a desktop.
export async function open(browser, url, { viewport = { width: 1400, height: 1000 }, init } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = { console: [], page: [], offsite: [], failed: [] };
  page.on('response', (r) => { if (r.status() >= 400) problems.failed.push(`${r.status()} ${r.url()}`); });
  page.on('console', (m) => { if (m.type() === 'error') problems.console.push(m.text()); });
  page.on('pageerror', (e) => problems.page.push(String(e)));
  context.on('request', (r) => {
    const u = new URL(r.url());
    if (!['blob:', 'data:'].includes(u.protocol) && u.hostname !== '127.0.0.1') problems.offsite.push(r.url());
  });
  if (init) await page.addInitScript(init);
  await page.goto(url);
  return { page, context, problems };
}

// The app has mounted: its header and controls are there and the worker has reported runs.
export async function mounted(page, timeout = 30000) {
  await page.locator('h1', { hasText: 'Gatelab' }).waitFor({ timeout });
  await page.locator('#ctl-cells').waitFor({ state: 'attached', timeout });
}

// The runs are listed (their stats rows exist).
export async function trained(page, timeout = 30000) {
  await page.locator('#stats tbody tr.arch-row').first().waitFor({ timeout });
}

// Every run (seed row) has reached `atLeast` steps.
export async function waitStep(page, atLeast, timeout = 60000) {
  await page.waitForFunction((n) => {
    const rows = [...document.querySelectorAll('#stats tr.seed-row')];
    return rows.length > 0 && rows.every((r) => Number(r.dataset.step) >= n || r.dataset.state !== 'training');
  }, atLeast, { timeout });
}

// The per-run rows of the stats table (each architecture and seed).
export const runs = (page) => page.$$eval('#stats tr.seed-row', (trs) => trs.map((r) => ({ ...r.dataset })));

export async function shot(page, name) {
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

// Share of a canvas's pixels that are not white: a drawn chart has lines and axes.
export async function inked(page, selector) {
  return page.$eval(selector, (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240) ink++;
    return ink / (d.length / 4);
  });
}

// The per-architecture rows of the stats table: { arch: { seeds, val, text } }.
export async function stats(page) {
  return page.$$eval('#stats tr.arch-row', (rows) => Object.fromEntries(rows.map((r) => [
    r.dataset.arch,
    { seeds: Number(r.dataset.seeds), val: Number(r.dataset.val), text: r.querySelector('.val-loss').textContent },
  ])));
}

export async function noProblems(t, problems) {
  const { default: assert } = await import('node:assert/strict');
  assert.deepEqual(problems.page, [], 'page errors');
  assert.deepEqual(problems.console, [], 'console errors');
  assert.deepEqual(problems.offsite, [], 'requests that left 127.0.0.1');
  assert.deepEqual(problems.failed, [], 'failed requests');
}

// A search.json without its timing (the one field a re-run may change).
export function untimedSearch(f) {
  const strip = (r) => { const { seconds, ...rest } = r; return rest; };
  return {
    ...f,
    trials: f.trials.map((t) => ({ ...t, rungs: t.rungs.map((r) => ({ ...r, runs: r.runs.map(strip) })) })),
    confirm: f.confirm.map(strip),
  };
}
