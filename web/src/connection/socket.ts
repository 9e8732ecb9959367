// The one Socket.IO connection to the game namespace: typed requests that always resolve with an
// ack, typed pushes, and the connection's own events. Knows nothing about screens or seats.
import { GAME_NAMESPACE } from '../../../src/protocol/hokm-protocol.js';
import type {
  Ack,
  ClientRequests,
  PushEvent,
  RequestEvent,
  ServerPushes,
} from '../../../src/protocol/hokm-protocol.js';
import type { ManagerOptions, Socket, SocketOptions } from 'socket.io-client';

/** Served by the app itself at /socket.io/socket.io.js (a classic script that defines `io`). */
declare const io: (uri: string, options?: Partial<ManagerOptions & SocketOptions>) => Socket;

const REQUEST_TIMEOUT_MS = 10_000;

/** What a request's ack carries when it is ok. */
export type AckData<E extends RequestEvent> = ClientRequests[E][1];

/** How the connection is doing, for whoever keeps the seat. */
export interface ConnectionEvents {
  opened(): void;
  /** A connection attempt failed (the server is unreachable); Socket.IO retries. */
  failed(): void;
  /** `byServer`: the server closed us (e.g. a restart), and Socket.IO will not retry. */
  closed(byServer: boolean): void;
}

let socket: Socket | undefined;

function live(): Socket {
  if (!socket) throw new Error('openConnection() has not been called');
  return socket;
}

/** Connects (once per page); Socket.IO reconnects on its own after a drop it did not expect. */
export function openConnection(events: ConnectionEvents): void {
  if (socket) return;
  socket = io(GAME_NAMESPACE, {
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
  });
  socket.on('connect', () => events.opened());
  socket.on('connect_error', () => events.failed());
  socket.on('disconnect', (reason: string) => events.closed(reason === 'io server disconnect'));
}

/** Listens to one of the server's pushes. */
export function onPush<E extends PushEvent>(
  event: E,
  handler: (payload: ServerPushes[E]) => void,
): void {
  // The untyped socket takes any listener for a non-reserved name; `handler` fixes the type.
  const name: string = event;
  live().on(name, handler as (payload: unknown) => void);
}

/** Sends a request and resolves with its ack (a timeout becomes an error ack, never a throw). */
export function request<E extends RequestEvent>(
  event: E,
  payload: ClientRequests[E][0],
): Promise<Ack<AckData<E>>> {
  return new Promise((resolve) => {
    live()
      .timeout(REQUEST_TIMEOUT_MS)
      .emit(event, payload, (err: Error | null, ack: Ack<AckData<E>> | undefined) => {
        if (err || !ack) {
          resolve({
            ok: false,
            error: { code: 'SERVICE_UNAVAILABLE', message: 'The server did not answer in time.' },
          });
        } else {
          resolve(ack);
        }
      });
  });
}

export function isConnected(): boolean {
  return live().connected;
}

/** Opens the connection again after it was closed (by the server, or by `restartConnection`). */
export function reconnect(): void {
  live().connect();
}

/** A fresh connection: the server drops whatever the old one was bound to (a seat). */
export function restartConnection(): void {
  live().disconnect().connect();
}
