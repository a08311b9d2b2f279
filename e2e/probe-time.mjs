// Ad hoc: how long the default experiment takes in the page (not a test).
import { serve, launch, open, mounted, trained, shot } from './harness.js';
const srv = await serve(); const browser = await launch();
for (const q of (process.argv[2] ?? '').split('|')) {
  const { page, context, problems } = await open(browser, `${srv.base}?${q}`);
  await mounted(page); await trained(page);
  const t0 = Date.now();
  await page.click('#play');
  await page.locator('#status', { hasText: 'done' }).waitFor({ timeout: 300000 });
  const secs = (Date.now() - t0) / 1000;
  console.log(q || '(default)', secs.toFixed(1), 's');
  console.log(await page.locator('#head-to-head').textContent());
  console.log(await page.locator('#finding').count() ? await page.locator('#finding').textContent() : 'no finding');
  await shot(page, `probe-${(q||'default').slice(0,20).replace(/[^a-z0-9]/gi,'_')}`);
  console.log(JSON.stringify(problems));
  await context.close();
}
await browser.close(); srv.server.close();
