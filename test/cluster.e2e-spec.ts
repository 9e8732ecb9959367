// Redis Cluster end to end: the run's 3-master cluster, two app instances on it
// (REDIS_CLUSTER_NODES), players spread over both, for every store configuration; and bots.
// @redis-target cluster: the sharded adapter's channels and the cluster's own checks.
import { Redis } from 'ioredis';
import type { GameView } from '../src/protocol/hokm-protocol';
import { uniquePrefix } from './support/config';
import { startGameApp, type GameApp } from './support/game-app';
import { GameClient, MessageRecorder, playUntil } from './support/game-client';
import {
  ackedCards,
  allReach,
  gaps,
  loggedCards,
  playSpreadUntil,
  seatSpread,
  socketVersions,
} from './support/multi-instance';
import { REDIS_TARGET } from './support/redis-target';

/** Subscribers of a sharded channel, summed over every master (only its shard's owner counts). */
async function shardSubscribers(channel: string): Promise<number> {
  let total = 0;
  for (const node of REDIS_TARGET.nodes) {
    const redis = new Redis(node.port, node.host, { maxRetriesPerRequest: 1 });
    try {
      const reply = (await redis.call('PUBSUB', 'SHARDNUMSUB', channel)) as [string, number];
      total += Number(reply[1]);
    } finally {
      redis.disconnect();
    }
  }
  return total;
}

describe.each([
  ['async', { REDIS_PROVIDER: 'async' }, 'async'],
  ['hybrid', { REDIS_PROVIDER: 'hybrid' }, 'async+legacy'],
  [
    'hybrid with the async path off',
    { REDIS_PROVIDER: 'hybrid', REDIS_HYBRID_ASYNC: 'false' },
    'legacy',
  ],
])('on a Redis Cluster, provider %s', (_name, providerEnv, path) => {
  let apps: GameApp[] = [];
  const prefix = uniquePrefix('cluster');

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      apps.push(
        await startGameApp({
          ...providerEnv,
          REDIS_KEY_PREFIX: prefix,
        }),
      );
    }
  }, 30_000);

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close({ keepKeys: true })));
    apps = [];
    await REDIS_TARGET.cleanup(prefix);
  });

  it('plays two rooms at once to game_over, each room spread over both instances', async () => {
    // Both instances are ready on the cluster, with the configured store path, and both listen
    // on the sharded channel that carries pushes between them.
    for (const app of apps) {
      const health = (await (await fetch(`${app.url}/health`)).json()) as {
        status: string;
        info: { redis: { path: string } };
      };
      expect(health.status).toBe('ok');
      expect(health.info.redis.path).toBe(path);
    }
    expect(await shardSubscribers(`${prefix}socket.io#/game#`)).toBe(2);

    const instances = apps.map((a, i) => ({ label: `K${i}`, url: a.url }));
    const tables = await Promise.all(
      [1, 2].map((targetScore, r) =>
        seatSpread(instances, { targetScore, offset: r, label: `C${r}` }),
      ),
    );
    const finals = await Promise.all(
      tables.map((t) => playSpreadUntil(t, (v) => v.phase === 'game_over')),
    );
    await Promise.all(tables.map((t, i) => allReach(t.seats, (finals[i] as GameView).version)));

    for (const [i, table] of tables.entries()) {
      const final = finals[i] as GameView;
      for (const seat of table.seats) {
        expect(seat.client.state?.phase).toBe('game_over');
        expect(seat.client.state?.scores).toEqual(final.scores);
        expect(gaps(socketVersions(seat.client))).toEqual([]);
        expect(loggedCards(seat)).toEqual(ackedCards(table));
      }
      expect(ackedCards(table).length).toBeGreaterThanOrEqual(28);
      for (const seat of table.seats) seat.closeAll();
    }
    // Not one store operation failed on the configured path, and none needed the hybrid
    // fallback: the cluster served everything directly.
    for (const app of apps) {
      const metrics = (await (await fetch(`${app.url}/api/redis/metrics`)).json()) as {
        total_operations: number;
        total_errors: number;
        fallbacks: number;
      };
      expect(metrics.total_operations).toBeGreaterThan(0);
      expect({ errors: metrics.total_errors, fallbacks: metrics.fallbacks }).toEqual({
        errors: 0,
        fallbacks: 0,
      });
    }
  }, 60_000);

  it('bots added by the host finish a match with two people on different instances', async () => {
    const [a, b] = apps as [GameApp, GameApp];
    const host = await GameClient.connect(a.url, { recorder: new MessageRecorder('host@K0') });
    const guest = await GameClient.connect(b.url, { recorder: new MessageRecorder('guest@K1') });
    const { roomCode } = await host.ok('create_room', { name: 'Host', targetScore: 1 });
    await guest.ok('join', { roomCode, name: 'Guest' });
    // The host adds bots once they see the guest at the table, as a person would.
    await host.waitForState((v) => v.players.length === 2, { what: 'the guest at the table' });
    expect(await host.ok('add_bots', { count: 2 })).toEqual({ added: 2 });
    await Promise.all(
      [host, guest].map((c) =>
        // A bot hakem names the hokm at once: the match may be past hokm_selection already.
        c.waitForState((v) => v.phase !== 'waiting_for_players', { what: 'the match to start' }),
      ),
    );

    const final = await playUntil([host, guest], (v) => v.phase === 'game_over', {
      timeoutMs: 15_000,
    });
    await Promise.all(
      [host, guest].map((c) =>
        c.waitForState((v) => v.version >= final.version, { what: `the final v${final.version}` }),
      ),
    );

    for (const client of [host, guest]) {
      const view = client.state as GameView;
      expect(view.phase).toBe('game_over');
      expect(view.players.filter((p) => p.bot === true)).toHaveLength(2);
      expect(gaps(socketVersions(client))).toEqual([]);
    }
    // The bots really played: half the cards of every trick came from them.
    const bots = new Set(
      (host.state as GameView).players.filter((p) => p.bot === true).map((p) => p.playerId),
    );
    const botCards = host.pushes('card_played').filter((c) => bots.has(c.playerId));
    expect(botCards.length).toBeGreaterThanOrEqual(14);
    host.close();
    guest.close();
  }, 60_000);
});
