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
  ledSuit: Suit | null;
  currentTrick: PlayedCard[];
  lastTrick: { cards: PlayedCard[]; winner: string } | null;
  tricks: [number, number];
  scores: [number, number];
  handNumber: number;
  winnerTeam: Team | null;
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
}

/** Things that happen to a room, for the informational pushes. Never holds hidden cards. */
export type DomainEvent =
  | { type: 'player_joined'; playerId: string; name: string; seat: number }
  | { type: 'player_left'; playerId: string }
  | { type: 'player_disconnected'; playerId: string }
  | { type: 'player_reconnected'; playerId: string }
  | { type: 'match_started'; hakem: string }
  | { type: 'hokm_selected'; playerId: string; suit: Suit }
  | { type: 'card_played'; playerId: string; card: Card }
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

/** An action a player (or the grace timer) takes on a room. */
export type Action =
  | { type: 'join'; playerId: string; name: string; bot?: boolean; connectionId?: string }
  | { type: 'leave'; playerId: string }
  | { type: 'disconnect'; playerId: string; at?: number }
  /** Also moves a connected seat to a new socket (a second tab, a phone that changed networks). */
  | { type: 'reconnect'; playerId: string; connectionId?: string }
  | { type: 'grace_expired'; playerId: string }
  /** `connectionId`, when given, must be the seat's current socket (a replaced one is refused). */
  | { type: 'select_hokm'; playerId: string; suit: Suit; connectionId?: string }
  | { type: 'play_card'; playerId: string; card: string; connectionId?: string };

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
