import type { PathName, RedisClient } from './redis-clients';
import { StoreMetrics } from './store-metrics';
import { ReplicationShortfallError } from './transport-errors';

/** REDIS_WAIT_REPLICAS and REDIS_WAIT_TIMEOUT_MS, for one path. */
export interface ReplicaWaitSettings {
  name: PathName;
  /** How many replicas must confirm a write before it counts as done; 0: none (no WAIT). */
  waitReplicas: number;
  waitTimeoutMs: number;
}

/**
 * A write counts as done only once `waitReplicas` replicas confirm it: WAIT goes on the write's
 * own connection right behind it. Sent in the same turn, the two leave in one write on the async
 * path (one round trip), and back to back on the legacy one. WAIT covers every earlier
 * write of its connection, so it confirms the write it follows and all before it.
 */
export class ReplicaWait {
  constructor(
    private readonly client: RedisClient,
    private readonly settings: ReplicaWaitSettings,
    private readonly metrics: StoreMetrics,
  ) {}

  /** Whether writes wait for replicas at all. */
  get enabled(): boolean {
    return this.settings.waitReplicas > 0;
  }

  /**
   * Sends WAIT behind `write`, which must have been sent on this client in this very tick
   * (call as `confirm(client.set(...))`). Resolves with the write's reply once enough replicas
   * confirmed; rejects with ReplicationShortfallError if too few did in time, unless
   * `changed(reply)` says the write changed nothing (a conflict, a missing room): nothing of
   * it can be lost then. Every WAIT is timed and counted by outcome.
   */
  async confirm<T>(write: Promise<T>, changed: (reply: T) => boolean = () => true): Promise<T> {
    const { waitReplicas, waitTimeoutMs, name } = this.settings;
    if (waitReplicas <= 0) return write;
    const started = performance.now();
    const waiting = this.client.wait(waitReplicas, waitTimeoutMs);
    // If the write fails first, the WAIT's own failure is expected and not reported twice.
    waiting.catch(() => undefined);
    const reply = await write;
    let confirmed: number;
    try {
      confirmed = await waiting;
    } catch (error) {
      this.metrics.recordWait(name, performance.now() - started, 'failed');
      throw error;
    }
    const short = confirmed < waitReplicas;
    this.metrics.recordWait(name, performance.now() - started, short ? 'short' : 'confirmed');
    if (short && changed(reply)) {
      throw new ReplicationShortfallError(confirmed, waitReplicas, waitTimeoutMs);
    }
    return reply;
  }
}
