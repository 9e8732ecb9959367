// The IPC between the benchmark (parent) and its load generator (a child process of its own, so
// the simulated players never share an event loop with the measurement).

/** Parent → load generator. */
export type ToLoad =
  | {
      type: 'start';
      /** Base URLs of the instances; player i connects to urls[i % urls.length]. */
      urls: string[];
      players: number;
      rooms: number;
      targetScore: number;
      /** Pause before each move, ms (0: closed loop, as fast as acks and pushes allow). */
      thinkMs: number;
      /** Sockets watching each table; spectator s of table t connects to urls[(t + s) % n]. */
      spectators: number;
    }
  /** Starts the measured window: counters and latencies reset. */
  | { type: 'mark' }
  /** Ends the window: answers `stats`. */
  | { type: 'collect' }
  | { type: 'stop' };

/** What the load generator saw in the measured window. */
export interface LoadStats {
  windowMs: number;
  /** Acknowledged play_card (ok: true). */
  moves: number;
  hokms: number;
  /** Acks with ok: false, by error code. */
  errors: Record<string, number>;
  /** Tables that made no progress for a while and were re-synced with get_state. */
  stalls: number;
  matchesCompleted: number;
  roomsCreated: number;
  connected: number;
  /** `state` pushes the spectators received (one per spectator per change). */
  spectatorStates: number;
  /** play_card ack latency, ms. */
  latency: { p50: number; p95: number; p99: number; max: number; mean: number; count: number };
}

/** Load generator → parent. */
export type FromLoad =
  | { type: 'connected'; connected: number; players: number }
  | { type: 'ready'; tables: number; connected: number; roomsCreated: number }
  | { type: 'marked' }
  /** Once a second: acked moves in the last second and in the window so far. */
  | { type: 'progress'; movesLastSecond: number; movesInWindow: number; errors: number }
  | { type: 'stats'; stats: LoadStats }
  | { type: 'fatal'; message: string };
