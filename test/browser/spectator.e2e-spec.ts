// Spectator mode in a real browser (Debian's chromium, headless) against the real app: a watch
// link shows the table with a "Watching" badge, the count of watchers and no hand; a spectator
// of a waiting table takes a free seat; "Stop watching" goes back to the lobby.
import type { Browser, Page } from 'playwright-core';
import { GameClient } from '../support/game-client';
import { waitFor } from '../support/wait';
import {
  launchChromium,
  pageState,
  waitForSelector,
  type WebApp,
  startWebApp,
} from './browser-support';

jest.setTimeout(60_000);

describe('spectator mode (headless chromium)', () => {
  let web: WebApp;
  let browser: Browser;
  const open: GameClient[] = [];

  beforeAll(async () => {
    web = await startWebApp({ BOT_DELAY_MS: '150' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const client of open) client.close();
    await browser?.close();
    await web?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
    return context.newPage();
  }

  /** The "N watching" the page shows. */
  async function watchers(page: Page): Promise<string> {
    return ((await page.getByTestId('watchers').textContent()) ?? '').trim();
  }

  it('a watch link shows a match in play: the Watching badge, the watchers, the table, no hand', async () => {
    const host = await GameClient.connect(web.url);
    open.push(host);
    const { roomCode } = await host.ok('create_room', { name: 'Host', targetScore: 1 });
    await host.ok('add_bots', {});
    await host.waitForState((v) => v.phase !== 'waiting_for_players');
    host.autoplay();
    const page = await newPage();

    await page.goto(`${web.url}/?watch=${roomCode.toLowerCase()}`);
    await waitForSelector(page, '#app[data-screen="watching"] .felt');

    expect((await pageState(page)).screen).toBe('watching');
    await expect(page.locator('.badge-watching').textContent()).resolves.toBe('Watching');
    await waitFor('the count of watchers', async () =>
      (await watchers(page)).includes('1 watching'),
    );
    expect(await page.locator('.hand .card').count()).toBe(0);
    expect(await page.locator('.seat').count()).toBe(4);
    expect(new URL(page.url()).searchParams.get('watch')).toBe(roomCode);
    // The table moves on under the spectator's eyes.
    const before = await page.getByTestId('status').textContent();
    await waitFor('the table to move on', async () => {
      return (await page.getByTestId('status').textContent()) !== before;
    });

    await page.getByTestId('stop-watching').click();
    await waitForSelector(page, '#app[data-screen="lobby"]');
    expect(new URL(page.url()).search).toBe('');
    await page.context().close();
  });

  it('a spectator of a waiting table takes a free seat', async () => {
    const host = await GameClient.connect(web.url);
    open.push(host);
    const { roomCode } = await host.ok('create_room', { name: 'Host' });
    const page = await newPage();
    await page.goto(`${web.url}/?watch=${roomCode}`);
    await waitForSelector(page, '#app[data-screen="watching"] .take-seat');
    await waitFor('the watcher to be counted', async () => (await watchers(page)).includes('1'));

    await page.getByLabel('Your name').fill('Taker');
    await page.getByRole('button', { name: 'Take a seat' }).click();

    await waitForSelector(page, '#app[data-screen="room"] .room-code');
    await expect(page.locator('.room-code').textContent()).resolves.toBe(roomCode);
    const seated = await host.waitForState((v) => v.players.length === 2);
    expect(seated.players.map((p) => p.name)).toEqual(['Host', 'Taker']);
    expect(seated.spectators).toBe(0);
    await page.context().close();
  });

  it('the lobby watches a table by its code, no name needed', async () => {
    const host = await GameClient.connect(web.url);
    open.push(host);
    const { roomCode } = await host.ok('create_room', { name: 'Host' });
    const page = await newPage();
    await page.goto(web.url);

    await page.locator('#code').fill(roomCode.toLowerCase());
    await page.getByTestId('watch-by-code').click();

    await waitForSelector(page, '#app[data-screen="watching"] .take-seat');
    expect(new URL(page.url()).searchParams.get('watch')).toBe(roomCode);
    await waitFor(
      'the watcher to be counted',
      async () => (await host.ok('get_state', {})).spectators === 1,
    );
    await page.context().close();
  });

  it('an unknown code goes back to the lobby and says why', async () => {
    const page = await newPage();
    await page.goto(`${web.url}/?watch=ZZZZZZ`);
    await waitForSelector(page, '#app[data-screen="lobby"] #lobby-notice:not([hidden])');
    await expect(page.locator('#lobby-notice').textContent()).resolves.toMatch(/nothing to watch/);
    await page.context().close();
  });
});
