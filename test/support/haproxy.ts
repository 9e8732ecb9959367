// HAProxy for tests: the shipped deploy/haproxy.cfg turned into a test's configuration (its
// ports, its instances, a faster health check, a log on stdout), run in the foreground, and its
// view of each instance read from the stats listener's CSV.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './main-process';
import { waitFor } from './wait';

/** The configuration operators install. */
export const SHIPPED_HAPROXY_CFG = join(REPO_ROOT, 'deploy', 'haproxy.cfg');

/** Debian's haproxy package puts the binary in /usr/sbin, which a non-root PATH may lack. */
export function haproxyBinary(): string {
  for (const candidate of ['/usr/sbin/haproxy', '/usr/local/sbin/haproxy']) {
    if (existsSync(candidate)) return candidate;
  }
  const found = spawnSync('sh', ['-c', 'command -v haproxy'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || !path) {
    throw new Error("haproxy not found: install Debian's haproxy package (.ci/run does)");
  }
  return path;
}

/** `haproxy -c -f <file>`: the exit code and what it printed. */
export function checkHaproxyConfig(file: string): { status: number | null; output: string } {
  const run = spawnSync(haproxyBinary(), ['-c', '-f', file], { encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}

/** One instance behind the test's HAProxy. */
export interface BackendServer {
  name: string;
  port: number;
}

export interface TestHaproxyOptions {
  /** The frontend (where clients connect) on 127.0.0.1. */
  port: number;
  /** The stats listener on 127.0.0.1. */
  statsPort: number;
  servers: readonly BackendServer[];
  /** inter, fastinter and downinter of the health check, in ms (fall and rise stay as shipped). */
  checkIntervalMs: number;
}

/** Lines of the global section that need root, syslog or a high file limit; a test has none. */
const ROOT_ONLY = /^\s*(log|chroot|stats socket|user|group|daemon|maxconn)\b/;

/**
 * The shipped configuration with only what a test must change: the global section's root and
 * syslog lines (a log to stdout instead) and maxconn, the two bind addresses, the server list and the
 * health-check interval. Everything else (timeouts, checks, cookie, persistence rules) is the
 * file's own. Throws when the file no longer has the parts this relies on.
 */
export function testHaproxyConfig(source: string, options: TestHaproxyOptions): string {
  const out: string[] = [];
  let section = '';
  const seen = { frontendBind: 0, statsBind: 0, defaultServer: 0, servers: 0 };
  for (const line of source.split('\n')) {
    if (/^\S/.test(line) && !line.startsWith('#')) {
      section = line.trim();
      out.push(line);
      if (section === 'global') out.push('    log stdout format raw local0', '    maxconn 2000');
      continue;
    }
    if (section === 'global' && ROOT_ONLY.test(line)) continue;
    if (section === 'frontend hokm' && /^\s*bind\s/.test(line)) {
      seen.frontendBind++;
      out.push(`    bind 127.0.0.1:${options.port}`);
      continue;
    }
    if (section === 'listen stats' && /^\s*bind\s/.test(line)) {
      seen.statsBind++;
      out.push(`    bind 127.0.0.1:${options.statsPort}`);
      continue;
    }
    if (section === 'backend hokm' && /^\s*default-server\s/.test(line)) {
      seen.defaultServer++;
      const ms = `${options.checkIntervalMs}ms`;
      out.push(
        line.replace(/\b(inter|fastinter|downinter)\s+\S+/g, (_, key: string) => `${key} ${ms}`),
      );
      continue;
    }
    if (section === 'backend hokm' && /^\s*server\s/.test(line)) {
      if (seen.servers++ === 0) {
        for (const server of options.servers) {
          out.push(`    server ${server.name} 127.0.0.1:${server.port} cookie ${server.name}`);
        }
      }
      continue;
    }
    out.push(line);
  }
  const missing = Object.entries(seen)
    .filter(([, n]) => n === 0)
    .map(([what]) => what);
  if (missing.length > 0 || seen.frontendBind !== 1 || seen.statsBind !== 1) {
    throw new Error(
      `deploy/haproxy.cfg changed shape (${JSON.stringify(seen)}): update haproxy.ts`,
    );
  }
  return out.join('\n');
}

/** A running HAProxy. */
export interface Haproxy {
  /** `http://127.0.0.1:<port>`: where clients connect. */
  readonly url: string;
  readonly config: string;
  /** Each server's status as HAProxy shows it: UP, DOWN, `UP 1/2` (going down), ... */
  statuses(): Promise<Record<string, string>>;
  /** Waits (bounded) until `server`'s status satisfies `ok`; resolves with that status. */
  waitForStatus(
    server: string,
    ok: (status: string) => boolean,
    timeoutMs?: number,
  ): Promise<string>;
  /** What HAProxy printed (its log lines, warnings). */
  output(): string[];
  stop(): Promise<void>;
}

/**
 * Runs HAProxy in the foreground on the shipped configuration made a test's (`testHaproxyConfig`,
 * checked with `haproxy -c` first); resolves once its stats listener answers.
 */
export async function startHaproxy(
  options: TestHaproxyOptions,
  source = shippedHaproxyConfig(),
): Promise<Haproxy> {
  const config = testHaproxyConfig(source, options);
  const dir = mkdtempSync(join(tmpdir(), 'hokm-haproxy-'));
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, config);
  const check = checkHaproxyConfig(file);
  if (check.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`haproxy -c refused the test configuration:\n${check.output}`);
  }
  const lines: string[] = [];
  const child: ChildProcess = spawn(haproxyBinary(), ['-db', '-f', file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)));
  }
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let running = true;
  void exited.then(() => (running = false));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const statsUrl = `http://127.0.0.1:${options.statsPort}/stats;csv`;
  const statuses = async (): Promise<Record<string, string>> => {
    const csv = await (await fetch(statsUrl)).text();
    const [header, ...rows] = csv.trim().split('\n');
    const columns = (header ?? '').replace(/^#\s*/, '').split(',');
    const at = (name: string) => columns.indexOf(name);
    const result: Record<string, string> = {};
    for (const row of rows) {
      const cells = row.split(',');
      if (cells[at('pxname')] !== 'hokm' || cells[at('svname')] === 'BACKEND') continue;
      result[cells[at('svname')] ?? ''] = cells[at('status')] ?? '';
    }
    return result;
  };
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (running) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const died = exited.then(() => {
      throw new Error(`haproxy exited:\n${lines.join('\n')}`);
    });
    died.catch(() => undefined);
    await Promise.race([
      died,
      waitFor('haproxy to answer on its stats listener', async () => (await fetch(statsUrl)).ok, {
        timeoutMs: 10_000,
        intervalMs: 100,
      }),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `http://127.0.0.1:${options.port}`,
    config,
    statuses,
    waitForStatus: (server, ok, timeoutMs = 15_000) =>
      waitFor(
        `haproxy to see ${server} in a wanted state`,
        async () => {
          const status = (await statuses())[server];
          return status !== undefined && ok(status) ? status : undefined;
        },
        { timeoutMs, intervalMs: 50 },
      ),
    output: () => [...lines],
    stop,
  };
}

/** The shipped configuration, read now. */
export function shippedHaproxyConfig(): string {
  return readFileSync(SHIPPED_HAPROXY_CFG, 'utf8');
}
