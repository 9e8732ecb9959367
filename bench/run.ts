// `npm run bench`: loads the server with simulated Hokm tables in every configuration (async,
// hybrid, hybrid with the async path off) plus a redis-benchmark of the move script, and prints
// one table; JSON and markdown copies go to bench/results/. See docs/benchmarks.md.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import type { FromLoad, LoadStats, ToLoad } from './lib/messages';
import {
  parseOptions,
  SERVER_CONFIGS,
  type BenchOptions,
  type ServerConfigName,
} from './lib/options';
import { runRedisBenchmark, type RedisBenchResult } from './lib/redis-benchmark';
import {
  bytesUnder,
  commandDelta,
  deleteUnder,
  scriptInternalCommands,
  snapshotRedis,
  type RedisSnapshot,
} from './lib/redis-stats';
import {
  medianResult,
  ratios,
  renderConsole,
  renderMarkdown,
  type BenchReport,
  type ConfigResult,
} from './lib/report';
import {
  cpuSeconds,
  ensureBuilt,
  externalServer,
  metricValue,
  REPO_ROOT,
  rssBytes,
  scrape,
  atInterrupt,
  startServer,
  track,
  type ServerHandle,
} from './lib/servers';

const log = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The load generator child and a way to await its next message of a kind. */
class LoadGenerator {
  private readonly child: ChildProcess;
  private waiters: Array<{ type: FromLoad['type']; resolve: (m: FromLoad) => void }> = [];
  private failure: Error | null = null;
  onProgress: (m: Extract<FromLoad, { type: 'progress' }>) => void = () => undefined;
  onConnected: (m: Extract<FromLoad, { type: 'connected' }>) => void = () => undefined;

