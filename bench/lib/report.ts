// The results: one table (console and markdown) and the JSON report.
import type { BenchOptions } from './options';
import type { RedisBenchResult } from './redis-benchmark';

/** Every figure of one server configuration (medians when repeated). */
export interface ConfigResult {
  config: string;
  label: string;
  instances: number;
  players: number;
  rooms: number;
  /** Sockets watching each table. */
  spectatorsPerTable: number;
  /** `state` pushes the spectators received per second. */
  spectatorStatesPerSec: number;
  windowS: number;
  moves: number;
  movesPerSec: number;
  ackP50Ms: number;
  ackP95Ms: number;
  ackP99Ms: number;
  ackMaxMs: number;
  /** Worst instance's nodejs_eventloop_lag_p99_seconds over the window, ms. */
  eventLoopP99Ms: number;
  /** Server CPU (all instances, user + system) per acknowledged play_card, µs. */
  serverCpuUsPerMove: number;
  serverCpuCores: number;
  loadgenCpuCores: number;
  /** redis-server CPU over the window (the whole process: other clients count too). */
  redisCpuCores: number;
  redisCpuUsPerMove: number;
  /** Commands Redis executed per move, script-internal calls included (INFO commandstats). */
  redisCommandsPerMove: number;
  /** Commands clients sent per move (an EVALSHA counts once): the round trips' worth. */
  redisSentPerMove: number;
  /** INFO used_memory delta from before the players came to the window's end ÷ rooms created. */
  redisMemPerRoomKb: number;
  /** Σ MEMORY USAGE of the run's keys ÷ rooms created (immune to other Redis clients). */
  redisKeyBytesPerRoomKb: number;
  /** At the end of the window, under load (heap grown by the play, not only connections). */
  serverRssMb: number;
  /** (RSS once everyone is connected and seated − RSS idle) ÷ players, all instances. */
  serverRssPerPlayerKb: number;
  errors: number;
  stalls: number;
  matchesCompleted: number;
  roomsCreated: number;
  /** Per move, by command (script-internal ones included). */
  commandsPerMove: Record<string, number>;
  /** How many runs the medians are of. */
  runs: number;
}

export interface Ratios {
  hybridVsAsyncCpuPerMove?: number;
  legacyVsAsyncCpuPerMove?: number;
  hybridVsAsyncThroughput?: number;
  legacyVsAsyncThroughput?: number;
  legacyVsAsyncP99?: number;
  /** Server CPU per move of async on 2 instances (both together) ÷ async on one. */
  twoInstancesVsOneCpuPerMove?: number;
  twoInstancesVsOneThroughput?: number;
  /** Server moves/s ÷ redis-benchmark EVALSHA/s, for each configuration. */
  movesVsRedisLimit?: Record<string, number>;
}

export interface BenchReport {
  startedAt: string;
  host: { cpus: number; node: string; redisVersion: string };
  options: Omit<BenchOptions, 'outDir'>;
  configs: Record<string, ConfigResult>;
  redisBenchmark: RedisBenchResult | null;
  ratios: Ratios;
}

export function ratios(configs: Record<string, ConfigResult>, rb: RedisBenchResult | null): Ratios {
  const out: Ratios = {};
  const a = configs.async;
  const h = configs.hybrid;
  const l = configs.legacy;
  const div = (x: number, y: number) => (y > 0 ? x / y : NaN);
  if (a && h) {
    out.hybridVsAsyncCpuPerMove = div(h.serverCpuUsPerMove, a.serverCpuUsPerMove);
    out.hybridVsAsyncThroughput = div(h.movesPerSec, a.movesPerSec);
  }
  if (a && l) {
    out.legacyVsAsyncCpuPerMove = div(l.serverCpuUsPerMove, a.serverCpuUsPerMove);
    out.legacyVsAsyncThroughput = div(l.movesPerSec, a.movesPerSec);
    out.legacyVsAsyncP99 = div(l.ackP99Ms, a.ackP99Ms);
  }
  const x2 = configs['async-x2'];
  if (a && x2) {
    out.twoInstancesVsOneCpuPerMove = div(x2.serverCpuUsPerMove, a.serverCpuUsPerMove);
    out.twoInstancesVsOneThroughput = div(x2.movesPerSec, a.movesPerSec);
  }
  if (rb) {
    out.movesVsRedisLimit = Object.fromEntries(
      Object.values(configs).map((c) => [c.config, div(c.movesPerSec, rb.opsPerSec)]),
    );
  }
  return out;
}

