import { Injectable, Logger } from '@nestjs/common';
import { RoomNotFoundError } from '../game-state/game-state.errors';
import { GameStateService } from '../game-state/game-state.service';
import { RoomsService } from '../rooms/rooms.service';
import type { RegisteredConnection } from '../rooms/seat-registry.port';
import { SpectatorsService } from '../rooms/spectators.service';
import type { GameSocket } from './game-socket';
import { RoomBroadcaster } from './room-broadcaster';
import { playerIn } from './room-state';
import { SeatBookkeeping } from './seat-bookkeeping';
import { SocketSeats } from './socket-seats';

/**
 * What happens to a seat whose connection is gone: a socket that closed here, the sockets of an
 * instance that died, and this instance's own seats after it was taken for dead. The gateway and
 * the instance liveness service call it; the end of a seat's grace period is a deadline of the
 * room (DeadlineRunner).
 */
@Injectable()
export class SeatRecoveryService {
  private readonly logger = new Logger(SeatRecoveryService.name);

  constructor(
    private readonly rooms: RoomsService,
    private readonly game: GameStateService,
    private readonly broadcaster: RoomBroadcaster,
    private readonly seats: SocketSeats,
    private readonly bookkeeping: SeatBookkeeping,
    private readonly spectators: SpectatorsService,
  ) {}

  /** A socket went away: its seat is kept for the grace period (unless it was replaced). */
  async socketClosed(socket: GameSocket): Promise<void> {
    const seat = this.seats.seatOf(socket);
    if (!seat) return;
    const connection = {
      roomCode: seat.roomCode,
      playerId: seat.playerId,
      connectionId: this.seats.connectionOf(socket),
    };
    await this.connectionLost(connection);
    // Only once the seat is marked: until then, survivors must still free it if we die.
    await this.bookkeeping.unregister(connection);
  }

  /**
   * Frees the seats of an instance that stopped beating (killed, frozen, cut off): each of its
   * sockets counts as disconnected, so its players get the grace period to come back anywhere.
   * Its spectators stop being counted.
   */
  async freeSeatsOf(instanceId: string): Promise<number> {
    let freed = 0;
    for (const connection of await this.rooms.registeredConnections(instanceId)) {
      try {
        if (await this.connectionLost(connection)) freed++;
      } catch (error) {
        // A room that has gone meanwhile has no seat left to free.
        if (!(error instanceof RoomNotFoundError)) throw error;
      }
    }
    // Before it is forgotten: forgetting drops the note of which rooms it watched.
    await this.spectators.dropInstance(instanceId);
    await this.rooms.forgetDeadInstance(instanceId);
    return freed;
  }

  /**
   * This instance was taken for dead while it was only slow (its seats may have been freed):
   * every socket still here takes back a seat that was freed and not taken by another socket.
   */
  async reclaimLocalSeats(): Promise<void> {
    // Walked live: a socket that closes meanwhile is not visited (its seat is not ours to take).
    for (const [socket, { roomCode, playerId }] of this.seats.seated()) {
      try {
        await this.bookkeeping.register({
          roomCode,
          playerId,
          connectionId: this.seats.connectionOf(socket),
        });
        // The seat's grace deadline goes with its disconnectedAt, in the same commit.
        const change = await this.game.apply(
          roomCode,
          {
            type: 'reconnect',
            playerId,
            connectionId: this.seats.connectionOf(socket),
            at: Date.now(),
          },
          (state) => {
            const before = playerIn(state, playerId);
            return before !== undefined && !before.connected && before.connectionId === undefined;
          },
        );
        if (change.events.length === 0) continue;
        this.broadcaster.publish(change.state, change.events);
        this.logger.warn({ roomCode, playerId }, 'seat reclaimed');
      } catch (error) {
        this.logger.warn({ roomCode, playerId, err: error }, 'seat not reclaimed');
      }
    }
  }

  /**
   * A seat's socket is gone (it closed here, or its instance died): the seat is kept for the
   * grace period, unless a newer socket has taken it. True if the seat was marked disconnected.
   */
  private async connectionLost(connection: RegisteredConnection): Promise<boolean> {
    const { roomCode, playerId, connectionId } = connection;
    // The grace deadline goes into the deadline index with this very commit: if this instance
    // dies right after, a survivor still acts on it.
    const change = await this.game.apply(
      roomCode,
      { type: 'disconnect', playerId, at: Date.now() },
      // A socket replaced by a newer one no longer speaks for the seat.
      (state) => playerIn(state, playerId)?.connectionId === connectionId,
    );
    if (change.events.length === 0) return false;
    this.broadcaster.publish(change.state, change.events);
    return true;
  }
}
