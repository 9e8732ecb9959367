import { Logger } from '@nestjs/common';
import { ReplyError, type Cluster, type Redis } from 'ioredis';
import type { MatchState, Phase, SeatedPlayer } from '../game-state/domain/types';
import { KeySpace } from './keys';
import { CLAIM_TIMERS, COMMIT_ROOM, LOAD_ROOM } from './lua-scripts';
import { COMMIT_LOG_LENGTH } from './redis.constants';
import { StoreCommandError, StoreUnavailableError } from './store.errors';
import { StoreMetrics } from './store-metrics';
import type {
  CommitResult,
  DueTimer,
  PlayerSession,
  RoomChange,
  RoomMeta,
  RoomSnapshot,
} from './store.port';

export type RedisClient = Redis | Cluster;
export type PathName = 'async' | 'legacy';

/** How one path talks to Redis. */
export interface PathOptions {
  name: PathName;
  keys: KeySpace;
  roomTtlSeconds: number;
  sessionTtlSeconds: number;
  /** Per-operation deadline enforced here (the legacy `wait_for(..., timeout)`); 0: none. */
  operationTimeoutMs: number;
  /** One operation at a time, as the pre-migration manager ran (legacy path). */
  serial: boolean;
}

type ScriptClient = RedisClient & {
  hokmLoadRoom(room: string, players: string, match: string): Promise<unknown>;
  hokmCommitRoom(...args: Array<string | number>): Promise<[number, number]>;
  hokmClaimTimers(key: string, now: number, lease: number, limit: number): Promise<string[]>;
};

/** Reply errors that mean "Redis is not serving right now", not "the command is wrong". */
const TRANSIENT_REPLY = /^(LOADING|READONLY|CLUSTERDOWN|TRYAGAIN|MASTERDOWN|BUSY)\b/;

class OperationTimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/** A transport failure (worth a fallback), as opposed to a domain answer or a bad command. */
export function isTransportError(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  if (error instanceof ReplyError) return TRANSIENT_REPLY.test((error as Error).message);
  // Timeouts, refused or closed connections; a programming error is not a transport fault.
  return (
    error instanceof Error &&
    !(error instanceof SyntaxError || error instanceof TypeError || error instanceof RangeError)
  );
}

function hashToObject(flat: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(flat)) return out;
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = String(flat[i + 1]);
  return out;
}

function bySeat(a: SeatedPlayer, b: SeatedPlayer): number {
  return a.seat - b.seat;
}

function parsePlayers(hash: Record<string, string>): SeatedPlayer[] {
  return Object.values(hash)
    .map((json) => JSON.parse(json) as SeatedPlayer)
    .sort(bySeat);
}

function encodeMeta(meta: Partial<RoomMeta>): Record<string, string> {
  const out: Record<string, string> = {};
  if (meta.phase !== undefined) out.phase = meta.phase;
  if (meta.targetScore !== undefined) out.targetScore = String(meta.targetScore);
  if (meta.hostId !== undefined) out.hostId = meta.hostId ?? '';
  return out;
}

/**
 * Every store operation over one Redis connection. The async provider has one path; the hybrid
 * provider has an async path and a legacy path, the same code run under different options.
 */
