import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { applyAction, newRoom } from './domain/rules';
import type { Action, DomainEvent, RoomState, Rng, Visibility } from './domain/types';
import { ROOM_STORE } from './game-state.constants';
import { RoomBusyError, RoomNotFoundError, RuleViolationError } from './game-state.errors';
import {
  KnownRooms,
  type ArrivedPatch,
  type RoomIncarnation,
  type KnownRoom,
  type PatchedChange,
} from './known-rooms';
import { RoomChangeExtensions } from './room-change-extensions';
import { diffRoom } from './room-diff';
import { knownRoomOf } from './room-snapshot';
import type {
  CommitOptions,
  CommitResult,
  RoomChange,
  RoomSnapshot,
  RoomStore,
} from './room-store.port';
import { StoreUnavailableError } from './store-unavailable.error';

/** How many times a version conflict is re-read and re-applied before giving up. */
export const MAX_APPLY_ATTEMPTS = 8;

/** A change that landed: the room after it (with its new version) and what happened. */
export interface AppliedChange {
  state: RoomState;
  events: DomainEvent[];
}

export const GAME_RNG = Symbol('GAME_RNG');

/** How many times a commit whose answer was lost is replayed (same commit id) before failing. */
export const COMMIT_REPLAYS = 3;

function timed(action: Action): Action {
  return action.at === undefined ? { ...action, at: Date.now() } : action;
}

/**
 * Applies actions to rooms: run the pure rules in Node on the room's state, compare-and-set on
 * the room's version, retry on conflict. Two writers can never both apply to one version.
 *
 * The state an action is applied to is the last one this instance committed or saw (one round
 * trip per action: the write itself); Redis checks it is still current, and on a conflict the
 * write answers the room as it is now, so the retry needs no read either. Anything that does not
 * write (a refused action, a no-op) is only answered after a fresh read: a remembered state may
 * be behind, and a refusal must be about the room as it is.
 */
@Injectable()
export class GameStateService {
  private readonly logger = new Logger(GameStateService.name);
  private readonly known = new KnownRooms();
  /** Committed states (AppliedChange's), to the instances their spectators watched from. */
  private readonly watchedFrom = new WeakMap<RoomState, readonly string[]>();

  constructor(
    @Inject(ROOM_STORE) private readonly store: RoomStore,
    @Inject(GAME_RNG) private readonly rng: Rng,
    private readonly extensions: RoomChangeExtensions,
  ) {}

  /** Creates a room with its host seated (private unless told otherwise); null if the code is taken. */
  async createRoom(
    roomCode: string,
    targetScore: number,
    host: { playerId: string; name: string; connectionId?: string },
    visibility: Visibility = 'private',
  ): Promise<AppliedChange | null> {
    const state: RoomState = {
      ...newRoom(roomCode, targetScore, host),
      visibility,
      createdAt: Date.now(),
    };
    const meta = {
      phase: state.phase,
      targetScore: state.targetScore,
      hostId: state.hostId,
      visibility,
    };
    const extras = this.extensions.extrasFor(null, { ...state, version: 1 }, []);
    // The create's commit id is the new room's epoch: remembered with its first version.
    const epoch = randomUUID();
    const created = await this.store.createRoom(roomCode, meta, state.players, extras, epoch);
    if (!created) return null;
    // Creating the room with its host seated is its first version; no one can watch it before.
    const first = { ...state, version: 1 };
    this.known.remember({ state: first, epoch, matchJson: null, spectators: 0 });
    this.watchedFrom.set(first, []);
    return { state: first, events: [] };
  }

  /** Removes a room that no one can use any more. */
  async deleteRoom(roomCode: string): Promise<void> {
    this.known.forget(roomCode);
    await this.store.deleteRoom(roomCode);
  }

  /** The room as it is now (a fresh read), or null. */
  async load(roomCode: string): Promise<RoomState | null> {
    return (await this.read(roomCode))?.state ?? null;
  }