type Row = [string, (c: ConfigResult) => number, number, string?];
const ROWS: Row[] = [
  ['play_card throughput (moves/s)', (c) => c.movesPerSec, 0],
  ['ack latency p50 (ms)', (c) => c.ackP50Ms, 1],
  ['ack latency p95 (ms)', (c) => c.ackP95Ms, 1],
  ['ack latency p99 (ms)', (c) => c.ackP99Ms, 1],
  ['ack latency max (ms)', (c) => c.ackMaxMs, 1],
  ['event-loop delay p99 (ms)', (c) => c.eventLoopP99Ms, 1],
  ['server CPU per move (µs)', (c) => c.serverCpuUsPerMove, 0],
  ['Redis commands sent per move', (c) => c.redisSentPerMove, 2],
  ['Redis commands executed per move', (c) => c.redisCommandsPerMove, 1],
  ['Redis CPU per move (µs)', (c) => c.redisCpuUsPerMove, 0],
  ['Redis memory per room (KB, INFO)', (c) => c.redisMemPerRoomKb, 1],
  ['Redis key bytes per room (KB)', (c) => c.redisKeyBytesPerRoomKb, 1],
  ['server RSS per player (KB)', (c) => c.serverRssPerPlayerKb, 1],
  ['server RSS under load (MB)', (c) => c.serverRssMb, 0],
  ['server CPU (cores)', (c) => c.serverCpuCores, 2],
  ['load generator CPU (cores)', (c) => c.loadgenCpuCores, 2],
  ['Redis CPU (cores)', (c) => c.redisCpuCores, 2],
  ['moves measured', (c) => c.moves, 0],
  ['spectators per table', (c) => c.spectatorsPerTable, 0],
  ['spectator state pushes/s', (c) => c.spectatorStatesPerSec, 0],
  ['errors / stalls', (c) => c.errors, 0],
];

