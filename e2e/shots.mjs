// Ad hoc screenshots for looking at the page (not a test): node shots.mjs
import { serve, launch, open, mounted, trained, shot } from './harness.js';
const srv = await serve(); const browser = await launch();
const views = [
  ['desktop-start', '', { width: 1440, height: 900 }, false],
  ['desktop-done', '?task=adding&len=20&steps=300&seeds=3', { width: 1440, height: 900 }, true],
  ['phone-done', '?task=adding&len=20&steps=300&seeds=3', { width: 390, height: 844 }, true],
  ['diverged', '?task=adding&len=30&cells=32&archs=lstm,gru,rnn&lr=1&optim=sgd&clip=0&steps=300&seeds=2', { width: 1440, height: 900 }, true],
  ['text', '?task=text&len=30&cells=16&steps=100&seeds=2&batch=8', { width: 1440, height: 900 }, true],
];
for (const [name, q, viewport, play] of views) {
  const { page, context, problems } = await open(browser, `${srv.base}${q}`, { viewport });
  await mounted(page); await trained(page);
  if (play) { await page.click('#play'); await page.locator('#status', { hasText: 'done' }).waitFor({ timeout: 120000 }); await page.waitForTimeout(800); }
  await page.screenshot({ path: `screenshots/${name}.png` });
  await shot(page, `${name}-full`);
  console.log(name, JSON.stringify(problems));
  await context.close();
}
await browser.close(); srv.server.close();
