// Benchmark (prints, asserts nothing): Gatelab's Bench view in headless Chromium, one JSON line
// per row with the keys of `gatelab bench --json`. Run after `trunk build`:
//   node e2e/bench-browser.js            the page's Bench view (#bench)
//   node e2e/bench-browser.js --tfjs     TensorFlow.js 4.22 (wasm backend, SIMD, one thread) in
//                                        the same Chromium, the same step (needs bench/node_modules)
//   node e2e/bench-browser.js --compare  the compare view's 2 runs on 1 worker and on 2 workers
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serve, launch, open, ROOT } from './harness.js';

const browser = await launch();

async function gatelab() {
  const srv = await serve();
  const { page, context } = await open(browser, `${srv.base}#bench`);
  await page.locator('#bench[data-done="1"]').waitFor({ timeout: 300000 });
  const rows = await page.$$eval('#bench tbody tr', (rs) => rs.map((r) => ({ ...r.dataset })));
  for (const r of rows) {
    console.log(JSON.stringify({ arch: r.arch, hidden: Number(r.hidden), batch: 32, len: 50,
      steps_per_s: Number(r.stepsPerS), gflops: Number(r.gflops), peer: 'gatelab chromium' }));
  }
  await context.close();
  srv.server.close();
}

const PAGE = `<!doctype html><meta charset="utf-8"><script src="/tf.min.js"></script>
<script src="/tf-backend-wasm.min.js"></script><script>
window.bench = async () => {
  tf.wasm.setWasmPaths('/');
  await tf.setBackend('wasm');
  const out = [];
  for (const [arch, gates] of [['lstm', 4], ['gru', 3]]) {
    for (const hidden of [8, 32, 128, 256]) {
      const model = tf.sequential();
      const cell = { units: hidden, inputShape: [50, 8] };
      model.add(arch === 'lstm' ? tf.layers.lstm(cell) : tf.layers.gru(cell));
      model.add(tf.layers.dense({ units: 1 }));
      model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
      const x = tf.randomUniform([32, 50, 8], -1, 1), y = tf.fill([32, 1], 0.5);
      for (let i = 0; i < 2; i++) await model.trainOnBatch(x, y);
      let n = 0; const start = performance.now();
      while (performance.now() - start < 1000 || n < 3) { await model.trainOnBatch(x, y); n++; }
      const sps = n / ((performance.now() - start) / 1000);
      out.push({ arch, hidden, batch: 32, len: 50, steps_per_s: sps,
        gflops: sps * 3 * 2 * gates * hidden * (8 + hidden) * 32 * 50 / 1e9, peer: 'tfjs 4.22 wasm ' + tf.getBackend() });
      model.dispose(); x.dispose(); y.dispose();
    }
  }
  return out;
};</script>`;

async function tfjs() {
  const dirs = [join(ROOT, 'bench/node_modules/@tensorflow/tfjs/dist'), join(ROOT, 'bench/node_modules/@tensorflow/tfjs-backend-wasm/dist')];
  const server = createServer(async (req, res) => {
    const name = new URL(req.url, 'http://x').pathname.slice(1);
    if (name === '') { res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE); return; }
    for (const d of dirs) {
      try {
        const body = await readFile(join(d, name));
        const type = name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
        res.writeHead(200, { 'content-type': type }).end(body);
        return;
      } catch { /* next folder */ }
    }
    res.writeHead(404).end();
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { page, context } = await open(browser, `http://127.0.0.1:${server.address().port}/`);
  for (const row of await page.evaluate(() => window.bench())) console.log(JSON.stringify(row));
  await context.close();
  server.close();
}

// The compare view: one run (the LSTM) on 1 worker, then two runs (LSTM and GRU, one seed) on 1
// and on 2 workers, each trained to the end.
async function compare() {
  const srv = await serve();
  const q = 'task=adding&len=30&cells=32&seeds=1&steps=1500&speed=100';
  let one;
  for (const [archs, workers] of [['lstm', 1], ['lstm,gru', 1], ['lstm,gru', 2]]) {
    const init = `Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => ${workers} });`;
    const { page, context } = await open(browser, `${srv.base}?${q}&archs=${archs}`, { init });
    await page.locator('#stats tr.arch-row').first().waitFor();
    const start = Date.now();
    await page.click('#play');
    await page.locator('#status', { hasText: 'done' }).waitFor({ timeout: 600000 });
    const secs = (Date.now() - start) / 1000;
    one ??= secs;
    console.log(JSON.stringify({ compare: `${q}&archs=${archs}`, workers, seconds: secs, versus_one_run: secs / one }));
    await context.close();
  }
  srv.server.close();
}

const mode = process.argv[2];
await (mode === '--tfjs' ? tfjs() : mode === '--compare' ? compare() : gatelab());
await browser.close();
