// A seat taken (join, quick_match, a public create_room) through an instance that holds no other
// socket of the table, while the table moves on through another instance: the newer change
// reaches the first instance before the socket that took the seat is bound there, so it goes to
// none of its sockets. Forced here by holding the seat's own flow between its commit and its bind
// (the real GameStateService runs; only its answer waits) until the other instance's next change
// has arrived. The socket must still get the room as it is now (the match that started, the
// player who joined after the host), in version order.
import { GameStateService } from '../src/game-state/game-state.service';
import type { RoomSummary, SeatedGameView } from '../src/protocol/hokm-protocol';
import { uniquePrefix } from './support/config';
import { startGameApp, type GameApp } from './support/game-app';
import { GameClient, MessageRecorder } from './support/game-client';
import { metricValue } from './support/metrics';
import { waitFor } from './support/wait';

const RECEIVED = ['state', 'patch', 'read'].map(
  (as) => `hokm_room_changes_received_total{as="${as}"}`,
);

const OVERTAKEN = 'hokm_seats_overtaken_total';

/** Every room change another instance sent `app` so far, however it arrived. */
async function changesReceived(app: GameApp): Promise<number> {
  const counts = await Promise.all(RECEIVED.map((sample) => metricValue(app.url, sample)));
  return counts.reduce((sum, n) => sum + n, 0);
}

/**
 * Until `release` is called, the next `method` of `app`'s GameStateService answers only once
 * released (its work done, its commit made): the socket's flow waits between commit and bind.
 */
function holdNext(app: GameApp, method: 'apply' | 'createRoom'): { release: () => void } {
  const game = app.app.get(GameStateService);
  const original = game[method].bind(game) as (...args: unknown[]) => Promise<unknown>;
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  jest.spyOn(game, method).mockImplementationOnce((async (...args: unknown[]) => {
    const answer = await original(...args);
    await released;
    return answer;
  }) as never);
  return { release };
}

/** The versions of the `state` pushes `client` got, in arrival order. */
const versionsOf = (client: GameClient): number[] =>
  client.received
    .filter((m) => m.kind === 'push' && m.event === 'state')
    .map((m) => (m.payload as SeatedGameView).version);

