// The three browser engines behind one small interface, for the checks every engine runs
// (shared.js): Chromium through playwright-core, Firefox ESR through puppeteer-core over
// WebDriver BiDi, WebKitGTK's MiniBrowser through WebKitWebDriver (selenium-webdriver). Each
// page records its errors and captures the page's downloads in the page itself (the same hook
// in every engine), so no engine-specific download machinery is needed.
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { Builder, By } from 'selenium-webdriver';
import { launch as launchChromium } from './harness.js';

// Runs in the page before anything else where the engine allows it (after load in WebKit):
// errors and console errors are kept in window.__problems, downloads (an <a download> clicked
// by the page) in window.__downloads as { name, size, text }.
export const HOOKS = `(() => {
  if (window.__hooked) return;
  window.__hooked = true;
  window.__problems = [];
  window.__downloads = [];
  addEventListener('error', (e) => window.__problems.push(String(e.message || e)));
  addEventListener('unhandledrejection', (e) => window.__problems.push(String(e.reason)));
  const error = console.error.bind(console);
  console.error = (...a) => { window.__problems.push(a.map(String).join(' ')); error(...a); };
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function () {
    if (!this.download) return click.call(this);
    const name = this.download;
    fetch(this.href).then((r) => r.arrayBuffer()).then((b) => {
      const bytes = new Uint8Array(b);
      let text = '';
      for (let i = 0; i < Math.min(bytes.length, 1 << 20); i++) text += String.fromCharCode(bytes[i]);
      window.__downloads.push({ name, size: bytes.length, text });
    });
  };
})();`;

const poll = async (check, timeout, what) => {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 150));
  }
};

// The common page: goto, evaluate (a function and one argument), click, setFiles, text, count,
// waitFor (a page function that returns truthy), problems, close.
function common(p) {
  return {
    ...p,
    async text(sel) { return p.evaluate((s) => document.querySelector(s)?.textContent ?? null, sel); },
    async count(sel) { return p.evaluate((s) => document.querySelectorAll(s).length, sel); },
    async waitFor(fn, arg, timeout = 60000, what = fn.toString().slice(0, 80)) {
      return poll(() => p.evaluate(fn, arg), timeout, what);
    },
    async problems() { return p.evaluate(() => window.__problems ?? []); },
    async downloads() { return p.evaluate(() => window.__downloads ?? []); },
  };
}

async function chromiumEngine() {
  const browser = await launchChromium();
  return {
    name: 'chromium',
    version: browser.version(),
    async open(url) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
      const page = await context.newPage();
      await page.addInitScript(HOOKS);
      await page.goto(url);
      return common({
        goto: (u) => page.goto(u),
        evaluate: (fn, arg) => page.evaluate(fn, arg),
        click: (sel) => page.click(sel),
        setFiles: (sel, paths) => page.setInputFiles(sel, paths),
        close: () => context.close(),
      });
    },
    close: () => browser.close(),
  };
}

async function firefoxEngine() {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX ?? '/usr/bin/firefox-esr',
    headless: true,
    protocol: 'webDriverBiDi',
    extraPrefsFirefox: { 'datareporting.policy.dataSubmissionEnabled': false, 'app.update.enabled': false },
  });
  return {
    name: 'firefox',
    version: await browser.version(),
    async open(url) {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      await page.setViewport({ width: 1400, height: 1000 });
      await page.evaluateOnNewDocument(HOOKS);
      await page.goto(url);
      return common({
        goto: (u) => page.goto(u),
        evaluate: (fn, arg) => page.evaluate(fn, arg),
        click: (sel) => page.click(sel),
        async setFiles(sel, paths) {
          const input = await page.$(sel);
          await input.uploadFile(...paths);
        },
        close: () => context.close(),
      });
    },
    close: () => browser.close(),
  };
}

// WebKitGTK: MiniBrowser in automation mode, under the X server xvfb-run gives this process
// (make test runs the cross-engine tests inside `xvfb-run -a`).
async function webkitEngine() {
  const driver = await new Builder()
    .usingServer(await startWebKitDriver())
    .withCapabilities({
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: process.env.MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser', args: ['--automation'] },
    })
    .build();
  const caps = await driver.getCapabilities();
  // Classic WebDriver runs a function given as text; one argument, passed as JSON.
  const evaluate = (fn, arg) => driver.executeAsyncScript(
    `const done = arguments[arguments.length - 1];
     Promise.resolve((${fn.toString()})(${JSON.stringify(arg ?? null)})).then(done, (e) => done({ __error: String(e) }));`,
  ).then((v) => { if (v && v.__error) throw new Error(v.__error); return v; });
  const hook = () => driver.executeScript(HOOKS);
  return {
    name: 'webkit',
    version: `${caps.get('browserName')} ${caps.get('browserVersion')}`,
    async open(url) {
      await driver.get(url);
      await hook();
      return common({
        async goto(u) { await driver.get(u); await hook(); },
        evaluate,
        async click(sel) { await (await driver.findElement(By.css(sel))).click(); },
        async setFiles(sel, paths) { await (await driver.findElement(By.css(sel))).sendKeys(paths.join('\n')); },
        close: async () => {},
      });
    },
    close: async () => { await driver.quit(); stopWebKitDriver(); },
  };
}

let webkitDriver;

// WebKitWebDriver on a free loopback port.
async function startWebKitDriver() {
  const { spawn } = await import('node:child_process');
  const { createServer } = await import('node:net');
  const port = await new Promise((ok) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); }); });
  webkitDriver = spawn(process.env.WEBKIT_DRIVER ?? '/usr/bin/WebKitWebDriver', [`--port=${port}`, '--host=127.0.0.1'], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await poll(async () => fetch(`${url}/status`).then((r) => r.ok).catch(() => false), 15000, 'WebKitWebDriver');
  return url;
}

function stopWebKitDriver() {
  webkitDriver?.kill();
  webkitDriver = undefined;
}

export const ENGINES = { chromium: chromiumEngine, firefox: firefoxEngine, webkit: webkitEngine };

export async function launchEngine(name) {
  return ENGINES[name]();
}

export { chromium };
