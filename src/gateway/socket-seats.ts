import { Injectable, Logger } from '@nestjs/common';
import { AlreadyInRoomError, NotInRoomError } from '../rooms/rooms.errors';
import { RoomsService } from '../rooms/rooms.service';
import { connectionIdOf, instanceOfConnection, socketOfConnection } from './connection-ids';
import {
  SESSION_REPLACED,
  type GameNamespace,
  type GameSocket,
  type SessionReplaced,
  type SocketSeat,
} from './game-socket';

export const playerRoom = (playerId: string) => `player:${playerId}`;
export const tableRoom = (roomCode: string) => `room:${roomCode}`;
/** The spectators of a room on this instance: one broadcast (one encoded frame) reaches them all. */
export const watchRoom = (roomCode: string) => `watch:${roomCode}`;

/** The room code of a table's or spectators' Socket.IO room (`room:CODE`, `watch:CODE`), or null. */
export function codeOfRoom(room: string): string | null {
  const match = /^(?:room|watch):(.+)$/.exec(room);
  return match?.[1] ?? null;
}

const REPLACED_MESSAGE = 'This seat was taken over by another connection.';
const WATCHING_NO_SEAT = 'This connection is watching a table and holds no seat.';
const WATCHING_ALREADY = 'This connection is watching a table; leave it first.';

/**
 * Which seat a socket of this instance holds, or which room it watches, and the Socket.IO rooms
 * that go with it (its table's and its player's, or the room's spectators'), so pushes reach it.
 * Also drops the old socket of a seat taken over.
 */
@Injectable()
export class SocketSeats {
  private readonly logger = new Logger(SocketSeats.name);
  private namespace: GameNamespace | null = null;

  constructor(private readonly rooms: RoomsService) {}

  /** Called by the gateway once its namespace exists. */
  attach(namespace: GameNamespace): void {
    this.namespace = namespace;
    namespace.on(SESSION_REPLACED, (message: unknown) => this.receive(message));
  }

  /** The id a seat held by this socket is recorded under: this instance's and the socket's. */
  connectionOf(socket: GameSocket): string {
    return (socket.data.connectionId ??= connectionIdOf(this.rooms.instanceId, socket.id));
  }

  seatOf(socket: GameSocket): SocketSeat | undefined {
    return socket.data.seat;
  }

  /** The socket's seat; NOT_IN_ROOM if it has none (a spectator has none). Every seated request. */
  seat(socket: GameSocket): SocketSeat {
    const seat = socket.data.seat;
    if (seat) return seat;
    if (socket.data.watching !== undefined) throw new NotInRoomError(WATCHING_NO_SEAT);
    throw new NotInRoomError();
  }

  /**
   * ALREADY_IN_ROOM unless the socket is free: no seat and not watching. Every request that puts
   * a socket in a room calls it first (create_room, join, reconnect, watch, quick_match...).
   */
  requireFree(socket: GameSocket): void {
    if (socket.data.seat) throw new AlreadyInRoomError();
    if (socket.data.watching !== undefined) throw new AlreadyInRoomError(WATCHING_ALREADY);
  }

  /** The room the socket watches, if it is a spectator. */
  watchingOf(socket: GameSocket): string | undefined {
    return socket.data.watching;
  }

  /** The socket watches the room from now on: it gets the room's spectator pushes. */
  bindWatcher(socket: GameSocket, roomCode: string): void {
    socket.data.watching = roomCode;
    void socket.join(watchRoom(roomCode));
  }

  unbindWatcher(socket: GameSocket, roomCode: string): void {
    delete socket.data.watching;
    void socket.leave(watchRoom(roomCode));
  }

  /** How many sockets of this instance watch each room (for putting the counts back on record). */
  watchers(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const socket of this.namespace?.sockets.values() ?? []) {
      const code = socket.data.watching;
      if (code !== undefined) counts.set(code, (counts.get(code) ?? 0) + 1);
    }
    return counts;
  }

  bind(socket: GameSocket, seat: SocketSeat): void {
    socket.data.seat = seat;
    void socket.join([tableRoom(seat.roomCode), playerRoom(seat.playerId)]);
  }

  unbind(socket: GameSocket, seat: SocketSeat): void {
    delete socket.data.seat;
    void socket.leave(tableRoom(seat.roomCode));
    void socket.leave(playerRoom(seat.playerId));
  }

  /** Every socket of this instance that holds a seat. */
  *seated(): Generator<[GameSocket, SocketSeat]> {
    for (const socket of this.namespace?.sockets.values() ?? []) {
      const seat = socket.data.seat;
      if (seat) yield [socket, seat];
    }
  }

  /**
   * A seat was taken over by a newer connection: its old socket, on any instance, gets
   * `session_replaced` and then is closed. Both happen on the instance that holds it, one after
   * the other, so the push never depends on when an adapter delivers a broadcast locally.
   */
  replaced(takeover: SessionReplaced): void {
    const ns = this.namespace;
    if (!ns) return;
    if (this.localSocket(takeover.connectionId)) this.dropReplaced(takeover);
    else ns.serverSideEmit(SESSION_REPLACED, takeover);
  }

  /** The socket of this instance that a connection id names, if any. */
  private localSocket(connectionId: string): GameSocket | undefined {
    const instance = instanceOfConnection(connectionId);
    // An id that names no instance was written by an older version: its socket id alone says.
    if (instance !== null && instance !== this.rooms.instanceId) return undefined;
    return this.namespace?.sockets.get(socketOfConnection(connectionId));
  }

  /** Another instance's takeover: only the instance holding the old socket acts on it. */
  private receive(message: unknown): void {
    const takeover = message as Partial<SessionReplaced> | null;
    if (
      typeof takeover?.connectionId !== 'string' ||
      typeof takeover.roomCode !== 'string' ||
      typeof takeover.playerId !== 'string' ||
      typeof takeover.version !== 'number'
    ) {
      this.logger.error('unreadable takeover from another instance');
      return;
    }
    this.dropReplaced(takeover as SessionReplaced);
  }

  private dropReplaced({ roomCode, playerId, connectionId, version }: SessionReplaced): void {
    const socket = this.localSocket(connectionId);
    if (!socket) return;
    // Written before the close: the transport sends what is buffered before it closes.
    socket.emit('session_replaced', { message: REPLACED_MESSAGE, version });
    socket.disconnect(true);
    this.logger.log({ roomCode, playerId }, 'old connection replaced');
  }
}
