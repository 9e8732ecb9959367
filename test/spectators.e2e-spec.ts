// Spectators as people notice them: `watch` any live room by its code, get the spectator's view
// (no hand) at once and after every change, from any instance; every refusal as the contract
// says; a count every view carries; a limit; and a spectator whose instance dies stops counting.
import * as views from '../src/game-state/domain/view';
import { JsonPacketEncoder, JsonText } from '../src/gateway/json-packet-encoder';
import type { ErrorCode, GameView } from '../src/protocol/hokm-protocol';
import { GameApp, startGameApp } from './support/game-app';
import { codeOf, GameClient, MessageRecorder, playUntil } from './support/game-client';
import { findLeaks } from './support/hidden-information';
import { gaps, playSpreadUntil, seatSpread, spawnInstances } from './support/multi-instance';
import type { SpawnedInstance } from './support/multi-instance';
import { waitFor } from './support/wait';

jest.setTimeout(60_000);

/** The spectator views one socket was pushed, in arrival order. */
const viewsOf = (client: GameClient): GameView[] => client.pushes('state');

/** The newest view a spectator socket was pushed. */
function newest(client: GameClient): GameView {
  const views = viewsOf(client);
  const view = views[views.length - 1];
  if (!view) throw new Error(`${client.label}: no state yet`);
  return view;
}

/** A socket that watches `roomCode` and has its first view. */
async function watcher(url: string, roomCode: string, label: string): Promise<GameClient> {
  const client = await GameClient.connect(url, { recorder: new MessageRecorder(label) });
  expect(await client.request('watch', { roomCode })).toEqual({ ok: true, data: { roomCode } });
  await client.waitForPush('state');
  return client;
}

/** The room as a seated player sees it now (a fresh read, with the count as it is). */
async function seen(player: GameClient): Promise<GameView> {
  return player.ok('get_state', {});
}

