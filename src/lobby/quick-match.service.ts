import { Injectable } from '@nestjs/common';
import type { RoomState } from '../game-state/domain/types';
import { RoomNotFoundError, RuleViolationError } from '../game-state/game-state.errors';
import { GameStateService, type AppliedChange } from '../game-state/game-state.service';
import { newRoomCode } from '../rooms/room-codes';
import { NoTableFoundError } from './lobby.errors';
import { LobbyService } from './lobby.service';
import type { LobbyClaim } from './lobby-store.port';

/** How many claims one quick match makes before giving up (each failed one forgets a room). */
const MAX_CLAIMS = 8;
/** How long a join waits for a room that a concurrent quick match is still creating (ms). */
const OPENING_WAIT_MS = 3_000;
const OPENING_POLL_MS = 50;

/** Who is looking for a table. */
export interface QuickMatchSeeker {
  playerId: string;
  name: string;
  targetScore: number;
  /** The socket that will speak for the seat. */
  connectionId?: string;
}

/**
 * What goes with each attempt at a seat: `prepare` before the room's write (the session, the
 * socket's registration), `abandon` when the seat was not taken after all.
 */
export interface QuickMatchHooks {
  prepare(roomCode: string): Promise<void>;
  abandon(roomCode: string): Promise<void>;
}

/** The seat a quick match took: the room after the join or create that took it. */
export interface QuickMatchSeat {
  roomCode: string;
  change: AppliedChange;
  /** True when the caller created the room (and hosts it). */
  opened: boolean;
}

/** A room a quick match may join: still the public waiting room of the target it was claimed in. */
function joinable(state: RoomState, targetScore: number): boolean {
  return (
    state.visibility === 'public' &&
    state.targetScore === targetScore &&
    state.phase === 'waiting_for_players'
  );
}

/**
 * Quick match: a seat claimed atomically in the lobby (the fullest public waiting room of the
 * target, or a new room the caller hosts), then taken through the room's own versioned join or
 * create, as `join` and `create_room` take theirs. A claim whose seat cannot be taken (the room is
 * gone, full, or not what the lobby thought) is given back with the room forgotten, and the caller
 * claims again. Knows nothing of sockets: the gateway binds the seat it answers.
 */
@Injectable()
export class QuickMatchService {
  constructor(
    private readonly lobby: LobbyService,
    private readonly game: GameStateService,
  ) {}

  async seat(seeker: QuickMatchSeeker, hooks: QuickMatchHooks): Promise<QuickMatchSeat> {
    for (let attempt = 0; attempt < MAX_CLAIMS; attempt++) {
      const claim = await this.lobby.claimSeat(seeker.targetScore, newRoomCode(), seeker.playerId);
      if (claim.kind === 'code_taken') continue;
      const seat =
        claim.kind === 'open'
          ? await this.open(seeker, claim.roomCode, hooks)
          : await this.take(seeker, claim, hooks);
      if (seat) return seat;
    }
    throw new NoTableFoundError();
  }

  /** Creates the room the claim registered, the caller as host; null if its code was taken. */
  private async open(
    seeker: QuickMatchSeeker,
    roomCode: string,
    hooks: QuickMatchHooks,
  ): Promise<QuickMatchSeat | null> {
    const host = {
      playerId: seeker.playerId,
      name: seeker.name,
      connectionId: seeker.connectionId,
    };
    let change: AppliedChange | null;
    try {
      [change] = await Promise.all([
        this.game.createRoom(roomCode, seeker.targetScore, host, 'public'),
        hooks.prepare(roomCode),
      ]);
    } catch (error) {
      await this.giveUp(seeker, roomCode, true, hooks);
      throw error;
    }
    if (change) return { roomCode, change, opened: true };
    // A room outside the lobby has the code: the lobby forgets it, the caller claims again.
    await this.giveUp(seeker, roomCode, true, hooks);
    return null;
  }

  /** Joins the room the claim reserved a seat in; null if that seat could not be taken. */
  private async take(
    seeker: QuickMatchSeeker,
    claim: LobbyClaim & { kind: 'join' },
    hooks: QuickMatchHooks,
  ): Promise<QuickMatchSeat | null> {
    const { roomCode } = claim;
    const { playerId, name, connectionId } = seeker;
    await hooks.prepare(roomCode);
    const waitUntil = claim.opening ? Date.now() + OPENING_WAIT_MS : 0;
    for (;;) {
      let change: AppliedChange;
      try {
        change = await this.game.apply(
          roomCode,
          { type: 'join', playerId, name, connectionId },
          (state) => joinable(state, seeker.targetScore),
        );
      } catch (error) {
        // The quick match that opened the room may not have created it yet.
        if (error instanceof RoomNotFoundError && Date.now() < waitUntil) {
          await new Promise((resolve) => setTimeout(resolve, OPENING_POLL_MS));
          continue;
        }
        const notJoinable =
          error instanceof RoomNotFoundError || error instanceof RuleViolationError;
        await this.giveUp(seeker, roomCode, notJoinable, hooks);
        if (notJoinable) return null;
        throw error;
      }
      if (change.state.players.some((p) => p.playerId === playerId)) {
        return { roomCode, change, opened: false };
      }
      // The precheck refused: no longer the lobby's public waiting room of this target.
      await this.giveUp(seeker, roomCode, true, hooks);
      return null;
    }
  }

  /** The claimed seat was not taken: the claim goes (and the room, if unjoinable), then the rest. */
  private async giveUp(
    seeker: QuickMatchSeeker,
    roomCode: string,
    forgetRoom: boolean,
    hooks: QuickMatchHooks,
  ): Promise<void> {
    await Promise.all([
      this.lobby
        .releaseSeat(seeker.targetScore, roomCode, seeker.playerId, forgetRoom)
        // A claim that could not be given back runs out by itself.
        .catch(() => undefined),
      hooks.abandon(roomCode),
    ]);
  }
}
