import { Injectable, Logger } from '@nestjs/common';
import type { Namespace } from 'socket.io';
import { viewFor } from '../game-state/domain/view';
import type { DomainEvent, RoomState } from '../game-state/domain/types';
import { BotDriver } from './bot-driver.service';

/** The inter-instance message: one publish per change, each instance delivers to its sockets. */
export const ROOM_UPDATE = 'hokm:room_update';

export interface RoomUpdate {
  state: RoomState;
  events: DomainEvent[];
}

export const playerRoom = (playerId: string) => `player:${playerId}`;
export const tableRoom = (roomCode: string) => `room:${roomCode}`;

/**
 * Pushes a room change to every seated player, wherever they are connected: sockets on this
 * instance get their personalised `state` at once; other instances get one server-side message
 * through the Redis adapter and do the same for theirs. Views are built only where delivered.
 */
@Injectable()
export class RoomBroadcaster {
  private readonly logger = new Logger(RoomBroadcaster.name);
  private namespace: Namespace | null = null;

  constructor(private readonly bots: BotDriver) {
    bots.onChange((state, events) => this.publish(state, events));
  }

  /** Called by the gateway once its namespace exists. */
  attach(namespace: Namespace): void {
    this.namespace = namespace;
    namespace.on(ROOM_UPDATE, (update: RoomUpdate) => this.deliverLocally(update));
  }

  publish(state: RoomState, events: DomainEvent[]): void {
    if (!this.namespace) return;
    const update: RoomUpdate = { state, events };
    this.deliverLocally(update);
    this.namespace.serverSideEmit(ROOM_UPDATE, update);
    // Only the instance that made the change drives the bots, so each move is scheduled once.
    this.bots.afterChange(state);
  }

  /** Sends the receiver's own view to one player's sockets on this instance. */
  sendState(state: RoomState, playerId: string): void {
    this.namespace?.local.to(playerRoom(playerId)).emit('state', viewFor(state, playerId));
  }

  private deliverLocally({ state, events }: RoomUpdate): void {
    const ns = this.namespace;
    if (!ns) return;
    try {
      for (const event of events) {
        const { type, ...body } = event;
        ns.local.to(tableRoom(state.roomCode)).emit(type, { ...body, version: state.version });
      }
      for (const player of state.players) {
        if (ns.adapter.rooms.get(playerRoom(player.playerId))?.size) {
          this.sendState(state, player.playerId);
        }
      }
    } catch (error) {
      this.logger.error(`roomCode=${state.roomCode} delivery failed: ${String(error)}`);
    }
  }
}
