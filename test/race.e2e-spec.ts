// Racing writers at the store level: several app instances (each with its own Redis connections
// and its own view of the room) apply actions to one room version at the same moment. Exactly one
// applies per version; the others get a clear refusal; nothing is lost or applied twice.
import { randomUUID } from 'node:crypto';
import { createApp } from '../src/bootstrap';
import type { Action, Card, RoomState, Suit } from '../src/game-state/domain/types';
import { legalCards } from '../src/game-state/domain/rules';
import { RoomBusyError, RuleViolationError } from '../src/game-state/game-state.errors';
import { GameStateService } from '../src/game-state/game-state.service';
import { GAME_STORE } from '../src/redis/redis.constants';
import type { GameStore } from '../src/redis/game-store';
import type { INestApplication } from '@nestjs/common';
import { randomRoomCode, testConfig, uniquePrefix } from './support/config';
import { createStoreContext } from './support/nest';
import { REDIS_TARGET } from './support/redis-target';

const SUITS: Suit[] = ['hearts', 'diamonds', 'clubs', 'spades'];
const prefix = uniquePrefix('race');
let apps: INestApplication[] = [];
let games: GameStateService[] = [];
let stores: GameStore[] = [];

beforeAll(async () => {
  // Three instances of the service on one key prefix, as three processes would be.
  for (let i = 0; i < 3; i++) {
    const app = await createApp(testConfig({ REDIS_KEY_PREFIX: prefix, BOT_DELAY_MS: '0' }));
    await app.init();
    apps.push(app);
  }
  games = apps.map((a) => a.get(GameStateService));
  stores = apps.map((a) => a.get<GameStore>(GAME_STORE));
}, 30_000);

afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  apps = [];
  await REDIS_TARGET.cleanup(prefix);
});

/** A room with four seated players and the match started, created through instance 0. */
async function startedRoom(targetScore: number): Promise<RoomState> {
  const code = randomRoomCode();
  const ids = [0, 1, 2, 3].map(() => randomUUID());
  const created = await games[0]!.createRoom(code, targetScore, { playerId: ids[0]!, name: 'p0' });
  expect(created).not.toBeNull();
  for (let i = 1; i < 4; i++) {
    // Joins through the other instances too.
    await games[i % 3]!.apply(code, { type: 'join', playerId: ids[i]!, name: `p${i}` });
  }
  const state = await games[0]!.load(code);
  expect(state?.phase).toBe('hokm_selection');
  return state as RoomState;
}

type Outcome = { ok: true; version: number } | { ok: false; code: string };

/** Runs every action at the same moment, writer k on instance k mod 3. */
async function race(code: string, actions: Action[]): Promise<Outcome[]> {
  const settled = await Promise.allSettled(
    actions.map((action, k) => games[k % games.length]!.apply(code, action)),
  );
  return settled.map((s): Outcome => {
    if (s.status === 'fulfilled') {
      // An action that changed nothing would be a silent loss: every race here must change or refuse.
      expect(s.value.events.length).toBeGreaterThan(0);
      return { ok: true, version: s.value.state.version };
    }
    const error: unknown = s.reason;
    if (error instanceof RuleViolationError || error instanceof RoomBusyError) {
      return { ok: false, code: error.code };
    }
    throw error;
  });
}

