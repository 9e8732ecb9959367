import { DynamicModule, Module, Type } from '@nestjs/common';
import { RoomsService } from './rooms.service';
import { SpectatorsService } from './spectators.service';

/**
 * Rooms, seats, sessions and spectator counts, through the SEAT_REGISTRY and SPECTATOR_REGISTRY
 * ports. It names no store: the module that provides the ports is passed in by whoever composes
 * the app.
 */
@Module({})
export class RoomsModule {
  private static readonly bound = new Map<Type<unknown>, DynamicModule>();

  /**
   * This module over `store`, a module that provides SEAT_REGISTRY; the same object for the same
   * store (Nest tells dynamic modules apart by reference: one RoomsService, one instance id).
   */
  static register(store: Type<unknown>): DynamicModule {
    let module = this.bound.get(store);
    if (!module) {
      module = {
        module: RoomsModule,
        imports: [store],
        providers: [RoomsService, SpectatorsService],
        exports: [RoomsService, SpectatorsService],
      };
      this.bound.set(store, module);
    }
    return module;
  }
}
