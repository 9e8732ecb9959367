// The load generator: simulated players (socket.io-client, websocket transport) that sit down at
// tables of four and play legal Hokm as fast as the server answers. It runs in its own process,
// driven by the benchmark over IPC (see lib/messages.ts).
import { io, type Socket } from 'socket.io-client';
import type { Ack, SeatedGameView, SeatGrant, Suit } from '../src/protocol/hokm-protocol';
import type { FromLoad, LoadStats, ToLoad } from './lib/messages';
import { Spectator } from './lib/spectator';

const SUITS: Suit[] = ['hearts', 'diamonds', 'clubs', 'spades'];
/** A table with no change for this long is re-synced with get_state (a lost push). */
const STALL_MS = 3000;
const REQUEST_TIMEOUT_MS = 15_000;
const CONNECT_BATCH = 50;

const suitOf = (card: string) => card.slice(card.indexOf('_') + 1) as Suit;

function send(message: FromLoad): void {
  process.send?.(message);
}

/** Latencies of the window, in a growable typed array (no per-sample allocation). */
class Samples {
  private data = new Float64Array(1 << 16);
  count = 0;

  add(ms: number): void {
    if (this.count === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.count++] = ms;
  }

  reset(): void {
    this.count = 0;
  }

  summary(): LoadStats['latency'] {
    const sorted = this.data.slice(0, this.count).sort();
    const at = (q: number) =>
      sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0;
    let sum = 0;
    for (const v of sorted) sum += v;
    return {
      p50: at(0.5),
      p95: at(0.95),
      p99: at(0.99),
      max: sorted.length ? sorted[sorted.length - 1]! : 0,
      mean: sorted.length ? sum / sorted.length : 0,
      count: sorted.length,
    };
  }
}

const counters = {
  moves: 0,
  hokms: 0,
  errors: {} as Record<string, number>,
  stalls: 0,
  matchesCompleted: 0,
  roomsCreated: 0,
  movesThisSecond: 0,
};
const latencies = new Samples();
let windowStart = performance.now();
let thinkMs = 0;
let targetScore = 7;
let stopping = false;

function countError(code: string): void {
  counters.errors[code] = (counters.errors[code] ?? 0) + 1;
}

function request<T>(socket: Socket, event: string, payload: unknown): Promise<Ack<T>> {
  return new Promise((resolve) => {
    socket.timeout(REQUEST_TIMEOUT_MS).emit(event, payload, (error: Error | null, ack: Ack<T>) =>
      // No ack: the timeout ran out, or the socket closed first (as every socket does at the stop).
      resolve(
        error ? { ok: false, error: { code: 'INTERNAL_ERROR', message: error.message } } : ack,
      ),
    );
  });
}

class Player {
  view: SeatedGameView | null = null;
  playerId = '';
  private inFlight = false;
  private actedVersion = -1;

  constructor(
    readonly socket: Socket,
    readonly table: Table | null,
    readonly name: string,
  ) {
    socket.on('state', (view: SeatedGameView) => this.onState(view));
  }

  /** A fresh seat: forget the last room's view. */
  seated(grant: SeatGrant): void {
    this.playerId = grant.playerId;
    this.actedVersion = -1;
  }

  onState(view: SeatedGameView): void {
    if (view.you.playerId !== this.playerId) return; // a late push from the previous room
    if (this.view && this.view.roomCode === view.roomCode && view.version < this.view.version)
      return;
    this.view = view;
    this.table?.progressed(view);
    this.maybeAct();
  }

  maybeAct(): void {
    const view = this.view;
    if (stopping || this.inFlight || !view || view.turn !== this.playerId) return;
    if (view.version <= this.actedVersion) return;
    if (view.phase === 'hokm_selection') {
      this.actedVersion = view.version;
      this.run('select_hokm', { suit: chooseHokm(view.you.hand) });
    } else if (view.phase === 'gameplay') {
      this.actedVersion = view.version;
      const card = chooseCard(view);
      if (thinkMs > 0) {
        this.inFlight = true;
        setTimeout(() => {
          this.inFlight = false;
          this.run('play_card', { card });
        }, thinkMs);
      } else {
        this.run('play_card', { card });
      }
    }
  }

