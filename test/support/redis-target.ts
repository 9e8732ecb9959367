// The Redis an e2e suite runs on, chosen per jest project (jest.config.js): `single`, the shared
// Redis at REDIS_URL (each run under its own key prefix), or `cluster`, the 3-master Redis Cluster
// the e2e-cluster project starts once per jest run (cluster-global-setup.ts). The suites are the
// same files in both projects; the helpers (testConfig, startGameApp, spawnInstances) put the app
// on the target unless a test names its own Redis.
import { Cluster, Redis } from 'ioredis';
import { cleanupClusterPrefix, cleanupPrefix } from './redis-keys';
import { startRedisCluster } from './redis-cluster';
import { startRedisServer } from './redis-server';

export type RedisTargetKind = 'single' | 'cluster';

/** `host:port,...` of the run's cluster, set by the e2e-cluster project's globalSetup. */
export const CLUSTER_NODES_ENV = 'TEST_REDIS_CLUSTER_NODES';

/** The jest `globals` entry a project sets to pick its target (see jest.config.js). */
const TARGET_GLOBAL = '__REDIS_TARGET__';

/** The shared Redis every non-destructive single-Redis test talks to. */
export const SHARED_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface RedisNode {
  host: string;
  port: number;
}

export interface RedisTarget {
  readonly kind: RedisTargetKind;
  /** For test names and messages: `one Redis` or `a Redis Cluster (3 masters)`. */
  readonly label: string;
  /** What an app or a spawned `node dist/main.js` needs to run on it. */
  readonly env: Readonly<Record<string, string>>;
  /** The cluster's masters (cluster only; empty on one Redis). */
  readonly nodes: readonly RedisNode[];
  /** Deletes every key under `prefix` on the target (SCAN + UNLINK, never FLUSHALL). */
  cleanup(prefix: string): Promise<number>;
  /** A client of the target (a Cluster client on the cluster), for a test's own reads. */
  connect(): Redis | Cluster;
}

function parseNodes(value: string): RedisNode[] {
  return value
    .split(',')
    .filter((n) => n.trim().length > 0)
    .map((n) => {
      const i = n.lastIndexOf(':');
      return { host: n.slice(0, i).trim(), port: Number(n.slice(i + 1)) };
    });
}

function singleTarget(): RedisTarget {
  return {
    kind: 'single',
    label: 'one Redis',
    env: { REDIS_URL: SHARED_REDIS_URL },
    nodes: [],
    cleanup: (prefix) => cleanupPrefix(SHARED_REDIS_URL, prefix),
    connect: () => new Redis(SHARED_REDIS_URL, { maxRetriesPerRequest: 1 }),
  };
}

function clusterTarget(): RedisTarget {
  const nodesEnv = process.env[CLUSTER_NODES_ENV];
  if (!nodesEnv) {
    throw new Error(
      `the cluster target needs ${CLUSTER_NODES_ENV}: run the suite in the e2e-cluster project, whose globalSetup starts the cluster`,
    );
  }
  const nodes = parseNodes(nodesEnv);
  return {
    kind: 'cluster',
    label: `a Redis Cluster (${nodes.length} masters)`,
    env: { REDIS_CLUSTER_NODES: nodesEnv },
    nodes,
    cleanup: (prefix) => cleanupClusterPrefix(nodes, prefix),
    connect: () => new Cluster(nodes, { redisOptions: { maxRetriesPerRequest: 1 } }),
  };
}

/** The target of the running jest project (`single` outside one that sets it). */
export function currentTargetKind(): RedisTargetKind {
  const chosen = (globalThis as Record<string, unknown>)[TARGET_GLOBAL];
  if (chosen === undefined || chosen === 'single') return 'single';
  if (chosen === 'cluster') return 'cluster';
  throw new Error(`unknown Redis target ${JSON.stringify(chosen)} (jest globals ${TARGET_GLOBAL})`);
}

/** The Redis this suite runs on. */
export const REDIS_TARGET: RedisTarget =
  currentTargetKind() === 'cluster' ? clusterTarget() : singleTarget();

/**
 * `overrides` on the target: the target's env under them, unless they name a Redis themselves
 * (REDIS_URL or REDIS_CLUSTER_NODES present, even as undefined): a test with its own
 * redis-server keeps exactly that server, whatever the project.
 */
export function onTarget<T extends string | undefined>(
  overrides: Record<string, T>,
): Record<string, string | T> {
  if ('REDIS_URL' in overrides || 'REDIS_CLUSTER_NODES' in overrides) return overrides;
  return { ...REDIS_TARGET.env, ...overrides };
}

/** A Redis of the target's kind that only this test uses: for tests that stall or break it. */
export interface PrivateRedis {
  readonly kind: RedisTargetKind;
  /** REDIS_URL of a private redis-server, or REDIS_CLUSTER_NODES of a private cluster. */
  readonly env: Readonly<Record<string, string>>;
  /** `CLIENT PAUSE <ms> ALL` on every node: every command of every client waits. */
  pauseClients(ms: number): Promise<void>;
  stop(): Promise<void>;
}

async function onEachNode(nodes: readonly RedisNode[], command: string[]): Promise<void> {
  await Promise.all(
    nodes.map(async ({ host, port }) => {
      const redis = new Redis(port, host, { maxRetriesPerRequest: 1 });
      try {
        await redis.call(command[0] as string, ...command.slice(1));
      } finally {
        redis.disconnect();
      }
    }),
  );
}

/**
 * Starts a Redis of the current target's kind for this test alone: a redis-server on one Redis,
 * a 3-master cluster on the cluster target. Stop it in afterAll.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  if (REDIS_TARGET.kind === 'cluster') {
    const cluster = await startRedisCluster(3);
    return {
      kind: 'cluster',
      env: { REDIS_CLUSTER_NODES: cluster.nodesEnv },
      pauseClients: (ms) => onEachNode(cluster.nodes, ['CLIENT', 'PAUSE', String(ms), 'ALL']),
      stop: () => cluster.stop(),
    };
  }
  const server = await startRedisServer();
  return {
    kind: 'single',
    env: { REDIS_URL: server.url },
    pauseClients: (ms) =>
      onEachNode(
        [{ host: '127.0.0.1', port: server.port }],
        ['CLIENT', 'PAUSE', String(ms), 'ALL'],
      ),
    stop: () => server.stop(),
  };
}
