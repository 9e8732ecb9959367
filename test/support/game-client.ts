// A protocol test client: a real socket.io-client (websocket transport) on the /game namespace,
// typed by src/protocol/hokm-protocol.ts, that records every message it receives.
import { io, type Socket } from 'socket.io-client';
import {
  GAME_NAMESPACE,
  type Ack,
  type Card,
  type ClientRequests,
  type ErrorCode,
  type SeatedGameView,
  type PushEvent,
  type RequestEvent,
  type ServerPushes,
  type Suit,
} from '../../src/protocol/hokm-protocol';

/** One message received from the server: a push, or the acknowledgement of a request. */
export interface ReceivedMessage {
  /** Arrival order across every socket of one recorder. */
  seq: number;
  /** Which socket of the recorder got it: 0 for the first, 1 for the next (e.g. after a reconnect). */
  socketIndex: number;
  kind: 'push' | 'ack';
  /** push: the event name; ack: the event of the request it answers. */
  event: string;
  /** push: the event's payload; ack: the acknowledgement (`{ ok, data }` or `{ ok, error }`). */
  payload: unknown;
  /** push: any arguments after the first (the protocol sends none). */
  extra?: unknown[];
  /** ack: the arguments the request carried (without the callback). */
  request?: unknown[];
}

/**
 * Everything one player receives, over one or several sockets (a reconnect on a new socket keeps
 * recording into the same recorder): parsed pushes and acks, and every raw engine frame.
 */
export class MessageRecorder {
  readonly messages: ReceivedMessage[] = [];
  /** Every raw Engine.IO data frame, as received (binary frames as `<binary N bytes>`). */
  readonly frames: string[] = [];
  private sockets = 0;
  private readonly listeners = new Set<(message: ReceivedMessage) => void>();

  constructor(readonly label = 'player') {}

  /** A new socket index for this recorder. */
  nextSocketIndex(): number {
    return this.sockets++;
  }

  record(message: Omit<ReceivedMessage, 'seq'>): ReceivedMessage {
    const recorded = { ...message, seq: this.messages.length };
    this.messages.push(recorded);
    for (const listener of this.listeners) listener(recorded);
    return recorded;
  }

