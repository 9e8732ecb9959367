import type { MatchState, Phase, SeatedPlayer, Visibility } from './domain/types';

/** The room fields kept beside players and match state. */
export interface RoomMeta {
  phase: Phase;
  targetScore: number;
  hostId: string | null;
  /** Set at create; a room stored without it is private. */
  visibility?: Visibility;
}

/** A room as read in one atomic snapshot. */
export interface RoomSnapshot extends RoomMeta {
  roomCode: string;
  version: number;
  createdAt: number;
  updatedAt: number;
  /** Ordered by seat. */
  players: SeatedPlayer[];
  match: MatchState | null;
  /**
   * This incarnation of the room code (set at create; '' for rooms written before epochs): a
   * room deleted and created again under the same code has another epoch.
   */
  epoch: string;
  /** `match` as stored (JSON), when the reader had it: spares a caller re-encoding it to compare. */
  matchJson?: string | null;
  /** Sockets watching the room (every instance), as counted at this read; not versioned state. */
  spectators?: number;
}

/**
 * An entry of a sorted-set index kept outside the room (the deadline index, the lobby), written
 * with the change: set to `score`, or removed when `score` is null. `index` is a logical name;
 * the store maps it to a key. Applied only when the change lands (on Redis Cluster, where an
 * index lives in another slot, it is sent beside the commit in the same round trip, so a reader
 * must treat an index entry as a hint and check the room itself).
 */
export interface IndexUpdate {
  index: string;
  member: string;
  score: number | null;
}

/** One atomic change to a room. Absent fields stay as they are. */
export interface RoomChange {
  meta?: Partial<RoomMeta>;
  /** Players to add or replace, by playerId. */
  upsertPlayers?: SeatedPlayer[];
  removePlayers?: string[];
  /** A match state to store, or null to delete it. */
  match?: MatchState | null;
  /** `JSON.stringify(match)`, when the caller already has it (it is then stored as given). */
  matchJson?: string;
  /** Index entries written with the change (see IndexUpdate). */
  indexes?: IndexUpdate[];
  /**
   * Lines appended to the room's journal, a list in the room's own keys with the room's TTL:
   * what a change adds to a record (match records) travels in the change's own commit.
   */
  journal?: string[];
}

/** What features keep beside a room, written in the same commit as the change that makes it. */
export type RoomChangeExtras = Pick<RoomChange, 'indexes' | 'journal'>;

/** Conditions and answers of a versioned write beyond the version itself. */
export interface CommitOptions {
  /**
   * Commit only to this incarnation of the room (RoomSnapshot.epoch); another one is a conflict.
   * A caller that keeps a room between calls needs it: versions restart when a code is reused.
   */
  expectedEpoch?: string;
  /** On a conflict, answer the room as it is now (`current`), so a retry needs no loadRoom. */
  returnCurrent?: boolean;
}

/** The answer of a versioned write. */
export type CommitResult =
  /**
   * `spectators`: sockets watching the room, as counted at the commit, and `spectatorInstances`
   * the instances they watch from (when the store knows).
   */
  | { status: 'committed'; version: number; spectators?: number; spectatorInstances?: string[] }
  /**
   * The room moved on: `version` is the current one; re-read and retry (`current` is the room
   * as it is now, when CommitOptions.returnCurrent asked for it).
   */
  | { status: 'conflict'; version: number; current?: RoomSnapshot }
  | { status: 'not_found' };

/**
 * Where rooms live (token ROOM_STORE): atomic reads and versioned writes of a whole room.
 * A transport failure rejects with StoreUnavailableError; the write may or may not have landed.
 */
export interface RoomStore {
  /**
   * Creates a room (version 1) with its first players, if any, and what the features keep beside
   * it (`extras`: index entries, journal lines); false if the code is taken. `commitId` (a new
   * one unless given) is the create's, and becomes the room's epoch (RoomSnapshot.epoch).
   */
  createRoom(
    roomCode: string,
    meta: RoomMeta,
    players?: SeatedPlayer[],
    extras?: RoomChangeExtras,
    commitId?: string,
  ): Promise<boolean>;
  /** Removes every key of a room and its index entry; false if there was nothing to remove. */
  deleteRoom(roomCode: string): Promise<boolean>;
  /** One atomic read of a whole room; null if it does not exist. */
  loadRoom(roomCode: string): Promise<RoomSnapshot | null>;
  /**
   * Applies `change` atomically if the room is still at `expectedVersion`, bumping the version.
   * `commitId` makes the write idempotent: a replay of a landed write answers `committed`.
   * One round trip: the change, the TTL refresh and the activity index in one script.
   */
  commitRoom(
    roomCode: string,
    expectedVersion: number,
    change: RoomChange,
    commitId: string,
    options?: CommitOptions,
  ): Promise<CommitResult>;
}