describe('spectators on one instance', () => {
  let app: GameApp;
  const open: GameClient[] = [];
  const track = <T extends GameClient>(c: T): T => (open.push(c), c);

  beforeAll(async () => {
    app = await startGameApp({ SPECTATOR_LIMIT: '20' });
  });

  afterEach(() => {
    for (const client of open.splice(0)) client.close();
  });

  afterAll(async () => {
    await app?.close();
  });

  async function hostRoom(): Promise<{ host: GameClient; roomCode: string }> {
    const host = track(await GameClient.connect(app.url));
    const { roomCode } = await host.ok('create_room', { name: 'Host' });
    await host.waitForState(() => true);
    return { host, roomCode };
  }

  it('watch: the ack, then the spectator view at once (no hand, you: null); the room version does not move', async () => {
    const { host, roomCode } = await hostRoom();
    const before = await seen(host);

    const spectator = track(await watcher(app.url, roomCode, 'S'));

    const view = newest(spectator);
    expect(view).toMatchObject({ roomCode, version: before.version, you: null, spectators: 1 });
    expect(view.players.map((p) => p.name)).toEqual(['Host']);
    expect(JSON.stringify(view)).not.toContain('"hand"');
    // Watching changed nothing in the room: same version, and the count shows in a fresh view.
    const after = await seen(host);
    expect(after.version).toBe(before.version);
    expect(after.spectators).toBe(1);
    // get_state answers the spectator's view.
    expect(await spectator.ok('get_state', {})).toMatchObject({
      version: before.version,
      you: null,
    });
  });

  it('a lower-case code with spaces is watched too; an unknown code is ROOM_NOT_FOUND and leaves the socket free', async () => {
    const { roomCode } = await hostRoom();
    const spectator = track(await GameClient.connect(app.url));

    expect(codeOf(await spectator.request('watch', { roomCode: 'ZZZZZZ' }))).toBe('ROOM_NOT_FOUND');
    expect(codeOf(await spectator.request('get_state', {}))).toBe('NOT_IN_ROOM');
    expect(await spectator.request('watch', { roomCode: ` ${roomCode.toLowerCase()} ` })).toEqual({
      ok: true,
      data: { roomCode },
    });
  });

  it('bad payloads are INVALID_PAYLOAD and watch nothing', async () => {
    const { host, roomCode } = await hostRoom();
    const spectator = track(await GameClient.connect(app.url));

    for (const payload of [
      undefined,
      null,
      'ABCDEF',
      [],
      {},
      { roomCode: 7 },
      { roomCode: 'AB' },
    ]) {
      expect(codeOf(await spectator.send('watch', payload))).toBe('INVALID_PAYLOAD');
    }

    expect((await seen(host)).spectators).toBe(0);
    expect(viewsOf(spectator)).toEqual([]);
    expect(codeOf(await spectator.request('get_state', {}))).toBe('NOT_IN_ROOM');
    // A seated socket asking with a bad payload: still INVALID_PAYLOAD first.
    expect(codeOf(await host.send('watch', { roomCode: 1 }))).toBe('INVALID_PAYLOAD');
    expect(roomCode).toHaveLength(6);
  });

  it('a watching socket holds no seat: moves are NOT_IN_ROOM, seat requests ALREADY_IN_ROOM, and nothing changes', async () => {
    const { host, roomCode } = await hostRoom();
    const other = await hostRoom();
    const spectator = track(await watcher(app.url, roomCode, 'S'));
    const before = await seen(host);

    const refusals: Array<[string, unknown, ErrorCode]> = [
      ['select_hokm', { suit: 'hearts' }, 'NOT_IN_ROOM'],
      ['play_card', { card: 'A_hearts' }, 'NOT_IN_ROOM'],
      ['add_bots', {}, 'NOT_IN_ROOM'],
      ['resume', {}, 'NOT_IN_ROOM'],
      ['create_room', { name: 'Again' }, 'ALREADY_IN_ROOM'],
      ['join', { roomCode, name: 'Sneak' }, 'ALREADY_IN_ROOM'],
      ['join', { roomCode: other.roomCode, name: 'Sneak' }, 'ALREADY_IN_ROOM'],
      ['watch', { roomCode }, 'ALREADY_IN_ROOM'],
      ['watch', { roomCode: other.roomCode }, 'ALREADY_IN_ROOM'],
      ['watch', { roomCode: 'ZZZZZZ' }, 'ALREADY_IN_ROOM'],
      ['reconnect', { sessionToken: 'x'.repeat(43) }, 'ALREADY_IN_ROOM'],
      ['reconnect', { sessionToken: host.seat!.sessionToken }, 'ALREADY_IN_ROOM'],
    ];
    for (const [event, payload, code] of refusals) {
      const ack = await spectator.send(event, payload);
      expect({ event, code: codeOf(ack) }).toEqual({ event, code });
    }

    const after = await seen(host);
    expect(after.version).toBe(before.version);
    expect(after.spectators).toBe(1);
    expect(after.players).toHaveLength(1);
    expect((await seen(other.host)).spectators).toBe(0);
    // The seated host cannot watch either.
    expect(codeOf(await host.request('watch', { roomCode: other.roomCode }))).toBe(
      'ALREADY_IN_ROOM',
    );
    // The host's token, tried from the watching socket, left the seat with the host.
    expect((await seen(host)).you).toMatchObject({ playerId: host.seat!.playerId });
    expect((await spectator.ok('get_state', {})).you).toBeNull();
  });

  it('leave ends the watching ({}); the socket may then take a seat ("Take a seat"), and counts follow', async () => {
    const { host, roomCode } = await hostRoom();
    const a = track(await watcher(app.url, roomCode, 'A'));
    const b = track(await watcher(app.url, roomCode, 'B'));
    expect((await seen(host)).spectators).toBe(2);

    expect(await a.request('leave', {})).toEqual({ ok: true, data: {} });
    expect((await seen(host)).spectators).toBe(1);
    expect(codeOf(await a.request('get_state', {}))).toBe('NOT_IN_ROOM');
    expect(codeOf(await a.request('leave', {}))).toBe('NOT_IN_ROOM');
    const pushesAfterLeave = viewsOf(a).length;

    // A freed socket sits down at the table it watched: it is a player now, with a hand.
    const grant = await a.ok('join', { roomCode, name: 'Taker' });
    const seated = await a.waitForState((v) => v.players.length === 2);
    expect(seated.you).toMatchObject({ playerId: grant.playerId });
    expect(seated.spectators).toBe(1);
    const watched = await b.waitForPush('state', (v) => v.players.length === 2);
    expect(watched).toMatchObject({ you: null, spectators: 1, version: seated.version });
    expect(watched.players.map((p) => p.name)).toEqual(['Host', 'Taker']);
    expect(viewsOf(a).length).toBeGreaterThan(pushesAfterLeave);

    b.close();
    await waitFor('the closed spectator to stop counting', async () => {
      return (await seen(host)).spectators === 0;
    });
  });

  it('at the limit (SPECTATOR_LIMIT=20) the next watch is ROOM_FULL; a spectator leaving makes room', async () => {
    const { host, roomCode } = await hostRoom();
    const twenty = await Promise.all(
      Array.from({ length: 20 }, (_, i) => watcher(app.url, roomCode, `S${i}`)),
    );
    twenty.forEach(track);
    const late = track(await GameClient.connect(app.url));

    expect(codeOf(await late.request('watch', { roomCode }))).toBe('ROOM_FULL');
    expect((await seen(host)).spectators).toBe(20);
    expect(codeOf(await late.request('get_state', {}))).toBe('NOT_IN_ROOM');

    await twenty[0]!.ok('leave', {});
    expect(await late.request('watch', { roomCode })).toMatchObject({ ok: true });
    expect((await seen(host)).spectators).toBe(20);
  });

  it('spectators get the informational events and every state of a whole match, and never a hand', async () => {
    const recorders = ['Dara', 'Bahar', 'Cyrus', 'Mina'].map((n) => new MessageRecorder(n));
    const host = track(await GameClient.connect(app.url, { recorder: recorders[0] }));
    const { roomCode } = await host.ok('create_room', { name: 'Dara', targetScore: 1 });
    const early = track(await watcher(app.url, roomCode, 'early'));
    const others = await Promise.all(
      recorders.slice(1).map((recorder) => GameClient.connect(app.url, { recorder })),
    );
    others.forEach(track);
    for (const [i, client] of others.entries()) {
      await client.ok('join', { roomCode, name: recorders[i + 1]!.label });
    }
    const clients = [host, ...others];
    await Promise.all(clients.map((c) => c.waitForState((v) => v.phase === 'hokm_selection')));
    const late = track(await watcher(app.url, roomCode, 'late'));

    const final = await playUntil(clients, (v) => v.phase === 'game_over');

    for (const spectator of [early, late]) {
      await spectator.waitForPush('state', (v) => v.version === final.version);
      const versions = viewsOf(spectator).map((v) => v.version);
      expect({ who: spectator.label, missing: gaps(versions) }).toEqual({
        who: spectator.label,
        missing: [],
      });
      expect(versions).toEqual([...versions].sort((x, y) => x - y));
      expect(viewsOf(spectator).every((v) => v.you === null)).toBe(true);
      expect(newest(spectator).spectators).toBe(2);
      expect(spectator.pushes('game_over')).toHaveLength(1);
      expect(spectator.pushes('card_played').length).toBeGreaterThanOrEqual(13);
      expect(spectator.pushes('trick_won').length).toBeGreaterThanOrEqual(1);
    }
    expect(early.pushes('player_joined')).toHaveLength(3);
    expect(newest(early)).toMatchObject({ phase: 'game_over', winnerTeam: final.winnerTeam });
    // The spectators' own frames: no hand anywhere, only cards once played.
    expect(findLeaks([...recorders, early.recorder, late.recorder])).toEqual([]);
    // Players saw the count too.
    expect(final.spectators).toBe(2);
  });

  it('50 spectators on one instance: one table view built and one spectator frame encoded per change', async () => {
    // A room of its own limit: the app's is 20.
    const big = await startGameApp({ SPECTATOR_LIMIT: '100' });
    try {
      const host = track(await GameClient.connect(big.url));
      const { roomCode } = await host.ok('create_room', { name: 'Host' });
      const fifty = await Promise.all(
        Array.from({ length: 50 }, (_, i) => watcher(big.url, roomCode, `S${i}`)),
      );
      fifty.forEach(track);
      const built = jest.spyOn(views, 'tableView');
      const encoded = jest.spyOn(JsonPacketEncoder.prototype, 'encode');
      const joiner = track(await GameClient.connect(big.url));

      const { playerId } = await joiner.ok('join', { roomCode, name: 'Second' });
      const got = await Promise.all(
        fifty.map((s) =>
          s.waitForPush('state', (v) => v.players.some((p) => p.playerId === playerId)),
        ),
      );
      // Views leave encoded (JsonText): the players' two and the spectators' one.
      const spectatorFrames = encoded.mock.calls.filter(([packet]) => {
        const data = (packet as { data?: unknown }).data;
        if (!Array.isArray(data)) return false;
        const [event, body] = data as [unknown, unknown];
        return (
          event === 'state' &&
          body instanceof JsonText &&
          (JSON.parse(body.json) as { you?: unknown }).you === null
        );
      });
      const builds = built.mock.calls.length;
      built.mockRestore();
      encoded.mockRestore();

      expect(builds).toBe(1);
      expect(spectatorFrames).toHaveLength(1);
      expect(new Set(got.map((v) => JSON.stringify(v))).size).toBe(1);
      expect(got[0]).toMatchObject({ you: null, spectators: 50 });
    } finally {
      for (const client of open.splice(0)) client.close();
      await big.close();
    }
  });

  it('a room that is gone ends the watching: get_state is ROOM_NOT_FOUND and the socket is free', async () => {
    const { host, roomCode } = await hostRoom();
    const spectator = track(await watcher(app.url, roomCode, 'S'));

    await host.ok('leave', {});
    await spectator.waitForPush('player_left');

    expect(codeOf(await spectator.request('get_state', {}))).toBe('ROOM_NOT_FOUND');
    expect(codeOf(await spectator.request('get_state', {}))).toBe('NOT_IN_ROOM');
    expect(await spectator.request('create_room', { name: 'Fresh' })).toMatchObject({ ok: true });
  });
});

