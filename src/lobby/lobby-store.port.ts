import type { Phase, Visibility } from '../game-state/domain/types';

/**
 * The lobby's logical index names (RoomChange.indexes) for one target score. The four of a
 * target share the hash tag `{lobby:T}`, so one script can read and write them all on a Redis
 * Cluster; the rooms in play of every target share one index of their own.
 */
export interface LobbyIndexNames {
  /** Public waiting rooms with a human in them: member room code, score waitingScore(). */
  waiting: string;
  /** The same rooms, scored by their last change (ms): a room idle past its TTL has expired. */
  touched: string;
  /** Seated players of those rooms: members `CODE|playerId`, all scored 0 (read by lex range). */
  seated: string;
  /** Seats a quick match has claimed and not yet taken: members `CODE|playerId`, score expiry. */
  claims: string;
}

/** The target scores a room may have (the protocol's 1 to 7). */
export const TARGET_SCORES = [1, 2, 3, 4, 5, 6, 7] as const;

/** Public rooms in hokm_selection or gameplay, every target: member room code, score activity. */
export const PLAYING_INDEX = 'lobby:playing';

export function lobbyIndexNames(targetScore: number): LobbyIndexNames {
  const tag = `{lobby:${targetScore}}`;
  return {
    waiting: `${tag}:waiting`,
    touched: `${tag}:touched`,
    seated: `${tag}:seated`,
    claims: `${tag}:claims`,
  };
}

/** A seat as the lobby's sets name it. */
export function seatMember(roomCode: string, playerId: string): string {
  return `${roomCode}|${playerId}`;
}

const SCORE_PER_FREE_SEAT = 1e13;

/**
 * A waiting room's place in its target's waiting index: most players first, then the one
 * created first (ms since the epoch stay below 1e13 until the year 2286; the score is exact).
 */
export function waitingScore(players: number, createdAt: number): number {
  return (4 - players) * SCORE_PER_FREE_SEAT + createdAt;
}

/** What a quick match's claim got. */
export type LobbyClaim =
  /**
   * A seat in this public waiting room is reserved for the caller. `opening`: nobody is seated
   * yet and a quick match registered the room moments ago: its create may still be on its way,
   * so a join that finds no room should wait a little before giving up on it.
   */
  | { kind: 'join'; roomCode: string; opening: boolean }
  /** No public waiting room had a free seat: the caller's code is registered, the caller hosts. */
  | { kind: 'open'; roomCode: string }
  /** The caller's new code is already in the lobby: claim again with another. */
  | { kind: 'code_taken' };

/** A public room as a listing shows it, read in one atomic snapshot of the room. */
export interface LobbyRoomRecord {
  roomCode: string;
  phase: Phase;
  targetScore: number;
  visibility: Visibility;
  createdAt: number;
  updatedAt: number;
  /** Ordered by seat. */
  players: Array<{ name: string; seat: number; bot: boolean }>;
  spectators: number;
}

/** An index entry a listing found. */
export interface LobbyEntry {
  roomCode: string;
  score: number;
}

/**
 * Where the lobby lives (token LOBBY_STORE): its indexes are written by the rooms' own commits
 * (LobbyIndexExtension); this port reads them and holds the quick match's seat claims. A
 * transport failure rejects with StoreUnavailableError.
 */
export interface LobbyStore {
  /**
   * One atomic step in the target's slot: reserve a free seat of the fullest public waiting room
   * (ties: the oldest), or, with none, register `newRoomCode` as opening with the caller's seat
   * reserved. The reservation lasts `claimTtlMs` unless the seat is taken or released first.
   */
  claimQuickMatchSeat(
    targetScore: number,
    roomCode: string,
    playerId: string,
    claimTtlMs: number,
  ): Promise<LobbyClaim>;
  /**
   * Gives up a claim whose seat was not taken; with `forgetRoom`, also takes the room out of the
   * lobby (it is gone, full, or not what the lobby thought).
   */
  releaseQuickMatchSeat(
    targetScore: number,
    roomCode: string,
    playerId: string,
    forgetRoom: boolean,
  ): Promise<void>;
  /**
   * The best `limit` entries of every target's waiting index (expired rooms dropped first),
   * each list in index order.
   */
  waitingRooms(limit: number): Promise<LobbyEntry[][]>;
  /** The `limit` most recently active public rooms in play (entries past the room TTL dropped). */
  playingRooms(limit: number): Promise<LobbyEntry[]>;
  /** One atomic read per room, all in one round trip; null for a room that does not exist. */
  lobbyRooms(roomCodes: string[]): Promise<Array<LobbyRoomRecord | null>>;
  /** Drops entries of the in-play index whose rooms no longer exist. */
  forgetPlayingRooms(roomCodes: string[]): Promise<void>;
}
