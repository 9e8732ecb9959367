// The turn clock as players live it, on real servers with a short clock (TURN_SECONDS=2): the
// server acts for an idle hakem or player (as its bots would), an idle player becomes away and
// is then played at the bots' pace, `resume` and an own move bring them back, and a player who
// acts in time is never acted for. Two instances on one Redis race the clock against a move.
import type { Card, SeatedGameView } from '../src/protocol/hokm-protocol';
import { startGameApp, type GameApp } from './support/game-app';
import { uniquePrefix } from './support/config';
import {
  codeOf,
  GameClient,
  legalCards,
  newestState,
  seatTable,
  type Table,
} from './support/game-client';
import { sleep } from './support/wait';

jest.setTimeout(60_000);

const CLOCK_MS = 2_000;
const BOT_DELAY_MS = 300;
const CLOCK = {
  TURN_SECONDS: String(CLOCK_MS / 1000),
  BOT_DELAY_MS: String(BOT_DELAY_MS),
  RECONNECT_GRACE_SECONDS: '60',
  TIMER_POLL_MS: '100',
};

/** Every client a test opens, closed after it. */
const open: GameClient[] = [];
afterEach(() => {
  for (const client of open.splice(0)) client.close();
});

async function table(url: string, targetScore = 7): Promise<Table> {
  const seated = await seatTable(url, { targetScore });
  open.push(...seated.clients);
  return seated;
}

const idOf = (client: GameClient): string => client.seat!.playerId;
const clientOf = (t: Table, playerId: string | null): GameClient =>
  t.clients.find((c) => c.seat?.playerId === playerId)!;
const awayIn = (view: SeatedGameView, playerId: string): boolean =>
  view.players.find((p) => p.playerId === playerId)!.away;

/** The others move at once whenever it is their turn; `idle` never moves by itself. */
function autoplayAllBut(t: Table, idle: GameClient): void {
  for (const client of t.clients) if (client !== idle) client.autoplay();
}

/**
 * A new table whose one player (not the hakem) never moves while the others play at once:
 * resolves once the clock has made that player away (two timeouts in a row).
 */
async function tableWithAwayPlayer(url: string) {
  const t = await table(url);
  const idle = t.clients.find((c) => idOf(c) !== t.started[0]!.hakem)!;
  autoplayAllBut(t, idle);
  const away = await idle.waitForState((v) => awayIn(v, idOf(idle)), {
    timeoutMs: 20_000,
    what: 'away',
  });
  return { t, idle, away };
}

/**
 * The client moves `thinkMs` after it becomes its turn (if the room has not moved on meanwhile),
 * until the returned function is called.
 */
function thinkingPlayer(client: GameClient, thinkMs: number): () => void {
  let stopped = false;
  const onState = (view: SeatedGameView) => {
    if (view.turn !== idOf(client)) return;
    setTimeout(() => {
      if (!stopped && client.state?.version === view.version) void client.move(view);
    }, thinkMs);
  };
  client.socket.on('state', onState);
  if (client.state) onState(client.state);
  return () => {
    stopped = true;
    client.socket.off('state', onState);
  };
}

/** Resolves with the idle player's view once it is their turn (after `afterVersion`). */
function theirTurn(client: GameClient, afterVersion = 0, timeoutMs = 15_000) {
  return client.waitForState((v) => v.version > afterVersion && v.turn === idOf(client), {
    timeoutMs,
    what: 'their turn',
  });
}

