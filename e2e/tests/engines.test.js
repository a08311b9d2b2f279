// The shared checks (shared.js) in every engine: Chromium (playwright-core), Firefox ESR
// (puppeteer-core over WebDriver BiDi) and WebKitGTK's MiniBrowser (WebKitWebDriver). Anything
// that differs between engines is a bug in the page. ENGINES=chromium,firefox limits the list;
// WebKit needs an X server (make test runs the browser tests under xvfb-run).
import { test, before, after } from 'node:test';
import { launchEngine } from '../engines.js';
import { CHECKS } from '../shared.js';
import { serve } from '../harness.js';

const names = (process.env.ENGINES ?? 'chromium,firefox,webkit').split(',').filter(Boolean);
let srv;
before(async () => { srv = await serve(); });
after(() => srv?.server.close());

for (const name of names) {
  test(`${name}: every shared check`, async (t) => {
    const engine = await launchEngine(name);
    t.diagnostic(`${name}: ${engine.version}`);
    try {
      for (const [what, check] of Object.entries(CHECKS)) {
        await t.test(`${name}: ${what}`, () => check((url) => engine.open(url), srv.base));
      }
    } finally {
      await engine.close();
    }
  });
}
