// The lobby in a real browser (Debian's chromium via playwright-core, the app in-process): two
// people in two browser contexts press "Quick match" at once and land at the same table; a third
// finds that table in the public list and joins it in one click; a table created public is
// listed, a private one is not, and a public table in play offers "Watch".
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  launchChromium,
  pageState,
  startWebApp,
  waitForSelector,
  type WebApp,
} from './browser-support';

jest.setTimeout(90_000);

describe('the lobby in a browser (headless chromium)', () => {
  let web: WebApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    web = await startWebApp({ TURN_SECONDS: '0' });
    browser = await launchChromium();
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  /** A person in a browser of their own (a context: own storage, own socket), at the lobby. */
  async function person(name: string): Promise<Page> {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(web.url);
    await waitForSelector(page, '#app[data-screen="lobby"]');
    await page.fill('#name', name);
    return page;
  }

  async function seatedAt(page: Page): Promise<string> {
    await waitForSelector(page, '#app[data-screen="room"]');
    return new URL(page.url()).searchParams.get('room') ?? '';
  }

  it('two people pressing "Quick match" at once sit at the same table', async () => {
    const [sara, omid] = await Promise.all([person('Sara'), person('Omid')]);
    await Promise.all([sara, omid].map((p) => p.click('[data-testid="quick-match"]')));
    const [a, b] = await Promise.all([seatedAt(sara), seatedAt(omid)]);
    expect(a).toMatch(/^[A-Z2-9]{6}$/);
    expect(b).toBe(a);
    // Both see both at the table.
    for (const page of [sara, omid]) {
      await page.waitForFunction(
        () => {
          const text = (globalThis as unknown as { document: { body: { textContent: string } } })
            .document.body.textContent;
          return text.includes('Sara') && text.includes('Omid');
        },
        undefined,
        { polling: 100, timeout: 10_000 },
      );
      expect((await pageState(page)).phase).toBe('waiting_for_players');
    }

    // A third person sees the table in the public list and joins it in one click.
    const mina = await person('Mina');
    const join = `.public-row[data-room="${a}"] button`;
    await waitForSelector(mina, join);
    expect(await mina.locator(`.public-row[data-room="${a}"]`).textContent()).toContain(
      '2 seats free',
    );
    await mina.click(join);
    expect(await seatedAt(mina)).toBe(a);
  });

  it('a table created public is listed, a private one is not; one in play offers "Watch"', async () => {
    const host = await person('Host');
    // Private by default.
    expect(await host.isChecked('#public')).toBe(false);
    await host.click('button[type="submit"]:has-text("Create table")');
    const privateCode = await seatedAt(host);

    const publicHost = await person('Open');
    await publicHost.check('#public');
    await publicHost.click('button[type="submit"]:has-text("Create table")');
    const publicCode = await seatedAt(publicHost);
    // Fill it with bots: the match starts, and the table is listed as in play.
    await publicHost.click('[data-focus="bots"]');
    // (A bot hakem names the hokm at once: the match may already be in gameplay.)
    await waitForSelector(
      publicHost,
      '#app[data-phase="hokm_selection"], #app[data-phase="gameplay"]',
    );

    const visitor = await person('Visitor');
    const watch = `.public-row[data-room="${publicCode}"] a`;
    await waitForSelector(visitor, watch);
    expect(await visitor.getAttribute(watch, 'href')).toBe(`/?watch=${publicCode}`);
    expect(await visitor.locator(`.public-row[data-room="${privateCode}"]`).count()).toBe(0);
  });
});
