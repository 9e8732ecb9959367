// The server processes under test: spawn `node dist/main.js`, wait until ready, read their CPU
// and memory from /proc, scrape their /metrics, stop them.
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort } from '../../test/support/ports';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const MAIN_JS = join(REPO_ROOT, 'dist', 'main.js');
const CLOCK_TICKS = 100; // USER_HZ on Linux

/** Every child process the benchmark started: none outlives it, even when it is interrupted. */
const children = new Set<ChildProcess>();
export function track(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});
/** Work to do if the run is interrupted (stop children, delete the run's keys); at most 5 s. */
const onInterrupt = new Set<() => Promise<unknown>>();
export function atInterrupt(cleanup: () => Promise<unknown>): () => void {
  onInterrupt.add(cleanup);
  return () => onInterrupt.delete(cleanup);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping and cleaning up\n`);
    const cleanups = [...onInterrupt].map((cleanup) => cleanup().catch(() => undefined));
    void Promise.race([Promise.all(cleanups), new Promise((r) => setTimeout(r, 5000))]).then(() =>
      process.exit(130),
    );
  });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/**
 * Builds dist/ when it is missing or older than src/ (tsc -p tsconfig.build.json: no `rm -rf
 * dist` first, so a server another process runs from dist/ is not pulled from under it).
 */
export function ensureBuilt(log: (line: string) => void): void {
  const src = join(REPO_ROOT, 'src');
  if (existsSync(MAIN_JS) && statSync(MAIN_JS).mtimeMs >= newestMtime(src)) return;
  log('building dist/ (tsc -p tsconfig.build.json) ...');
  const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  const output = `${build.stdout ?? ''}${build.stderr ?? ''}`.trim();
  // tsc exits 2 on type errors but still emits: measure what is there, say so loudly.
  if (build.status === 2 && existsSync(MAIN_JS)) {
    log(`WARNING: dist/ built with type errors:\n${output}`);
    return;
  }
  if (build.status !== 0) throw new Error(`build failed (${build.status}):\n${output}`);
}

/** CPU seconds (user + system) of a process, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / CLOCK_TICKS;
}

/** Resident set size of a process in bytes, from /proc/<pid>/status. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  return m ? Number(m[1]) * 1024 : 0;
}

/** Prometheus text → value of the first sample of `name` (no labels needed here). */
export function metricValue(text: string, name: string): number | null {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+|NaN)$`, 'm').exec(text);
  return m ? Number(m[1]) : null;
}

export async function scrape(url: string): Promise<string> {
  const response = await fetch(`${url}/metrics`);
  if (!response.ok) throw new Error(`${url}/metrics answered ${response.status}`);
  return response.text();
}

/** One server under test (spawned here) or an external one (pid null). */
export interface ServerHandle {
  url: string;
  pid: number | null;
  /** performance.now() when it was spawned (a --cpu-prof profile starts about then). */
  startedAt: number;
  stop(): Promise<void>;
  /** The last lines it printed, for a failure message. */
  tail(): string;
}

export function externalServer(url: string): ServerHandle {
  return { url, pid: null, startedAt: 0, stop: () => Promise.resolve(), tail: () => '' };
}

/** Spawns one `node dist/main.js` with `env` and waits until /health answers 200. */
export async function startServer(
  env: Record<string, string>,
  nodeArgs: string[],
  mainJs = MAIN_JS,
  readyTimeoutMs = 30_000,
): Promise<ServerHandle> {
  const port = await freePort();
  const startedAt = performance.now();
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, mainJs], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NO_COLOR: '1',
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      lines.push(...chunk.split('\n').filter(Boolean));
      if (lines.length > 50) lines.splice(0, lines.length - 50);
    });
  }
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const url = `http://127.0.0.1:${port}`;
  const handle: ServerHandle = {
    url,
    pid: child.pid ?? null,
    startedAt,
    tail: () => lines.join('\n'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`server exited (${child.exitCode}) before it was ready:\n${handle.tail()}`);
    }
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) return handle;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await handle.stop();
      throw new Error(`server not ready within ${readyTimeoutMs} ms:\n${handle.tail()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
