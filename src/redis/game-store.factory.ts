import { Logger, Provider } from '@nestjs/common';
import { ClusterService, RedisService } from '@liaoliaots/nestjs-redis';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';
import { AsyncGameStore, StoreConnectOptions } from './async-store.provider';
import { HybridGameStore } from './hybrid-store.provider';
import { KeySpace } from './keys';
import { ASYNC_CLIENT, GAME_STORE, LEGACY_CLIENT } from './redis.constants';
import { PathName, RedisClient, StorePath } from './store-path';
import { StoreMetrics } from './store-metrics';
import type { GameStore } from './game-store';

/** The paths a configuration connects: the rollback switch leaves the async path unconnected. */
export function pathsFor(config: AppConfig): PathName[] {
  if (config.redis.provider === 'async') return ['async'];
  return config.redis.hybridAsync ? ['async', 'legacy'] : ['legacy'];
}

/** Logs connection trouble once per change of state, not once per retry. */
export function watchConnection(client: RedisClient, name: string): void {
  const logger = new Logger(`Redis:${name}`);
  let healthy = true;
  client.on('error', (error: Error) => {
    if (healthy) logger.error(`connection problem: ${error.message}`);
    healthy = false;
  });
  client.on('ready', () => {
    if (!healthy) logger.log('connection restored');
    healthy = true;
  });
}

/** Builds the bound store from the flag; the only place that knows the provider classes. */
export function createGameStore(
  config: AppConfig,
  clientFor: (path: PathName) => RedisClient,
  metrics: StoreMetrics,
): GameStore {
  const keys = new KeySpace(config.redis.keyPrefix);
  const pathOf = (name: PathName) =>
    new StorePath(
      clientFor(name),
      {
        name,
        keys,
        roomTtlSeconds: config.game.roomTtlSeconds,
        sessionTtlSeconds: config.game.sessionTtlSeconds,
        // ioredis's commandTimeout bounds the async path; the legacy path has its own deadline.
        operationTimeoutMs: name === 'legacy' ? config.redis.legacyTimeoutMs : 0,
        serial: name === 'legacy',
      },
      metrics,
    );
  const options: StoreConnectOptions = {
    target: config.redis.clusterNodes
      ? `cluster ${config.redis.clusterNodes.map((n) => `${n.host}:${n.port}`).join(',')}`
      : config.redis.url,
    connectTimeoutMs: config.redis.connectTimeoutMs,
    drainMs: config.shutdownGraceMs,
  };
  const store =
    config.redis.provider === 'async'
      ? new AsyncGameStore(pathOf('async'), options, metrics)
      : new HybridGameStore(
          config.redis.hybridAsync ? pathOf('async') : null,
          pathOf('legacy'),
          options,
          metrics,
        );
  metrics.setProvider(store.provider, store.path);
  return store;
}

/** GAME_STORE, bound once at boot from REDIS_PROVIDER / REDIS_HYBRID_ASYNC. */
export function gameStoreProvider(cluster: boolean): Provider {
  return {
    provide: GAME_STORE,
    inject: [APP_CONFIG, StoreMetrics, cluster ? ClusterService : RedisService],
    useFactory: (
      config: AppConfig,
      metrics: StoreMetrics,
      clients: RedisService | ClusterService,
    ) =>
      createGameStore(
        config,
        (path) => clients.getOrThrow(path === 'async' ? ASYNC_CLIENT : LEGACY_CLIENT),
        metrics,
      ),
  };
}
