import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsRegistry } from '../common/metrics-registry';
import type { OperationMetrics, PerformanceMetrics } from './game-store';

const RESERVOIR = 2048;

/** Running figures of one (operation, path) pair; the reservoir keeps the latest latencies. */
class OperationStats {
  count = 0;
  errors = 0;
  totalMs = 0;
  private readonly samples = new Float64Array(RESERVOIR);
  private next = 0;

  constructor(
    readonly operation: string,
    readonly path: string,
  ) {}

  record(ms: number, ok: boolean): void {
    this.count++;
    if (!ok) this.errors++;
    this.totalMs += ms;
    this.samples[this.next++ % RESERVOIR] = ms;
  }

  /** The latest latencies, sorted; computed on demand, never on the hot path. */
  sortedSamples(): number[] {
    return Array.from(this.samples.subarray(0, Math.min(this.next, RESERVOIR))).sort(
      (a, b) => a - b,
    );
  }
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** Seconds: Redis answers in well under a millisecond when healthy, seconds when it is not. */
const REDIS_LATENCY_BUCKETS = [
  0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
];

/**
 * How a WAIT for replicas ended: enough confirmed, too few in time (the write is then refused
 * if it changed anything), or no answer at all (the connection failed or timed out).
 */
export type WaitOutcome = 'confirmed' | 'short' | 'failed';

/** Counts every store operation by operation and path, for `/metrics` and `/api/redis/metrics`. */
@Injectable()
export class StoreMetrics {
  private readonly stats = new Map<string, OperationStats>();
  private fallbackCount = 0;
  private readonly duration: Histogram<'operation' | 'path'>;
  private readonly errorCounter: Counter<'operation' | 'path'>;
  private readonly fallbackCounter: Counter<'operation'>;
  private readonly info: Gauge<'provider' | 'path'>;
  private readonly waitDuration: Histogram<'path'>;
  private readonly waitCounter: Counter<'path' | 'outcome'>;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.duration = new Histogram({
      name: 'hokm_redis_operation_duration_seconds',
      help: 'Latency of store operations against Redis, by operation and path',
      labelNames: ['operation', 'path'],
      buckets: REDIS_LATENCY_BUCKETS,
      registers,
    });
    this.errorCounter = new Counter({
      name: 'hokm_redis_operation_errors_total',
      help: 'Store operations that failed, by operation and path',
      labelNames: ['operation', 'path'],
      registers,
    });
    this.fallbackCounter = new Counter({
      name: 'hokm_redis_fallbacks_total',
      help: 'Operations the hybrid provider retried on the legacy path after an async transport failure',
      labelNames: ['operation'],
      registers,
    });
    this.waitDuration = new Histogram({
      name: 'hokm_redis_wait_duration_seconds',
      help: 'REDIS_WAIT_REPLICAS: from sending a write and its WAIT to the replicas confirming it',
      labelNames: ['path'],
      buckets: REDIS_LATENCY_BUCKETS,
      registers,
    });
    this.waitCounter = new Counter({
      name: 'hokm_redis_wait_total',
      help: 'WAITs for replicas by outcome: confirmed, short (too few in time), failed (no answer)',
      labelNames: ['path', 'outcome'],
      registers,
    });
    this.info = new Gauge({
      name: 'hokm_redis_provider_info',
      help: 'The store provider and path in use (value 1)',
      labelNames: ['provider', 'path'],
      registers,
    });
  }

  /** Marks the provider and path bound at boot. */
  setProvider(provider: string, path: string): void {
    this.info.reset();
    this.info.set({ provider, path }, 1);
  }

  record(operation: string, path: string, ms: number, ok: boolean): void {
    const key = `${operation}\u0000${path}`;
    let stats = this.stats.get(key);
    if (!stats) {
      stats = new OperationStats(operation, path);
      this.stats.set(key, stats);
    }
    stats.record(ms, ok);
    this.duration.observe({ operation, path }, ms / 1000);
    if (!ok) this.errorCounter.inc({ operation, path });
  }

  /** One WAIT for replicas behind a write (see ReplicaWait). */
  recordWait(path: string, ms: number, outcome: WaitOutcome): void {
    this.waitDuration.observe({ path }, ms / 1000);
    this.waitCounter.inc({ path, outcome });
  }

  recordFallback(operation: string): void {
    this.fallbackCount++;
    this.fallbackCounter.inc({ operation });
  }

  /** The guide's `get_performance_metrics()`, with per-operation and per-path detail. */
  snapshot(provider: 'async' | 'hybrid', path: string): PerformanceMetrics {
    let total = 0;
    let errors = 0;
    let totalMs = 0;
    const all: number[] = [];
    const operations: OperationMetrics[] = [];
    for (const s of this.stats.values()) {
      total += s.count;
      errors += s.errors;
      totalMs += s.totalMs;
      const sorted = s.sortedSamples();
      all.push(...sorted);
      operations.push({
        operation: s.operation,
        path: s.path,
        count: s.count,
        errors: s.errors,
        avg_latency_ms: round(s.count ? s.totalMs / s.count : 0),
        p50_latency_ms: round(quantile(sorted, 0.5)),
        p99_latency_ms: round(quantile(sorted, 0.99)),
      });
    }
    all.sort((a, b) => a - b);
    operations.sort(
      (a, b) => a.operation.localeCompare(b.operation) || a.path.localeCompare(b.path),
    );
    return {
      provider,
      path,
      total_operations: total,
      total_errors: errors,
      error_rate: total ? round(errors / total) : 0,
      avg_latency: round(total ? totalMs / total : 0),
      p50_latency: round(quantile(all, 0.5)),
      p99_latency: round(quantile(all, 0.99)),
      fallbacks: this.fallbackCount,
      operations,
    };
  }
}
