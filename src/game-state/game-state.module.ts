import { Module } from '@nestjs/common';
import { cryptoRng } from './domain/rng';
import { GAME_RNG, GameStateService } from './game-state.service';

/** Hokm rules applied atomically to rooms in Redis (through the ROOM_STORE port). */
@Module({
  providers: [GameStateService, { provide: GAME_RNG, useValue: cryptoRng }],
  exports: [GameStateService],
})
export class GameStateModule {}
