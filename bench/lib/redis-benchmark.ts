// The Redis limit: `redis-benchmark` running the store's commit (move) script with the arguments
// of a real move, on keys of its own prefix, deleted afterwards.
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { chooseBotAction } from '../../src/game-state/domain/bot';
import { seededRng } from '../../src/game-state/domain/rng';
import { applyOk, roomWith } from '../../src/game-state/domain/testing';
import type { RoomState } from '../../src/game-state/domain/types';
import { diffRoom } from '../../src/game-state/room-diff';
import { KeySpace } from '../../src/redis/keys';
import { COMMIT_ROOM } from '../../src/redis/lua-scripts';
import { commitArguments } from '../../src/redis/store-codecs';
import { deleteUnder } from './redis-stats';

const REDIS_BENCHMARK = process.env.REDIS_BENCHMARK_BIN ?? '/usr/bin/redis-benchmark';

export interface RedisBenchResult {
  opsPerSec: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  requests: number;
  clients: number;
  /** Bytes of the arguments (the move's diff, the match JSON, ...) sent with every EVALSHA. */
  changeBytes: number;
  /** redis-server CPU per EVALSHA, µs (INFO cpu delta ÷ requests). */
  redisCpuUsPerOp: number;
}

/** A room mid-hand, and the change one more card makes: what the commit script gets per move. */
export function representativeMove(): { before: RoomState; after: RoomState } {
  const rng = seededRng(7);
  let state = roomWith(4, rng);
  // Play into the hand: the hokm, then 9 cards (two full tricks and one card of the third).
  for (let i = 0; i < 10; i++) {
    const turn = state.match?.turn;
    const action = turn ? chooseBotAction(state, turn) : null;
    if (!action) throw new Error('representative game ended early');
    state = applyOk(state, action, rng).state;
  }
  const turn = state.match!.turn!;
  const after = applyOk(state, chooseBotAction(state, turn)!, rng).state;
  return { before: state, after };
}

/**
 * The figures of redis-benchmark --csv: a header line, then one line whose first column is the
 * command itself (it holds the change JSON, quotes and all), so the numbers are read from the end.
 */
function parseCsv(text: string): Record<string, number> {
  const lines = text.split(/\r?\n/).filter((l) => l.trim());
  const header = [...(lines[0] ?? '').matchAll(/"([^"]*)"/g)].map((m) => m[1]!).slice(1);
  const values = [...(lines[lines.length - 1] ?? '').matchAll(/,"([0-9.]+)"/g)]
    .map((m) => Number(m[1]))
    .slice(-header.length);
  return Object.fromEntries(header.map((name, i) => [name, values[i] ?? NaN]));
}

export async function runRedisBenchmark(
  redisUrl: string,
  prefix: string,
  requests: number,
  clients: number,
): Promise<RedisBenchResult> {
  const url = new URL(redisUrl);
  const redis = new Redis(redisUrl);
  try {
    const sha = (await redis.script('LOAD', COMMIT_ROOM)) as string;
    const keySpace = new KeySpace(prefix);
    const keys = keySpace.room('RBENCH');
    // The keys as the store passes them outside a Cluster: the room's six and the index.
    const scriptKeys = [
      keys.room,
      keys.players,
      keys.match,
      keys.commits,
      keys.journal,
      keys.spectators,
      keySpace.activeRooms,
    ];
    const { before, after } = representativeMove();
    // The room the commits land on, as the store creates it.
    await redis.evalsha(
      sha,
      scriptKeys.length,
      ...scriptKeys,
      ...commitArguments(
        'create',
        'RBENCH',
        -1,
        {
          meta: { phase: before.phase, targetScore: before.targetScore, hostId: before.hostId },
          upsertPlayers: before.players,
          match: before.match,
        },
        'rb-create',
        3600,
      ),
    );
    // One move's write, as GameStateService sends it: the diff, the match pre-encoded.
    const change = diffRoom(before, after);
    const argv = commitArguments('update', 'RBENCH', -1, change, 'rb-__rand_int__', 3600).map(
      String,
    );
    const cpuBefore = await redisCpu(redis);
    // Expected version -1 (any): every call commits, as a move that wins its compare-and-set.
    // A fresh random commit id each call, so the idempotency check never short-cuts.
    const args = [
      '-h',
      url.hostname || '127.0.0.1',
      '-p',
      url.port || '6379',
      ...(url.password ? ['-a', decodeURIComponent(url.password)] : []),
      '-c',
      String(clients),
      '-n',
      String(requests),
      '-r',
      '1000000000000',
      '--csv',
      'EVALSHA',
      sha,
      String(scriptKeys.length),
      ...scriptKeys,
      ...argv,
    ];
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(REDIS_BENCHMARK, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.once('error', reject);
      child.once('exit', (code) =>
        code === 0 ? resolve(out) : reject(new Error(`redis-benchmark exited ${code}: ${err}`)),
      );
    });
    const cpuAfter = await redisCpu(redis);
    const figures = parseCsv(output);
    const col = (name: string) => figures[name] ?? NaN;
    return {
      opsPerSec: col('rps'),
      p50Ms: col('p50_latency_ms'),
      p95Ms: col('p95_latency_ms'),
      p99Ms: col('p99_latency_ms'),
      maxMs: col('max_latency_ms'),
      requests,
      clients,
      changeBytes: argv.reduce((sum, a) => sum + Buffer.byteLength(a), 0),
      redisCpuUsPerOp: ((cpuAfter - cpuBefore) / requests) * 1e6,
    };
  } finally {
    await deleteUnder(redis, prefix).catch(() => undefined);
    await redis.quit();
  }
}

async function redisCpu(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const get = (k: string) => Number(new RegExp(`^${k}:([0-9.]+)`, 'm').exec(info)?.[1] ?? 0);
  return get('used_cpu_user') + get('used_cpu_sys');
}
