import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';
import { dueActions, nextDeadline, turnDeadline } from '../game-state/domain/deadlines';
import type { Action, DomainEvent, RoomState, TurnClock } from '../game-state/domain/types';
import { DEADLINE_INDEX, type DeadlineIndex } from '../game-state/deadline-index.port';
import { RoomNotFoundError, RuleViolationError } from '../game-state/game-state.errors';
import { GameStateService } from '../game-state/game-state.service';
import { TURN_CLOCK } from '../game-state/turn-clock.provider';
import { DeadlineMetrics, type DeadlineKind } from './deadline.metrics';
import { isDeserted } from './room-state';

/** Rooms one claim leases at most; a full batch is followed by another claim at once. */
const CLAIM_BATCH = 50;
/** Claims one poll makes at most (the rest waits for the next poll). */
const CLAIMS_PER_POLL = 10;
/** Actions one run applies to a room before it lets the others have a turn. */
const ACTIONS_PER_RUN = 64;
/** When a run failed (Redis away, room busy), the room is looked at again this much later. */
const RETRY_MS = 1_000;
/** What a run looked at last: the room's next deadline as of one version of it. */
interface Seen {
  version: number;
  next: number | null;
}

/** A room's local timer: set to fire at `firesAt`, for the deadline `dueAt` of `version`. */
interface LocalTimer {
  timer: NodeJS.Timeout;
  firesAt: number;
  dueAt: number;
  version: number;
}

/** What one call of the action picker chose, kept for after the apply. */
interface Picked {
  action: Action | null;
  before: RoomState | null;
  dueAt: number;
}

/**
 * Acts on the deadlines kept in Redis (reconnect grace, the turn clock, the bots' moves), for
 * rooms of every instance. Every instance polls the index and leases the due rooms atomically;
 * each action is a versioned change like any other, derived from the room as it is, so a
 * deadline that no longer applies changes nothing and two instances never both act on one.
 * After a change made here, a local timer claims that room at its next deadline, so bots and the
 * clock act on time without waiting for a poll; the index stays the truth (another instance's
 * poll acts if this one dies).
 */
