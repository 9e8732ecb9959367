// A Redis Cluster master failover under live matches: a cluster of the test's own (three masters,
// a replica of each), two instances on it (REDIS_CLUSTER_NODES), and the master that serves the
// first table's room SIGKILLed mid-hand. Its replica takes the slots over and the matches go on
// to their end by themselves. Replication is asynchronous (REDIS_WAIT_REPLICAS is not available
// on a Cluster), so the suite reports, not forbids, acknowledged moves lost in that window; none
// is ever applied twice.
// @redis-target single: it starts its own Redis Cluster with replicas, never the shared one.
import { uniquePrefix } from './support/config';
import {
  failoverSummary,
  playingOn,
  stopDrivers,
  tablesInPlay,
  type FailoverDriver,
} from './support/failover-play';
import { outputTail, spawnInstances, type SpawnedInstance } from './support/multi-instance';
import {
  masterOf,
  startRedisCluster,
  waitForFailover,
  type RedisClusterHandle,
} from './support/redis-cluster';
import { waitFor } from './support/wait';

const TABLES = 3;
const BACK_WITHIN_MS = 30_000;

describe('a Redis Cluster master failover mid-hand', () => {
  let cluster: RedisClusterHandle | undefined;
  let instances: SpawnedInstance[] = [];
  const drivers: FailoverDriver[] = [];

  beforeAll(async () => {
    cluster = await startRedisCluster(3, 1);
    instances = await spawnInstances(2, {
      REDIS_CLUSTER_NODES: cluster.nodesEnv,
      REDIS_KEY_PREFIX: uniquePrefix('cluster-failover'),
      // The default liveness threshold, max(3 s, 10 x 500 ms), outlasts the failover (2-4 s
      // with the cluster's 2 s node timeout): the instances do not take each other for dead.
      TIMER_POLL_MS: '500',
    });
  }, 60_000);

  afterAll(async () => {
    await stopDrivers(drivers);
    await Promise.all(instances.map((i) => i.process.stop('SIGTERM')));
    await cluster?.stop();
  }, 30_000);

  it('a replica takes the slots over, the table on the dead master moves again by itself, and every match finishes', async () => {
    await tablesInPlay(instances, { count: TABLES, label: 'C', firstCards: 3 }, drivers);
    await playingOn(drivers);

    // The master of the first table's room (its keys share the room code's hash tag) dies
    // mid-match; the other tables may be on other masters and play on meanwhile.
    const stranded = drivers[0]!;
    const roomTag = `{${stranded.table.roomCode}}`;
    const servers = cluster!.servers;
    const victimPort = await masterOf(roomTag, servers[0]!.port);
    const victim = servers.find((s) => s.port === victimPort)!;
    const witness = servers.find((s) => s.port !== victimPort)!;
    expect(stranded.newest().phase).not.toBe('game_over');
    const killedAt = Date.now();
    await victim.kill();
    const newMaster = await waitForFailover(victimPort, witness.port, roomTag);
    const promotedAfter = Date.now() - killedAt;

    // Back: the stranded table has moved twice since its last refusal (or since the kill).
    const back = await waitFor(
      'the table on the dead master moving again',
      () => {
        const since = stranded.refusals.filter((r) => r.at > killedAt).at(-1)?.at ?? killedAt;
        const after = stranded.acked.filter((m) => m.at > since);
        return after.length >= 2 ? after[0]!.at - killedAt : undefined;
      },
      { timeoutMs: BACK_WITHIN_MS, intervalMs: 20 },
    ).catch((error: Error) => {
      // What the stranded table and the instances went through, in the failure's message.
      throw new Error(
        `${error.message}\nreplica promoted ${promotedAfter} ms after the kill\n` +
          `${stranded.describe(killedAt)}\n${outputTail(instances)}`,
      );
    });
    await Promise.all(drivers.map((d) => d.stop()));
    // A fresh read of every room: which acknowledged moves, if any, it lost.
    await Promise.all(drivers.map((d) => d.resync()));

    expect(newMaster).not.toBe(victimPort);
    for (const d of drivers) expect(d.refusals.map((r) => r.code)).not.toContain('INTERNAL_ERROR');

    // The matches finish, over the promoted replica.
    await Promise.all(drivers.map((d) => d.start((v) => v.phase === 'game_over')));
    process.stdout.write(
      `cluster failover: ${failoverSummary(drivers)}; a replica promoted ${promotedAfter} ms ` +
        `and the table on it moving again ${back} ms after the master's SIGKILL\n`,
    );
    for (const d of drivers) {
      expect(d.newest().phase).toBe('game_over');
      expect(d.appliedTwice()).toEqual([]);
    }
  }, 120_000);
});