describe('a seat whose table moved on through another instance before its socket was bound', () => {
  let other: GameApp;
  let seatedHere: GameApp;
  const clients: GameClient[] = [];

  beforeAll(async () => {
    const env = { REDIS_KEY_PREFIX: uniquePrefix('seat-overtaken') };
    other = await startGameApp(env);
    seatedHere = await startGameApp(env);
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
    jest.restoreAllMocks();
  });

  afterAll(async () => {
    await seatedHere?.close({ keepKeys: true });
    await other?.close();
  });

  async function connect(app: GameApp, label: string): Promise<GameClient> {
    const client = await GameClient.connect(app.url, { recorder: new MessageRecorder(label) });
    clients.push(client);
    return client;
  }

  /**
   * A room whose host sits through `hostApp` and a second player through `other`, and the
   * sockets of the third (through `seatedHere`) and fourth (through `other`) to come.
   */
  async function twoSeated(hostApp: GameApp) {
    const host = await connect(hostApp, 'host');
    const second = await connect(other, 'second');
    const third = await connect(seatedHere, 'third');
    const fourth = await connect(other, 'fourth');
    const { roomCode } = await host.ok('create_room', { name: 'Host' });
    await second.ok('join', { roomCode, name: 'Second' });
    return { roomCode, host, third, fourth };
  }

  /**
   * Runs `takeSeat` (the third seat of `roomCode`, through `seatedHere`) with its flow held
   * between its commit and its bind, while `takeLast` (the fourth seat, through `other`) starts
   * the match; lets it go once `arrived` says the start has reached `seatedHere`. Its ack.
   */
  async function overtaken<A>(
    roomCode: string,
    takeSeat: () => Promise<A>,
    takeLast: () => Promise<unknown>,
    arrived: () => Promise<unknown>,
  ): Promise<A> {
    const held = holdNext(seatedHere, 'apply');
    const seating = takeSeat();
    // Its seat is in Redis (nobody is told yet: that comes after the bind).
    const store = other.app.get(GameStateService);
    await waitFor(
      'the third seat to be taken',
      async () => (await store.load(roomCode))?.players.length === 3,
    );
    await takeLast();
    await arrived();
    held.release();
    return seating;
  }

  /** Resolves once `seatedHere` has received a change from `other` after `before` of them. */
  const receivedAfter = (before: number) => () =>
    waitFor('the change to reach the instance of the held seat', async () =>
      (await changesReceived(seatedHere)) > before ? true : undefined,
    );

  /** `client`'s state pushes came in version order, none twice, and the seat was counted. */
  async function expectCaughtUp(client: GameClient, overtakenBefore: number): Promise<void> {
    const versions = versionsOf(client);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    expect(await metricValue(seatedHere.url, OVERTAKEN)).toBe(overtakenBefore + 1);
  }

  it('join: the third player is told the match the fourth one started', async () => {
    const { roomCode, third, fourth } = await twoSeated(other);

    const counted = await metricValue(seatedHere.url, OVERTAKEN);
    // The start reaches the instance of the third socket, which has no socket there to tell.
    const joined = await overtaken(
      roomCode,
      () => third.request('join', { roomCode, name: 'Third' }),
      () => fourth.ok('join', { roomCode, name: 'Fourth' }),
      receivedAfter(await changesReceived(seatedHere)),
    );

    expect(joined).toMatchObject({ ok: true });
    const started = await third.waitForState((v) => v.phase === 'hokm_selection', {
      what: 'the match to start',
    });
    expect(started.players).toHaveLength(4);
    expect(started.you.playerId).toBe(third.seat!.playerId);
    await expectCaughtUp(third, counted);
  });

  it('join, a table-mate on the same instance: the third player gets the room as the table has it', async () => {
    const { roomCode, host, third, fourth } = await twoSeated(seatedHere);

    const counted = await metricValue(seatedHere.url, OVERTAKEN);
    // The host, on the third player's instance, is told the match started; the third not yet.
    let start: SeatedGameView | undefined;
    const joined = await overtaken(
      roomCode,
      () => third.request('join', { roomCode, name: 'Third' }),
      () => fourth.ok('join', { roomCode, name: 'Fourth' }),
      async () => (start = await host.waitForState((v) => v.phase === 'hokm_selection')),
    );

    expect(joined).toMatchObject({ ok: true });
    const started = await third.waitForState((v) => v.phase === 'hokm_selection', {
      what: 'the match to start',
    });
    expect(started.version).toBe(start!.version);
    expect(started.you.playerId).toBe(third.seat!.playerId);
    await expectCaughtUp(third, counted);
  });

  it('quick_match: the third player is told the match the fourth one started', async () => {
    const first = await connect(other, 'first');
    const second = await connect(other, 'second');
    const fourth = await connect(other, 'fourth');
    const third = await connect(seatedHere, 'third');
    const targetScore = 5;
    const { roomCode } = await first.ok('quick_match', { name: 'First', targetScore });
    expect(await second.ok('quick_match', { name: 'Second', targetScore })).toMatchObject({
      roomCode,
    });

    const counted = await metricValue(seatedHere.url, OVERTAKEN);
    const seated = await overtaken(
      roomCode,
      () => third.request('quick_match', { name: 'Third', targetScore }),
      async () =>
        expect(await fourth.ok('quick_match', { name: 'Fourth', targetScore })).toMatchObject({
          roomCode,
        }),
      receivedAfter(await changesReceived(seatedHere)),
    );

    expect(seated).toMatchObject({ ok: true, data: { roomCode } });
    const started = await third.waitForState((v) => v.phase === 'hokm_selection', {
      what: 'the match to start',
    });
    // Seats are drawn when the match starts: the four, in any order.
    expect(started.players.map((p) => p.name).sort()).toEqual([
      'First',
      'Fourth',
      'Second',
      'Third',
    ]);
    await expectCaughtUp(third, counted);
  });

  it('create_room (public): the host is told the player who joined from the lobby at once', async () => {
    const host = await connect(seatedHere, 'host');
    const guest = await connect(other, 'guest');
    const held = holdNext(seatedHere, 'createRoom');
    const arrived = receivedAfter(await changesReceived(seatedHere));
    const counted = await metricValue(seatedHere.url, OVERTAKEN);
    const creating = host.request('create_room', { name: 'Host', visibility: 'public' });
    // The room is in the lobby: a guest on the other instance finds it and sits down.
    const roomCode = await waitFor('the room to be listed', async () => {
      const response = await fetch(`${other.url}/api/rooms?limit=100`);
      const { rooms } = (await response.json()) as { rooms: RoomSummary[] };
      return rooms.find((r) => r.players[0]?.name === 'Host' && r.seatsFree === 3)?.roomCode;
    });
    await guest.ok('join', { roomCode, name: 'Guest' });
    await arrived();
    held.release();

    expect(await creating).toMatchObject({ ok: true, data: { roomCode } });
    const joined = await host.waitForState((v) => v.players.length === 2, {
      what: 'the guest in the room',
    });
    expect(joined.players.map((p) => p.name)).toEqual(['Host', 'Guest']);
    await expectCaughtUp(host, counted);
  });
});
