// An instance killed with SIGKILL mid-hand: its players come back through another instance with
// their session tokens and finish the match, with every acknowledged move still there; players
// who never come back are timed out by the surviving instances.
import type { SeatedGameView } from '../src/protocol/hokm-protocol';
import { uniquePrefix } from './support/config';
import { cardsThisHand } from './support/game-client';
import {
  ackedCards,
  allReach,
  gaps,
  loggedCards,
  playSpreadUntil,
  seatSpread,
  socketVersions,
  spawnInstances,
  tableState,
  type SpawnedInstance,
  type SpreadTable,
} from './support/multi-instance';
import { REDIS_TARGET } from './support/redis-target';

const prefix = uniquePrefix('crash');
const GRACE_SECONDS = 3;
let instances: SpawnedInstance[] = [];

beforeAll(async () => {
  instances = await spawnInstances(3, {
    REDIS_KEY_PREFIX: prefix,
    RECONNECT_GRACE_SECONDS: String(GRACE_SECONDS),
    TIMER_POLL_MS: '100',
  });
}, 60_000);

afterAll(async () => {
  await Promise.all(instances.map((i) => i.process.stop('SIGTERM')));
  await REDIS_TARGET.cleanup(prefix);
}, 30_000);

describe('an instance killed mid-hand (SIGKILL)', () => {
  it('its players finish on other instances with every acknowledged move; absent players time out', async () => {
    // Arrange: three rooms, players round-robin over instances A, B, C; B will be killed.
    // Room 0 has one player on B (comes back), room 1 two (never come back, still connected
    // when B dies), room 2 one (left cleanly while B was up, never comes back).
    const victim = 1;
    const tables = await Promise.all(
      [0, 1, 2].map((offset) =>
        seatSpread(instances, { targetScore: 2, offset, label: `K${offset}` }),
      ),
    );
    const [comeback, ghosts, leaver] = tables as [SpreadTable, SpreadTable, SpreadTable];
    // Who sat where when B died (a seat's instance changes when it reconnects elsewhere).
    const startedOn = new Map(tables.flatMap((t) => t.seats.map((s) => [s, s.instance] as const)));
    const onVictim = (t: SpreadTable) => t.seats.filter((s) => startedOn.get(s) === victim);
    const survivors = (t: SpreadTable) => t.seats.filter((s) => startedOn.get(s) !== victim);
    expect(tables.map((t) => onVictim(t).length)).toEqual([1, 2, 1]);

    // Mid-hand everywhere: the hokm named and a few cards on the table.
    await Promise.all(
      tables.map((t) => playSpreadUntil(t, (v) => v.phase === 'gameplay' && cardsThisHand(v) >= 6)),
    );
    await Promise.all(tables.map((t) => allReach(t.seats, tableState(t).version)));

    // Room 2's player on B closes their app while B is up: B records it and starts the grace.
    const gone = onVictim(leaver)[0]!;
    gone.client.close();
    await Promise.all(
      survivors(leaver).map((s) =>
        s.client.waitForPush('player_disconnected', (p) => p.playerId === gone.playerId),
      ),
    );
    const before = new Map(
      comeback.seats.map((s) => [s.playerId, s.client.state as SeatedGameView]),
    );
    const ackedBeforeKill = ackedCards(comeback).length;

    // Act: B dies at once, without a word to anyone.
    instances[victim]!.process.child.kill('SIGKILL');
    await instances[victim]!.process.exited;
    await Promise.all(
      [...onVictim(comeback), ...onVictim(ghosts)].map((s) => s.client.waitForDisconnect()),
    );

    // Room 0's player on B takes the seat back through A with the session token.
    const returning = onVictim(comeback)[0]!;
    const back = await returning.reconnectOn(instances, 0);
    // Nothing they had was lost: the same hand, the same table, at least the same version.
    const had = before.get(returning.playerId)!;
    expect(back.version).toBeGreaterThanOrEqual(had.version);
    expect([...back.you.hand].sort()).toEqual([...had.you.hand].sort());
    expect(back.currentTrick).toEqual(had.currentTrick);
    expect(back.tricks).toEqual(had.tricks);

    const final = await playSpreadUntil(comeback, (v) => v.phase === 'game_over');
    await allReach(comeback.seats, final.version);

    // Assert: room 0 finished, and every move acknowledged before and after the kill is on
    // record exactly once, in order, for every player.
    expect(ackedBeforeKill).toBeGreaterThanOrEqual(6);
    expect(ackedCards(comeback).length).toBeGreaterThan(ackedBeforeKill);
    for (const seat of comeback.seats) {
      expect(seat.client.state?.phase).toBe('game_over');
      expect(seat.client.state?.scores).toEqual(final.scores);
      expect(loggedCards(seat)).toEqual(ackedCards(comeback));
    }
    // Players who never lost their instance missed no change at all.
    for (const seat of survivors(comeback)) {
      expect(seat.sockets).toHaveLength(1);
      expect(gaps(socketVersions(seat.client))).toEqual([]);
    }

    // Room 1: both players on B were connected when it died; a surviving instance notices,
    // marks them disconnected, and when the grace runs out the others are told.
    const ghostIds = onVictim(ghosts).map((s) => s.playerId);
    for (const seat of survivors(ghosts)) {
      await seat.client.waitForPush('player_disconnected', (p) => ghostIds.includes(p.playerId), {
        timeoutMs: 20_000,
      });
      const abandoned = await seat.client.waitForPush('abandoned', () => true, {
        timeoutMs: 20_000,
      });
      expect(abandoned.reason).toBe('grace_expired');
      expect(ghostIds).toContain(abandoned.playerId);
      const view = await seat.client.waitForState((v) => v.phase === 'abandoned');
      expect(view.turn).toBeNull();
    }

    // Room 2: the grace B started is honoured by a surviving instance.
    for (const seat of survivors(leaver)) {
      const abandoned = await seat.client.waitForPush('abandoned', () => true, {
        timeoutMs: 20_000,
      });
      expect(abandoned).toMatchObject({ reason: 'grace_expired', playerId: gone.playerId });
    }

    // In the abandoned rooms too, every acknowledged move is on record for those who stayed.
    for (const table of [ghosts, leaver]) {
      for (const seat of survivors(table)) {
        expect(loggedCards(seat)).toEqual(ackedCards(table));
      }
    }
    // The operators' line: a survivor warns that B went silent holding seats (room 1's two, and
    // room 0's unless its player was back before the sweep).
    const warnings = instances
      .filter((_, i) => i !== victim)
      .flatMap((i) => i.process.lines.map((line) => line.text))
      .filter((text) => /WARN.*an instance went silent: its seats freed/.test(text));
    expect(warnings).toHaveLength(1);
    expect(Number(/seatsFreed=(\d+)/.exec(warnings[0]!)?.[1])).toBeGreaterThanOrEqual(2);
    for (const table of tables) for (const seat of table.seats) seat.closeAll();
  }, 90_000);
});

