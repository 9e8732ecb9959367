// The replay viewer in a real browser (Debian's chromium, headless, via playwright-core) against
// the real app in-process: a person plays a match against bots to its end, follows the game-over
// screen's link to /replay/<matchId>, and steps through every trick, forward and back, by button
// and by keyboard, at phone width; what it shows is checked against the match's record.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { MatchRecord } from '../../src/protocol/hokm-protocol';
import { WEB_CLIENT_ROOT } from '../../src/web/web-client';
import {
  act,
  launchChromium,
  type PageGlobals,
  startWebApp,
  waitForSelector,
  waitForTurn,
  type WebApp,
} from './browser-support';

jest.setTimeout(120_000);

/** Where the replay stands, from the step line's data attributes. */
interface ShownStep {
  hand: number;
  trick: number;
  tricks: string;
  scores: string;
  cards: Record<string, number>;
}

function shownStep(page: Page): Promise<ShownStep> {
  return page.evaluate(() => {
    type El = { dataset: Record<string, string | undefined> };
    const doc = (globalThis as unknown as PageGlobals).document as unknown as {
      querySelector(s: string): El | null;
      querySelectorAll(s: string): El[];
    };
    const step = doc.querySelector('[data-testid="replay-step"]')?.dataset ?? {};
    const cards: Record<string, number> = {};
    for (const seat of Array.from(doc.querySelectorAll('[data-testid="replay-seat"]'))) {
      cards[seat.dataset.player ?? ''] = Number(seat.dataset.cards);
    }
    return {
      hand: Number(step.hand),
      trick: Number(step.trick),
      tricks: step.tricks ?? '',
      scores: step.scores ?? '',
      cards,
    };
  });
}

/** Waits until the step line says `hand`/`trick`. */
async function waitForStep(page: Page, hand: number, trick: number): Promise<ShownStep> {
  await waitForSelector(
    page,
    `[data-testid="replay-step"][data-hand="${hand}"][data-trick="${trick}"]`,
    5_000,
  );
  return shownStep(page);
}

describe('replay viewer (headless chromium)', () => {
  let web: WebApp;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(join(WEB_CLIENT_ROOT, 'replay.html'))) {
      throw new Error(`${WEB_CLIENT_ROOT} has no replay page: the e2e globalSetup builds it`);
    }
    web = await startWebApp({ BOT_DELAY_MS: '0' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('steps through a finished match trick by trick, forward and back, on a phone', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    try {
      // Arrange: a match to 2 points against three bots, played to its end by clicking.
      await page.goto(web.url);
      await page.getByLabel('Your name').fill('Ada');
      await page.locator('#target').selectOption('2');
      await page.getByRole('button', { name: 'Create table' }).click();
      await page.getByRole('button', { name: /Fill 3 seats with bots/ }).click();
      let turn = await waitForTurn(page);
      while (turn === 'hokm' || turn === 'card') {
        await act(page, turn);
        turn = await waitForTurn(page);
      }
      expect(turn).toBe('game_over');

      // Act: the game-over screen links to the replay.
      const link = page.getByTestId('replay-link');
      const href = (await link.getAttribute('href')) ?? '';
      expect(href).toMatch(/^\/replay\/[A-Za-z0-9_-]{22}$/);
      await link.click();
      await waitForSelector(page, '[data-testid="replay"]');
      const matchId = href.split('/').pop() ?? '';
      const record = (await (
        await fetch(`${web.url}/api/matches/${matchId}`)
      ).json()) as MatchRecord;

      // Assert: the deal shows all four hands in full, no trick yet.
      expect(new URL(page.url()).pathname).toBe(href);
      let shown = await waitForStep(page, 1, 0);
      expect(Object.keys(shown.cards).sort()).toEqual(record.players.map((p) => p.playerId).sort());
      expect(Object.values(shown.cards)).toEqual([13, 13, 13, 13]);
      const dealt = record.hands[0]!.deal;
      for (const [playerId, cards] of Object.entries(dealt)) {
        const seat = page.locator(`[data-testid="replay-seat"][data-player="${playerId}"]`);
        const chips = await seat
          .locator('[data-card]')
          .evaluateAll((els: Array<{ getAttribute(name: string): string | null }>) =>
            els.map((el) => el.getAttribute('data-card') ?? ''),
          );
        expect([...chips].sort()).toEqual([...cards].sort());
      }

      // Forward through the first hand, trick by trick: a button, then the arrow key.
      const first = record.hands[0]!;
      const tricksInHand = Math.ceil(first.moves.filter((m) => m.type === 'play_card').length / 4);
      for (let trick = 1; trick <= tricksInHand; trick++) {
        if (trick % 2) await page.getByTestId('replay-next').click();
        else await page.keyboard.press('ArrowRight');
        shown = await waitForStep(page, 1, trick);
        expect(Object.values(shown.cards)).toEqual(Array(4).fill(13 - trick));
        expect(await page.locator('[data-testid="replay-trick"] .table-card').count()).toBe(4);
      }
      // At the hand's last trick the viewer's count of tricks and the score are the server's.
      expect(shown.tricks).toBe(first.tricks.join('-'));
      expect(shown.scores).toBe(first.points.join('-'));

      // And back: the arrow key, then the button, restore what each player held.
      await page.keyboard.press('ArrowLeft');
      shown = await waitForStep(page, 1, tricksInHand - 1);
      expect(Object.values(shown.cards)).toEqual(Array(4).fill(14 - tricksInHand));
      await page.getByTestId('replay-prev').click();
      await waitForStep(page, 1, tricksInHand - 2);

      // Hand by hand to the end: every hand's tricks as the record states them.
      await page.keyboard.press('Home');
      await waitForStep(page, 1, 0);
      for (const hand of record.hands.slice(1)) {
        await page.keyboard.press('ArrowDown');
        await waitForStep(page, hand.handNumber, 0);
      }
      await page.keyboard.press('End');
      const last = record.hands.at(-1)!;
      shown = await shownStep(page);
      expect(shown.hand).toBe(last.handNumber);
      expect(shown.tricks).toBe(last.tricks.join('-'));
      expect(shown.scores).toBe(record.scores.join('-'));
      await expect(page.getByTestId('replay-next').isDisabled()).resolves.toBe(true);
      await page.keyboard.press('ArrowUp');
      await waitForStep(page, last.handNumber, 0);

      // A reload keeps the step (it is in the address); nothing overflows a 360 px screen.
      await page.reload();
      await waitForStep(page, last.handNumber, 0);
      const overflow = await page.evaluate(() => {
        const doc = (
          globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }
        ).document;
        return doc.documentElement.scrollWidth;
      });
      expect(overflow).toBeLessThanOrEqual(360);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('says so when the match is unknown or still being played', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${web.url}/replay/AAAAAAAAAAAAAAAAAAAAAA`);
      await waitForSelector(page, '[data-testid="replay-missing"]');
      const text = (await page.getByTestId('replay-missing').textContent()) ?? '';
      expect(text).toMatch(/unknown, still being played, or too old/);
    } finally {
      await page.close();
    }
  });
});