describe('racing writers on several instances', () => {
  it('200 trials: 6 writers on 3 instances play for the turn player at once; exactly one applies', async () => {
    const TRIALS = 200;
    const ROOMS = 4;
    const refusals: Record<string, number> = {};
    let trials = 0;
    let singleMoves = 0;

    const runRoom = async (share: number) => {
      let state = await startedRoom(7);
      const code = state.roomCode;
      let applied = 0;
      for (let mine = 0; mine < share;) {
        if (state.phase === 'game_over') {
          // Long match over: account for it, then go on in a fresh room.
          expect(state.version).toBe(4 + applied);
          state = await startedRoom(7);
          applied = 0;
          continue;
        }
        const turn = state.match?.turn as string;
        let actions: Action[];
        if (state.phase === 'hokm_selection') {
          // The hakem names four different suits through three instances at once.
          actions = SUITS.map((suit) => ({ type: 'select_hokm', playerId: turn, suit }));
        } else {
          const legal = legalCards(state, turn);
          if (state.match?.currentTrick.length === 3) {
            // A card that closes a trick may give the same player the lead again, so a second
            // writer's card could rightly apply next: not a single-version race. Play it alone.
            await games[mine % 3]!.apply(code, {
              type: 'play_card',
              playerId: turn,
              card: legal[0]!,
            });
            applied++;
            singleMoves++;
            state = (await games[0]!.load(code)) as RoomState;
            continue;
          }
          // The same card through two instances, and the other legal cards too.
          actions = [0, 1, 2, 3, 4, 5].map((k) => ({
            type: 'play_card',
            playerId: turn,
            card: legal[Math.floor(k / 2) % legal.length]!,
          }));
        }
        const before = state;
        const outcomes = await race(code, actions);
        const oks = outcomes.filter((o): o is { ok: true; version: number } => o.ok);
        // Exactly one writer applied, on the version right after the one they all saw.
        expect(oks).toHaveLength(1);
        expect(oks[0]!.version).toBe(before.version + 1);
        for (const o of outcomes) {
          if (!o.ok) {
            expect([
              'WRONG_PHASE',
              'NOT_YOUR_TURN',
              'CARD_NOT_IN_HAND',
              'SERVICE_UNAVAILABLE',
            ]).toContain(o.code);
            refusals[o.code] = (refusals[o.code] ?? 0) + 1;
          }
        }
        applied++;
        state = (await games[(mine + 1) % 3]!.load(code)) as RoomState;
        // The room holds that one change and nothing else.
        expect(state.version).toBe(before.version + 1);
        const winner = actions[outcomes.findIndex((o) => o.ok)]!;
        if (winner.type === 'select_hokm') {
          expect(state.phase).toBe('gameplay');
          expect(state.match?.hokm).toBe(winner.suit);
        } else if (winner.type === 'play_card') {
          const card = winner.card as Card;
          const handBefore = before.match!.hands[turn]!;
          expect(state.match!.hands[turn]).toEqual(handBefore.filter((c) => c !== card));
          expect(state.match!.currentTrick).toEqual([
            ...before.match!.currentTrick,
            { playerId: turn, card },
          ]);
        }
        mine++;
        trials++;
      }
      // Every version of the room is one create, three joins and one applied action each.
      expect(state.version).toBe(4 + applied);
    };

    await Promise.all(Array.from({ length: ROOMS }, () => runRoom(TRIALS / ROOMS)));
    expect(trials).toBe(TRIALS);
    // The losers were told why: the turn had passed, the card was gone, or the phase moved on.
    expect((refusals.NOT_YOUR_TURN ?? 0) + (refusals.CARD_NOT_IN_HAND ?? 0)).toBeGreaterThan(0);
    expect(refusals.WRONG_PHASE ?? 0).toBeGreaterThan(0);
    expect(singleMoves).toBeGreaterThan(0);
  }, 60_000);

  it('one commit sent through three instances at once lands once; different commits on one version: one lands', async () => {
    const state = await startedRoom(7);
    const code = state.roomCode;
    let version = state.version;
    for (let trial = 0; trial < 50; trial++) {
      // The same write (one commit id) replayed through every instance at once, as a fallback
      // or a retry would: all are told it committed, the room moves on by one version (the
      // spectator count an answer may carry is not this test's business).
      const id = randomUUID();
      const replays = await Promise.all(
        stores.map((s) => s.commitRoom(code, version, { meta: { targetScore: 7 } }, id)),
      );
      for (const r of replays) {
        expect(r).toMatchObject({ status: 'committed', version: version + 1 });
      }
      version++;
      // Different writes on the same version: one commits, the others see the conflict.
      const distinct = await Promise.all(
        stores.map((s) => s.commitRoom(code, version, { meta: { targetScore: 7 } }, randomUUID())),
      );
      expect(distinct.filter((r) => r.status === 'committed')).toHaveLength(1);
      for (const r of distinct.filter((x) => x.status !== 'committed')) {
        expect(r).toMatchObject({ status: 'conflict', version: version + 1 });
      }
      version++;
    }
    expect((await games[0]!.load(code))?.version).toBe(version);
  });

  it('a silent instance is leased to exactly one of several racing survivors, on every store configuration', async () => {
    // One store per configuration, on one prefix: three survivors that run different paths.
    const registry = uniquePrefix('registry');
    const contexts = await Promise.all(
      [
        { REDIS_PROVIDER: 'async' },
        { REDIS_PROVIDER: 'hybrid' },
        { REDIS_PROVIDER: 'hybrid', REDIS_HYBRID_ASYNC: 'false' },
      ].map((env) => createStoreContext(testConfig({ ...env, REDIS_KEY_PREFIX: registry }))),
    );
    const [a, b, c] = contexts.map((x) => x.store) as [GameStore, GameStore, GameStore];
    const SILENCE = 3_000;
    const LEASE = 2_000;
    // Every survivor beats at `now`, all at the same moment; answers which instances each got.
    const round = async (now: number) => {
      const results = await Promise.all(
        [a, b, c].map((s, i) => s.instanceHeartbeat(`survivor${i}`, now, now - SILENCE, LEASE, 5)),
      );
      return results.flatMap((r) => r.dead);
    };
    try {
      const t0 = Date.now();
      const seat = { roomCode: 'ABCDEF', playerId: 'p_1', connectionId: 'socket-1' };
      // A first beat is not on record yet (the caller knows it is its first).
      expect(await a.instanceHeartbeat('victim', t0, t0 - SILENCE, LEASE, 5)).toEqual({
        revived: true,
        dead: [],
      });
      await a.registerConnection('victim', seat);
      // A socket that went away cleanly is no longer on record.
      const gone = { ...seat, connectionId: 'socket-gone' };
      await b.registerConnection('victim', gone);
      await c.unregisterConnection('victim', gone);
      expect(await round(t0)).toEqual([]);
      expect(await round(t0 + SILENCE / 2)).toEqual([]);

      // The victim goes silent; the survivors race: exactly one of them is handed it.
      const t1 = t0 + SILENCE + 1;
      expect(await round(t1)).toEqual(['victim']);
      // Nobody else while the lease runs...
      expect(await round(t1 + LEASE / 2)).toEqual([]);
      // ...and exactly one again once it has run out (its holder may have died too).
      expect(await round(t1 + LEASE + 1)).toEqual(['victim']);
      expect(await b.registeredConnections('victim')).toEqual([seat]);
      await b.forgetInstance('victim');
      expect(await c.registeredConnections('victim')).toEqual([]);
      expect(await round(t1 + 2 * LEASE + 2)).toEqual([]);

      // One that was only slow beats again while leased: it learns it was taken for dead, and
      // its registrations survive the survivor's forget.
      const t2 = t1 + 2 * LEASE + 3;
      await a.instanceHeartbeat('sleeper', t2, t2 - SILENCE, LEASE, 5);
      await a.registerConnection('sleeper', seat);
      await round(t2);
      await round(t2 + SILENCE / 2);
      expect(await round(t2 + SILENCE + 1)).toEqual(['sleeper']);
      const woke = await c.instanceHeartbeat('sleeper', t2 + SILENCE + 2, t2 + 2, LEASE, 5);
      expect(woke.revived).toBe(true);
      await a.forgetInstance('sleeper');
      expect(await b.registeredConnections('sleeper')).toEqual([seat]);
      const again = await c.instanceHeartbeat('sleeper', t2 + SILENCE + 3, t2 + 3, LEASE, 5);
      expect(again.revived).toBe(false);
    } finally {
      await Promise.all(contexts.map((x) => x.close()));
      await REDIS_TARGET.cleanup(registry);
    }
  });
});
