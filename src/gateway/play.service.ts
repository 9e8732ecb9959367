import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Namespace, Socket } from 'socket.io';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';
import { viewFor } from '../game-state/domain/view';
import type { Action, RoomState, SeatedPlayer } from '../game-state/domain/types';
import { RoomNotFoundError, RuleViolationError } from '../game-state/game-state.errors';
import { AppliedChange, GameStateService } from '../game-state/game-state.service';
import { AlreadyInRoomError, InvalidSessionError, NotInRoomError } from '../rooms/rooms.errors';
import { RoomsService } from '../rooms/rooms.service';
import type { GameView, SeatGrant } from '../protocol/hokm-protocol';
import { NotHostError } from './gateway.errors';
import type { Payload } from './payloads';
import { playerRoom, RoomBroadcaster, tableRoom } from './room-broadcaster';

/** What a socket holds once seated (socket.data.seat). */
export interface SocketSeat {
  roomCode: string;
  playerId: string;
  sessionToken: string;
}

const MAX_CODE_ATTEMPTS = 10;

function seatOf(socket: Socket): SocketSeat | undefined {
  return (socket.data as { seat?: SocketSeat }).seat;
}

function playerIn(state: RoomState, playerId: string): SeatedPlayer | undefined {
  return state.players.find((p) => p.playerId === playerId);
}

/** The game flows behind each request: the gateway validates, this acts, the broadcaster tells. */
@Injectable()
export class PlayService {
  private readonly logger = new Logger(PlayService.name);
  private namespace: Namespace | null = null;

