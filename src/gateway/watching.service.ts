import { Inject, Injectable, Logger } from '@nestjs/common';
import type { TurnClock } from '../game-state/domain/types';
import { spectatorView } from '../game-state/domain/view';
import { RoomNotFoundError } from '../game-state/game-state.errors';
import { GameStateService } from '../game-state/game-state.service';
import { TURN_CLOCK } from '../game-state/turn-clock.provider';
import type { SpectatorGameView } from '../protocol/hokm-protocol';
import { SpectatorsService } from '../rooms/spectators.service';
import type { GameSocket } from './game-socket';
import type { Payload } from './payloads';
import { LocalRoomDelivery } from './local-room-delivery';
import { SocketSeats } from './socket-seats';

/**
 * Watching a room without a seat (watch, and a spectator's get_state and leave). A spectator is
 * counted in Redis and joins the room's spectators here; it writes nothing of the room itself,
 * so watching never bumps a version.
 */
@Injectable()
export class WatchingService {
  private readonly logger = new Logger(WatchingService.name);

  constructor(
    private readonly game: GameStateService,
    private readonly spectators: SpectatorsService,
    private readonly local: LocalRoomDelivery,
    private readonly seats: SocketSeats,
    @Inject(TURN_CLOCK) private readonly clock: TurnClock,
  ) {}

  /** The socket watches a live room: counted, bound, and sent the room's view at once. */
  async watch(socket: GameSocket, { roomCode }: Payload<'watch'>): Promise<{ roomCode: string }> {
    this.seats.requireFree(socket);
    const counted = await this.spectators.add(roomCode);
    if (counted === null) throw new RoomNotFoundError(roomCode);
    // Bound before the room is read: a change landing meanwhile reaches the socket as a push,
    // and the read below is never older than what was delivered before it.
    this.seats.bindWatcher(socket, roomCode);
    const boundAt = this.local.mark();
    let state;
    try {
      state = await this.game.load(roomCode);
      if (!state) throw new RoomNotFoundError(roomCode);
    } catch (error) {
      await this.stop(socket, roomCode);
      throw error;
    }
    this.local.sendSpectatorState(socket, state, boundAt);
    this.logger.log({ roomCode, socketId: socket.id, spectators: counted }, 'watching');
    return { roomCode };
  }

  /** The spectator's view of the room as it is now; a room that is gone ends the watching. */
  async getState(socket: GameSocket, roomCode: string): Promise<SpectatorGameView> {
    const state = await this.game.load(roomCode);
    if (!state) {
      await this.stop(socket, roomCode);
      throw new RoomNotFoundError(roomCode);
    }
    return spectatorView(state, Date.now(), this.clock, this.game.spectatorsOf(roomCode));
  }

  /** `leave` from a spectator: it stops watching; the socket is free again. */
  async leave(socket: GameSocket, roomCode: string): Promise<Record<string, never>> {
    await this.stop(socket, roomCode);
    this.logger.log({ roomCode, socketId: socket.id }, 'stopped watching');
    return {};
  }

  /** A spectator's socket closed: it is no longer counted. */
  async socketClosed(socket: GameSocket): Promise<void> {
    const roomCode = this.seats.watchingOf(socket);
    if (roomCode !== undefined) await this.stop(socket, roomCode);
  }

  /** This instance was taken for dead: its spectators are put back on record as they are. */
  async reclaimLocalSpectators(): Promise<void> {
    const watching = this.seats.watchers();
    if (watching.size === 0) return;
    await this.spectators.restore(watching);
    this.logger.warn({ rooms: watching.size }, 'spectator counts put back on record');
  }

  private async stop(socket: GameSocket, roomCode: string): Promise<void> {
    this.seats.unbindWatcher(socket, roomCode);
    await this.spectators.remove(roomCode);
  }
}
