import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  BeforeApplicationShutdown,
} from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';
import { RoomsService } from '../rooms/rooms.service';
import { SeatRecoveryService } from './seat-recovery.service';

/**
 * Acts on reconnect-grace deadlines kept in Redis. Every instance polls; a due deadline is leased
 * atomically to one of them, and comes back to the pool if that instance dies before finishing.
 */
@Injectable()
export class GraceTimerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(GraceTimerService.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly rooms: RoomsService,
    private readonly recovery: SeatRecoveryService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.tick());
    }, this.config.game.timerPollMs);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One poll: claim due deadlines and apply each; errors are logged, the lease retries it. */
  async tick(): Promise<void> {
    try {
      const due = await this.rooms.claimExpiredGraces();
      for (const timer of due) {
        await this.recovery.graceExpired(timer.roomCode, timer.playerId, timer.disconnectedAt);
        await this.rooms.completeGrace(timer);
      }
    } catch (error) {
      this.logger.warn(`grace timers not processed this round: ${String(error)}`);
    }
  }
}
