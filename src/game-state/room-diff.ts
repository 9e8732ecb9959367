// The write a change needs: only what differs, since the commit is conditioned on the version.
import type { RoomState, SeatedPlayer } from './domain/types';
import type { RoomChange } from './room-store.port';

// Seated players are flat records: a field-by-field compare, no JSON.
function samePlayer(a: SeatedPlayer, b: SeatedPlayer): boolean {
  const keys = Object.keys(a) as Array<keyof SeatedPlayer>;
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
}

/**
 * The smallest RoomChange that turns `before` into `after` (only fields that differ: the write
 * is conditioned on `before`'s version, so the rest is already stored). `beforeMatchJson`, when
 * known, spares encoding `before.match` again; the new match travels pre-encoded (`matchJson`).
 */
export function diffRoom(
  before: RoomState,
  after: RoomState,
  beforeMatchJson?: string | null,
): RoomChange {
  const change: RoomChange = {};
  const meta: NonNullable<RoomChange['meta']> = {};
  if (after.phase !== before.phase) meta.phase = after.phase;
  if (after.targetScore !== before.targetScore) meta.targetScore = after.targetScore;
  if (after.hostId !== before.hostId) meta.hostId = after.hostId;
  if (after.visibility !== before.visibility && after.visibility) {
    meta.visibility = after.visibility;
  }
  if (Object.keys(meta).length) change.meta = meta;
  // A move shares the players with the state it was made on: nothing to compare.
  if (after.players !== before.players) diffPlayers(before.players, after.players, change);
  if (before.match !== after.match) {
    const was = beforeMatchJson !== undefined ? beforeMatchJson : JSON.stringify(before.match);
    const now = JSON.stringify(after.match);
    if (was !== now) {
      change.match = after.match;
      if (after.match) change.matchJson = now;
    }
  }
  return change;
}

function diffPlayers(
  before: readonly SeatedPlayer[],
  after: readonly SeatedPlayer[],
  change: RoomChange,
): void {
  const old = new Map(before.map((p) => [p.playerId, p]));
  const upserts = after.filter((p) => {
    const was = old.get(p.playerId);
    return !was || !samePlayer(was, p);
  });
  if (upserts.length) change.upsertPlayers = upserts;
  const kept = new Set(after.map((p) => p.playerId));
  const removed = before.filter((p) => !kept.has(p.playerId)).map((p) => p.playerId);
  if (removed.length) change.removePlayers = removed;
}
