import { Logger, Provider } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';
import { INSTANCE_MAIL, type InstanceMail } from '../gateway/instance-mail.port';
import { AdapterClients } from './adapter-clients';
import { withPublishFailuresLogged } from './publish-failures';
import type { RedisClient, StoreClients } from './redis-clients';
import { STORE_CLIENTS } from './redis.constants';

/**
 * InstanceMail on Redis pub/sub: one channel per instance (`<prefix>{instance-mail}:<id>`), read
 * on the adapter's subscriber, which follows a Sentinel failover and subscribes again after a
 * reconnect. The adapter's own channels (`<prefix>socket.io...`) are apart: neither reads the
 * other's messages. Mail is sent on `publisher` (see mailPublisher).
 *
 * On a Cluster the channels are sharded (SPUBLISH/SSUBSCRIBE), and the hash tag puts all of them
 * in one slot, so one shard carries every message. That keeps changes in causal order: when A's
 * change reaches B, B's player answers, and B's change goes to C, C must get A's change first.
 * With the channels on different shards, A's message to C could still be queued on its way to
 * C's shard when B's arrives there (the receiver then skips the older version: a gap).
 */
export class RedisInstanceMail implements InstanceMail {
  private readonly logger = new Logger('InstanceMail');

  constructor(
    private readonly clients: AdapterClients,
    private readonly keyPrefix: string,
    private readonly publisher: RedisClient = clients.publisher,
  ) {}

  send(instanceId: string, message: string): void {
    const { publisher, clients } = this;
    const channel = this.channelOf(instanceId);
    // The publisher logs a failed publish itself (once per outage); the promise is settled here.
    const sent = clients.sharded
      ? publisher.spublish(channel, message)
      : publisher.publish(channel, message);
    sent.catch(() => undefined);
  }

  async open(instanceId: string, receive: (message: string) => void): Promise<void> {
    const { sub, sharded } = this.clients;
    const channel = this.channelOf(instanceId);
    const deliver = (from: string, message: string) => {
      if (from !== channel) return;
      try {
        receive(message);
      } catch (error) {
        this.logger.error({ err: error }, 'message to this instance not handled');
      }
    };
    if (sharded) {
      sub.on('smessage', deliver);
      await sub.ssubscribe(channel);
    } else {
      sub.on('message', deliver);
      await sub.subscribe(channel);
    }
  }

  private channelOf(instanceId: string): string {
    return `${this.keyPrefix}{instance-mail}:${instanceId}`;
  }
}

/**
 * The connection mail is sent on: the store's async one, whose writes of a turn leave together
 * (TurnPipelinedRedis), so a change's mail shares a write with the commits of that turn instead
 * of costing a write of its own on the adapter's publisher (5–8% of the CPU of a move shared by
 * two instances, docs/benchmarks.md). Its failed publishes are logged as the adapter's are.
 * The adapter's publisher when there is no async path (the rollback), or when writes wait for
 * replicas: Redis serves a connection's next command only after its WAIT, and mail need not.
 */
export function mailPublisher(
  config: AppConfig,
  adapter: AdapterClients,
  store: StoreClients,
): RedisClient {
  const async = store.get('async');
  if (!async || config.redis.waitReplicas > 0) return adapter.publisher;
  const logger = new Logger('InstanceMail');
  return withPublishFailuresLogged(async, (error) =>
    logger.error({ err: error }, 'push to other instances failed'),
  );
}

/** RedisInstanceMail read on the adapter's subscriber, sent on mailPublisher's connection. */
export const instanceMailProvider: Provider = {
  provide: INSTANCE_MAIL,
  inject: [AdapterClients, APP_CONFIG, STORE_CLIENTS],
  useFactory: (clients: AdapterClients, config: AppConfig, store: StoreClients) =>
    new RedisInstanceMail(clients, config.redis.keyPrefix, mailPublisher(config, clients, store)),
};
