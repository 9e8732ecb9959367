import { Logger, Provider } from '@nestjs/common';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';
import { STORE_CLIENTS } from './redis.constants';
import { standaloneRedis } from './turn-pipelined-redis';

/** A standalone (or Sentinel-found) Redis, or a Cluster. */
export type RedisClient = Redis | Cluster;
/** The two paths to Redis: async (pooled, pipelined) and legacy (pre-migration behaviour). */
export type PathName = 'async' | 'legacy';
/** The store's clients by path: only the paths the configuration uses (see pathsFor). */
export type StoreClients = ReadonlyMap<PathName, RedisClient>;

/** Reconnect with backoff after boot (boot itself waits in waitUntilReady). */
const retryStrategy = (attempt: number) => Math.min(100 * 2 ** Math.min(attempt, 5), 2000);

/** Redacts a password from a Redis URL before it is printed. */
export function describeRedis(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}

const listNodes = (nodes: ReadonlyArray<{ host: string; port: number }>) =>
  nodes.map((n) => `${n.host}:${n.port}`).join(',');

/** Where the configuration finds Redis, for log lines: Cluster seeds, Sentinel group, or URL. */
export function describeTarget(config: AppConfig): string {
  const { clusterNodes, sentinel, url } = config.redis;
  if (clusterNodes) return `cluster ${listNodes(clusterNodes)}`;
  if (sentinel) return `sentinel ${sentinel.name}@${listNodes(sentinel.nodes)}`;
  return describeRedis(url);
}

/**
 * With REDIS_SENTINELS: the master is asked of the sentinels at every (re)connect, and only a
 * node that says it is a master is used, so a client follows a failover by itself.
 */
export function sentinelOptions(config: AppConfig): RedisOptions {
  const sentinel = config.redis.sentinel;
  if (!sentinel) return {};
  return {
    sentinels: sentinel.nodes.map(({ host, port }) => ({ host, port })),
    name: sentinel.name,
    sentinelCommandTimeout: config.redis.commandTimeoutMs,
    // A +switch-master from any sentinel drops the connection at once, even to a master that
    // is still up (demoted, or cut off): the reconnect asks the sentinels again.
    failoverDetector: true,
    // A master demoted under an open connection answers writes READONLY: reconnect (to the
    // master the sentinels name now) and fail that command, which the caller may retry.
    reconnectOnError: (error) => (/^READONLY\b/.test(error.message) ? 1 : false),
  };
}

/** The paths a configuration connects: the rollback switch leaves the async path unconnected. */
export function pathsFor(config: AppConfig): PathName[] {
  if (config.redis.provider === 'async') return ['async'];
  return config.redis.hybridAsync ? ['async', 'legacy'] : ['legacy'];
}

/** What CLIENT LIST shows for a path: `hokm:async`, `hokm:hybrid:async`, `hokm:hybrid:legacy`. */
export function connectionName(config: AppConfig, path: PathName): string {
  return config.redis.provider === 'async' ? 'hokm:async' : `hokm:hybrid:${path}`;
}

/**
 * The async path's per-command timeout. With REDIS_WAIT_REPLICAS a command may queue behind a
 * WAIT on its connection (Redis serves a blocked client's next commands only after it), so the
 * WAIT's own timeout comes on top: a stalled replica answers as a shortfall, not a timeout.
 */
export function commandBudgetMs(config: AppConfig): number {
  const { commandTimeoutMs, waitReplicas, waitTimeoutMs } = config.redis;
  return waitReplicas > 0 ? commandTimeoutMs + waitTimeoutMs : commandTimeoutMs;
}

/** ioredis options of one path. The connection name shows in CLIENT LIST (provider and path). */
export function redisOptionsFor(config: AppConfig, path: PathName): RedisOptions {
  const base: RedisOptions = {
    lazyConnect: true,
    connectionName: connectionName(config, path),
    // A command while disconnected fails at once (and may fall back) rather than queueing.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    connectTimeout: config.redis.connectTimeoutMs,
    retryStrategy,
    ...sentinelOptions(config),
  };
  if (path === 'async') {
    // Pipelined without auto-pipelining: a turn's commands leave in one write (TurnPipelinedRedis,
    // see createStoreClient). A Cluster does not pipeline (clusterOptionsFor).
    return {
      ...base,
      enableAutoPipelining: false,
      commandTimeout: commandBudgetMs(config),
    };
  }
  // The pre-migration behaviour: no pipelining; the 2 s per-call deadline is the runner's.
  return { ...base, enableAutoPipelining: false };
}

/** ioredis Cluster options of one path, when REDIS_CLUSTER_NODES is set. */
export function clusterOptionsFor(config: AppConfig, path: PathName): ClusterOptions {
  const { lazyConnect, enableOfflineQueue, ...redisOptions } = redisOptionsFor(config, path);
  return {
    lazyConnect,
    enableOfflineQueue,
    // No auto-pipelining on a Cluster: ioredis batches it by node, and when a failover moves a
    // slot it answers that slot's commands MOVED instead of following them (ioredis #2075),
    // which reached players as INTERNAL_ERROR and could stall a table for good. Each command
    // then pays its own write; redirections are followed command by command.
    enableAutoPipelining: false,
    clusterRetryStrategy: retryStrategy,
    redisOptions,
  };
}

/** Logs connection trouble once per change of state, not once per retry. */
export function watchConnection(client: RedisClient, name: string): void {
  const logger = new Logger(`Redis:${name}`);
  let healthy = true;
  client.on('error', (error: Error) => {
    if (healthy) logger.error({ err: error }, 'connection problem');
    healthy = false;
  });
  client.on('ready', () => {
    if (!healthy) logger.log('connection restored');
    healthy = true;
  });
}

/** One path's client, not yet connected (the store connects it at module init). */
export function createStoreClient(config: AppConfig, path: PathName): RedisClient {
  const nodes = config.redis.clusterNodes;
  const client = nodes
    ? new Cluster(nodes, clusterOptionsFor(config, path))
    : standaloneRedis(config.redis.url, redisOptionsFor(config, path), path === 'async');
  watchConnection(client, path);
  return client;
}

/** STORE_CLIENTS: a client per path the configuration uses; the store closes them. */
export const storeClientsProvider: Provider = {
  provide: STORE_CLIENTS,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig): StoreClients =>
    new Map(pathsFor(config).map((path) => [path, createStoreClient(config, path)])),
};
