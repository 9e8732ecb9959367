import type { Server } from 'socket.io';
import { textFramesOf, type QueuedPacket } from './websocket-frames';

/**
 * Write coalescing for engine.io connections. It relies on internals of engine.io 6.6 and ws 8
 * (the websocket transport's send and last-write callback, ws's TCP socket and its sender's
 * state; pinned in package.json; socket-write-coalescing.spec.ts fails when they change) and is
 * turned off with SOCKET_WRITE_COALESCING=false.
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
  /** Cleared while a send is being written; engine.io's Socket#flush waits for it. */
  writable?: boolean;
  /** The server's transport options: with permessage-deflate on, frames are ws's to compress. */
  opts?: { perMessageDeflate?: unknown };
  /** websocket transport: the callback of a send's last write (emits `drain`, then `ready`). */
  _onSentLast?: (error?: Error | null) => void;
  /** websocket transport: the `ws` socket, whose `_socket` is the TCP socket. */
  socket?: WsSocket;
}

/** The parts of a `ws` WebSocket that the frame writing checks and writes through. */
interface WsSocket {
  readyState?: number;
  /** ws's Sender: frames written by it directly while `_state` is 0 and nothing is queued. */
  _sender?: { _state?: number; _queue?: unknown[] };
  _socket?: {
    cork(): void;
    uncork(): void;
    write(data: Buffer, callback: (error?: Error | null) => void): boolean;
  };
}

const WS_OPEN = 1;
const WS_SENDER_IDLE = 0;

const COALESCED = Symbol('hokm.coalesced');
const SENDS_TAKEN = Symbol('hokm.sendsTaken');

/**
 * Coalesces the writes of one connection. By default engine.io writes the first packet of a tick
 * at once and each later one as its own WebSocket frame and its own syscall; a move sends every
 * seated player an event and a `state` push (the mover an ack too), so that was ~10 writes per
 * move. Here the packets of a tick leave together at its end (process.nextTick), in one write per
 * connection: their frames built into one buffer (textFramesOf) while ws's sender is idle and the
 * packets are text, else ws's own frames in one corked write. Order and bytes are unchanged; only
 * the syscalls and the per-frame work are fewer. Feature-detected: without the engine.io
 * internals it relies on, the connection is left as it is.
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
  // The websocket transport's sends (at the connection's start or after an upgrade from polling).
  const takeSends = () => {
    const transport = conn.transport as EngineTransport & { [SENDS_TAKEN]?: true };
    const tcp = transport?.socket?._socket;
    if (
      transport?.name !== 'websocket' ||
      transport[SENDS_TAKEN] ||
      typeof tcp?.cork !== 'function'
    ) {
      return;
    }
    transport[SENDS_TAKEN] = true;
    const send = transport.send.bind(transport);
    const ws = transport.socket!;
    // Without the transport's last-write callback, frames are left to ws.
    const onSent = typeof transport._onSentLast === 'function' ? transport._onSentLast : null;
    transport.send = (packets) => {
      const frames =
        onSent && writesDirectly(transport, ws) ? textFramesOf(packets as QueuedPacket[]) : null;
      if (frames !== null) {
        // As the transport's own send: not writable until the write is done, then its callback.
        transport.writable = false;
        tcp.write(frames, onSent!);
        return;
      }
      if (packets.length < 2) return send(packets);
      tcp.cork();
      try {
        send(packets);
      } finally {
        tcp.uncork();
      }
    };
  };
  takeSends();
  conn.on('upgrade', takeSends);
  (conn as EngineConnection & { [COALESCED]?: true })[COALESCED] = true;
  return true;
}

/**
 * Whether frames may go to the TCP socket directly: the WebSocket is open, nothing is compressed
 * (engine.io's transport options say so; an engine.io without them gets ws's frames), and ws's
 * sender writes at once (it queues only while it compresses or reads a Blob), so a
 * direct write cannot overtake one of its frames.
 */
function writesDirectly(transport: EngineTransport, ws: WsSocket): boolean {
  return (
    transport.opts !== undefined &&
    !transport.opts.perMessageDeflate &&
    ws.readyState === WS_OPEN &&
    ws._sender?._state === WS_SENDER_IDLE &&
    ws._sender._queue?.length === 0
  );
}

/** Coalesces the writes of every connection the server accepts from now on. */
export function coalesceWritesOf(server: Server): void {
  server.engine?.on('connection', (conn: EngineConnection) => coalesceWrites(conn));
}

/** Whether coalesceWrites took over this connection's writes. */
export function isCoalesced(conn: object): boolean {
  return (conn as { [COALESCED]?: true })[COALESCED] === true;
}
