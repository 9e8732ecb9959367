// The order in which one instance hands a room's changes to its own sockets: by version, none
// twice, none older after newer, and none skipped while the one before is still on its way.

/** A change of a room, as delivered: its room code and the version it leads to. */
export interface OrderedChange {
  readonly roomCode: string;
  readonly version: number;
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

interface Held<T> {
  /** Ascending by version, no version twice. */
  changes: T[];
  timer: NodeJS.Timeout;
}

/**
 * Per room: the newest version delivered here, and changes that came before the one they follow.
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
    this.settle(roomCode, Infinity);
  }

  private send(change: T): void {
    if (this.tracked(change.roomCode)) {
      this.delivered.set(change.roomCode, change);
      this.deliveredAt.set(change.roomCode, ++this.deliveries);
    }
    this.deliver(change);
    this.settle(change.roomCode, change.version);
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
