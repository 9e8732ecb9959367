import { DynamicModule, Module, Type } from '@nestjs/common';
import { DeadlineIndexExtension } from './deadline-index.extension';
import { cryptoRng } from './domain/rng';
import { GAME_RNG, GameStateService } from './game-state.service';
import { RoomChangeExtensions } from './room-change-extensions';
import { TURN_CLOCK, turnClockProvider } from './turn-clock.provider';

/**
 * Hokm rules applied atomically to rooms, through the ROOM_STORE port. It names no store: the
 * module that provides the port is passed in by whoever composes the app.
 */
@Module({})
export class GameStateModule {
  private static readonly bound = new Map<Type<unknown>, DynamicModule>();

  /**
   * This module over `store`, a module that provides ROOM_STORE. The same object for the same
   * store: Nest tells dynamic modules apart by reference, and the app needs one GameStateService
   * (one room memory, one extension registry) however many modules import it.
   */
  static register(store: Type<unknown>): DynamicModule {
    let module = this.bound.get(store);
    if (!module) {
      module = {
        module: GameStateModule,
        imports: [store],
        providers: [
          GameStateService,
          RoomChangeExtensions,
          { provide: GAME_RNG, useValue: cryptoRng },
          turnClockProvider,
          // Every room's next deadline goes into the deadline index with the change itself.
          DeadlineIndexExtension,
        ],
        exports: [GameStateService, RoomChangeExtensions, TURN_CLOCK],
      };
      this.bound.set(store, module);
    }
    return module;
  }
}
