// The room changes one instance mails another (InstanceMail): as JSON, either the whole state
// (RoomUpdate) or a patch of the version before it (RoomPatchUpdate).
import type { PatchedChange } from '../game-state/known-rooms';
import type { RoomPatchUpdate, RoomUpdate } from './game-socket';

export type RoomMail = { patch: RoomPatchUpdate } | { whole: RoomUpdate };

/**
 * The message of a change: a patch when the sender committed it (`change`) and knows the room's
 * incarnation, so that a receiver holding the version before can rebuild it; else the whole state.
 */
export function encodeRoomMail(
  update: RoomUpdate,
  epoch: string | undefined,
  change: PatchedChange | undefined,
): string {
  if (epoch === undefined) return JSON.stringify(update);
  if (change === undefined) return JSON.stringify({ ...update, epoch });
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

function isPatchedChange(value: unknown): value is PatchedChange {
  return isObject(value) && typeof value.base === 'number' && isObject(value.patch);
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
      isPatchedChange(message.change);
    return ok ? { patch: message as unknown as RoomPatchUpdate } : null;
  }
  const state = message.state;
  if (!isObject(state) || typeof state.roomCode !== 'string') return null;
  return { whole: message as unknown as RoomUpdate };
}
