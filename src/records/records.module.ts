import { DynamicModule, Module, Type } from '@nestjs/common';
import { AbuseModule } from '../abuse/abuse.module';
import { GameStateModule } from '../game-state/game-state.module';
import { MatchJournalExtension } from './match-journal.extension';
import { RecordSweeper } from './record-sweeper.service';
import { RecordsController } from './records.controller';
import { RecordsService } from './records.service';

/**
 * Match records: the journal lines every room's commit carries, the record stored when a match
 * ends, `GET /api/matches/:matchId`. Over the MATCH_RECORD_STORE port of the module passed in,
 * which must also provide ROOM_STORE (the rooms' commits carry the journal) and ADDRESS_LIMITS.
 */
@Module({})
export class RecordsModule {
  private static readonly bound = new Map<Type<unknown>, DynamicModule>();

  /** This module over `store`; the same object for the same store (one extension registered). */
  static register(store: Type<unknown>): DynamicModule {
    let module = this.bound.get(store);
    if (!module) {
      module = {
        module: RecordsModule,
        // AbuseModule: a failed lookup of a match id spends the address's budget, as a room code.
        imports: [store, GameStateModule.register(store), AbuseModule.register(store)],
        controllers: [RecordsController],
        providers: [RecordsService, MatchJournalExtension, RecordSweeper],
        exports: [RecordsService],
      };
      this.bound.set(store, module);
    }
    return module;
  }
}
