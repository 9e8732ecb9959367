import { Injectable, OnModuleInit } from '@nestjs/common';
import type { DomainEvent, RoomState } from '../game-state/domain/types';
import {
  RoomChangeExtensions,
  type RoomChangeExtension,
} from '../game-state/room-change-extensions';
import type { RoomChangeExtras } from '../game-state/room-store.port';
import { endedMatch, journalFor } from './domain/journal';
import { RecordsService } from './records.service';

/**
 * Keeps every match's journal beside its room: each change's lines go into the change's own
 * commit (a line per move, no round trip of its own); the commit that ends a match is followed
 * by storing its record, before that change is answered.
 */
@Injectable()
export class MatchJournalExtension implements RoomChangeExtension, OnModuleInit {
  constructor(
    private readonly extensions: RoomChangeExtensions,
    private readonly records: RecordsService,
  ) {}

  onModuleInit(): void {
    this.extensions.register(this);
  }

  extend(
    before: RoomState | null,
    after: RoomState,
    events: readonly DomainEvent[],
  ): RoomChangeExtras | null {
    return journalFor(before, after, events, Date.now());
  }

  committed(before: RoomState, after: RoomState): Promise<void> | undefined {
    const matchId = endedMatch(before, after);
    if (matchId === null) return undefined;
    // A failure is logged by the extensions; the pending entry leaves the record to a sweep.
    return this.records.assemble({ matchId, roomCode: after.roomCode }).then(() => undefined);
  }
}
