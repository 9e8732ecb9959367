// What Redis says about itself: INFO commandstats / memory / cpu, and the benchmark's own keys.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import * as sourceScripts from '../../src/redis/lua-scripts';

export interface RedisSnapshot {
  /** calls by command name (lower case), from INFO commandstats. */
  calls: Record<string, number>;
  usedMemory: number;
  /** used_cpu_user + used_cpu_sys of the redis-server process, seconds. */
  cpuS: number;
}

/** Commands the benchmark itself sends while it measures: not the server's work. */
const OWN_COMMANDS = new Set(['info']);

/**
 * Commands run inside the room scripts (LOAD_ROOM, COMMIT_ROOM) of the build under test: counted
 * by commandstats, but sent by no one. (CLAIM_TIMERS runs twice a second per instance and calls
 * ZADD only for due timers, which a benchmark has none of.)
 */
export function scriptInternalCommands(mainJs: string | null): Set<string> {
  let scripts: { LOAD_ROOM: string; COMMIT_ROOM: string } = sourceScripts;
  // Resolved: a relative --main (dist/main.js) is not a path require() takes as one.
  const built = mainJs ? join(dirname(resolve(mainJs)), 'redis', 'lua-scripts.js') : null;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (built && existsSync(built)) scripts = require(built) as typeof scripts;
  return new Set(
    [...`${scripts.LOAD_ROOM}\n${scripts.COMMIT_ROOM}`.matchAll(/redis\.call\('([A-Za-z]+)'/g)].map(
      (m) => m[1]!.toLowerCase(),
    ),
  );
}

function parseInfo(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out.set(line.slice(0, i), line.slice(i + 1));
  }
  return out;
}

export async function snapshotRedis(redis: Redis): Promise<RedisSnapshot> {
  const [stats, memory, cpu] = await Promise.all([
    redis.info('commandstats'),
    redis.info('memory'),
    redis.info('cpu'),
  ]);
  const calls: Record<string, number> = {};
  for (const [key, value] of parseInfo(stats)) {
    if (!key.startsWith('cmdstat_')) continue;
    const m = /calls=(\d+)/.exec(value);
    if (m) calls[key.slice('cmdstat_'.length)] = Number(m[1]);
  }
  const mem = parseInfo(memory);
  const c = parseInfo(cpu);
  return {
    calls,
    usedMemory: Number(mem.get('used_memory') ?? 0),
    cpuS: Number(c.get('used_cpu_user') ?? 0) + Number(c.get('used_cpu_sys') ?? 0),
  };
}

export interface CommandDelta {
  /** Every command Redis executed (script-internal ones included), benchmark's own excluded. */
  total: number;
  /** Commands clients sent (each EVALSHA once, its internal calls not): round trips' worth. */
  sent: number;
  byCommand: Record<string, number>;
}

export function commandDelta(
  before: RedisSnapshot,
  after: RedisSnapshot,
  internal: Set<string>,
): CommandDelta {
  const byCommand: Record<string, number> = {};
  let total = 0;
  let sent = 0;
  for (const [name, calls] of Object.entries(after.calls)) {
    if (OWN_COMMANDS.has(name)) continue;
    const delta = calls - (before.calls[name] ?? 0);
    if (delta <= 0) continue;
    byCommand[name] = delta;
    total += delta;
    if (!internal.has(name)) sent += delta;
  }
  return { total, sent, byCommand };
}

function escapeGlob(literal: string): string {
  return literal.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const found = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 1000);
    for (const key of keys) found.add(key);
    cursor = next;
  } while (cursor !== '0');
  return [...found];
}

/** Σ MEMORY USAGE of every key under the prefix: the bytes the run's data itself occupies. */
export async function bytesUnder(redis: Redis, prefix: string): Promise<number> {
  const keys = await keysUnder(redis, prefix);
  let total = 0;
  for (let i = 0; i < keys.length; i += 200) {
    const pipeline = redis.pipeline();
    for (const key of keys.slice(i, i + 200)) pipeline.memory('USAGE', key, 'SAMPLES', '0');
    for (const [error, bytes] of (await pipeline.exec()) ?? []) {
      if (!error && typeof bytes === 'number') total += bytes;
    }
  }
  return total;
}

/** Deletes every key under the prefix (SCAN + UNLINK; never FLUSH: the Redis may be shared). */
export async function deleteUnder(redis: Redis, prefix: string): Promise<number> {
  if (!prefix) throw new Error('refusing to delete under an empty prefix');
  const keys = await keysUnder(redis, prefix);
  for (let i = 0; i < keys.length; i += 500) await redis.unlink(...keys.slice(i, i + 500));
  return keys.length;
}
