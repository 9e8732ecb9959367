// Card helpers: the deck, parsing, ordering and shuffling. Pure, no I/O.
import { RANKS, SUITS, type Card, type Rank, type Rng, type Suit } from './types';

/** The 52 cards, suit by suit in SUITS order, each suit from 2 to A. */
export const FULL_DECK: readonly Card[] = Object.freeze(
  SUITS.flatMap((suit) => RANKS.map((rank): Card => `${rank}_${suit}`)),
);

const CARD_SET: ReadonlySet<string> = new Set<string>(FULL_DECK);

/** True when x is one of the 52 card strings (`RANK_suit`). */
export function isCard(x: unknown): x is Card {
  return typeof x === 'string' && CARD_SET.has(x);
}

/** The suit of a card. */
export function suitOf(card: Card): Suit {
  return card.slice(card.indexOf('_') + 1) as Suit;
}

/** The rank of a card. */
export function rankOf(card: Card): Rank {
  return card.slice(0, card.indexOf('_')) as Rank;
}

// Looked up rather than parsed: trick resolution and sorting call these on every move.
const RANK_VALUE: ReadonlyMap<string, number> = new Map(
  FULL_DECK.map((card) => [card, RANKS.indexOf(rankOf(card)) + 2]),
);

/** The rank's strength: 2 for a 2 up to 14 for an ace. */
export function rankValue(card: Card): number {
  return RANK_VALUE.get(card) ?? RANKS.indexOf(rankOf(card)) + 2;
}

// Alternating colours (black, red, black, red) so adjacent suits are easy to tell apart on screen.
const DISPLAY_SUIT_ORDER: readonly Suit[] = ['spades', 'hearts', 'clubs', 'diamonds'];
const DISPLAY_KEY: ReadonlyMap<string, number> = new Map(
  FULL_DECK.map((card) => [card, DISPLAY_SUIT_ORDER.indexOf(suitOf(card)) * 16 + rankValue(card)]),
);

/** A new array of the cards sorted for display: spades, hearts, clubs, diamonds, each 2 up to A. */
export function sortHand(cards: readonly Card[]): Card[] {
  return [...cards].sort((a, b) => (DISPLAY_KEY.get(a) ?? 0) - (DISPLAY_KEY.get(b) ?? 0));
}

/** A new array with the items in uniformly random order (Fisher–Yates driven by rng.int). */
export function shuffle<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}
