import type { Server as HttpServer } from 'node:http';
import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { isObservable } from 'rxjs';
import type { Server, ServerOptions, Socket } from 'socket.io';
import type { AppConfig } from '../config/app-config';
import type { AdapterClients } from '../redis/adapter-clients';
import { jsonTextParser } from './json-packet-encoder';
import { coalesceWritesOf } from './socket-write-coalescing';

/** Socket.IO with the protocol's timings and size cap, and pushes carried between instances by Redis. */
export class RedisIoAdapter extends IoAdapter {
  private readonly logger = new Logger(RedisIoAdapter.name);

  /**
   * `app`: the Nest application (or a bare HTTP server) to attach to; `redis`: the adapter's
   * connections, from the redis module (which connects and closes them).
   */
  constructor(
    app: INestApplicationContext | HttpServer,
    private readonly config: AppConfig,
    private readonly redis: AdapterClients,
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
      // The standard wire format; views encoded once per change are written as they are.
      parser: jsonTextParser,
    }) as Server;
    if (this.config.gateway.writeCoalescing) coalesceWritesOf(server);
    const channel = `${this.config.redis.keyPrefix}socket.io`;
    // Publishes go through a view of the publisher that logs their failures (see AdapterClients).
    const { publisher, sub, sharded } = this.redis;
    server.adapter(
      sharded
        ? createShardedAdapter(publisher, sub, {
            channelPrefix: channel,
            subscriptionMode: 'static',
          })
        : createAdapter(publisher, sub, { key: channel }),
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
          this.logger.error({ event: String(message), err: error }, 'handler failed');
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
}
