import { randomBytes } from 'node:crypto';
import { AppConfig, loadConfig } from '../../src/config/app-config';

/** The shared Redis every non-destructive e2e test talks to (`REDIS_URL`, default local 6379). */
export const SHARED_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix no other test run uses, e.g. `test:3f9a1c2b:`; delete its keys with cleanupPrefix. */
export function uniquePrefix(label = 'test'): string {
  return `${label}:${randomBytes(4).toString('hex')}:`;
}

/**
 * A validated AppConfig for one test: the shared Redis, a unique key prefix, errors-only logging,
 * then `overrides` (environment-style strings, exactly as an operator would set them). The outer
 * process.env is deliberately not read, so a developer's shell cannot change what a test sees.
 */
export function testConfig(overrides: Record<string, string | undefined> = {}): AppConfig {
  return loadConfig({
    REDIS_URL: SHARED_REDIS_URL,
    REDIS_KEY_PREFIX: uniquePrefix(),
    LOG_LEVEL: 'error',
    ...overrides,
  });
}

/** Six upper-case letters and digits, unique enough for a room code within one test run. */
export function randomRoomCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(6);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}
