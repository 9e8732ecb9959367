import { Provider } from '@nestjs/common';
import type { AddressLimits, LookupFailure } from '../abuse/address-limits.port';
import { ADDRESS_LIMITS } from '../abuse/abuse.constants';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';
import { KeySpace } from './keys';
import type { RedisClient, StoreClients } from './redis-clients';
import { STORE_CLIENTS } from './redis.constants';
import type { RedisCommandRunner } from './redis-command-runner';
import { storeConnection } from './store-connection';
import { StoreMetrics } from './store-metrics';

// Fixed windows that start with their first count: INCR, and the expiry set by the INCR that
// created the key, in one script so a counter never outlives its window.

/** KEYS counter; ARGV window ms. Returns the count in the window, this one included. */
const COUNT_IN_WINDOW = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n
`;

/**
 * KEYS lookupFailures, lookupCooldown; ARGV limit, window ms, cool-down ms. Returns
 * { cool-down ms left, 1 if this failure began it }. A failure during a cool-down is not
 * counted; the one that reaches the limit begins the cool-down and empties the window.
 */
const COUNT_LOOKUP_FAILURE = `
local left = redis.call('PTTL', KEYS[2])
if left > 0 then return { left, 0 } end
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if n < tonumber(ARGV[1]) then return { 0, 0 } end
redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
redis.call('DEL', KEYS[1])
return { tonumber(ARGV[3]), 1 }
`;

type LimitClient = RedisClient & {
  hokmCountInWindow(counter: string, windowMs: number): Promise<number>;
  hokmCountLookupFailure(
    failures: string,
    cooldown: string,
    limit: number,
    windowMs: number,
    cooldownMs: number,
  ): Promise<[number, number]>;
};

/**
 * AddressLimits over one Redis connection (the store's): counters and a cool-down key per
 * address, all under the address's hash tag. A lookup that succeeds costs one PTTL; only a
 * failure runs a script.
 */
export class RedisAddressLimits implements AddressLimits {
  private readonly client: LimitClient;

  constructor(
    client: RedisClient,
    private readonly keys: KeySpace,
    private readonly runner: RedisCommandRunner,
  ) {
    client.defineCommand('hokmCountInWindow', { numberOfKeys: 1, lua: COUNT_IN_WINDOW });
    client.defineCommand('hokmCountLookupFailure', {
      numberOfKeys: 2,
      lua: COUNT_LOOKUP_FAILURE,
    });
    this.client = client as LimitClient;
  }

  countConnection(key: string): Promise<number> {
    const { connections } = this.keys.address(key);
    return this.runner.run('countConnection', () =>
      this.client.hokmCountInWindow(connections, 1000),
    );
  }

  countListing(key: string): Promise<number> {
    const { listings } = this.keys.address(key);
    return this.runner.run('countListing', () => this.client.hokmCountInWindow(listings, 1000));
  }

  async lookupCooldown(key: string): Promise<number> {
    const { lookupCooldown } = this.keys.address(key);
    const left = await this.runner.run('lookupCooldown', () => this.client.pttl(lookupCooldown));
    // -2: no cool-down; -1 (no expiry) never happens, and would mean none was set by us.
    return Math.max(0, left);
  }

  async countLookupFailure(
    key: string,
    limit: number,
    windowMs: number,
    cooldownMs: number,
  ): Promise<LookupFailure> {
    const k = this.keys.address(key);
    const [left, started] = await this.runner.run('countLookupFailure', () =>
      this.client.hokmCountLookupFailure(
        k.lookupFailures,
        k.lookupCooldown,
        limit,
        windowMs,
        cooldownMs,
      ),
    );
    return { cooldownMs: Math.max(0, left), started: started === 1 };
  }
}

/**
 * ADDRESS_LIMITS on the store's connection (the async path's, the legacy one when the rollback
 * switch leaves only that): timed into the store metrics, with the store's typed errors. The
 * store connects and closes the connection.
 */
export const addressLimitsProvider: Provider = {
  provide: ADDRESS_LIMITS,
  inject: [APP_CONFIG, STORE_CLIENTS, StoreMetrics],
  useFactory: (config: AppConfig, clients: StoreClients, metrics: StoreMetrics) => {
    const { client, runner } = storeConnection(config, clients, metrics, 'the address limits');
    return new RedisAddressLimits(client, new KeySpace(config.redis.keyPrefix), runner);
  },
};
