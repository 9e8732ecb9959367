// `npm run bench -- --smoke`: the benchmark runs end to end (every configuration briefly, and the
// redis-benchmark of the move script) and its JSON report holds every figure. No timing
// thresholds: numbers on a shared machine say nothing here, only that each one was measured.
// @redis-target single: the benchmark chooses its own Redis configurations.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BenchReport, ConfigResult } from '../bench/lib/report';
import { SHARED_REDIS_URL } from './support/config';

const ROOT = resolve(__dirname, '..');

/** The per-configuration figures the report must hold, each a finite number. */
const FIGURES: Array<keyof ConfigResult> = [
  'movesPerSec',
  'ackP50Ms',
  'ackP95Ms',
  'ackP99Ms',
  'ackMaxMs',
  'eventLoopP99Ms',
  'serverCpuUsPerMove',
  'redisCommandsPerMove',
  'redisSentPerMove',
  'redisCpuUsPerMove',
  'redisMemPerRoomKb',
  'redisKeyBytesPerRoomKb',
  'serverRssMb',
  'serverRssPerPlayerKb',
  'serverCpuCores',
  'loadgenCpuCores',
  'redisCpuCores',
];

function runBench(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'bench/run.ts', ...args],
      {
        cwd: ROOT,
        env: { ...process.env, REDIS_URL: SHARED_REDIS_URL, TS_NODE_TRANSPILE_ONLY: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolveRun({ code, output }));
  });
}

describe('benchmark (smoke)', () => {
  let outDir: string;

  beforeAll(() => {
    outDir = mkdtempSync(join(tmpdir(), 'hokm-bench-'));
  });

  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
  });

  it('runs every configuration and the redis-benchmark, and reports every figure', async () => {
    const { code, output } = await runBench(['--smoke', '--duration', '2', '--out', outDir]);
    expect({ code, tail: code === 0 ? '' : output.slice(-3000) }).toEqual({ code: 0, tail: '' });

    const report = JSON.parse(readFileSync(join(outDir, 'latest.json'), 'utf8')) as BenchReport;
    expect(Object.keys(report.configs).sort()).toEqual(['async', 'async-x2', 'hybrid', 'legacy']);
    expect(report.configs['async-x2']!.instances).toBe(2);
    for (const result of Object.values(report.configs)) {
      const figures = Object.fromEntries(FIGURES.map((f) => [f, result[f]]));
      const notFinite = FIGURES.filter((f) => !Number.isFinite(result[f] as number));
      expect({ config: result.config, notFinite, figures }).toEqual({
        config: result.config,
        notFinite: [],
        figures,
      });
      expect(result.moves).toBeGreaterThan(0);
      expect(result.errors).toBe(0);
    }

    const rb = report.redisBenchmark!;
    expect(rb).not.toBeNull();
    for (const value of [rb.opsPerSec, rb.p50Ms, rb.p99Ms, rb.redisCpuUsPerOp]) {
      expect(Number.isFinite(value)).toBe(true);
    }
    expect(rb.opsPerSec).toBeGreaterThan(0);

    const r = report.ratios;
    for (const value of [
      r.hybridVsAsyncCpuPerMove,
      r.legacyVsAsyncCpuPerMove,
      r.hybridVsAsyncThroughput,
      r.legacyVsAsyncThroughput,
      r.twoInstancesVsOneCpuPerMove,
      r.twoInstancesVsOneThroughput,
      ...Object.values(r.movesVsRedisLimit ?? {}),
    ]) {
      expect(Number.isFinite(value)).toBe(true);
    }
    // The same table, for people: markdown beside the JSON, and on stdout.
    expect(readFileSync(join(outDir, 'latest.md'), 'utf8')).toContain('| figure |');
    expect(output).toContain('server CPU per move');
  }, 90_000);
});
