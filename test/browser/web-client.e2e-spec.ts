// The web client in a real browser (Debian's chromium, headless, via playwright-core) against the
// real app in-process: a person creates a table, fills it with bots, plays a whole match by
// clicking, reloads mid-hand and gets the same seat back; a second tab takes the seat over; a
// server restart is ridden out. The client is built by the e2e globalSetup.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { WEB_CLIENT_ROOT } from '../../src/web/web-client';
import { waitFor } from '../support/wait';
import {
  act,
  launchChromium,
  pageState,
  type PageGlobals,
  startMatchWithBots,
  startWebApp,
  waitForSelector,
  waitForTurn,
  type WebApp,
} from './browser-support';

describe('web client (headless chromium)', () => {
  let web: WebApp;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(join(WEB_CLIENT_ROOT, 'index.html'))) {
      throw new Error(`${WEB_CLIENT_ROOT} has no client: the e2e globalSetup builds it`);
    }
    web = await startWebApp({ BOT_DELAY_MS: '0' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('serves the page, the Socket.IO client and the HTTP routes side by side', async () => {
    const http = web.app.getHttpServer();
    const page = await request(http).get('/').expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('/socket.io/socket.io.js');
    await request(http).get('/?room=ABCDEF').expect(200);
    await request(http)
      .get('/web/src/app.js')
      .expect(200)
      .expect('content-type', /javascript/);
    await request(http).get('/socket.io/socket.io.js').expect(200);
    await request(http).get('/health').expect(200);
    await request(http).get('/health/live').expect(200);
    await request(http)
      .get('/metrics')
      .expect(200)
      .expect('content-type', /text\/plain/);
    await request(http).get('/api/redis/metrics').expect(200).expect('content-type', /json/);
  });

  it('plays a whole match against bots, survives a reload mid-hand, shows the winner', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
    const page = await context.newPage();
    const logs: string[] = [];
    page.on('console', (m) => logs.push(m.text()));
    page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
    try {
      // Arrange: a table to 1 point.
      await page.goto(web.url);
      await page.getByLabel('Your name').fill('Ada');
      await page.locator('#target').selectOption('1');
      await page.getByRole('button', { name: 'Create table' }).click();
      const code = (await page.locator('.room-code').textContent())?.trim() ?? '';
      expect(code).toMatch(/^[A-Z2-9]{6}$/);
      // The address bar becomes the invitation link (once create_room is answered).
      await waitFor('the URL to name the table', () =>
        new URL(page.url()).searchParams.get('room') === code ? true : undefined,
      );

      // The invitation link pre-fills the join form in another browser.
      const guest = await browser.newContext();
      const invited = await guest.newPage();
      await invited.goto(`${web.url}/?room=${code}`);
      await expect(invited.locator('#code').inputValue()).resolves.toBe(code);
      await expect(
        invited.getByRole('button', { name: `Join table ${code}` }).isVisible(),
      ).resolves.toBe(true);
      await guest.close();

      // Act: fill with bots; the match starts.
      await page.getByRole('button', { name: /Fill 3 seats with bots/ }).click();
      await waitForSelector(page, '#app[data-phase="hokm_selection"], #app[data-phase="gameplay"]');
      expect(await page.locator('.seat .badge-bot').count()).toBe(3);

      let cardsPlayed = 0;
      let reloaded = false;
      let turn = await waitForTurn(page);
      while (turn === 'hokm' || turn === 'card') {
        if (turn === 'card' && cardsPlayed === 3 && !reloaded) {
          // A reload mid-hand brings the player back to the same seat and the same hand.
          const before = await pageState(page);
          expect(before.phase).toBe('gameplay');
          await page.reload();
          await waitForTurn(page);
          const after = await pageState(page);
          expect(after).toMatchObject({
            screen: 'room',
            phase: 'gameplay',
            seat: before.seat,
            handCount: before.handCount,
            myTurn: true,
          });
          reloaded = true;
        }
        // Every other card by keyboard (focus + Enter), the rest by mouse.
        await act(page, turn, { keyboard: turn === 'card' && cardsPlayed % 2 === 1 });
        if (turn === 'card') cardsPlayed++;
        // A legal card is never refused: no error toast ever shows.
        expect(await page.locator('.toast.error').count()).toBe(0);
        turn = await waitForTurn(page);
      }

      // Assert: the match ended and the page names the winner.
      expect(turn).toBe('game_over');
      expect(reloaded).toBe(true);
      const over = page.getByTestId('game-over');
      await expect(over.isVisible()).resolves.toBe(true);
      const text = (await over.textContent()) ?? '';
      expect(text).toMatch(/You won the match!|The opponents won the match/);
      expect(text).toMatch(/Winners: /);
      // Target 1: the losers have 0; the winners 1, or 2 or 3 for a kot.
      expect(text).toMatch(/Final score ([123] – 0|0 – [123])/);

      // The session token is never shown, put in the URL or logged.
      const stored = await page.evaluate(() =>
        (globalThis as unknown as PageGlobals).localStorage.getItem('hokm.session'),
      );
      const token = (JSON.parse(stored ?? '{}') as { sessionToken?: string }).sessionToken;
      expect(token).toEqual(expect.any(String));
      expect(await page.content()).not.toContain(token);
      expect(page.url()).not.toContain(token);
      expect(logs.join('\n')).not.toContain(token);
      expect(logs.filter((line) => line.startsWith('pageerror'))).toEqual([]);

      // Back to the lobby forgets the seat.
      await page.getByRole('button', { name: 'Back to the lobby' }).click();
      await waitForSelector(page, '#app[data-screen="lobby"]');
      const after = await page.evaluate(() =>
        (globalThis as unknown as PageGlobals).localStorage.getItem('hokm.session'),
      );
      expect(after).toBeNull();
    } finally {
      await context.close();
    }
  });

  it('a second tab takes the seat over; the first one says so and can take it back', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    try {
      const first = await context.newPage();
      await startMatchWithBots(first, web.url, 'Tab One');
      const seat = (await pageState(first)).seat;

      // Same browser profile, same stored session: the new tab reconnects into the seat.
      const second = await context.newPage();
      await second.goto(web.url);
      expect(await waitForTurn(second)).toBe('card');
      expect((await pageState(second)).seat).toBe(seat);
      await waitForSelector(first, '#app[data-screen="replaced"]');
      await expect(first.getByText('This seat moved to another window').isVisible()).resolves.toBe(
        true,
      );

      await first.getByRole('button', { name: 'Play in this tab instead' }).click();
      expect(await waitForTurn(first)).toBe('card');
      await waitForSelector(second, '#app[data-screen="replaced"]');
      expect((await pageState(first)).seat).toBe(seat);
    } finally {
      await context.close();
    }
  });

  it('a friend joins by the link; when they leave mid-match the host sees it abandoned', async () => {
    const hostContext = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const friendContext = await browser.newContext({ viewport: { width: 360, height: 740 } });
    try {
      const host = await hostContext.newPage();
      await host.goto(web.url);
      await host.getByLabel('Your name').fill('Host');
      await host.getByRole('button', { name: 'Create table' }).click();
      const link = await host.getByLabel('Invitation link').inputValue();
      const code = new URL(link).searchParams.get('room');

      const friend = await friendContext.newPage();
      await friend.goto(link);
      await friend.getByLabel('Your name').fill('Friend');
      await friend.getByRole('button', { name: `Join table ${code}` }).click();
      await waitForSelector(friend, '#app[data-phase="waiting_for_players"]');
      await waitForSelector(host, '.seat-row:nth-child(2) .seat-name');
      expect(await host.locator('.seat-row .seat-name').allTextContents()).toEqual([
        'Host',
        'Friend',
      ]);
      // Only the host may fill seats.
      expect(await friend.getByRole('button', { name: /bots/ }).count()).toBe(0);

      await host.getByRole('button', { name: 'Fill 2 seats with bots' }).click();
      await waitForSelector(
        friend,
        '#app[data-phase="hokm_selection"], #app[data-phase="gameplay"]',
      );

      // Leaving mid-match asks first, then ends it for everyone.
      friend.once('dialog', (dialog) => void dialog.accept());
      await friend.getByRole('button', { name: 'Leave', exact: true }).click();
      await waitForSelector(friend, '#app[data-screen="lobby"]');
      await waitForSelector(host, '[data-testid="abandoned"]');
      expect(await host.getByTestId('abandoned').textContent()).toContain('Friend left the table');
    } finally {
      await hostContext.close();
      await friendContext.close();
    }
  });

  it('rides out a server restart: back in the same seat without a click', async () => {
    const own = await startWebApp({ BOT_DELAY_MS: '0' });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await startMatchWithBots(page, own.url, 'Restarted');
      const before = await pageState(page);

      await own.restart();
      // The page noticed (server_shutdown, then the socket closed) and came back by itself:
      // its seat went offline and back, so the room's version moved on.
      await waitFor(
        'the page to show the table after the restart',
        async () => ((await pageState(page)).version ?? 0) > (before.version ?? 0) || undefined,
        { timeoutMs: 20_000 },
      );
      expect(await waitForTurn(page)).toBe('card');
      await waitForSelector(page, '.conn.online');
      const after = await pageState(page);
      expect(after).toMatchObject({ seat: before.seat, handCount: before.handCount, myTurn: true });
      expect(after.version).toBeGreaterThan(before.version ?? 0);
      await act(page, 'card');
    } finally {
      await context.close();
      await own.close();
    }
  });
});
