import { Inject, Injectable, Logger } from '@nestjs/common';
import { Gauge, Histogram } from 'prom-client';
import { MetricsRegistry } from '../common/metrics-registry';
import { DEADLINE_INDEX, type DeadlineIndex } from '../game-state/deadline-index.port';

/** What a deadline acted on: a bot's move, the turn clock for a human, a reconnect grace. */
export type DeadlineKind = 'bot' | 'turn' | 'grace';

/** The deadline index and the runner, for `/metrics`: how many are pending, how late they fire. */
@Injectable()
export class DeadlineMetrics {
  private readonly logger = new Logger(DeadlineMetrics.name);
  private readonly lateness: Histogram<'kind'>;

  constructor(metrics: MetricsRegistry, @Inject(DEADLINE_INDEX) index: DeadlineIndex) {
    const registers = [metrics.registry];
    const { logger } = this;
    new Gauge({
      name: 'hokm_deadlines_pending',
      help: 'Rooms with a deadline on record (turn clock, bot move or reconnect grace; all instances, read from Redis at scrape)',
      registers,
      async collect() {
        try {
          this.set(await index.countDeadlines());
        } catch (error) {
          // A scrape must not fail because Redis is down; /health reports that.
          logger.warn({ err: error }, 'hokm_deadlines_pending not read');
        }
      },
    });
    this.lateness = new Histogram({
      name: 'hokm_deadline_lateness_seconds',
      help: 'Time from a deadline falling due to its action landing, by kind (bot, turn, grace)',
      labelNames: ['kind'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
  }

  /** A deadline's action landed `lateMs` after it fell due. */
  acted(kind: DeadlineKind, lateMs: number): void {
    this.lateness.observe({ kind }, Math.max(0, lateMs) / 1000);
  }
}
