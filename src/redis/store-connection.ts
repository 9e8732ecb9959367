import type { AppConfig } from '../config/app-config';
import { RedisCommandRunner } from './redis-command-runner';
import type { RedisClient, StoreClients } from './redis-clients';
import { StoreMetrics } from './store-metrics';

/**
 * The store's connection for a feature's own commands (the async path's, or the legacy one when
 * the rollback switch leaves only that), with a runner that times them into the store metrics
 * and gives the store's typed errors. The store connects and closes the connection.
 */
export function storeConnection(
  config: AppConfig,
  clients: StoreClients,
  metrics: StoreMetrics,
  feature: string,
): { client: RedisClient; runner: RedisCommandRunner } {
  const legacyOnly = !clients.has('async');
  const client = clients.get('async') ?? clients.get('legacy');
  if (!client) throw new Error(`no Redis client for ${feature}`);
  const runner = new RedisCommandRunner(
    client,
    {
      name: legacyOnly ? 'legacy' : 'async',
      operationTimeoutMs: legacyOnly ? config.redis.legacyTimeoutMs : 0,
      serial: false,
    },
    metrics,
  );
  return { client, runner };
}
