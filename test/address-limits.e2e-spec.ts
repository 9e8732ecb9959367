// Per-address limits across two instances (spawned `node dist/main.js` on one Redis): an address
// that guesses room codes and tokens over many sockets, on both instances, is cooled down after
// its budget and recovers after the cool-down; other addresses, the right code from a fresh
// address and the moves of seated players go on; a connection flood is refused at the
// handshake with its reason; X-Forwarded-For is believed only from the named proxy; unknown
// match ids over HTTP spend the same budget as codes and tokens over sockets; the public room
// list over HTTP has a budget per second of its own. Clients
// pick their source address in 127.0.0.0/8 (all loopback on Linux) to be different people.
import { randomBytes } from 'node:crypto';
import type { Ack } from '../src/protocol/hokm-protocol';
import { randomRoomCode, uniquePrefix } from './support/config';
import { codeOf, GameClient, legalMove, type GameClientOptions } from './support/game-client';
import { metricValue } from './support/metrics';
import { spawnInstances, type SpawnedInstance } from './support/multi-instance';
import { REDIS_TARGET } from './support/redis-target';
import { sleep } from './support/wait';

const FAILURES = 6;
const COOLDOWN_SECONDS = 5;
const CONNECTIONS = 10;
const LISTINGS = 5;
/** The "load balancer" the instances trust: clients connecting from it name their address. */
const PROXY = '127.0.0.1';

const prefix = uniquePrefix('limits');
let instances: SpawnedInstance[] = [];
const sockets: GameClient[] = [];

beforeAll(async () => {
  instances = await spawnInstances(2, {
    REDIS_KEY_PREFIX: prefix,
    LOOKUP_FAILURES_PER_MINUTE: String(FAILURES),
    LOOKUP_COOLDOWN_SECONDS: String(COOLDOWN_SECONDS),
    CONNECTIONS_PER_SECOND: String(CONNECTIONS),
    LISTINGS_PER_SECOND: String(LISTINGS),
    TRUST_PROXY: PROXY,
  });
}, 60_000);

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await Promise.all(instances.map((i) => i.process.stop('SIGTERM')));
  await REDIS_TARGET.cleanup(prefix);
}, 30_000);

function instance(i: number): SpawnedInstance {
  const found = instances[i];
  if (!found) throw new Error(`no instance ${i}`);
  return found;
}

/** A socket to instance `i` from `from` (a loopback address), closed after the suite. */
async function connect(i: number, from: string, options: GameClientOptions = {}) {
  const client = await GameClient.connect(instance(i).url, { localAddress: from, ...options });
  sockets.push(client);
  return client;
}

/** Every code and token guessed here: none may show up in a log line. */
const guessed: string[] = [];

/** A join with a code nobody holds: what someone hunting for private rooms sends. */
function guessCode(client: GameClient): Promise<Ack<unknown>> {
  const roomCode = randomRoomCode();
  guessed.push(roomCode);
  return client.request('join', { roomCode, name: 'guesser' });
}

/** A watch of a code nobody holds: someone hunting for private tables to look at. */
function guessWatch(client: GameClient): Promise<Ack<unknown>> {
  const roomCode = randomRoomCode();
  guessed.push(roomCode);
  return client.request('watch', { roomCode });
}

/** A reconnect with a made-up token: someone hunting for seats. */
function guessToken(client: GameClient): Promise<Ack<unknown>> {
  const sessionToken = randomBytes(24).toString('base64url');
  guessed.push(sessionToken);
  return client.request('reconnect', { sessionToken });
}

/** The value of one sample of `/metrics` on instance `i` (0 when absent). */
const metric = (i: number, sample: string) => metricValue(instance(i).url, sample);

/** Output lines of both instances that match `pattern`. */
function logLines(pattern: RegExp): string[] {
  return instances
    .flatMap((i) => i.process.lines.map((l) => l.text))
    .filter((t) => pattern.test(t));
}

/** A room waiting for players, hosted from `from` on instance `i`. */
async function waitingRoom(i: number, from: string): Promise<{ host: GameClient; code: string }> {
  const host = await connect(i, from);
  const grant = await host.ok('create_room', { name: 'host' });
  return { host, code: grant.roomCode };
}

