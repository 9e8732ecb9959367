// The Socket.IO adapter and its Redis connections: built by the redis module, connected at boot,
// reported by /health, closed by app.close(); its publish failures logged, not fatal; its write
// coalescing switched by SOCKET_WRITE_COALESCING. Outages run on a private redis-server.
// @redis-target single: adapter outages on a private redis-server (Cluster: cluster.e2e-spec.ts).
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { Socket } from 'socket.io';
import { io as connect } from 'socket.io-client';
import request from 'supertest';
import type { AppConfig } from '../src/config/app-config';
import { RedisIoAdapter } from '../src/gateway/redis-io.adapter';
import { isCoalesced } from '../src/gateway/socket-write-coalescing';
import { AdapterClients } from '../src/redis/adapter-clients';
import { testConfig } from './support/config';
import { AppContext, createAppContext } from './support/nest';
import { clientNames } from './support/redis-keys';
import { RedisServerHandle, startRedisServer } from './support/redis-server';
import { waitFor } from './support/wait';

const ADAPTER_NAMES = ['hokm:adapter:pub', 'hokm:adapter:sub'];

describe('Socket.IO adapter connections (private redis-server)', () => {
  let server: RedisServerHandle;
  let ctx: AppContext | undefined;

  beforeEach(async () => {
    server = await startRedisServer();
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await ctx?.close({ keepKeys: !server.running });
    ctx = undefined;
    await server.stop();
  });

  const adapterConnections = async () => {
    const observer = new Redis(server.url);
    try {
      return (await clientNames(observer)).filter((n) => n.startsWith('hokm:adapter:')).sort();
    } finally {
      await observer.quit();
    }
  };

  it('connects both at boot, reports them in /health (503 while Redis is down), and closes them with the app', async () => {
    ctx = await createAppContext(testConfig({ REDIS_URL: server.url }));
    expect(await adapterConnections()).toEqual(ADAPTER_NAMES);
    const up = await request(ctx.http).get('/health').expect(200);
    expect(up.body).toMatchObject({
      status: 'ok',
      info: {
        redis: { status: 'up', provider: 'async', path: 'async' },
        redis_adapter: { status: 'up' },
      },
    });

    await server.kill();

    const down = await waitFor(
      '/health to answer 503',
      async () => {
        const res = await request(ctx!.http).get('/health');
        return res.status === 503 ? res : undefined;
      },
      { timeoutMs: 5_000 },
    );
    expect(down.body).toMatchObject({ error: { redis_adapter: { status: 'down' } } });
    expect(JSON.stringify(down.body)).not.toContain(server.url);

    await server.restart();

    const back = await waitFor(
      '/health to answer 200 after the restart',
      async () => {
        const res = await request(ctx!.http).get('/health');
        return res.status === 200 ? res : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    expect(back.body).toMatchObject({ info: { redis_adapter: { status: 'up' } } });
    expect(await adapterConnections()).toEqual(ADAPTER_NAMES);

    await ctx.close();
    ctx = undefined;

    expect(
      await waitFor('the adapter connections to close', async () =>
        (await adapterConnections()).length === 0 ? 'closed' : undefined,
      ),
    ).toBe('closed');
  });

  it('logs a failing push to other instances once per outage, and publishes again after Redis is back', async () => {
    ctx = await createAppContext(testConfig({ REDIS_URL: server.url }));
    const { publisher } = ctx.app.get(AdapterClients);
    // Counted, not printed: the outages below are on purpose.
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const pushFailures = () =>
      errors.mock.calls.filter(([, m]) => m === 'push to other instances failed').length;
    const publishUntil = (what: string, ok: boolean) =>
      waitFor(
        what,
        () =>
          publisher.publish('probe', 'x').then(
            () => ok,
            () => !ok,
          ),
        {
          timeoutMs: 10_000,
          intervalMs: 100,
        },
      );

    await server.kill();
    // As the adapter publishes: fire and forget, several times during one outage.
    for (let i = 0; i < 3; i++) void publisher.publish('probe', 'x');
    await publishUntil('a publish to fail', false);
    expect(pushFailures()).toBe(1);

    await server.restart();
    await publishUntil('a publish to succeed', true);
    await server.kill();
    await publishUntil('a publish to fail again', false);
    expect(pushFailures()).toBe(2);

    // Shutting down while Redis is gone does not wait for it.
    const started = Date.now();
    await ctx.close({ keepKeys: true });
    ctx = undefined;
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});

describe('SOCKET_WRITE_COALESCING', () => {
  /** The adapter over a bare HTTP server, its clients connected as the redis module would. */
  async function serve(config: AppConfig) {
    const clients = new AdapterClients(config);
    await clients.onModuleInit();
    const http: HttpServer = createServer();
    const io = new RedisIoAdapter(http, config, clients).createIOServer(0);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const served = new Promise<Socket>((resolve) => io.once('connection', resolve));
    const client = connect(url, { transports: ['websocket'], forceNew: true });
    const socket = await served;
    return {
      socket,
      async close() {
        client.disconnect();
        await io.close();
        await clients.onApplicationShutdown();
      },
    };
  }

  it.each([
    { value: undefined, coalesced: true },
    { value: 'true', coalesced: true },
    { value: 'false', coalesced: false },
  ])('=$value: a connection is coalesced: $coalesced', async ({ value, coalesced }) => {
    const served = await serve(testConfig({ SOCKET_WRITE_COALESCING: value }));
    try {
      expect(isCoalesced(served.socket.conn)).toBe(coalesced);
    } finally {
      await served.close();
    }
  });
});
