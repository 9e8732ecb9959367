// The turn clock in a real browser (Debian's chromium, headless) against the real app with a
// short clock: a countdown on the awaited seat that runs from the server's remaining time (the
// page's own clock is an hour wrong here), the card the clock played for you marked "auto",
// the "you are away" notice after two timeouts, and "I'm back".
import type { Browser, Page } from 'playwright-core';
import {
  launchChromium,
  startMatchWithBots,
  waitForSelector,
  type WebApp,
  startWebApp,
} from './browser-support';

jest.setTimeout(90_000);

describe('the turn clock in a browser (headless chromium, TURN_SECONDS=3)', () => {
  let web: WebApp;
  let browser: Browser;

  beforeAll(async () => {
    web = await startWebApp({ TURN_SECONDS: '3', BOT_DELAY_MS: '150' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
    const page = await context.newPage();
    // This device's clock is an hour ahead of the server's: the countdown must not care.
    await page.addInitScript(() => {
      const realNow = Date.now.bind(Date);
      Date.now = () => realNow() + 3_600_000;
    });
    return page;
  }

  const text = async (page: Page, testId: string) =>
    ((await page.getByTestId(testId).first().textContent()) ?? '').trim();

  it('counts down on your seat, plays for you when it runs out, then says you are away until "I\'m back"', async () => {
    const page = await newPage();
    await startMatchWithBots(page, web.url, 'Idle');

    // Your turn: the countdown on your seat, from the server's remaining time.
    await waitForSelector(page, '.seat.me [data-testid="countdown"]');
    const first = Number((await text(page, 'countdown')).replace('s', ''));
    expect(first).toBeGreaterThanOrEqual(1);
    expect(first).toBeLessThanOrEqual(3);

    // Nothing done: the clock plays a card for you, marked on the table, and says so.
    await waitForSelector(page, '.trick .table-card.auto', 10_000);
    expect(await page.locator('#toast').textContent()).toMatch(/clock/i);

    // Twice in a row: you are away, told so with a button to come back.
    await waitForSelector(page, '[data-testid="away-notice"]', 20_000);
    expect(await text(page, 'away-notice')).toMatch(/away/i);
    await page.getByTestId('im-back').click();
    await page.waitForFunction(
      () =>
        (
          globalThis as unknown as { document: { querySelector(s: string): unknown } }
        ).document.querySelector('[data-testid="away-notice"]') === null,
      undefined,
      { polling: 50, timeout: 10_000 },
    );
    // Back at the table: your turns have the whole clock again, not the bots' pace.
    await page.waitForFunction(
      () => {
        const el = (
          globalThis as unknown as {
            document: { querySelector(s: string): { textContent: string | null } | null };
          }
        ).document.querySelector('.seat.me [data-testid="countdown"]');
        return el !== null && Number(el.textContent?.replace('s', '')) >= 2;
      },
      undefined,
      { polling: 50, timeout: 20_000 },
    );
  });
});
