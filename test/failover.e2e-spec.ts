// A Redis master failover under live matches: a master, two replicas and three sentinels of the
// test's own, two instances finding the master through Sentinel only (REDIS_SENTINELS; their
// REDIS_URL points nowhere), one on the async path and one on the hybrid provider's legacy
// path, and the master SIGKILLed mid-hand. With REDIS_WAIT_REPLICAS=1 no acknowledged move is
// lost; with 0 the suite reports how many were (what the setting buys).
// @redis-target single: it starts its own replicated Redis with Sentinel, never the shared one.
import { uniquePrefix } from './support/config';
import {
  failoverSummary,
  playingOn,
  stopDrivers,
  tablesInPlay,
  type FailoverDriver,
} from './support/failover-play';
import { legalMove } from './support/game-client';
import { spawnInstances, type SpawnedInstance } from './support/multi-instance';
import { startSentinelSet, type SentinelSet } from './support/redis-sentinel';
import { waitFor } from './support/wait';

/** Tables playing through the failover (one more waits, for the stalled-replicas check). */
const TABLES = 3;
const BACK_WITHIN_MS = 30_000;

/** Polls every instance's /health until stopped: what a load balancer would have seen. */
function watchHealth(instances: readonly SpawnedInstance[]) {
  const seen = instances.map(() => [] as Array<{ at: number; status: number }>);
  let on = true;
  const polling = Promise.all(
    instances.map(async (instance, i) => {
      while (on) {
        const status = await fetch(`${instance.url}/health`, { signal: AbortSignal.timeout(1000) })
          .then((r) => r.status)
          .catch(() => 0);
        seen[i]!.push({ at: Date.now(), status });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }),
  );
  return {
    seen,
    async stop() {
      on = false;
      await polling;
    },
  };
}

/** ms from `since` until an instance answered 200 again after its last 503; null: no 503 seen. */
function healthBackAfter(seen: Array<{ at: number; status: number }>, since: number) {
  const after = seen.filter((s) => s.at >= since);
  const lastDown = after.map((s) => s.status).lastIndexOf(503);
  if (lastDown < 0) return null;
  const up = after.slice(lastDown).find((s) => s.status === 200);
  return up ? up.at - since : Infinity;
}

describe.each([
  ['1', true],
  ['0', false],
])('a master failover mid-hand with REDIS_WAIT_REPLICAS=%s', (waitReplicas, strict) => {
  let redis: SentinelSet | undefined;
  let instances: SpawnedInstance[] = [];
  const drivers: FailoverDriver[] = [];

  beforeAll(async () => {
    redis = await startSentinelSet({ replicas: 2, sentinels: 3 });
    const env = {
      ...redis.env,
      // Nothing listens there: every client must find the master through the sentinels.
      REDIS_URL: 'redis://127.0.0.1:1',
      REDIS_KEY_PREFIX: uniquePrefix('failover'),
      REDIS_WAIT_REPLICAS: waitReplicas,
      // The default liveness threshold, max(3 s, 10 x 500 ms), outlasts the failover (about 3 s):
      // with a shorter one the instances take each other for dead while Redis is away.
      TIMER_POLL_MS: '500',
    };
    const spawned = await Promise.allSettled([
      spawnInstances(1, env),
      spawnInstances(1, { ...env, REDIS_PROVIDER: 'hybrid', REDIS_HYBRID_ASYNC: 'false' }),
    ]);
    instances = spawned.flatMap((s) => (s.status === 'fulfilled' ? s.value : []));
    const failed = spawned.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    instances[1] = { ...instances[1]!, label: 'B' };
  }, 60_000);

  afterAll(async () => {
    await stopDrivers(drivers);
    await Promise.all(instances.map((i) => i.process.stop('SIGTERM')));
    await redis?.stop();
  }, 30_000);

  it('answers SERVICE_UNAVAILABLE and 503 while Redis fails over, is back by itself, and the matches finish', async () => {
    // Arrange: tables over both instances, each some cards into its first hand; the last one
    // (spare) then waits, for the stalled-replicas check after the failover.
    await tablesInPlay(instances, { count: TABLES + 1, label: 'F', firstCards: 3 }, drivers);
    const moving = drivers.slice(0, TABLES);
    const spare = drivers[TABLES]!;
    const sentinels = redis!;
    const oldMaster = await sentinels.master();

    // Act: the tables moving, then the master dies without a word.
    await playingOn(moving);
    const health = watchHealth(instances);
    const killedAt = Date.now();
    await oldMaster.server.kill();
    const newMaster = await sentinels.waitForFailover(oldMaster.server.port, 1);
    const promotedAfter = Date.now() - killedAt;
    // Back: every table has moved twice since its last refusal, and /health is 200 again.
    let backAt = Infinity;
    await waitFor(
      'every table moving again',
      () => {
        const backs = moving.map((d) => {
          const last = d.refusals.filter((r) => r.at > killedAt).at(-1);
          const after = last ? d.acked.filter((m) => m.at > last.at) : [];
          return after.length >= 2 ? after[0]!.at : null;
        });
        if (backs.some((b) => b === null)) return false;
        backAt = Math.max(...(backs as number[]));
        return true;
      },
      { timeoutMs: BACK_WITHIN_MS, intervalMs: 20 },
    );
    await waitFor(
      'every instance healthy again',
      () => health.seen.every((s) => healthBackAfter(s, killedAt) !== Infinity),
      { timeoutMs: BACK_WITHIN_MS, intervalMs: 50 },
    );
    await health.stop();
    await Promise.all(moving.map((d) => d.stop()));
    // A fresh read of every room: none went back behind a move it acknowledged.
    await Promise.all(drivers.map((d) => d.resync()));

    // Assert: the outage was seen as a request would see it, and it ended by itself in time.
    for (const d of moving) {
      const during = d.refusals.filter((r) => r.at > killedAt).map((r) => r.code);
      expect(during).toContain('SERVICE_UNAVAILABLE');
      expect(d.refusals.map((r) => r.code)).not.toContain('INTERNAL_ERROR');
    }
    expect(backAt - killedAt).toBeLessThan(BACK_WITHIN_MS);
    for (const seen of health.seen) {
      const backAfter = healthBackAfter(seen, killedAt);
      expect(backAfter).not.toBeNull();
      expect(backAfter).toBeLessThan(BACK_WITHIN_MS);
    }
    expect(newMaster).not.toBe(oldMaster.server.port);

    if (strict) {
      // With every replica of the new master stalled, a move is refused, never acknowledged.
      // First the failover ends everywhere (clients reconnect once more on +switch-master).
      const master = await sentinels.waitForSwitch();
      await waitFor(
        'every instance healthy after the switch',
        async () =>
          (await Promise.all(instances.map((i) => fetch(`${i.url}/health`)))).every(
            (r) => r.status === 200,
          ),
        { timeoutMs: BACK_WITHIN_MS, intervalMs: 50 },
      );
      const replicas = sentinels.nodes.filter((n) => n.server.running && n.server.port !== master);
      const view = spare.newest();
      const mover = spare.table.seats.find((s) => s.playerId === view.turn)!;
      const move = legalMove(mover.client.states.at(-1)!)!;
      for (const r of replicas) process.kill(r.pid, 'SIGSTOP');
      let ack;
      try {
        ack =
          move.event === 'select_hokm'
            ? await mover.client.request('select_hokm', move.payload)
            : await mover.client.request('play_card', move.payload);
      } finally {
        for (const r of replicas) process.kill(r.pid, 'SIGCONT');
      }
      expect(ack.ok ? 'ok' : ack.error.code).toBe('SERVICE_UNAVAILABLE');
      const metrics = await (await fetch(`${instances[mover.instance]!.url}/metrics`)).text();
      const waits = metrics.split('\n').filter((l) => l.startsWith('hokm_redis_wait_total'));
      expect(waits.join('\n')).toMatch(/outcome="short"\} [1-9]/);
      // Whether it landed unannounced or not, everyone reads the room before going on.
      await spare.resync();
    }

    // The matches finish (over the new master).
    await Promise.all(drivers.map((d) => d.start((v) => v.phase === 'game_over')));
    process.stdout.write(
      `failover with REDIS_WAIT_REPLICAS=${waitReplicas}: ${failoverSummary(drivers)}; ` +
        `a replica promoted ${promotedAfter} ms and every table moving ${backAt - killedAt} ms ` +
        `after the master's SIGKILL\n`,
    );
    for (const d of drivers) {
      expect(d.newest().phase).toBe('game_over');
      expect(d.appliedTwice()).toEqual([]);
      if (strict) expect(d.lost()).toEqual([]);
    }
  }, 90_000);
});
