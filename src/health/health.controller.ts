import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { AppLifecycle } from '../common/app-lifecycle';
import { RedisAdapterHealthIndicator } from './redis-adapter.health';
import { RedisHealthIndicator } from './redis.health';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly redis: RedisHealthIndicator,
    private readonly redisAdapter: RedisAdapterHealthIndicator,
    private readonly lifecycle: AppLifecycle,
  ) {}

  /**
   * Readiness: 200 when this instance can serve, 503 when Redis is down (for the store or for the
   * Socket.IO adapter) or it is draining.
   */
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.redis.isHealthy('redis'),
      () => this.redisAdapter.isHealthy('redis_adapter'),
      () => {
        const app = this.indicators.check('app');
        return this.lifecycle.draining ? app.down({ message: 'shutting down' }) : app.up();
      },
    ]);
  }

  /** Liveness: 200 while the process runs. */
  @Get('live')
  live() {
    return { status: 'ok' };
  }
}
