import { Module } from '@nestjs/common';
import { RedisStoreModule } from '../redis/redis.module';
import { cryptoRng } from './domain/rng';
import { GAME_RNG, GameStateService } from './game-state.service';

/** Hokm rules applied atomically to rooms in Redis (through the ROOM_STORE port). */
@Module({
  imports: [RedisStoreModule],
  providers: [GameStateService, { provide: GAME_RNG, useValue: cryptoRng }],
  exports: [GameStateService],
})
export class GameStateModule {}
