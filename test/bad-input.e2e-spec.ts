// Malformed input, event by event: every bad request is answered INVALID_PAYLOAD (or ignored,
// where the protocol says so), and a match in another room goes on untouched.
import type { Ack, GameView } from '../src/protocol/hokm-protocol';
import { GameApp, startGameApp } from './support/game-app';
import {
  GameClient,
  playUntil,
  seatTable,
  type GameClientOptions,
  type Table,
} from './support/game-client';

jest.setTimeout(30_000);

const MAX_PAYLOAD_BYTES = 16_384;
const HUGE = 'x'.repeat(10_000);

/** Payloads that are not an object at all, as a client can send them. */
const NOT_OBJECTS: Array<[string, unknown[]]> = [
  ['no payload', []],
  ['null', [null]],
  ['an empty array', [[]]],
  ['an array of objects', [[{ name: 'Ali' }]]],
  ['a number', [42]],
  ['zero', [0]],
  ['a string', ['create_room']],
  ['an empty string', ['']],
  ['true', [true]],
  ['false', [false]],
  ['a huge string', [HUGE]],
  ['binary data', [Buffer.from('{"name":"Ali"}')]],
  ['two arguments', [{ name: 'Ali', roomCode: 'ABCDEF' }, { name: 'Ali' }]],
];

let nested: unknown = 'Ali';
for (let i = 0; i < 1_000; i++) nested = { name: nested };

/** Objects of the right shape but with a field missing, of the wrong type or out of range. */
const BAD_FIELDS: Record<string, unknown[]> = {
  create_room: [
    {},
    { name: 5 },
    { name: null },
    { name: ['Ali'] },
    { name: { first: 'Ali' } },
    { name: true },
    { name: Buffer.from('Ali') },
    { name: HUGE },
    { name: `Ali${'\u0000'.repeat(5)}` },
    { name: 'x'.repeat(21) },
    nested,
    { targetScore: 7 },
    { name: 'Ali', targetScore: '7' },
    { name: 'Ali', targetScore: 0 },
    { name: 'Ali', targetScore: 8 },
    { name: 'Ali', targetScore: -1 },
    { name: 'Ali', targetScore: 1.5 },
    { name: 'Ali', targetScore: null },
    { name: 'Ali', targetScore: 1e308 },
    { name: 'Ali', targetScore: [7] },
    { name: 'Ali', targetScore: { value: 7 } },
  ],
  join: [
    {},
    { roomCode: 'ABCDEF' },
    { name: 'Ali' },
    { roomCode: 123456, name: 'Ali' },
    { roomCode: null, name: 'Ali' },
    { roomCode: ['ABCDEF'], name: 'Ali' },
    { roomCode: 'ABCDE', name: 'Ali' },
    { roomCode: 'ABCDEFG', name: 'Ali' },
    // 0, 1, I and O are not in the room-code alphabet.
    { roomCode: 'ABCDE0', name: 'Ali' },
    { roomCode: 'ABCDE1', name: 'Ali' },
    { roomCode: 'ABCDEI', name: 'Ali' },
    { roomCode: 'ABCDEO', name: 'Ali' },
    { roomCode: 'ABC DE', name: 'Ali' },
    { roomCode: HUGE, name: 'Ali' },
    { roomCode: 'ABCDEF', name: HUGE },
    { roomCode: 'ABCDEF', name: '' },
    { roomCode: 'ABCDEF', name: 7 },
  ],
  reconnect: [
    {},
    { sessionToken: 5 },
    { sessionToken: null },
    { sessionToken: '' },
    { sessionToken: ['token'] },
    { sessionToken: { token: 'x' } },
    { sessionToken: HUGE },
  ],
  select_hokm: [
    {},
    { suit: 'HEARTS' },
    { suit: 'heart' },
    { suit: 'stars' },
    { suit: 1 },
    { suit: null },
    { suit: ['hearts'] },
    { suit: HUGE },
  ],
  play_card: [
    {},
    { card: 5 },
    { card: null },
    { card: true },
    { card: ['A_hearts'] },
    { card: { rank: 'A', suit: 'hearts' } },
    { card: HUGE },
  ],
  add_bots: [
    { count: 0 },
    { count: 4 },
    { count: -1 },
    { count: 1.5 },
    { count: '2' },
    { count: null },
    { count: [1] },
  ],
  leave: [],
  get_state: [],
};
const EVENTS = Object.keys(BAD_FIELDS);

