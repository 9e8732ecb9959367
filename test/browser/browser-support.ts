// Shared by the browser test and the screenshot script: the app on a real port, Debian's
// chromium driven by playwright-core (never a browser download), and a player that clicks.
import type { INestApplication } from '@nestjs/common';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApp } from '../../src/bootstrap';
import { testConfig } from '../support/config';
import { cleanupPrefix } from '../support/redis-keys';

/** Debian's chromium (`apt-get install chromium`; .ci/run installs it for test/browser). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless Debian chromium; a clear error when it is not installed. */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    return Promise.reject(
      new Error(`${CHROMIUM_PATH} missing: apt-get install chromium (.ci/run does)`),
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The whole app listening on 127.0.0.1 (ephemeral port), serving the built web client. */
export interface WebApp {
  readonly app: INestApplication;
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** A graceful stop (clients get server_shutdown), then a new app on the same port and keys. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startWebApp(env: Record<string, string> = {}): Promise<WebApp> {
  const config = testConfig({ BOT_DELAY_MS: '0', ...env });
  let app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  let closed = false;
  return {
    get app() {
      return app;
    },
    url: `http://127.0.0.1:${port}`,
    async restart() {
      await app.close();
      app = await createApp(config);
      await app.listen(port, '127.0.0.1');
    },
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await cleanupPrefix(config.redis.url, config.redis.keyPrefix);
    },
  };
}

/**
 * The few browser globals the page callbacks below touch. The test tsconfig has no DOM lib (and
 * should not: it would type the server's code against browser globals), so callbacks run in the
 * page reach them through `globalThis as unknown as PageGlobals`.
 */
export interface PageGlobals {
  document: {
    getElementById(id: string): { dataset: Record<string, string | undefined> } | null;
    querySelector(selector: string): unknown;
    querySelectorAll(selector: string): { length: number };
    activeElement: { blur?: () => void } | null;
  };
  localStorage: { getItem(key: string): string | null };
}

/** What the page shows, from the data attributes the client keeps on #app. */
export interface PageState {
  screen: string;
  phase: string;
  myTurn: boolean;
  seat: number | null;
  version: number | null;
  handCount: number;
}

export function pageState(page: Page): Promise<PageState> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    const d = document.getElementById('app')?.dataset ?? {};
    return {
      screen: d.screen ?? '',
      phase: d.phase ?? '',
      myTurn: d.myTurn === 'true',
      seat: d.seat ? Number(d.seat) : null,
      version: d.version ? Number(d.version) : null,
      handCount: document.querySelectorAll('.hand .card').length,
    };
  });
}

/** What the person at the page can do now (waits until it is one of these). */
export type Turn = 'hokm' | 'card' | 'game_over' | 'abandoned';

const PLAYABLE = '.hand .card.playable';
const HOKM = 'button[data-suit]:not([disabled])';
const OVER = '#app[data-phase="game_over"]';
const ABANDONED = '#app[data-phase="abandoned"]';

/**
 * Waits until `selector` matches. Polls on a timer: the default requestAnimationFrame polling
 * stalls in a background tab (the test opens several tabs in one browser).
 */
export async function waitForSelector(
  page: Page,
  selector: string,
  timeout = 20_000,
): Promise<void> {
  const present = (s: string) =>
    (globalThis as unknown as PageGlobals).document.querySelector(s) !== null;
  await page.waitForFunction(present, selector, {
    polling: 50,
    timeout,
  });
}

/** What the page shows, for a failure message: its state, status line and any toast. */
export async function describePage(page: Page): Promise<string> {
  const state = await pageState(page).catch(() => null);
  const text = async (selector: string) =>
    (await page
      .locator(selector)
      .first()
      .textContent({ timeout: 1000 })
      .catch(() => null)) ?? '';
  return JSON.stringify({
    ...state,
    status: await text('.status'),
    toast: await text('#toast'),
    banner: await text('#banner'),
  });
}

export async function waitForTurn(page: Page, timeout = 20_000): Promise<Turn> {
  try {
    await waitForSelector(page, `${PLAYABLE}, ${HOKM}, ${OVER}, ${ABANDONED}`, timeout);
  } catch (error) {
    throw new Error(`no turn for the page within ${timeout} ms: ${await describePage(page)}`, {
      cause: error,
    });
  }
  if (await page.locator(OVER).count()) return 'game_over';
  if (await page.locator(ABANDONED).count()) return 'abandoned';
  if (await page.locator(HOKM).count()) return 'hokm';
  return 'card';
}

/**
 * Takes one action through the UI as a person would (the first hokm suit, or the first card the
 * page offers as playable) and waits until the server's new state is on screen.
 */
export async function act(
  page: Page,
  turn: 'hokm' | 'card',
  { keyboard = false }: { keyboard?: boolean } = {},
): Promise<string> {
  const before = (await pageState(page)).version;
  const target = page.locator(turn === 'hokm' ? HOKM : PLAYABLE).first();
  const what = (await target.getAttribute(turn === 'hokm' ? 'data-suit' : 'data-card')) ?? '';
  if (keyboard) {
    await target.focus();
    await page.keyboard.press('Enter');
  } else {
    // A mouse player has no keyboard focus ring: a card lifted by the last keyboard play would
    // cover its neighbour's visible strip.
    await page.evaluate(() =>
      (globalThis as unknown as PageGlobals).document.activeElement?.blur?.(),
    );
    // Cards in a full hand overlap: click the visible left strip, as a person would.
    await target.click({
      timeout: 5000,
      ...(turn === 'card' ? { position: { x: 8, y: 30 } } : {}),
    });
  }
  const moved = (v: number | null) =>
    (globalThis as unknown as PageGlobals).document.getElementById('app')?.dataset.version !==
    String(v);
  try {
    await page.waitForFunction(moved, before, { polling: 50, timeout: 20_000 });
  } catch (error) {
    throw new Error(`${turn} ${what} was not answered: ${await describePage(page)}`, {
      cause: error,
    });
  }
  return what;
}

/** Opens the client, creates a table, fills it with bots and plays until it is your card. */
export async function startMatchWithBots(page: Page, url: string, name: string): Promise<string> {
  await page.goto(url);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Create table' }).click();
  const code = (await page.locator('.room-code').textContent())?.trim() ?? '';
  await page.getByRole('button', { name: /Fill 3 seats with bots/ }).click();
  for (;;) {
    const turn = await waitForTurn(page);
    if (turn === 'card') return code;
    if (turn !== 'hokm') throw new Error(`the match ended before it began: ${turn}`);
    await act(page, turn);
  }
}
