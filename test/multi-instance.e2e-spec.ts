// Three game servers as separate processes on one Redis (or one Redis Cluster), with the players
// of every room spread over them: whole matches, and the same seat racing itself through two
// instances.
import type { Ack, Card, ErrorCode, SeatedGameView } from '../src/protocol/hokm-protocol';
import { uniquePrefix } from './support/config';
import { legalCards } from './support/game-client';
import {
  ackedCards,
  allReach,
  gaps,
  loggedCards,
  playOneMove,
  playSpreadUntil,
  seatSpread,
  seatToMove,
  socketVersions,
  spawnInstances,
  tableState,
  type SpawnedInstance,
  type SpreadTable,
} from './support/multi-instance';
import { REDIS_TARGET } from './support/redis-target';
import { sleep, waitFor } from './support/wait';

const prefix = uniquePrefix('multi');
let instances: SpawnedInstance[] = [];

beforeAll(async () => {
  instances = await spawnInstances(3, { REDIS_KEY_PREFIX: prefix });
}, 60_000);

afterAll(async () => {
  await Promise.all(instances.map((i) => i.process.stop('SIGTERM')));
  await REDIS_TARGET.cleanup(prefix);
}, 30_000);

/** Every socket of every seat got its `state` pushes in strictly increasing version order. */
function expectVersionsIncreasing(tables: readonly SpreadTable[]): void {
  for (const table of tables) {
    for (const seat of table.seats) {
      for (const socket of seat.sockets) {
        const versions = socketVersions(socket);
        const backwards = versions.filter((v, i) => i > 0 && v <= (versions[i - 1] as number));
        expect({ who: socket.label, backwards }).toEqual({ who: socket.label, backwards: [] });
      }
    }
  }
}

/** Every seat's socket got every version of its table (no gap), then the table's sockets close. */
function expectNoGapsAndClose(table: SpreadTable): void {
  for (const seat of table.seats) {
    expect({ who: seat.label, missing: gaps(socketVersions(seat.client)) }).toEqual({
      who: seat.label,
      missing: [],
    });
    seat.closeAll();
  }
}

