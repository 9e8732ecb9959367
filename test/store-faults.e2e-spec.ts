// Redis faults, each on a private redis-server this file starts, kills and restarts (never the
// shared one): what the async provider reports, what the hybrid provider hides, and what /health
// tells an operator.
// @redis-target single: starts, kills and breaks redis-servers of its own.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import request from 'supertest';
import { StoreUnavailableError } from '../src/game-state/store-unavailable.error';
import type { PerformanceMetrics } from '../src/redis/game-store';
import { randomRoomCode, testConfig } from './support/config';
import { player, waitingRoom } from './support/fixtures';
import { AppContext, createAppContext, createStoreContext, StoreContext } from './support/nest';
import { clientNames } from './support/redis-keys';
import { RedisServerHandle, startRedisServer } from './support/redis-server';
import { sleep, waitFor } from './support/wait';

const countOf = (m: PerformanceMetrics, operation: string, path: string) =>
  m.operations.find((o) => o.operation === operation && o.path === path);

/** Busy-waits inside Redis for ARGV[1] ms: every other client's command queues behind it. */
const STALL_REDIS = `
local t = redis.call('TIME')
local start = t[1] * 1000000 + t[2]
repeat local n = redis.call('TIME') until (n[1] * 1000000 + n[2]) - start >= tonumber(ARGV[1]) * 1000
return 1
`;

