// A room as the store answers it (RoomSnapshot), turned into what the rules and KnownRooms hold.
import type { RoomState } from './domain/types';
import type { KnownRoom } from './known-rooms';
import type { RoomSnapshot } from './room-store.port';

/** The rules' state of a stored room (a room stored before visibility existed is private). */
function roomStateOf(snapshot: RoomSnapshot): RoomState {
  return {
    roomCode: snapshot.roomCode,
    version: snapshot.version,
    phase: snapshot.phase,
    targetScore: snapshot.targetScore,
    hostId: snapshot.hostId,
    players: snapshot.players,
    match: snapshot.match,
    visibility: snapshot.visibility ?? 'private',
    createdAt: snapshot.createdAt,
  };
}

/** A stored room as this instance remembers it: its state, incarnation, match JSON, spectators. */
export function knownRoomOf(snapshot: RoomSnapshot): KnownRoom {
  return {
    state: roomStateOf(snapshot),
    epoch: snapshot.epoch,
    matchJson: snapshot.matchJson,
    spectators: snapshot.spectators,
  };
}
