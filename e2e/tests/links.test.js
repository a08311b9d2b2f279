// Hostile links: garbled, huge, NaN, diverging, duplicated keys, script injection. None may
// raise a page error, each bad key gets a notice naming it, no run is left "training…", and
// training works afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open, mounted, trained } from '../harness.js';

let srv, browser;
before(async () => { srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

// [query, keys the notice must name]
const LINKS = [
  ['cells=lots&lr=-3&task=chess&zap=1&archs=lstm,tcn&len=99999', ['cells', 'lr', 'task', 'zap', 'archs', 'len']],
  ['cells=0', ['cells']],
  ['cells=-5', ['cells']],
  ['cells=1e9', ['cells']],
  ['lr=NaN', ['lr']],
  ['lr=inf', ['lr']],
  ['lr=1e39', ['lr']],
  ['lr=-0', ['lr']],
  ['steps=99999999999999999999999999999999999999999', ['steps']],
  ['seed=-1', ['seed']],
  ['seed=4294967296', ['seed']],
  ['seeds=0', ['seeds']],
  ['seeds=11', ['seeds']],
  ['cells=4&cells=8', ['cells']],
  ['task=adding&task=copy', ['task']],
  ['archs=', ['archs']],
  ['archs=,,,', ['archs']],
  ['archs=lstm,lstm', ['archs']],
  ['len=0', ['len']],
  ['task=order&len=1', ['len']],
  ['layers=0', ['layers']],
  ['layers=99', ['layers']],
  ['task=dyck&pairs=3', ['pairs']],
  ['task=copy&symbols=0', ['symbols']],
  ['task=parity&parity=sometimes', ['parity']],
  ['optim=rmsprop', ['optim']],
  ['init=xavier', ['init']],
  ['fbias=yes', ['fbias']],
  ['match=2', ['match']],
  ['batch=100000', ['batch']],
  ['train=-1', ['train']],
  ['every=0', ['every']],
  ['test_len=0', ['test_len']],
  ['speed=0', ['speed']],
  ['task=text&temp=100', ['temp']],
  ['<script>window.__pwned=1</script>=1', ['<script>']],
  ['cells=<img src=x onerror="window.__pwned=1">', ['cells']],
  ['%E0%A4%A=1', []],
  ['%00=%00', []],
  [`${'a'.repeat(5000)}=1`, ['aaaa']],
  ['cells=1,2,3,4,5,6,7,8,9,10,11,12,13,14', ['cells']],
  ['lr=0.1,0.1,0.2', ['lr']],
  ['&&&===&&', []],
  ['task=copy&len=1000&cells=256&batch=256&archs=lstm,gru,rnn&steps=5', []],
  ['task=text&len=1000&cells=256&layers=3&batch=256', []],
  ['task=adding&len=30&cells=32&archs=lstm,gru,rnn&lr=1&optim=sgd&clip=0&steps=300&seeds=1', []],
];

test(`${LINKS.length} hostile links: notices name each bad key, nothing breaks or sticks, training works after`, async () => {
  const { page, problems, context } = await open(browser, srv.base);
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  for (const [query, keys] of LINKS) {
    const what = query.slice(0, 60);
    try {
    await page.goto(`${srv.base}?${query}`);
    await mounted(page);
    const notices = await page.locator('#notices li').allTextContents();
    for (const k of keys) {
      assert.ok(notices.some((n) => n.startsWith(k)), `${what}: no notice names ${k}: ${JSON.stringify(notices)}`);
    }
    const refused = await page.locator('#refusal').count();
    if (refused) {
      assert.match(await page.locator('#refusal').textContent(), /GiB|MiB/, `${what}: the refusal names the numbers`);
      assert.equal(await page.locator('#stats tr.seed-row').count(), 0, `${what}: nothing was started`);
      assert.equal(await page.$eval('#play', (b) => b.getAttribute('aria-disabled')), 'true', `${what}: Play waits for a config that fits`);
      // Training works after a fix: a smaller network on shorter sequences.
      for (const id of ['#ctl-cells', '#ctl-len']) {
        await page.focus(id);
        for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowLeft');
      }
      await page.locator('#refusal').waitFor({ state: 'detached', timeout: 10000 });
    }
    if (await page.locator('#sweep-run').count()) {
      // A list of values is a sweep: the page opens the Sweep view; the compare view trains the first.
      await page.click('button[role=tab]:has-text("Compare")');
    }
    await trained(page);
    await page.click('#step');
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('#stats tr.seed-row')];
      return rows.length > 0 && rows.every((r) => Number(r.dataset.records) >= 2 || r.dataset.state !== 'training');
    }, null, { timeout: 60000 }).catch(() => assert.fail(`${what}: a run is stuck`));
    assert.equal(await page.evaluate(() => window.__pwned), undefined, `${what}: no script ran`);
    assert.deepEqual(problems.page, [], `${what}: page errors`);
    } catch (e) {
      throw new Error(`${what}: ${e.message}`);
    }
  }
  assert.deepEqual(dialogs, []);
  assert.deepEqual(problems.console, [], 'console errors');
  await context.close();
});
