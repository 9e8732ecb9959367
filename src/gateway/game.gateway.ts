import { BeforeApplicationShutdown, Inject, Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { ConnectionGuard } from '../abuse/connection-guard.service';
import { LookupGuard } from '../abuse/lookup-guard.service';
import { AppLifecycle } from '../common/app-lifecycle';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';
import { LobbyService } from '../lobby/lobby.service';
import { GAME_NAMESPACE, type Ack, type ClientRequests } from '../protocol/hokm-protocol';
import type { GameNamespace, GameSocket } from './game-socket';
import {
  errorAck,
  InvalidPayloadError,
  RateLimitedError,
  ServiceUnavailableError,
} from './gateway.errors';
import { GatewayMetrics } from './gateway.metrics';
import { MovesService } from './moves.service';
import { QuickMatchSeating } from './quick-match-seating.service';
import { parsePayload, PAYLOADS, type Payload, type RequestName } from './payloads';
import { TokenBucket } from './rate-limiter';
import { RoomBroadcaster } from './room-broadcaster';
import { SeatRecoveryService } from './seat-recovery.service';
import { SeatingService } from './seating.service';
import { SocketSeats } from './socket-seats';
import { WatchingService } from './watching.service';

interface SocketState {
  bucket: TokenBucket;
  /** Requests of one socket run one after another, in the order they arrived. */
  queue: Promise<unknown>;
}

/** What a request's ack carries when it succeeds. */
type AckData<E extends RequestName> = ClientRequests[E][1];

/**
 * The Socket.IO contract (docs/PROTOCOL.md), namespace /game. Thin: every request is rate
 * limited, validated, run in the socket's order by the service it names, and answered with one ack.
 */
@WebSocketGateway({ namespace: GAME_NAMESPACE })
export class GameGateway
  implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, BeforeApplicationShutdown
{
  private readonly logger = new Logger(GameGateway.name);
  private readonly sockets = new WeakMap<GameSocket, SocketState>();
  private readonly pending = new Set<Promise<unknown>>();
  private namespace!: GameNamespace;

  constructor(
    private readonly seating: SeatingService,
    private readonly moves: MovesService,
    private readonly watching: WatchingService,
    private readonly quickMatch: QuickMatchSeating,
    private readonly lobby: LobbyService,
    private readonly recovery: SeatRecoveryService,
    private readonly seats: SocketSeats,
    private readonly broadcaster: RoomBroadcaster,
    private readonly lifecycle: AppLifecycle,
    private readonly metrics: GatewayMetrics,
    private readonly lookups: LookupGuard,
    private readonly connections: ConnectionGuard,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  afterInit(namespace: GameNamespace): void {
    this.namespace = namespace;
    // Per-address connection rate: refused at the handshake, before any request.
    namespace.use(this.connections.middleware);
    this.broadcaster.attach(namespace);
    this.seats.attach(namespace);
  }

  handleConnection(socket: GameSocket): void {
    const { rateLimitBurst, rateLimitPerSecond } = this.config.gateway;
    this.sockets.set(socket, {
      bucket: new TokenBucket(rateLimitBurst, rateLimitPerSecond),
      queue: Promise.resolve(),
    });
    this.metrics.socketConnected();
    // An event outside the protocol gets a clear error instead of a silent timeout.
    socket.onAny((event: string, ...args: unknown[]) => {
      // Own keys only: `in` would also find `toString`, `constructor`... on the prototype.
      if (Object.hasOwn(PAYLOADS, event)) return;
      const ack = args[args.length - 1];
      // Unknown events spend rate-limit tokens too, so they cannot be used to flood.
      const error = this.sockets.get(socket)?.bucket.take()
        ? new InvalidPayloadError(`unknown event ${JSON.stringify(event).slice(0, 40)}`)
        : new RateLimitedError();
      this.metrics.request('unknown', error.code, performance.now());
      if (typeof ack === 'function') (ack as (a: Ack<never>) => void)(errorAck(error, event));
    });
  }

  handleDisconnect(socket: GameSocket): void {
    this.metrics.socketDisconnected();
    this.track(
      this.enqueue(socket, async () => {
        await this.recovery.socketClosed(socket);
        await this.watching.socketClosed(socket);
      }).catch((error: unknown) =>
        this.logger.error({ socketId: socket.id, err: error }, 'disconnect not recorded'),
      ),
    );
  }

  @SubscribeMessage('create_room')
  createRoom(@ConnectedSocket() socket: GameSocket, @MessageBody() payload: unknown) {
    return this.handle(socket, 'create_room', payload, (p) => this.seating.createRoom(socket, p));
  }

  @SubscribeMessage('join')
  join(@ConnectedSocket() socket: GameSocket, @MessageBody() payload: unknown) {
    return this.handle(socket, 'join', payload, (p) => this.seating.join(socket, p));
  }

  @SubscribeMessage('reconnect')
  reconnect(@ConnectedSocket() socket: GameSocket, @MessageBody() payload: unknown) {
    return this.handle(socket, 'reconnect', payload, (p) => this.seating.reconnect(socket, p));
  }

  @SubscribeMessage('quick_match')
  quickMatchRequest(@ConnectedSocket() socket: GameSocket, @MessageBody() payload: unknown) {
    return this.handle(socket, 'quick_match', payload, (p) => this.quickMatch.seat(socket, p));
  }

  @SubscribeMessage('list_rooms')
  listRooms(@ConnectedSocket() socket: GameSocket, @MessageBody() payload: unknown) {
    return this.handle(socket, 'list_rooms', payload, async (p) => ({
      rooms: await this.lobby.listRooms(p.limit),
    }));
  }

  @SubscribeMessage('watch')
  watch(@ConnectedSocket() socket: GameSocket, @MessageBody() payload: unknown) {
    return this.handle(socket, 'watch', payload, (p) => this.watching.watch(socket, p));
  }

  @SubscribeMessage('leave')
  leave(@ConnectedSocket() socket: GameSocket, @MessageBody() payload: unknown) {
    return this.handle(socket, 'leave', payload, () => {
      const watched = this.seats.watchingOf(socket);
      return watched === undefined
        ? this.seating.leave(socket)
        : this.watching.leave(socket, watched);
    });
  }

  @SubscribeMessage('select_hokm')
  selectHokm(@ConnectedSocket() socket: GameSocket, @MessageBody() payload: unknown) {
    return this.handle(socket, 'select_hokm', payload, (p) =>
      this.moves.selectHokm(socket, p.suit),
    );
  }

  @SubscribeMessage('play_card')
  playCard(@ConnectedSocket() socket: GameSocket, @MessageBody() payload: unknown) {
    return this.handle(socket, 'play_card', payload, (p) => this.moves.playCard(socket, p.card));
  }

  @SubscribeMessage('get_state')
  getState(@ConnectedSocket() socket: GameSocket, @MessageBody() payload: unknown) {
    return this.handle(socket, 'get_state', payload, () => {
      const watched = this.seats.watchingOf(socket);
      return watched === undefined
        ? this.seating.getState(socket)
        : this.watching.getState(socket, watched);
    });
  }

  @SubscribeMessage('add_bots')
  addBots(@ConnectedSocket() socket: GameSocket, @MessageBody() payload: unknown) {
    return this.handle(socket, 'add_bots', payload, (p) => this.seating.addBots(socket, p));
  }

  @SubscribeMessage('resume')
  resume(@ConnectedSocket() socket: GameSocket, @MessageBody() payload: unknown) {
    return this.handle(socket, 'resume', payload, () => this.moves.resume(socket));
  }

  /** Draining: refuse new work, tell clients, close sockets, let their disconnects land. */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.namespace) return;
    const connections = [...this.namespace.sockets.values()].map((s) => s.conn);
    this.namespace.local.emit('server_shutdown', {
      message: 'This server is restarting; reconnect with your session token.',
    });
    this.namespace.local.disconnectSockets(true);
    // A long-polling client gets `server_shutdown` and the disconnect on its next GET; closing the
    // Socket.IO server before that discards them. Wait (bounded) until each connection closed.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(
        connections.map((conn) =>
          conn.readyState === 'closed'
            ? Promise.resolve()
            : new Promise<void>((resolve) => conn.once('close', () => resolve())),
        ),
      ),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, this.config.shutdownGraceMs))),
    ]);
    clearTimeout(timer);
    await Promise.allSettled([...this.pending]);
  }

  private handle<E extends RequestName>(
    socket: GameSocket,
    event: E,
    payload: unknown,
    run: (payload: Payload<E>) => Promise<AckData<E>>,
  ): Promise<Ack<AckData<E>>> {
    const started = performance.now();
    const state = this.sockets.get(socket);
    if (state && !state.bucket.take()) {
      this.metrics.request(event, 'RATE_LIMITED', started);
      return Promise.resolve(errorAck(new RateLimitedError(), event));
    }
    const result = this.enqueue(socket, async (): Promise<Ack<AckData<E>>> => {
      try {
        if (this.lifecycle.shuttingDown) throw new ServiceUnavailableError();
        // Lookups (join, watch, reconnect) are refused while the address cools down.
        const data = await this.lookups.run(event, socket.request, () =>
          run(parsePayload(event, payload)),
        );
        this.metrics.request(event, 'ok', started);
        return { ok: true, data };
      } catch (error) {
        const ack = errorAck(error, event, socket.id);
        this.metrics.request(event, ack.ok ? 'ok' : ack.error.code, started);
        return ack;
      }
    });
    this.track(result);
    return result;
  }

  private enqueue<T>(socket: GameSocket, fn: () => Promise<T>): Promise<T> {
    const state = this.sockets.get(socket);
    if (!state) return fn();
    const next = state.queue.then(fn, fn);
    state.queue = next.catch(() => undefined);
    return next;
  }

  private track(promise: Promise<unknown>): void {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
  }
}
