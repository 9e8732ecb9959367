import { Inject, Injectable, Logger } from '@nestjs/common';
import { viewFor } from '../game-state/domain/view';
import type { SeatedPlayer, TurnClock } from '../game-state/domain/types';
import { RoomNotFoundError, RuleViolationError } from '../game-state/game-state.errors';
import { AppliedChange, GameStateService } from '../game-state/game-state.service';
import { TURN_CLOCK } from '../game-state/turn-clock.provider';
import { InvalidSessionError, NotInRoomError } from '../rooms/rooms.errors';
import { RoomsService } from '../rooms/rooms.service';
import type { ClientRequests, GameView, SeatGrant } from '../protocol/hokm-protocol';
import type { GameSocket } from './game-socket';
import { NotHostError } from './gateway.errors';
import type { Payload } from './payloads';
import { LocalRoomDelivery } from './local-room-delivery';
import { RoomBroadcaster } from './room-broadcaster';
import { isDeserted, playerIn } from './room-state';
import { SeatBookkeeping } from './seat-bookkeeping';
import { SocketSeats } from './socket-seats';

const MAX_CODE_ATTEMPTS = 10;

type Reseated = ClientRequests['reconnect'][1];

/**
 * Taking, getting back and giving up seats (create_room, join, reconnect, leave), and what a
 * seated player asks of their room (get_state, add_bots). The gateway validates, this acts, the
 * broadcaster tells.
 */
@Injectable()
export class SeatingService {
  private readonly logger = new Logger(SeatingService.name);

  constructor(
    private readonly rooms: RoomsService,
    private readonly game: GameStateService,
    private readonly broadcaster: RoomBroadcaster,
    private readonly local: LocalRoomDelivery,
    private readonly seats: SocketSeats,
    private readonly bookkeeping: SeatBookkeeping,
    @Inject(TURN_CLOCK) private readonly clock: TurnClock,
  ) {}

  async createRoom(socket: GameSocket, payload: Payload<'create_room'>): Promise<SeatGrant> {
    this.seats.requireFree(socket);
    const { playerId, sessionToken } = this.rooms.newSeat();
    const host = { playerId, name: payload.name, connectionId: this.seats.connectionOf(socket) };
    let created: AppliedChange | null = null;
    for (let i = 0; i < MAX_CODE_ATTEMPTS && !created; i++) {
      const roomCode = this.rooms.newRoomCode();
      const connection = { roomCode, playerId, connectionId: this.seats.connectionOf(socket) };
      [created] = await Promise.all([
        this.game.createRoom(roomCode, payload.targetScore ?? 7, host, payload.visibility),
        this.bookkeeping.register(connection),
      ]);
      if (!created) await this.bookkeeping.unregister(connection);
    }
    if (!created) throw new Error('no free room code after several attempts');
    const roomCode = created.state.roomCode;
    await this.rooms.saveSession(sessionToken, { roomCode, playerId });
    this.seats.bind(socket, { roomCode, playerId, sessionToken });
    // A public room can be joined the moment it exists, before its host's socket is bound.
    this.broadcaster.announceSeat(created, playerId, { created: true });
    this.logger.log({ roomCode, playerId }, 'created room');
    return { roomCode, playerId, sessionToken, seat: 0 };
  }

  async join(socket: GameSocket, payload: Payload<'join'>): Promise<SeatGrant> {
    this.seats.requireFree(socket);
    const { roomCode } = payload;
    const { playerId, sessionToken } = this.rooms.newSeat();
    // The session is saved first: a seat is never granted without the token that proves it.
    // The socket is registered first too: if this instance dies, survivors free the seat.
    const connection = { roomCode, playerId, connectionId: this.seats.connectionOf(socket) };
    await Promise.all([
      this.rooms.saveSession(sessionToken, { roomCode, playerId }),
      this.bookkeeping.register(connection),
    ]);
    let change: AppliedChange;
    try {
      change = await this.game.apply(roomCode, {
        type: 'join',
        playerId,
        name: payload.name,
        connectionId: this.seats.connectionOf(socket),
        at: Date.now(),
      });
    } catch (error) {
      await this.rooms.endSession(sessionToken).catch(() => undefined);
      await this.bookkeeping.unregister(connection);
      throw error;
    }
    this.seats.bind(socket, { roomCode, playerId, sessionToken });
    this.broadcaster.announceSeat(change, playerId);
    this.logger.log({ roomCode, playerId }, 'joined');
    const seat = playerIn(change.state, playerId)?.seat ?? 0;
    return { roomCode, playerId, sessionToken, seat };
  }

