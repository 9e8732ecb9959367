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
   * A batch's timers are added to the index (one ZADD) before they leave the old set (one ZREM):
   * the two keys may live on different Cluster nodes, so no script holds both, and a failure in
   * between leaves them to the next call, where adding them again changes nothing.
   */
  async adoptLegacyGraceTimers(limit: number): Promise<number> {
    const flat = await this.client.zrange(this.legacyKey, 0, limit - 1, 'WITHSCORES');
    const members: string[] = [];
    const entries: Array<number | string> = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const member = flat[i] as string;
      const dueAt = Number(flat[i + 1]);
      const [roomCode, playerId, disconnectedAt] = member.split('|');
      members.push(member);
      if (roomCode && playerId && disconnectedAt && Number.isFinite(dueAt)) {
        entries.push(dueAt, roomCode);
      }
    }
    if (members.length === 0) return 0;
    // LT: a room whose entry falls due sooner keeps it (its state decides what is due then).
    if (entries.length > 0) await this.client.zadd(this.key, 'LT', ...entries);
    await this.client.zrem(this.legacyKey, ...members);
    return members.length;
  }
}
