import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { GAME_STORE } from '../redis/redis.constants';
import type { GameStore, RoomChange, RoomSnapshot } from '../redis/store.port';
import { applyAction, newRoom } from './domain/rules';
import type { Action, DomainEvent, RoomState, Rng } from './domain/types';
import { RoomBusyError, RoomNotFoundError, RuleViolationError } from './game-state.errors';

/** How many times a version conflict is re-read and re-applied before giving up. */
export const MAX_APPLY_ATTEMPTS = 8;

/** A change that landed: the room after it (with its new version) and what happened. */
export interface AppliedChange {
  state: RoomState;
  events: DomainEvent[];
}

export const GAME_RNG = Symbol('GAME_RNG');

function toState(snapshot: RoomSnapshot): RoomState {
  return {
    roomCode: snapshot.roomCode,
    version: snapshot.version,
    phase: snapshot.phase,
    targetScore: snapshot.targetScore,
    hostId: snapshot.hostId,
    players: snapshot.players,
    match: snapshot.match,
  };
}

/** The smallest RoomChange that turns `before` into `after`. */
export function diffRoom(before: RoomState, after: RoomState): RoomChange {
  const change: RoomChange = {
    meta: { phase: after.phase, targetScore: after.targetScore, hostId: after.hostId },
  };
  const old = new Map(before.players.map((p) => [p.playerId, JSON.stringify(p)]));
  const upserts = after.players.filter((p) => old.get(p.playerId) !== JSON.stringify(p));
  if (upserts.length) change.upsertPlayers = upserts;
  const kept = new Set(after.players.map((p) => p.playerId));
  const removed = before.players.filter((p) => !kept.has(p.playerId)).map((p) => p.playerId);
  if (removed.length) change.removePlayers = removed;
  if (JSON.stringify(before.match) !== JSON.stringify(after.match)) change.match = after.match;
  return change;
}

/**
 * Applies actions to rooms: read, run the pure rules in Node, compare-and-set on the room's
 * version, re-read and retry on conflict. Two writers can never both apply to one version.
 */
@Injectable()
export class GameStateService {
  private readonly logger = new Logger(GameStateService.name);

  constructor(
    @Inject(GAME_STORE) private readonly store: GameStore,
    @Inject(GAME_RNG) private readonly rng: Rng,
  ) {}

  /** Creates a room with its host seated; null if the code is taken. */
  async createRoom(
    roomCode: string,
    targetScore: number,
    host: { playerId: string; name: string; socketId?: string },
  ): Promise<AppliedChange | null> {
    const state = newRoom(roomCode, targetScore, host);
    const meta = { phase: state.phase, targetScore: state.targetScore, hostId: state.hostId };
    const created = await this.store.createRoom(roomCode, meta, state.players);
    // Creating the room with its host seated is its first version.
    return created ? { state: { ...state, version: 1 }, events: [] } : null;
  }

  /** Removes a room that no one can use any more. */
  async deleteRoom(roomCode: string): Promise<void> {
    await this.store.deleteRoom(roomCode);
  }

  /** The room as it is now, or null. */
  async load(roomCode: string): Promise<RoomState | null> {
    const snapshot = await this.store.loadRoom(roomCode);
    return snapshot ? toState(snapshot) : null;
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
    for (let attempt = 1; attempt <= MAX_APPLY_ATTEMPTS; attempt++) {
      const current = await this.load(roomCode);
      if (!current) throw new RoomNotFoundError(roomCode);
      if (precheck && !precheck(current)) return { state: current, events: [] };
      // An action derived from the state (a bot's move) is derived again after a conflict.
      const next = typeof action === 'function' ? action(current) : action;
      if (next === null) return { state: current, events: [] };
      const result = applyAction(current, next, this.rng);
      if (!result.ok) throw new RuleViolationError(result.code, result.message);
      if (result.events.length === 0) return { state: current, events: [] };
      const commit = await this.store.commitRoom(
        roomCode,
        current.version,
        diffRoom(current, result.state),
        commitId,
      );
      if (commit.status === 'committed') {
        return { state: { ...result.state, version: commit.version }, events: result.events };
      }
      if (commit.status === 'not_found') throw new RoomNotFoundError(roomCode);
      this.logger.debug(`roomCode=${roomCode} version conflict (attempt ${attempt})`);
    }
    throw new RoomBusyError();
  }
}
