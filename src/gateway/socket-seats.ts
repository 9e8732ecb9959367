import { Injectable, Logger } from '@nestjs/common';
import { NotInRoomError } from '../rooms/rooms.errors';
import {
  SESSION_REPLACED,
  type GameNamespace,
  type GameSocket,
  type SessionReplaced,
  type SocketSeat,
} from './game-socket';

export const playerRoom = (playerId: string) => `player:${playerId}`;
export const tableRoom = (roomCode: string) => `room:${roomCode}`;

const REPLACED_MESSAGE = 'This seat was taken over by another connection.';

/**
 * Which seat a socket of this instance holds, and the Socket.IO rooms that go with it (its
 * table's and its player's), so pushes reach it. Also drops the old socket of a seat taken over.
 */
@Injectable()
export class SocketSeats {
  private readonly logger = new Logger(SocketSeats.name);
  private namespace: GameNamespace | null = null;

  /** Called by the gateway once its namespace exists. */
  attach(namespace: GameNamespace): void {
    this.namespace = namespace;
    namespace.on(SESSION_REPLACED, (message: unknown) => this.receive(message));
  }

  seatOf(socket: GameSocket): SocketSeat | undefined {
    return socket.data.seat;
  }

  /** The socket's seat; NOT_IN_ROOM if it has none. */
  seat(socket: GameSocket): SocketSeat {
    const seat = socket.data.seat;
    if (!seat) throw new NotInRoomError();
    return seat;
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
    if (ns.sockets.has(takeover.connectionId)) this.dropReplaced(takeover);
    else ns.serverSideEmit(SESSION_REPLACED, takeover);
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
    const socket = this.namespace?.sockets.get(connectionId);
    if (!socket) return;
    // Written before the close: the transport sends what is buffered before it closes.
    socket.emit('session_replaced', { message: REPLACED_MESSAGE, version });
    socket.disconnect(true);
    this.logger.log(`roomCode=${roomCode} playerId=${playerId} old connection replaced`);
  }
}
