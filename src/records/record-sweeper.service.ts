import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';
import type { MatchRecordStore } from './match-record-store.port';
import { MATCH_RECORD_STORE } from './records.constants';
import { RecordsService } from './records.service';

/** How often every instance looks for ended matches left without a record. */
export const SWEEP_EVERY_MS = 5_000;
/** How long after its end a match's record is left to the instance that ended it. */
export const ORPHAN_AFTER_MS = 5_000;
/** Pending records assembled per sweep at most. */
const SWEEP_LIMIT = 20;

/**
 * Stores the records an instance did not get to (it died right after a match's ending commit):
 * the pending index lists every ended match until its record is stored, and any instance
 * assembles those older than ORPHAN_AFTER_MS. Assembling is idempotent, so two sweepers (or a
 * sweeper and the late owner) storing one record store the same bytes.
 */
@Injectable()
export class RecordSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RecordSweeper.name);
  private readonly sweeps = new PeriodicTask(() =>
    this.sweep(Date.now()).then(
      () => undefined,
      (error: unknown) => this.logger.warn({ err: error }, 'records not swept'),
    ),
  );

  constructor(
    private readonly records: RecordsService,
    @Inject(MATCH_RECORD_STORE) private readonly store: MatchRecordStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.sweeps.start(SWEEP_EVERY_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.sweeps.stop();
  }

  /** One sweep at `now`: assembles what is overdue; answers how many records it stored. */
  async sweep(now: number): Promise<number> {
    const due = await this.store.pendingRecords(now - ORPHAN_AFTER_MS, SWEEP_LIMIT);
    let stored = 0;
    for (const entry of due) {
      const { matchId, roomCode } = entry;
      const result = await this.records.assemble(entry);
      if (result.status === 'stored') {
        stored++;
        continue;
      }
      // An entry beside a commit that lost (Cluster) stays while its match may still end; one
      // whose lines are gone, or older than any journal lives, is of no use any more.
      const stale = now - entry.endedAt > this.config.game.roomTtlSeconds * 1000;
      if (result.status === 'gone' || stale) {
        if (result.status === 'gone') {
          this.logger.warn({ roomCode, matchId }, 'record lost with its room');
        }
        await this.store.dropPending(matchId, roomCode);
      }
    }
    return stored;
  }
}