describe('an instance frozen (SIGSTOP) for longer than others wait for its heartbeat', () => {
  const freezePrefix = uniquePrefix('freeze');
  let pair: SpawnedInstance[] = [];

  beforeAll(async () => {
    pair = await spawnInstances(2, {
      REDIS_KEY_PREFIX: freezePrefix,
      // Long enough that only a wrong decision, never the clock, could end the match.
      RECONNECT_GRACE_SECONDS: '30',
      TIMER_POLL_MS: '100',
    });
  }, 60_000);

  afterAll(async () => {
    for (const instance of pair) instance.process.child.kill('SIGCONT');
    await Promise.all(pair.map((i) => i.process.stop('SIGTERM')));
    await REDIS_TARGET.cleanup(freezePrefix);
  }, 30_000);

  it('is taken for dead, then takes its seats back when it wakes: the match goes on', async () => {
    // Arrange: players on A, B, A, B; mid-hand.
    const table = await seatSpread(pair, { targetScore: 1, label: 'F' });
    await playSpreadUntil(table, (v) => v.phase === 'gameplay' && cardsThisHand(v) >= 4);
    await allReach(table.seats, tableState(table).version);
    const frozen = table.seats.filter((s) => s.instance === 1);
    const watcher = table.seats.find((s) => s.instance === 0)!;

    // Act: B stops dead (a long GC pause, a paused VM), long enough for A to free its seats.
    pair[1]!.process.child.kill('SIGSTOP');
    for (const seat of frozen) {
      await watcher.client.waitForPush('player_disconnected', (p) => p.playerId === seat.playerId, {
        timeoutMs: 20_000,
      });
    }
    pair[1]!.process.child.kill('SIGCONT');

    // Assert: B wakes, finds it was taken for dead, and its sockets take their seats back.
    for (const seat of frozen) {
      await watcher.client.waitForPush('player_reconnected', (p) => p.playerId === seat.playerId, {
        timeoutMs: 20_000,
      });
    }
    await watcher.client.waitForState((v) => v.players.every((p) => p.connected));
    const final = await playSpreadUntil(table, (v) => v.phase === 'game_over');
    await allReach(table.seats, final.version);
    for (const seat of table.seats) {
      // Nobody had to reconnect, nobody was dropped, nothing was lost.
      expect(seat.sockets).toHaveLength(1);
      expect(seat.client.connected).toBe(true);
      expect(seat.recorder.pushes('abandoned')).toEqual([]);
      expect(seat.client.state?.phase).toBe('game_over');
      expect(loggedCards(seat)).toEqual(ackedCards(table));
    }
    for (const seat of table.seats) seat.closeAll();
  }, 60_000);
});
