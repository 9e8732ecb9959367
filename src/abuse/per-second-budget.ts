import type { Logger } from '@nestjs/common';
import type { AbuseMetrics, RefusalReason } from './abuse.metrics';

/** What one per-second budget counts, and how its refusals are told. */
export interface PerSecondBudgetSpec {
  /** Counts one more of `key`'s requests; answers how many it made in the current second. */
  count(key: string): Promise<number>;
  /** The budget (a setting's value). */
  perSecond: number;
  /** The setting's name in the log line, e.g. `connectionsPerSecond`. */
  setting: string;
  reason: RefusalReason;
  /** The log line of an address that went over, e.g. 'address over its connection rate: …'. */
  overLine: string;
  /** What is not counted while Redis fails, e.g. 'connections'. */
  counted: string;
}

/**
 * A per-second budget of each client address, counted in Redis (so shared by every instance):
 * what is over it is refused, counted in the refusals metric, and logged once per address and
 * second however much more it sends. With Redis out of reach everything is admitted (one warning
 * until it answers again): the request then fails, or not, on its own.
 */
export class PerSecondBudget {
  private storeTrouble = false;

  constructor(
    private readonly spec: PerSecondBudgetSpec,
    private readonly metrics: AbuseMetrics,
    private readonly logger: Logger,
  ) {}

  /** Counts a request of `key`; false when it is over the budget (refused). */
  async admit(key: string): Promise<boolean> {
    const { perSecond } = this.spec;
    let count: number;
    try {
      count = await this.spec.count(key);
      this.storeTrouble = false;
    } catch (error) {
      if (!this.storeTrouble) {
        this.logger.warn({ err: error }, `${this.spec.counted} not counted while the store fails`);
      }
      this.storeTrouble = true;
      return true;
    }
    if (count <= perSecond) return true;
    this.metrics.refused(this.spec.reason);
    if (count === perSecond + 1) {
      this.logger.warn({ address: key, [this.spec.setting]: perSecond }, this.spec.overLine);
    }
    return false;
  }
}
