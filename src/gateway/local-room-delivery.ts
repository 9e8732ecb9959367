import { Inject, Injectable, Logger } from '@nestjs/common';
import { spectatorView } from '../game-state/domain/view';
import type { RoomState, TurnClock } from '../game-state/domain/types';
import { GameStateService } from '../game-state/game-state.service';
import { TURN_CLOCK } from '../game-state/turn-clock.provider';
import type { GameView } from '../protocol/hokm-protocol';
import { DeliveryOrder } from './delivery-order';
import { EncodedViews } from './encoded-views';
import type { GameNamespace, GameSocket, RoomUpdate } from './game-socket';
import { GatewayMetrics } from './gateway.metrics';
import type { JsonText } from './json-packet-encoder';
import { playerIn } from './room-state';
import { codeOfRoom, playerRoom, tableRoom, watchRoom } from './socket-seats';
import type { TablePushes, TableTarget } from './table-pushes';

/** A view sent as its encoded text: the server's encoder writes JsonText as the JSON it holds. */
const sentAs = (text: JsonText) => text as unknown as GameView;

/** A change of a room for the sockets here, in its room's order. */
interface LocalChange {
  roomCode: string;
  version: number;
  update: RoomUpdate;
  /** The room's incarnation, when known: the state can then be the base of the next patch. */
  epoch: string | undefined;
}

/**
 * Room changes to this instance's own sockets, in each room's version order: the table's events
 * and every seated player's own `state`, one spectator view per change for all the spectators
 * here (built only where delivered), and the first `state` of a socket that just joined a room.
 * Changes can reach here out of order (another instance's mail overtaken by a local commit made
 * on the room read from Redis, or a flow that publishes after more awaits): one that comes before
 * the change it follows waits for it (DeliveryOrder), and one older than what was delivered is
 * dropped, since a client must never get an older version after a newer one. A change that came
 * while no socket here sat at its table or watched it goes to the first socket to come, if that
 * one brings an older change (its seat's, committed before it).
 */
@Injectable()
export class LocalRoomDelivery {
  private readonly logger = new Logger(LocalRoomDelivery.name);
  private namespace: GameNamespace | null = null;
  private readonly order = new DeliveryOrder<LocalChange>(
    ({ update }) => this.emit(update),
    (roomCode) => this.hasSockets(roomCode),
    (roomCode, versions) => {
      this.metrics.versionsSkipped(versions);
      this.logger.warn({ roomCode, versions }, 'room versions never came: not pushed here');
    },
  );

  constructor(
    private readonly game: GameStateService,
    private readonly metrics: GatewayMetrics,
    @Inject(TURN_CLOCK) private readonly clock: TurnClock,
  ) {}

  /** Called once the gateway's namespace exists. */
  attach(namespace: GameNamespace): void {
    this.namespace = namespace;
    // A later room may reuse a code, its versions starting again at 1: a table's order is
    // forgotten once no socket here sits at it or watches it.
    namespace.adapter.on('delete-room', (room: string) => {
      const code = codeOfRoom(room);
      if (code !== null && !this.hasSockets(code)) this.order.forget(code);
    });
  }

  /**
   * Hands a change to the sockets here in its room's order (with `skipGap`, the caller knows the
   * versions before it are not coming). False when dropped: a version as new was delivered here.
   */
  deliver(update: RoomUpdate, epoch: string | undefined, options?: { skipGap?: boolean }): boolean {
    if (!this.namespace) return false;
    const { roomCode, version } = update.state;
    const outcome = this.order.offer({ roomCode, version, update, epoch }, options);
    if (outcome === 'held') this.metrics.changeHeld();
    return outcome !== 'stale';
  }

  /** The state the sockets here got last and its incarnation, when known (a patch's base). */
  lastDelivered(roomCode: string): { state: RoomState; epoch: string } | undefined {
    const last = this.order.last(roomCode);
    return last?.epoch === undefined ? undefined : { state: last.update.state, epoch: last.epoch };
  }

