import {
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { ADDRESS_LIMITS } from '../abuse/abuse.constants';
import { DEADLINE_INDEX } from '../game-state/deadline-index.port';
import { MATCH_RECORD_STORE } from '../records/records.constants';
import { ROOM_STORE } from '../game-state/game-state.constants';
import { LOBBY_STORE } from '../lobby/lobby.constants';
import { SEAT_REGISTRY, SPECTATOR_REGISTRY } from '../rooms/rooms.constants';
import { addressLimitsProvider } from './address-limit-operations';
import { gameStoreProvider } from './game-store.factory';
import { matchRecordStoreProvider } from './match-record-operations';
import type { GameStore } from './game-store';
import { GAME_STORE, STORE_CLIENTS } from './redis.constants';
import { storeClientsProvider } from './redis-clients';
import { StoreMetrics } from './store-metrics';

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

/**
 * The Redis clients, the store bound to one provider, its ports and its metrics, all built from
 * APP_CONFIG. Imported by every module that uses the store: a static module, so there is one
 * instance (one set of connections) however many modules import it.
 */
@Module({
  providers: [
    StoreMetrics,
    storeClientsProvider,
    gameStoreProvider,
    // The ports the features consume are views of the one bound store.
    { provide: ROOM_STORE, useExisting: GAME_STORE },
    { provide: SEAT_REGISTRY, useExisting: GAME_STORE },
    { provide: SPECTATOR_REGISTRY, useExisting: GAME_STORE },
    { provide: DEADLINE_INDEX, useExisting: GAME_STORE },
    { provide: LOBBY_STORE, useExisting: GAME_STORE },
    addressLimitsProvider,
    matchRecordStoreProvider,
    StoreLifecycle,
  ],
  exports: [
    GAME_STORE,
    ROOM_STORE,
    SEAT_REGISTRY,
    SPECTATOR_REGISTRY,
    DEADLINE_INDEX,
    LOBBY_STORE,
    ADDRESS_LIMITS,
    MATCH_RECORD_STORE,
    StoreMetrics,
    // Instance mail is sent on the store's connection (RedisAdapterModule, instance-mail.ts).
    STORE_CLIENTS,
  ],
})
export class RedisStoreModule {}
