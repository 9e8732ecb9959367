import { Injectable } from '@nestjs/common';
import type { Action } from '../game-state/domain/types';
import { GameStateService } from '../game-state/game-state.service';
import type { Card, Suit } from '../protocol/hokm-protocol';
import type { GameSocket } from './game-socket';
import { GatewayMetrics } from './gateway.metrics';
import { LocalRoomDelivery } from './local-room-delivery';
import { RoomBroadcaster } from './room-broadcaster';
import { SocketSeats } from './socket-seats';

/**
 * A seated player's moves, as rule actions on their room. Each carries the socket it came from:
 * a socket replaced by a newer one no longer speaks for the seat (the rules answer NOT_IN_ROOM).
 */
@Injectable()
export class MovesService {
  constructor(
    private readonly game: GameStateService,
    private readonly broadcaster: RoomBroadcaster,
    private readonly local: LocalRoomDelivery,
    private readonly seats: SocketSeats,
    private readonly metrics: GatewayMetrics,
  ) {}

  /** The hakem names the trump suit. */
  async selectHokm(socket: GameSocket, suit: Suit): Promise<Record<string, never>> {
    const { roomCode, playerId } = this.seats.seat(socket);
    const at = Date.now();
    await this.apply(roomCode, {
      type: 'select_hokm',
      playerId,
      suit,
      connectionId: this.seats.connectionOf(socket),
      at,
    });
    return {};
  }

  /** The player whose turn it is plays a card from their hand. */
  async playCard(socket: GameSocket, card: Card): Promise<Record<string, never>> {
    const { roomCode, playerId } = this.seats.seat(socket);
    const at = Date.now();
    await this.apply(roomCode, {
      type: 'play_card',
      playerId,
      card,
      connectionId: this.seats.connectionOf(socket),
      at,
    });
    return {};
  }

  /** The player is back at the table: no longer away (`{}` also when they were not). */
  async resume(socket: GameSocket): Promise<Record<string, never>> {
    const { roomCode, playerId } = this.seats.seat(socket);
    await this.apply(roomCode, { type: 'resume', playerId, at: Date.now() });
    return {};
  }

  private async apply(roomCode: string, action: Action): Promise<void> {
    const change = await this.game.apply(roomCode, action);
    // A resume of a player who was not away changes nothing: nothing to tell.
    if (change.events.length === 0) return;
    this.broadcaster.publish(change.state, change.events);
    // The ack after the mover's own state push, also when that waits for the change before it.
    const pending = this.local.whenDelivered(change.state);
    if (!pending) return;
    const heldSince = performance.now();
    await pending;
    this.metrics.ackHeld(heldSince);
  }
}