  /** Calls `listener` for every message from now on; returns the unsubscribe function. */
  subscribe(listener: (message: ReceivedMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Payloads of every push of one event, in arrival order (every socket). */
  pushes<E extends PushEvent>(event: E): Array<ServerPushes[E]> {
    return this.messages
      .filter((m) => m.kind === 'push' && m.event === event)
      .map((m) => m.payload as ServerPushes[E]);
  }
}

/** What a successful create_room / join / reconnect gave this client. */
export interface SeatInfo {
  roomCode: string;
  playerId: string;
  sessionToken: string;
  seat: number;
}

/** A request the legal-move helper picked. */
export type Move =
  | { event: 'select_hokm'; payload: { suit: Suit } }
  | { event: 'play_card'; payload: { card: Card } };

export interface GameClientOptions {
  /** Where to record; pass the same recorder to a player's next socket. Default: a new one. */
  recorder?: MessageRecorder;
  /** Default ['websocket']. */
  transports?: Array<'websocket' | 'polling'>;
  /** Keep the cookies the server (or a load balancer's sticky session) sets. Default false. */
  withCredentials?: boolean;
  /** The local address to connect from, e.g. `127.0.0.2` (all of 127.0.0.0/8 is loopback on Linux). */
  localAddress?: string;
  /** Headers of the handshake request (e.g. a forged X-Forwarded-For). */
  extraHeaders?: Record<string, string>;
  /** Default 10 s. */
  connectTimeoutMs?: number;
  /** How long `request` waits for an ack before rejecting. Default 10 s. */
  requestTimeoutMs?: number;
}

const SUITS: readonly Suit[] = ['hearts', 'diamonds', 'clubs', 'spades'];
const suitOf = (card: Card): Suit => card.slice(card.indexOf('_') + 1) as Suit;

/** The cards `view.you` may play now (follow suit when possible); [] unless it is their turn. */
export function legalCards(view: SeatedGameView): Card[] {
  if (view.phase !== 'gameplay' || view.turn !== view.you.playerId) return [];
  const following =
    view.ledSuit === null ? [] : view.you.hand.filter((c) => suitOf(c) === view.ledSuit);
  return following.length > 0 ? following : [...view.you.hand];
}

/** Cards `view.you` holds but may not play (they hold the suit led and these are another suit). */
export function offSuitCards(view: SeatedGameView): Card[] {
  const legal = new Set(legalCards(view));
  return legal.size === 0 ? [] : view.you.hand.filter((c) => !legal.has(c));
}

/** The suit the hand holds most of (the hakem's simple choice). */
export function longestSuit(hand: readonly Card[]): Suit {
  const count = (suit: Suit) => hand.filter((c) => suitOf(c) === suit).length;
  return SUITS.reduce((best, suit) => (count(suit) > count(best) ? suit : best));
}

/** Cards played so far in the current hand. */
export function cardsThisHand(view: SeatedGameView): number {
  return (view.tricks[0] + view.tricks[1]) * 4 + view.currentTrick.length;
}

/** A legal move for `view.you` from their own SeatedGameView, or null if nothing is awaited from them. */
export function legalMove(view: SeatedGameView): Move | null {
  if (view.turn !== view.you.playerId) return null;
  if (view.phase === 'hokm_selection') {
    return { event: 'select_hokm', payload: { suit: longestSuit(view.you.hand) } };
  }
  const card = legalCards(view)[0];
  return card === undefined ? null : { event: 'play_card', payload: { card } };
}

/** The error code of a refused ack, or undefined if it succeeded. */
export function codeOf(ack: Ack<unknown>): ErrorCode | undefined {
  return ack.ok ? undefined : ack.error.code;
}

/** Rejects after `ms` with `what` named, unless `promise` settles first. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)),
        ms,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * One player's socket. `request` sends a protocol request and resolves with its ack; every push
 * and ack is recorded in `recorder`; `state` is the newest SeatedGameView pushed to this socket.
 */
export class GameClient {
  /** Seat credentials from the last successful create_room / join / reconnect. */
  seat: SeatInfo | null = null;
  /** Every `state` push to this socket, in arrival order. */
  readonly states: SeatedGameView[] = [];
  /** Errors answered to moves made by `autoplay`, for the test to assert on. */
  readonly autoplayErrors: Array<{ move: Move; code: ErrorCode; message: string }> = [];
  private readonly socketIndex: number;
  private readonly requestTimeoutMs: number;
  private autoplaying = false;
  private moving = false;

  private constructor(
    readonly socket: Socket,
    readonly recorder: MessageRecorder,
    requestTimeoutMs: number,
  ) {
    this.socketIndex = recorder.nextSocketIndex();
    this.requestTimeoutMs = requestTimeoutMs;
    const manager = socket.io;
    // Every decoded packet of this socket's namespace: pushes are recorded here; acks where the
    // request is known (see `send`), so each is recorded once, with what it answers.
    manager.on('packet', (packet: { type: number; nsp: string; data?: unknown }) => {
      if (packet.nsp !== GAME_NAMESPACE) return;
      // 2: EVENT, 5: BINARY_EVENT (socket.io-parser PacketType).
      if ((packet.type === 2 || packet.type === 5) && Array.isArray(packet.data)) {
        const [event, payload, ...extra] = packet.data as [string, unknown, ...unknown[]];
        this.recorder.record({
          socketIndex: this.socketIndex,
          kind: 'push',
          event,
          payload,
          ...(extra.length > 0 ? { extra } : {}),
        });
      }
    });
    manager.on('open', () => {
      manager.engine.on('data', (data: unknown) => {
        this.recorder.frames.push(
          typeof data === 'string' ? data : `<binary ${(data as ArrayBuffer).byteLength} bytes>`,
        );
      });
    });
    socket.on('state', (view: SeatedGameView) => {
      this.states.push(view);
      if (this.autoplaying) void this.autoMove();
    });
  }

  /** Connects to `<baseUrl>/game` and resolves once the namespace is joined. */
  static async connect(baseUrl: string, options: GameClientOptions = {}): Promise<GameClient> {
    const socket = io(`${baseUrl}${GAME_NAMESPACE}`, {
      transports: options.transports ?? ['websocket'],
      withCredentials: options.withCredentials ?? false,
      // Tests decide when to come back (with `reconnect` on a new socket), never the library.
      reconnection: false,
      forceNew: true,
      timeout: options.connectTimeoutMs ?? 10_000,
      autoConnect: false,
      ...(options.extraHeaders ? { extraHeaders: options.extraHeaders } : {}),
      // Handed to the websocket (ws) as is; not in socket.io-client's option types.
      ...(options.localAddress ? ({ localAddress: options.localAddress } as object) : {}),
    });
    const client = new GameClient(
      socket,
      options.recorder ?? new MessageRecorder(),
      options.requestTimeoutMs ?? 10_000,
    );
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => {
        socket.close();
        reject(error);
      });
      socket.connect();
    });
    return client;
  }

  get label(): string {
    return this.recorder.label;
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** The newest SeatedGameView pushed to this socket (by version), or null before the first. */
  get state(): SeatedGameView | null {
    let newest: SeatedGameView | null = null;
    for (const view of this.states) if (!newest || view.version >= newest.version) newest = view;
    return newest;
  }

  /** Messages this socket (not the recorder's other sockets) received. */
  get received(): ReceivedMessage[] {
    return this.recorder.messages.filter((m) => m.socketIndex === this.socketIndex);
  }

  /** Sends a protocol request and resolves with its ack (create/join/reconnect remember the seat). */
  async request<E extends RequestEvent>(
    event: E,
    payload: ClientRequests[E][0],
  ): Promise<Ack<ClientRequests[E][1]>> {
    const ack = (await this.send(event, payload)) as Ack<ClientRequests[E][1]>;
    if (ack.ok && (event === 'create_room' || event === 'join')) {
      this.seat = { ...(ack.data as SeatInfo) };
    } else if (ack.ok && event === 'reconnect') {
      const data = ack.data as Omit<SeatInfo, 'sessionToken'>;
      const sessionToken = (payload as { sessionToken: string }).sessionToken;
      this.seat = { ...data, sessionToken };
    } else if (ack.ok && event === 'leave') {
      this.seat = null;
    }
    return ack;
  }

  /** Like `request`, but resolves with `data` and throws if the server refused. */
  async ok<E extends RequestEvent>(
    event: E,
    payload: ClientRequests[E][0],
  ): Promise<ClientRequests[E][1]> {
    const ack = await this.request(event, payload);
    if (!ack.ok) {
      throw new Error(`${this.label}: ${event} refused: ${ack.error.code} ${ack.error.message}`);
    }
    return ack.data;
  }

  /**
   * Any event with any arguments (for malformed input), plus an ack callback; resolves with what
   * the server acknowledged. Rejects if no ack comes within the request timeout.
   */
  send(event: string, ...args: unknown[]): Promise<Ack<unknown>> {
    const answered = new Promise<Ack<unknown>>((resolve) => {
      this.socket.emit(event, ...args, (ack: Ack<unknown>) => {
        // Recorded even if it comes after the timeout: every received message counts.
        this.recorder.record({
          socketIndex: this.socketIndex,
          kind: 'ack',
          event,
          payload: ack,
          request: args,
        });
        resolve(ack);
      });
    });
    return within(answered, this.requestTimeoutMs, `${this.label}: the ack of ${event}`);
  }

  /** Emits without an ack callback (the server must still carry the request out). */
  emitWithoutAck(event: string, ...args: unknown[]): void {
    this.socket.emit(event, ...args);
  }

  /**
   * Resolves with the first SeatedGameView (the newest so far, or a later push) matching `predicate`.
   * A state already overtaken by a newer one is not looked at: wait for conditions that stay
   * true (`phase !== 'waiting_for_players'`), not for a moment that may have passed.
   */
  waitForState(
    predicate: (view: SeatedGameView) => boolean,
    { timeoutMs = 10_000, what = 'a matching state' }: { timeoutMs?: number; what?: string } = {},
  ): Promise<SeatedGameView> {
    const now = this.state;
    if (now && predicate(now)) return Promise.resolve(now);
    let off = () => {};
    const found = new Promise<SeatedGameView>((resolve) => {
      const listener = (view: SeatedGameView) => {
        if (predicate(view)) resolve(view);
      };
      this.socket.on('state', listener);
      off = () => this.socket.off('state', listener);
    });
    return within(found, timeoutMs, `${this.label}: ${what}`).finally(() => off());
  }

  /**
   * Resolves with the payload of the first `event` push to this socket after message `afterSeq`
   * (default: any so far) that matches `predicate`.
   */
  waitForPush<E extends PushEvent>(
    event: E,
    predicate: (payload: ServerPushes[E]) => boolean = () => true,
    { afterSeq = -1, timeoutMs = 10_000 }: { afterSeq?: number; timeoutMs?: number } = {},
  ): Promise<ServerPushes[E]> {
    const matches = (m: ReceivedMessage) =>
      m.socketIndex === this.socketIndex &&
      m.kind === 'push' &&
      m.event === event &&
      m.seq > afterSeq &&
      predicate(m.payload as ServerPushes[E]);
    const seen = this.recorder.messages.find(matches);
    if (seen) return Promise.resolve(seen.payload as ServerPushes[E]);
    let off = () => {};
    const found = new Promise<ServerPushes[E]>((resolve) => {
      off = this.recorder.subscribe((m) => {
        if (matches(m)) resolve(m.payload as ServerPushes[E]);
      });
    });
    return within(found, timeoutMs, `${this.label}: a ${event} push`).finally(() => off());
  }

  /** The seq of the newest recorded message (for `waitForPush({ afterSeq })`). */
  lastSeq(): number {
    return this.recorder.messages.length - 1;
  }

  /** Payloads of this socket's pushes of one event. */
  pushes<E extends PushEvent>(event: E): Array<ServerPushes[E]> {
    return this.received
      .filter((m) => m.kind === 'push' && m.event === event)
      .map((m) => m.payload as ServerPushes[E]);
  }

  /** Resolves with the reason once this socket is disconnected (at once if it already is). */
  waitForDisconnect(timeoutMs = 10_000): Promise<string> {
    if (!this.socket.connected) return Promise.resolve('already disconnected');
    return within(
      new Promise<string>((resolve) => this.socket.once('disconnect', (reason) => resolve(reason))),
      timeoutMs,
      `${this.label}: the disconnect`,
    );
  }

  /** Plays one legal move from `view` (default: the newest state); null if it is not our turn. */
  async move(view: SeatedGameView | null = this.state): Promise<Ack<Record<string, never>> | null> {
    const move = view && legalMove(view);
    if (!move) return null;
    return move.event === 'select_hokm'
      ? this.request('select_hokm', move.payload)
      : this.request('play_card', move.payload);
  }

  /**
   * While on, answers every state push that makes it our turn with a legal move, immediately
   * (one move in flight at a time). Refusals land in `autoplayErrors`.
   */
  autoplay(on = true): void {
    this.autoplaying = on;
    if (on) void this.autoMove();
  }

  private async autoMove(): Promise<void> {
    if (this.moving || !this.autoplaying || !this.socket.connected) return;
    const view = this.state;
    const move = view && legalMove(view);
    if (!move) return;
    this.moving = true;
    try {
      const ack =
        move.event === 'select_hokm'
          ? await this.request('select_hokm', move.payload)
          : await this.request('play_card', move.payload);
      if (!ack.ok) this.autoplayErrors.push({ move, ...ack.error });
    } catch {
      // A socket closed mid-request: the test that closed it knows.
    } finally {
      this.moving = false;
    }
    // The state that made the next move ours may have come while this one was in flight.
    if (this.state && this.state.version > view.version) void this.autoMove();
  }

  /** Disconnects (idempotent). */
  close(): void {
    this.autoplaying = false;
    this.socket.disconnect();
  }
}