  /** Back to a seat by its token: after a drop, or from a second socket (a takeover). */
  async reconnect(socket: GameSocket, payload: Payload<'reconnect'>): Promise<Reseated> {
    this.seats.requireFree(socket);
    const { sessionToken } = payload;
    const { roomCode, playerId } = await this.rooms.resolveSession(sessionToken);
    let before: SeatedPlayer | undefined;
    let change: AppliedChange;
    // Registered with the write (one round trip): if this instance dies, survivors free the seat.
    const connection = { roomCode, playerId, connectionId: this.seats.connectionOf(socket) };
    try {
      [, change] = await Promise.all([
        this.bookkeeping.register(connection),
        this.game.apply(
          roomCode,
          {
            type: 'reconnect',
            playerId,
            connectionId: this.seats.connectionOf(socket),
            at: Date.now(),
          },
          (state) => {
            before = playerIn(state, playerId);
            return true;
          },
        ),
      ]);
    } catch (error) {
      await this.bookkeeping.unregister(connection);
      // The room is gone or the seat was given up: the token no longer proves anything.
      if (
        error instanceof RoomNotFoundError ||
        (error instanceof RuleViolationError && error.code === 'NOT_IN_ROOM')
      ) {
        await this.rooms.endSession(sessionToken).catch(() => undefined);
        throw new InvalidSessionError();
      }
      throw error;
    }
    const old = before?.connected ? before.connectionId : undefined;
    if (old !== undefined && old !== this.seats.connectionOf(socket)) {
      // A seat never has two sockets: the old one (on any instance) is told, then dropped.
      this.seats.replaced({ roomCode, playerId, connectionId: old, version: change.state.version });
    }
    this.seats.bind(socket, { roomCode, playerId, sessionToken });
    // Pushed before the bookkeeping below, so no later change of the room can reach clients first.
    if (change.events.length === 0) this.local.sendState(change.state, playerId);
    else this.broadcaster.announceSeat(change, playerId);
    // The seat is back whatever happens next (its grace deadline went with the commit), and the
    // session exists (it was just read), so this is best effort.
    await this.bookkeeping.bestEffort(this.rooms.saveSession(sessionToken, { roomCode, playerId }));
    this.logger.log({ roomCode, playerId }, 'reconnected');
    return { roomCode, playerId, seat: playerIn(change.state, playerId)?.seat ?? 0 };
  }

  async leave(socket: GameSocket): Promise<Record<string, never>> {
    const seat = this.seats.seat(socket);
    const change = await this.game.apply(seat.roomCode, {
      type: 'leave',
      playerId: seat.playerId,
      at: Date.now(),
    });
    this.seats.unbind(socket, seat);
    await this.bookkeeping.unregister({
      roomCode: seat.roomCode,
      playerId: seat.playerId,
      connectionId: this.seats.connectionOf(socket),
    });
    // Pushed first, so no later change of the room can reach clients before this one.
    this.broadcaster.publish(change.state, change.events);
    // The seat is given up whatever happens next, so the ack must say so: a token left behind
    // proves nothing (a seat that is gone answers INVALID_SESSION, a finished room WRONG_PHASE),
    // and an empty room left behind expires with its TTL.
    await this.bookkeeping.bestEffort(this.rooms.endSession(seat.sessionToken));
    if (isDeserted(change.state)) {
      await this.bookkeeping.bestEffort(this.game.deleteRoom(change.state.roomCode));
    }
    this.logger.log({ roomCode: seat.roomCode, playerId: seat.playerId }, 'left');
    return {};
  }

  async getState(socket: GameSocket): Promise<GameView> {
    const seat = this.seats.seat(socket);
    const state = await this.game.load(seat.roomCode);
    const player = state && playerIn(state, seat.playerId);
    if (!state || !player) {
      this.seats.unbind(socket, seat);
      throw new NotInRoomError();
    }
    return viewFor(
      state,
      seat.playerId,
      Date.now(),
      this.clock,
      this.game.spectatorsOf(seat.roomCode),
    );
  }

  async addBots(socket: GameSocket, payload: Payload<'add_bots'>): Promise<{ added: number }> {
    const seat = this.seats.seat(socket);
    let added = 0;
    const wanted = payload.count ?? 3;
    while (added < wanted) {
      const state = await this.game.load(seat.roomCode);
      if (!state) throw new RoomNotFoundError(seat.roomCode);
      // WRONG_PHASE before NOT_HOST: in game_over and abandoned everything but get_state and
      // leave is WRONG_PHASE, whoever asks.
      if (state.phase !== 'waiting_for_players' || state.players.length >= 4) {
        if (added > 0) break;
        throw new RuleViolationError(
          'WRONG_PHASE',
          'Bots can only join a waiting room with free seats.',
        );
      }
      if (state.hostId !== seat.playerId) throw new NotHostError();
      const { playerId } = this.rooms.newSeat();
      const change = await this.game.apply(seat.roomCode, {
        type: 'join',
        playerId,
        name: `Bot ${state.players.length + 1}`,
        bot: true,
        at: Date.now(),
      });
      this.broadcaster.publish(change.state, change.events);
      added++;
    }
    return { added };
  }
}
