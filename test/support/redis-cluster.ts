import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { startRedisServer, type RedisServerHandle } from './redis-server';
import { waitFor } from './wait';

const run = promisify(execFile);
const REDIS_CLI = process.env.REDIS_CLI_BIN ?? '/usr/bin/redis-cli';

/** A local Redis Cluster of this test's own: masters only, on free ports. */
export interface RedisClusterHandle {
  readonly nodes: Array<{ host: string; port: number }>;
  /** For REDIS_CLUSTER_NODES: `127.0.0.1:p1,127.0.0.1:p2,...` */
  readonly nodesEnv: string;
  stop(): Promise<void>;
}

/**
 * Starts `masters` redis-servers in cluster mode, joins them with `redis-cli --cluster create`
 * and waits until every node reports cluster_state:ok. Stop it in afterAll.
 */
export async function startRedisCluster(masters = 3): Promise<RedisClusterHandle> {
  const servers: RedisServerHandle[] = [];
  const stop = async () => {
    await Promise.all(servers.map((s) => s.stop()));
  };
  try {
    for (let i = 0; i < masters; i++) {
      servers.push(
        await startRedisServer([
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          'nodes.conf',
          '--cluster-node-timeout',
          '2000',
        ]),
      );
    }
    const addresses = servers.map((s) => `127.0.0.1:${s.port}`);
    await run(REDIS_CLI, [
      '--cluster',
      'create',
      ...addresses,
      '--cluster-replicas',
      '0',
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
    return {
      nodes: servers.map((s) => ({ host: '127.0.0.1', port: s.port })),
      nodesEnv: addresses.join(','),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
