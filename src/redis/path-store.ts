import { randomUUID } from 'node:crypto';
import type { MatchState, SeatedPlayer } from '../game-state/domain/types';
import type { StorePath } from './store-path';
import { StoreMetrics } from './store-metrics';
import type {
  CommitOptions,
  CommitResult,
  RoomChange,
  RoomMeta,
  RoomSnapshot,
} from '../game-state/room-store.port';
import type {
  DueTimer,
  HeartbeatResult,
  PlayerSession,
  RegisteredConnection,
} from '../rooms/seat-registry.port';
import type { GameStore, PerformanceMetrics } from './game-store';

/**
 * The store port implemented over StorePaths; a provider only decides which path serves a call.
 * Each write gets its commit id before `call`, so a retry on another path carries the same id.
 */
export abstract class PathStore implements GameStore {
  abstract readonly provider: 'async' | 'hybrid';
  abstract readonly path: string;

  constructor(protected readonly metrics: StoreMetrics) {}

  /** Runs one operation down the provider's path(s). */
  protected abstract call<T>(operation: string, fn: (path: StorePath) => Promise<T>): Promise<T>;
  abstract connect(): Promise<void>;
  abstract disconnect(): Promise<void>;
  abstract ping(timeoutMs: number): Promise<void>;

  createRoom(roomCode: string, meta: RoomMeta, players: SeatedPlayer[] = []): Promise<boolean> {
    const id = randomUUID();
    return this.call('createRoom', (p) => p.createRoom(roomCode, meta, players, id));
  }

  roomExists(roomCode: string): Promise<boolean> {
    return this.call('roomExists', (p) => p.roomExists(roomCode));
  }

  async addPlayerToRoom(roomCode: string, player: SeatedPlayer): Promise<boolean> {
    return this.write('addPlayerToRoom', roomCode, { upsertPlayers: [player] });
  }

  getRoomPlayers(roomCode: string): Promise<SeatedPlayer[]> {
    return this.call('getRoomPlayers', (p) => p.getRoomPlayers(roomCode));
  }

  async updatePlayerInRoom(roomCode: string, player: SeatedPlayer): Promise<boolean> {
    return this.write('updatePlayerInRoom', roomCode, {
      upsertPlayers: [player],
      requirePlayer: player.playerId,
    });
  }

  saveGameState(roomCode: string, match: MatchState): Promise<boolean> {
    return this.write('saveGameState', roomCode, { match });
  }

  getGameState(roomCode: string): Promise<MatchState | null> {
    return this.call('getGameState', (p) => p.getGameState(roomCode));
  }

  deleteGameState(roomCode: string): Promise<boolean> {
    return this.write('deleteGameState', roomCode, { match: null });
  }

  clearRoom(roomCode: string): Promise<boolean> {
    return this.write('clearRoom', roomCode, {
      clear: true,
      meta: { phase: 'waiting_for_players', hostId: null },
    });
  }

  deleteRoom(roomCode: string): Promise<boolean> {
    return this.call('deleteRoom', (p) => p.deleteRoom(roomCode));
  }

  getActiveRooms(limit = 100): Promise<string[]> {
    return this.call('getActiveRooms', (p) => p.getActiveRooms(limit));
  }

  countActiveRooms(): Promise<number> {
    return this.call('countActiveRooms', (p) => p.countActiveRooms());
  }

  savePlayerSession(sessionToken: string, session: PlayerSession): Promise<void> {
    return this.call('savePlayerSession', (p) => p.savePlayerSession(sessionToken, session));
  }

  getPlayerSession(sessionToken: string): Promise<PlayerSession | null> {
    return this.call('getPlayerSession', (p) => p.getPlayerSession(sessionToken));
  }

  deletePlayerSession(sessionToken: string): Promise<void> {
    return this.call('deletePlayerSession', (p) => p.deletePlayerSession(sessionToken));
  }

  loadRoom(roomCode: string): Promise<RoomSnapshot | null> {
    return this.call('loadRoom', (p) => p.loadRoom(roomCode));
  }

  async commitRoom(
    roomCode: string,
    expectedVersion: number,
    change: RoomChange,
    commitId: string,
    options?: CommitOptions,
  ): Promise<CommitResult> {
    const result = await this.call('commitRoom', (p) =>
      p.commitRoom('commitRoom', roomCode, expectedVersion, change, commitId, options),
    );
    return result === 'player_missing' ? { status: 'not_found' } : result;
  }

  scheduleGraceTimer(timer: DueTimer, dueAtMs: number): Promise<void> {
    return this.call('scheduleGraceTimer', (p) => p.scheduleGraceTimer(timer, dueAtMs));
  }

  cancelGraceTimer(timer: DueTimer): Promise<void> {
    return this.call('cancelGraceTimer', (p) => p.cancelGraceTimer(timer));
  }

  claimDueGraceTimers(nowMs: number, leaseMs: number, limit: number): Promise<DueTimer[]> {
    return this.call('claimDueGraceTimers', (p) => p.claimDueGraceTimers(nowMs, leaseMs, limit));
  }

  completeGraceTimer(timer: DueTimer): Promise<void> {
    return this.call('completeGraceTimer', (p) => p.completeGraceTimer(timer));
  }

  registerConnection(instanceId: string, connection: RegisteredConnection): Promise<void> {
    return this.call('registerConnection', (p) => p.registerConnection(instanceId, connection));
  }

  unregisterConnection(instanceId: string, connection: RegisteredConnection): Promise<void> {
    return this.call('unregisterConnection', (p) => p.unregisterConnection(instanceId, connection));
  }

  instanceHeartbeat(
    instanceId: string,
    nowMs: number,
    silentBeforeMs: number,
    leaseMs: number,
    limit: number,
  ): Promise<HeartbeatResult> {
    return this.call('instanceHeartbeat', (p) =>
      p.instanceHeartbeat(instanceId, nowMs, silentBeforeMs, leaseMs, limit),
    );
  }

  registeredConnections(instanceId: string): Promise<RegisteredConnection[]> {
    return this.call('registeredConnections', (p) => p.registeredConnections(instanceId));
  }

  forgetInstance(instanceId: string): Promise<void> {
    return this.call('forgetInstance', (p) => p.forgetInstance(instanceId));
  }

  getPerformanceMetrics(): PerformanceMetrics {
    return this.metrics.snapshot(this.provider, this.path);
  }

  // An unconditional legacy write: still idempotent through its commit id.
  private async write(
    operation: string,
    roomCode: string,
    change: RoomChange & { clear?: boolean; requirePlayer?: string },
  ): Promise<boolean> {
    const id = randomUUID();
    const result = await this.call(operation, (p) =>
      p.commitRoom(operation, roomCode, -1, change, id),
    );
    return result !== 'player_missing' && result.status === 'committed';
  }
}