export class StorePath {
  private readonly logger: Logger;
  private readonly client: ScriptClient;
  private inFlight = 0;
  private drained: Array<() => void> = [];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    client: RedisClient,
    private readonly options: PathOptions,
    private readonly metrics: StoreMetrics,
  ) {
    this.logger = new Logger(`StorePath:${options.name}`);
    client.defineCommand('hokmLoadRoom', { numberOfKeys: 3, lua: LOAD_ROOM });
    client.defineCommand('hokmCommitRoom', { numberOfKeys: 4, lua: COMMIT_ROOM });
    client.defineCommand('hokmClaimTimers', { numberOfKeys: 1, lua: CLAIM_TIMERS });
    this.client = client as ScriptClient;
  }

  get name(): PathName {
    return this.options.name;
  }

  get redis(): RedisClient {
    return this.client;
  }

  /** Connects, PINGs and loads the scripts on every master, all within `timeoutMs`. */
  async connect(timeoutMs: number): Promise<void> {
    const attempt = async () => {
      if (this.client.status === 'wait') await this.client.connect();
      await this.client.ping();
      const nodes = 'nodes' in this.client ? this.client.nodes('master') : [this.client];
      for (const node of nodes) {
        for (const lua of [LOAD_ROOM, COMMIT_ROOM, CLAIM_TIMERS]) await node.script('LOAD', lua);
      }
    };
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        attempt(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new OperationTimeoutError(timeoutMs)), timeoutMs);
        }),
      ]);
    } catch (error) {
      this.client.disconnect();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits for in-flight operations (at most `graceMs`), then QUITs. */
  async quit(graceMs: number): Promise<void> {
    if (this.inFlight > 0) {
      await Promise.race([
        new Promise<void>((resolve) => this.drained.push(resolve)),
        new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref()),
      ]);
    }
    if (this.client.status === 'end') return;
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }

  async ping(timeoutMs: number): Promise<void> {
    await this.run('ping', () => this.client.ping(), timeoutMs);
  }

  /** Runs one operation with metrics, the path's deadline and typed errors. */
  run<T>(operation: string, fn: () => Promise<T>, timeoutMs = this.options.operationTimeoutMs) {
    const exec = () => this.measure(operation, fn, timeoutMs);
    if (!this.options.serial) return exec();
    const result = this.queue.then(exec, exec);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async measure<T>(operation: string, fn: () => Promise<T>, timeoutMs: number): Promise<T> {
    const started = performance.now();
    this.inFlight++;
    let timer: NodeJS.Timeout | undefined;
    try {
      const pending = fn();
      const result =
        timeoutMs > 0
          ? await Promise.race([
              pending,
              new Promise<never>((_, reject) => {
                timer = setTimeout(() => reject(new OperationTimeoutError(timeoutMs)), timeoutMs);
              }),
            ])
          : await pending;
      this.metrics.record(operation, this.options.name, performance.now() - started, true);
      return result;
    } catch (error) {
      this.metrics.record(operation, this.options.name, performance.now() - started, false);
      if (isTransportError(error)) {
        throw new StoreUnavailableError(operation, this.options.name, error);
      }
      this.logger.error(`${operation} failed: ${String(error)}`);
      throw new StoreCommandError(operation, this.options.name, error);
    } finally {
      clearTimeout(timer);
      if (--this.inFlight === 0) {
        for (const resolve of this.drained.splice(0)) resolve();
      }
    }
  }

  // ---- rooms -------------------------------------------------------------------------------

  createRoom(
    roomCode: string,
    meta: RoomMeta,
    players: SeatedPlayer[],
    commitId: string,
  ): Promise<boolean> {
    return this.run('createRoom', async () => {
      const change = this.encodeChange({ meta, upsertPlayers: players });
      const [status] = await this.commit('create', roomCode, -1, change, commitId);
      // 2 is a replay of our own create: on a retried create the room is ours.
      if (status === 1 || status === 2) {
        await this.touchIndex(roomCode);
        return true;
      }
      return false;
    });
  }

  roomExists(roomCode: string): Promise<boolean> {
    return this.run(
      'roomExists',
      async () => (await this.client.exists(this.options.keys.room(roomCode).room)) === 1,
    );
  }

  getRoomPlayers(roomCode: string): Promise<SeatedPlayer[]> {
    return this.run('getRoomPlayers', async () =>
      parsePlayers(await this.client.hgetall(this.options.keys.room(roomCode).players)),
    );
  }

  getGameState(roomCode: string): Promise<MatchState | null> {
    return this.run('getGameState', async () => {
      const json = await this.client.get(this.options.keys.room(roomCode).match);
      return json === null ? null : (JSON.parse(json) as MatchState);
    });
  }

  deleteRoom(roomCode: string): Promise<boolean> {
    return this.run('deleteRoom', async () => {
      const k = this.options.keys.room(roomCode);
      const [removed] = await Promise.all([
        this.client.del(k.room, k.players, k.match, k.commits),
        this.client.zrem(this.options.keys.activeRooms, roomCode),
      ]);
      return removed > 0;
    });
  }

  getActiveRooms(limit: number): Promise<string[]> {
    return this.run('getActiveRooms', async () => {
      const index = this.options.keys.activeRooms;
      const cutoff = Date.now() - this.options.roomTtlSeconds * 1000;
      // Entries older than the room TTL belong to expired rooms: prune them as we go.
      await this.client.zremrangebyscore(index, '-inf', `(${cutoff}`);
      return this.client.zrevrangebyscore(index, '+inf', cutoff, 'LIMIT', 0, limit);
    });
  }

  countActiveRooms(): Promise<number> {
    return this.run('countActiveRooms', () => {
      const cutoff = Date.now() - this.options.roomTtlSeconds * 1000;
      return this.client.zcount(this.options.keys.activeRooms, cutoff, '+inf');
    });
  }

  loadRoom(roomCode: string): Promise<RoomSnapshot | null> {
    return this.run('loadRoom', async () => {
      const k = this.options.keys.room(roomCode);
      const reply = await this.client.hokmLoadRoom(k.room, k.players, k.match);
      if (!Array.isArray(reply)) return null;
      const [roomFlat, playersFlat, matchJson] = reply as [unknown, unknown, string | null];
      const room = hashToObject(roomFlat);
      return {
        roomCode,
        version: Number(room.version ?? 0),
        phase: (room.phase ?? 'waiting_for_players') as Phase,
        targetScore: Number(room.targetScore ?? 7),
        hostId: room.hostId ? room.hostId : null,
        createdAt: Number(room.createdAt ?? 0),
        updatedAt: Number(room.updatedAt ?? 0),
        players: parsePlayers(hashToObject(playersFlat)),
        match: typeof matchJson === 'string' ? (JSON.parse(matchJson) as MatchState) : null,
      };
    });
  }

  /** A versioned write (`expectedVersion` -1: unconditional) through the commit script. */
  commitRoom(
    operation: string,
    roomCode: string,
    expectedVersion: number,
    change: RoomChange & { clear?: boolean; requirePlayer?: string },
    commitId: string,
  ): Promise<CommitResult | 'player_missing'> {
    return this.run(operation, async () => {
      const [[status, version]] = await Promise.all([
        this.commit('update', roomCode, expectedVersion, this.encodeChange(change), commitId),
        this.touchIndex(roomCode),
      ]);
      if (status === 1 || status === 2) return { status: 'committed', version };
      if (status === 0) return { status: 'conflict', version };
      if (status === -2) return 'player_missing';
      // The index touch ran beside the script; a write to a deleted or expired room must not
      // list it again (only this rare path pays the extra round trip).
      await this.client.zrem(this.options.keys.activeRooms, roomCode);
      return { status: 'not_found' };
    });
  }

  // The commit script's change argument (see COMMIT_ROOM).
  private encodeChange(
    change: RoomChange & { clear?: boolean; requirePlayer?: string },
  ): Record<string, unknown> {
    const encoded: Record<string, unknown> = {};
    if (change.meta) encoded.meta = encodeMeta(change.meta);
    if (change.upsertPlayers?.length) {
      encoded.upsert = Object.fromEntries(
        change.upsertPlayers.map((p) => [p.playerId, JSON.stringify(p)]),
      );
    }
    if (change.removePlayers?.length) encoded.remove = change.removePlayers;
    if (change.match) encoded.match = JSON.stringify(change.match);
    if (change.match === null) encoded.deleteMatch = true;
    if (change.clear) encoded.clear = true;
    if (change.requirePlayer) encoded.requirePlayer = change.requirePlayer;
    return encoded;
  }

  private commit(
    mode: 'create' | 'update',
    roomCode: string,
    expectedVersion: number,
    change: Record<string, unknown>,
    commitId: string,
  ): Promise<[number, number]> {
    const k = this.options.keys.room(roomCode);
    return this.client.hokmCommitRoom(
      k.room,
      k.players,
      k.match,
      k.commits,
      mode,
      expectedVersion,
      commitId,
      this.options.roomTtlSeconds,
      Date.now(),
      JSON.stringify(change),
      COMMIT_LOG_LENGTH,
    );
  }

  // The index lives outside the room's slot; a stale entry is pruned by getActiveRooms.
  private touchIndex(roomCode: string): Promise<number> {
    return this.client.zadd(this.options.keys.activeRooms, Date.now(), roomCode);
  }

  // ---- sessions ----------------------------------------------------------------------------

  savePlayerSession(sessionToken: string, session: PlayerSession): Promise<void> {
    return this.run('savePlayerSession', async () => {
      await this.client.set(
        this.options.keys.session(sessionToken),
        JSON.stringify(session),
        'EX',
        this.options.sessionTtlSeconds,
      );
    });
  }

  getPlayerSession(sessionToken: string): Promise<PlayerSession | null> {
    return this.run('getPlayerSession', async () => {
      const json = await this.client.get(this.options.keys.session(sessionToken));
      return json === null ? null : (JSON.parse(json) as PlayerSession);
    });
  }

  deletePlayerSession(sessionToken: string): Promise<void> {
    return this.run('deletePlayerSession', async () => {
      await this.client.del(this.options.keys.session(sessionToken));
    });
  }

  // ---- timers ------------------------------------------------------------------------------

  scheduleGraceTimer(timer: DueTimer, dueAtMs: number): Promise<void> {
    return this.run('scheduleGraceTimer', async () => {
      await this.client.zadd(this.options.keys.graceTimers, dueAtMs, encodeTimer(timer));
    });
  }

  cancelGraceTimer(timer: DueTimer): Promise<void> {
    return this.run('cancelGraceTimer', async () => {
      await this.client.zrem(this.options.keys.graceTimers, encodeTimer(timer));
    });
  }

  claimDueGraceTimers(nowMs: number, leaseMs: number, limit: number): Promise<DueTimer[]> {
    return this.run('claimDueGraceTimers', async () => {
      const members = await this.client.hokmClaimTimers(
        this.options.keys.graceTimers,
        nowMs,
        leaseMs,
        limit,
      );
      return members.map(decodeTimer).filter((t): t is DueTimer => t !== null);
    });
  }

  completeGraceTimer(timer: DueTimer): Promise<void> {
    return this.run('completeGraceTimer', async () => {
      await this.client.zrem(this.options.keys.graceTimers, encodeTimer(timer));
    });
  }
}

function encodeTimer(t: DueTimer): string {
  return `${t.roomCode}|${t.playerId}|${t.disconnectedAt}`;
}

function decodeTimer(member: string): DueTimer | null {
  const [roomCode, playerId, at] = member.split('|');
  if (!roomCode || !playerId || !at) return null;
  return { roomCode, playerId, disconnectedAt: Number(at) };
}