/** A table of four connected, seated players and the room they share. */
export interface Table {
  roomCode: string;
  /** In the order they sat down: [host, second, third, fourth]. */
  clients: GameClient[];
  /** Each client's state once the match started (hokm_selection). */
  started: SeatedGameView[];
}

/**
 * Connects four players (recording into `recorders` if given), creates a room with the first and
 * joins the other three, and waits until every one of them sees the match started.
 */
export async function seatTable(
  baseUrl: string,
  {
    targetScore,
    recorders,
    names = ['Dara', 'Bahar', 'Cyrus', 'Mina'],
  }: { targetScore?: number; recorders?: MessageRecorder[]; names?: string[] } = {},
): Promise<Table> {
  const clients = await Promise.all(
    [0, 1, 2, 3].map((i) =>
      GameClient.connect(baseUrl, {
        recorder: recorders?.[i] ?? new MessageRecorder(names[i] ?? `player${i}`),
      }),
    ),
  );
  const [host, ...others] = clients as [GameClient, ...GameClient[]];
  const { roomCode } = await host.ok('create_room', {
    name: names[0] ?? 'host',
    ...(targetScore === undefined ? {} : { targetScore }),
  });
  for (const [i, client] of others.entries()) {
    await client.ok('join', { roomCode, name: names[i + 1] ?? `player${i + 1}` });
  }
  const started = await Promise.all(
    clients.map((c) =>
      c.waitForState((s) => s.phase === 'hokm_selection', { what: 'the match to start' }),
    ),
  );
  return { roomCode, clients, started };
}

