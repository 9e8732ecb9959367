// A replicated Redis watched by Sentinel, of a test's own: a master, replicas (`--replicaof`)
// and sentinels (`redis-server <conf> --sentinel`, config generated in a temp dir) on free
// ports, with timings low enough that a failover takes a few seconds. Never the shared Redis.
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { readyWhen } from './child-ready';
import { freePort } from './ports';
import { startRedisServer, type RedisServerHandle } from './redis-server';
import { waitFor } from './wait';

const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export interface SentinelSetOptions {
  /** The monitored master's name (REDIS_SENTINEL_NAME). */
  name?: string;
  replicas?: number;
  sentinels?: number;
  /** How long a master must be silent before a sentinel calls it down. */
  downAfterMs?: number;
  failoverTimeoutMs?: number;
}

/** A data node (master or replica) this test started, with its process id for SIGSTOP/SIGCONT. */
export interface DataNode {
  readonly server: RedisServerHandle;
  readonly pid: number;
}

export interface SentinelSet {
  readonly name: string;
  /** REDIS_SENTINELS and REDIS_SENTINEL_NAME, for the app. */
  readonly env: Record<string, string>;
  /** Every data node; the first was the master at start. */
  readonly nodes: readonly DataNode[];
  /** The port the sentinels name as the master now (the first sentinel that answers). */
  masterPort(): Promise<number>;
  /** The data node that is the master now. */
  master(): Promise<DataNode>;
  /**
   * Resolves with the new master's port once every sentinel names a master other than
   * `oldPort` and that node says it is a master with `replicas` replicas online.
   */
  waitForFailover(oldPort: number, replicas: number, timeoutMs?: number): Promise<number>;
  /**
   * Waits until the failover is over on every sentinel: all have switched to one master (and
   * told their +switch-master subscribers, which reconnect), none has a failover in progress or
   * calls it down. Resolves with that master's port.
   */
  waitForSwitch(timeoutMs?: number): Promise<number>;
  /** Waits until every sentinel knows every other sentinel and `replicas` replicas. */
  waitUntilWatching(replicas: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** `SENTINEL MASTER name` (a flat field/value list) as an object. */
function fields(flat: unknown): Record<string, string> {
  const list = Array.isArray(flat) ? (flat as string[]) : [];
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < list.length; i += 2) out[String(list[i])] = String(list[i + 1]);
  return out;
}

/** One sentinel on `port`, ready once it monitors the master. */
function launchSentinel(port: number, dir: string, conf: string): Promise<ChildProcess> {
  const path = join(dir, `sentinel-${port}.conf`);
  writeFileSync(path, conf);
  const child = spawn(REDIS_SERVER, [path, '--sentinel'], { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return readyWhen(child, '+monitor master', `sentinel ${port}`, 10_000);
}

async function pidOf(server: RedisServerHandle): Promise<number> {
  const redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
  try {
    return Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1]);
  } finally {
    redis.disconnect();
  }
}

/** Asks a node directly (not through Sentinel) for its INFO replication fields. */
async function replicationOf(port: number): Promise<Record<string, string>> {
  const redis = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 0, lazyConnect: true });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const info = await redis.info('replication');
    return Object.fromEntries(
      info
        .split('\r\n')
        .filter((l) => l.includes(':'))
        .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)]),
    );
  } finally {
    redis.disconnect();
  }
}

/**
 * Starts a master, `replicas` replicas of it and `sentinels` sentinels (quorum: a majority),
 * and waits until the replicas are in sync and the sentinels know each other. Stop it in
 * afterAll.
 */