function fmt(n: number | undefined, digits: number): string {
  if (n === undefined || !Number.isFinite(n)) return '–';
  return n.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** Rows of cells: the header, then one row per figure, then the ratios. */
function cells(report: BenchReport): { table: string[][]; notes: string[] } {
  const configs = Object.values(report.configs);
  const rb = report.redisBenchmark;
  const header = ['figure', ...configs.map((c) => c.config)];
  if (rb) header.push('redis-benchmark');
  const table = [header];
  for (const [name, get, digits] of ROWS) {
    const row = [name, ...configs.map((c) => fmt(get(c), digits))];
    if (name === 'errors / stalls') {
      for (let i = 0; i < configs.length; i++)
        row[i + 1] = `${configs[i]!.errors} / ${configs[i]!.stalls}`;
    }
    if (rb) {
      const rbCell: Record<string, string> = {
        'play_card throughput (moves/s)': `${fmt(rb.opsPerSec, 0)} EVALSHA/s`,
        'ack latency p50 (ms)': fmt(rb.p50Ms, 2),
        'ack latency p95 (ms)': fmt(rb.p95Ms, 2),
        'ack latency p99 (ms)': fmt(rb.p99Ms, 2),
        'ack latency max (ms)': fmt(rb.maxMs, 2),
        'Redis CPU per move (µs)': fmt(rb.redisCpuUsPerOp, 0),
        'moves measured': fmt(rb.requests, 0),
      };
      row.push(rbCell[name] ?? '');
    }
    table.push(row);
  }
  const r = report.ratios;
  const notes: string[] = [];
  const x = (v: number | undefined) =>
    v === undefined || !Number.isFinite(v) ? '–' : `${v.toFixed(2)}×`;
  if (r.hybridVsAsyncCpuPerMove !== undefined) {
    notes.push(
      `hybrid / async: CPU per move ${x(r.hybridVsAsyncCpuPerMove)}, throughput ${x(r.hybridVsAsyncThroughput)}`,
    );
  }
  if (r.legacyVsAsyncCpuPerMove !== undefined) {
    notes.push(
      `legacy / async: CPU per move ${x(r.legacyVsAsyncCpuPerMove)}, throughput ${x(r.legacyVsAsyncThroughput)}, p99 ${x(r.legacyVsAsyncP99)}`,
    );
  }
  if (r.twoInstancesVsOneCpuPerMove !== undefined) {
    notes.push(
      `async on 2 instances / on 1: CPU per move (both together) ${x(r.twoInstancesVsOneCpuPerMove)}, throughput ${x(r.twoInstancesVsOneThroughput)}`,
    );
  }
  if (r.movesVsRedisLimit && rb) {
    const parts = Object.entries(r.movesVsRedisLimit).map(
      ([name, v]) => `${name} ${(v * 100).toFixed(0)}%`,
    );
    notes.push(
      `server moves/s vs redis-benchmark ${fmt(rb.opsPerSec, 0)} EVALSHA/s of the move script: ${parts.join(', ')}`,
    );
  }
  if (rb) {
    notes.push(
      `redis-benchmark: ${rb.requests} EVALSHA of COMMIT_ROOM (one move's arguments, ${rb.changeBytes} B), ${rb.clients} clients`,
    );
  }
  return { table, notes };
}

export function renderConsole(report: BenchReport): string {
  const { table, notes } = cells(report);
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ');
  const out = [line(table[0]!), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const row of table.slice(1)) out.push(line(row));
  out.push('', ...notes);
  return out.join('\n');
}

export function renderMarkdown(report: BenchReport): string {
  const { table, notes } = cells(report);
  const o = report.options;
  const md = [
    `# Benchmark ${report.startedAt}`,
    '',
    `${report.host.cpus} CPUs, Node ${report.host.node}, Redis ${report.host.redisVersion}; ` +
      `${o.players} players at ${o.rooms} tables` +
      (o.spectators > 0 ? ` with ${o.spectators} spectators each` : '') +
      `, ${o.instances} instance(s) per configuration (async-x2: 2), ` +
      `${o.durationS} s measured after ${o.warmupS} s warm-up` +
      (o.repeat > 1 ? `, median of ${o.repeat} runs` : '') +
      '.',
    '',
    `| ${table[0]!.join(' | ')} |`,
    `| ${table[0]!.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...table.slice(1).map((row) => `| ${row.join(' | ')} |`),
    '',
    ...notes.map((n) => `- ${n}`),
    '',
  ];
  return md.join('\n');
}

/** The median of each numeric figure over repeated runs of one configuration. */
export function medianResult(runs: ConfigResult[]): ConfigResult {
  const first = runs[0]!;
  if (runs.length === 1) return first;
  const median = (values: number[]) => {
    const s = [...values].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  };
  const out: Record<string, unknown> = { ...first, runs: runs.length };
  for (const [key, value] of Object.entries(first)) {
    if (typeof value === 'number' && key !== 'runs') {
      out[key] = median(runs.map((r) => r[key as keyof ConfigResult] as number));
    }
  }
  const names = new Set(runs.flatMap((r) => Object.keys(r.commandsPerMove)));
  out.commandsPerMove = Object.fromEntries(
    [...names].map((n) => [n, median(runs.map((r) => r.commandsPerMove[n] ?? 0))]),
  );
  return out as unknown as ConfigResult;
}
