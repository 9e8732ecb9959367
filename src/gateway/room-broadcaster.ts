import { Inject, Injectable, Logger } from '@nestjs/common';
import { spectatorView } from '../game-state/domain/view';
import type { DomainEvent, RoomState, TurnClock } from '../game-state/domain/types';
import { GameStateService } from '../game-state/game-state.service';
import { TURN_CLOCK } from '../game-state/turn-clock.provider';
import type { GameView } from '../protocol/hokm-protocol';
import { RoomsService } from '../rooms/rooms.service';
import { otherInstancesOf } from './connection-ids';
import { DeadlineRunner } from './deadline-runner.service';
import { DeliveryOrder } from './delivery-order';
import { EncodedViews } from './encoded-views';
import {
  ROOM_UPDATE,
  type GameNamespace,
  type GameSocket,
  type RoomPatchUpdate,
  type RoomUpdate,
} from './game-socket';
import { GatewayMetrics } from './gateway.metrics';
import { INSTANCE_MAIL, type InstanceMail } from './instance-mail.port';
import type { JsonText } from './json-packet-encoder';
import { decodeRoomMail, encodeRoomMail, wholeUpdate } from './room-mail';
import { codeOfRoom, playerRoom, tableRoom, watchRoom } from './socket-seats';
import type { TablePushes, TableTarget } from './table-pushes';

/** A view sent as its encoded text: the server's encoder writes JsonText as the JSON it holds. */
const sentAs = (text: JsonText) => text as unknown as GameView;

/** A change on its way to this instance's sockets, in its room's order. */
interface LocalDelivery {
  roomCode: string;
  version: number;
  update: RoomUpdate;
  /** The room's incarnation, when known: the state can then be the base of the next patch. */
  epoch: string | undefined;
}

/**
 * Pushes a room change to every seated player and spectator, wherever they are connected: sockets
 * on this instance get their `state` at once; each other instance that holds a socket of the room
 * gets one message (InstanceMail) and does the same for its own. The room says where its sockets
 * are: a seat's connection id names its instance, and the commit answers the instances its
 * spectators watch from. A change no other instance needs is sent nowhere; one whose room does not
 * say (a seat taken by an older version, during a rolling upgrade) goes to every instance through
 * the Redis adapter, which this instance also still reads. Views are built only where delivered:
 * a player's own, and one spectator view per change per instance, sent as one broadcast (encoded
 * once) to all of that instance's spectators of the room.
 */
@Injectable()
export class RoomBroadcaster {
  private readonly logger = new Logger(RoomBroadcaster.name);
  private namespace: GameNamespace | null = null;
  /** Each room's changes to sockets here in version order (rooms with a socket here). */
  private readonly order = new DeliveryOrder<LocalDelivery>(
    ({ update }) => this.emitLocally(update),
    (roomCode) => this.hasSockets(roomCode),
    (roomCode, versions) => {
      this.metrics.versionsSkipped(versions);
      this.logger.warn({ roomCode, versions }, 'room versions never came: not pushed here');
    },
  );

  constructor(
    private readonly deadlines: DeadlineRunner,
    private readonly game: GameStateService,
    private readonly rooms: RoomsService,
    private readonly metrics: GatewayMetrics,
    @Inject(INSTANCE_MAIL) private readonly mail: InstanceMail,
    @Inject(TURN_CLOCK) private readonly clock: TurnClock,
  ) {
    deadlines.onChange((state, events) => this.publish(state, events));
  }

  /** Called by the gateway once its namespace exists. */
  attach(namespace: GameNamespace): void {
    this.namespace = namespace;
    namespace.on(ROOM_UPDATE, (message: unknown) => this.receive(message));
    this.mail
      .open(this.rooms.instanceId, (json) => this.receiveMail(json))
      .catch((error) => {
        this.logger.error(`cannot read room changes sent to this instance: ${String(error)}`);
      });
    // A later room may reuse a code, its versions starting again at 1: a table's order is
    // forgotten once no socket here sits at it or watches it.
    namespace.adapter.on('delete-room', (room: string) => {
      const code = codeOfRoom(room);
      if (code !== null && !this.hasSockets(code)) this.order.forget(code);
    });
  }

  /**
   * Pushes a change everywhere. False when this instance had already delivered a newer version
   * of the room, so this one was not delivered here.
   */
  publish(state: RoomState, events: DomainEvent[]): boolean {
    if (!this.namespace) return false;
    // The count Redis answered with this change (or the newest one known here).
    const update: RoomUpdate = {
      state,
      events,
      spectators: this.game.spectatorsOf(state.roomCode),
    };
    // The epoch lets receivers remember the state for their next action on the room (see
    // GameStateService), so they need not read it from Redis.
    const epoch = this.game.knownAs(state)?.epoch;
    const delivered = this.deliverLocally(update, epoch);
    const spectatorInstances = this.game.spectatorInstancesOf(state);
    const others = otherInstancesOf(state, spectatorInstances, this.rooms.instanceId);
    if (others === null) {
      this.namespace.serverSideEmit(ROOM_UPDATE, wholeUpdate(update, epoch));
      this.metrics.changeSent('all');
    } else if (others.length > 0) {
      // Those instances hold the room's sockets, so they received its previous change: a patch.
      const json = encodeRoomMail(update, epoch, this.game.changeOf(state));
      for (const instance of others) this.mail.send(instance, json);
      this.metrics.changeSent('instances');
    } else {
      this.metrics.changeSent('none');
    }
    // The deadline the change started is in Redis already; this instance also acts on it on time.
    this.deadlines.afterChange(state);
    return delivered;
  }

