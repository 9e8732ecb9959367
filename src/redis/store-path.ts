import { Logger } from '@nestjs/common';
import { ReplyError } from 'ioredis';
import type { MatchState, Phase, SeatedPlayer } from '../game-state/domain/types';
import { KeySpace } from './keys';
import type { PathName, RedisClient } from './redis-clients';
import {
  CLAIM_TIMERS,
  COMMIT_ROOM,
  FORGET_INSTANCE,
  INSTANCE_HEARTBEAT,
  LOAD_ROOM,
} from './lua-scripts';
import { COMMIT_LOG_LENGTH } from './redis.constants';
import { StoreCommandError } from './store.errors';
import { StoreUnavailableError } from '../game-state/store-unavailable.error';
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
  /** Outside a Cluster numkeys first (the key count varies there); on a Cluster the 4 keys. */
  hokmCommitRoom(...args: Array<string | number>): Promise<[number, number, ...unknown[]]>;
  hokmClaimTimers(key: string, now: number, lease: number, limit: number): Promise<string[]>;
  hokmInstanceHeartbeat(...args: Array<string | number>): Promise<[number, string[]]>;
  hokmForgetInstance(live: string, connections: string, id: string): Promise<number>;
};

/** Reply errors that mean "Redis is not serving right now", not "the command is wrong". */
const TRANSIENT_REPLY = /^(LOADING|READONLY|CLUSTERDOWN|TRYAGAIN|MASTERDOWN|BUSY)\b/;

class OperationTimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/** A transport failure (worth a fallback), as opposed to a domain answer or a bad command. */
function isTransportError(error: unknown): boolean {
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

/** A room as LOAD_ROOM (or a conflicting COMMIT_ROOM) answers it: hash, players hash, match. */
function parseRoom(
  roomCode: string,
  roomFlat: unknown,
  playersFlat: unknown,
  matchJson: unknown,
): RoomSnapshot {
  const room = hashToObject(roomFlat);
  const json = typeof matchJson === 'string' ? matchJson : null;
  return {
    roomCode,
    version: Number(room.version ?? 0),
    phase: (room.phase ?? 'waiting_for_players') as Phase,
    targetScore: Number(room.targetScore ?? 7),
    hostId: room.hostId ? room.hostId : null,
    createdAt: Number(room.createdAt ?? 0),
    updatedAt: Number(room.updatedAt ?? 0),
    players: parsePlayers(hashToObject(playersFlat)),
    match: json === null ? null : (JSON.parse(json) as MatchState),
    epoch: room.epoch ?? '',
    matchJson: json,
  };
}

function encodeMeta(meta: Partial<RoomMeta>): Record<string, string> {
  const out: Record<string, string> = {};
  if (meta.phase !== undefined) out.phase = meta.phase;
  if (meta.targetScore !== undefined) out.targetScore = String(meta.targetScore);
  if (meta.hostId !== undefined) out.hostId = meta.hostId ?? '';
  return out;
}

/**
 * The commit script's change argument (see COMMIT_ROOM), without the match: that one travels as
 * its own argument (see matchArgument), so it is neither escaped into this JSON nor decoded by Lua.
 */
export function encodeChange(
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
  if (change.match === null) encoded.deleteMatch = true;
  if (change.clear) encoded.clear = true;
  if (change.requirePlayer) encoded.requirePlayer = change.requirePlayer;
  return encoded;
}

/** The commit script's match argument: the JSON to store, or '' to leave the match alone. */
export function matchArgument(change: RoomChange): string {
  if (!change.match) return '';
  return change.matchJson ?? JSON.stringify(change.match);
}

/** The commit script's ARGV (see COMMIT_ROOM), in order; the benchmark sends the same. */
export function commitArguments(
  mode: 'create' | 'update',
  roomCode: string,
  expectedVersion: number,
  change: RoomChange & { clear?: boolean; requirePlayer?: string },
  commitId: string,
  ttlSeconds: number,
  options: CommitOptions = {},
): Array<string | number> {
  return [
    mode,
    expectedVersion,
    commitId,
    ttlSeconds,
    Date.now(),
    JSON.stringify(encodeChange(change)),
    COMMIT_LOG_LENGTH,
    matchArgument(change),
    options.expectedEpoch ?? '*',
    options.returnCurrent ? '1' : '0',
    roomCode,
  ];
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
  /** On a Cluster the activity index is in another slot than the room's keys. */
  private readonly cluster: boolean;

  constructor(
    client: RedisClient,
    private readonly options: PathOptions,
    private readonly metrics: StoreMetrics,
  ) {
    this.logger = new Logger(`StorePath:${options.name}`);
    this.cluster = 'nodes' in client;
    client.defineCommand('hokmLoadRoom', { numberOfKeys: 3, lua: LOAD_ROOM });
    // No fixed key count outside a Cluster: the activity index is a fifth key there. On a
    // Cluster the count is fixed (4): ioredis auto-pipelining routes a command by its first
    // argument, and a leading key count would send every commit to the node owning slot("4")
    // ("All keys in the pipeline should belong to the same slots allocation group").
    client.defineCommand(
      'hokmCommitRoom',
      this.cluster ? { numberOfKeys: 4, lua: COMMIT_ROOM } : { lua: COMMIT_ROOM },
    );
    client.defineCommand('hokmClaimTimers', { numberOfKeys: 1, lua: CLAIM_TIMERS });
    client.defineCommand('hokmInstanceHeartbeat', { numberOfKeys: 2, lua: INSTANCE_HEARTBEAT });
    client.defineCommand('hokmForgetInstance', { numberOfKeys: 2, lua: FORGET_INSTANCE });
    this.client = client as ScriptClient;
  }

  /** Connects, PINGs and loads the scripts on every master, all within `timeoutMs`. */
  async connect(timeoutMs: number): Promise<void> {
    const attempt = async () => {
      if (this.client.status === 'wait') await this.client.connect();
      await this.client.ping();
      const nodes = 'nodes' in this.client ? this.client.nodes('master') : [this.client];
      for (const node of nodes) {
        const scripts = [LOAD_ROOM, COMMIT_ROOM, CLAIM_TIMERS, INSTANCE_HEARTBEAT, FORGET_INSTANCE];
        for (const lua of scripts) await node.script('LOAD', lua);
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
      const [status] = await this.commit(
        'create',
        roomCode,
        -1,
        { meta, upsertPlayers: players },
        commitId,
      );
      // 2 is a replay of our own create: on a retried create the room is ours.
      if (status === 1 || status === 2) {
        if (this.cluster) await this.touchIndex(roomCode);
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
      const [roomFlat, playersFlat, matchJson] = reply as [unknown, unknown, unknown];
      return parseRoom(roomCode, roomFlat, playersFlat, matchJson);
    });
  }

  /**
   * A versioned write (`expectedVersion` -1: unconditional) through the commit script: one round
   * trip, the activity index included (on a Cluster, a ZADD pipelined beside it).
   */
  commitRoom(
    operation: string,
    roomCode: string,
    expectedVersion: number,
    change: RoomChange & { clear?: boolean; requirePlayer?: string },
    commitId: string,
    options: CommitOptions = {},
  ): Promise<CommitResult | 'player_missing'> {
    return this.run(operation, async () => {
      const committing = this.commit(
        'update',
        roomCode,
        expectedVersion,
        change,
        commitId,
        options,
      );
      const [reply] = this.cluster
        ? await Promise.all([committing, this.touchIndex(roomCode)])
        : [await committing];
      const [status, version] = reply;
      if (status === 1 || status === 2) return { status: 'committed', version };
      if (status === 0) {
        if (!options.returnCurrent || reply.length < 5) return { status: 'conflict', version };
        return {
          status: 'conflict',
          version,
          current: parseRoom(roomCode, reply[2], reply[3], reply[4]),
        };
      }
      if (status === -2) return 'player_missing';
      // On a Cluster the index touch ran beside the script; a write to a deleted or expired room
      // must not list it again (only this rare path pays the extra round trip).
      if (this.cluster) await this.client.zrem(this.options.keys.activeRooms, roomCode);
      return { status: 'not_found' };
    });
  }

  private commit(
    mode: 'create' | 'update',
    roomCode: string,
    expectedVersion: number,
    change: RoomChange & { clear?: boolean; requirePlayer?: string },
    commitId: string,
    options: CommitOptions = {},
  ): Promise<[number, number, ...unknown[]]> {
    const k = this.options.keys.room(roomCode);
    // Outside a Cluster the activity index is the script's fifth key (one round trip); on a
    // Cluster it lives in another slot, and the caller touches it beside the script.
    const keys = this.cluster
      ? [k.room, k.players, k.match, k.commits]
      : [5, k.room, k.players, k.match, k.commits, this.options.keys.activeRooms];
    return this.client.hokmCommitRoom(
      ...keys,
      ...commitArguments(
        mode,
        roomCode,
        expectedVersion,
        change,
        commitId,
        this.options.roomTtlSeconds,
        options,
      ),
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

  // ---- instances ---------------------------------------------------------------------------

  registerConnection(instanceId: string, connection: RegisteredConnection): Promise<void> {
    return this.run('registerConnection', async () => {
      const key = this.options.keys.instanceConnections(instanceId);
      await this.client.sadd(key, encodeConnection(connection));
    });
  }

  unregisterConnection(instanceId: string, connection: RegisteredConnection): Promise<void> {
    return this.run('unregisterConnection', async () => {
      const key = this.options.keys.instanceConnections(instanceId);
      await this.client.srem(key, encodeConnection(connection));
    });
  }

  instanceHeartbeat(
    instanceId: string,
    nowMs: number,
    silentBeforeMs: number,
    leaseMs: number,
    limit: number,
  ): Promise<HeartbeatResult> {
    return this.run('instanceHeartbeat', async () => {
      const keys = this.options.keys;
      const [was, dead] = await this.client.hokmInstanceHeartbeat(
        keys.instances,
        keys.instanceConnections(instanceId),
        instanceId,
        nowMs,
        // Live scores are beat times (> 0); a lease is -(its end), run out once above -now.
        `(-${nowMs}`,
        silentBeforeMs,
        -(nowMs + leaseMs),
        limit,
        this.options.sessionTtlSeconds,
      );
      return { revived: was === 1 || was === 2, dead };
    });
  }

  registeredConnections(instanceId: string): Promise<RegisteredConnection[]> {
    return this.run('registeredConnections', async () => {
      const members = await this.client.smembers(this.options.keys.instanceConnections(instanceId));
      return members.map(decodeConnection).filter((c): c is RegisteredConnection => c !== null);
    });
  }

  forgetInstance(instanceId: string): Promise<void> {
    return this.run('forgetInstance', async () => {
      const keys = this.options.keys;
      await this.client.hokmForgetInstance(
        keys.instances,
        keys.instanceConnections(instanceId),
        instanceId,
      );
    });
  }
}

function encodeConnection(c: RegisteredConnection): string {
  return `${c.roomCode}|${c.playerId}|${c.connectionId}`;
}

function decodeConnection(member: string): RegisteredConnection | null {
  const [roomCode, playerId, connectionId] = member.split('|');
  if (!roomCode || !playerId || !connectionId) return null;
  return { roomCode, playerId, connectionId };
}

function encodeTimer(t: DueTimer): string {
  return `${t.roomCode}|${t.playerId}|${t.disconnectedAt}`;
}

function decodeTimer(member: string): DueTimer | null {
  const [roomCode, playerId, at] = member.split('|');
  if (!roomCode || !playerId || !at) return null;
  return { roomCode, playerId, disconnectedAt: Number(at) };
}
