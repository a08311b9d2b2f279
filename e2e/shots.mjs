// Screenshots for looking at the page after a UI change (not a test): `node shots.mjs`
// writes screenshots/*.png (viewport) and *-full.png (whole page) for every view.
import { serve, launch, open, mounted, trained, shot } from './harness.js';

const desktop = { width: 1440, height: 900 };
const phone = { width: 390, height: 844 };
const done = (page) => page.locator('#status', { hasText: 'done' }).waitFor({ timeout: 180000 });

// [name, address after the base, viewport, what to do once the page is up]
const views = [
  ['desktop-start', '', desktop, async () => {}],
  ['desktop-done', '?task=adding&len=20&steps=300&seeds=3', desktop, play],
  ['phone-done', '?task=adding&len=20&steps=300&seeds=3', phone, play],
  ['diverged', '?task=adding&len=30&cells=32&archs=lstm,gru,rnn&lr=1&optim=sgd&clip=0&steps=300&seeds=2', desktop, play],
  ['text', '?task=text&len=30&cells=16&steps=100&seeds=2&batch=8', desktop, play],
  ['data-gunpoint', '?seeds=2&steps=200', desktop, async (page) => {
    await page.setInputFiles('#data-file', ['../tests/data/GunPoint_TRAIN.ts', '../tests/data/GunPoint_TEST.ts']);
    await page.locator('#data-summary').waitFor({ timeout: 30000 });
    await play(page);
  }],
  ['sweep', '?task=adding&len=10,20&cells=4,8&archs=lstm,gru&seeds=2&confirm=2&steps=200#sweep', desktop, async (page) => {
    await page.locator('#sweep-run').waitFor({ timeout: 30000 });
    await page.click('#sweep-run');
    await page.locator('#sweep-status', { hasText: 'all of it took' }).waitFor({ timeout: 240000 });
  }],
  ['search', '?task=adding&len=20&lr=0.001..0.1&cells=4..32&archs=lstm,gru&trials=9&halving=3&seeds=2&confirm=2&steps=300#search', desktop, async (page) => {
    await page.locator('#search-run').waitFor({ timeout: 30000 });
    await page.click('#search-run');
    await page.locator('#search-status', { hasText: 'took' }).waitFor({ timeout: 300000 });
  }],
  ['bench', '#bench', desktop, async (page) => page.waitForTimeout(2000)],
  ['gatelab', '#gatelab', desktop, async (page) => page.locator('.cell-card').first().waitFor({ timeout: 30000 })],
  ['gatelab-phone', '#gatelab', phone, async (page) => page.locator('.cell-card').first().waitFor({ timeout: 30000 })],
  ['atlas', '#atlas', desktop, async (page) => page.locator('.atlas-cell[data-id]').first().waitFor({ timeout: 60000 })],
  ['atlas-phone', '#atlas', phone, async (page) => page.locator('.atlas-cell[data-id]').first().waitFor({ timeout: 60000 })],
  // An ablation search's file (SHOT_FILE, e.g. from `gatelab search ... --out DIR`) opened in the Search view.
  ['ablation', '#search', desktop, async (page) => {
    await page.locator('#open-sweep').waitFor({ timeout: 30000 });
    await page.setInputFiles('#open-sweep', process.env.SHOT_FILE);
    await page.locator('#ablation').waitFor({ timeout: 30000 });
    await page.locator('#ablation').screenshot({ path: 'screenshots/ablation-panel.png' });
  }],
];

async function play(page) {
  await page.click('#play');
  await done(page);
}

const only = process.argv[2];
const srv = await serve();
const browser = await launch();
for (const [name, q, viewport, act] of views.filter(([n]) => !only || n === only)) {
  const { page, context, problems } = await open(browser, `${srv.base}${q}`, { viewport });
  await mounted(page);
  if (!q.includes('#')) await trained(page);
  await act(page);
  await page.waitForTimeout(800);
  await page.screenshot({ path: `screenshots/${name}.png` });
  await shot(page, `${name}-full`);
  console.log(name, JSON.stringify(problems));
  await context.close();
}
await browser.close();
srv.server.close();
