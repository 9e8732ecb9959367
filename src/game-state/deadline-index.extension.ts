import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { nextDeadline } from './domain/deadlines';
import type { RoomState, TurnClock } from './domain/types';
import { DEADLINES_INDEX } from './deadline-index.port';
import { RoomChangeExtensions, type RoomChangeExtension } from './room-change-extensions';
import type { RoomChangeExtras } from './room-store.port';
import { TURN_CLOCK } from './turn-clock.provider';

/**
 * Keeps every room's next deadline in the deadline index, written by the very commit that starts
 * or moves it: a turn handed on, a seat that dropped, a match that ended. So a deadline exists as
 * soon as the change that starts it, on any instance, and costs no round trip of its own.
 */
@Injectable()
export class DeadlineIndexExtension implements RoomChangeExtension, OnModuleInit {
  constructor(
    private readonly extensions: RoomChangeExtensions,
    @Inject(TURN_CLOCK) private readonly clock: TurnClock,
  ) {}

  onModuleInit(): void {
    this.extensions.register(this);
  }

  /** The room's new next deadline, when it differs from the one before (null removes it). */
  extend(before: RoomState | null, after: RoomState): RoomChangeExtras | null {
    const next = nextDeadline(after, this.clock);
    const previous = before === null ? null : nextDeadline(before, this.clock);
    if (next === previous) return null;
    return { indexes: [{ index: DEADLINES_INDEX, member: after.roomCode, score: next }] };
  }
}