  /**
   * Null when `state` (a change just delivered) has gone to the sockets here; else resolves once
   * it has, after the change before it (at most the hold). A move's ack waits for it, so that the
   * mover's own state push comes first.
   */
  whenDelivered(state: RoomState): Promise<void> | null {
    return this.order.whenDelivered(state.roomCode, state.version);
  }

  /** How far delivery here has got: a socket bound now gets every later change. */
  mark(): number {
    return this.order.mark();
  }

  /** Sends the player's own view of `state` to their sockets here. */
  sendState(state: RoomState, playerId: string): void {
    if (!this.namespace?.adapter.rooms.get(playerRoom(playerId))?.size) return;
    const spectators = this.game.spectatorsOf(state.roomCode);
    this.sendView(new EncodedViews(state, Date.now(), this.clock, spectators), playerId);
  }

  /**
   * For a seat whose own change was dropped here as older (its sockets bound at delivery mark
   * `boundAt`): the player's view of the room as the sockets here got it last, so that the seat
   * has what the table has here, and every later change after it in order. Nothing when a change
   * delivered since the bind has brought it that much, or when the player is not in that state
   * yet (the change that seats them is still on its way, and will reach them).
   */
  catchUpSeat(roomCode: string, playerId: string, boundAt: number): void {
    const state = this.order.last(roomCode)?.update.state;
    if (!state || !playerIn(state, playerId)) return;
    if (this.order.deliveredSince(roomCode, boundAt, state.version)) return;
    this.sendState(state, playerId);
  }

  /**
   * A new spectator's first view of `state`, read after the socket was bound to the room's
   * spectators here at delivery mark `boundAt`: sent unless a change delivered here since has
   * brought the socket a version as new (which says as much or more).
   */
  sendSpectatorState(socket: GameSocket, state: RoomState, boundAt: number): void {
    if (this.order.deliveredSince(state.roomCode, boundAt, state.version)) return;
    const spectators = this.game.spectatorsOf(state.roomCode);
    socket.emit('state', spectatorView(state, Date.now(), this.clock, spectators));
  }

  /** A player's view of the change `views` encodes, to their sockets on this instance. */
  private sendView(views: EncodedViews, playerId: string): void {
    const ns = this.namespace;
    const sockets = ns?.adapter.rooms.get(playerRoom(playerId));
    if (!ns || !sockets?.size) return;
    // Straight to the socket(s): a broadcast would also pre-build a shared WebSocket frame, which
    // pays off only for several receivers of the same bytes (the table's events), not a view.
    const view = sentAs(views.seated(playerId));
    for (const id of sockets) ns.sockets.get(id)?.emit('state', view);
  }

  private emit({ state, events, spectators = 0 }: RoomUpdate): void {
    const ns = this.namespace;
    if (!ns) return;
    const code = state.roomCode;
    const table = tableRoom(code);
    const watchers = watchRoom(code);
    try {
      // Players and spectators get the same informational events: one broadcast to both rooms.
      const target: TableTarget = ns.local.to([table, watchers]);
      for (const { type, ...body } of events) {
        const push: TablePushes[typeof type] = { ...body, version: state.version };
        target.emit(type, push);
      }
      // The table part of the views is built and encoded once for every receiver here.
      let views: EncodedViews | undefined;
      const encoded = () => (views ??= new EncodedViews(state, Date.now(), this.clock, spectators));
      for (const player of state.players) {
        if (ns.adapter.rooms.get(playerRoom(player.playerId))?.size) {
          this.sendView(encoded(), player.playerId);
        }
      }
      // One spectator view for every spectator here, sent as one broadcast.
      if (ns.adapter.rooms.get(watchers)?.size) {
        ns.local.to(watchers).emit('state', sentAs(encoded().spectator()));
      }
    } catch (error) {
      this.logger.error({ roomCode: state.roomCode, err: error }, 'delivery failed');
    }
  }

  /** Whether a player or a spectator of the room has a socket on this instance. */
  private hasSockets(roomCode: string): boolean {
    const rooms = this.namespace?.adapter.rooms;
    return !!rooms && (rooms.has(tableRoom(roomCode)) || rooms.has(watchRoom(roomCode)));
  }
}
