import { Injectable, Logger } from '@nestjs/common';
import { QuickMatchService } from '../lobby/quick-match.service';
import type { SeatGrant } from '../protocol/hokm-protocol';
import { RoomsService } from '../rooms/rooms.service';
import type { GameSocket } from './game-socket';
import type { Payload } from './payloads';
import { RoomBroadcaster } from './room-broadcaster';
import { playerIn } from './room-state';
import { SeatBookkeeping } from './seat-bookkeeping';
import { SocketSeats } from './socket-seats';

/**
 * `quick_match` for a socket: the lobby finds the seat, this puts the socket in it as `join` and
 * `create_room` do (the session saved and the socket registered before the room's write, the
 * seat bound, the change pushed).
 */
@Injectable()
export class QuickMatchSeating {
  private readonly logger = new Logger(QuickMatchSeating.name);

  constructor(
    private readonly quickMatch: QuickMatchService,
    private readonly rooms: RoomsService,
    private readonly broadcaster: RoomBroadcaster,
    private readonly seats: SocketSeats,
    private readonly bookkeeping: SeatBookkeeping,
  ) {}

  async seat(socket: GameSocket, payload: Payload<'quick_match'>): Promise<SeatGrant> {
    this.seats.requireFree(socket);
    const { playerId, sessionToken } = this.rooms.newSeat();
    const connection = (roomCode: string) => ({
      roomCode,
      playerId,
      connectionId: this.seats.connectionOf(socket),
    });
    const { roomCode, change, opened } = await this.quickMatch.seat(
      {
        playerId,
        name: payload.name,
        targetScore: payload.targetScore ?? 7,
        connectionId: this.seats.connectionOf(socket),
      },
      {
        // A seat is never granted without the token that proves it; if this instance dies,
        // survivors free a seat whose socket is registered.
        prepare: async (code) => {
          await Promise.all([
            this.rooms.saveSession(sessionToken, { roomCode: code, playerId }),
            this.bookkeeping.register(connection(code)),
          ]);
        },
        abandon: async (code) => {
          await Promise.all([
            this.bookkeeping.bestEffort(this.rooms.endSession(sessionToken)),
            this.bookkeeping.unregister(connection(code)),
          ]);
        },
      },
    );
    this.seats.bind(socket, { roomCode, playerId, sessionToken });
    // A table just opened is the lobby's at once: others may join it before this socket is bound.
    this.broadcaster.announceSeat(change, playerId, { created: opened });
    const seat = playerIn(change.state, playerId)?.seat ?? 0;
    this.logger.log(
      { roomCode, playerId },
      opened ? 'quick match opened a table' : 'quick match joined',
    );
    return { roomCode, playerId, sessionToken, seat };
  }
}
