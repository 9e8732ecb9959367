import type { MatchState, Phase, SeatedPlayer } from '../game-state/domain/types';

/** The room fields kept beside players and match state. */
export interface RoomMeta {
  phase: Phase;
  targetScore: number;
  hostId: string | null;
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
}

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
  | { status: 'committed'; version: number }
  /**
   * The room moved on: `version` is the current one; re-read and retry (`current` is the room
   * as it is now, when CommitOptions.returnCurrent asked for it).
   */
  | { status: 'conflict'; version: number; current?: RoomSnapshot }
  | { status: 'not_found' };

/** What a seat's session token leads to. */
export interface PlayerSession {
  roomCode: string;
  playerId: string;
}

/** A claimed reconnect-grace deadline. */
export interface DueTimer {
  roomCode: string;
  playerId: string;
  /** When the player disconnected (ms); the timer is stale if the player reconnected since. */
  disconnectedAt: number;
}

/** A seat's socket, registered by the instance that holds it (read only if that instance dies). */
export interface RegisteredConnection {
  roomCode: string;
  playerId: string;
  /** The socket id; the seat still belongs to it only while the room says so. */
  connectionId: string;
}

/** What an instance's heartbeat learned. */
export interface HeartbeatResult {
  /**
   * This instance was not on record as alive: others had given it up for dead (its seats may
   * have been marked disconnected), or this is its first beat.
   */
  revived: boolean;
  /** Silent instances now leased to the caller, whose registered seats it must disconnect. */
  dead: string[];
}

/** Counters and latencies of one (operation, path) pair. */
export interface OperationMetrics {
  operation: string;
  path: string;
  count: number;
  errors: number;
  avg_latency_ms: number;
  p50_latency_ms: number;
  p99_latency_ms: number;
}

/** The migration guide's performance metrics, plus per-operation detail. */
export interface PerformanceMetrics {
  provider: 'async' | 'hybrid';
  path: string;
  total_operations: number;
  total_errors: number;
  error_rate: number;
  /** Milliseconds. */
  avg_latency: number;
  p50_latency: number;
  p99_latency: number;
  fallbacks: number;
  operations: OperationMetrics[];
}

/**
 * The state store port: every Redis operation the app needs. Names follow the pre-migration
 * RedisManager; feature code depends on this (token GAME_STORE), never on a provider class.
 */
export interface GameStore {
  /** Which provider this is, for health and metrics. */
  readonly provider: 'async' | 'hybrid';
  /** Which path(s) serve operations: `async`, `async+legacy` or `legacy`. */
  readonly path: string;

  /** Connects every path (PING, script load); rejects with one clear line if Redis is absent. */
  connect(): Promise<void>;
  /** Waits for in-flight operations, then QUITs every connection. */
  disconnect(): Promise<void>;
  /** PINGs every path in use, bounded by `timeoutMs`; rejects when Redis does not answer. */
  ping(timeoutMs: number): Promise<void>;

  /** Creates a room (version 1) with its first players, if any; false if the code is taken. */
  createRoom(roomCode: string, meta: RoomMeta, players?: SeatedPlayer[]): Promise<boolean>;
  roomExists(roomCode: string): Promise<boolean>;
  /** Adds or replaces a player; false if the room does not exist. */
  addPlayerToRoom(roomCode: string, player: SeatedPlayer): Promise<boolean>;
  /** Players ordered by seat; [] for a missing room. */
  getRoomPlayers(roomCode: string): Promise<SeatedPlayer[]>;
  /** Replaces an existing player's record; false if the room or the player does not exist. */
  updatePlayerInRoom(roomCode: string, player: SeatedPlayer): Promise<boolean>;
  /** Stores the match state unconditionally; false if the room does not exist. */
  saveGameState(roomCode: string, match: MatchState): Promise<boolean>;
  getGameState(roomCode: string): Promise<MatchState | null>;
  /** Removes the match state; false if the room does not exist. */
  deleteGameState(roomCode: string): Promise<boolean>;
  /** Empties a room (players and match gone, back to waiting); false if it does not exist. */
  clearRoom(roomCode: string): Promise<boolean>;
  /** Removes every key of a room and its index entry; false if there was nothing to remove. */
  deleteRoom(roomCode: string): Promise<boolean>;
  /** Live room codes, most recently active first (from the activity index, never KEYS). */
  getActiveRooms(limit?: number): Promise<string[]>;
  /** How many rooms were active within the room TTL (one ZCOUNT; for metrics). */
  countActiveRooms(): Promise<number>;

  /** Stores a session under the hash of its token (the token itself is never stored). */
  savePlayerSession(sessionToken: string, session: PlayerSession): Promise<void>;
  getPlayerSession(sessionToken: string): Promise<PlayerSession | null>;
  deletePlayerSession(sessionToken: string): Promise<void>;

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

  /** Schedules (or moves) a player's reconnect-grace deadline. */
  scheduleGraceTimer(timer: DueTimer, dueAtMs: number): Promise<void>;
  /** Drops a deadline that no longer applies (the player came back). */
  cancelGraceTimer(timer: DueTimer): Promise<void>;
  /** Atomically leases due timers to this caller for `leaseMs`; others will not see them meanwhile. */
  claimDueGraceTimers(nowMs: number, leaseMs: number, limit: number): Promise<DueTimer[]>;
  /** Removes a handled timer (only if it is still the same deadline). */
  completeGraceTimer(timer: DueTimer): Promise<void>;

  /** Registers a socket this instance holds for a seat, so survivors can free it if we die. */
  registerConnection(instanceId: string, connection: RegisteredConnection): Promise<void>;
  /** Forgets a registered socket (it disconnected, or left its seat). */
  unregisterConnection(instanceId: string, connection: RegisteredConnection): Promise<void>;
  /**
   * Records `instanceId` alive at `nowMs`, and atomically leases to it (for `leaseMs`) up to
   * `limit` instances silent since before `silentBeforeMs`, or whose previous lease ran out.
   */
  instanceHeartbeat(
    instanceId: string,
    nowMs: number,
    silentBeforeMs: number,
    leaseMs: number,
    limit: number,
  ): Promise<HeartbeatResult>;
  /** The sockets an instance registered. */
  registeredConnections(instanceId: string): Promise<RegisteredConnection[]>;
  /** Drops a dead instance and its registrations once its seats were freed (not if it beat since). */
  forgetInstance(instanceId: string): Promise<void>;

  getPerformanceMetrics(): PerformanceMetrics;
}
