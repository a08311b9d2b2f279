// The checks every engine runs (Chromium, Firefox, WebKit): one list, written against the
// small page interface of engines.js. Each takes (page opener, server base) and throws on a
// failure. The long Chromium-only checks are in tests/*.test.js.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './harness.js';

const gatelab = (...args) => execFileSync(join(ROOT, 'target/release/gatelab'), args, { stdio: 'pipe' }).toString();
const DATA = join(ROOT, 'tests/data');

const mounted = (p) => p.waitFor(() => !!document.querySelector('#ctl-cells') && !!document.querySelector('h1'), null, 30000, 'the app to mount');
const trained = (p) => p.waitFor(() => !!document.querySelector('#stats tr.arch-row'), null, 30000, 'the runs to load');
const done = (p, sel = '#status', text = 'done') =>
  p.waitFor(([s, t]) => document.querySelector(s)?.textContent.includes(t), [sel, text], 180000, `${sel} to say ${text}`);

async function clean(p, what) {
  assert.deepEqual(await p.problems(), [], `${what}: errors in the page`);
  assert.equal(await p.count('#fatal'), 0, `${what}: no crash message`);
}

export const CHECKS = {
  async 'the page loads with no error'(open, base) {
    const p = await open(base);
    await mounted(p);
    await trained(p);
    await clean(p, 'load');
    await p.close();
  },

  async 'the compare view trains to the end with `gatelab train`s numbers, bit for bit'(open, base) {
    const q = 'task=adding&len=10&cells=8&archs=lstm,gru&steps=80&seeds=2&seed=4';
    const p = await open(`${base}?${q}`);
    await trained(p);
    await p.click('#play');
    await done(p);
    const web = await p.evaluate(() => [...document.querySelectorAll('#stats tr.seed-row')].map((r) => ({ ...r.dataset })));
    const out = mkdtempSync(join(tmpdir(), 'gatelab-engines-train-'));
    gatelab('train', q, '--out', out);
    const cli = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    assert.equal(web.length, cli.runs.length);
    for (const r of web) {
      const c = cli.runs.find((x) => x.arch === r.arch && x.seed === Number(r.seed));
      assert.equal(Number(r.summaryVal), c.val_loss, `${r.arch} seed ${r.seed}: val loss`);
      assert.equal(Number(r.summaryMetric), c.val_metric, `${r.arch} seed ${r.seed}: val metric`);
    }
    const h2h = await p.evaluate(() => [...document.querySelectorAll('#head-to-head li')].map((l) => l.textContent));
    assert.deepEqual(h2h, cli.head_to_head.map((h) => h.text), 'the head-to-head, word for word');
    await clean(p, 'train');
    await p.close();
  },

  async 'a sweep runs, confirmed on fresh seeds, and its verdict is the CLI\'s word for word'(open, base) {
    const q = 'task=parity&len=6&cells=2,8&lr=0.01,0.03&archs=lstm,gru&seeds=2&confirm=2&steps=40';
    const p = await open(`${base}?${q}#sweep`);
    await p.waitFor(() => !!document.querySelector('#sweep-run'), null, 30000);
    await p.click('#sweep-run');
    await done(p, '#sweep-status', 'all of it took');
    const verdict = await p.text('#sweep-verdict');
    const printed = gatelab('sweep', q).split('\n').filter((l) => l.startsWith('  len ')).map((l) => l.trim());
    assert.ok(printed.length > 0);
    for (const line of printed) assert.ok(verdict.includes(line), `${line} in ${verdict}`);
    await clean(p, 'sweep');
    await p.close();
  },

  async 'a hostile link gets a notice naming each bad key'(open, base) {
    const p = await open(`${base}?cells=lots&zap=1&lr=NaN&task=chess`);
    await mounted(p);
    const notes = await p.evaluate(() => [...document.querySelectorAll('#notices li')].map((l) => l.textContent));
    for (const k of ['cells', 'zap', 'lr', 'task']) assert.ok(notes.some((n) => n.startsWith(k)), `${k} in ${notes}`);
    await trained(p);
    await clean(p, 'hostile link');
    await p.close();
  },

  async 'a sweep.json and a TRAIN/TEST pair open from their file inputs'(open, base) {
    const q = 'task=parity&len=6&cells=2,4&archs=lstm,gru&seeds=2&confirm=0&steps=30';
    const out = mkdtempSync(join(tmpdir(), 'gatelab-engines-sweep-'));
    gatelab('sweep', q, '--out', out);
    const p = await open(`${base}#sweep`);
    await p.waitFor(() => !!document.querySelector('#open-sweep'), null, 30000);
    await p.setFiles('#open-sweep', [join(out, 'sweep.json')]);
    await p.waitFor(() => document.querySelector('#sweep-source')?.textContent.includes('sweep.json'), null, 30000);
    assert.equal(await p.count('#sweep-table tbody tr'), 8);
    await p.goto(`${base}?seeds=1&steps=10`);
    await mounted(p);
    await p.setFiles('#data-file', [join(DATA, 'GunPoint_TRAIN.ts'), join(DATA, 'GunPoint_TEST.ts')]);
    await p.waitFor(() => document.querySelector('#data-baselines')?.textContent.includes('1-NN Euclidean 0.9133'), null, 60000, 'the data summary');
    assert.match(await p.evaluate(() => location.search), /data=GunPoint_TRAIN\.ts@sha256:f842401779fd/);
    await clean(p, 'files');
    await p.close();
  },

  async 'the export downloads one zip'(open, base) {
    const p = await open(`${base}?task=adding&len=8&cells=4&archs=lstm,gru&steps=20&seeds=1`);
    await trained(p);
    await p.click('#play');
    await done(p);
    await p.click('#export-zip');
    const files = await p.waitFor(() => (window.__downloads.length ? window.__downloads : null), null, 30000, 'the download');
    assert.equal(files.length, 1);
    assert.equal(files[0].name, 'gatelab-adding.zip');
    assert.ok(files[0].size > 1000 && files[0].text.startsWith('PK'), `a zip: ${files[0].size} bytes`);
    await clean(p, 'export');
    await p.close();
  },

  async 'a dying worker is replaced and the rest finish'(open, base) {
    const p = await open(`${base}?task=adding&archs=lstm,gru&seeds=2&steps=200#debug-crash`);
    await trained(p);
    await p.click('#play');
    await p.waitFor(() => document.querySelector('#worker-error')?.textContent.includes('a fresh worker took its place'), null, 60000);
    await done(p);
    const states = await p.evaluate(() => [...document.querySelectorAll('#stats tr.seed-row')].map((r) => r.dataset.state));
    assert.ok(states.includes('crashed') && states.includes('done'), JSON.stringify(states));
    const problems = (await p.problems()).filter((m) => !m.includes('crash requested') && !m.includes('RuntimeError') && !m.includes('unreachable'));
    assert.deepEqual(problems, []);
    await p.close();
  },
};