describe('three instances (separate processes), players of each room on different instances', () => {
  it('plays several rooms at once to game_over; every player gets every state push, in order', async () => {
    // Arrange: four rooms; room r seats its players on instances r, r+1, r+2, r+3 (mod 3).
    const targets = [1, 2, 1, 2];
    const tables = await Promise.all(
      targets.map((targetScore, r) =>
        seatSpread(instances, { targetScore, offset: r, label: `M${r}` }),
      ),
    );

    // Act: every room plays to the end, all rooms at the same time.
    const finals = await Promise.all(
      tables.map((t) => playSpreadUntil(t, (v) => v.phase === 'game_over')),
    );
    await Promise.all(
      tables.map((t, i) => allReach(t.seats, (finals[i] as SeatedGameView).version)),
    );

    // Assert
    for (const [i, table] of tables.entries()) {
      const final = finals[i] as SeatedGameView;
      for (const seat of table.seats) {
        const view = seat.client.state as SeatedGameView;
        // Everyone sees the same end: the same version, winner and scores.
        expect(view.phase).toBe('game_over');
        expect(view.version).toBe(final.version);
        expect(view.winnerTeam).toBe(final.winnerTeam);
        expect(view.scores).toEqual(final.scores);
        expect(view.scores[view.winnerTeam as 0 | 1]).toBeGreaterThanOrEqual(table.targetScore);
        expect(seat.client.pushes('game_over')).toHaveLength(1);
        // Every change since the player sat down reached them: no version missing.
        const versions = socketVersions(seat.client);
        expect({ who: seat.label, missing: gaps(versions) }).toEqual({
          who: seat.label,
          missing: [],
        });
        expect(versions[versions.length - 1]).toBe(final.version);
        // Every acknowledged card, exactly once, in the order it was played, and nothing else.
        expect(loggedCards(seat)).toEqual(ackedCards(table));
      }
      // A whole hand or more was played, so the check above is not vacuous.
      expect(ackedCards(table).length).toBeGreaterThanOrEqual(28);
    }
    expectVersionsIncreasing(tables);
    for (const table of tables) for (const seat of table.seats) seat.closeAll();
  });

  it('a seat taken over on another instance while its old socket plays: exactly one move applies (30 trials)', async () => {
    // Arrange: three long matches, each spread over the three instances.
    const tables = await Promise.all(
      [0, 1, 2].map((offset) =>
        seatSpread(instances, { targetScore: 7, offset, label: `R${offset}` }),
      ),
    );
    const outcomes: string[] = [];

    // Act + assert, trial by trial: the turn player's current socket plays c1 while the same
    // seat is reconnected on another instance and plays c2 at the same moment.
    const runTrials = async (table: SpreadTable, trials: number) => {
      for (let done = 0; done < trials;) {
        const newest = tableState(table);
        const mover = seatToMove(table);
        const view = mover && (await mover.client.waitForState((v) => v.version >= newest.version));
        const legal = view ? legalCards(view) : [];
        // A race needs two legal cards, and a card that does not close the trick (so the turn
        // passes on and a second card of this seat could never be legal next).
        if (!mover || !view || legal.length < 2 || view.currentTrick.length === 3) {
          await playOneMove(table);
          continue;
        }
        const [c1, c2] = legal as [Card, Card];
        const old = mover.client;
        const other = (mover.instance + 1 + (done % 2)) % instances.length;
        const fresh = await mover.openSocket(instances, other);

        // The old socket's ack may never come: the takeover disconnects it (then 'lost').
        const oldPlay = new Promise<Ack<unknown> | 'lost'>((resolve) => {
          old.socket
            .timeout(15_000)
            .emit('play_card', { card: c1 }, (error: Error | null, ack: Ack<unknown>) =>
              resolve(error ? 'lost' : ack),
            );
        });
        const [ack1, reconnect, ack2] = await Promise.all([
          oldPlay,
          fresh.request('reconnect', { sessionToken: mover.sessionToken }),
          fresh.request('play_card', { card: c2 }),
        ]);
        expect(reconnect.ok).toBe(true);
        // The old socket is told and dropped: a seat never has two sockets.
        await old.waitForDisconnect();
        expect(old.pushes('session_replaced')).toHaveLength(1);

        // The room moved on by exactly one card of this seat.
        const after = await fresh.waitForState(
          (v) =>
            v.turn !== mover.playerId && v.currentTrick.some((c) => c.playerId === mover.playerId),
          { what: 'the raced move to land' },
        );
        const played = after.currentTrick.filter((c) => c.playerId === mover.playerId);
        expect(played).toHaveLength(1);
        const card = (played[0] as { card: Card }).card;
        const loser = card === c1 ? c2 : c1;
        expect([c1, c2]).toContain(card);
        expect(after.currentTrick).toHaveLength(view.currentTrick.length + 1);
        expect(after.you.hand).not.toContain(card);
        expect(after.you.hand).toContain(loser);
        expect(after.you.hand).toHaveLength(view.you.hand.length - 1);
        // Each answer agrees with what happened; a refusal is a clear, expected code.
        const allowed: ErrorCode[] = [
          'NOT_YOUR_TURN',
          'CARD_NOT_IN_HAND',
          'NOT_IN_ROOM',
          'SERVICE_UNAVAILABLE',
        ];
        const check = (ack: Ack<unknown> | 'lost', mine: Card) => {
          if (ack === 'lost') return;
          if (ack.ok) expect(card).toBe(mine);
          else {
            expect(allowed).toContain(ack.error.code);
            expect(card).not.toBe(mine);
          }
        };
        check(ack1, c1);
        check(ack2, c2);
        outcomes.push(
          `${card === c1 ? 'old' : 'new'} socket won (old: ${ack1 === 'lost' ? 'lost' : ack1.ok ? 'ok' : ack1.error.code}, new: ${ack2.ok ? 'ok' : ack2.error.code})`,
        );
        table.acked.push({
          playerId: mover.playerId,
          event: 'play_card',
          value: card,
          fromVersion: view.version,
        });
        done++;
      }
    };
    await Promise.all(tables.map((t) => runTrials(t, 10)));

    expect(outcomes).toHaveLength(30);
    expectVersionsIncreasing(tables);
    for (const table of tables) for (const seat of table.seats) seat.closeAll();
  }, 90_000);

  it('all four players of a room play at the same moment: one card per version, every ok on the table', async () => {
    const table = await seatSpread(instances, { targetScore: 7, offset: 1, label: 'A' });
    let trials = 0;
    while (trials < 15) {
      const newest = tableState(table);
      // One trick cannot end the hand from here, and the trick starts empty: every card that
      // applies stays on the table where everyone can see it.
      if (
        newest.phase !== 'gameplay' ||
        newest.currentTrick.length !== 0 ||
        Math.max(...newest.tricks) >= 6
      ) {
        if (newest.phase === 'game_over') break;
        await playOneMove(table);
        continue;
      }
      await allReach(table.seats, newest.version);
      // Each player sends a card they hold: the leader a legal one, the others whatever they
      // would follow with (it may be legal by the time it is processed).
      const sent = table.seats.map((seat) => {
        const view = seat.client.state as SeatedGameView;
        const card = (view.turn === seat.playerId ? legalCards(view)[0] : view.you.hand[0]) as Card;
        return { seat, card };
      });
      const acks = await Promise.all(
        sent.map(({ seat, card }) => seat.client.request('play_card', { card })),
      );
      const oks = sent.filter((_, i) => (acks[i] as Ack<unknown>).ok);
      for (const ack of acks) {
        if (!ack.ok) {
          expect([
            'NOT_YOUR_TURN',
            'MUST_FOLLOW_SUIT',
            'CARD_NOT_IN_HAND',
            'SERVICE_UNAVAILABLE',
          ]).toContain(ack.error.code);
        }
      }
      // The leader's card always applies (it was their turn and nothing else could go first).
      expect(oks.length).toBeGreaterThanOrEqual(1);
      const after = await table.seats[0]!.client.waitForState(
        (v) => v.version >= newest.version + oks.length,
      );
      // Exactly one version per applied card, and the table shows exactly the acknowledged cards.
      expect(after.version).toBe(newest.version + oks.length);
      const onTable =
        after.currentTrick.length > 0 ? after.currentTrick : (after.lastTrick?.cards ?? []);
      expect(onTable.map((c) => `${c.playerId}:${c.card}`).sort()).toEqual(
        oks.map(({ seat, card }) => `${seat.playerId}:${card}`).sort(),
      );
      for (const { seat, card } of oks) {
        table.acked.push({
          playerId: seat.playerId,
          event: 'play_card',
          value: card,
          fromVersion: newest.version,
        });
      }
      trials++;
    }
    expect(trials).toBe(15);
    expectVersionsIncreasing([table]);
    for (const seat of table.seats) seat.closeAll();
  }, 60_000);
});