@Injectable()
export class DeadlineRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DeadlineRunner.name);
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly polls = new PeriodicTask(() => this.poll());
  /**
   * The local fast path: one timer per room this instance changed, due at its next deadline
   * (`dueAt`). A timer that fires before its room's newest `dueAt` waits on for the rest, so a
   * deadline moved later (each move of a timed turn) only updates the entry.
   */
  private readonly timers = new Map<string, LocalTimer>();
  /** Runs in flight here, by room: one at a time per room. */
  private readonly running = new Map<string, Promise<void>>();
  /** Changes made here while a run of their room was in flight: the run schedules from them. */
  private readonly during = new Map<string, Seen>();
  private stopped = false;
  private publish: ((state: RoomState, events: DomainEvent[]) => void) | null = null;

  constructor(
    private readonly game: GameStateService,
    @Inject(DEADLINE_INDEX) private readonly index: DeadlineIndex,
    @Inject(TURN_CLOCK) private readonly clock: TurnClock,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly metrics: DeadlineMetrics,
  ) {
    // Long enough for a run to finish, short enough that a dead claimer's rooms soon come back.
    this.leaseMs = Math.max(5_000, config.game.timerPollMs * 10);
    this.pollMs = config.game.timerPollMs;
  }

  /** Where the runner's changes are announced (the broadcaster). */
  onChange(publish: NonNullable<DeadlineRunner['publish']>): void {
    this.publish = publish;
  }

  onApplicationBootstrap(): void {
    this.polls.start(this.pollMs);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await this.polls.stop();
    await Promise.allSettled([...this.running.values()]);
  }

  /** A change this instance committed: its room's next deadline gets a local timer. */
  afterChange(state: RoomState): void {
    if (this.stopped) return;
    const seen = { version: state.version, next: nextDeadline(state, this.clock) };
    // A run in progress schedules what follows itself once it is done, from the newest change.
    if (this.running.has(state.roomCode)) {
      const had = this.during.get(state.roomCode);
      if (!had || had.version < seen.version) this.during.set(state.roomCode, seen);
      return;
    }
    this.schedule(state.roomCode, seen.next, seen.version);
  }

  /** Another instance changed the room: its own timer covers what follows, not ours. */
  observed(state: RoomState): void {
    const local = this.timers.get(state.roomCode);
    if (local && state.version > local.version) {
      clearTimeout(local.timer);
      this.timers.delete(state.roomCode);
    }
  }

  /** One poll: lease the due rooms and act on each (errors are logged; leases retry them). */
  async poll(): Promise<void> {
    try {
      for (let claims = 0; claims < CLAIMS_PER_POLL && !this.stopped; claims++) {
        const now = Date.now();
        const rooms = await this.index.claimDueDeadlines(now, this.leaseMs, CLAIM_BATCH);
        await Promise.all(rooms.map((code) => this.runExclusive(code, now + this.leaseMs)));
        if (rooms.length < CLAIM_BATCH) break;
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'deadlines not claimed this round');
    }
  }

  private schedule(roomCode: string, dueAt: number | null, version: number): void {
    const had = this.timers.get(roomCode);
    if (had && dueAt !== null && !this.stopped && had.firesAt <= dueAt) {
      // It fires first and then waits for the rest: no new timer.
      had.dueAt = dueAt;
      had.version = version;
      return;
    }
    if (had) clearTimeout(had.timer);
    this.timers.delete(roomCode);
    if (dueAt === null || this.stopped) return;
    const firesAt = Math.max(dueAt, Date.now());
    const timer = setTimeout(() => this.fired(roomCode, timer), firesAt - Date.now());
    // Never what keeps the process alive: the index holds the deadline anyway.
    timer.unref();
    this.timers.set(roomCode, { timer, firesAt, dueAt, version });
  }

  /** A room's local timer fired: claim the room if its deadline is due, else wait for the rest. */
  private fired(roomCode: string, timer: NodeJS.Timeout): void {
    const entry = this.timers.get(roomCode);
    if (entry?.timer !== timer) return;
    this.timers.delete(roomCode);
    // The deadline moved later since the timer was set, or timers fired a little before the
    // wall clock says so.
    if (Date.now() < entry.dueAt) this.schedule(roomCode, entry.dueAt, entry.version);
    else void this.claimLocal(roomCode);
  }

  private async claimLocal(roomCode: string): Promise<void> {
    if (this.stopped) return;
    const now = Date.now();
    try {
      // Not due (any more): the room moved on, and whoever moved it scheduled what follows.
      if (!(await this.index.claimDeadline(roomCode, now, this.leaseMs))) return;
    } catch (error) {
      this.logger.debug({ roomCode, err: error }, 'deadline not claimed here');
      return;
    }
    await this.runExclusive(roomCode, now + this.leaseMs);
  }

  private async runExclusive(roomCode: string, leasedUntil: number): Promise<void> {
    const previous = this.running.get(roomCode) ?? Promise.resolve();
    const run = previous.then(() => this.run(roomCode, leasedUntil));
    this.running.set(roomCode, run);
    try {
      await run;
    } finally {
      if (this.running.get(roomCode) === run) {
        this.running.delete(roomCode);
        const seen = this.during.get(roomCode);
        this.during.delete(roomCode);
        if (seen) this.schedule(roomCode, seen.next, seen.version);
      }
    }
  }

  /**
   * Applies what is due in a leased room, one action after another, until nothing is due; then
   * ends the lease with the room's next deadline (unless the last change wrote it already).
   */
  private async run(roomCode: string, leasedUntil: number): Promise<void> {
    let next: number | null = null;
    let written = false;
    let last: RoomState | null = null;
    try {
      for (let i = 0; i < ACTIONS_PER_RUN && !this.stopped; i++) {
        const picked: Picked = { action: null, before: null, dueAt: 0 };
        // Derived from the room as it is, again after a conflict: a stale deadline picks nothing.
        const change = await this.game.apply(roomCode, (state) => this.pick(state, picked));
        next = nextDeadline(change.state, this.clock);
        if (change.events.length === 0 || !picked.action || !picked.before) {
          written = false;
          break;
        }
        this.landed(roomCode, picked.action, picked.dueAt);
        // The commit wrote the room's next deadline if it moved (DeadlineIndexExtension).
        written = next !== nextDeadline(picked.before, this.clock);
        last = change.state;
        this.publish?.(change.state, change.events);
        if (isDeserted(change.state)) {
          await this.game.deleteRoom(roomCode);
          next = null;
          written = false;
          break;
        }
        if (next === null || next > Date.now()) break;
      }
      if (!written) await this.index.completeDeadline(roomCode, leasedUntil, next);
    } catch (error) {
      if (error instanceof RoomNotFoundError) {
        await this.settle(roomCode, leasedUntil, null);
        return;
      }
      this.logger.warn({ roomCode, err: error }, 'deadline not acted on');
      // Redis away or the room busy: soon again. Anything else: once the lease has run out.
      const retry = error instanceof RuleViolationError ? this.leaseMs : RETRY_MS;
      await this.settle(roomCode, leasedUntil, Date.now() + retry);
      return;
    }
    if (last) this.noteRun(roomCode, { version: last.version, next });
  }

  /** What this run's own changes leave due, unless a newer change was made here meanwhile. */
  private noteRun(roomCode: string, seen: Seen): void {
    const had = this.during.get(roomCode);
    if (!had || had.version < seen.version) this.during.set(roomCode, seen);
  }

  private pick(state: RoomState, picked: Picked): Action | null {
    const action = dueActions(state, Date.now(), this.clock)[0] ?? null;
    picked.action = action;
    picked.before = state;
    if (action?.type === 'grace_expired') {
      picked.dueAt = (action.disconnectedAt ?? 0) + this.clock.graceMs;
    } else if (action) {
      picked.dueAt = turnDeadline(state, this.clock) ?? Date.now();
    }
    return action;
  }

  private landed(roomCode: string, action: Action, dueAt: number): void {
    this.metrics.acted(kindOf(action), Date.now() - dueAt);
    if (action.type === 'grace_expired') {
      this.logger.log({ roomCode, playerId: action.playerId }, 'grace expired');
    }
  }

  /** Ends a lease after a failure, best effort: if this fails too, the lease runs out. */
  private async settle(roomCode: string, leasedUntil: number, next: number | null): Promise<void> {
    try {
      await this.index.completeDeadline(roomCode, leasedUntil, next);
    } catch (error) {
      this.logger.warn({ roomCode, err: error }, 'deadline lease not ended');
    }
  }
}

function kindOf(action: Action): DeadlineKind {
  if (action.type === 'grace_expired') return 'grace';
  return action.type === 'turn_timeout' ? 'turn' : 'bot';
}
