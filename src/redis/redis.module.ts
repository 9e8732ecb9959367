import {
  DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { ClusterModule, RedisModule } from '@liaoliaots/nestjs-redis';
import type { AppConfig } from '../config/app-config';
import { ROOM_STORE } from '../game-state/game-state.constants';
import { SEAT_REGISTRY } from '../rooms/rooms.constants';
import { gameStoreProvider, pathsFor, watchConnection } from './game-store.factory';
import { ASYNC_CLIENT, GAME_STORE, LEGACY_CLIENT } from './redis.constants';
import { clusterOptionsFor, redisOptionsFor } from './redis-clients';
import { StoreMetrics } from './store-metrics';
import type { GameStore } from './game-store';

/** Owns the store's lifecycle: connect (fail fast) at init, drain and QUIT at shutdown. */
@Injectable()
export class StoreLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(StoreLifecycle.name);

  constructor(@Inject(GAME_STORE) private readonly store: GameStore) {}

  async onModuleInit(): Promise<void> {
    await this.store.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.disconnect();
    this.logger.log('redis connections closed');
  }
}

/** Redis clients (via nestjs-redis), the store port bound to one provider, and store metrics. */
@Module({})
export class RedisStoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    const namespaceOf = { async: ASYNC_CLIENT, legacy: LEGACY_CLIENT } as const;
    const paths = pathsFor(config);
    const nodes = config.redis.clusterNodes;
    // Our lifecycle hook closes the clients after in-flight work, so nestjs-redis must not.
    const clients = nodes
      ? ClusterModule.forRoot({
          closeClient: false,
          errorLog: false,
          config: paths.map((path) => ({
            ...clusterOptionsFor(config, path),
            namespace: namespaceOf[path],
            nodes,
            onClientCreated: (client) => watchConnection(client, path),
          })),
        })
      : RedisModule.forRoot({
          closeClient: false,
          errorLog: false,
          config: paths.map((path) => ({
            ...redisOptionsFor(config, path),
            namespace: namespaceOf[path],
            url: config.redis.url,
            onClientCreated: (client) => watchConnection(client, path),
          })),
        });
    return {
      module: RedisStoreModule,
      imports: [clients],
      providers: [
        StoreMetrics,
        gameStoreProvider(nodes !== null),
        // The ports the features consume are views of the one bound store.
        { provide: ROOM_STORE, useExisting: GAME_STORE },
        { provide: SEAT_REGISTRY, useExisting: GAME_STORE },
        StoreLifecycle,
      ],
      exports: [GAME_STORE, ROOM_STORE, SEAT_REGISTRY, StoreMetrics],
    };
  }
}
