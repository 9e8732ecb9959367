import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';
import { chooseBotAction } from '../game-state/domain/bot';
import type { DomainEvent, RoomState } from '../game-state/domain/types';
import { GameStateService } from '../game-state/game-state.service';

const MAX_BOT_RETRIES = 10;
const BOT_RETRY_MS = 500;

/**
 * Plays for server-side bots. The instance whose change made it a bot's turn schedules the move;
 * the move goes through the same atomic, versioned path as a player's, and is re-derived from
 * the fresh state if another writer got there first.
 */
@Injectable()
export class BotDriver implements BeforeApplicationShutdown {
  private readonly logger = new Logger(BotDriver.name);
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;
  private publish: ((state: RoomState, events: DomainEvent[]) => void) | null = null;

  constructor(
    private readonly game: GameStateService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Where the bot's changes are announced (the broadcaster). */
  onChange(publish: NonNullable<BotDriver['publish']>): void {
    this.publish = publish;
  }

  /** Looks at a fresh state: if a bot is to act, schedules its move. */
  afterChange(state: RoomState, failures = 0): void {
    const turn = state.match?.turn;
    if (this.stopped || !turn) return;
    if (state.phase !== 'hokm_selection' && state.phase !== 'gameplay') return;
    const bot = state.players.find((p) => p.playerId === turn && p.bot === true);
    if (!bot) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const run = this.play(state.roomCode, bot.playerId, state.version, failures);
      this.inFlight.add(run);
      void run.finally(() => this.inFlight.delete(run));
    }, this.config.game.botDelayMs);
    this.timers.add(timer);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  private async play(
    roomCode: string,
    botId: string,
    seenVersion: number,
    failures: number,
  ): Promise<void> {
    try {
      const change = await this.game.apply(roomCode, (state) =>
        // Someone else moved the room on since this was scheduled: that change schedules anew.
        state.version === seenVersion ? chooseBotAction(state, botId) : null,
      );
      if (change.events.length > 0) this.publish?.(change.state, change.events);
    } catch (error) {
      this.logger.warn(`roomCode=${roomCode} playerId=${botId} bot move failed: ${String(error)}`);
      this.lookAgain(roomCode, seenVersion, failures + 1);
    }
  }

  // No other change will wake a table that waits on a bot whose move failed (Redis away, room
  // busy): look at the room again a little later, a bounded number of times. A move whose answer
  // was lost may have landed unannounced: the room as it is now is pushed to everyone then.
  private lookAgain(roomCode: string, seenVersion: number, failures: number): void {
    if (this.stopped || failures > MAX_BOT_RETRIES) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.game.load(roomCode).then(
        (state) => {
          if (!state) return;
          if (state.version !== seenVersion) this.publish?.(state, []);
          else this.afterChange(state, failures);
        },
        () => this.lookAgain(roomCode, seenVersion, failures + 1),
      );
    }, BOT_RETRY_MS * failures);
    this.timers.add(timer);
  }
}