  /**
   * Applies one action (or the action a function picks from the current state) atomically. Throws RuleViolationError (nothing changed), RoomNotFoundError,
   * RoomBusyError after MAX_APPLY_ATTEMPTS conflicts, or a store error.
   * `precheck` may veto the action against the current state (returns false: no change).
   */
  async apply(
    roomCode: string,
    action: Action | ((state: RoomState) => Action | null),
    precheck?: (state: RoomState) => boolean,
  ): Promise<AppliedChange> {
    // One commit id per action: a store-level retry of the same write is recognised, not doubled.
    const commitId = randomUUID();
    let room = this.known.get(roomCode);
    let fresh = false;
    for (let conflicts = 0; ;) {
      if (!room) {
        room = await this.read(roomCode);
        if (!room) throw new RoomNotFoundError(roomCode);
        fresh = true;
      }
      const current = room.state;
      // An action derived from the state (a bot's move) is derived again after a conflict.
      const next =
        precheck && !precheck(current)
          ? null
          : typeof action === 'function'
            ? action(current)
            : action;
      // Time enters the rules only through `at`: an action handed in without it happens now
      // (else a turn it hands on would have no known start, and so no deadline).
      const result = next === null ? null : applyAction(current, timed(next), this.rng);
      if (!result?.ok || result.events.length === 0) {
        // No write, so nothing checked the state: answer only from a fresh one.
        if (!fresh) {
          room = undefined;
          continue;
        }
        if (result && !result.ok) throw new RuleViolationError(result.code, result.message);
        return { state: current, events: [] };
      }
      const change: RoomChange = {
        ...diffRoom(current, result.state, room.matchJson),
        ...this.extensions.extrasFor(current, result.state, result.events),
      };
      const commit = await this.commitSurely(roomCode, current.version, change, commitId, {
        expectedEpoch: room.epoch,
        returnCurrent: true,
      });
      if (commit.status === 'committed') {
        if (commit.version === current.version + 1) {
          const state = { ...result.state, version: commit.version };
          const matchJson =
            change.match !== undefined ? (change.matchJson ?? null) : room.matchJson;
          const spectators = commit.spectators ?? room.spectators;
          this.known.remember({ state, epoch: room.epoch, matchJson, spectators, before: current });
          if (commit.spectatorInstances) this.watchedFrom.set(state, commit.spectatorInstances);
          const followUp = this.extensions.afterCommit(current, state, result.events);
          if (followUp) await followUp;
          return { state, events: result.events };
        }
        const followUp = this.extensions.afterCommit(current, result.state, result.events);
        if (followUp) await followUp;
        // A replayed commit answers the room's current version: others wrote after ours, so
        // our state is not that version's. The room as it is now goes with what happened.
        const now = await this.read(roomCode);
        if (!now) throw new RoomNotFoundError(roomCode);
        return { state: now.state, events: result.events };
      }
      if (commit.status === 'not_found') {
        this.known.forget(roomCode);
        throw new RoomNotFoundError(roomCode);
      }
      this.logger.debug({ roomCode, attempt: conflicts + 1 }, 'version conflict');
      if (++conflicts >= MAX_APPLY_ATTEMPTS) {
        this.known.forget(roomCode);
        throw new RoomBusyError();
      }
      room = commit.current ? this.known.remember(knownRoomOf(commit.current)) : undefined;
      fresh = room !== undefined;
    }
  }

  /**
   * The room incarnation of a state this instance handed out (an AppliedChange's state, or a
   * load), for the broadcast. Null when `state` is not the one it remembers (another change came
   * in since); receivers then simply do not remember it.
   */
  knownAs(state: RoomState): { epoch: string } | null {
    return this.known.knownAs(state);
  }

  /**
   * An AppliedChange's state as a patch of the version it was committed on, while it is the state
   * remembered for its room; undefined otherwise (a read, another instance's change, a newer
   * change since). Another instance that holds that version can rebuild the state from it.
   */
  changeOf(state: RoomState): PatchedChange | undefined {
    return this.known.changeOf(state);
  }

  /**
   * The instances the room's spectators watched from when `state` (an AppliedChange's state) was
   * committed, as Redis answered with the commit: every spectator that started watching later
   * read this state or a newer one itself. Undefined for a state this instance did not commit
   * (a read, another instance's change, a replayed commit).
   */
  spectatorInstancesOf(state: RoomState): readonly string[] | undefined {
    return this.watchedFrom.get(state);
  }

  /** A change another instance committed (its broadcast): remembered if it is news here. */
  observe(state: RoomState, epoch: string, spectators?: number): void {
    this.known.remember({ state, epoch, spectators });
  }

  /**
   * A change another instance committed and sent as a patch (see changeOf): the state it leads
   * to, remembered, when this instance holds the version it was made on (or that state already),
   * as the state known here or as `delivered`, the one its sockets got last. Undefined when it
   * does not: the room is then to be read (see load).
   */
  observePatch(arrived: ArrivedPatch, delivered?: RoomIncarnation): RoomState | undefined {
    return this.known.patched(arrived, delivered);
  }

  /**
   * How many sockets watch the room, as Redis counted them with the newest state this instance
   * committed, read or saw (the commit and the read answer it, so it costs no round trip); 0 for
   * a room it does not know.
   */
  spectatorsOf(roomCode: string): number {
    return this.known.spectatorsOf(roomCode);
  }

  /**
   * A write whose answer was lost (a timeout, a dropped connection) may still have landed. The
   * same commit id is replayed, which Redis never applies twice, so that an action is reported
   * as failed only when it did not happen (or Redis stayed out of reach for every replay).
   */
  private async commitSurely(
    roomCode: string,
    expectedVersion: number,
    change: RoomChange,
    commitId: string,
    options: CommitOptions,
  ): Promise<CommitResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.store.commitRoom(roomCode, expectedVersion, change, commitId, options);
      } catch (error) {
        if (!(error instanceof StoreUnavailableError) || attempt >= COMMIT_REPLAYS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  }

  /** Reads the room from Redis and remembers it. */
  private async read(roomCode: string): Promise<KnownRoom | undefined> {
    let snapshot: RoomSnapshot | null;
    try {
      snapshot = await this.store.loadRoom(roomCode);
    } catch (error) {
      // Unreadable (or unreachable): what this instance remembers is no longer to be trusted.
      this.known.forget(roomCode);
      throw error;
    }
    if (!snapshot) {
      this.known.forget(roomCode);
      return undefined;
    }
    return this.known.remember(knownRoomOf(snapshot));
  }
}