  /** Re-reads the room (after an error or a stall) and acts on what it says. */
  async resync(): Promise<void> {
    const ack = await request<SeatedGameView>(this.socket, 'get_state', {});
    if (ack.ok) this.onState(ack.data);
  }

  private run(event: 'select_hokm' | 'play_card', payload: unknown): void {
    this.inFlight = true;
    const started = performance.now();
    this.socket.emit(event, payload, (ack: Ack<unknown>) => {
      this.inFlight = false;
      if (ack.ok) {
        if (event === 'play_card') {
          latencies.add(performance.now() - started);
          counters.moves++;
          counters.movesThisSecond++;
        } else {
          counters.hokms++;
        }
        this.maybeAct();
      } else {
        countError(ack.error.code);
        void this.resync();
      }
    });
  }
}

/** The suit the hakem holds most of among its first five cards. */
function chooseHokm(hand: string[]): Suit {
  const counts = new Map<Suit, number>();
  for (const card of hand) counts.set(suitOf(card), (counts.get(suitOf(card)) ?? 0) + 1);
  let best: Suit = SUITS[0]!;
  for (const suit of SUITS) if ((counts.get(suit) ?? 0) > (counts.get(best) ?? 0)) best = suit;
  return best;
}

/** A legal card: the suit led if held, else anything; a random choice among them. */
function chooseCard(view: SeatedGameView): string {
  const hand = view.you.hand;
  const following = view.ledSuit ? hand.filter((c) => suitOf(c) === view.ledSuit) : [];
  const options = following.length > 0 ? following : hand;
  return options[Math.floor(Math.random() * options.length)]!;
}

/**
 * Four players who create a room, play a match, leave together and start the next one; its
 * spectators watch each new room from its creation on.
 */
class Table {
  players: Player[] = [];
  spectators: Spectator[] = [];
  roomCode = '';
  private lastProgress = performance.now();
  private restarting = false;
  started = false;

  constructor(readonly index: number) {}

  progressed(view: SeatedGameView): void {
    if (view.roomCode !== this.roomCode) return;
    this.lastProgress = performance.now();
    if (view.phase !== 'waiting_for_players') this.started = true;
    if ((view.phase === 'game_over' || view.phase === 'abandoned') && !this.restarting) {
      if (view.phase === 'game_over') counters.matchesCompleted++;
      this.restarting = true;
      void this.restart();
    }
  }

  /** Creates a room with the first player and seats the other three. */
  async form(): Promise<void> {
    const [host, ...guests] = this.players;
    const created = await request<SeatGrant>(host!.socket, 'create_room', {
      name: `h${this.index}`,
      targetScore,
    });
    if (!created.ok) throw new Error(`create_room: ${created.error.code} ${created.error.message}`);
    host!.seated(created.data);
    this.roomCode = created.data.roomCode;
    counters.roomsCreated++;
    // Watching before the others join: spectators see the whole match.
    await Promise.all(this.spectators.map((s) => s.watch(this.roomCode)));
    // Sequential joins: the fourth one starts the match.
    for (const [i, guest] of guests.entries()) {
      const joined = await request<SeatGrant>(guest.socket, 'join', {
        roomCode: this.roomCode,
        name: `g${this.index}-${i}`,
      });
      if (!joined.ok) throw new Error(`join: ${joined.error.code} ${joined.error.message}`);
      guest.seated(joined.data);
    }
    this.lastProgress = performance.now();
    // The state push with the new room may have raced the seat grant: make sure.
    await Promise.all(
      this.players.map((p) =>
        p.view?.roomCode === this.roomCode ? Promise.resolve() : p.resync(),
      ),
    );
  }

  private async restart(): Promise<void> {
    if (stopping) return;
    await Promise.all(this.players.map((p) => request(p.socket, 'leave', {})));
    for (const p of this.players) p.view = null;
    try {
      await this.form();
    } catch (error) {
      // A table forming again when the run stops loses its requests with its sockets: no error.
      if (stopping) return;
      countError('TABLE_RESTART');
      process.stderr.write(`table ${this.index}: ${String(error)}\n`);
    } finally {
      this.restarting = false;
    }
  }

  /** A table silent for a while (a push lost in a race): everyone re-reads the room. */
  checkStall(now: number): void {
    if (this.restarting || !this.roomCode || now - this.lastProgress < STALL_MS) return;
    counters.stalls++;
    this.lastProgress = now;
    for (const p of this.players) void p.resync();
  }
}