/** The newest SeatedGameView any of `clients` holds. */
export function newestState(clients: readonly GameClient[]): SeatedGameView {
  let newest: SeatedGameView | null = null;
  for (const client of clients) {
    const view = client.state;
    if (view && (!newest || view.version > newest.version)) newest = view;
  }
  if (!newest) throw new Error('no client has a state yet');
  return newest;
}

/**
 * Plays legal moves, one request at a time, each by the player whose turn the newest state
 * names, until `done(newest state)` holds. A bot's turn is waited out (bots move by themselves).
 * Throws if a move is refused or no one can move. Resolves with the state that satisfied `done`.
 */
export async function playUntil(
  clients: readonly GameClient[],
  done: (view: SeatedGameView) => boolean,
  { maxMoves = 5_000, timeoutMs = 10_000 }: { maxMoves?: number; timeoutMs?: number } = {},
): Promise<SeatedGameView> {
  for (let moves = 0; moves <= maxMoves; moves++) {
    const newest = newestState(clients);
    if (done(newest)) return newest;
    if (newest.turn === null) {
      throw new Error(`playUntil: nobody can move in ${newest.phase} (v${newest.version})`);
    }
    const mover = clients.find((c) => c.seat?.playerId === newest.turn && c.connected);
    if (!mover) {
      // A bot (or a player not driven here) is to move: wait for the room to move on.
      const watcher = clients.find((c) => c.connected);
      if (!watcher) throw new Error('playUntil: no client is connected');
      await watcher.waitForState((s) => s.version > newest.version, {
        timeoutMs,
        what: 'someone else to move',
      });
      continue;
    }
    const view = await mover.waitForState((s) => s.version >= newest.version, { timeoutMs });
    const ack = await mover.move(view);
    if (ack && !ack.ok) {
      throw new Error(
        `playUntil: ${mover.label}'s move refused: ${ack.error.code} ${ack.error.message}`,
      );
    }
  }
  throw new Error(`playUntil: not done after ${maxMoves} moves`);
}

