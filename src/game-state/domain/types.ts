// The Hokm domain: plain data, no Nest or Redis import. Everything here is JSON-serialisable.

export const SUITS = ['hearts', 'diamonds', 'clubs', 'spades'] as const;
export const RANKS = ['2', '3', '4', '5', '6', '7', '8', '9', '10', 'J', 'Q', 'K', 'A'] as const;

export type Suit = (typeof SUITS)[number];
export type Rank = (typeof RANKS)[number];
/** A card, `RANK_suit`, e.g. `A_hearts`, `10_spades`. */
export type Card = `${Rank}_${Suit}`;
export type Team = 0 | 1;
export type Phase =
  'waiting_for_players' | 'hokm_selection' | 'gameplay' | 'game_over' | 'abandoned';
/** Who can find a room: `public` ones are listed and quick-matched, `private` ones only by code. */
export type Visibility = 'public' | 'private';

/** A seat holder as every player may see it. */
export interface SeatedPlayer {
  playerId: string;
  name: string;
  /** 0..3; play goes seat 0 → 1 → 2 → 3 → 0; team = seat % 2. */
  seat: number;
  connected: boolean;
  /** Server-side only bot flag (a bot has no socket and never disconnects). */
  bot?: boolean;
  /** Server-side only: the socket that speaks for the seat; a replaced socket's events are stale. */
  connectionId?: string;
  /** Server-side only: when the seat's connection dropped (ms); keys its grace deadline. */
  disconnectedAt?: number;
  /** Server-side: the turn clock acted for them twice in a row; their turns go at the bots' pace. */
  away?: boolean;
  /** Server-side: consecutive turns the clock acted for them (absent when 0). */
  timeouts?: number;
}

/** One card on the table. */
export interface PlayedCard {
  playerId: string;
  card: Card;
}

/** The part of a room that exists once the match has started (hidden fields included). */
export interface MatchState {
  /** Hands by playerId. Secret: only the owner ever sees their own. */
  hands: Record<string, Card[]>;
  /** Undealt cards of this hand, in deal order. Secret. */
  deck: Card[];
  hakem: string;
  hokm: Suit | null;
  /** playerId whose action is awaited; null in game_over and abandoned. */
  turn: string | null;
  /**
   * When the awaited action (the hokm or a card) became awaited (ms); null when `turn` is null or
   * the start is unknown. Absent in states stored before the turn clock: unknown as well.
   */
  turnStartedAt?: number | null;
  /**
   * Which turn `turnStartedAt` is the start of (`turnKeyOf`: the hand, its phase and the cards
   * still in hands, which every move changes). A stamp of another turn was left by a version
   * without the turn clock that moved the match on (the first release, during a rolling
   * upgrade): the start is unknown then. Absent in states stored before it: the stamp applies.
   */
  turnKey?: number;
  ledSuit: Suit | null;
  currentTrick: PlayedCard[];
  lastTrick: { cards: PlayedCard[]; winner: string } | null;
  tricks: [number, number];
  scores: [number, number];
  handNumber: number;
  winnerTeam: Team | null;
  /**
   * This match's id (public, unguessable: 128 random bits, base64url), set when it starts and
   * new for every match. Absent in states stored before match records: no record is kept then.
   */
  matchId?: string;
}

/** A whole room: what the rules read and write. `version` is owned by the store. */
export interface RoomState {
  roomCode: string;
  version: number;
  phase: Phase;
  targetScore: number;
  /** playerId of the room's creator while waiting (may add bots); passes on if they leave. */
  hostId: string | null;
  /** Ordered by seat. */
  players: SeatedPlayer[];
  /** null until the fourth player joins. Kept in game_over/abandoned for the final view. */
  match: MatchState | null;
  /** Set at create; absent (rooms stored before public play, test states): private. */
  visibility?: Visibility;
  /** When the room was created (ms), when known: how long a waiting room has waited. */
  createdAt?: number;
}