  /**
   * Null when `state` (a change just published) has gone to the sockets here; else resolves once
   * it has, after the change before it (at most the hold). A move's ack waits for it, so that the
   * mover's own state push comes first.
   */
  pendingDelivery(state: RoomState): Promise<void> | null {
    return this.order.whenDelivered(state.roomCode, state.version);
  }

  /** How far delivery to the sockets here has got: a socket bound now gets every later change. */
  deliveryMark(): number {
    return this.order.mark();
  }

  /**
   * Sends the player's own view of `state` to their sockets here. With `boundAt` (the delivery
   * mark when the socket was bound, `state` read after that), not when a change delivered here
   * since has brought the socket a version as new: it must not get an older one after it, nor
   * the same one twice.
   */
  sendState(state: RoomState, playerId: string, boundAt?: number): void {
    if (!this.namespace?.adapter.rooms.get(playerRoom(playerId))?.size) return;
    const told =
      boundAt !== undefined && this.order.deliveredSince(state.roomCode, boundAt, state.version);
    if (told) return;
    const spectators = this.game.spectatorsOf(state.roomCode);
    this.sendView(new EncodedViews(state, Date.now(), this.clock, spectators), playerId);
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

  /** A change another instance sent this one. */
  private receiveMail(json: string): void {
    const mail = decodeRoomMail(json);
    if (mail === null) {
      this.logger.error('unreadable room update from another instance');
    } else if ('patch' in mail) {
      this.receivePatch(mail.patch);
    } else {
      this.receive(mail.whole);
    }
  }

  /**
   * Another instance's change as a patch: applied to the version held here. A patch of a version
   * this instance does not hold (it forgot the room, or missed a change: it started holding a
   * socket of the room just then) is answered by a read, and the room is delivered as it is now.
   */
  private receivePatch(update: RoomPatchUpdate): void {
    const { roomCode, version, events, spectators, epoch } = update;
    let state: RoomState | undefined;
    try {
      // What the sockets here got last is a base too: the room known here may have moved past it.
      const last = this.order.last(roomCode);
      const delivered =
        last?.epoch === undefined ? undefined : { state: last.update.state, epoch: last.epoch };
      state = this.game.observePatch(update, delivered);
    } catch (error) {
      this.logger.error({ roomCode, err: error }, 'room patch from another instance not applied');
    }
    if (state) {
      this.metrics.changeReceived('patch');
      this.deadlines.observed(state);
      this.deliverLocally({ state, events, spectators }, epoch);
      return;
    }
    this.metrics.changeReceived('read');
    this.game.load(roomCode).then(
      (now) => {
        if (!now) return;
        this.deadlines.observed(now);
        // The events belong to their version: a newer state says what they said, and more. The
        // versions before it that are not here yet are not coming: the patch was one of them.
        const theirs = now.version === version ? events : [];
        this.deliverLocally(
          { state: now, events: theirs, spectators: this.game.spectatorsOf(roomCode) },
          this.game.knownAs(now)?.epoch,
          { skipGap: true },
        );
      },
      (error: unknown) => {
        this.logger.error(
          { roomCode, err: error },
          'room not read after a patch from another instance',
        );
      },
    );
  }

  /** Another instance's change: remembered for the next action here, delivered to sockets here. */
  private receive(message: unknown): void {
    const update = message as RoomUpdate | null;
    if (typeof update?.state?.roomCode !== 'string' || !Array.isArray(update.events)) {
      this.logger.error('unreadable room update from another instance');
      return;
    }
    const spectators = typeof update.spectators === 'number' ? update.spectators : 0;
    this.metrics.changeReceived('state');
    if (update.epoch !== undefined) this.game.observe(update.state, update.epoch, spectators);
    this.deadlines.observed(update.state);
    this.deliverLocally({ ...update, spectators }, update.epoch);
  }

  /**
   * Hands a change to the sockets here in its room's order. Changes can reach here out of order
   * (another instance's mail overtaken by a local commit made on the room read from Redis, or a
   * flow that publishes after more awaits): one that comes before the change it follows waits
   * for it (DeliveryOrder), and one older than what was delivered is dropped, since a client must
   * never get an older version after a newer one. False when dropped.
   */
  private deliverLocally(
    update: RoomUpdate,
    epoch: string | undefined,
    options?: { skipGap?: boolean },
  ): boolean {
    if (!this.namespace) return false;
    const { roomCode, version } = update.state;
    const outcome = this.order.offer({ roomCode, version, update, epoch }, options);
    if (outcome === 'held') this.metrics.changeHeld();
    return outcome !== 'stale';
  }

  private emitLocally({ state, events, spectators = 0 }: RoomUpdate): void {
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
