// Export: one zip, built in a worker, holding each run's curve (CSV), model (JSON in PyTorch
// naming) and PyTorch script, the charts as PNG with their legends, and summary.json equal to
// what `gatelab train` writes for the same query (but for the timing column).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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

// A stand-in for torch where PyTorch is not installed: enough for the scripts' load path, and
// load_state_dict refuses names the model does not have, as PyTorch's does.
const TORCH_STUB = `from . import nn
float32 = 'float32'
class Tensor:
    def __init__(self, shape): self.shape = list(shape)
    def reshape(self, *shape): return Tensor(shape)
    def unsqueeze(self, d): return Tensor(self.shape[:d] + [1] + self.shape[d:])
    def __getitem__(self, k): return Tensor(self.shape[:1] + self.shape[2:])  # the scripts take [:, 0]
    def tolist(self):
        def build(s): return [build(s[1:]) for _ in range(s[0])] if s else 0.0
        return build(self.shape)
def tensor(v, dtype=None):
    shape = []
    while isinstance(v, list):
        shape.append(len(v)); v = v[0] if v else None
    return Tensor(shape)
def zeros(*shape): return Tensor(shape)
def arange(n, dtype=None): return Tensor([n])
def sin(t): return t
class no_grad:
    def __enter__(self): pass
    def __exit__(self, *a): pass
`;
const NN_STUB = `class Module:
    def __call__(self, *a): return self.forward(*a)
    def names(self):
        out = []
        for k, v in vars(self).items():
            if isinstance(v, Module): out += [k + '.' + n for n in v.names()]
        return out + getattr(self, 'own', [])
    def load_state_dict(self, sd):
        if sorted(sd) != sorted(self.names()): raise KeyError(sorted(set(sd) ^ set(self.names())))
class _Rnn(Module):
    gates = 1
    def __init__(self, input_size, hidden_size, num_layers):
        self.h = hidden_size
        self.own = [p + '_l' + str(k) for k in range(num_layers) for p in ('weight_ih', 'weight_hh', 'bias_ih', 'bias_hh')]
    def forward(self, x):
        from torch import Tensor
        return Tensor(x.shape[:-1] + [self.h]), None
class LSTM(_Rnn): pass
class GRU(_Rnn): pass
class RNN(_Rnn): pass
class Linear(Module):
    def __init__(self, i, o): self.o = o; self.own = ['weight', 'bias']
    def forward(self, x):
        from torch import Tensor
        return Tensor(x.shape[:-1] + [self.o])
`;

test("on a fixed training set the zip holds the best checkpoint's weights too, equal to the CLI's", async (t) => {
  // Eight training sequences: the GRU memorises them and its validation loss rises again.
  const q = 'task=adding&len=10&cells=32&archs=gru&train=8&lr=0.02&steps=400&every=20&seeds=1';
  const { page, problems, context } = await open(browser, `${srv.base}?${q}`);
  await mounted(page);
  await page.click('#play');
  await page.locator('#status', { hasText: 'done' }).waitFor({ timeout: 120000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-zip')]);
  const files = unzip(await download.path());
  const best = files['models/gatelab-adding-gru-h32-seed1-best.json'];
  assert.ok(best, Object.keys(files).join(', '));
  assert.match(files['pytorch/gatelab-adding-gru-h32-seed1-best.py'].toString(), /WEIGHTS = "\.\.\/models\/gatelab-adding-gru-h32-seed1-best\.json"/);
  const out = mkdtempSync(join(tmpdir(), 'gatelab-best-'));
  execFileSync(join(ROOT, 'target/release/gatelab'), ['train', q, '--out', out]);
  assert.deepEqual(JSON.parse(best), JSON.parse(readFileSync(join(out, 'gru/seed1/model-best.json'), 'utf8')));
  await noProblems(t, problems);
  await context.close();
});

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
  const script = files['pytorch/gatelab-adding-lstm-h4-seed2.py'].toString();
  assert.match(script, /ARCH, BLOCKS = "lstm", "ifgo"\nI, H, O, L = 2, 4, 1, 1\n/);
  assert.match(script, /WEIGHTS = "\.\.\/models\/gatelab-adding-lstm-h4-seed2\.json"/);
  // Unzipped as a user would, each script runs from anywhere and finds its model: under real
  // PyTorch where it is installed, else under a stand-in torch that checks the weights' names.
  const unzipped = mkdtempSync(join(tmpdir(), 'gatelab-unzipped-'));
  for (const [n, b] of Object.entries(files)) {
    mkdirSync(dirname(join(unzipped, n)), { recursive: true });
    writeFileSync(join(unzipped, n), b);
  }
  const stub = mkdtempSync(join(tmpdir(), 'gatelab-torch-'));
  mkdirSync(join(stub, 'torch'));
  writeFileSync(join(stub, 'torch', '__init__.py'), TORCH_STUB);
  writeFileSync(join(stub, 'torch', 'nn.py'), NN_STUB);
  const hasTorch = spawnSync('python3', ['-c', 'import torch']).status === 0;
  for (const r of runs) {
    const script = join(unzipped, 'pytorch', `gatelab-adding-${r}.py`);
    const env = hasTorch ? process.env : { ...process.env, PYTHONPATH: stub };
    const run = spawnSync('python3', [script], { cwd: tmpdir(), env });
    assert.equal(run.status, 0, `${r}: ${run.stderr}`);
    const printed = JSON.parse(run.stdout.toString());
    assert.equal(printed.output.length, 5, `${r}: the output of 5 steps`);
    assert.ok(printed.output.every((row) => row.length === 1 && Number.isFinite(row[0])), `${r}: ${run.stdout}`);
  }
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
