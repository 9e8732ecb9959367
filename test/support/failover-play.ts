// Playing through a Redis failover: a driver per table that keeps its players moving while Redis
// is away (a refused move is decided again after a fresh read of the room), and the checks for
// acknowledged moves the room lost or applied twice.
import type { SeatedGameView } from '../../src/protocol/hokm-protocol';
import { cardLog, seatSpread, type Instance, type Seat, type SpreadTable } from './multi-instance';
import { cardsThisHand, legalMove, type Move } from './game-client';
import { sleep, waitFor } from './wait';

/** A move the server acknowledged with ok, and the view it was chosen from. */
export interface AckedPlay {
  playerId: string;
  event: Move['event'];
  /** The card played or the suit named. */
  value: string;
  fromVersion: number;
  handNumber: number;
  /** Date.now() at the ack. */
  at: number;
}

/** A refused move: its error code and when. */
export interface Refusal {
  code: string;
  at: number;
}

/** The newest view a seat's socket got last (a push or a read): what that person sees now. */
function latest(seat: Seat): SeatedGameView | null {
  return seat.client.states[seat.client.states.length - 1] ?? null;
}

/**
 * Drives one table's four players as careful people would: the player whose turn it is waits
 * until their own screen shows the newest version, then moves. A refused move (during the
 * failover: SERVICE_UNAVAILABLE) makes everyone read the room again before anyone moves.
 */
export class FailoverDriver {
  readonly acked: AckedPlay[] = [];
  readonly refusals: Refusal[] = [];
  /** Indexes into `acked` of moves a fresh read showed the room had gone back before. */
  readonly lostByVersion = new Set<number>();
  private stopping = false;
  private running: Promise<SeatedGameView | null> | null = null;
  /** Why the last start() ended with an error, if it did. */
  private failure: Error | null = null;

  constructor(readonly table: SpreadTable) {}

  /** The newest view any player of the table sees now. */
  newest(): SeatedGameView {
    let newest: SeatedGameView | null = null;
    for (const seat of this.table.seats) {
      const view = latest(seat);
      if (view && (!newest || view.version > newest.version)) newest = view;
    }
    if (!newest) throw new Error(`${this.table.roomCode}: no state yet`);
    return newest;
  }

  /**
   * Plays until `done(newest view)` or stop(); resolves with that view (null: stopped). A failure
   * (a request without an answer, no legal move) rejects this and the next stop().
   */
  start(done: (view: SeatedGameView) => boolean): Promise<SeatedGameView | null> {
    this.stopping = false;
    this.failure = null;
    this.running = this.loop(done);
    // Observed here too, so a failure while nobody awaits is reported by stop(), not unhandled.
    this.running.catch((error: Error) => {
      this.failure = error;
    });
    return this.running;
  }

  /** Stops after the move in flight, if any, and resolves once the driver is idle. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  acksAfter(at: number): number {
    return this.acked.filter((m) => m.at > at).length;
  }

  /**
   * The table as a failure message shows it: whether the driver failed, the acks and refusals
   * since `since` (ms after it), and each seat's newest view.
   */
  describe(since: number): string {
    const after = (at: number) => `${at - since}`;
    const acks = this.acked.filter((m) => m.at > since).map((m) => after(m.at));
    const refusals = this.refusals
      .filter((r) => r.at > since)
      .map((r) => `${r.code}@${after(r.at)}`);
    const seats = this.table.seats.map((seat) => {
      const view = latest(seat);
      const shown = view ? `v${view.version} ${view.phase}, turn ${view.turn}` : 'no state';
      return `  ${seat.label} (${seat.playerId}): ${shown}`;
    });
    const driver = this.failure ? `failed: ${this.failure.message}` : 'not failed';
    return [
      `table ${this.table.roomCode}: driver ${driver}`,
      `  acks at (ms): ${acks.join(', ') || 'none'}`,
      `  refusals at (ms): ${refusals.join(', ') || 'none'}`,
      ...seats,
    ].join('\n');
  }

  /**
   * Reads the room on every seat (waiting out SERVICE_UNAVAILABLE) and records which acknowledged
   * moves the room no longer has: the room never goes back a version unless it lost a write.
   */
  async resync(): Promise<SeatedGameView> {
    const fresh = await Promise.all(this.table.seats.map((seat) => this.read(seat)));
    const version = Math.min(...fresh.map((v) => v.version));
    this.acked.forEach((move, i) => {
      if (move.fromVersion + 1 > version) this.lostByVersion.add(i);
    });
    return fresh[0] as SeatedGameView;
  }

  /**
   * Acknowledged card plays the room lost though its version went on: in the player's views of
   * that hand after the move was chosen, the card is still (or again) in their hand at the last
   * one, or comes back after it had left.
   */
  lostByHand(): number[] {
    const lost: number[] = [];
    this.acked.forEach((move, i) => {
      if (move.event !== 'play_card') return;
      const seat = this.table.seats.find((s) => s.playerId === move.playerId);
      const later = (seat?.sockets ?? [])
        .flatMap((socket) => socket.states)
        .filter((v) => v.version > move.fromVersion && v.handNumber === move.handNumber)
        // Stable: views of one version keep their order of arrival.
        .sort((a, b) => a.version - b.version);
      const holds = later.map((v) => v.you.hand.includes(move.value));
      const left = holds.indexOf(false);
      const back = left >= 0 && holds.slice(left).includes(true);
      if (back || holds.at(-1) === true) lost.push(i);
    });
    return lost;
  }

  /** Every acknowledged move the room lost, by either sign. */
  lost(): number[] {
    return [...new Set([...this.lostByVersion, ...this.lostByHand()])].sort((a, b) => a - b);
  }

