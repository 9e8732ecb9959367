import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { MetricsRegistry } from '../common/metrics-registry';

/** Why a client was refused by its address's budget. */
export type RefusalReason = 'lookup_cooldown' | 'connection_rate' | 'listing_rate';

/** The per-address limits of this instance, for `/metrics`. */
@Injectable()
export class AbuseMetrics {
  private readonly refusals: Counter<'reason'>;
  private readonly cooldowns: Counter;
  private cooledDownCount: () => number = () => 0;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.refusals = new Counter({
      name: 'hokm_address_limit_refusals_total',
      help: 'Lookups, connections and room listings refused by a per-address limit, by reason',
      labelNames: ['reason'],
      registers,
    });
    // Every reason shows from the start, at 0, so a rate() over them is defined.
    for (const reason of ['lookup_cooldown', 'connection_rate', 'listing_rate'] as const) {
      this.refusals.inc({ reason }, 0);
    }
    this.cooldowns = new Counter({
      name: 'hokm_address_cooldowns_total',
      help: 'Addresses this instance put in a lookup cool-down (their budget ran out here)',
      registers,
    });
    const count = () => this.cooledDownCount();
    new Gauge({
      name: 'hokm_addresses_cooled_down',
      help: 'Addresses whose lookups this instance is refusing now',
      registers,
      collect() {
        this.set(count());
      },
    });
  }

  refused(reason: RefusalReason): void {
    this.refusals.inc({ reason });
  }

  cooledDown(): void {
    this.cooldowns.inc();
  }

  /** Where the gauge of cooled-down addresses reads its figure. */
  countCooledDownWith(count: () => number): void {
    this.cooledDownCount = count;
  }
}
