/**
 * The Socket.IO contract between the Hokm server and its game clients (see docs/PROTOCOL.md).
 * Self-contained on purpose: a client can copy or import this one file, it imports nothing.
 */

export const GAME_NAMESPACE = '/game';

export type Suit = 'hearts' | 'diamonds' | 'clubs' | 'spades';
/** RANK_suit, e.g. "A_hearts", "10_spades". */
export type Card = string;
export type Phase =
  'waiting_for_players' | 'hokm_selection' | 'gameplay' | 'game_over' | 'abandoned';
/** `private` (the default): found only by its code, never listed; `public`: listed, quick-matched. */
export type Visibility = 'public' | 'private';

/** Every error code an ack may carry. */
export const ERROR_CODES = [
  'INVALID_PAYLOAD',
  'ROOM_NOT_FOUND',
  'ROOM_FULL',
  'ALREADY_IN_ROOM',
  'NOT_IN_ROOM',
  'INVALID_SESSION',
  'WRONG_PHASE',
  'NOT_YOUR_TURN',
  'CARD_NOT_IN_HAND',
  'MUST_FOLLOW_SUIT',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_ERROR',
  'NOT_HOST',
  /** HTTP only (`GET /api/matches/:matchId`): no finished match has that id. */
  'MATCH_NOT_FOUND',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

/** What every request's acknowledgement receives. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

/** A player as everyone at the table sees them. */
export interface PlayerView {
  playerId: string;
  name: string;
  seat: number;
  team: 0 | 1;
  connected: boolean;
  cardCount: number;
  /** Added field: true for a server-side bot. */
  bot?: boolean;
  /** The turn clock acted for them twice in a row: their turns go at the bots' pace. */
  away: boolean;
}

/** The receiver of a seated player's view: their own hand only (sorted for display). */
export interface YouView {
  playerId: string;
  seat: number;
  team: 0 | 1;
  hand: Card[];
}

export interface PlayedCardView {
  playerId: string;
  card: Card;
}

/**
 * The receiver's view of the room; the `state` push and the `get_state` ack carry it. A seated
 * player's has `you`; a spectator's has `you: null` and no hand at all.
 */
export interface GameView {
  roomCode: string;
  /** +1 on every change to the room, never reused; never goes back on one connection. */
  version: number;
  phase: Phase;
  targetScore: number;
  /** Ordered by seat; team 0 is seats 0 and 2. */
  players: PlayerView[];
  /** The receiver: their own hand only (sorted for display); null for a spectator. */
  you: YouView | null;
  hakem: string | null;
  hokm: Suit | null;
  /** Whose action is awaited (the hakem in hokm_selection); null while waiting and after. */
  turn: string | null;
  ledSuit: Suit | null;
  /** In play order. */
  currentTrick: PlayedCardView[];
  /** The last completed trick of this hand; null until one completes. */
  lastTrick: { cards: PlayedCardView[]; winner: string } | null;
  /** Tricks taken this hand by team 0 and team 1. */
  tricks: [number, number];
  /** Match points of team 0 and team 1. */
  scores: [number, number];
  /** 1 for the first hand, 0 before the match starts. */
  handNumber: number;
  /** Set in game_over. */
  winnerTeam: 0 | 1 | null;
  /** Added field: the playerId who may add bots while waiting. */
  hostId: string | null;
  /** The room's current or last match, set when it starts (unguessable); null before. */
  matchId: string | null;
  visibility: Visibility;
  /** Sockets watching, as counted when this view was made. */
  spectators: number;
  /**
   * When the server acts for `turn` (ms since the epoch, server clock); null when no action is
   * awaited or the clock is off.
   */
  turnDeadline: number | null;
  /** turnDeadline minus the server clock when this view was made (≥ 0); null with it. */
  turnRemainingMs: number | null;
}

/** A seated player's own view: `you` is always there. */
export type SeatedGameView = GameView & { you: YouView };
/** A spectator's view: no `you`, no hand. */
export type SpectatorGameView = GameView & { you: null };

export interface SeatGrant {
  roomCode: string;
  playerId: string;
  sessionToken: string;
  seat: number;
}

/** What `watch` sends: the code of the room to watch (any live room, public or private). */
export interface WatchRequest {
  roomCode: string;
}

/** A public room as `list_rooms` and `GET /api/rooms` show it: no player id, card or token. */
export interface RoomSummary {
  roomCode: string;
  /** `waiting_for_players`, `hokm_selection` or `gameplay`. */
  phase: Phase;
  targetScore: number;
  /** Ordered by seat. */
  players: Array<{ name: string; seat: number; bot: boolean }>;
  /** 4 minus players.length. */
  seatsFree: number;
  /** Connections watching the room, over every instance. */
  spectators: number;
}

/** Requests: event name → [payload, ack data]. */
export interface ClientRequests {
  create_room: [{ name: string; targetScore?: number; visibility?: Visibility }, SeatGrant];
  /**
   * A seat at the public waiting room of that target with the most players (ties: the one
   * waiting longest), or a new public room the caller hosts. Concurrent calls fill tables.
   */
  quick_match: [{ name: string; targetScore?: number }, SeatGrant];
  /** Public rooms, waiting ones first (most players first), then those in play (latest first). */
  list_rooms: [{ limit?: number }, { rooms: RoomSummary[] }];
  join: [{ roomCode: string; name: string }, SeatGrant];
  reconnect: [{ sessionToken: string }, { roomCode: string; playerId: string; seat: number }];
  leave: [Record<string, never>, Record<string, never>];
  select_hokm: [{ suit: Suit }, Record<string, never>];
  play_card: [{ card: Card }, Record<string, never>];
  get_state: [Record<string, never>, GameView];
  /** Added: the host fills empty seats of a waiting room with bots. */
  add_bots: [{ count?: number }, { added: number }];
  /**
   * Watch a live room without a seat: the `state` push (the SpectatorGameView) follows at once and
   * after every change, with the room's informational events, until `leave`.
   */
  watch: [WatchRequest, { roomCode: string }];
  /** The caller's seat is no longer `away` (the turn clock's); `{}` also when it was not. */
  resume: [Record<string, never>, Record<string, never>];
}
export type RequestEvent = keyof ClientRequests;

interface Versioned {
  version: number;
}

/** Pushes: event name → payload. */
export interface ServerPushes {
  state: GameView;
  /** Added: to the old socket of a seat taken over by `reconnect`, just before it is dropped. */
  session_replaced: Versioned & { message: string };
  /** Added: to every socket of an instance that is shutting down (no room version). */
  server_shutdown: { message: string };
  player_joined: Versioned & { playerId: string; name: string; seat: number };
  player_left: Versioned & { playerId: string };
  player_disconnected: Versioned & { playerId: string };
  player_reconnected: Versioned & { playerId: string };
  /** The clock ran out for the player: the hokm_selected or card_played that follows is `auto`. */
  turn_timeout: Versioned & { playerId: string };
  /** Added: the player is no longer away (after `resume`). */
  player_resumed: Versioned & { playerId: string };
  /** `auto: true` when the turn clock named it for the hakem. */
  hokm_selected: Versioned & { playerId: string; suit: Suit; auto?: true };
  /** `auto: true` when the turn clock played it for the player. */
  card_played: Versioned & { playerId: string; card: Card; auto?: true };
  trick_won: Versioned & { winner: string; cards: PlayedCardView[]; tricks: [number, number] };
  hand_complete: Versioned & {
    handNumber: number;
    winnerTeam: 0 | 1;
    points: number;
    kot: boolean;
    scores: [number, number];
    nextHakem: string | null;
  };
  game_over: Versioned & { winnerTeam: 0 | 1; scores: [number, number] };
  abandoned: Versioned & { reason: 'player_left' | 'grace_expired'; playerId: string };
  match_started: Versioned & { hakem: string };
}
export type PushEvent = keyof ServerPushes;

/** One action of a hand, in order: the hakem's hokm, then every card. */
export type MatchMove =
  | { type: 'select_hokm'; playerId: string; suit: Suit; at: number; auto: boolean }
  | { type: 'play_card'; playerId: string; card: Card; at: number; auto: boolean };

/** One hand of a finished match: every card dealt and every action, and what it scored. */
export interface MatchHand {
  handNumber: number;
  /** playerId. */
  hakem: string;
  /** null if the match ended before it was named. */
  hokm: Suit | null;
  /** playerId → every card dealt to them this hand, in deal order (5, then 8 after the hokm). */
  deal: Record<string, Card[]>;
  /** `at`: ms since the epoch; `auto`: the turn clock acted for the player. */
  moves: MatchMove[];
  /** Tricks taken in this hand by team 0 and team 1. */
  tricks: [number, number];
  /** Match points this hand scored, by team ([0, 0] for a hand cut short). */
  points: [number, number];
}

/**
 * The record of a finished match (`GET /api/matches/:matchId`), served only once the match is
 * over: replaying its deals and moves through the rules gives its tricks, points and scores.
 */
export interface MatchRecord {
  matchId: string;
  roomCode: string;
  targetScore: number;
  /** ms since the epoch. */
  startedAt: number;
  endedAt: number;
  outcome: 'game_over' | 'abandoned';
  winnerTeam: 0 | 1 | null;
  scores: [number, number];
  /** Ordered by seat (the seats of the match). */
  players: Array<{ playerId: string; name: string; seat: number; team: 0 | 1; bot: boolean }>;
  hands: MatchHand[];
}

/**
 * Socket.IO's map of what a client emits: each request with its payload and ack callback
 * (`Socket<ServerToClientEvents, ClientToServerEvents>` on a socket.io-client).
 */
export type ClientToServerEvents = {
  [E in RequestEvent]: (
    payload: ClientRequests[E][0],
    ack: (answer: Ack<ClientRequests[E][1]>) => void,
  ) => void;
};

/** Socket.IO's map of what the server pushes: one payload per event. */
export type ServerToClientEvents = {
  [E in PushEvent]: (payload: ServerPushes[E]) => void;
};
