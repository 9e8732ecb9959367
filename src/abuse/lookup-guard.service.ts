import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { DomainError } from '../common/domain-error';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';
import { ADDRESS_LIMITS, LOOKUP_EVENTS, LOOKUP_FAILURE_CODES } from './abuse.constants';
import { LookupsCooledDownError } from './abuse.errors';
import { AbuseMetrics } from './abuse.metrics';
import type { AddressLimits } from './address-limits.port';
import { ClientAddresses } from './client-address';

const WINDOW_MS = 60_000;

/** Whether `error` is the answer someone guessing a code, token or id gets: nothing by that name. */
export function isLookupFailure(error: unknown): boolean {
  return error instanceof DomainError && LOOKUP_FAILURE_CODES.has(error.code);
}

/**
 * The failed-lookup budget of each client address (LOOKUP_FAILURES_PER_MINUTE, shared by every
 * instance): a lookup is refused while its address cools down, and a failed one is counted.
 * A lookup that succeeds costs one Redis command (the cool-down check), a failure one more.
 */
@Injectable()
export class LookupGuard {
  private readonly logger = new Logger(LookupGuard.name);
  /** Addresses known here to be cooling down, until when (Date.now() ms): no Redis call then. */
  private readonly cooling = new Map<string, number>();
  private storeTrouble = false;

  constructor(
    @Inject(ADDRESS_LIMITS) private readonly limits: AddressLimits,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: AbuseMetrics,
    private readonly addresses: ClientAddresses,
  ) {
    metrics.countCooledDownWith(() => this.coolingCount());
  }

  /**
   * Runs request `event` of the client behind `request` (a socket's handshake): a lookup
   * (join, watch, reconnect) through `guard`, anything else as it is, at no cost.
   */
  run<T>(event: string, request: IncomingMessage, fn: () => Promise<T>): Promise<T> {
    if (!LOOKUP_EVENTS.has(event)) return fn();
    return this.guard(this.addresses.keyOf(request), fn);
  }

  /** Runs the lookup `lookup` for the address `key`: refused while it cools down, counted if it fails. */
  async guard<T>(key: string, lookup: () => Promise<T>): Promise<T> {
    await this.admit(key);
    try {
      return await lookup();
    } catch (error) {
      if (isLookupFailure(error)) await this.failed(key);
      throw error;
    }
  }

  /** Throws LookupsCooledDownError while `key` cools down. Redis out of reach: admitted. */
  async admit(key: string): Promise<void> {
    let left = this.knownCooldown(key);
    if (left === 0) {
      left = await this.limits.lookupCooldown(key).then(
        (ms) => this.fine(ms),
        (error: unknown) => this.trouble(error, 0),
      );
    }
    if (left > 0) {
      this.cooling.set(key, Date.now() + left);
      this.metrics.refused('lookup_cooldown');
      throw new LookupsCooledDownError(left);
    }
  }

  /** Counts a failed lookup of `key`; the one that uses up the budget starts the cool-down. */
  async failed(key: string): Promise<void> {
    const { lookupFailuresPerMinute: limit, lookupCooldownSeconds } = this.config.addressLimits;
    const result = await this.limits
      .countLookupFailure(key, limit, WINDOW_MS, lookupCooldownSeconds * 1000)
      .then(
        (r) => this.fine(r),
        (error: unknown) => this.trouble(error, null),
      );
    if (!result || result.cooldownMs === 0) return;
    this.cooling.set(key, Date.now() + result.cooldownMs);
    if (result.started) {
      this.metrics.cooledDown();
      // One line per cool-down, on the instance whose count began it; nothing the client sent.
      this.logger.warn(
        { address: key, failedLookups: limit, cooldownSeconds: lookupCooldownSeconds },
        'address cooled down: its failed lookups used up the budget',
      );
    }
  }

  private knownCooldown(key: string): number {
    const until = this.cooling.get(key);
    if (until === undefined) return 0;
    const left = until - Date.now();
    if (left > 0) return left;
    this.cooling.delete(key);
    return 0;
  }

  private coolingCount(): number {
    const now = Date.now();
    for (const [key, until] of this.cooling) if (until <= now) this.cooling.delete(key);
    return this.cooling.size;
  }

  private fine<T>(value: T): T {
    if (this.storeTrouble) this.logger.log('address limits counted again');
    this.storeTrouble = false;
    return value;
  }

  /** Fails open: a store outage must not lock everyone out (the lookup itself then fails). */
  private trouble<T>(error: unknown, fallback: T): T {
    if (!this.storeTrouble) {
      this.logger.warn({ err: error }, 'address limits not counted while the store fails');
    }
    this.storeTrouble = true;
    return fallback;
  }
}
