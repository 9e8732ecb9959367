import type { Provider } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';
import type { TurnClock } from './domain/types';

/** Injection token of the process's TurnClock (built once from the settings). */
export const TURN_CLOCK = Symbol('TURN_CLOCK');

/** TURN_SECONDS, BOT_DELAY_MS and RECONNECT_GRACE_SECONDS as the rules take them (ms). */
export function turnClockOf(config: AppConfig): TurnClock {
  return {
    turnMs: config.game.turnSeconds * 1000,
    botDelayMs: config.game.botDelayMs,
    graceMs: config.game.reconnectGraceSeconds * 1000,
  };
}

export const turnClockProvider: Provider = {
  provide: TURN_CLOCK,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig): TurnClock => Object.freeze(turnClockOf(config)),
};
