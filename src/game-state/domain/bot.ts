// A simple, deterministic Hokm bot: sensible card play, no memory of past tricks, always legal.
import { rankValue, suitOf } from './cards';
import { legalCards, SEAT_COUNT, trickWinner } from './table';
import { SUITS, type Card, type MoveAction, type RoomState, type Suit } from './types';

/** The bot's next action, or null when nothing is awaited from it. */
export function chooseBotAction(state: RoomState, botId: string): MoveAction | null {
  const match = state.match;
  if (!match || match.turn !== botId) return null;
  if (state.phase === 'hokm_selection') {
    return { type: 'select_hokm', playerId: botId, suit: chooseHokm(match.hands[botId] ?? []) };
  }
  if (state.phase !== 'gameplay') return null;
  const legal = legalCards(state, botId);
  if (legal.length === 0) return null;
  return { type: 'play_card', playerId: botId, card: chooseCard(state, botId, legal) };
}

/** The suit the hand holds most of; a tie goes to the suit with the higher cards. */
export function chooseHokm(hand: readonly Card[]): Suit {
  const ranksOf = (suit: Suit): number[] =>
    hand
      .filter((c) => suitOf(c) === suit)
      .map(rankValue)
      .sort((a, b) => b - a);
  let best: Suit = SUITS[0];
  for (const suit of SUITS.slice(1)) {
    if (compareStrength(ranksOf(suit), ranksOf(best)) > 0) best = suit;
  }
  return best;
}

function compareStrength(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

function chooseCard(state: RoomState, botId: string, legal: readonly Card[]): Card {
  const match = state.match;
  const hokm = match?.hokm ?? null;
  const trick = match?.currentTrick ?? [];
  // Side suits before trumps, then lowest rank: a trump is worth keeping for a later trick.
  const lowest = (cards: readonly Card[]): Card =>
    [...cards].sort(
      (a, b) =>
        Number(suitOf(a) === hokm) - Number(suitOf(b) === hokm) || rankValue(a) - rankValue(b),
    )[0] as Card;

  if (trick.length === 0) return chooseLead(legal, hokm, lowest);

  const current = trickWinner(trick, hokm);
  const seatOf = (id: string): number => state.players.find((p) => p.playerId === id)?.seat ?? -1;
  const partnerWinning =
    current !== null && seatOf(current.playerId) === (seatOf(botId) + 2) % SEAT_COUNT;
  if (partnerWinning) return lowest(legal);

  // When void in the suit led only a trump can win, so this also picks the lowest winning trump.
  const winners = legal.filter(
    (card) => trickWinner([...trick, { playerId: botId, card }], hokm)?.playerId === botId,
  );
  return lowest(winners.length > 0 ? winners : legal);
}

function chooseLead(
  legal: readonly Card[],
  hokm: Suit | null,
  lowest: (cards: readonly Card[]) => Card,
): Card {
  const ace = legal.find((c) => rankValue(c) === 14 && suitOf(c) !== hokm);
  if (ace) return ace;
  // Longest suit; on a tie prefer a side suit to keep trumps, then SUITS order.
  let longest: Card[] = [];
  for (const suit of SUITS) {
    const cards = legal.filter((c) => suitOf(c) === suit);
    const better =
      cards.length > longest.length ||
      (cards.length === longest.length &&
        longest.length > 0 &&
        suitOf(longest[0] as Card) === hokm);
    if (better && cards.length > 0) longest = cards;
  }
  return lowest(longest.length > 0 ? longest : legal);
}
