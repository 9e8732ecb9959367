// The lobby as a player (and a web page) sees it: `create_room` with a visibility, `list_rooms`
// and `GET /api/rooms` in the contract's order and shape, private and finished rooms never
// listed, the limit and every bad input answered INVALID_PAYLOAD with nothing changed, a flood
// RATE_LIMITED, and `quick_match` seating people at the fullest table, refused to a seated or
// watching socket.
import type { ErrorCode, RoomSummary, SeatGrant } from '../src/protocol/hokm-protocol';
import { startGameApp, type GameApp } from './support/game-app';
import { codeOf, GameClient, MessageRecorder } from './support/game-client';

jest.setTimeout(60_000);

let app: GameApp;
const open: GameClient[] = [];

async function client(label = 'player'): Promise<GameClient> {
  const c = await GameClient.connect(app.url, { recorder: new MessageRecorder(label) });
  open.push(c);
  return c;
}

/** A table of `players` humans: its host creates it, the others join by code. */
async function table(
  players: number,
  options: { targetScore?: number; visibility?: 'public' | 'private' } = {},
): Promise<{ roomCode: string; clients: GameClient[] }> {
  const host = await client('host');
  const { roomCode } = await host.ok('create_room', { name: 'Host', ...options });
  const clients = [host];
  for (let i = 1; i < players; i++) {
    const guest = await client(`guest${i}`);
    await guest.ok('join', { roomCode, name: `Guest ${i}` });
    clients.push(guest);
  }
  if (players === 4) {
    await Promise.all(clients.map((c) => c.waitForState((s) => s.phase === 'hokm_selection')));
  }
  return { roomCode, clients };
}

async function listed(limit?: number): Promise<RoomSummary[]> {
  const lister = await client('lister');
  const { rooms } = await lister.ok('list_rooms', limit === undefined ? {} : { limit });
  lister.close();
  return rooms;
}

