// The gateway's Socket.IO types, defined once: events both ways come from the protocol module,
// the messages between instances and the data a socket carries are the gateway's own. A wrong
// event name or payload anywhere in src/gateway is a compile error.
import type { Namespace, Socket } from 'socket.io';
import type { DomainEvent, RoomState } from '../game-state/domain/types';
import type { ArrivedPatch } from '../game-state/known-rooms';
import type { ClientToServerEvents, ServerToClientEvents } from '../protocol/hokm-protocol';

/** What a socket holds once seated (socket.data.seat). */
export interface SocketSeat {
  roomCode: string;
  playerId: string;
  sessionToken: string;
}

/** A socket's own data: its seat, once it has one, or the room it watches (never both). */
export interface SocketData {
  seat?: SocketSeat;
  /** The code of the room this socket watches as a spectator (it then holds no seat). */
  watching?: string;
  /** The id its seat is recorded under (SocketSeats.connectionOf), once asked for. */
  connectionId?: string;
}

/** The inter-instance message of a room change: one publish per change. */
export const ROOM_UPDATE = 'hokm:room_update';

export interface RoomUpdate {
  state: RoomState;
  events: DomainEvent[];
  /** The room's incarnation (see RoomSnapshot.epoch), so receivers may remember the state. */
  epoch?: string;
  /** The room's spectators as counted with this change, for the views built where delivered. */
  spectators?: number;
}

/**
 * A room change sent to one instance as a patch of the version before it (see
 * GameStateService.changeOf): a move's message carries the mover's hand and the trick, not the
 * room. The receiver applies it to the version it holds, or reads the room when it holds another.
 */
export interface RoomPatchUpdate extends ArrivedPatch {
  events: DomainEvent[];
}

/** The inter-instance message of a takeover: the instance holding the old socket drops it. */
export const SESSION_REPLACED = 'hokm:session_replaced';

export interface SessionReplaced {
  roomCode: string;
  playerId: string;
  /** The connection id of the seat's old connection (see connection-ids.ts). */
  connectionId: string;
  /** The room's version once the new connection holds the seat. */
  version: number;
}

/** Messages between instances (Namespace#serverSideEmit), carried by the Redis adapter. */
export interface InterServerEvents {
  [ROOM_UPDATE]: (update: RoomUpdate) => void;
  [SESSION_REPLACED]: (takeover: SessionReplaced) => void;
}

/** A client's socket on the game namespace. */
export type GameSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;

/** The game namespace (/game). */
export type GameNamespace = Namespace<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
