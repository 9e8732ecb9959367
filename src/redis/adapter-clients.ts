import { Logger, OnApplicationShutdown, OnModuleInit, Provider } from '@nestjs/common';
import { Cluster, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';
import { withPublishFailuresLogged } from './publish-failures';
import { standaloneRedis } from './turn-pipelined-redis';
import { waitUntilReady } from './wait-until-ready';
import {
  clusterOptionsFor,
  describeTarget,
  redisOptionsFor,
  sentinelOptions,
  watchConnection,
  type RedisClient,
} from './redis-clients';

/** The adapter's two connections: it publishes on one and subscribes on the other. */
export type AdapterRole = 'pub' | 'sub';

/**
 * ioredis options of one adapter connection: the store's retry strategy and timeouts, and its
 * way to the master (through Sentinel when configured, following a failover like the store).
 */
export function adapterRedisOptions(config: AppConfig, role: AdapterRole): RedisOptions {
  const { retryStrategy, connectTimeout } = redisOptionsFor(config, 'async');
  // The store's plain command timeout: no WAIT ever blocks the adapter's connections.
  const commandTimeout = config.redis.commandTimeoutMs;
  const options: RedisOptions = {
    lazyConnect: true,
    connectionName: `hokm:adapter:${role}`,
    connectTimeout,
    retryStrategy,
    ...sentinelOptions(config),
    // Unlike the store's, these queue while disconnected: the adapter subscribes as the gateway
    // is created (before boot has connected), and a push made during a blip is sent on reconnect.
    enableOfflineQueue: true,
  };
  if (role === 'sub') return options;
  // The publisher pipelines (a TurnPipelinedRedis: the publishes of one turn leave in one write;
  // not on a Cluster, see adapterClusterOptions), and a publish gives up after the store's
  // command timeout rather than queueing on.
  return { ...options, commandTimeout };
}

/** ioredis Cluster options of one adapter connection, when REDIS_CLUSTER_NODES is set. */
export function adapterClusterOptions(config: AppConfig, role: AdapterRole): ClusterOptions {
  const { lazyConnect, enableOfflineQueue, ...redisOptions } = adapterRedisOptions(config, role);
  return {
    lazyConnect,
    enableOfflineQueue,
    // Not auto-pipelined, for the reason the store's Cluster connection is not (clusterOptionsFor).
    enableAutoPipelining: false,
    clusterRetryStrategy: clusterOptionsFor(config, 'async').clusterRetryStrategy,
    redisOptions,
    // Sharded pub/sub keeps each channel on one shard instead of every node.
    shardedSubscribers: role === 'sub',
  };
}

/**
 * The Socket.IO Redis adapter's connections (`hokm:adapter:pub`, `hokm:adapter:sub`), built like
 * the store's: connected at module init (boot fails fast without Redis), QUIT at shutdown, which
 * Nest runs after it has closed the gateway.
 */
export class AdapterClients implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RedisAdapter');
  readonly pub: RedisClient;
  readonly sub: RedisClient;
  /** What the adapter publishes through: `pub`, its failed publishes logged (publish-failures.ts). */
  readonly publisher: RedisClient;
  /** On a Cluster the adapter runs on sharded pub/sub. */
  readonly sharded: boolean;

  constructor(private readonly config: AppConfig) {
    this.sharded = config.redis.clusterNodes !== null;
    this.pub = this.create('pub');
    this.sub = this.create('sub');
    this.publisher = withPublishFailuresLogged(this.pub, (error) =>
      this.logger.error({ err: error }, 'push to other instances failed'),
    );
  }

  async onModuleInit(): Promise<void> {
    const { connectTimeoutMs } = this.config.redis;
    try {
      await Promise.all([this.pub, this.sub].map((c) => waitUntilReady(c, connectTimeoutMs)));
    } catch (error) {
      for (const client of [this.pub, this.sub]) client.disconnect();
      throw new Error(
        `cannot reach Redis at ${describeTarget(this.config)}: ${(error as Error).message}`,
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(
      [this.pub, this.sub].map(async (client) => {
        if (client.status === 'end') return;
        // QUIT would wait in the offline queue for a Redis that is not there.
        if (client.status !== 'ready') {
          client.disconnect();
          return;
        }
        await client.quit().catch(() => client.disconnect());
      }),
    );
    this.logger.log('adapter connections closed');
  }

  /** Readiness: the subscriber is connected and the publisher answers a PING within `timeoutMs`. */
  async ping(timeoutMs: number): Promise<void> {
    for (const [role, client] of [
      ['publisher', this.pub],
      ['subscriber', this.sub],
    ] as const) {
      if (client.status !== 'ready') throw new Error(`${role} is ${client.status}`);
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.pub.ping(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  private create(role: AdapterRole): RedisClient {
    const nodes = this.config.redis.clusterNodes;
    const client = nodes
      ? new Cluster(nodes, adapterClusterOptions(this.config, role))
      : standaloneRedis(
          this.config.redis.url,
          adapterRedisOptions(this.config, role),
          role === 'pub',
        );
    watchConnection(client, `adapter:${role}`);
    return client;
  }
}

/** AdapterClients from APP_CONFIG (see RedisAdapterModule). */
export const adapterClientsProvider: Provider = {
  provide: AdapterClients,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => new AdapterClients(config),
};
