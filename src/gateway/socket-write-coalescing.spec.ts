// Write coalescing leans on engine.io and ws internals. These tests pin what it relies on, against
// the installed versions, on a real Socket.IO server and client over loopback: when an upgrade
// changes those internals, they fail here rather than in production.
import { readFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Socket as NetSocket } from 'node:net';
import { dirname, join } from 'node:path';
import { Socket as EngineSocket, transports } from 'engine.io';
import { Server, type Socket } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import {
  coalesceWrites,
  coalesceWritesOf,
  isCoalesced,
  type EngineConnection,
} from './socket-write-coalescing';

/** The version of `name` as Node resolves it from `from` (a module directory). */
function installedVersion(name: string, from: string): { version: string; dir: string } {
  const main = require.resolve(name, { paths: [from] });
  let dir = dirname(main);
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version: string;
      };
      if (pkg.name === name) return { version: pkg.version, dir };
    } catch {
      // no package.json at this level
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json for ${name}`);
    dir = up;
  }
}

const ROOT = join(__dirname, '..', '..');
const pins = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  }
).dependencies;

interface Served {
  conn: EngineConnection & { transport: { socket?: { _socket?: unknown } } };
  socket: Socket;
}

/** A Socket.IO server on loopback, optionally coalescing, and a way to await its connections. */
async function startServer(coalesce: boolean, options: { perMessageDeflate?: object } = {}) {
  const http: HttpServer = createServer();
  const io = new Server(http, options);
  if (coalesce) coalesceWritesOf(io);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const clients: ClientSocket[] = [];
  return {
    url,
    /** A client on `transports`, and the server side of its connection once connected. */
    async connect(clientTransports: Array<'websocket' | 'polling'>) {
      const served = new Promise<Served>((resolve) =>
        io.once('connection', (socket) =>
          resolve({ socket, conn: socket.conn as unknown as Served['conn'] }),
        ),
      );
      const client = connect(url, { transports: clientTransports, forceNew: true });
      clients.push(client);
      return { client, ...(await served) };
    },
    async close() {
      for (const c of clients) c.disconnect();
      await io.close();
    },
  };
}

/** Counts transport.send calls (their packet counts) and the TCP socket's writes to the kernel. */
function watchWrites(conn: Served['conn']) {
  const sends: number[] = [];
  const transport = conn.transport;
  const send = transport.send.bind(transport);
  transport.send = (packets) => {
    sends.push(packets.length);
    send(packets);
  };
  const tcp = transport.socket?._socket as NetSocket & {
    _write: (...a: unknown[]) => unknown;
    _writev: (...a: unknown[]) => unknown;
  };
  const writes: string[] = [];
  for (const method of ['_write', '_writev'] as const) {
    const original = tcp[method].bind(tcp);
    tcp[method] = (...args: unknown[]) => {
      writes.push(method);
      return original(...args);
    };
  }
  return { sends, writes };
}

/** The next `n` `tick` events the client receives. */
function received(client: ClientSocket, n: number): Promise<number[]> {
  const got: number[] = [];
  return new Promise((resolve) => {
    client.on('tick', (i: number) => {
      got.push(i);
      if (got.length === n) resolve(got);
    });
  });
}

/** Emits `n` events in one tick of the event loop (a fresh one: nothing else is pending). */
function emitInOneTick(socket: Socket, n: number): Promise<void> {
  return new Promise((resolve) =>
    setImmediate(() => {
      for (let i = 0; i < n; i++) socket.emit('tick', i);
      resolve();
    }),
  );
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('socket write coalescing', () => {
  it('runs on the pinned engine.io and ws, the copies socket.io itself loads', () => {
    const socketIoDir = installedVersion('socket.io', ROOT).dir;
    const engine = installedVersion('engine.io', socketIoDir);
    const ws = installedVersion('ws', engine.dir);

    expect(engine.version).toBe(pins['engine.io']);
    expect(ws.version).toBe(pins.ws);
    // The engine.io this spec imports is the one socket.io runs.
    expect(engine.dir).toBe(installedVersion('engine.io', ROOT).dir);
  });

  it('relies on engine.io queueing every packet through Socket#flush, which sends through transport.send', () => {
    const proto = EngineSocket.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
    const sendPacket = String(proto.sendPacket);
    const flush = String(proto.flush);

    expect(typeof proto.flush).toBe('function');
    expect(proto.flush!.length).toBe(0);
    expect(sendPacket).toMatch(/this\.writeBuffer\.push\(packet\)/);
    expect(sendPacket).toMatch(/this\.flush\(\)/);
    expect(flush).toMatch(/this\.transport\.writable/);
    expect(flush).toMatch(/this\.transport\.send\(wbuf\)/);
    // The websocket transport sends an array of packets and keeps the ws socket as `socket`.
    const websocket = transports.websocket as unknown as { prototype: Record<string, unknown> };
    expect(typeof websocket.prototype.send).toBe('function');
    expect(String(websocket.prototype.send)).toMatch(/send\(packets\)/);
  });

  it("without it, engine.io writes a tick's first packet alone and the rest after it (what it fixes)", async () => {
    const server = await startServer(false);
    try {
      const { client, socket, conn } = await server.connect(['websocket']);
      const writes = watchWrites(conn);
      const got = received(client, 5);

      await emitInOneTick(socket, 5);

      expect(await got).toEqual([0, 1, 2, 3, 4]);
      expect(isCoalesced(conn)).toBe(false);
      expect(writes.sends[0]).toBe(1);
      expect(writes.sends.length).toBeGreaterThan(1);
      expect(writes.writes.length).toBeGreaterThan(1);
    } finally {
      await server.close();
    }
  });

  it("with it, a tick's packets leave in one transport.send and one write to the TCP socket, in order", async () => {
    const server = await startServer(true);
    try {
      const { client, socket, conn } = await server.connect(['websocket']);
      // ws keeps the TCP socket as `_socket`: what the frames are written to.
      expect(conn.transport.socket?._socket).toBeInstanceOf(NetSocket);
      await settle();
      const writes = watchWrites(conn);
      const got = received(client, 5);

      await emitInOneTick(socket, 5);

      expect(await got).toEqual([0, 1, 2, 3, 4]);
      expect(isCoalesced(conn)).toBe(true);
      expect(writes.sends).toEqual([5]);
      // The five frames built into one buffer: one plain write.
      expect(writes.writes).toEqual(['_write']);
    } finally {
      await server.close();
    }
  });

  it("relies on the websocket transport's last-write callback and ws's idle sender", async () => {
    const server = await startServer(true);
    try {
      const { conn } = await server.connect(['websocket']);
      const transport = conn.transport as unknown as {
        _onSentLast?: unknown;
        opts?: { perMessageDeflate?: unknown };
        socket: { readyState: number; _sender: { _state: unknown; _queue: unknown } };
      };

      expect(typeof transport._onSentLast).toBe('function');
      // The server's transport options, where coalescing reads whether frames are compressed.
      expect(Object.keys(transport.opts ?? {})).toContain('perMessageDeflate');
      expect(transport.opts?.perMessageDeflate).toBeFalsy();
      expect(transport.socket.readyState).toBe(1);
      expect(transport.socket._sender._state).toBe(0);
      expect(transport.socket._sender._queue).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('delivers long, unicode, broadcast and acknowledged packets of one tick intact and in order', async () => {
    const server = await startServer(true);
    try {
      const { client, socket, conn } = await server.connect(['websocket']);
      await settle();
      void socket.join('table');
      socket.on('ask', (n: number, ack: (answer: string) => void) => ack(`answer ${n}`));
      const writes = watchWrites(conn);
      const long = `${'x'.repeat(70_000)} Zoë \u{1F0A1} حکم`;
      const events: unknown[] = [];
      const all = new Promise<void>((resolve) => {
        client.on('long', (text: string) => events.push(text === long ? 'long' : 'garbled'));
        client.on('everyone', (n: number) => events.push(`everyone ${n}`));
        client.on('last', () => resolve());
      });
      const answer = client.emitWithAck('ask', 7);

      await new Promise<void>((resolve) =>
        setImmediate(() => {
          socket.emit('long', long);
          socket.nsp.to('table').emit('everyone', 1);
          socket.emit('last');
          resolve();
        }),
      );

      await all;
      expect(events).toEqual(['long', 'everyone 1']);
      expect(await answer).toBe('answer 7');
      expect(writes.writes.every((w) => w === '_write')).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('leaves binary packets and compressed connections to ws, corked', async () => {
    const cases = [
      // A binary emit is two engine.io packets: the placeholder and the attachment.
      { name: 'binary', options: {}, bytes: true, packets: 3 },
      {
        name: 'compressed',
        options: { perMessageDeflate: { threshold: 0 } },
        bytes: false,
        packets: 2,
      },
    ];
    for (const { name, options, bytes, packets } of cases) {
      const server = await startServer(true, options);
      try {
        const { client, socket, conn } = await server.connect(['websocket']);
        await settle();
        const writes = watchWrites(conn);
        const got: unknown[] = [];
        const both = new Promise<void>((resolve) => {
          const take = (value: unknown) => {
            got.push(value);
            if (got.length === 2) resolve();
          };
          client.on('tick', take);
          client.on('bytes', (b: ArrayBuffer) => take([...new Uint8Array(b)]));
        });

        await new Promise<void>((resolve) =>
          setImmediate(() => {
            socket.emit('tick', 0);
            if (bytes) socket.emit('bytes', Buffer.from([1, 2, 3]));
            else socket.emit('tick', 1);
            resolve();
          }),
        );

        await both;
        expect([name, got]).toEqual([name, [0, bytes ? [1, 2, 3] : 1]]);
        expect([name, writes.sends]).toEqual([name, [packets]]);
        // ws's own frames (header and payload, corked): never one buffer of frames built here.
        // Compressed frames leave as ws finishes each one, so they may take a writev each.
        expect(writes.writes.length).toBeGreaterThan(0);
        expect([name, writes.writes.filter((w) => w !== '_writev')]).toEqual([name, []]);
        if (bytes) expect(writes.writes).toEqual(['_writev']);
      } finally {
        await server.close();
      }
    }
  });

  it('after an upgrade from polling, the websocket transport is corked too', async () => {
    const server = await startServer(true);
    try {
      const { client, socket, conn } = await server.connect(['polling', 'websocket']);
      await new Promise<void>((resolve) => {
        if (conn.transport.name === 'websocket') resolve();
        else conn.on('upgrade', () => resolve());
      });
      await settle();
      const writes = watchWrites(conn);
      const got = received(client, 5);

      await emitInOneTick(socket, 5);

      expect(await got).toEqual([0, 1, 2, 3, 4]);
      expect(conn.transport.name).toBe('websocket');
      expect(writes.sends).toEqual([5]);
      expect(writes.writes).toEqual(['_write']);
    } finally {
      await server.close();
    }
  });

  it('leaves alone a connection without the internals it needs', () => {
    const conn = { transport: { name: 'websocket', send: () => undefined } };

    expect(coalesceWrites(conn as unknown as EngineConnection)).toBe(false);
    expect(isCoalesced(conn)).toBe(false);
  });
});
