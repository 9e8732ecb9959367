// What one instance remembers of rooms between actions: the last state it committed, read or
// was sent for each, so that an action needs no read first and a change can travel as a patch.
import type { RoomState } from './domain/types';
import { applyPatch, patchOf, type RoomPatch } from './room-patch';

/** How many rooms an instance remembers between actions (least recently written go first). */
export const ROOM_MEMORY_LIMIT = 10_000;

/**
 * The last state this instance saw committed for a room: `state` at `state.version`, in the
 * incarnation `epoch` of the room code. It may be behind Redis (another instance wrote since);
 * it is only ever used as the expected state of a compare-and-set, which Redis checks.
 */
export interface KnownRoom {
  state: RoomState;
  epoch: string;
  /** `JSON.stringify(state.match)` when known; spares re-encoding it to diff the next change. */
  matchJson?: string | null;
  /** Sockets watching the room, as Redis counted them with this state (not versioned state). */
  spectators?: number;
  /** The state `state` was committed on, by this instance: what its patch is made against. */
  before?: RoomState;
}

/** A committed change as a patch of the version before it (see room-patch.ts). */
export interface PatchedChange {
  base: number;
  patch: RoomPatch;
}

/** A state of a room in one incarnation of its code. */
export interface RoomIncarnation {
  state: RoomState;
  epoch: string;
}

/** Another instance's change as it arrives: the patch, what it leads to, and the watchers then. */
export interface ArrivedPatch {
  roomCode: string;
  /** The room's incarnation the patch belongs to. */
  epoch: string;
  change: PatchedChange;
  /** The version the patch leads to. */
  version: number;
  spectators: number;
}

export class KnownRooms {
  /** Insertion-ordered: the first entry is the least recently written. */
  private readonly rooms = new Map<string, KnownRoom>();

  get(roomCode: string): KnownRoom | undefined {
    return this.rooms.get(roomCode);
  }

  forget(roomCode: string): void {
    this.rooms.delete(roomCode);
  }

  /** Remembers `room` unless a newer state of the same incarnation is known already. */
  remember(room: KnownRoom): KnownRoom {
    const code = room.state.roomCode;
    const had = this.rooms.get(code);
    // A late answer must not replace a newer state of the same incarnation.
    if (had && had.epoch === room.epoch && had.state.version > room.state.version) return room;
    this.rooms.delete(code);
    this.rooms.set(code, room);
    if (this.rooms.size > ROOM_MEMORY_LIMIT) {
      const oldest = this.rooms.keys().next().value;
      if (oldest !== undefined) this.rooms.delete(oldest);
    }
    return room;
  }

  /** The incarnation of `state` if it is the state remembered for its room, else null. */
  knownAs(state: RoomState): { epoch: string } | null {
    const room = this.rooms.get(state.roomCode);
    return room && room.state === state ? { epoch: room.epoch } : null;
  }

  /**
   * `state` as a patch of the version it was committed on, if it is the state remembered for its
   * room and this instance committed it (a read or another instance's change has no `before`).
   */
  changeOf(state: RoomState): PatchedChange | undefined {
    const room = this.rooms.get(state.roomCode);
    if (!room || room.state !== state || !room.before) return undefined;
    return { base: room.before.version, patch: patchOf(room.before, state) };
  }

  /**
   * The state another instance's patch leads to, remembered unless a newer one is: `patch` is
   * applied to the state known here when that is its base (in the same incarnation), else to
   * `delivered` (the version this instance's sockets got last) when that is; when the state known
   * here is the patched version already, that one. Undefined when this instance holds none.
   */
  patched(arrived: ArrivedPatch, delivered?: RoomIncarnation): RoomState | undefined {
    const { roomCode, epoch, change, version, spectators } = arrived;
    const room = this.rooms.get(roomCode);
    if (room?.epoch === epoch && room.state.version === version) return room.state;
    // The state known here may have moved past the base, the patch overtaken by a read (the answer
    // to a lost compare-and-set) or by a commit here on the room as read from Redis.
    const isBase = (known?: RoomIncarnation) =>
      known?.epoch === epoch && known.state.version === change.base;
    const base = isBase(room) ? room : isBase(delivered) ? delivered : undefined;
    if (!base) return undefined;
    const state = applyPatch(base.state, change.patch, version);
    this.remember({ state, epoch, spectators });
    return state;
  }

  /** The room's spectators as counted with the newest state known here; 0 for an unknown room. */
  spectatorsOf(roomCode: string): number {
    return this.rooms.get(roomCode)?.spectators ?? 0;
  }
}
