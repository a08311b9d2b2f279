// Export: one zip, built in a worker, holding each run's curve (CSV), model (JSON in PyTorch
// naming) and PyTorch script, the charts as PNG with their legends, and summary.json equal to
// what `gatelab train` writes for the same query (but for the timing column).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, launch, open, mounted, trained, noProblems, ROOT } from '../harness.js';

let srv, browser;
before(async () => { srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

// The files of a zip, by name: Python's zipfile reads it (no zip code of our own).
function unzip(path) {
  const py = 'import sys, json, zipfile, base64\nz = zipfile.ZipFile(sys.argv[1])\n'
    + 'print(json.dumps({n: base64.b64encode(z.read(n)).decode() for n in z.namelist()}))';
  const files = JSON.parse(execFileSync('python3', ['-c', py, path]).toString());
  return Object.fromEntries(Object.entries(files).map(([n, b]) => [n, Buffer.from(b, 'base64')]));
}

const untimed = (rows) => rows.map(({ seconds, ...r }) => r);

test("one click downloads one zip with every file, and its summary is the CLI's", async (t) => {
  const q = 'task=adding&len=10&cells=4&archs=lstm,gru&steps=40&every=10&seed=2&seeds=2';
  const { page, problems, context } = await open(browser, `${srv.base}?${q}`);
  await mounted(page);
  await trained(page);
  assert.equal(await page.$eval('#export-zip', (b) => b.disabled), true, 'nothing to export before training');
  await page.click('#play');
  await page.locator('#status', { hasText: 'done' }).waitFor({ timeout: 60000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-zip')]);
  assert.equal(download.suggestedFilename(), 'gatelab-adding.zip');
  const files = unzip(await download.path());
  const names = Object.keys(files).sort();
  const runs = ['lstm-h4-seed2', 'lstm-h4-seed3', 'gru-h4-seed2', 'gru-h4-seed3'];
  for (const r of runs) {
    for (const f of [`curves/gatelab-adding-${r}-curve.csv`, `models/gatelab-adding-${r}.json`, `pytorch/gatelab-adding-${r}.py`]) {
      assert.ok(names.includes(f), `${f} in ${names}`);
    }
  }
  for (const f of ['charts/loss.png', 'charts/metric.png', 'charts/gradflow.png', 'summary.json', 'experiment.txt']) {
    assert.ok(names.includes(f), `${f} in ${names}`);
  }
  assert.equal(names.length, 4 * 3 + 5);
  const curve = files['curves/gatelab-adding-lstm-h4-seed2-curve.csv'].toString().trim().split('\n');
  assert.equal(curve[0], 'step,seconds,train_loss,val_loss,val_metric,test_metric,grad_norm');
  assert.equal(curve.length, 1 + 5);
  const m = JSON.parse(files['models/gatelab-adding-gru-h4-seed3.json']);
  assert.equal(m.hidden_size, 4);
  assert.equal(m.state_dict['rnn.weight_ih_l0'].length, 3 * 4);
  assert.match(files['pytorch/gatelab-adding-lstm-h4-seed2.py'].toString(), /nn\.LSTM\(input_size=2, hidden_size=4, num_layers=1\)/);
  const png = files['charts/loss.png'];
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  assert.ok(png.readUInt32BE(16) === 1600 && png.readUInt32BE(20) > 600, 'twice the size, with a legend strip below');
  const out = mkdtempSync(join(tmpdir(), 'gatelab-export-'));
  execFileSync(join(ROOT, 'target/release/gatelab'), ['train', q, '--out', out]);
  const cli = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  const web = JSON.parse(files['summary.json']);
  assert.equal(web.query, cli.query);
  assert.deepEqual(untimed(web.runs), untimed(cli.runs));
  assert.deepEqual(web.head_to_head, cli.head_to_head);
  await noProblems(t, problems);
  await context.close();
});