describe('spectators on two instances', () => {
  let a: GameApp;
  let b: GameApp;
  const open: GameClient[] = [];

  beforeAll(async () => {
    a = await startGameApp();
    b = await startGameApp({ REDIS_KEY_PREFIX: a.config.redis.keyPrefix });
  });

  afterAll(async () => {
    for (const client of open.splice(0)) client.close();
    await b?.close({ keepKeys: true });
    await a?.close();
  });

  it('a whole match watched from both instances: every version reaches every spectator, counted over both, no leak', async () => {
    const instances = [
      { label: 'A', url: a.url },
      { label: 'B', url: b.url },
    ];
    const table = await seatSpread(instances, { targetScore: 2, label: 'W' });
    open.push(...table.seats.map((s) => s.client));
    const spectators = await Promise.all(
      [a, a, a, b, b].map((app, i) =>
        watcher(app.url, table.roomCode, `S${i}@${app === a ? 'A' : 'B'}`),
      ),
    );
    open.push(...spectators);
    const first = Math.max(...spectators.map((s) => viewsOf(s)[0]!.version));

    const final = await playSpreadUntil(table, (v) => v.phase === 'game_over');

    for (const spectator of spectators) {
      await spectator.waitForPush('state', (v) => v.version === final.version, {
        timeoutMs: 15_000,
      });
      const versions = viewsOf(spectator).map((v) => v.version);
      const fromFirst = versions.filter((v) => v >= first);
      expect({ who: spectator.label, missing: gaps(fromFirst) }).toEqual({
        who: spectator.label,
        missing: [],
      });
      const backwards = versions.filter((v, i) => i > 0 && v < versions[i - 1]!);
      expect({ who: spectator.label, backwards }).toEqual({ who: spectator.label, backwards: [] });
      expect(versions[versions.length - 1]).toBe(final.version);
      expect(newest(spectator)).toMatchObject({
        you: null,
        phase: 'game_over',
        scores: final.scores,
        spectators: 5,
      });
      expect(spectator.pushes('game_over')).toHaveLength(1);
    }
    expect(final.spectators).toBe(5);
    expect(
      findLeaks([...table.seats.map((s) => s.recorder), ...spectators.map((s) => s.recorder)]),
    ).toEqual([]);
  });
});

