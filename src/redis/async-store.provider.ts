import { Logger } from '@nestjs/common';
import { describeRedis } from './redis-clients';
import { RedisGameStore } from './redis-game-store';
import type { RedisPath } from './redis-path';
import { StoreMetrics } from './store-metrics';

/** Connection settings a provider needs beyond its paths. */
export interface StoreConnectOptions {
  /** Shown in the fail-fast line; password redacted. */
  target: string;
  connectTimeoutMs: number;
  /** How long disconnect waits for in-flight operations. */
  drainMs: number;
}

/** The one line boot fails with when Redis is not there in time. */
export function unreachable(options: StoreConnectOptions, error: unknown): Error {
  const cause = error instanceof Error ? error.message : String(error);
  return new Error(`cannot reach Redis at ${describeRedis(options.target)}: ${cause}`);
}

/** REDIS_PROVIDER=async: one pooled, pipelined path; failures are reported, never hidden. */
export class AsyncGameStore extends RedisGameStore {
  readonly provider = 'async' as const;
  readonly path = 'async';
  private readonly logger = new Logger(AsyncGameStore.name);

  constructor(
    private readonly asyncPath: RedisPath,
    private readonly options: StoreConnectOptions,
    metrics: StoreMetrics,
  ) {
    super(metrics);
  }

  protected call<T>(_operation: string, fn: (path: RedisPath) => Promise<T>): Promise<T> {
    return fn(this.asyncPath);
  }

  async connect(): Promise<void> {
    try {
      await this.asyncPath.connect(this.options.connectTimeoutMs);
    } catch (error) {
      throw unreachable(this.options, error);
    }
    this.logger.log(
      { provider: 'async', path: 'async', redis: describeRedis(this.options.target) },
      'store connected',
    );
  }

  async disconnect(): Promise<void> {
    await this.asyncPath.quit(this.options.drainMs);
  }

  async ping(timeoutMs: number): Promise<void> {
    await this.asyncPath.ping(timeoutMs);
  }
}