  constructor() {
    this.child = fork(join(__dirname, 'load-worker.ts'), [], {
      execArgv: ['-r', 'ts-node/register/transpile-only'],
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    track(this.child);
    this.child.on('message', (m: FromLoad) => {
      if (m.type === 'progress') this.onProgress(m);
      if (m.type === 'connected') this.onConnected(m);
      if (m.type === 'fatal') this.fail(new Error(`load generator: ${m.message}`));
      const i = this.waiters.findIndex((w) => w.type === m.type);
      if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(m);
    });
    this.child.once('exit', (code) => {
      if (code !== 0) this.fail(new Error(`load generator exited ${code}`));
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  private fail(error: Error): void {
    this.failure = error;
    for (const w of this.waiters.splice(0)) w.resolve({ type: 'fatal', message: error.message });
  }

  send(message: ToLoad): void {
    this.child.send(message);
  }

  async request<T extends FromLoad['type']>(
    message: ToLoad | null,
    answer: T,
    timeoutMs: number,
  ): Promise<Extract<FromLoad, { type: T }>> {
    if (this.failure) throw this.failure;
    const got = new Promise<FromLoad>((resolveMessage) =>
      this.waiters.push({ type: answer, resolve: resolveMessage }),
    );
    if (message) this.send(message);
    let timer: NodeJS.Timeout | undefined;
    const reply = await Promise.race([
      got,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`load generator: no ${answer} within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    if (reply.type === 'fatal') throw new Error(reply.message);
    return reply as Extract<FromLoad, { type: T }>;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    try {
      this.send({ type: 'stop' });
    } catch {
      // already gone
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

interface Sample {
  at: number;
  serverCpu: number[];
  loadCpu: number;
  redis: RedisSnapshot;
}

async function serverCpu(servers: ServerHandle[]): Promise<number[]> {
  return Promise.all(
    servers.map(async (s) => {
      if (s.pid !== null) return cpuSeconds(s.pid);
      // An external server: its own process_cpu_seconds_total.
      return metricValue(await scrape(s.url), 'process_cpu_seconds_total') ?? NaN;
    }),
  );
}

async function serverRss(servers: ServerHandle[]): Promise<number> {
  let total = 0;
  for (const s of servers) {
    total +=
      s.pid !== null
        ? rssBytes(s.pid)
        : (metricValue(await scrape(s.url), 'process_resident_memory_bytes') ?? NaN);
  }
  return total;
}

/** One configuration, once: boot, fill the tables, warm up, measure, tear down. */
async function runConfig(
  name: ServerConfigName | 'external',
  options: BenchOptions,
  redis: Redis,
  runId: string,
  tag: string,
): Promise<ConfigResult> {
  const prefix = `bench:${runId}:${name}:`;
  const servers: ServerHandle[] = [];
  let load: LoadGenerator | null = null;
  const forget = atInterrupt(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    if (!options.urls) await deleteUnder(redis, prefix);
  });
  try {
    if (options.urls) {
      servers.push(...options.urls.map(externalServer));
    } else {
      const env = {
        ...SERVER_CONFIGS[name as ServerConfigName].env,
        REDIS_URL: options.redisUrl,
        REDIS_KEY_PREFIX: prefix,
        RATE_LIMIT_BURST: '10000',
        RATE_LIMIT_PER_SECOND: '10000',
        // Every simulated player and spectator connects from this one address.
        CONNECTIONS_PER_SECOND: '1000000',
        LOG_LEVEL: 'warn',
        SHUTDOWN_GRACE_MS: '2000',
        // Players here move at once; a build before the turn clock ignores the variable.
        TURN_SECONDS: String(options.turnSeconds),
        REDIS_WAIT_REPLICAS: String(options.waitReplicas),
      };
      const instances = instancesOf(name as ServerConfigName, options);
      log(`${tag} starting ${instances} server(s) ...`);
      servers.push(
        ...(await Promise.all(
          Array.from({ length: instances }, () =>
            startServer(env, options.nodeArgs, options.mainJs ?? undefined),
          ),
        )),
      );
    }
    await sleep(300);
    const rssIdle = await serverRss(servers);
    const memIdle = (await snapshotRedis(redis)).usedMemory;

    load = new LoadGenerator();
    let lastConnectLog = 0;
    load.onConnected = (m) => {
      if (m.connected === m.players || Date.now() - lastConnectLog > 1000) {
        lastConnectLog = Date.now();
        log(`${tag} connected ${m.connected}/${m.players} players`);
      }
    };
    const ready = await load.request(
      {
        type: 'start',
        urls: servers.map((s) => s.url),
        players: options.players,
        rooms: options.rooms,
        targetScore: options.targetScore,
        thinkMs: options.thinkMs,
        spectators: options.spectators,
      },
      'ready',
      120_000,
    );
    // Connections and seats, before play has grown the heap: what a player costs to hold.
    const rssConnected = await serverRss(servers);
    log(`${tag} ${ready.tables} tables playing; warming up ${options.warmupS} s`);
    let phase = 'warmup';
    let elapsed = 0;
    load.onProgress = (m) => {
      elapsed++;
      if (phase === 'measure') {
        log(
          `${tag}   ${String(elapsed).padStart(3)} s  ${String(m.movesLastSecond).padStart(6)} moves/s` +
            (m.errors ? `  errors ${m.errors}` : ''),
        );
      }
    };
    await sleep(options.warmupS * 1000);

    // Window start: the event-loop histogram resets on each scrape, so scrape first.
    await Promise.all(servers.map((s) => scrape(s.url)));
    await load.request({ type: 'mark' }, 'marked', 10_000);
    const start: Sample = {
      at: performance.now(),
      serverCpu: await serverCpu(servers),
      loadCpu: cpuSeconds(load.pid),
      redis: await snapshotRedis(redis),
    };
    phase = 'measure';
    elapsed = 0;
    log(`${tag} measuring ${options.durationS} s`);
    await sleep(options.durationS * 1000);

    const { stats } = await load.request({ type: 'collect' }, 'stats', 10_000);
    const end: Sample = {
      at: performance.now(),
      serverCpu: await serverCpu(servers),
      loadCpu: cpuSeconds(load.pid),
      redis: await snapshotRedis(redis),
    };
    phase = 'done';
    if (options.nodeArgs.some((a) => a.startsWith('--cpu-prof'))) {
      for (const s of servers) {
        log(
          `${tag} profile of pid ${s.pid}: window ${((start.at - s.startedAt) / 1000).toFixed(1)}` +
            `–${((end.at - s.startedAt) / 1000).toFixed(1)} s after spawn, ${stats.moves} moves ` +
            `(bench/tools/cpuprofile-top.ts FILE --from .. --to .. --moves ..)`,
        );
      }
    }
    const scrapes = await Promise.all(servers.map((s) => scrape(s.url)));
    const rssLoaded = await serverRss(servers);
    const keyBytes = options.urls
      ? options.externalPrefix
        ? await bytesUnder(redis, options.externalPrefix)
        : NaN
      : await bytesUnder(redis, prefix);
    return summarise(name, options, stats, start, end, scrapes, {
      rssIdle,
      rssConnected,
      rssLoaded,
      memIdle,
      keyBytes,
    });
  } finally {
    forget();
    await load?.stop();
    await Promise.all(servers.map((s) => s.stop()));
    if (!options.urls) await deleteUnder(redis, prefix).catch(() => undefined);
  }
}

function summarise(
  name: string,
  options: BenchOptions,
  stats: LoadStats,
  start: Sample,
  end: Sample,
  scrapes: string[],
  memory: {
    rssIdle: number;
    rssConnected: number;
    rssLoaded: number;
    memIdle: number;
    keyBytes: number;
  },
): ConfigResult {
  const windowS = (end.at - start.at) / 1000;
  const moves = stats.moves;
  const perMove = (x: number) => (moves > 0 ? x / moves : NaN);
  const serverCpuS = end.serverCpu.reduce((sum, v, i) => sum + v - start.serverCpu[i]!, 0);
  const commands = commandDelta(start.redis, end.redis, scriptInternalCommands(options.mainJs));
  const redisCpuS = end.redis.cpuS - start.redis.cpuS;
  const rooms = Math.max(1, stats.roomsCreated);
  const eventLoop = Math.max(
    ...scrapes.map((t) => metricValue(t, 'nodejs_eventloop_lag_p99_seconds') ?? NaN),
  );
  const label =
    name === 'external'
      ? 'external server'
      : SERVER_CONFIGS[name as ServerConfigName].label +
        (options.waitReplicas > 0 ? `, REDIS_WAIT_REPLICAS=${options.waitReplicas}` : '');
  return {
    config: name,
    label,
    instances: options.urls ? options.urls.length : instancesOf(name as ServerConfigName, options),
    players: options.players,
    rooms: options.rooms,
    spectatorsPerTable: options.spectators,
    spectatorStatesPerSec: stats.spectatorStates / windowS,
    windowS,
    moves,
    movesPerSec: moves / windowS,
    ackP50Ms: stats.latency.p50,
    ackP95Ms: stats.latency.p95,
    ackP99Ms: stats.latency.p99,
    ackMaxMs: stats.latency.max,
    eventLoopP99Ms: eventLoop * 1000,
    serverCpuUsPerMove: perMove(serverCpuS) * 1e6,
    serverCpuCores: serverCpuS / windowS,
    loadgenCpuCores: (end.loadCpu - start.loadCpu) / windowS,
    redisCpuCores: redisCpuS / windowS,
    redisCpuUsPerMove: perMove(redisCpuS) * 1e6,
    redisCommandsPerMove: perMove(commands.total),
    redisSentPerMove: perMove(commands.sent),
    redisMemPerRoomKb: (end.redis.usedMemory - memory.memIdle) / rooms / 1024,
    redisKeyBytesPerRoomKb: memory.keyBytes / rooms / 1024,
    serverRssMb: memory.rssLoaded / 1024 / 1024,
    serverRssPerPlayerKb:
      (memory.rssConnected - memory.rssIdle) / Math.max(1, stats.connected) / 1024,
    errors: Object.values(stats.errors).reduce((a, b) => a + b, 0),
    stalls: stats.stalls,
    matchesCompleted: stats.matchesCompleted,
    roomsCreated: stats.roomsCreated,
    commandsPerMove: Object.fromEntries(
      Object.entries(commands.byCommand)
        .sort((a, b) => b[1] - a[1])
        .map(([cmd, n]) => [cmd, Math.round(perMove(n) * 1000) / 1000]),
    ),
    runs: 1,
  };
}

/** Server processes of a configuration: its own count (async-x2), else --instances. */
function instancesOf(name: ServerConfigName, options: BenchOptions): number {
  return SERVER_CONFIGS[name].instances ?? options.instances;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), process.env);
  const startedAt = new Date().toISOString();
  const runId = randomBytes(4).toString('hex');
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    await redis.ping();
  } catch (error) {
    throw new Error(`cannot reach Redis at ${options.redisUrl}: ${String(error)}`);
  }
  const redisVersion = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? '?';
  if (!options.urls && !options.mainJs) ensureBuilt(log);

  const names: Array<ServerConfigName | 'external'> = options.urls
    ? ['external']
    : options.configs.filter((c): c is ServerConfigName => c !== 'redis-benchmark');
  const runs = new Map<string, ConfigResult[]>();
  const total = names.length * options.repeat;
  let n = 0;
  // Repeats go round-robin over the configurations, so drift of the machine hits each alike.
  for (let r = 0; r < options.repeat; r++) {
    for (const name of names) {
      n++;
      const tag = `[${name} ${n}/${total}]`;
      const result = await runConfig(name, options, redis, runId, tag);
      log(
        `${tag} ${result.movesPerSec.toFixed(0)} moves/s, p99 ${result.ackP99Ms.toFixed(1)} ms, ` +
          `${result.serverCpuUsPerMove.toFixed(0)} µs CPU/move, ${result.redisSentPerMove.toFixed(2)} Redis commands/move`,
      );
      runs.set(name, [...(runs.get(name) ?? []), result]);
    }
  }
  let rb: RedisBenchResult | null = null;
  if (options.configs.includes('redis-benchmark')) {
    log(`[redis-benchmark] ${options.redisBenchRequests} EVALSHA of the move script ...`);
    rb = await runRedisBenchmark(
      options.redisUrl,
      `bench:${runId}:rb:`,
      options.redisBenchRequests,
      options.redisBenchClients,
    );
    log(`[redis-benchmark] ${rb.opsPerSec.toFixed(0)} EVALSHA/s`);
  }
  await redis.quit();

  const configs = Object.fromEntries([...runs].map(([name, r]) => [name, medianResult(r)]));
  const { outDir, ...reported } = options;
  const report: BenchReport = {
    startedAt,
    host: { cpus: cpus().length, node: process.version, redisVersion },
    options: reported,
    configs,
    redisBenchmark: rb,
    ratios: ratios(configs, rb),
  };
  const dir = resolve(REPO_ROOT, outDir);
  mkdirSync(dir, { recursive: true });
  const stamp = startedAt.replace(/[:.]/g, '-');
  const json = JSON.stringify(report, null, 2);
  const md = renderMarkdown(report);
  for (const base of [`bench-${stamp}`, 'latest']) {
    writeFileSync(join(dir, `${base}.json`), `${json}\n`);
    writeFileSync(join(dir, `${base}.md`), md);
  }
  process.stdout.write(
    `\n${renderConsole(report)}\n\nreport: ${join(dir, `bench-${stamp}.json`)}\n`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
