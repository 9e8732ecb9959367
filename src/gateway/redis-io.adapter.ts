import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { Cluster, Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import type { AppConfig } from '../config/app-config';

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
    const client = nodes
      ? new Cluster(nodes, { redisOptions: { connectionName }, shardedSubscribers: subscriber })
      : new Redis(this.config.redis.url, { connectionName });
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
