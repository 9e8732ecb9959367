import type { MatchState, SeatedPlayer } from '../game-state/domain/types';
import type {
  CommitOptions,
  CommitResult,
  RoomChangeExtras,
  RoomMeta,
  RoomSnapshot,
} from '../game-state/room-store.port';
import { KeySpace } from './keys';
import { CommitStatus } from './lua-scripts';
import { isCluster, type ScriptClient } from './redis-scripts';
import type { ReplicaWait } from './replica-wait';
import {
  commitArguments,
  indexKeyOffsets,
  parseMatch,
  parsePlayers,
  parseRoom,
  type RoomWrite,
} from './store-codecs';

/** A versioned write's answer, plus the guide's "that player is not seated" (updatePlayerInRoom). */
export type RoomWriteResult = CommitResult | { status: 'player_missing' };

/** What the room operations need to know beyond their client. */
export interface RoomSettings {
  keys: KeySpace;
  roomTtlSeconds: number;
}

/**
 * The room commands over one connection: each call is one logical operation (one round trip,
 * two beside each other on a Cluster). Run by a RedisCommandRunner, which times and bounds it.
 */
export class RedisRoomOperations {
  /** On a Cluster the activity index is in another slot than the room's keys. */
  private readonly cluster: boolean;

  constructor(
    private readonly client: ScriptClient,
    private readonly settings: RoomSettings,
    /** REDIS_WAIT_REPLICAS: a landed change counts once replicas confirm it (WAIT behind it). */
    private readonly replicas: ReplicaWait,
  ) {
    this.cluster = isCluster(client);
  }

  /** A create through the commit script; a replay of our own create (same id) is ours too. */
  async createRoom(
    roomCode: string,
    meta: RoomMeta,
    players: SeatedPlayer[],
    commitId: string,
    extras: RoomChangeExtras = {},
  ): Promise<boolean> {
    const change: RoomWrite = { meta, upsertPlayers: players, ...extras };
    const [status] = await this.replicas.confirm(
      this.commit('create', roomCode, -1, change, commitId),
      ([s]) => s === CommitStatus.Committed,
    );
    if (status === CommitStatus.Replayed) await this.confirmReplay(roomCode);
    if (status !== CommitStatus.Committed && status !== CommitStatus.Replayed) return false;
    if (this.cluster) await Promise.all([this.touchIndex(roomCode), this.writeIndexes(change)]);
    return true;
  }

  async roomExists(roomCode: string): Promise<boolean> {
    return (await this.client.exists(this.settings.keys.room(roomCode).room)) === 1;
  }

  async getRoomPlayers(roomCode: string): Promise<SeatedPlayer[]> {
    return parsePlayers(await this.client.hgetall(this.settings.keys.room(roomCode).players));
  }

  async getGameState(roomCode: string): Promise<MatchState | null> {
    return parseMatch(await this.client.get(this.settings.keys.room(roomCode).match));
  }

  async deleteRoom(roomCode: string): Promise<boolean> {
    const k = this.settings.keys.room(roomCode);
    const [removed] = await Promise.all([
      this.client.del(k.room, k.players, k.match, k.commits, k.journal, k.spectators),
      this.client.zrem(this.settings.keys.activeRooms, roomCode),
    ]);
    return removed > 0;
  }

  async getActiveRooms(limit = 100): Promise<string[]> {
    const index = this.settings.keys.activeRooms;
    const cutoff = this.activeSince();
    // Entries older than the room TTL belong to expired rooms: prune them as we go.
    await this.client.zremrangebyscore(index, '-inf', `(${cutoff}`);
    return this.client.zrevrangebyscore(index, '+inf', cutoff, 'LIMIT', 0, limit);
  }

  countActiveRooms(): Promise<number> {
    return this.client.zcount(this.settings.keys.activeRooms, this.activeSince(), '+inf');
  }

  async loadRoom(roomCode: string): Promise<RoomSnapshot | null> {
    const k = this.settings.keys.room(roomCode);
    const reply = await this.client.hokmLoadRoom(k.room, k.players, k.match, k.spectators);
    if (!Array.isArray(reply)) return null;
    const [roomFlat, playersFlat, matchJson, spectators] = reply as [
      unknown,
      unknown,
      unknown,
      unknown,
    ];
    return {
      ...parseRoom(roomCode, roomFlat, playersFlat, matchJson),
      spectators: Number(spectators ?? 0),
    };
  }

