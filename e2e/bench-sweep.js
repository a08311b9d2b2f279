// Benchmark (prints, asserts nothing): a sweep's wall time in the page, from the click on Run to
// the last run's result, with N Web Workers (navigator.hardwareConcurrency pinned to N). Prints
// one JSON line per N. Run after `trunk build`:
//   node e2e/bench-sweep.js "<sweep query>" [N...]      (default N: this machine's cores)
import { cpus } from 'node:os';
import { serve, launch, open, mounted } from './harness.js';

const SWEEP = process.argv[2] ?? 'task=adding&len=50&cells=8,16,32&lr=0.003,0.01&archs=lstm,gru&seeds=10&steps=1500&confirm=0';
const counts = process.argv.length > 3 ? process.argv.slice(3).map(Number) : [cpus().length];
const srv = await serve();
const browser = await launch();
for (const workers of counts) {
  const init = `Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => ${workers} });`;
  const { page, context } = await open(browser, `${srv.base}?${SWEEP}#sweep`, { init });
  await mounted(page);
  await page.locator('#sweep-run').waitFor();
  const start = Date.now();
  await page.click('#sweep-run');
  await page.locator('#sweep-status', { hasText: 'all of it took' }).waitFor({ timeout: 3600000 });
  const seconds = (Date.now() - start) / 1000;
  const runs = await page.$$eval('#sweep-table tbody tr', (rs) => rs.length);
  console.log(JSON.stringify({ sweep: SWEEP, workers, runs, seconds, browser: `chromium ${browser.version()}` }));
  await context.close();
}
await browser.close();
srv.server.close();