async function http(query = ''): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${app.url}/api/rooms${query}`);
  return { status: response.status, body: await response.json() };
}

beforeEach(async () => {
  // A prefix of its own per test: the listing shows every public room of the prefix.
  app = await startGameApp({ TURN_SECONDS: '0' });
});

afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  await app.close();
});

describe('the public listing', () => {
  it('lists public rooms, waiting first by players then in play, in the contract’s shape', async () => {
    const one = await table(1, { visibility: 'public', targetScore: 3 });
    const three = await table(3, { visibility: 'public' });
    const two = await table(2, { visibility: 'public', targetScore: 5 });
    const playing = await table(4, { visibility: 'public', targetScore: 1 });
    await table(2); // private: never listed
    await table(4, { visibility: 'private' });
    const watcher = await client('watcher');
    await watcher.ok('watch', { roomCode: playing.roomCode });

    const rooms = await listed();
    expect(rooms.map((r) => r.roomCode)).toEqual([
      three.roomCode,
      two.roomCode,
      one.roomCode,
      playing.roomCode,
    ]);
    expect(rooms[0]).toEqual({
      roomCode: three.roomCode,
      phase: 'waiting_for_players',
      targetScore: 7,
      players: [
        { name: 'Host', seat: 0, bot: false },
        { name: 'Guest 1', seat: 1, bot: false },
        { name: 'Guest 2', seat: 2, bot: false },
      ],
      seatsFree: 1,
      spectators: 0,
    });
    expect(rooms[3]).toMatchObject({
      phase: 'hokm_selection',
      targetScore: 1,
      seatsFree: 0,
      spectators: 1,
    });
    // The HTTP route answers the same rooms.
    expect(await http()).toEqual({ status: 200, body: { rooms } });
  });

  it('a table in play goes after waiting ones, the most recently active first', async () => {
    const first = await table(4, { visibility: 'public' });
    const second = await table(4, { visibility: 'public' });
    const waiting = await table(1, { visibility: 'public' });
    expect((await listed()).map((r) => r.roomCode)).toEqual([
      waiting.roomCode,
      second.roomCode,
      first.roomCode,
    ]);
    // A change at the first table makes it the most recently active.
    const hakem = first.clients.find((c) => c.state?.turn === c.seat?.playerId);
    await hakem?.ok('select_hokm', { suit: 'hearts' });
    expect((await listed()).map((r) => r.roomCode)).toEqual([
      waiting.roomCode,
      first.roomCode,
      second.roomCode,
    ]);
  });

  it('finished and emptied rooms are gone from it at once, bots count as players', async () => {
    const ended = await table(4, { visibility: 'public' });
    const emptied = await table(2, { visibility: 'public' });
    const botted = await table(1, { visibility: 'public' });
    await botted.clients[0]?.ok('add_bots', { count: 2 });
    expect(await listed()).toHaveLength(3);
    // A player leaving a match abandons it; everybody leaving a waiting room deletes it.
    await ended.clients[0]?.ok('leave', {});
    for (const c of emptied.clients) await c.ok('leave', {});
    const rooms = await listed();
    expect(rooms.map((r) => r.roomCode)).toEqual([botted.roomCode]);
    expect(rooms[0]?.players.map((p) => p.bot)).toEqual([false, true, true]);
    expect(rooms[0]?.seatsFree).toBe(1);
  });

  it('answers 20 rooms by default, `limit` of them when asked, at most 100', async () => {
    for (let i = 0; i < 23; i++) await table(1, { visibility: 'public' });
    expect(await listed()).toHaveLength(20);
    expect(await listed(5)).toHaveLength(5);
    expect(await listed(100)).toHaveLength(23);
    expect(((await http('?limit=1')).body as { rooms: unknown[] }).rooms).toHaveLength(1);
    expect(((await http('?limit=100')).body as { rooms: unknown[] }).rooms).toHaveLength(23);
  });

  it('a bad limit is INVALID_PAYLOAD with a clear message, on the socket and over HTTP', async () => {
    await table(1, { visibility: 'public' });
    const lister = await client('lister');
    const message = 'limit must be a whole number from 1 to 100';
    for (const limit of [0, 101, -1, 1.5, '5', null, true, [5], { n: 5 }, 1e308, Number.NaN]) {
      expect(await lister.send('list_rooms', { limit })).toEqual({
        ok: false,
        error: { code: 'INVALID_PAYLOAD', message },
      });
    }
    for (const payload of [[], 'rooms', 5, null]) {
      expect(codeOf(await lister.send('list_rooms', payload))).toBe('INVALID_PAYLOAD');
    }
    for (const query of ['0', '101', 'abc', '1.5', '-1', '', '1e2', ' 5', '5&limit=6']) {
      expect(await http(`?limit=${query}`)).toEqual({
        status: 400,
        body: { error: { code: 'INVALID_PAYLOAD', message } },
      });
    }
    // Nothing changed, and the socket is still served.
    expect(await lister.ok('list_rooms', {})).toMatchObject({ rooms: [{ seatsFree: 3 }] });
  });

  it('a flood of list_rooms from one socket is RATE_LIMITED', async () => {
    await app.close();
    app = await startGameApp({ RATE_LIMIT_BURST: '20', RATE_LIMIT_PER_SECOND: '10' });
    const flooder = await client('flooder');
    const acks = await Promise.all(
      Array.from({ length: 60 }, () => flooder.send('list_rooms', {})),
    );
    const codes = acks.map((a) => codeOf(a) ?? 'ok');
    expect(codes.filter((c) => c === 'ok').length).toBeGreaterThanOrEqual(20);
    expect(codes.filter((c) => c === 'RATE_LIMITED').length).toBeGreaterThan(20);
    // Another socket is not slowed down by it.
    expect(await listed()).toEqual([]);
  });
});

describe('create_room visibility', () => {
  it('is private unless asked, shown in the GameView; a bad one is INVALID_PAYLOAD', async () => {
    const host = await client();
    await host.ok('create_room', { name: 'Quiet' });
    expect((await host.ok('get_state', {})).visibility).toBe('private');
    await host.ok('leave', {});
    for (const visibility of ['secret', 'PUBLIC', 1, null, ['public']]) {
      const ack = await host.send('create_room', { name: 'Ali', visibility });
      expect(ack).toEqual({
        ok: false,
        error: { code: 'INVALID_PAYLOAD', message: "visibility must be 'public' or 'private'" },
      });
    }
    expect(await listed()).toEqual([]);
    const { roomCode } = await host.ok('create_room', { name: 'Open', visibility: 'public' });
    expect((await host.ok('get_state', {})).visibility).toBe('public');
    expect((await listed()).map((r) => r.roomCode)).toEqual([roomCode]);
  });
});

describe('quick_match', () => {
  it('seats the caller at the fullest public waiting table of its target', async () => {
    const fuller = await table(2, { visibility: 'public' });
    await table(1, { visibility: 'public' });
    await table(3, { visibility: 'public', targetScore: 4 });
    await table(3, { visibility: 'private' });
    const seeker = await client('seeker');
    const grant: SeatGrant = await seeker.ok('quick_match', { name: 'Seeker' });
    expect(grant).toMatchObject({ roomCode: fuller.roomCode, seat: 2 });
    expect(grant.sessionToken).toEqual(expect.any(String));
    const view = await seeker.waitForState((s) => s.players.length === 3);
    expect(view).toMatchObject({ roomCode: fuller.roomCode, visibility: 'public' });
    // The others at the table see the newcomer.
    await fuller.clients[0]?.waitForState((s) => s.players.some((p) => p.name === 'Seeker'));
  });

  it('with no table of that target, opens a public one the caller hosts', async () => {
    await table(2, { visibility: 'public', targetScore: 7 });
    const seeker = await client('seeker');
    const grant = await seeker.ok('quick_match', { name: 'Opener', targetScore: 2 });
    expect(grant.seat).toBe(0);
    const view = await seeker.waitForState(() => true);
    expect(view).toMatchObject({ targetScore: 2, visibility: 'public', hostId: grant.playerId });
    // The seat is proven by its token like any other: reconnect on a new socket.
    seeker.close();
    const back = await client('back');
    expect(await back.ok('reconnect', { sessionToken: grant.sessionToken })).toMatchObject({
      roomCode: grant.roomCode,
      seat: 0,
    });
  });

  it('is ALREADY_IN_ROOM for a seated or watching socket, INVALID_PAYLOAD for bad input', async () => {
    const { roomCode, clients } = await table(1, { visibility: 'public' });
    const expectRefused = async (c: GameClient, code: ErrorCode) =>
      expect(codeOf(await c.send('quick_match', { name: 'Again' }))).toBe(code);
    await expectRefused(clients[0] as GameClient, 'ALREADY_IN_ROOM');
    const watcher = await client('watcher');
    await watcher.ok('watch', { roomCode });
    await expectRefused(watcher, 'ALREADY_IN_ROOM');
    const bad = await client('bad');
    for (const payload of [
      {},
      { name: '' },
      { name: 7 },
      { name: 'x'.repeat(21) },
      { name: 'Ali', targetScore: 0 },
      { name: 'Ali', targetScore: 8 },
      { name: 'Ali', targetScore: '7' },
      { name: 'Ali', targetScore: 2.5 },
      null,
      [],
    ]) {
      expect(codeOf(await bad.send('quick_match', payload))).toBe('INVALID_PAYLOAD');
    }
    // Nothing changed: the table still has its one player, nobody else was seated anywhere.
    expect((await listed()).map((r) => [r.roomCode, r.players.length])).toEqual([[roomCode, 1]]);
    // After `leave`, the watcher may quick-match: it joins that table.
    await watcher.ok('leave', {});
    expect((await watcher.ok('quick_match', { name: 'Viewer' })).roomCode).toBe(roomCode);
  });
});