  /**
   * A versioned write (`expectedVersion` -1: unconditional) through the commit script: one round
   * trip, the activity index included (on a Cluster, a ZADD pipelined beside it).
   */
  async commitRoom(
    roomCode: string,
    expectedVersion: number,
    change: RoomWrite,
    commitId: string,
    options: CommitOptions = {},
  ): Promise<RoomWriteResult> {
    const committing = this.replicas.confirm(
      this.commit('update', roomCode, expectedVersion, change, commitId, options),
      ([status]) => status === CommitStatus.Committed,
    );
    const [reply] = this.cluster
      ? await Promise.all([committing, this.touchIndex(roomCode), this.writeIndexes(change)])
      : [await committing];
    const [status, version] = reply;
    switch (status) {
      case CommitStatus.Committed:
        // The script's third and fourth answers: the room's spectators as counted at the
        // commit, and the instances they watch from.
        return {
          status: 'committed',
          version,
          spectators: Number(reply[2] ?? 0),
          spectatorInstances: Array.isArray(reply[3]) ? (reply[3] as unknown[]).map(String) : [],
        };
      case CommitStatus.Replayed:
        await this.confirmReplay(roomCode);
        return { status: 'committed', version };
      case CommitStatus.Conflict:
        if (!options.returnCurrent || reply.length < 5) return { status: 'conflict', version };
        return {
          status: 'conflict',
          version,
          current: parseRoom(roomCode, reply[2], reply[3], reply[4]),
        };
      case CommitStatus.PlayerMissing:
        return { status: 'player_missing' };
      case CommitStatus.NotFound:
      default:
        // On a Cluster the index touch ran beside the script; a write to a deleted or expired
        // room must not list it again (only this rare path pays the extra round trip).
        if (this.cluster) await this.client.zrem(this.settings.keys.activeRooms, roomCode);
        return { status: 'not_found' };
    }
  }

  private commit(
    mode: 'create' | 'update',
    roomCode: string,
    expectedVersion: number,
    change: RoomWrite,
    commitId: string,
    options: CommitOptions = {},
  ) {
    const k = this.settings.keys;
    const own = k.room(roomCode);
    const roomKeys = [own.room, own.players, own.match, own.commits, own.journal, own.spectators];
    const ttl = this.settings.roomTtlSeconds;
    if (this.cluster) {
      // On a Cluster the indexes live in other slots: the caller writes them beside the script.
      return this.client.hokmCommitRoom(
        ...roomKeys,
        ...commitArguments(mode, roomCode, expectedVersion, change, commitId, ttl, options),
      );
    }
    // Outside a Cluster every index is a key of the script (one round trip, applied only if the
    // change lands): the activity index seventh, then the change's own indexes.
    const offsets = indexKeyOffsets(change);
    const indexKeys = [k.activeRooms, ...[...offsets.keys()].map((name) => k.index(name))];
    return this.client.hokmCommitRoom(
      roomKeys.length + indexKeys.length,
      ...roomKeys,
      ...indexKeys,
      ...commitArguments(mode, roomCode, expectedVersion, change, commitId, ttl, options, offsets),
    );
  }

  /**
   * A replayed commit landed earlier, perhaps over another connection (a retry on the legacy
   * path, or after a failover) that WAIT on this one does not cover: a write here first (the
   * room's TTL, which the commit set anyway) makes this connection's WAIT cover it.
   */
  private async confirmReplay(roomCode: string): Promise<void> {
    if (!this.replicas.enabled) return;
    const key = this.settings.keys.room(roomCode).room;
    await this.replicas.confirm(this.client.expire(key, this.settings.roomTtlSeconds));
  }

  /** A change's index entries as plain commands, pipelined beside the commit (Cluster only). */
  private writeIndexes(change: RoomWrite): Promise<unknown> {
    return Promise.all(
      (change.indexes ?? []).map(({ index, member, score }) => {
        const key = this.settings.keys.index(index);
        return score === null
          ? this.client.zrem(key, member)
          : this.client.zadd(key, score, member);
      }),
    );
  }

  // The index lives outside the room's slot; a stale entry is pruned by getActiveRooms.
  private touchIndex(roomCode: string): Promise<number> {
    return this.client.zadd(this.settings.keys.activeRooms, Date.now(), roomCode);
  }

  /** Index entries older than the room TTL belong to expired rooms. */
  private activeSince(): number {
    return Date.now() - this.settings.roomTtlSeconds * 1000;
  }
}
