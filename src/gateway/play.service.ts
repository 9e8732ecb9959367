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
import type { RegisteredConnection } from '../rooms/seat-registry.port';
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
      const roomCode = this.rooms.newRoomCode();
      const connection = { roomCode, playerId, connectionId: socket.id };
      [created] = await Promise.all([
        this.game.createRoom(roomCode, payload.targetScore ?? 7, host),
        this.register(connection),
      ]);
      if (!created) await this.unregister(connection);
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
    // The socket is registered first too: if this instance dies, survivors free the seat.
    const connection = { roomCode, playerId, connectionId: socket.id };
    await Promise.all([
      this.rooms.saveSession(sessionToken, { roomCode, playerId }),
      this.register(connection),
    ]);
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
      await this.unregister(connection);
      throw error;
    }
    this.bind(socket, { roomCode, playerId, sessionToken });
    await this.announce(change, playerId);
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
    // Registered with the write (one round trip): if this instance dies, survivors free the seat.
    const connection = { roomCode, playerId, connectionId: socket.id };
    try {
      [, change] = await Promise.all([
        this.register(connection),
        this.game.apply(
          roomCode,
          { type: 'reconnect', playerId, connectionId: socket.id },
          (state) => {
            before = playerIn(state, playerId);
            return true;
          },
        ),
      ]);
    } catch (error) {
      await this.unregister(connection);
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
        ns.to(playerRoom(playerId)).except(socket.id).emit('session_replaced', {
          message: 'This seat was taken over by another connection.',
          version: change.state.version,
        });
        // The adapter's cluster-wide disconnect is a Redis round trip, to this instance too:
        // local sockets go at once, and the new socket (bound below) is excepted everywhere.
        ns.local.in(playerRoom(playerId)).except(socket.id).disconnectSockets(true);
        ns.in(playerRoom(playerId)).except(socket.id).disconnectSockets(true);
      }
    }
    this.bind(socket, { roomCode, playerId, sessionToken });
    // Pushed before the bookkeeping below, so no later change of the room can reach clients first.
    if (change.events.length === 0) this.broadcaster.sendState(change.state, playerId);
    else await this.announce(change, playerId);
    // The seat is back whatever happens next: a stale grace deadline is recognised and ignored
    // when it fires, and the session exists (it was just read), so both are best effort.
    if (before && !before.connected && before.disconnectedAt !== undefined) {
      const timer = { roomCode, playerId, disconnectedAt: before.disconnectedAt };
      await this.rooms.cancelGrace(timer).catch((e: unknown) => this.bookkeepingFailed(e));
    }
    await this.rooms
      .saveSession(sessionToken, { roomCode, playerId })
      .catch((e: unknown) => this.bookkeepingFailed(e));
    this.logger.log(`roomCode=${roomCode} playerId=${playerId} reconnected`);
    return { roomCode, playerId, seat: playerIn(change.state, playerId)?.seat ?? 0 };
  }

  async leave(socket: Socket): Promise<Record<string, never>> {
    const seat = this.seat(socket);
    const change = await this.game.apply(seat.roomCode, { type: 'leave', playerId: seat.playerId });
    this.unbind(socket, seat);
    await this.unregister({
      roomCode: seat.roomCode,
      playerId: seat.playerId,
      connectionId: socket.id,
    });
    // Pushed first, so no later change of the room can reach clients before this one.
    this.broadcaster.publish(change.state, change.events);
    // The seat is given up whatever happens next, so the ack must say so: a token left behind
    // proves nothing (a seat that is gone answers INVALID_SESSION, a finished room WRONG_PHASE),
    // and an empty room left behind expires with its TTL.
    await this.rooms.endSession(seat.sessionToken).catch((e: unknown) => this.bookkeepingFailed(e));
    await this.deleteIfEmpty(change.state).catch((e: unknown) => this.bookkeepingFailed(e));
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
    const connection = {
      roomCode: seat.roomCode,
      playerId: seat.playerId,
      connectionId: socket.id,
    };
    await this.connectionLost(connection);
    // Only once the seat is marked: until then, survivors must still free it if we die.
    await this.unregister(connection);
  }

  /**
   * A seat's socket is gone (it closed here, or its instance died): the seat is kept for the
   * grace period, unless a newer socket has taken it. True if the seat was marked disconnected.
   */
  async connectionLost(connection: RegisteredConnection): Promise<boolean> {
    const { roomCode, playerId, connectionId } = connection;
    const at = Date.now();
    // The deadline goes in with the write: if this instance dies right after, a survivor still
    // acts on it. One that turns out not to apply is dropped (and would be ignored when due).
    const [change] = await Promise.all([
      this.game.apply(
        roomCode,
        { type: 'disconnect', playerId, at },
        // A socket replaced by a newer one no longer speaks for the seat.
        (state) => playerIn(state, playerId)?.connectionId === connectionId,
      ),
      this.rooms
        .startGrace(roomCode, playerId, at)
        .catch((e: unknown) => this.bookkeepingFailed(e)),
    ]);
    if (change.events.length === 0) {
      await this.rooms
        .cancelGrace({ roomCode, playerId, disconnectedAt: at })
        .catch((e: unknown) => this.bookkeepingFailed(e));
      return false;
    }
    this.broadcaster.publish(change.state, change.events);
    return true;
  }

  /**
   * Frees the seats of an instance that stopped beating (killed, frozen, cut off): each of its
   * sockets counts as disconnected, so its players get the grace period to come back anywhere.
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
    await this.rooms.forgetDeadInstance(instanceId);
    return freed;
  }

  /**
   * This instance was taken for dead while it was only slow (its seats may have been freed):
   * every socket still here takes back a seat that was freed and not taken by another socket.
   */
  async reclaimLocalSeats(): Promise<void> {
    for (const socket of this.namespace?.sockets.values() ?? []) {
      const seat = seatOf(socket);
      if (!seat) continue;
      const { roomCode, playerId } = seat;
      try {
        await this.register({ roomCode, playerId, connectionId: socket.id });
        let before: SeatedPlayer | undefined;
        const change = await this.game.apply(
          roomCode,
          { type: 'reconnect', playerId, connectionId: socket.id },
          (state) => {
            before = playerIn(state, playerId);
            return before !== undefined && !before.connected && before.connectionId === undefined;
          },
        );
        if (change.events.length === 0) continue;
        this.broadcaster.publish(change.state, change.events);
        if (before?.disconnectedAt !== undefined) {
          await this.rooms.cancelGrace({
            roomCode,
            playerId,
            disconnectedAt: before.disconnectedAt,
          });
        }
        this.logger.warn(`roomCode=${roomCode} playerId=${playerId} seat reclaimed`);
      } catch (error) {
        this.logger.warn(
          `roomCode=${roomCode} playerId=${playerId} not reclaimed: ${String(error)}`,
        );
      }
    }
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

  /**
   * Publishes a change that just seated `playerId` on a socket of this instance. If a newer
   * change of the room was delivered first (the broadcaster then drops this older one), that
   * socket may have missed both: it gets the room as it is now.
   */
  private async announce(change: AppliedChange, playerId: string): Promise<void> {
    if (this.broadcaster.publish(change.state, change.events)) return;
    // Best effort: the change has landed, and the next one will bring the state anyway.
    const now = await this.game.load(change.state.roomCode).catch(() => null);
    if (now && playerIn(now, playerId)) this.broadcaster.sendState(now, playerId);
  }

  // The registry only matters if this instance dies: a failure to write it must not fail a join.
  private register(connection: RegisteredConnection): Promise<void> {
    return this.rooms
      .registerConnection(connection)
      .catch((e: unknown) => this.bookkeepingFailed(e));
  }

  private unregister(connection: RegisteredConnection): Promise<void> {
    return this.rooms
      .unregisterConnection(connection)
      .catch((e: unknown) => this.bookkeepingFailed(e));
  }

  private bookkeepingFailed(error: unknown): void {
    this.logger.warn(`bookkeeping after a committed change failed: ${String(error)}`);
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
