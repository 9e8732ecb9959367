import type { DeadlineIndex } from '../game-state/deadline-index.port';
import type { MatchState, SeatedPlayer } from '../game-state/domain/types';
import type { RoomMeta, RoomStore } from '../game-state/room-store.port';
import type { LobbyStore } from '../lobby/lobby-store.port';
import type { PlayerSession, SeatRegistry } from '../rooms/seat-registry.port';
import type { SpectatorRegistry } from '../rooms/spectator-registry.port';

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
 * The pre-migration RedisManager's methods, in camelCase: the migration guide's compatible
 * interface, kept for callers written against it (the game itself uses RoomStore/SeatRegistry).
 */
export interface RedisManagerApi {
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
  /** Stores a session under the hash of its token (the token itself is never stored). */
  savePlayerSession(sessionToken: string, session: PlayerSession): Promise<void>;
  getPlayerSession(sessionToken: string): Promise<PlayerSession | null>;
  deletePlayerSession(sessionToken: string): Promise<void>;
  getPerformanceMetrics(): PerformanceMetrics;
}

/** The store's own lifecycle and health, for the redis module, /health and /metrics. */
export interface StoreConnection {
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
  /** How many rooms were active within the room TTL (one ZCOUNT; for metrics). */
  countActiveRooms(): Promise<number>;
}

/**
 * The whole store (token GAME_STORE): the ports the features consume, the guide's interface and
 * the store's lifecycle. One implementation per provider; feature code depends on a port only.
 */
export type GameStore = RoomStore &
  SeatRegistry &
  DeadlineIndex &
  SpectatorRegistry &
  LobbyStore &
  RedisManagerApi &
  StoreConnection;
