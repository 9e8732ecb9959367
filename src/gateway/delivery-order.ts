// The order in which one instance hands a room's changes to its own sockets: by version, none
// twice, none older after newer, and none skipped while the one before is still on its way.

/** A change of a room, as delivered: its room code and the version it leads to. */
export interface OrderedChange {
  readonly roomCode: string;
  readonly version: number;
  /** The room's incarnation (a later room may reuse the code), when known. */
  readonly epoch?: string;
}

/** What became of a change offered for delivery. */
export type DeliveryOutcome = 'delivered' | 'held' | 'stale';

/**
 * How long a change waits for the one before it. Changes reach an instance by two ways that do
 * not keep order between them (its own commits, and other instances' mail), so a change can come
 * before the one it follows: an instance takes a bot's turn the moment the deadline is due, from
 * the room in Redis, while the mail of the move before it is still on its way. Mail takes a few
 * milliseconds; when it never comes (its sender died between commit and mail, a failover lost
 * it), what waited is delivered after this long, the missing version skipped.
 */
export const HOLD_FOR_PREVIOUS_MS = 500;

/**
 * How long a change that reached no socket here (none sat at its table or watched it) is kept.
 * A socket can be taking a seat at that table just then: its seat is in Redis, so the change was
 * sent here, but the socket is bound only once the seat's own commit has answered, and then
 * needs what went by. Longer than a seat's flow can take between its commit and its bind (the
 * commit's replays after a timeout included).
 */
export const PASSED_BY_MS = 10_000;

interface Held<T> {
  /** Ascending by version, no version twice. */
  changes: T[];
  timer: NodeJS.Timeout;
}

/**
 * Per room: the newest version delivered here, changes that came before the one they follow, and
 * (for a while) the newest change that reached no socket here, for the first socket to come.
 * `deliver` sends a change to this instance's sockets; `tracked` says whether the room has one
 * here (a room without a socket here has no order to keep); `skipped` hears of versions given up.
 */
export class DeliveryOrder<T extends OrderedChange> {
  /** The change delivered last, by room. */
  private readonly delivered = new Map<string, T>();
  /** Deliveries so far (to tracked rooms), and the count at each room's last one. */
  private deliveries = 0;
  private readonly deliveredAt = new Map<string, number>();
  private readonly held = new Map<string, Held<T>>();
  /** The newest change of each room that reached no socket here, and when (oldest first). */
  private readonly passedBy = new Map<string, { change: T; at: number }>();
  /** Who waits for a held version to be delivered, by room. */
  private readonly waiting = new Map<string, Array<{ version: number; done: () => void }>>();

  constructor(
    private readonly deliver: (change: T) => void,
    private readonly tracked: (roomCode: string) => boolean,
    private readonly skipped: (roomCode: string, versions: number) => void,
    private readonly holdMs = HOLD_FOR_PREVIOUS_MS,
  ) {}

  /** The newest version of the room delivered here, if any. */
  newest(roomCode: string): number | undefined {
    return this.delivered.get(roomCode)?.version;
  }

  /** The change of the room delivered here last, if any. */
  last(roomCode: string): T | undefined {
    return this.delivered.get(roomCode);
  }

  /** How far delivery has got here, to ask `deliveredSince` about later. */
  mark(): number {
    return this.deliveries;
  }

  /** Whether a change of the room at least as new as `version` was delivered after `mark`. */
  deliveredSince(roomCode: string, mark: number, version: number): boolean {
    const at = this.deliveredAt.get(roomCode);
    return at !== undefined && at > mark && (this.newest(roomCode) ?? -Infinity) >= version;
  }

  /**
   * Delivers `change` now if it is the next version of its room here (or the first seen), holds it
   * if a version before it has not come yet, drops it if a version as new was delivered. With
   * `skipGap` (the caller knows the versions in between will not come), what is held before it is
   * delivered first and it goes out at once, unless the same version is held: that one goes out.
   */
  offer(change: T, { skipGap = false }: { skipGap?: boolean } = {}): DeliveryOutcome {
    const { roomCode, version } = change;
    const last = this.newest(roomCode);
    if (last === undefined && this.catchUp(change)) return 'stale';
    if (last !== undefined && version <= last) return 'stale';
    if (last !== undefined && version > last + 1 && !skipGap) {
      return this.hold(change) ? 'held' : 'stale';
    }
    if (skipGap && this.held.get(roomCode)?.changes.some((c) => c.version === version)) {
      // The same version is held already, with what its maker said of it (its events): that one
      // goes out, and what is held before it.
      this.release(roomCode, version + 1);
      this.drain(roomCode);
      return 'delivered';
    }
    if (skipGap) this.release(roomCode, version);
    this.send(change);
    this.drain(roomCode);
    return 'delivered';
  }

