import { Logger } from '@nestjs/common';
import type { PathName, RedisClient } from './redis-clients';
import { StoreUnavailableError } from '../game-state/store-unavailable.error';
import { StoreCommandError } from './store.errors';
import { StoreMetrics } from './store-metrics';
import { isTransportError, OperationTimeoutError } from './transport-errors';

/** How one path runs its commands. */
export interface RunnerOptions {
  name: PathName;
  /** Per-operation deadline enforced here (the legacy `wait_for(..., timeout)`); 0: none. */
  operationTimeoutMs: number;
  /** One operation at a time, as the pre-migration manager ran (legacy path). */
  serial: boolean;
}

/** Rejects with OperationTimeoutError after `ms` unless `pending` settles first. */
export async function withDeadline<T>(pending: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      pending,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new OperationTimeoutError(ms)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs the operations of one path over its connection: times each one into the store metrics,
 * applies the path's deadline, queues them one at a time if the path is serial, lets shutdown
 * drain them, and turns failures into StoreUnavailableError (transport) or StoreCommandError.
 */
export class RedisCommandRunner {
  private readonly logger: Logger;
  private inFlight = 0;
  private drained: Array<() => void> = [];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly client: RedisClient,
    private readonly options: RunnerOptions,
    private readonly metrics: StoreMetrics,
  ) {
    this.logger = new Logger(`RedisCommandRunner:${options.name}`);
  }

  get name(): PathName {
    return this.options.name;
  }

  /** Runs one operation with metrics, the path's deadline and typed errors. */
  run<T>(
    operation: string,
    fn: () => Promise<T>,
    timeoutMs = this.options.operationTimeoutMs,
  ): Promise<T> {
    const exec = () => this.measure(operation, fn, timeoutMs);
    if (!this.options.serial) return exec();
    const result = this.queue.then(exec, exec);
    this.queue = result.catch(() => undefined);
    return result;
  }

  async ping(timeoutMs: number): Promise<void> {
    await this.run('ping', () => this.client.ping(), timeoutMs);
  }

  /** Waits for in-flight operations (at most `graceMs`), then QUITs. */
  async quit(graceMs: number): Promise<void> {
    if (this.inFlight > 0) {
      await Promise.race([
        new Promise<void>((resolve) => this.drained.push(resolve)),
        new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref()),
      ]);
    }
    if (this.client.status === 'end') return;
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }

  private async measure<T>(operation: string, fn: () => Promise<T>, timeoutMs: number): Promise<T> {
    const started = performance.now();
    this.inFlight++;
    try {
      const result = timeoutMs > 0 ? await withDeadline(fn(), timeoutMs) : await fn();
      this.metrics.record(operation, this.options.name, performance.now() - started, true);
      return result;
    } catch (error) {
      this.metrics.record(operation, this.options.name, performance.now() - started, false);
      if (isTransportError(error)) {
        throw new StoreUnavailableError(operation, this.options.name, error);
      }
      this.logger.error({ operation, err: error }, 'store command failed');
      throw new StoreCommandError(operation, this.options.name, error);
    } finally {
      if (--this.inFlight === 0) {
        for (const resolve of this.drained.splice(0)) resolve();
      }
    }
  }
}
