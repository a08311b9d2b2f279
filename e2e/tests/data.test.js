// The user's own data: files open from the picker (a TRAIN/TEST pair at once) or by drag and
// drop, are read in the page and its workers only (no request after a file is chosen), train
// to the CLI's numbers bit for bit, show what was read and the baselines; a link names the
// files by fingerprint, asks for them, takes the same bytes and refuses others; hostile files
// get a notice naming the problem and leave the experiment as it was.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, openSync, ftruncateSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, launch, open, mounted, trained, runs, noProblems, ROOT } from '../harness.js';

const DATA = join(ROOT, 'tests/data');
const GUNPOINT = [join(DATA, 'GunPoint_TRAIN.ts'), join(DATA, 'GunPoint_TEST.ts')];
const gatelab = (...args) => execFileSync(join(ROOT, 'target/release/gatelab'), args, { stdio: 'pipe' }).toString();
const tmp = mkdtempSync(join(tmpdir(), 'gatelab-data-'));

let srv, browser;
before(async () => { srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

const search = (page) => page.evaluate(() => decodeURIComponent(location.search.slice(1)));

async function trainToEnd(page) {
  await trained(page);
  await page.click('#play');
  await page.locator('#status', { hasText: 'done' }).waitFor({ timeout: 180000 });
  return runs(page);
}

// Every seed's final validation loss and metric equal the CLI's for the same query and files.
function sameAsCli(web, query, files) {
  const out = mkdtempSync(join(tmpdir(), 'gatelab-data-cli-'));
  gatelab('train', query, ...files.flatMap((f) => ['--data', f]), '--out', out);
  const cli = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).runs;
  assert.equal(web.length, cli.length);
  for (const r of web) {
    const c = cli.find((x) => x.arch === r.arch && x.seed === Number(r.seed));
    assert.equal(Number(r.summaryVal), c.val_loss, `${r.arch} seed ${r.seed}: val loss`);
    assert.equal(Number(r.summaryMetric), c.val_metric, `${r.arch} seed ${r.seed}: val metric`);
  }
  return cli;
}

test("a TRAIN/TEST pair opens from the picker, trains to the CLI's numbers, and no request leaves once it is chosen", async (t) => {
  const { page, problems, context } = await open(browser, `${srv.base}?seeds=2&steps=40&cells=8`);
  await mounted(page);
  await trained(page);
  // Start the workers first: from the moment the file is chosen, nothing may be fetched or sent.
  await page.click('#step');
  await page.waitForFunction(() => [...document.querySelectorAll('#stats tr.seed-row')].every((r) => Number(r.dataset.step) >= 1));
  const requests = [];
  page.on('request', (r) => requests.push(`${r.method()} ${r.url()}`));
  await page.setInputFiles('#data-file', GUNPOINT);
  await page.locator('#data-summary').waitFor({ timeout: 30000 });
  const summary = await page.locator('#data-summary').textContent();
  assert.match(summary, /50 in TRAIN.*150 in TEST/);
  assert.match(summary, /Classes, TRAIN \+ TEST: 1 \(24 \+ 76\), 2 \(26 \+ 74\)/);
  await page.locator('#data-baselines', { hasText: '1-NN Euclidean 0.9133' }).waitFor({ timeout: 30000 });
  const q = await search(page);
  assert.match(q, /task=classify/);
  assert.match(q, /data=GunPoint_TRAIN\.ts@sha256:f842401779fd9800d247d8b33121a1a4643710a19b24917dbdd9a060ca8630d5,GunPoint_TEST\.ts@sha256:[0-9a-f]{64}/);
  assert.match(q, /data_bytes=84188,252305/);
  const web = await trainToEnd(page);
  assert.deepEqual(requests, [], 'no request after the file was chosen');
  sameAsCli(web, q, GUNPOINT);
  const cliQuery = gatelab('data', ...GUNPOINT, '--query', 'task=classify&seeds=2&steps=40&cells=8').split('\n').find((l) => l.startsWith('query: ')).slice(7);
  assert.equal(q, cliQuery, 'the page writes the link the CLI writes');
  await noProblems(t, problems);
  await context.close();
});

test("a sweep on the user's data runs in the Sweep view's own module, confirmed, and equals `gatelab sweep --data`", async (t) => {
  const { page, problems, context } = await open(browser, `${srv.base}?seeds=2&steps=20&cells=4,8&confirm=2#sweep`);
  await mounted(page);
  await page.locator('#sweep-run').waitFor();
  // The sweep starts its own workers after the file is chosen: their scripts may load, and
  // nothing else may go out (no body, no other address).
  const requests = [];
  page.on('request', (r) => requests.push({ method: r.method(), url: r.url(), body: r.postData() }));
  await page.setInputFiles('#data-file', GUNPOINT);
  await page.locator('#data-summary').waitFor({ timeout: 30000 });
  await page.waitForFunction(() => location.search.includes('task=classify'));
  await page.locator('#sweep-estimate', { hasText: '8 runs' }).waitFor();
  await page.click('#sweep-run');
  await page.locator('#sweep-status', { hasText: 'all of it took' }).waitFor({ timeout: 240000 });
  const own = (u) => u.startsWith('blob:') || /^http:\/\/127\.0\.0\.1:\d+\/worker(\.js|_bg\.wasm)$/.test(u);
  assert.deepEqual(requests.filter((r) => r.method !== 'GET' || r.body || !own(r.url)), [], 'only the workers\' own scripts load');
  const web = await page.$$eval('#sweep-table tbody tr', (rs) => rs.map((r) => ({ ...r.dataset })));
  assert.equal(web.length, 8 + 4, 'the grid, then each best on 2 fresh seeds');
  const out = mkdtempSync(join(tmpdir(), 'gatelab-data-sweep-'));
  gatelab('sweep', await search(page), ...GUNPOINT.flatMap((f) => ['--data', f]), '--out', out);
  const native = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));
  for (const [stage, rows] of [['0', native.runs], ['1', native.confirm]]) {
    for (const n of rows) {
      const w = web.find((r) => r.stage === stage && r.arch === n.arch && Number(r.hidden) === n.hidden && Number(r.seed) === n.seed);
      assert.ok(w, `web has ${n.arch} h${n.hidden} seed ${n.seed} in stage ${stage}`);
      assert.equal(Number(w.val), n.val_loss, `${n.arch} h${n.hidden} seed ${n.seed}: val loss`);
    }
  }
  await noProblems(t, problems);
  await context.close();
});