/**
 * Plays legal moves (as `playUntil`) until the player to move sees a SeatedGameView matching
 * `wanted`; resolves with that player and view, without moving. For setting up a situation,
 * e.g. "someone must follow suit and also holds another suit". Bots are not driven.
 */
export async function playUntilTurn(
  clients: readonly GameClient[],
  wanted: (moverView: SeatedGameView) => boolean,
  { maxMoves = 5_000, timeoutMs = 10_000 }: { maxMoves?: number; timeoutMs?: number } = {},
): Promise<{ mover: GameClient; view: SeatedGameView }> {
  for (let moves = 0; moves <= maxMoves; moves++) {
    const newest = newestState(clients);
    const mover = clients.find((c) => c.seat?.playerId === newest.turn && c.connected);
    if (!mover) throw new Error(`playUntilTurn: no driven player to move in v${newest.version}`);
    const view = await mover.waitForState((s) => s.version >= newest.version, { timeoutMs });
    if (wanted(view)) return { mover, view };
    const ack = await mover.move(view);
    if (!ack || !ack.ok) {
      throw new Error(`playUntilTurn: ${mover.label}'s move: ${JSON.stringify(ack)}`);
    }
  }
  throw new Error(`playUntilTurn: not found within ${maxMoves} moves`);
}
