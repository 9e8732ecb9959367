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
import { RoomsService } from '../rooms/rooms.service';
import { SeatRecoveryService } from './seat-recovery.service';
import { WatchingService } from './watching.service';

/**
 * Keeps this instance on record as alive (a heartbeat in Redis every TIMER_POLL_MS) and frees
 * the seats of instances that went silent: a process killed with SIGKILL, frozen or cut off from
 * Redis never runs its disconnect handlers, so its players would otherwise stay "connected" and
 * their grace period would never start. A survivor leases the dead instance atomically, marks
 * each seat it held disconnected (the grace timer then runs as for any disconnect), and drops it.
 */
@Injectable()
export class InstanceLiveness implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(InstanceLiveness.name);
  private readonly beats = new PeriodicTask(() => this.beat());
  private readonly later = new Set<NodeJS.Timeout>();
  private freeing: Promise<void> = Promise.resolve();
  private onRecord = false;

  constructor(
    private readonly rooms: RoomsService,
    private readonly recovery: SeatRecoveryService,
    private readonly watching: WatchingService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Runs before the server listens: on record before the first socket can take a seat. */
  async onApplicationBootstrap(): Promise<void> {
    await this.beats.runNow();
    this.beats.start(this.config.game.timerPollMs);
  }

  /**
   * Stops beating. The instance stays on record: the gateway's drain disconnects (and
   * unregisters) every socket, and a survivor drops the empty record once it has gone silent,
   * freeing any seat a cut-short drain left behind.
   */
  async beforeApplicationShutdown(): Promise<void> {
    for (const timer of this.later) clearTimeout(timer);
    this.later.clear();
    await this.beats.stop();
    await this.freeing;
  }

  private async beat(): Promise<void> {
    try {
      const { revived, dead } = await this.rooms.heartbeat();
      if (revived && this.onRecord) this.revive();
      this.onRecord = true;
      // Freed one after another, off the beat: a long sweep must never delay our own heartbeat.
      for (const instanceId of dead) this.queue(() => this.free(instanceId));
    } catch (error) {
      this.logger.warn({ err: error }, 'heartbeat not recorded');
    }
  }

  private async free(instanceId: string): Promise<void> {
    try {
      const freed = await this.recovery.freeSeatsOf(instanceId);
      // An instance that stopped cleanly (or died seatless) left nobody waiting: no warning.
      if (freed === 0) {
        this.logger.log({ instanceId }, 'a silent instance held no seats: its record dropped');
      } else {
        this.logger.warn(
          { instanceId, seatsFreed: freed },
          'an instance went silent: its seats freed',
        );
      }
    } catch (error) {
      // The lease runs out and another instance (or this one) tries again.
      this.logger.warn({ instanceId, err: error }, 'seats of a silent instance not freed');
    }
  }

  // Taken for dead while only slow: take the seats back now, and once more when the survivor's
  // lease has run out, in case it was still freeing seats after the first pass.
  private revive(): void {
    this.logger.warn(
      { instanceId: this.rooms.instanceId },
      'this instance was taken for dead (heartbeat late): reclaiming its seats',
    );
    this.queue(() => this.recovery.reclaimLocalSeats());
    this.queue(() => this.watching.reclaimLocalSpectators());
    const timer = setTimeout(() => {
      this.later.delete(timer);
      this.queue(() => this.recovery.reclaimLocalSeats());
      this.queue(() => this.watching.reclaimLocalSpectators());
    }, this.rooms.deadInstanceLeaseMs);
    this.later.add(timer);
  }

  // Sweeps run one at a time; one that fails does not stop the next.
  private queue(work: () => Promise<unknown>): void {
    this.freeing = this.freeing.then(work).then(
      () => undefined,
      (error: unknown) => this.logger.warn({ err: error }, 'liveness sweep failed'),
    );
  }
}