  constructor(
    private readonly rooms: RoomsService,
    private readonly game: GameStateService,
    private readonly broadcaster: RoomBroadcaster,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  attach(namespace: Namespace): void {
    this.namespace = namespace;
  }

  seat(socket: Socket): SocketSeat {
    const seat = seatOf(socket);
    if (!seat) throw new NotInRoomError();
    return seat;
  }

  async createRoom(socket: Socket, payload: Payload<'create_room'>): Promise<SeatGrant> {
    if (seatOf(socket)) throw new AlreadyInRoomError();
    const { playerId, sessionToken } = this.rooms.newSeat();
    const host = { playerId, name: payload.name, connectionId: socket.id };
    let created: AppliedChange | null = null;
    for (let i = 0; i < MAX_CODE_ATTEMPTS && !created; i++) {
      created = await this.game.createRoom(
        this.rooms.newRoomCode(),
        payload.targetScore ?? 7,
        host,
      );
    }
    if (!created) throw new Error('no free room code after several attempts');
    const roomCode = created.state.roomCode;
    await this.rooms.saveSession(sessionToken, { roomCode, playerId });
    this.bind(socket, { roomCode, playerId, sessionToken });
    this.broadcaster.sendState(created.state, playerId);
    this.logger.log(`roomCode=${roomCode} playerId=${playerId} created room`);
    return { roomCode, playerId, sessionToken, seat: 0 };
  }

  async join(socket: Socket, payload: Payload<'join'>): Promise<SeatGrant> {
    if (seatOf(socket)) throw new AlreadyInRoomError();
    const { roomCode } = payload;
    const { playerId, sessionToken } = this.rooms.newSeat();
    // The session is saved first: a seat is never granted without the token that proves it.
    await this.rooms.saveSession(sessionToken, { roomCode, playerId });
    let change: AppliedChange;
    try {
      change = await this.game.apply(roomCode, {
        type: 'join',
        playerId,
        name: payload.name,
        connectionId: socket.id,
      });
    } catch (error) {
      await this.rooms.endSession(sessionToken).catch(() => undefined);
      throw error;
    }
    this.bind(socket, { roomCode, playerId, sessionToken });
    this.broadcaster.publish(change.state, change.events);
    this.logger.log(`roomCode=${roomCode} playerId=${playerId} joined`);
    const seat = playerIn(change.state, playerId)?.seat ?? 0;
    return { roomCode, playerId, sessionToken, seat };
  }

  async reconnect(
    socket: Socket,
    payload: Payload<'reconnect'>,
  ): Promise<{ roomCode: string; playerId: string; seat: number }> {
    if (seatOf(socket)) throw new AlreadyInRoomError();
    const { sessionToken } = payload;
    const { roomCode, playerId } = await this.rooms.resolveSession(sessionToken);
    let before: SeatedPlayer | undefined;
    let change: AppliedChange;
    try {
      change = await this.game.apply(
        roomCode,
        { type: 'reconnect', playerId, connectionId: socket.id },
        (state) => {
          before = playerIn(state, playerId);
          return true;
        },
      );
    } catch (error) {
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
    if (before?.connected && before.connectionId !== socket.id) {
      // A seat never has two sockets: the old one (on any instance) is told and dropped.
      const ns = this.namespace;
      if (ns) {
        ns.to(playerRoom(playerId)).emit('session_replaced', {
          message: 'This seat was taken over by another connection.',
        });
        ns.in(playerRoom(playerId)).disconnectSockets(true);
      }
    }
    if (before && !before.connected && before.disconnectedAt !== undefined) {
      await this.rooms.cancelGrace({ roomCode, playerId, disconnectedAt: before.disconnectedAt });
    }
    await this.rooms.saveSession(sessionToken, { roomCode, playerId });
    this.bind(socket, { roomCode, playerId, sessionToken });
    this.broadcaster.publish(change.state, change.events);
    if (change.events.length === 0) this.broadcaster.sendState(change.state, playerId);
    this.logger.log(`roomCode=${roomCode} playerId=${playerId} reconnected`);
    return { roomCode, playerId, seat: playerIn(change.state, playerId)?.seat ?? 0 };
  }

  async leave(socket: Socket): Promise<Record<string, never>> {
    const seat = this.seat(socket);
    const change = await this.game.apply(seat.roomCode, { type: 'leave', playerId: seat.playerId });
    this.unbind(socket, seat);
    await this.rooms.endSession(seat.sessionToken);
    this.broadcaster.publish(change.state, change.events);
    await this.deleteIfEmpty(change.state);
    this.logger.log(`roomCode=${seat.roomCode} playerId=${seat.playerId} left`);
    return {};
  }

  async act(socket: Socket, action: Action): Promise<Record<string, never>> {
    const seat = this.seat(socket);
    const change = await this.game.apply(seat.roomCode, action);
    this.broadcaster.publish(change.state, change.events);
    return {};
  }

  async getState(socket: Socket): Promise<GameView> {
    const seat = this.seat(socket);
    const state = await this.game.load(seat.roomCode);
    const player = state && playerIn(state, seat.playerId);
    if (!state || !player) {
      this.unbind(socket, seat);
      throw new NotInRoomError();
    }
    return viewFor(state, seat.playerId);
  }

  async addBots(socket: Socket, payload: Payload<'add_bots'>): Promise<{ added: number }> {
    const seat = this.seat(socket);
    let added = 0;
    const wanted = payload.count ?? 3;
    while (added < wanted) {
      const state = await this.game.load(seat.roomCode);
      if (!state) throw new RoomNotFoundError(seat.roomCode);
      if (state.hostId !== seat.playerId) throw new NotHostError();
      if (state.phase !== 'waiting_for_players' || state.players.length >= 4) {
        if (added > 0) break;
        throw new RuleViolationError(
          'WRONG_PHASE',
          'Bots can only join a waiting room with free seats.',
        );
      }
      const { playerId } = this.rooms.newSeat();
      const change = await this.game.apply(seat.roomCode, {
        type: 'join',
        playerId,
        name: `Bot ${state.players.length + 1}`,
        bot: true,
      });
      this.broadcaster.publish(change.state, change.events);
      added++;
    }
    return { added };
  }

  /** A socket went away: its seat is kept for the grace period (unless it was replaced). */
  async disconnected(socket: Socket): Promise<void> {
    const seat = seatOf(socket);
    if (!seat) return;
    const at = Date.now();
    const change = await this.game.apply(
      seat.roomCode,
      { type: 'disconnect', playerId: seat.playerId, at },
      // A socket replaced by a newer one no longer speaks for the seat.
      (state) => playerIn(state, seat.playerId)?.connectionId === socket.id,
    );
    if (change.events.length === 0) return;
    await this.rooms.startGrace(seat.roomCode, seat.playerId, at);
    this.broadcaster.publish(change.state, change.events);
  }

  /** Applies the end of a grace period claimed by the timer service. */
  async graceExpired(roomCode: string, playerId: string, disconnectedAt: number): Promise<void> {
    try {
      const change = await this.game.apply(
        roomCode,
        { type: 'grace_expired', playerId },
        (state) => {
          const player = playerIn(state, playerId);
          return (
            player !== undefined && !player.connected && player.disconnectedAt === disconnectedAt
          );
        },
      );
      if (change.events.length > 0) {
        this.broadcaster.publish(change.state, change.events);
        await this.deleteIfEmpty(change.state);
        this.logger.log(`roomCode=${roomCode} playerId=${playerId} grace expired`);
      }
    } catch (error) {
      if (!(error instanceof RoomNotFoundError)) throw error;
    }
  }

  private bind(socket: Socket, seat: SocketSeat): void {
    (socket.data as { seat?: SocketSeat }).seat = seat;
    void socket.join([tableRoom(seat.roomCode), playerRoom(seat.playerId)]);
  }

  private unbind(socket: Socket, seat: SocketSeat): void {
    delete (socket.data as { seat?: SocketSeat }).seat;
    void socket.leave(tableRoom(seat.roomCode));
    void socket.leave(playerRoom(seat.playerId));
  }

  // A waiting room whose last human left is gone; bots do not keep a room alive.
  private async deleteIfEmpty(state: RoomState): Promise<void> {
    if (state.phase === 'waiting_for_players' && !state.players.some((p) => !p.bot)) {
      await this.game.deleteRoom(state.roomCode);
    }
  }
}
