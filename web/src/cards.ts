// Card helpers for the browser: names, symbols, order, and which cards the rules let you play.
import type { Card, Suit } from '../../src/protocol/hokm-protocol.js';
import type { SeatView } from './state/store.js';

export const SUITS: readonly Suit[] = ['spades', 'hearts', 'clubs', 'diamonds'];

export const SUIT_SYMBOL: Readonly<Record<Suit, string>> = {
  spades: '♠',
  hearts: '♥',
  clubs: '♣',
  diamonds: '♦',
};

const RANK_WORD: Readonly<Record<string, string>> = {
  '2': 'Two',
  '3': 'Three',
  '4': 'Four',
  '5': 'Five',
  '6': 'Six',
  '7': 'Seven',
  '8': 'Eight',
  '9': 'Nine',
  '10': 'Ten',
  J: 'Jack',
  Q: 'Queen',
  K: 'King',
  A: 'Ace',
};

export interface ParsedCard {
  rank: string;
  suit: Suit;
}

export function parseCard(card: Card): ParsedCard {
  const i = card.indexOf('_');
  return { rank: card.slice(0, i), suit: card.slice(i + 1) as Suit };
}

export function suitOf(card: Card): Suit {
  return parseCard(card).suit;
}

/** "Queen of hearts": what a screen reader says for a card. */
export function cardLabel(card: Card): string {
  const { rank, suit } = parseCard(card);
  return `${RANK_WORD[rank] ?? rank} of ${suit}`;
}

/** "Q♥": a short form for messages. */
export function cardShort(card: Card): string {
  const { rank, suit } = parseCard(card);
  return `${rank}${SUIT_SYMBOL[suit]}`;
}

export function suitName(suit: Suit): string {
  return suit.charAt(0).toUpperCase() + suit.slice(1);
}

export function isRed(suit: Suit): boolean {
  return suit === 'hearts' || suit === 'diamonds';
}

/**
 * The cards of your hand the server will accept now: none unless it is your turn in gameplay;
 * any card when you lead; otherwise the suit led if you hold it, else any card.
 */
export function playableCards(view: SeatView): Set<Card> {
  const hand = view.you.hand;
  if (view.phase !== 'gameplay' || view.turn !== view.you.playerId) return new Set();
  const first = view.currentTrick[0];
  const led = view.ledSuit ?? (first ? suitOf(first.card) : null);
  if (!led) return new Set(hand);
  const following = hand.filter((c) => suitOf(c) === led);
  return new Set(following.length > 0 ? following : hand);
}
