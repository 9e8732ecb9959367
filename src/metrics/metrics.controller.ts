import { Controller, Get, Header, Inject, Logger } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsRegistry } from '../common/metrics-registry';
import { GAME_STORE } from '../redis/redis.constants';
import type { GameStore, PerformanceMetrics } from '../redis/game-store';

@Controller()
export class MetricsController {
  private readonly logger = new Logger(MetricsController.name);

  constructor(
    private readonly metrics: MetricsRegistry,
    @Inject(GAME_STORE) private readonly store: GameStore,
  ) {
    const { store: gameStore, logger } = this;
    new Gauge({
      name: 'hokm_rooms_active',
      help: 'Rooms with activity within the room TTL (all instances; read from Redis at scrape)',
      registers: [metrics.registry],
      async collect() {
        try {
          this.set(await gameStore.countActiveRooms());
        } catch (error) {
          // A scrape must not fail because Redis is down; /health reports that.
          logger.warn({ err: error }, 'hokm_rooms_active not read');
        }
      },
    });
  }

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
