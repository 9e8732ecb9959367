import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task';
import { DEADLINE_INDEX, type DeadlineIndex } from '../game-state/deadline-index.port';

/** Timers one call moves at most; a full batch is followed by another call at once. */
const BATCH = 100;
/** How often an instance looks again (the first release's instances add timers until they go). */
const SWEEP_MS = 60_000;

/**
 * The first release kept reconnect-grace deadlines in a sorted set of their own, which this
 * release does not read: its deadlines live in the deadline index, written by each room's commits.
 * A room whose only deadline is such a timer (a player dropped before the upgrade and nobody has
 * moved since) would wait for it forever. Every instance moves those timers into the index when it
 * starts and then every minute, while instances of the first release may still be adding some
 * during a rolling upgrade; the deadline runner then acts on each room as its state says (a seat
 * whose grace has run out is released as any other).
 */
@Injectable()
export class LegacyGraceTimers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LegacyGraceTimers.name);
  private readonly sweeps = new PeriodicTask(() => this.adoptAll());
  private stopped = false;

  constructor(@Inject(DEADLINE_INDEX) private readonly index: DeadlineIndex) {}

  onApplicationBootstrap(): void {
    void this.sweeps.runNow();
    this.sweeps.start(SWEEP_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.sweeps.stop();
  }

  private async adoptAll(): Promise<void> {
    let adopted = 0;
    try {
      for (;;) {
        const taken = await this.index.adoptLegacyGraceTimers(BATCH);
        adopted += taken;
        if (taken < BATCH || this.stopped) break;
      }
    } catch (error) {
      this.logger.warn({ err: error }, "first release's grace timers not moved this round");
    }
    if (adopted > 0) {
      this.logger.log(
        { adopted },
        "first release's reconnect-grace timers moved to the deadline index",
      );
    }
  }
}
