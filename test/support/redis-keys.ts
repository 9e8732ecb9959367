import { Redis } from 'ioredis';

/** Escapes Redis glob metacharacters so a prefix matches only itself. */
export function escapeGlob(literal: string): string {
  return literal.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/** Every key matching a glob pattern, by SCAN (never KEYS). */
export async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const found = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    for (const key of keys) found.add(key);
    cursor = next;
  } while (cursor !== '0');
  return [...found].sort();
}

/**
 * Deletes every key under `prefix` (SCAN MATCH prefix*, then UNLINK) and nothing else; never
 * FLUSHALL, the Redis may be shared. Answers how many keys it removed. An unreachable Redis
 * (e.g. a test's own server already stopped) counts as nothing to clean.
 */
export async function cleanupPrefix(url: string, prefix: string): Promise<number> {
  if (prefix.length === 0) throw new Error('cleanupPrefix refuses an empty prefix');
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
  } catch {
    redis.disconnect();
    return 0;
  }
  try {
    const keys = await scanKeys(redis, `${escapeGlob(prefix)}*`);
    for (let i = 0; i < keys.length; i += 500) await redis.unlink(...keys.slice(i, i + 500));
    return keys.length;
  } finally {
    await redis.quit();
  }
}

/**
 * cleanupPrefix on every node of a Redis Cluster: each master's keys under `prefix`, found by
 * SCAN on that node and unlinked one by one (keys of different slots cannot share a command).
 */
export async function cleanupClusterPrefix(
  nodes: ReadonlyArray<{ host: string; port: number }>,
  prefix: string,
): Promise<number> {
  if (prefix.length === 0) throw new Error('cleanupClusterPrefix refuses an empty prefix');
  const counts = await Promise.all(
    nodes.map(async ({ host, port }) => {
      const redis = new Redis(port, host, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      redis.on('error', () => undefined);
      try {
        await redis.connect();
      } catch {
        redis.disconnect();
        return 0;
      }
      try {
        const keys = await scanKeys(redis, `${escapeGlob(prefix)}*`);
        const unlink = redis.pipeline();
        for (const key of keys) unlink.unlink(key);
        if (keys.length > 0) await unlink.exec();
        return keys.length;
      } finally {
        await redis.quit();
      }
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}

/**
 * Every string stored under `prefix`: key names and every value (strings, hash fields and values,
 * list items, set and sorted-set members), for asserting that a secret appears nowhere.
 */
export async function dumpPrefix(redis: Redis, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for (const key of await scanKeys(redis, `${escapeGlob(prefix)}*`)) {
    out.push(key);
    const type = await redis.type(key);
    if (type === 'string') out.push((await redis.get(key)) ?? '');
    else if (type === 'hash') out.push(...Object.entries(await redis.hgetall(key)).flat());
    else if (type === 'list') out.push(...(await redis.lrange(key, 0, -1)));
    else if (type === 'set') out.push(...(await redis.smembers(key)));
    else if (type === 'zset') out.push(...(await redis.zrange(key, 0, -1)));
    else if (type !== 'none') out.push(`<unreadable ${type}>`);
  }
  return out;
}

/** The `name=` of every connection CLIENT LIST shows (unnamed ones as ''). */
export async function clientNames(redis: Redis): Promise<string[]> {
  const list = (await redis.client('LIST')) as string;
  return list
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => /(?:^| )name=(\S*)/.exec(line)?.[1] ?? '');
}
