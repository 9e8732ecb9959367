import { Injectable, Logger } from '@nestjs/common';
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
  /**
   * Optional follow-up once a change has landed (awaited before the change is answered): for
   * work that must read what the commit wrote, such as a finished match's record. Return
   * nothing (no promise) for the changes it has no work for: most moves, at no cost.
   */
  committed?(
    before: RoomState,
    after: RoomState,
    events: readonly DomainEvent[],
  ): Promise<void> | void;
}

/** The extensions features registered (at module init), asked on every change. */
@Injectable()
export class RoomChangeExtensions {
  private readonly logger = new Logger(RoomChangeExtensions.name);
  private readonly extensions: RoomChangeExtension[] = [];
  /** The extensions with a follow-up after the commit. */
  private readonly followers: RoomChangeExtension[] = [];

  register(extension: RoomChangeExtension): void {
    this.extensions.push(extension);
    if (extension.committed) this.followers.push(extension);
  }

  /**
   * The follow-ups of a change that landed, or null when no extension has work for it. A failed
   * follow-up is logged, never thrown: the change itself has happened.
   */
  afterCommit(
    before: RoomState,
    after: RoomState,
    events: readonly DomainEvent[],
  ): Promise<void> | null {
    let pending: Array<Promise<void>> | null = null;
    for (const follower of this.followers) {
      const work = follower.committed?.(before, after, events);
      if (!work) continue;
      const logged = work.catch((error: unknown) => {
        this.logger.error({ roomCode: after.roomCode, err: error }, 'follow-up of a change failed');
      });
      (pending ??= []).push(logged);
    }
    return pending && Promise.all(pending).then(() => undefined);
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