test('a link made with a file asks for it, refuses another file, and reproduces the run with the same one', async (t) => {
  // The link as the CLI writes it for these files (the first test checks the page writes the same).
  const query = gatelab('data', ...GUNPOINT, '--query', 'task=classify&seeds=2&steps=40&cells=8').split('\n').find((l) => l.startsWith('query: ')).slice(7);
  const { page, problems, context } = await open(browser, `${srv.base}?${query}`);
  await mounted(page);
  await page.locator('#data-wanted', { hasText: 'GunPoint_TRAIN.ts' }).waitFor();
  assert.match(await page.locator('#data-wanted').textContent(), /82 KB, SHA-256 f842401779fd9800/);
  assert.match(await page.locator('#refusal').textContent(), /not loaded/);
  const before = await search(page);
  await page.setInputFiles('#data-file', [join(DATA, 'BasicMotions_TRAIN.ts'), join(DATA, 'BasicMotions_TEST.ts')]);
  await page.locator('#data-problem', { hasText: 'not the same bytes' }).waitFor({ timeout: 30000 });
  assert.equal(await search(page), before, 'the experiment stays');
  await page.setInputFiles('#data-file', GUNPOINT);
  await page.locator('#data-summary').waitFor({ timeout: 30000 });
  assert.equal(await search(page), before, 'the same experiment, now with its data');
  assert.equal(await page.locator('#data-problem').count(), 0);
  sameAsCli(await trainToEnd(page), before, GUNPOINT);
  await noProblems(t, problems);
  await context.close();
});

test('a series dropped on the page forecasts with MASE beside the naive baselines, as the CLI does', async (t) => {
  const { page, problems, context } = await open(browser, `${srv.base}?seeds=2&steps=30&cells=4`);
  await mounted(page);
  const csv = readFileSync(join(DATA, 'Airline.csv'), 'utf8');
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'Airline.csv', { type: 'text/csv' }));
    document.querySelector('main').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, csv);
  await page.locator('#data-summary', { hasText: 'A table of 144 rows' }).waitFor({ timeout: 30000 });
  await page.waitForFunction(() => location.search.includes('task=forecast'));
  await page.focus('#ctl-period');
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => location.search.includes('period=12'));
  await page.locator('#data-baselines', { hasText: 'seasonal naive' }).waitFor({ timeout: 30000 });
  const q = await search(page);
  const web = await trainToEnd(page);
  assert.match(await page.locator('#stats thead').textContent(), /val MASE ↓/);
  const cli = sameAsCli(web, q, [join(DATA, 'Airline.csv')]);
  const shown = await page.locator('#data-baselines').textContent();
  assert.ok(shown.includes(`naive forecast ${cli[0].baselines.naive.toFixed(4)}`), `${shown} vs ${JSON.stringify(cli[0].baselines)}`);
  assert.ok(shown.includes(`seasonal naive forecast ${cli[0].baselines.seasonal_naive.toFixed(4)}`), shown);
  // The comparison says first whether a network beats the best baseline on the test part.
  const first = await page.locator('#head-to-head li').first().textContent();
  assert.match(first, /^(Neither network beats naive forecast \(test MASE 1\.5569\)|(LSTM|GRU) beats every baseline on the test part)/);
  await noProblems(t, problems);
  await context.close();
});

