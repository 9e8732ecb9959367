import type { ClusterOptions, RedisOptions } from 'ioredis';
import type { AppConfig } from '../config/app-config';
import type { PathName } from './store-path';

/** Reconnect with backoff after boot; boot itself fails fast (see StorePath.connect). */
const retryStrategy = (attempt: number) => Math.min(100 * 2 ** Math.min(attempt, 5), 2000);

/** What CLIENT LIST shows for a path: `hokm:async`, `hokm:hybrid:async`, `hokm:hybrid:legacy`. */
export function connectionName(config: AppConfig, path: PathName): string {
  return config.redis.provider === 'async' ? 'hokm:async' : `hokm:hybrid:${path}`;
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
  };
  if (path === 'async') {
    return {
      ...base,
      enableAutoPipelining: true,
      commandTimeout: config.redis.commandTimeoutMs,
    };
  }
  // The pre-migration behaviour: no pipelining; the 2 s per-call deadline is in StorePath.
  return { ...base, enableAutoPipelining: false };
}

/** ioredis Cluster options of one path, when REDIS_CLUSTER_NODES is set. */
export function clusterOptionsFor(config: AppConfig, path: PathName): ClusterOptions {
  const { lazyConnect, enableOfflineQueue, enableAutoPipelining, ...redisOptions } =
    redisOptionsFor(config, path);
  return {
    lazyConnect,
    enableOfflineQueue,
    enableAutoPipelining,
    clusterRetryStrategy: retryStrategy,
    redisOptions,
  };
}
