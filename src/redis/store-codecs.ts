// How the store's values look in Redis and in the scripts' arguments and replies: pure functions,
// shared by the operations and the benchmark (which sends the commit script's exact ARGV).
import type { MatchState, Phase, SeatedPlayer } from '../game-state/domain/types';
import type {
  CommitOptions,
  RoomChange,
  RoomMeta,
  RoomSnapshot,
} from '../game-state/room-store.port';
import type { RegisteredConnection } from '../rooms/seat-registry.port';
import { COMMIT_LOG_LENGTH } from './redis.constants';

/** A change as the commit script takes it: the port's RoomChange plus the guide's extras. */
export type RoomWrite = RoomChange & {
  /** Drop every player and the match first (the guide's clearRoom). */
  clear?: boolean;
  /** Land only if this player is seated (the guide's updatePlayerInRoom). */
  requirePlayer?: string;
};

/** HGETALL's flat [field, value, ...] reply as an object. */
export function hashToObject(flat: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(flat)) return out;
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = String(flat[i + 1]);
  return out;
}

function bySeat(a: SeatedPlayer, b: SeatedPlayer): number {
  return a.seat - b.seat;
}

/** The players hash (playerId -> JSON), ordered by seat. */
export function parsePlayers(hash: Record<string, string>): SeatedPlayer[] {
  return Object.values(hash)
    .map((json) => JSON.parse(json) as SeatedPlayer)
    .sort(bySeat);
}

/** A stored match (JSON), or null when there is none. */
export function parseMatch(json: string | null): MatchState | null {
  return json === null ? null : (JSON.parse(json) as MatchState);
}

/** A room as LOAD_ROOM (or a conflicting COMMIT_ROOM) answers it: hash, players hash, match. */
export function parseRoom(
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
    // Rooms written before public play have no field: private.
    visibility: room.visibility === 'public' ? 'public' : 'private',
    createdAt: Number(room.createdAt ?? 0),
    updatedAt: Number(room.updatedAt ?? 0),
    players: parsePlayers(hashToObject(playersFlat)),
    match: parseMatch(json),
    epoch: room.epoch ?? '',
    matchJson: json,
  };
}

function encodeMeta(meta: Partial<RoomMeta>): Record<string, string> {
  const out: Record<string, string> = {};
  if (meta.phase !== undefined) out.phase = meta.phase;
  if (meta.targetScore !== undefined) out.targetScore = String(meta.targetScore);
  if (meta.hostId !== undefined) out.hostId = meta.hostId ?? '';
  if (meta.visibility !== undefined) out.visibility = meta.visibility;
  return out;
}

/**
 * The commit script's change argument (see COMMIT_ROOM), without the match: that one travels as
 * its own argument (see matchArgument), so it is neither escaped into this JSON nor decoded by Lua.
 */
export function encodeChange(
  change: RoomWrite,
  indexOffsets?: ReadonlyMap<string, number>,
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
  if (change.journal?.length) encoded.journal = change.journal;
  // Only where the script holds the index keys (outside a Cluster): see indexKeyOffsets.
  if (indexOffsets && change.indexes?.length) {
    encoded.indexes = change.indexes.map((u) => [
      indexOffsets.get(u.index),
      u.member,
      u.score ?? false,
    ]);
  }
  return encoded;
}

/**
 * The app indexes a change writes, each with its offset past the activity index in the commit
 * script's KEYS (KEYS[7 + offset]); in first-use order, each name once.
 */
export function indexKeyOffsets(change: RoomChange): Map<string, number> {
  const offsets = new Map<string, number>();
  for (const { index } of change.indexes ?? []) {
    if (!offsets.has(index)) offsets.set(index, offsets.size + 1);
  }
  return offsets;
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
  change: RoomWrite,
  commitId: string,
  ttlSeconds: number,
  options: CommitOptions = {},
  indexOffsets?: ReadonlyMap<string, number>,
): Array<string | number> {
  return [
    mode,
    expectedVersion,
    commitId,
    ttlSeconds,
    Date.now(),
    JSON.stringify(encodeChange(change, indexOffsets)),
    COMMIT_LOG_LENGTH,
    matchArgument(change),
    options.expectedEpoch ?? '*',
    options.returnCurrent ? '1' : '0',
    roomCode,
  ];
}

/** A registered connection as a set member: `CODE|playerId|connectionId`. */
export function encodeConnection(c: RegisteredConnection): string {
  return `${c.roomCode}|${c.playerId}|${c.connectionId}`;
}

export function decodeConnection(member: string): RegisteredConnection | null {
  const [roomCode, playerId, connectionId] = member.split('|');
  if (!roomCode || !playerId || !connectionId) return null;
  return { roomCode, playerId, connectionId };
}
