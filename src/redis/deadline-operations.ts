import { DEADLINES_INDEX, type DeadlineIndex } from '../game-state/deadline-index.port';
import { KeySpace } from './keys';
import type { ScriptClient } from './redis-scripts';

/** What the deadline operations need to know beyond their client. */
export interface DeadlineSettings {
  keys: KeySpace;
}

/**
 * The deadline index over one connection: the logical index `deadlines` (written by the rooms'
 * commits), claimed and completed by scripts so that one instance at a time acts on a room.
 */
export class RedisDeadlineOperations implements DeadlineIndex {
  private readonly key: string;

  constructor(
    private readonly client: ScriptClient,
    settings: DeadlineSettings,
  ) {
    this.key = settings.keys.index(DEADLINES_INDEX);
  }

  claimDueDeadlines(nowMs: number, leaseMs: number, limit: number): Promise<string[]> {
    return this.client.hokmDeadlinesClaimDue(this.key, nowMs, leaseMs, limit);
  }

  async claimDeadline(roomCode: string, nowMs: number, leaseMs: number): Promise<boolean> {
    return (await this.client.hokmDeadlinesClaimOne(this.key, roomCode, nowMs, leaseMs)) === 1;
  }

  async completeDeadline(
    roomCode: string,
    leasedUntil: number,
    next: number | null,
  ): Promise<boolean> {
    const reply = await this.client.hokmDeadlinesComplete(
      this.key,
      roomCode,
      leasedUntil,
      next ?? '',
    );
    return reply === 1;
  }

  countDeadlines(): Promise<number> {
    return this.client.zcard(this.key);
  }
}
