import { randomUUID } from 'node:crypto';
import type { MatchState, SeatedPlayer } from '../game-state/domain/types';
import type { DeadlineIndex } from '../game-state/deadline-index.port';
import type {
  CommitOptions,
  CommitResult,
  RoomChange,
  RoomChangeExtras,
  RoomMeta,
  RoomStore,
} from '../game-state/room-store.port';
import type { LobbyStore } from '../lobby/lobby-store.port';
import type { SeatRegistry } from '../rooms/seat-registry.port';
import type { SpectatorRegistry } from '../rooms/spectator-registry.port';
import type { PerformanceMetrics, RedisManagerApi, StoreConnection } from './game-store';
import type { RedisPath } from './redis-path';
import type { RoomWrite } from './store-codecs';
import { StoreMetrics } from './store-metrics';

/** The operation groups of a path, by name. */
type Groups = Pick<
  RedisPath,
  'rooms' | 'sessions' | 'deadlines' | 'instances' | 'spectators' | 'lobby'
>;
type AsyncMethod = (...args: never[]) => Promise<unknown>;
/** The async methods of one group: each is one store operation, named as the port names it. */
type OperationOf<G extends keyof Groups> = {
  [K in keyof Groups[G]]: Groups[G][K] extends AsyncMethod ? K : never;
}[keyof Groups[G]] &
  string;

/**
 * The store over RedisPaths: its ports, the guide's interface and the store's lifecycle (together,
 * GameStore). A provider only decides which path serves a call, and connects them. Each write gets
 * its commit id before `call`, so a retry on another path carries the same id and is recognised
 * there instead of applied twice.
 */
export abstract class RedisGameStore
  implements
    RoomStore,
    SeatRegistry,
    SpectatorRegistry,
    DeadlineIndex,
    LobbyStore,
    RedisManagerApi,
    StoreConnection
{
  abstract readonly provider: 'async' | 'hybrid';
  abstract readonly path: string;

  constructor(protected readonly metrics: StoreMetrics) {}

  /** Runs one operation down the provider's path(s). */
  protected abstract call<T>(operation: string, fn: (path: RedisPath) => Promise<T>): Promise<T>;
  abstract connect(): Promise<void>;
  abstract disconnect(): Promise<void>;
  abstract ping(timeoutMs: number): Promise<void>;

  // Reads and idempotent writes: the same call on whichever path serves it.
  readonly roomExists = this.forward('rooms', 'roomExists');
  readonly getRoomPlayers = this.forward('rooms', 'getRoomPlayers');
  readonly getGameState = this.forward('rooms', 'getGameState');
  readonly deleteRoom = this.forward('rooms', 'deleteRoom');
  readonly getActiveRooms = this.forward('rooms', 'getActiveRooms');
  readonly countActiveRooms = this.forward('rooms', 'countActiveRooms');
  readonly loadRoom = this.forward('rooms', 'loadRoom');
  readonly savePlayerSession = this.forward('sessions', 'savePlayerSession');
  readonly getPlayerSession = this.forward('sessions', 'getPlayerSession');
  readonly deletePlayerSession = this.forward('sessions', 'deletePlayerSession');
  readonly claimDueDeadlines = this.forward('deadlines', 'claimDueDeadlines');
  readonly claimDeadline = this.forward('deadlines', 'claimDeadline');
  readonly completeDeadline = this.forward('deadlines', 'completeDeadline');
  readonly countDeadlines = this.forward('deadlines', 'countDeadlines');
  readonly adoptLegacyGraceTimers = this.forward('deadlines', 'adoptLegacyGraceTimers');
  readonly registerConnection = this.forward('instances', 'registerConnection');
  readonly unregisterConnection = this.forward('instances', 'unregisterConnection');
  readonly instanceHeartbeat = this.forward('instances', 'instanceHeartbeat');
  readonly registeredConnections = this.forward('instances', 'registeredConnections');
  readonly forgetInstance = this.forward('instances', 'forgetInstance');
  readonly addSpectator = this.forward('spectators', 'addSpectator');
  readonly removeSpectator = this.forward('spectators', 'removeSpectator');
  readonly setSpectators = this.forward('spectators', 'setSpectators');
  readonly countSpectators = this.forward('spectators', 'countSpectators');
  readonly registerWatchedRoom = this.forward('spectators', 'registerWatchedRoom');
  readonly unregisterWatchedRoom = this.forward('spectators', 'unregisterWatchedRoom');
  readonly watchedRooms = this.forward('spectators', 'watchedRooms');
  readonly claimQuickMatchSeat = this.forward('lobby', 'claimQuickMatchSeat');
  readonly releaseQuickMatchSeat = this.forward('lobby', 'releaseQuickMatchSeat');
  readonly waitingRooms = this.forward('lobby', 'waitingRooms');
  readonly playingRooms = this.forward('lobby', 'playingRooms');
  readonly lobbyRooms = this.forward('lobby', 'lobbyRooms');
  readonly forgetPlayingRooms = this.forward('lobby', 'forgetPlayingRooms');

  createRoom(
    roomCode: string,
    meta: RoomMeta,
    players: SeatedPlayer[] = [],
    extras: RoomChangeExtras = {},
    commitId: string = randomUUID(),
  ): Promise<boolean> {
    return this.run('createRoom', (p) =>
      p.rooms.createRoom(roomCode, meta, players, commitId, extras),
    );
  }

  async commitRoom(
    roomCode: string,
    expectedVersion: number,
    change: RoomChange,
    commitId: string,
    options?: CommitOptions,
  ): Promise<CommitResult> {
    const result = await this.run('commitRoom', (p) =>
      p.rooms.commitRoom(roomCode, expectedVersion, change, commitId, options),
    );
    return result.status === 'player_missing' ? { status: 'not_found' } : result;
  }

  // The guide's unconditional writes, each one commit-script call.
  addPlayerToRoom(roomCode: string, player: SeatedPlayer): Promise<boolean> {
    return this.write('addPlayerToRoom', roomCode, { upsertPlayers: [player] });
  }

  updatePlayerInRoom(roomCode: string, player: SeatedPlayer): Promise<boolean> {
    return this.write('updatePlayerInRoom', roomCode, {
      upsertPlayers: [player],
      requirePlayer: player.playerId,
    });
  }

  saveGameState(roomCode: string, match: MatchState): Promise<boolean> {
    return this.write('saveGameState', roomCode, { match });
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

  getPerformanceMetrics(): PerformanceMetrics {
    return this.metrics.snapshot(this.provider, this.path);
  }

  /** One operation on the path `call` picks, run (timed, bounded, typed errors) by its runner. */
  private run<T>(operation: string, fn: (path: RedisPath) => Promise<T>): Promise<T> {
    return this.call(operation, (path) => path.runner.run(operation, () => fn(path)));
  }

  /** The group's method `operation` as a store method: same signature, run as that operation. */
  private forward<G extends keyof Groups, K extends OperationOf<G>>(
    group: G,
    operation: K,
  ): Groups[G][K] {
    const forwarded = (...args: unknown[]) =>
      this.run(operation, (path) => {
        const operations = path[group];
        const method = operations[operation] as (...a: unknown[]) => Promise<unknown>;
        return method.apply(operations, args);
      });
    return forwarded as Groups[G][K];
  }

  // An unconditional legacy write: still idempotent through its commit id.
  private async write(operation: string, roomCode: string, change: RoomWrite): Promise<boolean> {
    const id = randomUUID();
    const result = await this.run(operation, (p) => p.rooms.commitRoom(roomCode, -1, change, id));
    return result.status === 'committed';
  }
}
