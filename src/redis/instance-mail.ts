import { Logger, Provider } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';
import { INSTANCE_MAIL, type InstanceMail } from '../gateway/instance-mail.port';
import { AdapterClients } from './adapter-clients';

/**
 * InstanceMail on Redis pub/sub: one channel per instance (`<prefix>{instance-mail}:<id>`), sent
 * on the adapter's publisher and read on its subscriber, which follow a Sentinel failover and
 * subscribe again after a reconnect. The adapter's own channels (`<prefix>socket.io...`) are
 * apart: neither reads the other's messages.
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
  ) {}

  send(instanceId: string, message: string): void {
    const { publisher, sharded } = this.clients;
    const channel = this.channelOf(instanceId);
    // The publisher logs a failed publish itself (once per outage); the promise is settled here.
    const sent = sharded
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
        this.logger.error(`message to this instance not handled: ${String(error)}`);
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

/** RedisInstanceMail on the adapter's connections (see RedisAdapterModule). */
export const instanceMailProvider: Provider = {
  provide: INSTANCE_MAIL,
  inject: [AdapterClients, APP_CONFIG],
  useFactory: (clients: AdapterClients, config: AppConfig) =>
    new RedisInstanceMail(clients, config.redis.keyPrefix),
};
