// What one committed change did to a room, as the fields it replaced: what another instance that
// holds the state before it needs to hold the state after it, without the rest of the room.
import type { MatchState, RoomState } from './domain/types';

/** Fields of one object that a change replaced (`set`) or removed (`unset`). */
export interface FieldPatch {
  set?: Record<string, unknown>;
  unset?: string[];
}

/**
 * The change from one version of a room to the next. The room's and the match's fields are
 * compared by identity, and the hands one by one: the rules build a new state out of the old
 * one's untouched parts, so a move carries only the mover's hand, the trick and the turn.
 */
export interface RoomPatch {
  room?: FieldPatch;
  /** The match's replaced fields; `hands` among them holds only the hands that changed. */
  match?: FieldPatch;
}

type Fields = Record<string, unknown>;

/** Keys of the room that the patch handles apart (the version travels beside the patch). */
const ROOM_APART = new Set(['match', 'version']);

/** Fields of `after` that are not (identically) those of `before`, and those it dropped. */
function fieldsPatch(before: Fields, after: Fields, apart?: ReadonlySet<string>): FieldPatch {
  const patch: FieldPatch = {};
  for (const key of Object.keys(after)) {
    if (apart?.has(key)) continue;
    const value = after[key];
    // JSON drops undefined: such a field is sent as removed.
    if (value === undefined) continue;
    if (value !== before[key]) (patch.set ??= {})[key] = value;
  }
  for (const key of Object.keys(before)) {
    if (apart?.has(key) || before[key] === undefined) continue;
    if (after[key] === undefined) (patch.unset ??= []).push(key);
  }
  return patch;
}

function isEmpty(patch: FieldPatch): boolean {
  return patch.set === undefined && patch.unset === undefined;
}

function matchPatch(before: MatchState | null, after: MatchState | null): FieldPatch | undefined {
  if (before === after) return undefined;
  // A match that starts or goes (null on one side) travels whole, as the room's `match` field.
  if (before === null || after === null) return undefined;
  const patch = fieldsPatch(before as unknown as Fields, after as unknown as Fields);
  if (patch.set?.hands !== undefined) {
    // Only the hands that changed: the others are the same arrays as before.
    patch.set.hands = fieldsPatch(before.hands, after.hands);
  }
  return isEmpty(patch) ? undefined : patch;
}

/** The patch that turns `before` into `after` (whatever their versions). */
export function patchOf(before: RoomState, after: RoomState): RoomPatch {
  const patch: RoomPatch = {};
  const room = fieldsPatch(before as unknown as Fields, after as unknown as Fields, ROOM_APART);
  const match = matchPatch(before.match, after.match);
  if (match) patch.match = match;
  else if (before.match !== after.match) (room.set ??= {}).match = after.match;
  if (!isEmpty(room)) patch.room = room;
  return patch;
}

function applied(before: Fields, patch: FieldPatch | undefined): Fields {
  const after: Fields = { ...before, ...patch?.set };
  for (const key of patch?.unset ?? []) delete after[key];
  return after;
}

function patchedMatch(before: MatchState | null, patch: FieldPatch): MatchState {
  if (!before) throw new Error('a match patch for a room without a match');
  const { hands, ...set } = patch.set ?? {};
  const after = applied(before as unknown as Fields, { set, unset: patch.unset });
  if (hands !== undefined) after.hands = applied(before.hands, hands as FieldPatch);
  return after as unknown as MatchState;
}

/**
 * `before` with `patch` applied, at `version`: a new state that shares every part the patch does
 * not replace with `before` (which it leaves untouched). Throws on a patch of a match where
 * `before` has none (a patch made against another state).
 */
export function applyPatch(before: RoomState, patch: RoomPatch, version: number): RoomState {
  const room = applied(before as unknown as Fields, patch.room) as unknown as RoomState;
  const match = patch.match ? patchedMatch(before.match, patch.match) : room.match;
  return { ...room, match, version };
}
