import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readyWhen } from './child-ready';
import { freePort } from './ports';

/** A redis-server this test started; it never touches the shared Redis. */
export interface RedisServerHandle {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Whether the server process is up. */
  readonly running: boolean;
  /** SIGTERM and wait for the exit (a clean shutdown, nothing saved). Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL and wait for the exit: Redis vanishes as in a crash. */
  kill(): Promise<void>;
  /** Starts a fresh, empty server on the same port (stopping the old one first if it still runs). */
  restart(): Promise<void>;
}

const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';
const START_TIMEOUT_MS = 10_000;
const live = new Set<ChildProcess>();

// A crashed test run must not leave redis-servers behind.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

function launch(port: number, dir: string, extraArgs: string[]): Promise<ChildProcess> {
  const child = spawn(
    REDIS_SERVER,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      '--daemonize',
      'no',
      ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  live.add(child);
  child.once('exit', () => live.delete(child));
  return readyWhen(
    child,
    'Ready to accept connections',
    `redis-server on ${port}`,
    START_TIMEOUT_MS,
  );
}

function terminate(child: ChildProcess | null, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/**
 * Starts a private `redis-server` (no persistence) on a free port, for tests that stop, kill or
 * break Redis. `extraArgs` are passed on (e.g. `['--enable-debug-command', 'local']`);
 * `options.port` binds that port (one attempt) instead of a free one.
 * Always `stop()` it in afterAll/afterEach.
 */
export async function startRedisServer(
  extraArgs: string[] = [],
  options: { port?: number } = {},
): Promise<RedisServerHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'hokm-redis-'));
  let port = 0;
  let child: ChildProcess | null = null;
  // The free port may be taken before redis-server binds it: try another, a few times.
  const attempts = options.port ? 1 : 3;
  for (let attempt = 1; child === null; attempt++) {
    port = options.port ?? (await freePort());
    try {
      child = await launch(port, dir, extraArgs);
    } catch (error) {
      if (attempt >= attempts) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  const isRunning = () => child !== null && child.exitCode === null && child.signalCode === null;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get running() {
      return isRunning();
    },
    async stop() {
      await terminate(child, 'SIGTERM');
      child = null;
      rmSync(dir, { recursive: true, force: true });
    },
    async kill() {
      await terminate(child, 'SIGKILL');
    },
    async restart() {
      await terminate(child, 'SIGTERM');
      mkdirSync(dir, { recursive: true });
      child = await launch(port, dir, extraArgs);
    },
  };
}
