// SIGTERM with SHUTDOWN_DRAIN_MS: readiness goes 503 at once while the instance keeps serving its
// sockets (a move is still acknowledged), and only after the drain are the clients told
// (`server_shutdown`) and closed; the process then exits 0.
// @redis-target single: the process's stop sequence, on the shared Redis.
import { SHARED_REDIS_URL, uniquePrefix } from './support/config';
import { seatTable } from './support/game-client';
import { spawnMain } from './support/main-process';
import { INSTANCE_DEFAULTS, waitUntilReady } from './support/multi-instance';
import { freePort } from './support/ports';
import { cleanupPrefix } from './support/redis-keys';
import { waitFor } from './support/wait';

const DRAIN_MS = 2000;
const prefix = uniquePrefix('drain');

afterAll(async () => {
  await cleanupPrefix(SHARED_REDIS_URL, prefix);
});

describe('SIGTERM with a drain period', () => {
  it('answers 503 on /health and still serves its players until the drain ends, then tells them and exits 0', async () => {
    // Arrange: one instance with a table seated on it.
    const port = await freePort();
    const main = spawnMain({
      ...INSTANCE_DEFAULTS,
      REDIS_URL: SHARED_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
      LOG_LEVEL: 'log',
      PORT: String(port),
    });
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitUntilReady({ label: 'A', url, port, process: main });
      const { clients, started } = await seatTable(url);
      const hakem = clients.find((c) => c.seat?.playerId === started[0]?.hakem);
      const told = clients.map((c) =>
        c.waitForPush('server_shutdown', () => true, { timeoutMs: 15_000 }),
      );

      // Act: SIGTERM, then the hakem names the hokm while the instance drains.
      const sigtermAt = performance.now();
      main.child.kill('SIGTERM');
      await waitFor(
        '/health to answer 503',
        async () => (await fetch(`${url}/health`)).status === 503,
        {
          timeoutMs: DRAIN_MS,
          intervalMs: 20,
        },
      );
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
      const ack = await hakem?.move();

      // Assert: the move was served during the drain; the clients were told only after it.
      expect(ack).toEqual({ ok: true, data: {} });
      expect(clients.every((c) => c.connected)).toBe(true);
      await Promise.all(told);
      expect(performance.now() - sigtermAt).toBeGreaterThanOrEqual(DRAIN_MS);
      await Promise.all(clients.map((c) => c.waitForDisconnect()));
      expect(await main.exited).toMatchObject({ code: 0, signal: null });
      expect(main.stdout().join('\n')).toMatch(/SIGTERM received: draining .*drainMs=2000/);
    } finally {
      await main.stop('SIGKILL');
    }
  });
});
