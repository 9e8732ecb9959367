// The page's Content-Security-Policy and security headers, in a real browser (Debian's chromium
// via playwright-core): the client still works under the strict policy (a table is created,
// filled with bots, cards are played) and the page reports no violation; the policy is really
// enforced (an inline style and an inline script planted in the page are refused and reported).
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import {
  act,
  launchChromium,
  startMatchWithBots,
  startWebApp,
  waitForSelector,
  waitForTurn,
  type WebApp,
} from './browser-support';

/** What the init script keeps in the page: every `securitypolicyviolation` event seen. */
interface ViolationLog {
  __cspViolations?: string[];
  document: {
    addEventListener(
      type: string,
      listener: (e: { violatedDirective: string; blockedURI: string }) => void,
    ): void;
    createElement(tag: string): {
      setAttribute(name: string, value: string): void;
      textContent: string;
    };
    body: { appendChild(node: unknown): void };
    querySelector(selector: string): unknown;
  };
  getComputedStyle(el: unknown): { getPropertyValue(name: string): string };
}

/** A page that records CSP violations (events and console reports) from its first script on. */
async function watchedPage(browser: Browser): Promise<{ page: Page; console: string[] }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    const g = globalThis as unknown as ViolationLog;
    g.__cspViolations = [];
    g.document.addEventListener('securitypolicyviolation', (e) =>
      g.__cspViolations?.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  const console: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') console.push(m.text());
  });
  page.on('pageerror', (e) => console.push(`pageerror: ${e.message}`));
  return { page, console };
}

// Callbacks run in the page: they reach its globals through globalThis (no DOM lib here).
const violations = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as ViolationLog).__cspViolations ?? []);

describe('security headers and the Content-Security-Policy (headless chromium)', () => {
  let web: WebApp;
  let browser: Browser;

  beforeAll(async () => {
    web = await startWebApp();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('serves the page with a strict policy and the usual hardening headers', async () => {
    const response = await request(web.app.getHttpServer()).get('/').expect(200);
    const host = new URL(web.url).host;

    const csp = String(response.headers['content-security-policy']);
    const directives = new Map(
      csp.split(';').map((d) => {
        const [name = '', ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'", `ws://${host}`, `wss://${host}`]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(response.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
    });
    expect(response.headers['x-powered-by']).toBeUndefined();
    // A Host header that is not a host name is not echoed into the policy.
    const odd = await request(web.app.getHttpServer()).get('/').set('Host', 'x; script-src *');
    expect(String(odd.headers['content-security-policy'])).toMatch(/connect-src 'self';/);
  });

  it('runs the client under it with no violation: a table, bots, cards played', async () => {
    const { page, console } = await watchedPage(browser);

    const code = await startMatchWithBots(page, web.url, 'Ada');
    await act(page, 'card');
    await waitForTurn(page);
    // Someone watching the table, in another browser: the spectator's screen.
    const watcher = await watchedPage(browser);
    await watcher.page.goto(`${web.url}/?watch=${code}`);
    await waitForSelector(watcher.page, '#app[data-screen="watching"] .backs');

    expect(await violations(page)).toEqual([]);
    expect(await violations(watcher.page)).toEqual([]);
    const refused = (lines: string[]) =>
      lines.filter((l) => /Content Security Policy|Refused/i.test(l));
    expect(refused(console)).toEqual([]);
    expect(refused(watcher.console)).toEqual([]);
    await watcher.page.context().close();
    // The styles the views set at run time (the hand's card count) are in effect.
    const n = await page.evaluate(() => {
      const g = globalThis as unknown as ViolationLog;
      return g.getComputedStyle(g.document.querySelector('.hand')).getPropertyValue('--n');
    });
    expect(Number(n)).toBeGreaterThan(0);
    await page.context().close();
  });

  it('serves the API docs (Swagger UI) with its inline styles and icons allowed, scripts as strict', async () => {
    const docs = await request(web.app.getHttpServer()).get('/api/docs').expect(200);
    const csp = String(docs.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("style-src 'self' 'unsafe-inline';");
    expect(csp).toContain("img-src 'self' data:;");
    const { page, console } = await watchedPage(browser);

    await page.goto(`${web.url}/api/docs`);
    await page.locator('.opblock').first().waitFor({ timeout: 10_000 });

    expect(await violations(page)).toEqual([]);
    expect(console).toEqual([]);
    await page.context().close();
  });

  it('enforces it: an inline style and an inline script planted in the page are refused', async () => {
    const { page } = await watchedPage(browser);
    await page.goto(web.url);

    const ran = await page.evaluate(async () => {
      const g = globalThis as unknown as ViolationLog & { __inlineRan?: boolean };
      const styled = g.document.createElement('div');
      styled.setAttribute('style', 'color: red');
      g.document.body.appendChild(styled);
      const script = g.document.createElement('script');
      script.textContent = 'globalThis.__inlineRan = true';
      g.document.body.appendChild(script);
      await new Promise((resolve) => setTimeout(resolve, 200));
      return g.__inlineRan === true;
    });

    expect(ran).toBe(false);
    const seen = await violations(page);
    expect(seen.some((v) => v.startsWith('style-src'))).toBe(true);
    expect(seen.some((v) => v.startsWith('script-src'))).toBe(true);
    await page.context().close();
  });
});
