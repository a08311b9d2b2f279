// The page mounts, stays on loopback, shows panics, and the harness notices a missing wasm.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open, mounted, shot, noProblems } from '../harness.js';

let srv, browser;
before(async () => { srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

test('the app mounts with no console or page error and no request off 127.0.0.1', async (t) => {
  const { page, problems, context } = await open(browser, srv.base);
  await mounted(page);
  await page.locator('#stats tbody tr').first().waitFor();
  await shot(page, 'desktop');
  await noProblems(t, problems);
  await context.close();
});

test('at phone width the page is one column and still mounts', async (t) => {
  const { page, problems, context } = await open(browser, srv.base, { viewport: { width: 390, height: 844 } });
  await mounted(page);
  await page.locator('#stats tbody tr').first().waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  const wide = await page.evaluate(() => [...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 5).map((e) => `${e.tagName}#${e.id}.${e.className}`));
  assert.ok(overflow <= 1, `page is ${overflow}px wider than the phone: ${wide}`);
  await shot(page, 'phone');
  await noProblems(t, problems);
  await context.close();
});

test('a Rust panic shows a visible message in the page and the console', async () => {
  const { page, problems, context } = await open(browser, `${srv.base}#debug-panic`);
  const fatal = page.locator('#fatal');
  await fatal.waitFor({ timeout: 30000 });
  assert.match(await fatal.textContent(), /Gatelab crashed: .*debug panic/s);
  assert.ok(problems.console.some((m) => m.includes('debug panic')), 'panic logged to the console');
  await context.close();
});

test('when the wasm cannot load, the mount check fails', async () => {
  const context = await browser.newContext();
  await context.route('**/*.wasm', (r) => r.abort());
  const page = await context.newPage();
  await page.goto(srv.base);
  await assert.rejects(mounted(page, 3000), 'a page without its wasm must not pass as mounted');
  await context.close();
});
