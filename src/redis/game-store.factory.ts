import { Provider } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';
import { AsyncGameStore, StoreConnectOptions } from './async-store.provider';
import { HybridGameStore } from './hybrid-store.provider';
import { KeySpace } from './keys';
import { GAME_STORE, STORE_CLIENTS } from './redis.constants';
import {
  describeTarget,
  type PathName,
  type RedisClient,
  type StoreClients,
} from './redis-clients';
import { RedisPath } from './redis-path';
import { StoreMetrics } from './store-metrics';
import type { GameStore } from './game-store';

/** The legacy path's per-operation deadline: a WAIT for replicas may take its timeout on top. */
function legacyDeadlineMs(config: AppConfig): number {
  const { legacyTimeoutMs, waitReplicas, waitTimeoutMs } = config.redis;
  return waitReplicas > 0 ? legacyTimeoutMs + waitTimeoutMs : legacyTimeoutMs;
}

/** Builds the bound store from the flag; the only place that knows the provider classes. */
export function createGameStore(
  config: AppConfig,
  clientFor: (path: PathName) => RedisClient,
  metrics: StoreMetrics,
): GameStore {
  const keys = new KeySpace(config.redis.keyPrefix);
  const pathOf = (name: PathName) =>
    new RedisPath(
      clientFor(name),
      {
        name,
        keys,
        roomTtlSeconds: config.game.roomTtlSeconds,
        sessionTtlSeconds: config.game.sessionTtlSeconds,
        // ioredis's commandTimeout bounds the async path; the legacy path has its own deadline,
        // a WAIT for replicas (REDIS_WAIT_REPLICAS) on top.
        operationTimeoutMs: name === 'legacy' ? legacyDeadlineMs(config) : 0,
        serial: name === 'legacy',
        waitReplicas: config.redis.waitReplicas,
        waitTimeoutMs: config.redis.waitTimeoutMs,
      },
      metrics,
    );
  const options: StoreConnectOptions = {
    target: describeTarget(config),
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
export const gameStoreProvider: Provider = {
  provide: GAME_STORE,
  inject: [APP_CONFIG, StoreMetrics, STORE_CLIENTS],
  useFactory: (config: AppConfig, metrics: StoreMetrics, clients: StoreClients) =>
    createGameStore(
      config,
      (path) => {
        const client = clients.get(path);
        if (!client) throw new Error(`no Redis client for the ${path} path`);
        return client;
      },
      metrics,
    ),
};
