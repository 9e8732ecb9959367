import { Module } from '@nestjs/common';
import { RedisStoreModule } from '../redis/redis.module';
import { cryptoRng } from './domain/rng';
import { GAME_RNG, GameStateService } from './game-state.service';
import { RoomChangeExtensions } from './room-change-extensions';

/** Hokm rules applied atomically to rooms in Redis (through the ROOM_STORE port). */
@Module({
  imports: [RedisStoreModule],
  providers: [GameStateService, RoomChangeExtensions, { provide: GAME_RNG, useValue: cryptoRng }],
  exports: [GameStateService, RoomChangeExtensions],
})
export class GameStateModule {}