const allPlayers: Player[] = [];
const spectatorSockets: Socket[] = [];
const tables: Table[] = [];

function connect(url: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(`${url}/game`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      timeout: 20_000,
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => reject(error));
  });
}

async function start(message: Extract<ToLoad, { type: 'start' }>): Promise<void> {
  thinkMs = message.thinkMs;
  targetScore = message.targetScore;
  for (let t = 0; t < message.rooms; t++) tables.push(new Table(t));
  for (let i = 0; i < message.players; i += CONNECT_BATCH) {
    const batch = [];
    for (let j = i; j < Math.min(message.players, i + CONNECT_BATCH); j++) {
      batch.push(connect(message.urls[j % message.urls.length]!));
    }
    for (const [k, socket] of (await Promise.all(batch)).entries()) {
      const index = i + k;
      const table = tables[Math.floor(index / 4)] ?? null;
      const player = new Player(socket, table, `p${index}`);
      table?.players.push(player);
      allPlayers.push(player);
    }
    send({ type: 'connected', connected: allPlayers.length, players: message.players });
  }
  // Spectators of table t: spectator s on instance (t + s) mod n, as players are spread.
  const watchers = tables.flatMap((table) =>
    Array.from({ length: message.spectators }, (_, s) => ({ table, s })),
  );
  for (let i = 0; i < watchers.length; i += CONNECT_BATCH) {
    const batch = watchers.slice(i, i + CONNECT_BATCH);
    const sockets = await Promise.all(
      batch.map(({ table, s }) => connect(message.urls[(table.index + s) % message.urls.length]!)),
    );
    for (const [k, socket] of sockets.entries()) {
      batch[k]!.table.spectators.push(new Spectator(socket, request));
      spectatorSockets.push(socket);
    }
  }
  // Rooms are formed a few at a time, so the server is not flooded with creates at once.
  const queue = [...tables];
  await Promise.all(
    Array.from({ length: Math.min(20, queue.length) }, async () => {
      for (let table = queue.shift(); table; table = queue.shift()) await table.form();
    }),
  );
  setInterval(() => {
    const now = performance.now();
    for (const table of tables) table.checkStall(now);
  }, 1000).unref();
  setInterval(() => {
    const errors = Object.values(counters.errors).reduce((a, b) => a + b, 0);
    send({
      type: 'progress',
      movesLastSecond: counters.movesThisSecond,
      movesInWindow: counters.moves,
      errors,
    });
    counters.movesThisSecond = 0;
  }, 1000).unref();
  send({
    type: 'ready',
    tables: tables.length,
    connected: allPlayers.length,
    roomsCreated: counters.roomsCreated,
  });
}

function mark(): void {
  counters.moves = 0;
  counters.hokms = 0;
  counters.errors = {};
  counters.stalls = 0;
  counters.matchesCompleted = 0;
  latencies.reset();
  Spectator.states = 0;
  windowStart = performance.now();
  send({ type: 'marked' });
}

function collect(): void {
  const stats: LoadStats = {
    windowMs: performance.now() - windowStart,
    moves: counters.moves,
    hokms: counters.hokms,
    errors: { ...counters.errors },
    stalls: counters.stalls,
    matchesCompleted: counters.matchesCompleted,
    // Every room this run created, all still in Redis (finished rooms live out their TTL).
    roomsCreated: counters.roomsCreated,
    connected: allPlayers.filter((p) => p.socket.connected).length,
    spectatorStates: Spectator.states,
    latency: latencies.summary(),
  };
  send({ type: 'stats', stats });
}

function stop(): void {
  stopping = true;
  for (const p of allPlayers) p.socket.disconnect();
  for (const socket of spectatorSockets) socket.disconnect();
  setTimeout(() => process.exit(0), 200);
}

process.on('message', (message: ToLoad) => {
  switch (message.type) {
    case 'start':
      start(message).catch((error: unknown) => {
        send({ type: 'fatal', message: String(error) });
      });
      break;
    case 'mark':
      mark();
      break;
    case 'collect':
      collect();
      break;
    case 'stop':
      stop();
      break;
  }
});
process.on('disconnect', () => process.exit(0));