  /**
   * Card plays applied more than once: the same player's same card announced at two versions
   * of one hand (every socket of the table pooled, by version).
   */
  appliedTwice(): string[] {
    const handAt = new Map<number, number>();
    const played = new Map<number, string>();
    for (const seat of this.table.seats) {
      for (const socket of seat.sockets) {
        for (const v of socket.states) handAt.set(v.version, v.handNumber);
      }
      for (const c of cardLog(seat)) played.set(c.version, `${c.playerId}:${c.card}`);
    }
    const seen = new Map<string, number>();
    const twice: string[] = [];
    for (const [version, play] of [...played].sort((a, b) => a[0] - b[0])) {
      // A card_played push comes with the state of its version; the hand is that state's.
      const key = `${handAt.get(version) ?? '?'}|${play}`;
      const first = seen.get(key);
      if (first !== undefined) twice.push(`${play} at v${first} and v${version}`);
      else seen.set(key, version);
    }
    return twice;
  }

  private async loop(done: (view: SeatedGameView) => boolean): Promise<SeatedGameView | null> {
    for (let idle = 0; ;) {
      if (this.stopping) return null;
      const view = this.newest();
      if (done(view)) return view;
      const mover = this.table.seats.find((s) => s.playerId === view.turn);
      const own = mover ? latest(mover) : null;
      if (!mover || !own || own.version < view.version) {
        // A push lost with the adapter's connection never comes: read the room after a while.
        if (++idle > 100) {
          await this.resync();
          idle = 0;
        } else {
          await sleep(10);
        }
        continue;
      }
      idle = 0;
      const move = legalMove(own);
      if (!move) throw new Error(`${mover.label}: no legal move at v${own.version}`);
      const ack =
        move.event === 'select_hokm'
          ? await mover.client.request('select_hokm', move.payload)
          : await mover.client.request('play_card', move.payload);
      if (ack.ok) {
        this.acked.push({
          playerId: mover.playerId,
          event: move.event,
          value: move.event === 'select_hokm' ? move.payload.suit : move.payload.card,
          fromVersion: own.version,
          handNumber: own.handNumber,
          at: Date.now(),
        });
        continue;
      }
      this.refusals.push({ code: ack.error.code, at: Date.now() });
      if (ack.error.code === 'SERVICE_UNAVAILABLE') await sleep(100);
      // The move may have landed unannounced, or the room may be elsewhere than the screens say.
      await this.resync();
    }
  }

  /** A fresh read of the room for one seat, retried while the store is unavailable. */
  private async read(seat: Seat): Promise<SeatedGameView> {
    for (;;) {
      const ack = await seat.client.request('get_state', {});
      if (ack.ok) {
        const view = ack.data as SeatedGameView;
        seat.client.states.push(view);
        return view;
      }
      if (ack.error.code !== 'SERVICE_UNAVAILABLE') {
        throw new Error(`${seat.label}: get_state refused: ${ack.error.code}`);
      }
      this.refusals.push({ code: ack.error.code, at: Date.now() });
      await sleep(100);
    }
  }
}

/** Stops every driver (a failure already reported is not thrown again) and closes its sockets. */
export async function stopDrivers(drivers: readonly FailoverDriver[]): Promise<void> {
  await Promise.all(drivers.map((d) => d.stop().catch(() => undefined)));
  for (const d of drivers) for (const seat of d.table.seats) seat.closeAll();
}

/** What the drivers went through, for the suite's report line: acks, refusals by code, losses. */
export function failoverSummary(drivers: readonly FailoverDriver[]): string {
  const acked = drivers.reduce((n, d) => n + d.acked.length, 0);
  const refused = new Map<string, number>();
  for (const r of drivers.flatMap((d) => d.refusals)) {
    refused.set(r.code, (refused.get(r.code) ?? 0) + 1);
  }
  const byCode = [...refused].map(([code, n]) => `${n} ${code}`).join(', ') || 'none';
  const lost = drivers.map((d) => d.lost().length);
  const total = lost.reduce((a, b) => a + b, 0);
  return (
    `${acked} moves acknowledged, requests refused (moves and reads): ${byCode}; ` +
    `acknowledged moves lost: ${total} (per table ${lost.join(', ')})`
  );
}

/**
 * `count` tables of a one-hand match, each spread over `instances` (labels `${label}0`, ...),
 * with a driver each, and each played some cards into its hand: table i to at least
 * `firstCards + i` cards, so that the tables are not in step. Drivers are handed to `keep` as soon as
 * they exist (the suite's list, which its afterAll stops), so a failure later still stops them.
 */
export async function tablesInPlay(
  instances: readonly Instance[],
  { count, label, firstCards }: { count: number; label: string; firstCards: number },
  keep: FailoverDriver[],
): Promise<FailoverDriver[]> {
  const tables = await Promise.all(
    Array.from({ length: count }, (_, offset) =>
      seatSpread(instances, { targetScore: 1, offset, label: `${label}${offset}` }),
    ),
  );
  const drivers = tables.map((t) => new FailoverDriver(t));
  keep.push(...drivers);
  await Promise.all(
    drivers.map((d, i) =>
      d.start((v) => v.phase === 'gameplay' && cardsThisHand(v) >= firstCards + i),
    ),
  );
  return drivers;
}

/** Keeps every table playing to its end; resolves once each has had two more moves acknowledged. */
export async function playingOn(drivers: readonly FailoverDriver[]): Promise<void> {
  const since = Date.now();
  for (const d of drivers) void d.start((v) => v.phase === 'game_over');
  await waitFor('a few moves under way', () => drivers.every((d) => d.acksAfter(since) >= 2), {
    timeoutMs: 10_000,
    intervalMs: 5,
  });
}
