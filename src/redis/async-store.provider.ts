import { Logger } from '@nestjs/common';
import { PathStore } from './path-store';
import { describeRedis } from './redis-clients';
import type { StorePath } from './store-path';
import { StoreMetrics } from './store-metrics';

/** Connection settings a provider needs beyond its paths. */
export interface StoreConnectOptions {
  /** Shown in the fail-fast line; password redacted. */
  target: string;
  connectTimeoutMs: number;
  /** How long disconnect waits for in-flight operations. */
  drainMs: number;
}

/** REDIS_PROVIDER=async: one pooled, auto-pipelined path; failures are reported, never hidden. */
export class AsyncGameStore extends PathStore {
  readonly provider = 'async' as const;
  readonly path = 'async';
  private readonly logger = new Logger(AsyncGameStore.name);

  constructor(
    private readonly asyncPath: StorePath,
    private readonly options: StoreConnectOptions,
    metrics: StoreMetrics,
  ) {
    super(metrics);
  }

  protected call<T>(_operation: string, fn: (path: StorePath) => Promise<T>): Promise<T> {
    return fn(this.asyncPath);
  }

  async connect(): Promise<void> {
    try {
      await this.asyncPath.connect(this.options.connectTimeoutMs);
    } catch (error) {
      throw new Error(
        `cannot reach Redis at ${describeRedis(this.options.target)}: ${(error as Error).message}`,
      );
    }
    this.logger.log(`store provider=async path=async redis=${describeRedis(this.options.target)}`);
  }

  async disconnect(): Promise<void> {
    await this.asyncPath.quit(this.options.drainMs);
  }

  async ping(timeoutMs: number): Promise<void> {
    await this.asyncPath.ping(timeoutMs);
  }
}