describe('failed lookups: a budget per address, shared by both instances', () => {
  it('cools a guessing address down on both instances, and nobody else, and lets it recover', async () => {
    // Arrange: the guesser's address also has a seated player, in a match against bots.
    const guesser = '127.0.0.10';
    const seated = await connect(0, guesser);
    await seated.ok('create_room', { name: 'seated' });
    await seated.ok('add_bots', { count: 3 });
    await seated.waitForState((v) => v.phase === 'hokm_selection' || v.phase === 'gameplay', {
      what: 'the match to start',
    });
    const open = await waitingRoom(1, '127.0.0.11');
    const hunters = [
      await connect(0, guesser),
      await connect(1, guesser),
      await connect(0, guesser),
      await connect(1, guesser),
    ];

    // Act: the budget spent over four sockets and both instances: codes to join, codes to
    // watch, tokens.
    const guesses = [guessCode, guessWatch, guessToken];
    const spent: Array<string | undefined> = [];
    for (let n = 0; n < FAILURES; n++) {
      const guess = guesses[n % guesses.length] as typeof guessCode;
      spent.push(codeOf(await guess(hunters[n % hunters.length] as GameClient)));
    }

    // Assert: each guess was answered as usual until the budget ran out, then every lookup of
    // that address, on either instance and on any socket, is RATE_LIMITED, the right code too.
    expect(spent).toEqual(
      Array.from({ length: FAILURES }, (_, n) =>
        n % 3 === 2 ? 'INVALID_SESSION' : 'ROOM_NOT_FOUND',
      ),
    );
    for (const socket of hunters) expect(codeOf(await guessCode(socket))).toBe('RATE_LIMITED');
    expect(codeOf(await guessToken(hunters[1] as GameClient))).toBe('RATE_LIMITED');
    expect(codeOf(await guessWatch(hunters[2] as GameClient))).toBe('RATE_LIMITED');
    const watchRight = await (hunters[3] as GameClient).request('watch', { roomCode: open.code });
    expect(codeOf(watchRight)).toBe('RATE_LIMITED');
    const rightCode = await (hunters[0] as GameClient).request('join', {
      roomCode: open.code,
      name: 'lucky',
    });
    expect(rightCode).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED', message: expect.stringMatching(/failed lookups/) as unknown },
    });
    const lateSocket = await connect(1, guesser);
    expect(codeOf(await guessCode(lateSocket))).toBe('RATE_LIMITED');

    // ...while the seated player of that address is served as before: state and moves.
    expect(codeOf(await seated.request('get_state', {}))).toBeUndefined();
    const view = await seated.waitForState((v) => legalMove(v) !== null, {
      what: 'the seated player to be asked to move',
    });
    const move = legalMove(view);
    if (!move) throw new Error('no legal move');
    const moved =
      move.event === 'select_hokm'
        ? await seated.request('select_hokm', move.payload)
        : await seated.request('play_card', move.payload);
    expect(moved).toMatchObject({ ok: true });

    // ...another address guessing is answered as usual on both instances...
    const neighbour = '127.0.0.12';
    expect(codeOf(await guessCode(await connect(0, neighbour)))).toBe('ROOM_NOT_FOUND');
    expect(codeOf(await guessCode(await connect(1, neighbour)))).toBe('ROOM_NOT_FOUND');
    // ...and someone with the right code, from a fresh address, sits down.
    const friend = await connect(0, '127.0.0.13');
    expect(await friend.request('join', { roomCode: open.code, name: 'friend' })).toMatchObject({
      ok: true,
      data: { roomCode: open.code },
    });

    // Assert: one log line for the cool-down (on the instance whose count began it), naming the
    // address and nothing that was guessed; the refusals in both instances' metrics.
    const cooled = logLines(/address cooled down/);
    expect(cooled).toHaveLength(1);
    expect(cooled[0]).toContain(`address=${guesser}`);
    for (const secret of guessed) expect(logLines(new RegExp(secret))).toEqual([]);
    const refused = 'hokm_address_limit_refusals_total{reason="lookup_cooldown"}';
    expect(await metric(0, refused)).toBeGreaterThan(0);
    expect(await metric(1, refused)).toBeGreaterThan(0);
    const started =
      (await metric(0, 'hokm_address_cooldowns_total')) +
      (await metric(1, 'hokm_address_cooldowns_total'));
    expect(started).toBe(1);
    expect(await metric(0, 'hokm_addresses_cooled_down')).toBe(1);

    // Act: the cool-down passes.
    await sleep(COOLDOWN_SECONDS * 1000 + 300);

    // Assert: the whole budget is back, on both instances, and runs out again at the same count.
    const again: Array<string | undefined> = [];
    for (let n = 0; n < FAILURES; n++) {
      again.push(codeOf(await guessCode(hunters[n % hunters.length] as GameClient)));
    }
    expect(again).toEqual(Array.from({ length: FAILURES }, () => 'ROOM_NOT_FOUND'));
    expect(codeOf(await guessCode(hunters[1] as GameClient))).toBe('RATE_LIMITED');
    expect(logLines(/address cooled down/)).toHaveLength(2);
    // The seated player can still leave.
    expect(await seated.request('leave', {})).toEqual({ ok: true, data: {} });
  });
});

