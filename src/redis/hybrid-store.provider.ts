import { Logger } from '@nestjs/common';
import { unreachable, type StoreConnectOptions } from './async-store.provider';
import { describeRedis } from './redis-clients';
import { RedisGameStore } from './redis-game-store';
import type { RedisPath } from './redis-path';
import { StoreUnavailableError } from '../game-state/store-unavailable.error';
import { StoreMetrics } from './store-metrics';

/**
 * REDIS_PROVIDER=hybrid, the migration bridge: operations go down the async path and are retried
 * once down the legacy path on a transport failure (counted as a fallback). Without an async
 * path (REDIS_HYBRID_ASYNC=false, the rollback switch) every operation takes the legacy path.
 */
export class HybridGameStore extends RedisGameStore {
  readonly provider = 'hybrid' as const;
  readonly path: string;
  private readonly logger = new Logger(HybridGameStore.name);

  constructor(
    private readonly asyncPath: RedisPath | null,
    private readonly legacyPath: RedisPath,
    private readonly options: StoreConnectOptions,
    metrics: StoreMetrics,
  ) {
    super(metrics);
    this.path = asyncPath ? 'async+legacy' : 'legacy';
  }

  protected async call<T>(operation: string, fn: (path: RedisPath) => Promise<T>): Promise<T> {
    if (!this.asyncPath) return fn(this.legacyPath);
    try {
      return await fn(this.asyncPath);
    } catch (error) {
      // Only a transport failure falls back; a domain answer or a bad command is final.
      if (!(error instanceof StoreUnavailableError)) throw error;
      this.metrics.recordFallback(operation);
      this.logger.warn({ operation, err: error.cause }, 'async path failed: retrying on legacy');
      return fn(this.legacyPath);
    }
  }

  async connect(): Promise<void> {
    const paths = [this.asyncPath, this.legacyPath].filter((p): p is RedisPath => p !== null);
    try {
      await Promise.all(paths.map((p) => p.connect(this.options.connectTimeoutMs)));
    } catch (error) {
      await Promise.all(paths.map((p) => p.quit(0)));
      throw unreachable(this.options, error);
    }
    this.logger.log(
      { provider: 'hybrid', path: this.path, redis: describeRedis(this.options.target) },
      'store connected',
    );
  }

  async disconnect(): Promise<void> {
    await Promise.all([
      this.asyncPath?.quit(this.options.drainMs),
      this.legacyPath.quit(this.options.drainMs),
    ]);
  }

  async ping(timeoutMs: number): Promise<void> {
    await this.call('ping', (p) => p.ping(timeoutMs));
  }
}
