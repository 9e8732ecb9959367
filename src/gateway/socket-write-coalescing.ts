import type { Server } from 'socket.io';

/**
 * Write coalescing for engine.io connections. It relies on internals of engine.io 6.6 and ws 8
 * (pinned in package.json; socket-write-coalescing.spec.ts fails when they change) and is turned
 * off with SOCKET_WRITE_COALESCING=false.
 */

/** The parts of an engine.io connection (socket.conn) that coalesceWrites touches. */
export interface EngineConnection {
  flush(): void;
  transport: EngineTransport;
  on(event: 'upgrade', listener: () => void): unknown;
}

/** The parts of an engine.io transport that coalesceWrites touches. */
export interface EngineTransport {
  name: string;
  send(packets: unknown[]): void;
  /** websocket transport: the `ws` socket, whose `_socket` is the TCP socket. */
  socket?: { _socket?: { cork(): void; uncork(): void } };
}

const COALESCED = Symbol('hokm.coalesced');
const CORKED = Symbol('hokm.corked');

/**
 * Coalesces the writes of one connection. By default engine.io writes the first packet of a tick
 * at once and each later one as its own WebSocket frame and its own syscall; a move sends every
 * seated player an event and a `state` push (the mover an ack too), so that was ~10 writes per
 * move. Here the packets of a tick leave together at its end (process.nextTick), in one corked
 * write per connection. Order is unchanged; only the syscalls are fewer. Feature-detected:
 * without the engine.io internals it relies on, the connection is left as it is.
 */
export function coalesceWrites(conn: EngineConnection): boolean {
  if (typeof conn.flush !== 'function' || typeof conn.on !== 'function') return false;
  const flushNow = conn.flush.bind(conn);
  let scheduled = false;
  const flushAtEndOfTick = () => {
    scheduled = false;
    flushNow();
  };
  conn.flush = () => {
    if (scheduled) return;
    scheduled = true;
    process.nextTick(flushAtEndOfTick);
  };
  const cork = () => {
    const transport = conn.transport as EngineTransport & { [CORKED]?: true };
    const tcp = transport?.socket?._socket;
    if (transport?.name !== 'websocket' || transport[CORKED] || typeof tcp?.cork !== 'function') {
      return;
    }
    transport[CORKED] = true;
    const send = transport.send.bind(transport);
    transport.send = (packets) => {
      if (packets.length < 2) return send(packets);
      tcp.cork();
      try {
        send(packets);
      } finally {
        tcp.uncork();
      }
    };
  };
  cork();
  conn.on('upgrade', cork);
  (conn as EngineConnection & { [COALESCED]?: true })[COALESCED] = true;
  return true;
}

/** Coalesces the writes of every connection the server accepts from now on. */
export function coalesceWritesOf(server: Server): void {
  server.engine?.on('connection', (conn: EngineConnection) => coalesceWrites(conn));
}

/** Whether coalesceWrites took over this connection's writes. */
export function isCoalesced(conn: object): boolean {
  return (conn as { [COALESCED]?: true })[COALESCED] === true;
}
