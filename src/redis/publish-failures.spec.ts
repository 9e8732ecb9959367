// The publisher view the Socket.IO adapter gets, on a real ioredis client whose Redis is gone
// (a port nothing listens on). Recovery after an outage is covered end to end in
// test/socket-adapter.e2e-spec.ts, on a redis-server that is killed and restarted.
import { createServer, type AddressInfo } from 'node:net';
import { Cluster, Redis } from 'ioredis';
import { withPublishFailuresLogged } from './publish-failures';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('withPublishFailuresLogged', () => {
  let client: Redis;

  beforeEach(async () => {
    // Without an offline queue a publish fails at once, as it does during an outage.
    client = new Redis({
      host: '127.0.0.1',
      port: await closedPort(),
      lazyConnect: true,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
  });

  afterEach(() => {
    if (client.status !== 'end') client.disconnect();
  });

  it('logs failed publishes once per outage and hands the caller the same rejection', async () => {
    const logged: unknown[] = [];
    const view = withPublishFailuresLogged(client, (error) => logged.push(error));

    const first = view.publish('channel', 'a');
    await expect(first).rejects.toThrow(/enableOfflineQueue/);
    await expect(view.spublish('channel', 'b')).rejects.toThrow();
    await expect(view.publish('channel', 'c')).rejects.toThrow();

    expect(logged).toHaveLength(1);
    expect(String(logged[0])).toMatch(/^Error: Stream isn't writeable/);
  });

  it('turns an ignored failed publish into a log line, not an unhandled rejection', async () => {
    const logged: unknown[] = [];
    const view = withPublishFailuresLogged(client, (error) => logged.push(error));

    // As the adapter does: fire and forget. Jest fails a test in which a rejection goes
    // unhandled (the same call on the bare client does), so getting past this is the proof.
    void view.publish('channel', 'a');
    await flush();

    expect(logged).toHaveLength(1);
  });

  it('leaves the client untouched and reads everything else through to it', () => {
    const view = withPublishFailuresLogged(client, () => undefined);
    const listener = () => undefined;

    expect(client.publish).toBe(Redis.prototype.publish);
    expect(view.publish).not.toBe(Redis.prototype.publish);
    expect(view).toBeInstanceOf(Redis);
    expect(view.status).toBe('wait');
    view.on('message', listener);
    expect(client.listeners('message')).toEqual([listener]);
    view.off('message', listener);
    expect(client.listenerCount('message')).toBe(0);
  });

  it('still looks like a Cluster to the adapter, which tells one apart by isCluster or its constructor', () => {
    const cluster = new Cluster([{ host: '127.0.0.1', port: 1 }], { lazyConnect: true });
    try {
      const view = withPublishFailuresLogged(cluster, () => undefined);

      expect(view.constructor).toBe(cluster.constructor);
      expect(view.isCluster).toBe(true);
      expect(typeof view.nodes).toBe('function');
    } finally {
      cluster.disconnect();
    }
  });
});