describe('the turn clock (TURN_SECONDS=2, one instance)', () => {
  let app: GameApp;

  beforeAll(async () => {
    app = await startGameApp(CLOCK);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('names the hokm for an idle hakem when the clock runs out, not before', async () => {
    const t = await table(app.url);
    const started = t.started[0]!;
    const hakem = clientOf(t, started.hakem);

    // Every view of an awaited action says when the server acts, in its own clock and as a
    // remainder (a client with a skewed clock counts down from the remainder).
    expect(started.turn).toBe(started.hakem);
    expect(started.turnDeadline).toEqual(expect.any(Number));
    expect(started.turnRemainingMs).toBeGreaterThan(CLOCK_MS - 1_000);
    expect(started.turnRemainingMs).toBeLessThanOrEqual(CLOCK_MS);

    const timeout = await hakem.waitForPush('turn_timeout', () => true, { timeoutMs: 8_000 });
    const firedAt = Date.now();
    expect(timeout.playerId).toBe(started.hakem);
    expect(firedAt).toBeGreaterThanOrEqual(started.turnDeadline!);
    expect(firedAt).toBeLessThan(started.turnDeadline! + 1_500);
    const named = await hakem.waitForPush('hokm_selected', (p) => p.version === timeout.version);
    expect(named).toMatchObject({ playerId: started.hakem, auto: true });

    // Everyone at the table sees it, and the match goes on: the hakem leads on the clock anew.
    for (const client of t.clients) {
      const after = await client.waitForState((v) => v.version >= timeout.version);
      expect(after).toMatchObject({ phase: 'gameplay', hokm: named.suit, turn: started.hakem });
      expect(after.turnRemainingMs).toBeGreaterThan(CLOCK_MS - 1_000);
    }
  });

  it('plays a legal card for an idle player, marked auto, from their own hand', async () => {
    const t = await table(app.url);
    const hakem = clientOf(t, t.started[0]!.hakem);
    // The hakem names the hokm and leads at once; the next player stays idle.
    expect(await hakem.move()).toEqual({ ok: true, data: {} });
    const lead = await hakem.waitForState((v) => v.phase === 'gameplay');
    expect(await hakem.move(lead)).toEqual({ ok: true, data: {} });
    const led = await hakem.waitForState((v) => v.currentTrick.length === 1);
    const idle = clientOf(t, led.turn);
    const before = await theirTurn(idle, led.version - 1);

    const timeout = await idle.waitForPush('turn_timeout', (p) => p.playerId === idOf(idle), {
      timeoutMs: 8_000,
    });
    const played = await idle.waitForPush('card_played', (p) => p.version === timeout.version);
    expect(played).toMatchObject({ playerId: idOf(idle), auto: true });
    expect(legalCards(before)).toContain(played.card);
    const after = await idle.waitForState((v) => v.version >= timeout.version);
    expect(after.you.hand).not.toContain(played.card);
    expect(after.you.hand).toHaveLength(before.you.hand.length - 1);
    expect(after.currentTrick.map((c) => c.card)).toContain(played.card);
  });

  it('never acts for players who act in time, each turn on a fresh clock', async () => {
    const t = await table(app.url);
    // Six awaited actions, each 60% of the clock late: 7 s in all, 2 s for each.
    for (let moves = 0; moves < 6; moves++) {
      const newest = newestState(t.clients);
      const mover = clientOf(t, newest.turn);
      const view = await mover.waitForState((v) => v.version >= newest.version);
      await sleep(CLOCK_MS * 0.6);
      expect(await mover.move(view)).toEqual({ ok: true, data: {} });
      await mover.waitForState((v) => v.version > view.version);
    }
    await sleep(200);
    for (const client of t.clients) {
      expect(client.pushes('turn_timeout')).toEqual([]);
      expect(client.pushes('card_played').filter((p) => p.auto)).toEqual([]);
      expect(client.pushes('hokm_selected').filter((p) => p.auto)).toEqual([]);
    }
  });

  it('an idle player is away after two timeouts in a row, then played at the bots pace; resume brings them back', async () => {
    // Two timeouts in a row: away, and everyone sees it.
    const { t, idle, away } = await tableWithAwayPlayer(app.url);
    expect(idle.pushes('turn_timeout').filter((p) => p.playerId === idOf(idle))).toHaveLength(2);
    for (const client of t.clients) {
      await client.waitForState((v) => v.version >= away.version && awayIn(v, idOf(idle)));
    }

    // Away: the turn is taken after the bots' delay, not the whole clock.
    const awayTurn = await theirTurn(idle, away.version);
    const seenAt = Date.now();
    expect(awayTurn.turnRemainingMs).toBeLessThanOrEqual(BOT_DELAY_MS);
    const quick = await idle.waitForPush(
      'card_played',
      (p) => p.playerId === idOf(idle) && p.version > awayTurn.version,
      { timeoutMs: 5_000 },
    );
    expect(quick.auto).toBe(true);
    expect(Date.now() - seenAt).toBeLessThan(CLOCK_MS / 2);

    // `resume`: back at once (player_resumed to everyone), and the next turn has the whole clock.
    const seq = idle.lastSeq();
    expect(await idle.request('resume', {})).toEqual({ ok: true, data: {} });
    const resumed = await idle.waitForPush('player_resumed', () => true, { afterSeq: seq });
    expect(resumed.playerId).toBe(idOf(idle));
    const back = await idle.waitForState(
      (v) => v.version >= resumed.version && !awayIn(v, idOf(idle)),
    );
    const fullTurn = await theirTurn(idle, back.version);
    expect(fullTurn.turnRemainingMs).toBeGreaterThan(BOT_DELAY_MS * 2);
  });

  it('an away player is back once they play a card themselves', async () => {
    const { idle, away } = await tableWithAwayPlayer(app.url);

    const turn = await theirTurn(idle, away.version);
    const ack = await idle.move(turn);
    expect(ack).toEqual({ ok: true, data: {} });
    const after = await idle.waitForState((v) => v.version > turn.version);
    expect(awayIn(after, idOf(idle))).toBe(false);
    // Their count of timeouts went too: one more timeout does not make them away again. Their
    // next turn counts from their move (when they won the trick they lead it at once).
    const next = await theirTurn(idle, turn.version);
    expect(next.turnRemainingMs).toBeGreaterThan(BOT_DELAY_MS * 2);
    const timeout = await idle.waitForPush(
      'turn_timeout',
      (p) => p.playerId === idOf(idle) && p.version > next.version,
      { timeoutMs: 8_000 },
    );
    const once = await idle.waitForState((v) => v.version >= timeout.version);
    expect(awayIn(once, idOf(idle))).toBe(false);
  });

  it("a disconnected player's turns run on the same clock, and the match is not abandoned", async () => {
    const t = await table(app.url);
    const gone = t.clients.find((c) => idOf(c) !== t.started[0]!.hakem)!;
    const watcher = t.clients.find((c) => c !== gone)!;
    const goneId = idOf(gone);
    const { sessionToken } = gone.seat!;
    gone.close();
    await watcher.waitForPush('player_disconnected', (p) => p.playerId === goneId);
    autoplayAllBut(t, gone);

    const turn = await watcher.waitForState((v) => v.turn === goneId, { timeoutMs: 15_000 });
    const timeout = await watcher.waitForPush(
      'turn_timeout',
      (p) => p.playerId === goneId && p.version > turn.version,
      { timeoutMs: 8_000 },
    );
    const played = await watcher.waitForPush('card_played', (p) => p.version === timeout.version);
    expect(played).toMatchObject({ playerId: goneId, auto: true });

    // Twice: away, as any idle player; the grace has not run out, so the match goes on.
    const away = await watcher.waitForState((v) => awayIn(v, goneId), { timeoutMs: 20_000 });
    expect(away.phase).toBe('gameplay');

    // Coming back clears what the clock counted for them.
    const back = await GameClient.connect(app.url);
    open.push(back);
    await back.ok('reconnect', { sessionToken });
    const view = await back.waitForState(() => true);
    expect(awayIn(view, goneId)).toBe(false);
    expect(view.phase).not.toBe('abandoned');
  });

  it('resume needs a seat: NOT_IN_ROOM without one and for a spectator, INVALID_PAYLOAD for junk', async () => {
    const t = await table(app.url);
    // Right after the start the hakem has the whole clock: nothing else changes the room.
    const player = t.clients.find((c) => idOf(c) !== t.started[0]!.hakem)!;
    expect(await player.request('resume', {})).toEqual({ ok: true, data: {} });
    expect((await player.ok('get_state', {})).version).toBe(t.started[0]!.version);

    const stranger = await GameClient.connect(app.url);
    const spectator = await GameClient.connect(app.url);
    open.push(stranger, spectator);
    expect(codeOf(await stranger.request('resume', {}))).toBe('NOT_IN_ROOM');
    await spectator.ok('watch', { roomCode: t.roomCode });
    expect(codeOf(await spectator.request('resume', {}))).toBe('NOT_IN_ROOM');
    expect(codeOf(await t.clients[0]!.send('resume', 'back'))).toBe('INVALID_PAYLOAD');
    expect(codeOf(await t.clients[0]!.send('resume', [1]))).toBe('INVALID_PAYLOAD');
  });

  it('reports pending deadlines and how late they fire in /metrics', async () => {
    const t = await table(app.url);
    const hakem = clientOf(t, t.started[0]!.hakem);
    await hakem.waitForPush('turn_timeout', () => true, { timeoutMs: 8_000 });
    const text = await (await fetch(`${app.url}/metrics`)).text();
    expect(text).toMatch(/^hokm_deadlines_pending \d+$/m);
    const count = /^hokm_deadline_lateness_seconds_count\{kind="turn"\} (\d+)$/m.exec(text);
    expect(Number(count?.[1])).toBeGreaterThanOrEqual(1);
  });
});

describe('the turn clock switched off (TURN_SECONDS=0)', () => {
  let app: GameApp;

  beforeAll(async () => {
    app = await startGameApp({ ...CLOCK, TURN_SECONDS: '0' });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('shows no deadline and never acts for an idle player', async () => {
    const t = await table(app.url);
    expect(t.started[0]).toMatchObject({ turnDeadline: null, turnRemainingMs: null });
    await sleep(CLOCK_MS + 1_000);
    const view = newestState(t.clients);
    expect(view.version).toBe(t.started[0]!.version);
    expect(view.phase).toBe('hokm_selection');
    for (const client of t.clients) expect(client.pushes('turn_timeout')).toEqual([]);
  });
});

describe('a move racing the clock (TURN_SECONDS=1, two instances)', () => {
  const prefix = uniquePrefix();
  let apps: GameApp[] = [];

  beforeAll(async () => {
    const env = { ...CLOCK, TURN_SECONDS: '1', REDIS_KEY_PREFIX: prefix };
    apps = [await startGameApp(env), await startGameApp(env)];
  });

  afterAll(async () => {
    await apps[0]?.close({ keepKeys: true });
    await apps[1]?.close();
  });

  const TRIALS = 20;

  it(`exactly one of them lands, and the ack says which (${TRIALS} trials around the deadline)`, async () => {
    // The subject plays on one instance, the others on the other: both act on deadlines.
    const t = await table(apps[1]!.url);
    const subject = await GameClient.connect(apps[0]!.url);
    open.push(subject);
    const hakem = t.started[0]!.hakem;
    const mover = t.clients.find((c) => idOf(c) !== hakem)!;
    await subject.ok('reconnect', { sessionToken: mover.seat!.sessionToken });
    // The others take their time: the turn never comes back to the subject within the race.
    const stops = t.clients.filter((c) => c !== mover).map((c) => thinkingPlayer(c, 300));

    const outcomes = { move: 0, clock: 0 };
    let after = 0;
    for (let trial = 0; trial < TRIALS;) {
      const turn = await subject.waitForState((v) => v.version > after && v.turn === idOf(mover), {
        timeoutMs: 15_000,
        what: `trial ${trial}: the subject's turn`,
      });
      if (turn.phase === 'hokm_selection' || turn.currentTrick.length === 3) {
        // Naming the hokm, or the trick's last card (after which they may lead at once, and a
        // late card would then be a move of that next turn): played at once, not a trial.
        expect(await subject.move(turn)).toEqual({ ok: true, data: {} });
        after = turn.version;
        continue;
      }
      // From 150 ms before the deadline to 150 ms after it: the close ones race for real.
      const offset = -150 + (300 * trial) / (TRIALS - 1);
      const card: Card = legalCards(turn)[0]!;
      await sleep(Math.max(0, turn.turnRemainingMs! + offset));
      const ack = await subject.request('play_card', { card });

      // The change right after the turn is the subject's card, by them or by the clock.
      const next = await subject.waitForPush('card_played', (p) => p.version === turn.version + 1);
      expect(next.playerId).toBe(idOf(mover));
      if (ack.ok) {
        outcomes.move++;
        expect(next.auto).toBeUndefined();
        expect(next.card).toBe(card);
      } else {
        outcomes.clock++;
        expect(['NOT_YOUR_TURN', 'WRONG_PHASE']).toContain(ack.error.code);
        expect(next.auto).toBe(true);
        const timedOut = subject.pushes('turn_timeout').filter((p) => p.version === next.version);
        expect(timedOut).toEqual([{ playerId: idOf(mover), version: next.version }]);
      }
      // One card of theirs for that turn, never two.
      const settled = await subject.waitForState((v) => v.version > turn.version);
      expect(settled.you.hand).toHaveLength(turn.you.hand.length - 1);
      after = settled.version;
      trial++;
      if (settled.phase === 'game_over') break;
    }
    for (const stop of stops) stop();
    // The sweep reaches both sides of the deadline.
    expect(outcomes.move).toBeGreaterThan(0);
    expect(outcomes.clock).toBeGreaterThan(0);
  }, 150_000);
});
