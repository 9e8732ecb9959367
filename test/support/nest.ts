import { INestApplication } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import type { Server } from 'node:http';
import { Redis } from 'ioredis';
import { createApp } from '../../src/bootstrap';
import { MetricsRegistryModule } from '../../src/common/metrics-registry';
import type { AppConfig } from '../../src/config/app-config';
import { ConfigModule } from '../../src/config/config.module';
import { GAME_STORE, STORE_CLIENTS } from '../../src/redis/redis.constants';
import type { StoreClients } from '../../src/redis/redis-clients';
import { RedisStoreModule } from '../../src/redis/redis.module';
import type { GameStore } from '../../src/redis/game-store';
import { cleanupPrefix } from './redis-keys';

/** The client of one path; these helpers run on a standalone Redis, not a Cluster. */
function standalone(clients: StoreClients, path: 'async' | 'legacy'): Redis {
  const client = clients.get(path);
  if (!(client instanceof Redis)) throw new Error(`no standalone Redis client for ${path}`);
  return client;
}

/** The store as the app builds it: real modules, real lifecycle hooks, real connections. */
export interface StoreContext {
  readonly config: AppConfig;
  readonly module: TestingModule;
  /** The port bound by the factory from REDIS_PROVIDER / REDIS_HYBRID_ASYNC. */
  readonly store: GameStore;
  /** The ioredis client of one path (`async` or `legacy`), as the redis module holds it. */
  client(path: 'async' | 'legacy'): Redis;
  /** Runs the shutdown hooks (drain, QUIT), then deletes the test's keys (`keepKeys` to skip). */
  close(options?: { keepKeys?: boolean }): Promise<void>;
}

/**
 * Compiles config + metrics registry + redis store modules and runs `init()` (which connects:
 * PING and script load, failing fast as at boot). Close it in afterAll/afterEach.
 */
export async function createStoreContext(config: AppConfig): Promise<StoreContext> {
  const module = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(config), MetricsRegistryModule, RedisStoreModule],
  }).compile();
  await module.init();
  let closed = false;
  return {
    config,
    module,
    store: module.get<GameStore>(GAME_STORE),
    client: (path) => standalone(module.get<StoreClients>(STORE_CLIENTS), path),
    async close({ keepKeys = false } = {}) {
      if (closed) return;
      closed = true;
      await module.close();
      if (!keepKeys) await cleanupPrefix(config.redis.url, config.redis.keyPrefix);
    },
  };
}

/** The whole service (HTTP, health, metrics, store) as main.ts builds it, initialised, not listening. */
export interface AppContext {
  readonly config: AppConfig;
  readonly app: INestApplication;
  readonly store: GameStore;
  /** The Node HTTP server, for supertest (it listens on an ephemeral port per request). */
  readonly http: Server;
  client(path: 'async' | 'legacy'): Redis;
  /** `app.close()` (shutdown hooks), then deletes the test's keys (`keepKeys` to skip). */
  close(options?: { keepKeys?: boolean }): Promise<void>;
}

/** `createApp(config)` from src/bootstrap.ts, then `init()`. */
export async function createAppContext(config: AppConfig): Promise<AppContext> {
  const app = await createApp(config);
  await app.init();
  let closed = false;
  return {
    config,
    app,
    store: app.get<GameStore>(GAME_STORE),
    http: app.getHttpServer() as Server,
    client: (path) => standalone(app.get<StoreClients>(STORE_CLIENTS, { strict: false }), path),
    async close({ keepKeys = false } = {}) {
      if (closed) return;
      closed = true;
      await app.close();
      if (!keepKeys) await cleanupPrefix(config.redis.url, config.redis.keyPrefix);
    },
  };
}
