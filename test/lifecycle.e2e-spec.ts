// The process as an operator runs it: `node dist/main.js` (built by the e2e globalSetup) failing
// fast, refusing bad config, stopping cleanly on SIGTERM; and an app that leaves nothing behind and
// logs at its own LOG_LEVEL.
// @redis-target single: the process against missing, late and private redis-servers.
import { createServer, Socket } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import { PinoLogger } from 'nestjs-pino';
import request from 'supertest';
import { createApp } from '../src/bootstrap';
import { randomRoomCode, SHARED_REDIS_URL, testConfig, uniquePrefix } from './support/config';
import { waitingRoom } from './support/fixtures';
import { spawnMain } from './support/main-process';
import { freePort } from './support/ports';
import { cleanupPrefix } from './support/redis-keys';
import { RedisServerHandle, startRedisServer } from './support/redis-server';
import { KeySpace } from '../src/redis/keys';
import { GAME_STORE } from '../src/redis/redis.constants';
import type { GameStore } from '../src/redis/game-store';
import { sleep, waitFor } from './support/wait';

/** Active handles and requests by type, e.g. { TCPSocketWrap: 2, Timeout: 1 }. */
function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/** A TCP listener that accepts connections and never writes a byte: a Redis that hangs. */
function listenSilently(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.resume();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : 0,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

describe('lifecycle', () => {
  // First, before any child process of this file exists, so its pipes cannot blur the count.
  it('createApp(...).init() then close() leaves no socket, timer or other handle behind', async () => {
    const config = testConfig({ REDIS_PROVIDER: 'hybrid' });
    const before = activeResources();
    let app: INestApplication | undefined;
    try {
      app = await createApp(config);
      await app.init();
      const store = app.get<GameStore>(GAME_STORE);
      expect(await store.createRoom(randomRoomCode(), waitingRoom())).toBe(true);
      await request(app.getHttpServer()).get('/health').expect(200);
      // Both paths are connected while it runs.
      expect(activeResources().TCPSocketWrap ?? 0).toBeGreaterThanOrEqual(
        (before.TCPSocketWrap ?? 0) + 2,
      );
      await app.close();
      app = undefined;

      // A socket is released a tick after QUIT is answered: wait (bounded) for the counts to settle.
      const grown = () =>
        Object.entries(activeResources()).filter(([type, n]) => n > (before[type] ?? 0));
      await waitFor('handles to be released', () => grown().length === 0, {
        timeoutMs: 2_000,
        intervalMs: 20,
      }).catch(() => undefined);
      expect(grown()).toEqual([]);
    } finally {
      await app?.close();
      await cleanupPrefix(config.redis.url, config.redis.keyPrefix);
    }
  });

  // nestjs-pino makes one pino logger per process, for the first app: createApp sets its level.
  it('an app made after another in the same process logs at its own LOG_LEVEL', async () => {
    const apps: INestApplication[] = [];
    try {
      apps.push(await createApp(testConfig({ LOG_LEVEL: 'warn' })));
      apps.push(await createApp(testConfig({ LOG_LEVEL: 'fatal' })));
      const logger = (await apps[1]!.resolve(PinoLogger)).logger;
      expect(logger.level).toBe('fatal');
      expect(logger.isLevelEnabled('error')).toBe(false);
    } finally {
      for (const app of apps) await app.close();
    }
  });

  // Refused (retried until the deadline), or accepted and never answered (a hung host): either
  // way, out once the deadline has passed and within a second of it, naming the cause.
  it.each([
    { label: 'nothing listens on the port', silentListener: false },
    { label: 'a listener accepts but never answers', silentListener: true },
  ])(
    'when $label, `node dist/main.js` waits out the connect timeout, then exits non-zero with one clear last line',
    async ({ silentListener }) => {
      const silent = silentListener ? await listenSilently() : null;
      const port = silent?.port ?? (await freePort());
      const connectTimeoutMs = 1500;
      try {
        const main = spawnMain({
          REDIS_URL: `redis://127.0.0.1:${port}`,
          REDIS_CONNECT_TIMEOUT_MS: String(connectTimeoutMs),
          PORT: String(await freePort()),
          HOST: '127.0.0.1',
          LOG_LEVEL: 'log',
        });

        // Nest logs this before any module connects: the time until then is node's load time.
        const loaded = await main.waitForLine(/Starting Nest application/);
        const exit = await main.exited;

        expect(exit.code).not.toBe(0);
        expect(exit.code).not.toBeNull();
        const stderr = main.stderr().filter((line) => line.trim().length > 0);
        expect(stderr.at(-1)).toMatch(
          new RegExp(`^cannot reach Redis at redis://127\\.0\\.0\\.1:${port}: \\S`),
        );
        if (!silentListener) {
          // The real cause, not "Connection is closed.".
          expect(stderr.at(-1)).toMatch(
            new RegExp(`: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}$`),
          );
        }
        // The spec's budget is spawn-to-exit < 1500 ms + 1000 ms + node's load time; the load
        // time is measured (spawn to the line above), not guessed, so the bound is exactly that.
        expect(exit.atMs).toBeLessThan(loaded.atMs + connectTimeoutMs + 1000);
        // And it did not give up before the deadline (the line arrives a little after it is
        // written, hence the slack).
        expect(exit.atMs).toBeGreaterThan(loaded.atMs + connectTimeoutMs - 250);
      } finally {
        await silent?.close();
      }
    },
  );

  it.each(['async', 'hybrid'])(
    'REDIS_PROVIDER=%s: a server started before its Redis waits for it, and comes up healthy',
    async (provider) => {
      const redisPort = await freePort();
      const port = await freePort();
      const main = spawnMain({
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        REDIS_PROVIDER: provider,
        REDIS_CONNECT_TIMEOUT_MS: '15000',
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'log',
      });
      let redis: RedisServerHandle | undefined;
      try {
        await main.waitForLine(/Starting Nest application/);
        await sleep(2_000);
        expect(main.child.exitCode).toBeNull();
        redis = await startRedisServer([], { port: redisPort });

        await main.waitForLine(/listening on http:/, 20_000);
        const health = await request(`http://127.0.0.1:${port}`).get('/health').expect(200);

        expect(health.body).toMatchObject({ status: 'ok', info: { redis: { status: 'up' } } });
        expect(main.stderr().join('\n')).not.toMatch(/cannot reach Redis/);
        expect(await main.stop('SIGTERM')).toMatchObject({ code: 0 });
      } finally {
        await main.stop('SIGKILL');
        await redis?.stop();
      }
    },
  );

  it('a bad configuration exits non-zero with one line naming every bad variable', async () => {
    const main = spawnMain({ PORT: 'abc', REDIS_PROVIDER: 'sync', REDIS_URL: SHARED_REDIS_URL });
    const exit = await main.exited;

    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    const stderr = main.stderr().filter((line) => line.trim().length > 0);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(/PORT="abc"/);
    expect(stderr[0]).toMatch(/REDIS_PROVIDER="sync"/);
    expect(main.stdout().filter((line) => line.trim().length > 0)).toEqual([]);
  });

  it('SIGTERM to a running server that answered /health 200 stops it with exit code 0', async () => {
    const port = await freePort();
    const prefix = uniquePrefix();
    const main = spawnMain({
      REDIS_URL: SHARED_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'log',
    });
    try {
      await main.waitForLine(/listening on http:/);
      const health = await request(`http://127.0.0.1:${port}`).get('/health').expect(200);
      expect(health.body).toMatchObject({
        status: 'ok',
        info: { redis: { status: 'up', provider: 'async', path: 'async' } },
      });

      const exit = await main.stop('SIGTERM');

      expect(exit).toMatchObject({ code: 0, signal: null });
      const stdout = main.stdout().join('\n');
      expect(stdout).toMatch(/SIGTERM received/);
      expect(stdout).toMatch(/redis connections closed/);
      expect(main.stderr().filter((line) => line.trim().length > 0)).toEqual([]);
    } finally {
      await main.stop('SIGKILL');
      await cleanupPrefix(SHARED_REDIS_URL, prefix);
    }
  });

  it('the server after a cleanly stopped one drops its record without a warning', async () => {
    const prefix = uniquePrefix();
    const env = {
      REDIS_URL: SHARED_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'log',
      TIMER_POLL_MS: '100',
    };
    const live = new KeySpace(prefix).instances;
    const first = spawnMain({ ...env, PORT: String(await freePort()) });
    let next: ReturnType<typeof spawnMain> | undefined;
    const redis = new Redis(SHARED_REDIS_URL, { lazyConnect: true });
    try {
      const listening = await first.waitForLine(/listening on http:/);
      const firstId = /instanceId=(\S+)/.exec(listening.text)?.[1];
      expect(firstId).toBeDefined();
      // Stopped as soon as it says it listens: a graceful stop all the same.
      expect(await first.stop('SIGTERM')).toMatchObject({ code: 0 });
      // The stopped instance stays on record until another one finds it silent.
      expect(await redis.zscore(live, firstId!)).not.toBeNull();

      next = spawnMain({ ...env, PORT: String(await freePort()) });
      const dropped = await next.waitForLine(/a silent instance held no seats/, 15_000);

      expect(dropped.text).toContain(`instanceId=${firstId!}`);
      expect(dropped.text).toMatch(/\bLOG\b/);
      expect(await redis.zscore(live, firstId!)).toBeNull();
      expect(next.lines.map((line) => line.text).join('\n')).not.toMatch(/went silent|WARN/);
    } finally {
      await first.stop('SIGKILL');
      await next?.stop('SIGKILL');
      redis.disconnect();
      await cleanupPrefix(SHARED_REDIS_URL, prefix);
    }
  });
});