describe('bad input', () => {
  let app: GameApp;
  let bystanders: Table;
  let untouched: GameView;
  const open: GameClient[] = [];

  async function connect(options: GameClientOptions = {}): Promise<GameClient> {
    const client = await GameClient.connect(app.url, options);
    open.push(client);
    return client;
  }

  /** A seated host of a waiting room (so nothing but the payload is wrong) and a stranger. */
  async function senders(): Promise<GameClient[]> {
    const host = await connect();
    await host.ok('create_room', { name: 'Host' });
    return [host, await connect()];
  }

  beforeAll(async () => {
    app = await startGameApp({ MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD_BYTES) });
    // A match under way in another room, which nothing below may touch.
    bystanders = await seatTable(app.url, { targetScore: 7 });
    untouched = await playUntil(
      bystanders.clients,
      (s) => s.phase === 'gameplay' && s.currentTrick.length === 2,
    );
  });

  afterAll(async () => {
    for (const client of [...open, ...(bystanders?.clients ?? [])]) client.close();
    await app?.close();
  });

  afterEach(async () => {
    for (const client of open.splice(0)) client.close();
    // After every battery: the other room is exactly where it was, for every one of its players.
    for (const client of bystanders.clients) {
      const view = await client.ok('get_state', {});
      expect({ version: view.version, currentTrick: view.currentTrick }).toEqual({
        version: untouched.version,
        currentTrick: untouched.currentTrick,
      });
      expect(client.state!.version).toBe(untouched.version);
    }
  });

  it.each(EVENTS)(
    '%s: a payload that is not an object is answered INVALID_PAYLOAD',
    async (event) => {
      for (const sender of await senders()) {
        for (const [what, args] of NOT_OBJECTS) {
          const ack = await sender.send(event, ...args);
          expect({ what, ack }).toEqual({
            what,
            ack: { ok: false, error: { code: 'INVALID_PAYLOAD', message: expect.any(String) } },
          });
        }
      }
    },
  );

  it.each(EVENTS.filter((e) => BAD_FIELDS[e]!.length > 0))(
    '%s: missing, mistyped and out-of-range fields are answered INVALID_PAYLOAD',
    async (event) => {
      for (const sender of await senders()) {
        const before = sender.seat ? await sender.ok('get_state', {}) : null;
        for (const payload of BAD_FIELDS[event]!) {
          const ack = await sender.send(event, payload);
          const shown = JSON.stringify(payload).slice(0, 80);
          expect({ shown, ack }).toEqual({
            shown,
            ack: { ok: false, error: { code: 'INVALID_PAYLOAD', message: expect.any(String) } },
          });
          // The message names the problem without echoing a huge input back.
          expect((ack as Extract<Ack<unknown>, { ok: false }>).error.message.length).toBeLessThan(
            200,
          );
        }
        if (before) expect(await sender.ok('get_state', {})).toEqual(before);
      }
    },
  );

  it('unknown fields are ignored: they neither refuse a request nor change what it does', async () => {
    const host = await connect();
    const withPrototypeKey = JSON.parse(
      '{"name":"Extra","targetScore":3,"__proto__":{"polluted":true},"hostId":"p_me","seat":3}',
    ) as { name: string };

    const created = await host.ok('create_room', withPrototypeKey);

    const answer = await host.send('get_state', { verbose: true });
    expect(answer.ok).toBe(true);
    const view = (answer as { data: GameView }).data;
    expect(view).toMatchObject({ targetScore: 3, hostId: created.playerId });
    expect(view.players).toEqual([expect.objectContaining({ name: 'Extra', seat: 0 })]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const guest = await connect();
    const joined = await guest.ok('join', {
      roomCode: created.roomCode,
      name: 'Guest',
      playerId: created.playerId,
      seat: 0,
    } as { roomCode: string; name: string });
    expect(joined.playerId).not.toBe(created.playerId);
    expect(joined.seat).toBe(1);
    expect(await guest.send('leave', { everyone: true })).toEqual({ ok: true, data: {} });
  });

  it('unknown events are answered INVALID_PAYLOAD when they carry an ack, ignored otherwise', async () => {
    const client = await connect();
    const unknown = [
      'hack',
      'toString',
      'constructor',
      'hasOwnProperty',
      'valueOf',
      '__proto__',
      'state',
      'session_replaced',
      'CREATE_ROOM',
      'create_room ',
      HUGE.slice(0, 500),
    ];
    for (const event of unknown) {
      const ack = await client.send(event, { name: 'Ali' });
      expect({ event: event.slice(0, 20), ack }).toEqual({
        event: event.slice(0, 20),
        ack: { ok: false, error: { code: 'INVALID_PAYLOAD', message: expect.any(String) } },
      });
      client.emitWithoutAck(event, { name: 'Ali' });
    }

    // Still connected and served, in order: nothing was created by any of it.
    expect(await client.request('get_state', {})).toMatchObject({
      ok: false,
      error: { code: 'NOT_IN_ROOM' },
    });
    expect(client.received.filter((m) => m.kind === 'push')).toEqual([]);
    expect(client.connected).toBe(true);
  });

  it.each([['websocket'], ['polling']] as const)(
    'a message over MAX_PAYLOAD_BYTES closes that connection (%s); the server goes on serving',
    async (transport) => {
      const big = await connect({ transports: [transport] });
      const bigName = 'y'.repeat(MAX_PAYLOAD_BYTES + 100);

      big.emitWithoutAck('create_room', { name: bigName });

      await big.waitForDisconnect();
      expect(big.seat).toBeNull();
      const next = await connect({ transports: [transport] });
      const created = await next.ok('create_room', { name: 'Next' });
      expect(created.seat).toBe(0);
    },
  );

  it('requests without a payload object but with no ack either are ignored; the socket goes on', async () => {
    const client = await connect();
    for (const event of EVENTS) {
      for (const [, args] of NOT_OBJECTS) client.emitWithoutAck(event, ...args);
    }

    expect(await client.request('get_state', {})).toMatchObject({
      ok: false,
      error: { code: 'NOT_IN_ROOM' },
    });
    expect(client.received.filter((m) => m.kind === 'push')).toEqual([]);
  });

  it('the match in the other room can still be played to the end', async () => {
    // (Runs last: afterEach has checked after every battery that it was never touched.)
    const final = await playUntil(bystanders.clients, (s) => s.phase === 'game_over');

    expect(final.winnerTeam).not.toBeNull();
    untouched = await bystanders.clients[0]!.ok('get_state', {});
  });
});
