import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { AppLifecycle } from '../common/app-lifecycle';
import { RedisHealthIndicator } from './redis.health';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly redis: RedisHealthIndicator,
    private readonly lifecycle: AppLifecycle,
  ) {}

  /** Readiness: 200 when this instance can serve, 503 when Redis is down or it is draining. */
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.redis.isHealthy('redis'),
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
