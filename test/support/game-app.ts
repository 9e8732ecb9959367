import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/bootstrap';
import type { AppConfig } from '../../src/config/app-config';
import { cleanupConfigKeys, testConfig } from './config';

/** A running game server (HTTP + Socket.IO) in this process, as `createApp` builds it. */
export interface GameApp {
  readonly config: AppConfig;
  readonly app: INestApplication;
  readonly port: number;
  /** `http://127.0.0.1:<port>`: the HTTP base; GameClient adds the `/game` namespace. */
  readonly url: string;
  /**
   * `app.close()` (clients get `server_shutdown` and are disconnected, Redis QUITs), then deletes
   * the keys under the config's prefix. Pass `keepKeys` when other instances still share the
   * prefix (multi-instance tests: let the last one clean). Idempotent.
   */
  close(options?: { keepKeys?: boolean }): Promise<void>;
}

/**
 * Settings that keep a game test quick: bots move at once, grace timers are polled often, and
 * the per-socket rate limit is out of the way of players who move the instant it is their turn
 * (a test of the limit sets RATE_LIMIT_* itself). Tests override any of them.
 */
export const GAME_TEST_DEFAULTS: Record<string, string> = {
  // The turn clock off: nobody acts for an idle player (its own suites switch it on).
  TURN_SECONDS: '0',
  BOT_DELAY_MS: '0',
  TIMER_POLL_MS: '50',
  RATE_LIMIT_BURST: '10000',
  RATE_LIMIT_PER_SECOND: '10000',
};

/**
 * Boots the real app on 127.0.0.1 and an OS-chosen port (no race for a "free" port), with
 * `testConfig` (the suite's Redis target, a unique key prefix) plus GAME_TEST_DEFAULTS plus `overrides`
 * (environment-style strings, e.g. `{ REDIS_PROVIDER: 'hybrid', RATE_LIMIT_BURST: '5' }`).
 * To run several instances on one prefix, pass the same `REDIS_KEY_PREFIX` to each.
 */
export async function startGameApp(
  overrides: Record<string, string | undefined> = {},
): Promise<GameApp> {
  const config = testConfig({ ...GAME_TEST_DEFAULTS, ...overrides });
  const app = await createApp(config);
  try {
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close().catch(() => undefined);
    await cleanupConfigKeys(config);
    throw error;
  }
  const { port } = app.getHttpServer().address() as AddressInfo;
  let closing: Promise<void> | null = null;
  return {
    config,
    app,
    port,
    url: `http://127.0.0.1:${port}`,
    close({ keepKeys = false } = {}) {
      closing ??= (async () => {
        await app.close();
        if (!keepKeys) await cleanupConfigKeys(config);
      })();
      return closing;
    },
  };
}
