import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';
import { ADDRESS_LIMITS } from './abuse.constants';
import { AbuseMetrics } from './abuse.metrics';
import type { AddressLimits } from './address-limits.port';
import { PerSecondBudget } from './per-second-budget';

/** The request budget of each client address on the public room list (LISTINGS_PER_SECOND). */
@Injectable()
export class ListingGuard {
  private readonly budget: PerSecondBudget;

  constructor(
    @Inject(ADDRESS_LIMITS) limits: AddressLimits,
    @Inject(APP_CONFIG) config: AppConfig,
    metrics: AbuseMetrics,
  ) {
    const spec = {
      count: (key: string) => limits.countListing(key),
      perSecond: config.addressLimits.listingsPerSecond,
      setting: 'listingsPerSecond',
      reason: 'listing_rate' as const,
      overLine: 'address over its room-listing rate: GET /api/rooms refused',
      counted: 'room listings',
    };
    this.budget = new PerSecondBudget(spec, metrics, new Logger(ListingGuard.name));
  }

  /** Counts a listing of `key`; false when it is over the address's rate (refused). */
  admit(key: string): Promise<boolean> {
    return this.budget.admit(key);
  }
}
