// Export: curves as CSV, models as JSON in PyTorch naming, charts as PNG, the PyTorch script.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { serve, launch, open, mounted, trained, noProblems } from '../harness.js';

let srv, browser;
before(async () => { srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

async function downloads(page, button, count) {
  const got = [];
  const done = new Promise((ok) => page.on('download', async (d) => {
    got.push({ name: d.suggestedFilename(), text: await readFile(await d.path(), 'utf8') });
    if (got.length === count) ok();
  }));
  await page.click(button);
  await done;
  page.removeAllListeners('download');
  return got.sort((a, b) => a.name.localeCompare(b.name));
}

test('every export downloads what it names', async (t) => {
  const { page, problems, context } = await open(browser, `${srv.base}?task=adding&len=10&cells=4&archs=lstm,gru&steps=40&every=10&seed=2&seeds=1`);
  await mounted(page);
  await trained(page);
  await page.click('#play');
  await page.locator('#status', { hasText: 'done' }).waitFor({ timeout: 60000 });

  const csv = await downloads(page, '#export-csv', 2);
  assert.deepEqual(csv.map((d) => d.name), ['gatelab-adding-gru-h4-seed2-curve.csv', 'gatelab-adding-lstm-h4-seed2-curve.csv']);
  for (const d of csv) {
    const lines = d.text.trim().split('\n');
    assert.equal(lines[0], 'step,seconds,train_loss,val_loss,val_metric,test_metric,grad_norm');
    assert.equal(lines.length, 1 + 5);
    assert.equal(lines.at(-1).split(',')[0], '40');
  }

  const models = await downloads(page, '#export-models', 2);
  for (const d of models) {
    const m = JSON.parse(d.text);
    assert.equal(m.hidden_size, 4);
    assert.deepEqual(Object.keys(m.state_dict).sort(), ['readout.bias', 'readout.weight', 'rnn.bias_hh_l0',
      'rnn.bias_ih_l0', 'rnn.weight_hh_l0', 'rnn.weight_ih_l0']);
    const gates = m.arch === 'lstm' ? 4 : 3;
    assert.equal(m.state_dict['rnn.weight_ih_l0'].length, gates * 4);
    assert.equal(m.state_dict['rnn.weight_ih_l0'][0].length, 2);
  }

  const scripts = await downloads(page, '#export-pytorch', 2);
  assert.match(scripts[1].text, /nn\.LSTM\(input_size=2, hidden_size=4, num_layers=1\)/);
  assert.match(scripts[1].text, /gatelab-adding-lstm-h4-seed2\.json/);
  assert.match(scripts[0].text, /nn\.GRU\(input_size=2, hidden_size=4, num_layers=1\)/);

  const pngs = await downloads(page, '#export-png', 3);
  assert.deepEqual(pngs.map((d) => d.name), ['gatelab-chart-gradflow.png', 'gatelab-chart-loss.png', 'gatelab-chart-metric.png']);
  await noProblems(t, problems);
  await context.close();
});
