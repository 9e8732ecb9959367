import { DynamicModule, Module, Type } from '@nestjs/common';
import { AbuseModule } from '../abuse/abuse.module';
import { GameStateModule } from '../game-state/game-state.module';
import { LobbyController } from './lobby.controller';
import { LobbyIndexExtension } from './lobby-index.extension';
import { LobbyService } from './lobby.service';
import { QuickMatchService } from './quick-match.service';

/**
 * The lobby: public rooms listed (`list_rooms`, `GET /api/rooms`), quick-match seat claims, and
 * the index entries every room's commit writes for it. Over the LOBBY_STORE port of the module
 * passed in, which must also provide ROOM_STORE (the rooms' commits carry the lobby's entries).
 */
@Module({})
export class LobbyModule {
  private static readonly bound = new Map<Type<unknown>, DynamicModule>();

  /** This module over `store`; the same object for the same store (one extension registered). */
  static register(store: Type<unknown>): DynamicModule {
    let module = this.bound.get(store);
    if (!module) {
      module = {
        module: LobbyModule,
        // AbuseModule: GET /api/rooms spends the address's listing budget.
        imports: [store, GameStateModule.register(store), AbuseModule.register(store)],
        controllers: [LobbyController],
        providers: [LobbyService, LobbyIndexExtension, QuickMatchService],
        exports: [LobbyService, QuickMatchService],
      };
      this.bound.set(store, module);
    }
    return module;
  }
}