describe('a spectator whose instance is killed (SIGKILL)', () => {
  let survivor: GameApp;
  let doomed: SpawnedInstance[] = [];

  beforeAll(async () => {
    survivor = await startGameApp({ TIMER_POLL_MS: '100' });
    const { url, clusterNodes, keyPrefix } = survivor.config.redis;
    doomed = await spawnInstances(1, {
      REDIS_KEY_PREFIX: keyPrefix,
      ...(clusterNodes
        ? { REDIS_CLUSTER_NODES: clusterNodes.map((n) => `${n.host}:${n.port}`).join(',') }
        : { REDIS_URL: url }),
      TIMER_POLL_MS: '100',
    });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(doomed.map((i) => i.process.stop('SIGKILL')));
    await survivor?.close();
  });

  it('stops being counted within the instance-liveness window', async () => {
    const host = await GameClient.connect(survivor.url);
    const { roomCode } = await host.ok('create_room', { name: 'Host' });
    const local = await watcher(survivor.url, roomCode, 'local');
    const remote = await Promise.all(
      [0, 1, 2].map((i) => watcher(doomed[0]!.url, roomCode, `remote${i}`)),
    );
    expect((await seen(host)).spectators).toBe(4);

    const killedAt = Date.now();
    await doomed[0]!.process.stop('SIGKILL');
    await Promise.all(remote.map((s) => s.waitForDisconnect()));
    // Survivors take an instance for dead after max(3 s, 10 polls) of silence, then drop it.
    await waitFor(
      'the dead instance to stop counting',
      async () => (await seen(host)).spectators === 1,
      {
        timeoutMs: 10_000,
        intervalMs: 100,
      },
    );
    const tookMs = Date.now() - killedAt;

    expect(tookMs).toBeLessThan(3_000 + 5_000);
    // The next change carries the count to everyone still here.
    const joiner = await GameClient.connect(survivor.url);
    await joiner.ok('join', { roomCode, name: 'Late' });
    expect((await local.waitForPush('state', (v) => v.players.length === 2)).spectators).toBe(1);
    for (const client of [host, local, joiner]) client.close();
  });
});