describe('new connections: a rate per address, shared by both instances', () => {
  it('refuses a flood at the handshake with its reason, and nobody else', async () => {
    // Arrange: a player of the flooding address, seated before the flood.
    const flooder = '127.0.0.20';
    const { host } = await waitingRoom(0, flooder);
    await sleep(1100);

    // Act: three times the rate at once, over both instances; another address meanwhile.
    const attempts = Array.from({ length: CONNECTIONS * 3 }, (_, n) =>
      connect(n % 2, flooder).then(
        () => null,
        (error: Error & { data?: unknown }) => error,
      ),
    );
    const bystander = connect(1, '127.0.0.21');
    const outcomes = await Promise.all(attempts);

    // Assert: the rate is admitted, the rest refused before joining, told why.
    const refusals = outcomes.filter((o) => o !== null);
    expect(outcomes.filter((o) => o === null)).toHaveLength(CONNECTIONS);
    expect(refusals).toHaveLength(CONNECTIONS * 2);
    for (const refusal of refusals) {
      expect(refusal.message).toMatch(/Too many new connections from your address/);
      expect(refusal.data).toEqual({ code: 'RATE_LIMITED', retryAfterMs: 1000 });
    }
    await expect(bystander).resolves.toBeInstanceOf(GameClient);
    // The seated player of that address is not touched.
    expect(codeOf(await host.request('get_state', {}))).toBeUndefined();
    const refused = 'hokm_address_limit_refusals_total{reason="connection_rate"}';
    expect((await metric(0, refused)) + (await metric(1, refused))).toBe(CONNECTIONS * 2);
    expect(
      logLines(/connection rate/).filter((l) => l.includes(`address=${flooder}`)),
    ).toHaveLength(1);

    // Act + Assert: a second later the address connects again.
    await sleep(1100);
    await expect(connect(1, flooder)).resolves.toBeInstanceOf(GameClient);
  });
});

describe('TRUST_PROXY: X-Forwarded-For believed only from the named proxy', () => {
  /** Spends the budget of whoever `options` make the client, then asks once more. */
  async function exhaust(from: string, headers?: Record<string, string>): Promise<void> {
    const client = await connect(0, from, headers ? { extraHeaders: headers } : {});
    for (let n = 0; n < FAILURES; n++)
      expect(codeOf(await guessCode(client))).toBe('ROOM_NOT_FOUND');
    expect(codeOf(await guessCode(client))).toBe('RATE_LIMITED');
  }

  it('ignores a forged header from any other address', async () => {
    const stranger = '127.0.0.30';
    await exhaust(stranger, { 'X-Forwarded-For': '203.0.113.50' });

    // A new forged address does not buy a new budget, on either instance.
    for (const i of [0, 1]) {
      const forged = await connect(i, stranger, {
        extraHeaders: { 'X-Forwarded-For': '203.0.113.51' },
      });
      expect(codeOf(await guessCode(forged))).toBe('RATE_LIMITED');
    }
    // The stranger's failures were not counted against the address it named: through the
    // proxy, that client still has its whole budget.
    const named = await connect(1, PROXY, { extraHeaders: { 'X-Forwarded-For': '203.0.113.50' } });
    expect(codeOf(await guessCode(named))).toBe('ROOM_NOT_FOUND');
  });

  it("counts the proxy's clients by the address it forwards, and not what they wrote themselves", async () => {
    await exhaust(PROXY, { 'X-Forwarded-For': '203.0.113.60' });

    // The same client through the proxy on the other instance, even if it prepends a header of
    // its own (the proxy appends the address it saw): still cooled down.
    const same = await connect(1, PROXY, {
      extraHeaders: { 'X-Forwarded-For': '198.51.100.1, 203.0.113.60' },
    });
    expect(codeOf(await guessCode(same))).toBe('RATE_LIMITED');
    // Another client of the proxy, and the proxy's own address, are served.
    const other = await connect(1, PROXY, { extraHeaders: { 'X-Forwarded-For': '203.0.113.61' } });
    expect(codeOf(await guessCode(other))).toBe('ROOM_NOT_FOUND');
    expect(codeOf(await guessCode(await connect(0, PROXY)))).toBe('ROOM_NOT_FOUND');
  });
});

