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
  private readonly legacyKey: string;

  constructor(
    private readonly client: ScriptClient,
    settings: DeadlineSettings,
  ) {
    this.key = settings.keys.index(DEADLINES_INDEX);
    this.legacyKey = settings.keys.legacyGraceTimers;
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

  /**
   * Each timer is added to the index before it leaves the old set (the two keys may live on
   * different Cluster nodes, so no script holds both): a failure in between leaves it to the next
   * call, and adding it twice changes nothing.
   */
  async adoptLegacyGraceTimers(limit: number): Promise<number> {
    const flat = await this.client.zrange(this.legacyKey, 0, limit - 1, 'WITHSCORES');
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const member = flat[i] as string;
      const dueAt = Number(flat[i + 1]);
      const [roomCode, playerId, disconnectedAt] = member.split('|');
      // LT: a room whose entry falls due sooner keeps it (its state decides what is due then).
      if (roomCode && playerId && disconnectedAt && Number.isFinite(dueAt)) {
        await this.client.zadd(this.key, 'LT', dueAt, roomCode);
      }
      await this.client.zrem(this.legacyKey, member);
    }
    return flat.length / 2;
  }
}
