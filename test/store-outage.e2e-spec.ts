// Redis going away under a match: every request is answered SERVICE_UNAVAILABLE while it is down,
// and once it is back the room is exactly as it was and play goes on, under both store providers.
// @redis-target single: kills and restarts a redis-server of its own (Cluster outages: not here).
import type { Ack, ErrorCode } from '../src/protocol/hokm-protocol';
import { GameApp, startGameApp } from './support/game-app';
import { GameClient, seatTable } from './support/game-client';
import { RedisServerHandle, startRedisServer } from './support/redis-server';
import { waitFor } from './support/wait';

jest.setTimeout(30_000);

const PROVIDERS = ['async', 'hybrid'] as const;

async function expectCode(ack: Promise<Ack<unknown>>, code: ErrorCode): Promise<void> {
  const answer = await ack;
  expect(answer).toEqual({ ok: false, error: { code, message: expect.stringMatching(/\S/) } });
}

describe('store trouble (a private redis-server)', () => {
  let redis: RedisServerHandle;
  let app: GameApp;
  const open: GameClient[] = [];

  beforeEach(async () => {
    // An append-only file synced on every write: a killed server comes back with its data.
    redis = await startRedisServer(['--appendonly', 'yes', '--appendfsync', 'always']);
  });

  afterEach(async () => {
    for (const client of open.splice(0)) client.close();
    if (!redis.running) await redis.restart();
    await app?.close();
    await redis.stop();
  });

  it.each(PROVIDERS)(
    'SERVICE_UNAVAILABLE while Redis is down (REDIS_PROVIDER=%s); after it is back the room is as it was and play goes on',
    async (provider) => {
      app = await startGameApp({
        REDIS_URL: redis.url,
        REDIS_PROVIDER: provider,
        REDIS_LEGACY_TIMEOUT_MS: '300',
        REDIS_COMMAND_TIMEOUT_MS: '300',
        LOG_LEVEL: 'fatal',
      });
      const { clients } = await seatTable(app.url, { targetScore: 7 });
      open.push(...clients);
      const hakem = clients.find((c) => c.seat!.playerId === c.state!.hakem)!;
      const before = await hakem.ok('get_state', {});

      await redis.kill();

      await expectCode(hakem.request('get_state', {}), 'SERVICE_UNAVAILABLE');
      await expectCode(hakem.request('select_hokm', { suit: 'clubs' }), 'SERVICE_UNAVAILABLE');
      const newcomer = await GameClient.connect(app.url);
      open.push(newcomer);
      await expectCode(newcomer.request('create_room', { name: 'Later' }), 'SERVICE_UNAVAILABLE');

      await redis.restart();

      const after = await waitFor(
        'the store to answer again',
        async () => {
          const ack = await hakem.request('get_state', {});
          return ack.ok ? ack.data : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 100 },
      );
      expect(after).toEqual(before);
      await hakem.ok('select_hokm', { suit: 'clubs' });
      await Promise.all(clients.map((c) => c.waitForState((s) => s.hokm === 'clubs')));
    },
  );
});
