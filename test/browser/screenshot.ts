// Takes docs/screenshot.png: a match in progress in the web client (desktop, 1280×800).
//   npx ts-node --transpile-only test/browser/screenshot.ts [outDir-for-extra-shots]
// Needs a built client (`npm run build` or `node web/build.mjs`), a Redis at REDIS_URL and
// /usr/bin/chromium. Sara plays in the browser; Mina and Kian are socket.io-client players who
// play the first legal card; the fourth seat is a server bot.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { Card, SeatedGameView, Suit } from '../../src/protocol/hokm-protocol';
import { act, launchChromium, startWebApp, waitForTurn } from './browser-support';

const suitOf = (card: Card) => card.slice(card.indexOf('_') + 1) as Suit;

/** A scripted person at the table: picks the longest suit as hokm, plays the first legal card. */
async function scriptedPlayer(url: string, roomCode: string, name: string): Promise<Socket> {
  const socket = io(`${url}/game`, { transports: ['websocket'] });
  await new Promise<void>((done) => socket.once('connect', () => done()));
  let latest = 0;
  socket.on('state', (view: SeatedGameView) => {
    latest = view.version;
    if (view.turn !== view.you.playerId) return;
    setTimeout(() => {
      if (view.version !== latest) return;
      const hand = view.you.hand;
      if (view.phase === 'hokm_selection') {
        const counts = new Map<Suit, number>();
        for (const c of hand) counts.set(suitOf(c), (counts.get(suitOf(c)) ?? 0) + 1);
        const suit = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'hearts';
        socket.emit('select_hokm', { suit }, () => undefined);
      } else if (view.phase === 'gameplay') {
        const led = view.ledSuit;
        const follow = led ? hand.filter((c) => suitOf(c) === led) : [];
        socket.emit('play_card', { card: (follow[0] ?? hand[0]) as Card }, () => undefined);
      }
    }, 10);
  });
  const ack = (await socket.emitWithAck('join', { roomCode, name })) as { ok: boolean };
  if (!ack.ok) throw new Error(`${name} could not join: ${JSON.stringify(ack)}`);
  return socket;
}

async function main(): Promise<void> {
  const repo = resolve(__dirname, '..', '..');
  const extra = process.argv[2];
  if (extra) mkdirSync(extra, { recursive: true });
  mkdirSync(join(repo, 'docs'), { recursive: true });
  const web = await startWebApp({ BOT_DELAY_MS: '0' });
  const browser = await launchChromium();
  const sockets: Socket[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(web.url);
    if (extra) await page.screenshot({ path: join(extra, 'lobby.png') });
    await page.fill('#name', 'Sara');
    await page.click('text=Create table');
    const code = (await page.locator('.room-code').textContent()) ?? '';
    sockets.push(await scriptedPlayer(web.url, code, 'Mina'));
    sockets.push(await scriptedPlayer(web.url, code, 'Kian'));
    await page.waitForSelector('text=Fill the last seat with a bot');
    if (extra) {
      await page.screenshot({ path: join(extra, 'waiting.png') });
      await page.setViewportSize({ width: 360, height: 740 });
      await page.screenshot({ path: join(extra, 'waiting-phone.png') });
      await page.setViewportSize({ width: 1280, height: 800 });
    }
    await page.click('text=Fill the last seat with a bot');

    let shots = 0;
    let hokmShot = false;
    for (let moves = 0; moves < 400; moves++) {
      const turn = await waitForTurn(page);
      if (turn === 'game_over' || turn === 'abandoned') break;
      if (turn === 'hokm' && extra && !hokmShot) {
        hokmShot = true;
        await page.screenshot({ path: join(extra, 'hokm.png') });
        await page.setViewportSize({ width: 360, height: 740 });
        await page.screenshot({ path: join(extra, 'hokm-phone.png') });
        await page.setViewportSize({ width: 1280, height: 800 });
      }
      const hand = Number((await page.locator('.hand-no').textContent())?.replace(/\D/g, '') || 0);
      const onTable = await page.locator('.trick .slot').count();
      const inHand = await page.locator('.hand .card').count();
      const lastTrick = await page.locator('.last-trick').count();
      if (
        turn === 'card' &&
        hand >= 2 &&
        onTable >= 2 &&
        lastTrick &&
        inHand >= 7 &&
        inHand <= 10 &&
        shots === 0
      ) {
        await page.waitForTimeout(400); // let the last card's slide-in finish
        await page.waitForSelector('.toast.show', { state: 'detached', timeout: 5000 });
        await page.waitForTimeout(300); // and its fade-out
        await page.evaluate('window.scrollTo(0, 0)');
        await page.mouse.move(0, 0); // no card lifted by the last click's hover
        await page.waitForTimeout(200);
        await page.screenshot({ path: join(repo, 'docs', 'screenshot.png') });
        if (extra) {
          await page.locator('.hand .card').first().focus();
          await page.keyboard.press('ArrowRight'); // keyboard focus shows the focus ring
          await page.screenshot({ path: join(extra, 'focus.png') });
          await page.setViewportSize({ width: 360, height: 740 });
          await page.waitForTimeout(200);
          await page.screenshot({ path: join(extra, 'phone.png') });
          await page.screenshot({ path: join(extra, 'phone-full.png'), fullPage: true });
          await page.setViewportSize({ width: 1280, height: 800 });
        }
        shots++;
        if (!extra) break;
      }
      await act(page, turn);
    }
    if (extra) {
      await page.screenshot({ path: join(extra, 'end.png') });
      await page.setViewportSize({ width: 360, height: 740 });
      await page.screenshot({ path: join(extra, 'end-phone.png') });
    }
    if (shots === 0) throw new Error('no moment for the screenshot came up');
  } finally {
    for (const s of sockets) s.disconnect();
    await browser.close();
    await web.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
