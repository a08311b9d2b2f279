import { launchEngine } from './engines.js';
import { serve } from './harness.js';
const srv = await serve();
for (const name of process.argv.slice(2)) {
  const t0 = Date.now();
  const e = await launchEngine(name);
  console.log(name, e.version, 'launched in', Date.now() - t0, 'ms');
  const p = await e.open(`${srv.base}?task=adding&len=10&cells=4&archs=lstm,gru&steps=60&seeds=2`);
  await p.waitFor(() => !!document.querySelector('#stats tr.arch-row'), null, 30000);
  await p.click('#play');
  await p.waitFor(() => document.querySelector('#status')?.textContent.includes('done'), null, 60000);
  const rows = await p.evaluate(() => [...document.querySelectorAll('#stats tr.seed-row')].map((r) => [r.dataset.arch, r.dataset.seed, r.dataset.summaryVal]));
  console.log(JSON.stringify(rows));
  console.log('problems', JSON.stringify(await p.problems()));
  await p.close();
  await e.close();
}
srv.server.close();
