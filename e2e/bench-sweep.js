// Benchmark (prints, asserts nothing): the page's sweep throughput with 1 Web Worker and with
// N, by pinning navigator.hardwareConcurrency. Run after `trunk build`: node e2e/bench-sweep.js
import { serve, launch, open, mounted } from './harness.js';

const SWEEP = 'task=adding&len=30&cells=8,16,32&archs=lstm,gru&seeds=2&steps=300&seed=1';
const srv = await serve();
const browser = await launch();
const cores = Number(process.argv[2] ?? 2);
let one;
for (const workers of [1, cores]) {
  const init = `Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => ${workers} });`;
  const { page, context } = await open(browser, `${srv.base}?${SWEEP}`, { init });
  await mounted(page);
  const start = Date.now();
  await page.click('#sweep-run');
  await page.locator('#sweep-status', { hasText: '12 / 12 runs done' }).waitFor({ timeout: 600000 });
  const secs = (Date.now() - start) / 1000;
  one ??= secs;
  console.log(`page sweep of 12 runs on ${workers} worker(s): ${secs.toFixed(2)} s, `
    + `${(12 / secs).toFixed(2)} runs/s, speed-up ${(one / secs).toFixed(2)}x`);
  await context.close();
}
await browser.close();
srv.server.close();
