import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';
import { ADDRESS_LIMITS } from './abuse.constants';
import { AbuseMetrics } from './abuse.metrics';
import type { AddressLimits } from './address-limits.port';

/**
 * The request budget of each client address on the public room list (LISTINGS_PER_SECOND, shared
 * by every instance). With Redis out of reach a request is admitted: the listing's own read then
 * answers for the store.
 */
@Injectable()
export class ListingGuard {
  private readonly logger = new Logger(ListingGuard.name);
  private storeTrouble = false;

  constructor(
    @Inject(ADDRESS_LIMITS) private readonly limits: AddressLimits,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: AbuseMetrics,
  ) {}

  /** Counts a listing of `key`; false when it is over the address's rate (refused). */
  async admit(key: string): Promise<boolean> {
    const perSecond = this.config.addressLimits.listingsPerSecond;
    let count: number;
    try {
      count = await this.limits.countListing(key);
      this.storeTrouble = false;
    } catch (error) {
      if (!this.storeTrouble) {
        this.logger.warn(`room listings not counted while the store fails: ${String(error)}`);
      }
      this.storeTrouble = true;
      return true;
    }
    if (count <= perSecond) return true;
    this.metrics.refused('listing_rate');
    // One line per address and second, however many requests it keeps making.
    if (count === perSecond + 1) {
      this.logger.warn(
        { address: key, listingsPerSecond: perSecond },
        'address over its room-listing rate: GET /api/rooms refused',
      );
    }
    return false;
  }
}