test('a series too big to train at these settings still gets its baselines, and the refusal names what fits', async (t) => {
  const { page, problems, context } = await open(browser, `${srv.base}?seeds=2&steps=30&cells=4`);
  await mounted(page);
  const csv = readFileSync(join(DATA, 'Airline.csv'), 'utf8');
  await page.setInputFiles('#data-file', { name: 'Airline.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.locator('#data-summary', { hasText: 'A table of 144 rows' }).waitFor({ timeout: 30000 });
  await page.locator('#data-baselines', { hasText: 'naive forecast' }).waitFor({ timeout: 30000 });
  // Far past a worker's memory: nothing trains, the baselines stay.
  const big = (await page.evaluate(() => location.search)).replace(/cells=\d+/, 'cells=256').replace(/batch=\d+/, 'batch=256') + '&layers=3&seeds=12';
  await page.goto(`${srv.base}${big}`);
  await mounted(page);
  await page.setInputFiles('#data-file', { name: 'Airline.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.locator('#refusal', { hasText: 'of memory' }).waitFor({ timeout: 30000 });
  assert.match(await page.locator('#refusal').textContent(), /^Not started: this needs about .* of memory; .*: it fits with /);
  await page.locator('#data-baselines', { hasText: 'naive forecast' }).waitFor({ timeout: 30000 });
  assert.equal(await page.locator('#stats tr.seed-row').count(), 0, 'nothing trains');
  await noProblems(t, problems);
  await context.close();
});

test("a text of the user's own trains the text task on its characters and writes in them", async (t) => {
  const text = 'abc abd abe. '.repeat(200);
  const file = join(tmp, 'mine.txt');
  writeFileSync(file, text);
  const { page, problems, context } = await open(browser, `${srv.base}?task=text&len=20&cells=8&seeds=1&steps=40&batch=8`);
  await mounted(page);
  await page.setInputFiles('#data-file', file);
  await page.locator('#data-summary', { hasText: '7 distinct' }).waitFor({ timeout: 30000 });
  const q = await search(page);
  assert.match(q, /data=mine\.txt@sha256:/);
  const web = await trainToEnd(page);
  sameAsCli(web, q, [file]);
  await page.waitForFunction(() => [...document.querySelectorAll('#samples pre')].some((p) => p.textContent.length > 50));
  const written = await page.$$eval('#samples pre', (ps) => ps.map((p) => p.textContent).join(''));
  assert.ok([...written].every((c) => 'abcde. \n'.includes(c)), `only the corpus's characters: ${written.slice(0, 80)}`);
  await noProblems(t, problems);
  await context.close();
});

test('hostile files get a notice naming the problem, and the experiment stays as it was', async (t) => {
  const write = (name, body) => { const p = join(tmp, name); writeFileSync(p, body); return p; };
  const big = join(tmp, 'huge.csv');
  const fd = openSync(big, 'w'); ftruncateSync(fd, 201 * 1024 * 1024); closeSync(fd);
  const cases = [
    [[write('empty.csv', '')], /empty/],
    [[write('ragged.csv', 'a,b\n1,2\n3\n')], /line 3: 1 cells; the header has 2/],
    [[write('words.ts', '@classLabel true a b\n@data\n1,2,x:a\n')], /line 3: dimension 1, value 3: "x" is not a number/],
    [[write('a_TRAIN.ts', '@classLabel true a b\n@data\n1,2:a\n2,1:b\n'), write('a_TEST.ts', '@classLabel true a b c\n@data\n1,2:c\n')], /"c" never appears in TRAIN/],
    [[write('bin.txt', Buffer.from([0x61, 0xc3, 0x28, 0x62]))], /not UTF-8 text/],
    [[big], /at most 200 MB/],
  ];
  const { page, problems, context } = await open(browser, `${srv.base}?seeds=1&steps=10`);
  await mounted(page);
  const before = await search(page);
  for (const [files, problem] of cases) {
    await page.setInputFiles('#data-file', files);
    await page.locator('#data-problem').waitFor({ timeout: 30000 });
    await page.waitForFunction((re) => new RegExp(re).test(document.querySelector('#data-problem')?.textContent ?? ''), problem.source, { timeout: 30000 })
      .catch(async () => assert.fail(`${files}: ${await page.locator('#data-problem').textContent()}`));
    assert.match(await page.locator('#data-problem').textContent(), /The experiment was not changed/);
    assert.equal(await search(page), before, `${files}: the experiment stays`);
  }
  // After all that, a good file still works.
  await page.setInputFiles('#data-file', [join(DATA, 'sunspots.csv')]);
  await page.locator('#data-summary', { hasText: '309 rows' }).waitFor({ timeout: 30000 });
  problems.console = problems.console.filter((m) => !m.includes('Refused'));
  await noProblems(t, problems);
  await context.close();
});
