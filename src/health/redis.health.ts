import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';
import { GAME_STORE } from '../redis/redis.constants';
import type { GameStore } from '../redis/game-store';

/** Redis readiness: a PING with its own short deadline, naming the provider and path. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(GAME_STORE) private readonly store: GameStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async isHealthy(key: string) {
    const indicator = this.health.check(key);
    const details = { provider: this.store.provider, path: this.store.path };
    try {
      await this.store.ping(this.config.redis.healthTimeoutMs);
      return indicator.up(details);
    } catch {
      return indicator.down({ ...details, message: 'Redis did not answer' });
    }
  }
}