describe('GET /api/matches/:id: the same budget as the sockets', () => {
  /** A match id lookup on instance `i` as `client`, through the proxy (fetch comes from 127.0.0.1). */
  const lookupMatch = (i: number, client: string) => {
    const matchId = randomBytes(16).toString('base64url');
    guessed.push(matchId);
    return fetch(`${instance(i).url}/api/matches/${matchId}`, {
      headers: { 'X-Forwarded-For': client },
    });
  };

  it('counts unknown match ids, then refuses lookups over HTTP and over sockets alike', async () => {
    // Act: the budget spent on match ids, over both instances.
    const statuses: number[] = [];
    for (let n = 0; n < FAILURES; n++)
      statuses.push((await lookupMatch(n % 2, '203.0.113.70')).status);

    // Assert: 404 until the budget is spent, then 429 RATE_LIMITED on both instances...
    expect(statuses).toEqual(Array.from({ length: FAILURES }, () => 404));
    for (const i of [0, 1]) {
      const refused = await lookupMatch(i, '203.0.113.70');
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await refused.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    }
    // ...and the same client's socket lookups are refused too; another client is served.
    const socket = await connect(1, PROXY, { extraHeaders: { 'X-Forwarded-For': '203.0.113.70' } });
    expect(codeOf(await guessCode(socket))).toBe('RATE_LIMITED');
    expect((await lookupMatch(0, '203.0.113.71')).status).toBe(404);
  });
});

describe('GET /api/rooms: a request budget per address and second, shared by both instances', () => {
  /** The public room list from instance `i` as `client`, through the proxy. */
  const list = (i: number, client: string) =>
    fetch(`${instance(i).url}/api/rooms`, { headers: { 'X-Forwarded-For': client } });

  it('refuses what is over the rate with its reason, serves everybody else, and again a second later', async () => {
    const flooder = '203.0.113.80';
    // Act: three times the rate at once, over both instances; another client meanwhile.
    const responses = await Promise.all(
      Array.from({ length: LISTINGS * 3 }, (_, n) => list(n % 2, flooder)),
    );
    const bystander = await list(1, '203.0.113.81');

    // Assert: the rate is served, the rest refused with 429 RATE_LIMITED and Retry-After.
    const served = responses.filter((r) => r.status === 200);
    const refused = responses.filter((r) => r.status !== 200);
    expect(served).toHaveLength(LISTINGS);
    expect(refused).toHaveLength(LISTINGS * 2);
    for (const response of refused) {
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(await response.json()).toEqual({
        error: {
          code: 'RATE_LIMITED',
          message: 'Too many room listings from your address; retry in a second.',
        },
      });
    }
    expect(await served[0]!.json()).toEqual({ rooms: expect.any(Array) });
    expect(bystander.status).toBe(200);
    const reason = 'hokm_address_limit_refusals_total{reason="listing_rate"}';
    expect((await metric(0, reason)) + (await metric(1, reason))).toBe(LISTINGS * 2);
    expect(
      logLines(/room-listing rate/).filter((l) => l.includes(`address=${flooder}`)),
    ).toHaveLength(1);

    // Act + Assert: a second later the address is served again.
    await sleep(1100);
    expect((await list(0, flooder)).status).toBe(200);
  });
});
