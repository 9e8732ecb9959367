import { Injectable } from '@nestjs/common';
import type { DomainEvent, RoomState } from './domain/types';
import type { RoomChangeExtras } from './room-store.port';

/**
 * A feature that keeps something beside a room (an index entry, a journal line) derived from
 * each change: it says what, and the store writes it in the change's own commit, so it can never
 * drift from the room and costs no round trip of its own.
 */
export interface RoomChangeExtension {
  /** `before` is null when the room is being created; null or {} when there is nothing to add. */
  extend(
    before: RoomState | null,
    after: RoomState,
    events: readonly DomainEvent[],
  ): RoomChangeExtras | null;
}

/** The extensions features registered (at module init), asked on every change. */
@Injectable()
export class RoomChangeExtensions {
  private readonly extensions: RoomChangeExtension[] = [];

  register(extension: RoomChangeExtension): void {
    this.extensions.push(extension);
  }

  /** Everything the registered extensions add to the change from `before` to `after`. */
  extrasFor(
    before: RoomState | null,
    after: RoomState,
    events: readonly DomainEvent[],
  ): RoomChangeExtras {
    const extras: RoomChangeExtras = {};
    for (const extension of this.extensions) {
      const added = extension.extend(before, after, events);
      if (added?.indexes?.length) (extras.indexes ??= []).push(...added.indexes);
      if (added?.journal?.length) (extras.journal ??= []).push(...added.journal);
    }
    return extras;
  }
}
