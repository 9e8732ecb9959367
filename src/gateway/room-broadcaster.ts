import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DomainEvent, RoomState } from '../game-state/domain/types';
import { type AppliedChange, GameStateService } from '../game-state/game-state.service';
import { RoomsService } from '../rooms/rooms.service';
import { otherInstancesOf } from './connection-ids';
import { DeadlineRunner } from './deadline-runner.service';
import {
  ROOM_UPDATE,
  type GameNamespace,
  type RoomPatchUpdate,
  type RoomUpdate,
} from './game-socket';
import { GatewayMetrics } from './gateway.metrics';
import { INSTANCE_MAIL, type InstanceMail } from './instance-mail.port';
import { LocalRoomDelivery } from './local-room-delivery';
import { decodeRoomMail, encodeRoomMail, wholeUpdate } from './room-mail';

/**
 * Pushes a room change to every seated player and spectator, wherever they are connected: sockets
 * on this instance get it at once (LocalRoomDelivery); each other instance that holds a socket of
 * the room gets one message (InstanceMail) and does the same for its own. The room says where its
 * sockets are: a seat's connection id names its instance, and the commit answers the instances
 * its spectators watch from. A change no other instance needs is sent nowhere; one whose room does
 * not say (a seat taken by an older version, during a rolling upgrade) goes to every instance
 * through the Redis adapter, which this instance also still reads. What other instances send
 * comes in here too, and goes on to the sockets here.
 */
@Injectable()
export class RoomBroadcaster {
  private readonly logger = new Logger(RoomBroadcaster.name);
  private namespace: GameNamespace | null = null;

  constructor(
    private readonly deadlines: DeadlineRunner,
    private readonly game: GameStateService,
    private readonly rooms: RoomsService,
    private readonly local: LocalRoomDelivery,
    private readonly metrics: GatewayMetrics,
    @Inject(INSTANCE_MAIL) private readonly mail: InstanceMail,
  ) {
    deadlines.onChange((state, events) => this.publish(state, events));
  }

  /** Called by the gateway once its namespace exists. */
  attach(namespace: GameNamespace): void {
    this.namespace = namespace;
    this.local.attach(namespace);
    namespace.on(ROOM_UPDATE, (message: unknown) => this.receive(message));
    this.mail
      .open(this.rooms.instanceId, (json) => this.receiveMail(json))
      .catch((error: unknown) => {
        this.logger.error({ err: error }, 'cannot read room changes sent to this instance');
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
    const delivered = this.local.deliver(update, epoch);
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
   * Publishes the change that just seated `playerId` on a socket here (called right after the
   * socket was bound), or with `created` (a room just created: nobody else to tell) delivers it
   * to that socket only. A newer change of the room may have reached this instance first: kept
   * for the first socket to come when none sat at the table yet (see DeliveryOrder), so the new
   * seat gets that one instead of this older one; or delivered to the table's other sockets
   * here, and the new seat gets the room as they last got it. Later changes follow in order.
   */
  announceSeat(
    change: AppliedChange,
    playerId: string,
    { created = false }: { created?: boolean } = {},
  ): void {
    const boundAt = this.local.mark();
    const { state, events } = change;
    const told = created
      ? this.local.deliver(
          { state, events, spectators: this.game.spectatorsOf(state.roomCode) },
          this.game.knownAs(state)?.epoch,
        )
      : this.publish(state, events);
    if (told) return;
    this.metrics.seatOvertaken();
    this.local.catchUpSeat(state.roomCode, playerId, boundAt);
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
      state = this.game.observePatch(update, this.local.lastDelivered(roomCode));
    } catch (error) {
      this.logger.error({ roomCode, err: error }, 'room patch from another instance not applied');
    }
    if (state) {
      this.metrics.changeReceived('patch');
      this.deadlines.observed(state);
      this.local.deliver({ state, events, spectators }, epoch);
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
        this.local.deliver(
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
    this.local.deliver({ ...update, spectators }, update.epoch);
  }
}
