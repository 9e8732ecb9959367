import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { Cluster, Redis } from 'ioredis';
import { isObservable } from 'rxjs';
import type { Server, ServerOptions, Socket } from 'socket.io';
import type { AppConfig } from '../config/app-config';

/** The parts of an engine.io connection (socket.conn) that coalesceWrites touches. */
interface EngineConnection {
  flush(): void;
  transport: EngineTransport;
  on(event: 'upgrade', listener: () => void): unknown;
}
interface EngineTransport {
  name: string;
  send(packets: unknown[]): void;
  /** websocket transport: the `ws` socket, whose `_socket` is the TCP socket. */
  socket?: { _socket?: { cork(): void; uncork(): void } };
}
const CORKED = Symbol('hokm.corked');

/**
 * Coalesces the writes of one connection. By default engine.io writes the first packet of a tick
 * at once and each later one as its own WebSocket frame and its own syscall; a move sends every
 * seated player an event and a `state` push (the mover an ack too), so that was ~10 writes per
 * move. Here the packets of a tick leave together at its end (process.nextTick), in one corked
 * write per connection. Order is unchanged; only the syscalls are fewer. Feature-detected:
 * without the engine.io internals it relies on, the connection is left as it is.
 */
export function coalesceWrites(conn: EngineConnection): boolean {
  if (typeof conn.flush !== 'function' || typeof conn.on !== 'function') return false;
  const flushNow = conn.flush.bind(conn);
  let scheduled = false;
  const flushAtEndOfTick = () => {
    scheduled = false;
    flushNow();
  };
  conn.flush = () => {
    if (scheduled) return;
    scheduled = true;
    process.nextTick(flushAtEndOfTick);
  };
  const cork = () => {
    const transport = conn.transport as EngineTransport & { [CORKED]?: true };
    const tcp = transport?.socket?._socket;
    if (transport?.name !== 'websocket' || transport[CORKED] || typeof tcp?.cork !== 'function') {
      return;
    }
    transport[CORKED] = true;
    const send = transport.send.bind(transport);
    transport.send = (packets) => {
      if (packets.length < 2) return send(packets);
      tcp.cork();
      try {
        send(packets);
      } finally {
        tcp.uncork();
      }
    };
  };
  cork();
  conn.on('upgrade', cork);
  return true;
}

/** Socket.IO with the protocol's timings and size cap, and pushes carried between instances by Redis. */
export class RedisIoAdapter extends IoAdapter {
  private readonly logger = new Logger(RedisIoAdapter.name);
  private readonly clients: Array<Redis | Cluster> = [];

  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, {
      ...options,
      // As in the original server: ping every 20 s, give up after 10 s without a pong.
      pingInterval: 20_000,
      pingTimeout: 10_000,
      maxHttpBufferSize: this.config.gateway.maxPayloadBytes,
      cors: { origin: true, credentials: true },
    }) as Server;
    server.engine?.on('connection', (conn: EngineConnection) => coalesceWrites(conn));
    const channel = `${this.config.redis.keyPrefix}socket.io`;
    const pub = this.newClient('pub', false);
    this.catchPublishFailures(pub);
    const sub = this.newClient('sub', true);
    // On a cluster, sharded pub/sub keeps each channel on one shard instead of every node.
    server.adapter(
      this.config.redis.clusterNodes
        ? createShardedAdapter(pub, sub, { channelPrefix: channel, subscriptionMode: 'static' })
        : createAdapter(pub, sub, { key: channel }),
    );
    return server;
  }

  /**
   * What Nest's IoAdapter does for each request (map the payload, run the handler, ack its
   * result, nothing after a disconnect), without an rxjs pipeline per event and per socket: a
   * plain listener per event. A handler may still answer with a value, a promise or an observable.
   */
  override bindMessageHandlers(
    socket: Socket,
    handlers: MessageMappingProperties[],
    _transform: unknown,
  ): void {
    let connected = true;
    socket.once('disconnect', () => {
      connected = false;
    });
    for (const { message, callback, isAckHandledManually } of handlers) {
      socket.on(String(message), (...args: unknown[]) => {
        // As rxjs fromEvent hands them on: one argument as is, several as an array.
        const payload = args.length === 0 ? undefined : args.length === 1 ? args[0] : args;
        const { data, ack } = this.mapPayload(payload) as { data: unknown; ack?: unknown };
        const answer = (response: unknown) => {
          if (!connected || response === null || response === undefined) return;
          const reply = response as { event?: string; data?: unknown };
          if (reply.event) {
            socket.emit(reply.event, reply.data);
          } else if (!isAckHandledManually && typeof ack === 'function') {
            (ack as (r: unknown) => void)(response);
          }
        };
        const failed = (error: unknown) =>
          this.logger.error(`${String(message)} handler failed: ${String(error)}`);
        Promise.resolve(callback(data, ack) as unknown).then((result) => {
          if (isObservable(result)) {
            result.subscribe({ next: answer, error: failed });
          } else {
            answer(result);
          }
        }, failed);
      });
    }
  }

  override async dispose(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((c) => c.quit().catch(() => c.disconnect())));
  }

  /**
   * The adapter fires publishes without handling their promise; during a Redis outage each would
   * be an unhandled rejection, which ends a Node process. They are logged (once per outage) here.
   */
  private catchPublishFailures(pub: Redis | Cluster): void {
    let failing = false;
    for (const method of ['publish', 'spublish'] as const) {
      const original = pub[method].bind(pub) as (...args: unknown[]) => Promise<number>;
      (pub as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        const pending = original(...args);
        pending.then(
          () => {
            failing = false;
          },
          (error: unknown) => {
            if (!failing) this.logger.error(`push to other instances failed: ${String(error)}`);
            failing = true;
          },
        );
        return pending;
      };
    }
  }

  private newClient(role: string, subscriber: boolean): Redis | Cluster {
    const connectionName = `hokm:adapter:${role}`;
    const nodes = this.config.redis.clusterNodes;
    // The publisher pipelines: the pushes of every change made in one tick leave in one write.
    const enableAutoPipelining = !subscriber;
    const client = nodes
      ? new Cluster(nodes, {
          redisOptions: { connectionName },
          shardedSubscribers: subscriber,
          enableAutoPipelining,
        })
      : new Redis(this.config.redis.url, { connectionName, enableAutoPipelining });
    let healthy = true;
    client.on('error', (error: Error) => {
      if (healthy) this.logger.error(`adapter ${role} connection problem: ${error.message}`);
      healthy = false;
    });
    client.on('ready', () => {
      healthy = true;
    });
    this.clients.push(client);
    return client;
  }
}
