import { randomBytes } from 'node:crypto';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { cleanupClusterPrefix, cleanupPrefix } from './redis-keys';
import { onTarget, SHARED_REDIS_URL } from './redis-target';

/** The shared Redis every non-destructive e2e test talks to (`REDIS_URL`, default local 6379). */
export { SHARED_REDIS_URL };

/** A key prefix no other test run uses, e.g. `test:3f9a1c2b:`; delete its keys with cleanupPrefix. */
export function uniquePrefix(label = 'test'): string {
  return `${label}:${randomBytes(4).toString('hex')}:`;
}

/**
 * A validated AppConfig for one test: the suite's Redis target (the shared Redis, or the run's
 * Redis Cluster in the e2e-cluster project; see redis-target.ts), a unique key prefix,
 * errors-only logging, the turn clock off (TURN_SECONDS=0), then `overrides` (environment-style
 * strings, exactly as an operator would set them). Overrides that name a Redis (REDIS_URL,
 * REDIS_CLUSTER_NODES) replace the target. The outer process.env is deliberately not read, so a
 * developer's shell cannot change what a test sees.
 */
export function testConfig(overrides: Record<string, string | undefined> = {}): AppConfig {
  return loadConfig({
    REDIS_KEY_PREFIX: uniquePrefix(),
    LOG_LEVEL: 'error',
    // Every test client comes from 127.0.0.1: the per-address limits out of the way (they are
    // tested, low, by test/address-limits.e2e-spec.ts).
    CONNECTIONS_PER_SECOND: '100000',
    LISTINGS_PER_SECOND: '100000',
    LOOKUP_FAILURES_PER_MINUTE: '100000',
    // The turn clock off, as before it existed; the suites of the clock switch it on.
    TURN_SECONDS: '0',
    ...onTarget(overrides),
  });
}

/** Deletes the keys of `config`'s prefix wherever it keeps them (its Redis or its Cluster). */
export function cleanupConfigKeys(config: AppConfig): Promise<number> {
  const { clusterNodes, url, keyPrefix } = config.redis;
  return clusterNodes
    ? cleanupClusterPrefix(clusterNodes, keyPrefix)
    : cleanupPrefix(url, keyPrefix);
}

/** Six upper-case letters and digits, unique enough for a room code within one test run. */
export function randomRoomCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(6);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}