describe('where a change is sent, and how it arrives (hokm_room_changes_*_total)', () => {
  type Route = 'none' | 'instances' | 'all';
  type Arrival = 'state' | 'patch' | 'read';
  type Counts = Record<Route | Arrival, number>;
  const sent = async (instance: SpawnedInstance): Promise<Counts> => {
    const text = await (await fetch(`${instance.url}/metrics`)).text();
    // A route (or arrival) not taken yet has no line.
    const count = (metric: string, label: string, value: string) =>
      Number(new RegExp(`^${metric}\\{${label}="${value}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
    const to = (route: Route) => count('hokm_room_changes_sent_total', 'to', route);
    const as = (arrival: Arrival) => count('hokm_room_changes_received_total', 'as', arrival);
    return {
      none: to('none'),
      instances: to('instances'),
      all: to('all'),
      state: as('state'),
      patch: as('patch'),
      read: as('read'),
    };
  };
  const sentEverywhere = () => Promise.all(instances.map(sent));
  // The counts once the instances are quiet: the tables of the tests before still close their
  // sockets (each disconnect is a change) for a moment after those tests end.
  const settled = async () => {
    let last = JSON.stringify(await sentEverywhere());
    return waitFor(
      'the instances to stop sending changes',
      async () => {
        await sleep(300);
        const now = await sentEverywhere();
        const same = JSON.stringify(now) === last;
        last = JSON.stringify(now);
        return same && now;
      },
      { timeoutMs: 10_000, intervalMs: 0 },
    );
  };

  it('a table whose sockets are all on one instance sends its changes to no other instance', async () => {
    const before = await settled();
    const table = await seatSpread([instances[0]!], { targetScore: 1, label: 'L' });
    for (let i = 0; i < 8; i++) await playOneMove(table);
    const after = await sentEverywhere();

    // Three joins (the last one deals) and eight moves, none sent anywhere else.
    expect(after[0]!.none - before[0]!.none).toBeGreaterThanOrEqual(11);
    expect(after[0]!.instances).toBe(before[0]!.instances);
    expect(after[0]!.all).toBe(before[0]!.all);
    for (const seat of table.seats) seat.closeAll();
  }, 30_000);

  it('a table spread over two instances sends each change to the other one only, never to all', async () => {
    const before = await settled();
    const table = await seatSpread([instances[1]!, instances[2]!], { targetScore: 1, label: 'S' });
    for (let i = 0; i < 8; i++) await playOneMove(table);
    await allReach(table.seats, tableState(table).version);
    const after = await sentEverywhere();

    // Every change had a socket on the other instance to reach, and reached it (no gap below).
    const made = (i: number) =>
      after[i]!.instances - before[i]!.instances + (after[i]!.none - before[i]!.none);
    expect(after[1]!.instances - before[1]!.instances).toBe(made(1));
    expect(after[2]!.instances - before[2]!.instances).toBe(made(2));
    expect(made(1) + made(2)).toBeGreaterThanOrEqual(11);
    // None went to every instance; the third instance (whose sockets of the table before are
    // still closing) sent none of this table's changes anywhere.
    for (const i of [0, 1, 2]) expect(after[i]!.all).toBe(before[i]!.all);
    expect(after[0]!.instances).toBe(before[0]!.instances);
    // Each arrived as a patch of the version the receiver held: no whole state, no read.
    expect(after[1]!.patch - before[1]!.patch).toBe(after[2]!.instances - before[2]!.instances);
    expect(after[2]!.patch - before[2]!.patch).toBe(after[1]!.instances - before[1]!.instances);
    for (const i of [1, 2]) {
      expect(after[i]!.read).toBe(before[i]!.read);
      expect(after[i]!.state).toBe(before[i]!.state);
    }
    expectNoGapsAndClose(table);
  }, 30_000);

  it('a patch of a version an instance does not hold: it reads the room, and play goes on without a gap', async () => {
    const table = await seatSpread([instances[1]!, instances[2]!], { targetScore: 1, label: 'P' });
    for (let i = 0; i < 4; i++) await playOneMove(table);
    const { roomCode, version } = tableState(table);
    await allReach(table.seats, version);
    const before = await settled();

    // The instances holding the table's seats, as its connection ids (`instance/socket`) name them.
    const redis = REDIS_TARGET.connect();
    try {
      const seats = await redis.hgetall(`${prefix}room:{${roomCode}}:players`);
      const holders = [
        ...new Set(
          Object.values(seats).map((json) => {
            const { connectionId } = JSON.parse(json) as { connectionId: string };
            return connectionId.split('/')[0]!;
          }),
        ),
      ];
      expect(holders).toHaveLength(2);
      // A patch made against a version (and incarnation) neither holds.
      const stray = JSON.stringify({
        roomCode,
        version,
        epoch: 'not-this-room',
        change: { base: version - 3, patch: { match: { set: { turn: 'nobody' } } } },
        events: [],
        spectators: 0,
      });
      for (const id of holders) {
        const channel = `${prefix}{instance-mail}:${id}`;
        await (REDIS_TARGET.kind === 'cluster'
          ? redis.spublish(channel, stray)
          : redis.publish(channel, stray));
      }
    } finally {
      redis.disconnect();
    }
    await waitFor(
      'both instances to read the room',
      async () => {
        const now = await sentEverywhere();
        return now[1]!.read + now[2]!.read === before[1]!.read + before[2]!.read + 2 && now;
      },
      { timeoutMs: 10_000 },
    );

    // The stray patch changed nothing: the table plays on, and every push arrived in order.
    for (let i = 0; i < 4; i++) await playOneMove(table);
    await allReach(table.seats, tableState(table).version);
    expectNoGapsAndClose(table);
  }, 30_000);
});
