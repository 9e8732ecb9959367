import { Controller, Get, Header, Inject } from '@nestjs/common';
import { MetricsRegistry } from '../common/metrics-registry';
import { GAME_STORE } from '../redis/redis.constants';
import type { GameStore, PerformanceMetrics } from '../redis/store.port';

@Controller()
export class MetricsController {
  constructor(
    private readonly metrics: MetricsRegistry,
    @Inject(GAME_STORE) private readonly store: GameStore,
  ) {}

  /** Prometheus text: store operations by operation and path, fallbacks, game and process metrics. */
  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async prometheus(): Promise<string> {
    return this.metrics.registry.metrics();
  }

  /** The migration guide's performance metrics as JSON. */
  @Get('api/redis/metrics')
  redisMetrics(): PerformanceMetrics {
    return this.store.getPerformanceMetrics();
  }
}
