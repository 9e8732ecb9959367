import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { startRedisServer, type RedisServerHandle } from './redis-server';
import { sleep, waitFor } from './wait';

const run = promisify(execFile);
const REDIS_CLI = process.env.REDIS_CLI_BIN ?? '/usr/bin/redis-cli';

/** A local Redis Cluster of this test's own, on free ports. */
export interface RedisClusterHandle {
  readonly nodes: Array<{ host: string; port: number }>;
  /** For REDIS_CLUSTER_NODES: `127.0.0.1:p1,127.0.0.1:p2,...` */
  readonly nodesEnv: string;
  /** Every node's server, masters and replicas, to kill one. */
  readonly servers: readonly RedisServerHandle[];
  stop(): Promise<void>;
}

/**
 * Starts `masters` redis-servers in cluster mode (and `replicasPerMaster` replicas of each),
 * joins them with `redis-cli --cluster create` and waits until every node reports
 * cluster_state:ok and every replica is in sync with its master. Stop it in afterAll.
 */
export async function startRedisCluster(
  masters = 3,
  replicasPerMaster = 0,
): Promise<RedisClusterHandle> {
  const servers: RedisServerHandle[] = [];
  const stop = async () => {
    await Promise.all(servers.map((s) => s.stop()));
  };
  try {
    for (let i = 0; i < masters * (1 + replicasPerMaster); i++) {
      servers.push(
        await startRedisServer([
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          'nodes.conf',
          '--cluster-node-timeout',
          '2000',
          // A replica's first sync at once (the default waits 5 s for more replicas to come).
          '--repl-diskless-sync-delay',
          '0',
        ]),
      );
    }
    const addresses = servers.map((s) => `127.0.0.1:${s.port}`);
    await run(REDIS_CLI, [
      '--cluster',
      'create',
      ...addresses,
      '--cluster-replicas',
      String(replicasPerMaster),
      '--cluster-yes',
    ]);
    for (const server of servers) {
      const redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
      try {
        await waitFor(
          `cluster_state:ok on ${server.port}`,
          async () => (await redis.cluster('INFO')).includes('cluster_state:ok'),
          { timeoutMs: 15_000, intervalMs: 100 },
        );
      } finally {
        redis.disconnect();
      }
    }
    // A replica that has not synced yet could not take its master's place.
    const clients = servers.map((server) => new Redis(server.url, { maxRetriesPerRequest: 1 }));
    try {
      await waitFor(
        `${masters * replicasPerMaster} replicas in sync`,
        async () => {
          const infos = await Promise.all(clients.map((c) => c.info('replication')));
          const synced = infos.filter((info) => info.includes('master_link_status:up'));
          return synced.length === masters * replicasPerMaster;
        },
        { timeoutMs: 15_000, intervalMs: 100 },
      );
    } finally {
      for (const client of clients) client.disconnect();
    }
    return {
      nodes: servers.map((s) => ({ host: '127.0.0.1', port: s.port })),
      nodesEnv: addresses.join(','),
      servers,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** One line of CLUSTER NODES: the node's port, whether it is a master, failed, and its slots. */
interface NodeLine {
  port: number;
  master: boolean;
  failed: boolean;
  slots: Array<[number, number]>;
}

function clusterNodes(text: string): NodeLine[] {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [, address, flags, , , , , , ...slots] = line.split(' ');
      return {
        port: Number(/:(\d+)@/.exec(address ?? '')?.[1]),
        master: (flags ?? '').includes('master'),
        failed: /\bfail\b/.test(flags ?? ''),
        slots: slots
          .filter((s) => /^\d/.test(s))
          .map((s) => s.split('-').map(Number))
          .map(([a, b]) => [a!, b ?? a!] as [number, number]),
      };
    });
}

/** The port of the master serving `key`'s slot, as the node behind `redis` sees the cluster. */
async function masterSeenBy(redis: Redis, key: string): Promise<number> {
  const slot = await redis.cluster('KEYSLOT', key);
  const master = clusterNodes(String(await redis.cluster('NODES'))).find(
    (n) => n.master && !n.failed && n.slots.some(([a, b]) => slot >= a && slot <= b),
  );
  if (!master) throw new Error(`no master serves slot ${slot}`);
  return master.port;
}

/** The port of the master that serves `key`'s slot now, as node `askPort` sees the cluster. */
export async function masterOf(key: string, askPort: number): Promise<number> {
  const redis = new Redis(askPort, '127.0.0.1', { maxRetriesPerRequest: 1 });
  try {
    return await masterSeenBy(redis, key);
  } finally {
    redis.disconnect();
  }
}

/**
 * Waits until node `askPort` sees the dead master `deadPort` replaced: another master serves
 * `key`'s slot and the cluster is ok again. Answers the new master's port.
 */
export async function waitForFailover(deadPort: number, askPort: number, key: string) {
  const redis = new Redis(askPort, '127.0.0.1', { maxRetriesPerRequest: 1 });
  try {
    return await waitFor(
      `a replica promoted in place of ${deadPort}`,
      async () => {
        if (!String(await redis.cluster('INFO')).includes('cluster_state:ok')) return undefined;
        const port = await masterSeenBy(redis, key);
        return port !== deadPort ? port : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
  } finally {
    redis.disconnect();
  }
}

/**
 * Moves `key`'s slot from the master on `fromPort` to the one on `toPort` as
 * `redis-cli --cluster reshard` does: the target importing, the source migrating, the keys moved
 * `batch` at a time with MIGRATE (`pauseMs` after each batch, so that clients meet the slot half
 * moved: ASK redirections, TRYAGAIN for a script whose keys are split), then the slot's new owner
 * told to every master of `masterPorts`. Answers the number of keys moved.
 */
export async function migrateSlot(
  fromPort: number,
  toPort: number,
  key: string,
  masterPorts: readonly number[],
  { batch = 1, pauseMs = 0 }: { batch?: number; pauseMs?: number } = {},
): Promise<number> {
  const connect = (port: number) => new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1 });
  const source = connect(fromPort);
  const target = connect(toPort);
  const others = masterPorts.filter((p) => p !== fromPort && p !== toPort).map(connect);
  try {
    const slot = await source.cluster('KEYSLOT', key);
    const sourceId = String(await source.cluster('MYID'));
    const targetId = String(await target.cluster('MYID'));
    await target.cluster('SETSLOT', slot, 'IMPORTING', sourceId);
    await source.cluster('SETSLOT', slot, 'MIGRATING', targetId);
    let moved = 0;
    for (;;) {
      const keys = await source.cluster('GETKEYSINSLOT', slot, batch);
      if (keys.length === 0) break;
      await source.call('MIGRATE', '127.0.0.1', toPort, '', 0, 5000, 'KEYS', ...keys);
      moved += keys.length;
      if (pauseMs > 0) await sleep(pauseMs);
    }
    // The target first, then the source, then the rest (the order redis-cli uses).
    for (const node of [target, source, ...others]) {
      await node.cluster('SETSLOT', slot, 'NODE', targetId);
    }
    return moved;
  } finally {
    for (const node of [source, target, ...others]) node.disconnect();
  }
}