  /**
   * Null when the version is not held here (delivered, dropped or never offered); else resolves
   * once it has gone out (or been given up), within the hold.
   */
  whenDelivered(roomCode: string, version: number): Promise<void> | null {
    if (!this.held.get(roomCode)?.changes.some((c) => c.version === version)) return null;
    return new Promise((done) => {
      const waiters = this.waiting.get(roomCode) ?? [];
      waiters.push({ version, done });
      this.waiting.set(roomCode, waiters);
    });
  }

  /** Forgets the room's order (no socket here any more: a later room may reuse the code). */
  forget(roomCode: string): void {
    const held = this.held.get(roomCode);
    if (held) clearTimeout(held.timer);
    this.held.delete(roomCode);
    this.delivered.delete(roomCode);
    this.deliveredAt.delete(roomCode);
    this.passedBy.delete(roomCode);
    this.settle(roomCode, Infinity);
  }

  private send(change: T): void {
    if (this.tracked(change.roomCode)) {
      this.delivered.set(change.roomCode, change);
      this.deliveredAt.set(change.roomCode, ++this.deliveries);
      this.passedBy.delete(change.roomCode);
    } else {
      this.passBy(change);
    }
    this.deliver(change);
    this.settle(change.roomCode, change.version);
  }

  /** Keeps `change`, which reached no socket here, unless a newer one of its room is kept. */
  private passBy(change: T): void {
    const now = Date.now();
    const kept = this.passedBy.get(change.roomCode);
    if (kept && sameRoom(kept.change, change) && kept.change.version >= change.version) return;
    // Re-inserted, so the map stays ordered by time: what has run out is at its front.
    this.passedBy.delete(change.roomCode);
    this.passedBy.set(change.roomCode, { change, at: now });
    for (const [roomCode, { at }] of this.passedBy) {
      if (at > now - PASSED_BY_MS) break;
      this.passedBy.delete(roomCode);
    }
  }

  /**
   * The room has its first socket here since `change`'s room last had none (nothing delivered
   * yet): a newer change that went by meanwhile goes to it first, and `change`, older, is not
   * delivered (true). False when none did.
   */
  private catchUp(change: T): boolean {
    const kept = this.passedBy.get(change.roomCode);
    if (!kept || !this.tracked(change.roomCode)) return false;
    this.passedBy.delete(change.roomCode);
    const { change: passed, at } = kept;
    if (at <= Date.now() - PASSED_BY_MS || !sameRoom(passed, change)) return false;
    if (passed.version <= change.version) return false;
    this.send(passed);
    return true;
  }

  /** Resolves the waits for versions up to `version`. */
  private settle(roomCode: string, version: number): void {
    const waiters = this.waiting.get(roomCode);
    if (!waiters) return;
    const left = waiters.filter((w) => w.version > version);
    for (const w of waiters) if (w.version <= version) w.done();
    if (left.length > 0) this.waiting.set(roomCode, left);
    else this.waiting.delete(roomCode);
  }

  /** False when the same version is held already. */
  private hold(change: T): boolean {
    const { roomCode, version } = change;
    let held = this.held.get(roomCode);
    if (!held) {
      const timer = setTimeout(() => this.release(roomCode, Infinity), this.holdMs);
      timer.unref();
      held = { changes: [], timer };
      this.held.set(roomCode, held);
    }
    const at = held.changes.findIndex((c) => c.version >= version);
    if (at >= 0 && held.changes[at]!.version === version) return false;
    held.changes.splice(at < 0 ? held.changes.length : at, 0, change);
    return true;
  }

  /** Delivers the held changes that are next in line, one after another. */
  private drain(roomCode: string): void {
    const held = this.held.get(roomCode);
    if (!held) return;
    let last = this.newest(roomCode);
    while (held.changes.length > 0) {
      const next = held.changes[0]!;
      if (last !== undefined && next.version <= last) {
        held.changes.shift();
      } else if (last === undefined || next.version === last + 1) {
        held.changes.shift();
        this.send(next);
        last = this.newest(roomCode);
      } else {
        return;
      }
    }
    clearTimeout(held.timer);
    this.held.delete(roomCode);
  }

  /** Delivers the held changes older than `before` in order, counting the versions skipped. */
  private release(roomCode: string, before: number): void {
    const held = this.held.get(roomCode);
    let last = this.newest(roomCode);
    let skipped = 0;
    while (held && held.changes.length > 0 && held.changes[0]!.version < before) {
      const next = held.changes.shift()!;
      if (last !== undefined && next.version <= last) continue;
      if (last !== undefined) skipped += next.version - last - 1;
      this.send(next);
      last = next.version;
    }
    if (before !== Infinity && last !== undefined && before > last + 1) {
      skipped += before - last - 1;
    }
    if (skipped > 0) this.skipped(roomCode, skipped);
    // What is left is newer than `before`: it follows the change the caller delivers next.
    if (held?.changes.length === 0) {
      clearTimeout(held.timer);
      this.held.delete(roomCode);
    }
  }
}

/** Whether two changes are of one incarnation of their room code, as far as is known. */
function sameRoom(a: OrderedChange, b: OrderedChange): boolean {
  return a.epoch === undefined || b.epoch === undefined || a.epoch === b.epoch;
}