/** Things that happen to a room, for the informational pushes. Never holds hidden cards. */
export type DomainEvent =
  | { type: 'player_joined'; playerId: string; name: string; seat: number }
  | { type: 'player_left'; playerId: string }
  | { type: 'player_disconnected'; playerId: string }
  | { type: 'player_reconnected'; playerId: string }
  | { type: 'match_started'; hakem: string }
  /** The clock ran out for `playerId`: the hokm_selected or card_played after it is `auto`. */
  | { type: 'turn_timeout'; playerId: string }
  /** The player is no longer away (or their count of timeouts was cleared) by `resume`. */
  | { type: 'player_resumed'; playerId: string }
  | { type: 'hokm_selected'; playerId: string; suit: Suit; auto?: true }
  | { type: 'card_played'; playerId: string; card: Card; auto?: true }
  | { type: 'trick_won'; winner: string; cards: PlayedCard[]; tricks: [number, number] }
  | {
      type: 'hand_complete';
      handNumber: number;
      winnerTeam: Team;
      points: number;
      kot: boolean;
      scores: [number, number];
      nextHakem: string | null;
    }
  | { type: 'game_over'; winnerTeam: Team; scores: [number, number] }
  | { type: 'abandoned'; reason: 'player_left' | 'grace_expired'; playerId: string };

/** The turn clock's settings, passed to the rules and deadlines as a value. */
export interface TurnClock {
  /** How long a human has for an awaited action (ms); 0 switches the clock off for humans. */
  turnMs: number;
  /** How long a bot (and an away human, when the clock is on) takes for its move (ms). */
  botDelayMs: number;
  /** How long a disconnected human keeps the seat (ms). */
  graceMs: number;
}

/**
 * An action a player, a bot or a deadline takes on a room. `at` is when it happens (ms, the
 * server's clock): the only way time enters the rules; an action that starts an awaited action
 * without `at` leaves that turn's start unknown (no deadline for it).
 */
export type Action =
  | {
      type: 'join';
      playerId: string;
      name: string;
      bot?: boolean;
      connectionId?: string;
      at?: number;
    }
  | { type: 'leave'; playerId: string; at?: number }
  | { type: 'disconnect'; playerId: string; at?: number }
  /** Also moves a connected seat to a new socket (a second tab, a phone that changed networks). */
  | { type: 'reconnect'; playerId: string; connectionId?: string; at?: number }
  /** `disconnectedAt`, when given, must be the seat's current one (else a stale timer: no-op). */
  | { type: 'grace_expired'; playerId: string; disconnectedAt?: number; at?: number }
  /**
   * `connectionId`, when given, must be the seat's current socket (a replaced one is refused).
   * `turnStartedAt`, when given (a bot's scheduled move), must be the current turn's start, else
   * the move is stale and changes nothing.
   */
  | {
      type: 'select_hokm';
      playerId: string;
      suit: Suit;
      connectionId?: string;
      turnStartedAt?: number;
      at?: number;
    }
  | {
      type: 'play_card';
      playerId: string;
      card: string;
      connectionId?: string;
      turnStartedAt?: number;
      at?: number;
    }
  /**
   * The turn clock ran out: applies only while it is still `playerId`'s turn that started at
   * `turnStartedAt` and `turnDeadline(state, clock)` has passed at `at`; otherwise a no-op.
   */
  | { type: 'turn_timeout'; playerId: string; turnStartedAt: number; at: number; clock: TurnClock }
  /** The player is back at the table: no longer away, count of timeouts cleared. */
  | { type: 'resume'; playerId: string; at?: number };

/** A move that answers an awaited action: the hakem's hokm or a card. */
export type MoveAction = Extract<Action, { type: 'select_hokm' | 'play_card' }>;

/** Error codes the rules can answer (a subset of the protocol's codes). */
export type RuleErrorCode =
  | 'ROOM_FULL'
  | 'NOT_IN_ROOM'
  | 'WRONG_PHASE'
  | 'NOT_YOUR_TURN'
  | 'CARD_NOT_IN_HAND'
  | 'MUST_FOLLOW_SUIT';

/** A refused action; the state it was applied to is unchanged. */
export interface RuleError {
  ok: false;
  code: RuleErrorCode;
  message: string;
}

/** An accepted action: the next state (version untouched) and what happened. */
export interface RuleSuccess {
  ok: true;
  state: RoomState;
  events: DomainEvent[];
}

export type RuleResult = RuleSuccess | RuleError;

/** Injected randomness: crypto-secure in the app, seeded in tests. */
export interface Rng {
  /** A uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
}
