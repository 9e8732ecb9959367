// The async path's and the adapter publisher's connection (TurnPipelinedRedis) on the shared
// Redis: the commands of one event-loop turn are held in the socket and leave together at the
// turn's end, each answered with its own reply, in order.
// @redis-target single: a standalone connection's writes (a Cluster does not pipeline: clusterOptionsFor)
import Redis from 'ioredis';
import { TurnPipelinedRedis } from '../src/redis/turn-pipelined-redis';
import { uniquePrefix } from './support/config';
import { SHARED_REDIS_URL } from './support/redis-target';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('TurnPipelinedRedis', () => {
  const prefix = uniquePrefix('turn-pipelined');
  const options = { lazyConnect: true, enableAutoPipelining: false, enableOfflineQueue: false };
  let held: TurnPipelinedRedis;
  let plain: Redis;

  beforeAll(async () => {
    held = new TurnPipelinedRedis(SHARED_REDIS_URL, options);
    plain = new Redis(SHARED_REDIS_URL, options);
    await Promise.all([held.connect(), plain.connect()]);
  });

  afterAll(async () => {
    const keys = await plain.keys(`${prefix}*`);
    if (keys.length) await plain.del(...keys);
    await Promise.all([held.quit(), plain.quit()]);
  });

  it("holds a turn's commands in the socket until the turn ends, then answers each in order", async () => {
    await nextTurn();
    const replies = Array.from({ length: 50 }, (_, i) =>
      held.set(`${prefix}:k${i}`, String(i)).then(() => held.incr(`${prefix}:k${i}`)),
    );
    const counted = held.incr(`${prefix}:count`);
    // Issued, not written: all of them wait in the corked socket for the end of the turn.
    expect(held.holdingWrites).toBe(true);
    expect(held.stream.writableCorked).toBe(1);
    expect(held.stream.writableLength).toBeGreaterThan(50 * 20);
    await nextTurn();
    expect(held.holdingWrites).toBe(false);
    expect(held.stream.writableCorked).toBe(0);
    // Each INCR went out in a later turn, after its SET's reply.
    expect(await Promise.all(replies)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await counted).toBe(1);
    expect(await plain.get(`${prefix}:k49`)).toBe('50');
  });

  it('writes at once without the hold (the legacy path), for contrast', async () => {
    await nextTurn();
    const reply = plain.set(`${prefix}:plain`, 'x');
    expect(plain.stream.writableCorked).toBe(0);
    expect(plain.stream.writableLength).toBe(0);
    await expect(reply).resolves.toBe('OK');
  });

  it('keeps answering after the connection is dropped and made again', async () => {
    // As the store runs it: a command whose connection drops fails rather than being resent.
    const client = new TurnPipelinedRedis(SHARED_REDIS_URL, {
      ...options,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      retryStrategy: () => 10,
    });
    client.on('error', () => undefined);
    await client.connect();
    await client.set(`${prefix}:again`, '1');
    // A command held when its socket goes fails: it never reached Redis, and is not sent later.
    const lost = client.incr(`${prefix}:again`);
    client.stream.destroy();
    await expect(lost).rejects.toThrow();
    await new Promise<void>((resolve) => client.once('ready', () => resolve()));
    await expect(client.incr(`${prefix}:again`)).resolves.toBe(2);
    await client.quit();
  });
});