describe('store faults (private redis-server)', () => {
  let server: RedisServerHandle;
  let ctx: StoreContext | AppContext | undefined;

  beforeEach(async () => {
    server = await startRedisServer();
  });

  afterEach(async () => {
    await ctx?.close({ keepKeys: !server.running });
    ctx = undefined;
    await server.stop();
  });

  it('async provider: with Redis gone, an operation rejects with StoreUnavailableError (SERVICE_UNAVAILABLE), and works again after a restart', async () => {
    const store = (ctx = await createStoreContext(testConfig({ REDIS_URL: server.url }))).store;
    const code = randomRoomCode();
    expect(await store.createRoom(code, waitingRoom())).toBe(true);

    await server.kill();

    const failure: unknown = await store.roomExists(code).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect(failure).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      operation: 'roomExists',
      path: 'async',
    });
    // What a client may be shown says nothing about keys or hosts.
    expect((failure as Error).message).not.toMatch(/127\.0\.0\.1|room:|\{/);
    const metrics = store.getPerformanceMetrics();
    expect(countOf(metrics, 'roomExists', 'async')?.errors).toBeGreaterThanOrEqual(1);
    expect(metrics.fallbacks).toBe(0);

    await server.restart();
    // The restarted server is empty (no persistence): the store answers again, and truthfully.
    expect(
      await waitFor('the async path to reconnect', () => store.roomExists(code).then(() => true), {
        timeoutMs: 10_000,
      }),
    ).toBe(true);
    expect(await store.createRoom(code, waitingRoom())).toBe(true);
  });

  it('hybrid: with its async connection gone, operations are served on the legacy path and counted as fallbacks', async () => {
    const app = (ctx = await createAppContext(
      testConfig({ REDIS_URL: server.url, REDIS_PROVIDER: 'hybrid' }),
    ));
    const code = randomRoomCode();
    expect(await app.store.createRoom(code, waitingRoom())).toBe(true);

    app.client('async').disconnect();

    expect(await app.store.addPlayerToRoom(code, player(0))).toBe(true);
    expect(await app.store.getRoomPlayers(code)).toEqual([player(0)]);
    // One write, applied once: create (v1) + the join (v2), whatever path served it.
    expect((await app.store.loadRoom(code))!.version).toBe(2);

    const res = await request(app.http).get('/api/redis/metrics').expect(200);
    const metrics = res.body as PerformanceMetrics;
    expect(metrics).toMatchObject({ provider: 'hybrid', path: 'async+legacy' });
    expect(metrics.fallbacks).toBe(3);
    expect(countOf(metrics, 'addPlayerToRoom', 'legacy')).toMatchObject({ count: 1, errors: 0 });
    expect(countOf(metrics, 'addPlayerToRoom', 'async')).toMatchObject({ errors: 1 });
    expect(countOf(metrics, 'createRoom', 'async')).toMatchObject({ count: 1, errors: 0 });
    expect(countOf(metrics, 'createRoom', 'legacy')).toBeUndefined();

    const prometheus = await request(app.http).get('/metrics').expect(200);
    expect(prometheus.text).toMatch(
      /^hokm_redis_fallbacks_total\{operation="addPlayerToRoom"\} 1$/m,
    );
    expect(prometheus.text).toMatch(
      /^hokm_redis_provider_info\{provider="hybrid",path="async\+legacy"\} 1$/m,
    );

    // Readiness stays green: the legacy path answers the health PING.
    const health = await request(app.http).get('/health').expect(200);
    expect(health.body.info.redis).toMatchObject({
      status: 'up',
      provider: 'hybrid',
      path: 'async+legacy',
    });
  });

  it('hybrid: a write that landed on the async path but timed out is recognised on the legacy retry, not applied twice', async () => {
    const { store, config } = (ctx = await createStoreContext(
      testConfig({
        REDIS_URL: server.url,
        REDIS_PROVIDER: 'hybrid',
        REDIS_COMMAND_TIMEOUT_MS: '100',
      }),
    ));
    const code = randomRoomCode();
    expect(await store.createRoom(code, waitingRoom())).toBe(true);
    const staller = new Redis(config.redis.url);
    try {
      // Redis stalls 600 ms: the async path gives up after 100 ms while its write is queued,
      // the legacy retry (2 s deadline) queues behind it; then both run, in that order.
      const stall = staller.eval(STALL_REDIS, 0, 600);
      await sleep(50);
      const result = await store.commitRoom(code, 1, { upsertPlayers: [player(1)] }, randomUUID());
      await stall;

      expect(result).toEqual({ status: 'committed', version: 2 });
      const room = (await store.loadRoom(code))!;
      expect(room.version).toBe(2);
      expect(room.players).toEqual([player(1)]);
      const metrics = store.getPerformanceMetrics();
      expect(metrics.fallbacks).toBe(1);
      expect(countOf(metrics, 'commitRoom', 'async')).toMatchObject({ errors: 1 });
      expect(countOf(metrics, 'commitRoom', 'legacy')).toMatchObject({ count: 1, errors: 0 });
    } finally {
      await staller.quit();
    }
  });

  it('hybrid with REDIS_HYBRID_ASYNC=false: only the legacy connection exists and it serves everything', async () => {
    const { store, config } = (ctx = await createStoreContext(
      testConfig({ REDIS_URL: server.url, REDIS_PROVIDER: 'hybrid', REDIS_HYBRID_ASYNC: 'false' }),
    ));
    const observer = new Redis(config.redis.url);
    try {
      const names = await clientNames(observer);
      expect(names).toContain('hokm:hybrid:legacy');
      expect(names).not.toContain('hokm:hybrid:async');
      expect(names.filter((n) => n.startsWith('hokm:'))).toEqual(['hokm:hybrid:legacy']);
    } finally {
      await observer.quit();
    }

    const code = randomRoomCode();
    await store.createRoom(code, waitingRoom());
    await store.addPlayerToRoom(code, player(0));
    await store.getRoomPlayers(code);
    await store.commitRoom(code, 2, { meta: { phase: 'hokm_selection' } }, randomUUID());
    await store.loadRoom(code);
    await store.savePlayerSession(randomUUID(), { roomCode: code, playerId: 'p0' });
    await store.getActiveRooms();
    await store.ping(500);

    const metrics = store.getPerformanceMetrics();
    expect(metrics).toMatchObject({
      provider: 'hybrid',
      path: 'legacy',
      fallbacks: 0,
      total_errors: 0,
    });
    expect(metrics.operations.map((o) => o.path)).toEqual(metrics.operations.map(() => 'legacy'));
    expect(metrics.operations.map((o) => o.operation).sort()).toEqual(
      [
        'addPlayerToRoom',
        'commitRoom',
        'createRoom',
        'getActiveRooms',
        'getRoomPlayers',
        'loadRoom',
        'ping',
        'savePlayerSession',
      ].sort(),
    );
    expect(metrics.total_operations).toBe(8);
  });

  it.each([
    { label: 'async', env: { REDIS_PROVIDER: 'async' } },
    { label: 'hybrid', env: { REDIS_PROVIDER: 'hybrid' } },
  ])('$label: shutting down while Redis is down still completes', async ({ env }) => {
    const context = (ctx = await createStoreContext(testConfig({ REDIS_URL: server.url, ...env })));
    await server.kill();

    await context.close({ keepKeys: true });

    await expect(context.store.roomExists(randomRoomCode())).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
  });

  describe.each([
    { label: 'async', env: { REDIS_PROVIDER: 'async' }, provider: 'async', path: 'async' },
    {
      label: 'hybrid',
      env: { REDIS_PROVIDER: 'hybrid' },
      provider: 'hybrid',
      path: 'async+legacy',
    },
    {
      label: 'hybrid rollback',
      env: { REDIS_PROVIDER: 'hybrid', REDIS_HYBRID_ASYNC: 'false' },
      provider: 'hybrid',
      path: 'legacy',
    },
  ])('/health ($label)', ({ env, provider, path }) => {
    it('is 200 naming provider and path, 503 while Redis is down, 200 again after it is back', async () => {
      const app = (ctx = await createAppContext(testConfig({ REDIS_URL: server.url, ...env })));
      const up = await request(app.http).get('/health').expect(200);
      expect(up.body).toMatchObject({
        status: 'ok',
        info: { redis: { status: 'up', provider, path } },
      });

      await server.kill();

      const down = await waitFor(
        '/health to answer 503',
        async () => {
          const res = await request(app.http).get('/health');
          return res.status === 503 ? res : undefined;
        },
        { timeoutMs: 5_000 },
      );
      expect(down.body).toMatchObject({
        status: 'error',
        error: { redis: { status: 'down', provider, path } },
      });
      expect(JSON.stringify(down.body)).not.toContain(server.url);
      // Liveness is not readiness: the process is alive even while Redis is not.
      await request(app.http).get('/health/live').expect(200);

      await server.restart();

      const back = await waitFor(
        '/health to answer 200 after the restart',
        async () => {
          const res = await request(app.http).get('/health');
          return res.status === 200 ? res : undefined;
        },
        { timeoutMs: 10_000, intervalMs: 100 },
      );
      expect(back.body).toMatchObject({
        status: 'ok',
        info: { redis: { status: 'up', provider, path } },
      });
      expect(await app.store.createRoom(randomRoomCode(), waitingRoom())).toBe(true);
    });
  });
});
