// The room changes one instance mails another (InstanceMail): as JSON, either the whole state
// (RoomUpdate) or a patch of the version before it (RoomPatchUpdate).
import type { PatchedChange } from '../game-state/known-rooms';
import type { RoomPatchUpdate, RoomUpdate } from './game-socket';

export type RoomMail = { patch: RoomPatchUpdate } | { whole: RoomUpdate };

/** A change sent whole, with the room's incarnation when the sender knows it. */
export function wholeUpdate(update: RoomUpdate, epoch: string | undefined): RoomUpdate {
  return epoch === undefined ? update : { ...update, epoch };
}

/**
 * The message of a change: a patch when the sender committed it (`change`) and knows the room's
 * incarnation, so that a receiver holding the version before can rebuild it; else the whole state.
 */
export function encodeRoomMail(
  update: RoomUpdate,
  epoch: string | undefined,
  change: PatchedChange | undefined,
): string {
  if (epoch === undefined || change === undefined)
    return JSON.stringify(wholeUpdate(update, epoch));
  const { state, events, spectators = 0 } = update;
  const patch: RoomPatchUpdate = {
    roomCode: state.roomCode,
    version: state.version,
    epoch,
    change,
    events,
    spectators,
  };
  return JSON.stringify(patch);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

const isFields = (value: unknown): value is Record<string, unknown> =>
  isObject(value) && !Array.isArray(value);

/** A FieldPatch's shape: `set` an object of fields, `unset` a list of field names. */
function isFieldPatch(value: unknown): boolean {
  if (!isFields(value)) return false;
  const { set, unset } = value;
  if (set !== undefined && !isFields(set)) return false;
  return unset === undefined || (Array.isArray(unset) && unset.every((k) => typeof k === 'string'));
}

/** A RoomPatch's shape, down to the hands' patch (values are the sender's, as in a whole state). */
function isPatchedChange(value: unknown, version: number): value is PatchedChange {
  if (!isFields(value) || typeof value.base !== 'number' || value.base >= version) return false;
  const patch = value.patch;
  if (!isFields(patch)) return false;
  if (patch.room !== undefined && !isFieldPatch(patch.room)) return false;
  if (patch.match === undefined) return true;
  if (!isFieldPatch(patch.match)) return false;
  const hands = (patch.match as { set?: Record<string, unknown> }).set?.hands;
  return hands === undefined || isFieldPatch(hands);
}

/** A mailed change, or null when the text is not one (unreadable, or of an unknown shape). */
export function decodeRoomMail(json: string): RoomMail | null {
  let message: unknown;
  try {
    message = JSON.parse(json);
  } catch {
    return null;
  }
  if (!isObject(message) || !Array.isArray(message.events)) return null;
  if ('change' in message) {
    const ok =
      typeof message.roomCode === 'string' &&
      typeof message.version === 'number' &&
      typeof message.epoch === 'string' &&
      typeof message.spectators === 'number' &&
      isPatchedChange(message.change, message.version);
    return ok ? { patch: message as unknown as RoomPatchUpdate } : null;
  }
  const state = message.state;
  if (!isObject(state) || typeof state.roomCode !== 'string') return null;
  return { whole: message as unknown as RoomUpdate };
}
