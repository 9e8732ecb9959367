/** The logical index (RoomChange.indexes) of every room's next deadline: member room code, score ms. */
export const DEADLINES_INDEX = 'deadlines';

/** Injection token of the DeadlineIndex port. */
export const DEADLINE_INDEX = Symbol('DEADLINE_INDEX');

/**
 * When each room's next timed action falls due (turn clock, bots' moves, reconnect grace), shared
 * by every instance (token DEADLINE_INDEX). Entries are written by the rooms' own commits (see
 * DeadlineIndexExtension); this port leases due rooms to one instance at a time. An entry is a
 * hint: the room's state decides what is due. A transport failure rejects with
 * StoreUnavailableError.
 */
export interface DeadlineIndex {
  /**
   * Leases up to `limit` rooms due at `nowMs` (earliest first) to the caller: their entries move
   * to `nowMs + leaseMs`, so nobody else claims them meanwhile, and they come back if the caller
   * dies before completing.
   */
  claimDueDeadlines(nowMs: number, leaseMs: number, limit: number): Promise<string[]>;
  /**
   * The same for one room, when the caller's own state says it is due: true if it is now leased
   * to the caller (it was due at `nowMs`, or had no entry at all: an entry written beside a
   * Cluster commit may have been overwritten by a losing commit's). False while it is leased to
   * someone else or due later.
   */
  claimDeadline(roomCode: string, nowMs: number, leaseMs: number): Promise<boolean>;
  /**
   * Ends a lease (`leasedUntil` = the claim's `nowMs + leaseMs`): the entry becomes `next` (null
   * removes it), but only if it still holds the lease; a commit that wrote a deadline meanwhile
   * wins. True if it was changed.
   */
  completeDeadline(roomCode: string, leasedUntil: number, next: number | null): Promise<boolean>;
  /** How many rooms have a deadline on record (due, leased or to come). */
  countDeadlines(): Promise<number>;
  /**
   * Moves up to `limit` of the first release's reconnect-grace timers (earliest first; that
   * release kept them apart) into this index: each becomes its room's entry, unless the room's
   * entry falls due sooner. Answers how many timers it took, malformed ones (dropped) included.
   */
  adoptLegacyGraceTimers(limit: number): Promise<number>;
}
