import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';
import { AdapterClients } from '../redis/adapter-clients';

/**
 * The Socket.IO adapter's Redis connections: without them pushes stop reaching players on other
 * instances, so this instance is not ready. A PING with the same short deadline as `redis`.
 */
@Injectable()
export class RedisAdapterHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly clients: AdapterClients,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async isHealthy(key: string) {
    const indicator = this.health.check(key);
    try {
      await this.clients.ping(this.config.redis.healthTimeoutMs);
      return indicator.up();
    } catch {
      return indicator.down({ message: 'Redis did not answer the Socket.IO adapter' });
    }
  }
}