export async function startSentinelSet(options: SentinelSetOptions = {}): Promise<SentinelSet> {
  const name = options.name ?? 'hokm';
  const replicaCount = options.replicas ?? 2;
  const sentinelCount = options.sentinels ?? 3;
  // A full sync right away rather than after the default 5 s wait for more replicas.
  const nodeArgs = ['--repl-diskless-sync-delay', '0'];
  const nodes: DataNode[] = [];
  const sentinels: ChildProcess[] = [];
  const sentinelPorts: number[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'hokm-sentinel-'));
  const clients: Redis[] = [];
  const stop = async () => {
    for (const client of clients.splice(0)) client.disconnect();
    await Promise.all(
      sentinels.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
    // A node a test paused must run again to hear its SIGTERM.
    for (const node of nodes) if (node.server.running) process.kill(node.pid, 'SIGCONT');
    await Promise.all(nodes.map((node) => node.server.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const master = await startRedisServer(nodeArgs);
    nodes.push({ server: master, pid: await pidOf(master) });
    for (let i = 0; i < replicaCount; i++) {
      const replica = await startRedisServer([
        ...nodeArgs,
        '--replicaof',
        '127.0.0.1',
        String(master.port),
      ]);
      nodes.push({ server: replica, pid: await pidOf(replica) });
    }
    await waitFor(
      `${replicaCount} replicas online`,
      async () => {
        const info = await replicationOf(master.port);
        const online = Object.values(info).filter((v) => v.includes('state=online')).length;
        return online === replicaCount;
      },
      { timeoutMs: 15_000, intervalMs: 50 },
    );
    const quorum = Math.floor(sentinelCount / 2) + 1;
    for (let i = 0; i < sentinelCount; i++) {
      const port = await freePort();
      const conf = [
        `port ${port}`,
        'bind 127.0.0.1',
        'daemonize no',
        `dir ${dir}`,
        `sentinel monitor ${name} 127.0.0.1 ${master.port} ${quorum}`,
        `sentinel down-after-milliseconds ${name} ${options.downAfterMs ?? 1500}`,
        `sentinel failover-timeout ${name} ${options.failoverTimeoutMs ?? 2000}`,
        `sentinel parallel-syncs ${name} ${replicaCount}`,
        '',
      ].join('\n');
      sentinels.push(await launchSentinel(port, dir, conf));
      sentinelPorts.push(port);
      clients.push(new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1 }));
    }
    const ask = async <T>(fn: (sentinel: Redis) => Promise<T>): Promise<T[]> =>
      Promise.all(clients.map(fn));
    const masterPort = async () => {
      let lastError: unknown = new Error('no sentinel');
      for (const sentinel of clients) {
        try {
          const [, port] = (await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name)) as [
            string,
            string,
          ];
          return Number(port);
        } catch (error) {
          lastError = error;
        }
      }
      throw lastError;
    };
    const set: SentinelSet = {
      name,
      env: {
        REDIS_SENTINELS: sentinelPorts.map((p) => `127.0.0.1:${p}`).join(','),
        REDIS_SENTINEL_NAME: name,
      },
      nodes,
      masterPort,
      async master() {
        const port = await masterPort();
        const node = nodes.find((n) => n.server.port === port);
        if (!node) throw new Error(`the sentinels name an unknown master on ${port}`);
        return node;
      },
      async waitUntilWatching(replicas, timeoutMs = 15_000) {
        await waitFor(
          `every sentinel to know ${sentinelCount - 1} sentinels and ${replicas} replicas`,
          async () => {
            const states = await ask(async (s) => fields(await s.call('SENTINEL', 'MASTER', name)));
            return states.every(
              (m) =>
                Number(m['num-other-sentinels']) === sentinelCount - 1 &&
                Number(m['num-slaves']) >= replicas &&
                !String(m.flags).includes('down'),
            );
          },
          { timeoutMs, intervalMs: 100 },
        );
      },
      async waitForFailover(oldPort, replicas, timeoutMs = 30_000) {
        return waitFor(
          `a master other than ${oldPort} with ${replicas} replicas online`,
          async () => {
            const named = await ask(async (s) => {
              const reply = (await s.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name)) as string[];
              return Number(reply[1]);
            });
            const port = named[0];
            if (port === undefined || port === oldPort || named.some((p) => p !== port)) {
              return false;
            }
            const info = await replicationOf(port);
            const online = Object.values(info).filter((v) => v.includes('state=online')).length;
            return info.role === 'master' && online >= replicas ? port : false;
          },
          { timeoutMs, intervalMs: 100 },
        );
      },
      async waitForSwitch(timeoutMs = 30_000) {
        let last = '';
        try {
          return await waitFor(
            'every sentinel switched to one master, no failover in progress',
            async () => {
              const states = await ask(async (s) =>
                fields(await s.call('SENTINEL', 'MASTER', name)),
              );
              last = states.map((m) => `${m.port} ${m.flags}`).join('; ');
              const port = Number(states[0]?.port);
              const settled = states.every(
                (m) => Number(m.port) === port && String(m.flags) === 'master',
              );
              return settled ? port : false;
            },
            { timeoutMs, intervalMs: 100 },
          );
        } catch (error) {
          throw new Error(`${(error as Error).message}; the sentinels say: ${last}`);
        }
      },
      stop,
    };
    await set.waitUntilWatching(replicaCount);
    return set;
  } catch (error) {
    await stop();
    throw error;
  }
}
