// Facts about a Hokm table that the rules, the bots and the clock all read (pure, no state change).
import { rankValue, suitOf } from './cards';
import type { Card, Phase, PlayedCard, RoomState, SeatedPlayer, Suit, Team } from './types';

/** Seats at a Hokm table. */
export const SEAT_COUNT = 4;

/** The team of a seat: seats 0 and 2 are team 0, seats 1 and 3 team 1. */
export function teamOfSeat(seat: number): Team {
  return seat % 2 === 0 ? 0 : 1;
}

/** The card taking a (partial) trick: the highest trump, else the highest of the suit led. */
export function trickWinner(cards: readonly PlayedCard[], hokm: Suit | null): PlayedCard | null {
  const first = cards[0];
  if (!first) return null;
  let best = first;
  for (const played of cards.slice(1)) {
    if (beats(played.card, best.card, hokm)) best = played;
  }
  return best;
}

/** The cards the player may play now; empty unless it is their turn in gameplay. */
export function legalCards(state: RoomState, playerId: string): Card[] {
  const match = state.match;
  if (state.phase !== 'gameplay' || !match || match.turn !== playerId) return [];
  const hand = match.hands[playerId] ?? [];
  const led = match.ledSuit;
  const following = led === null ? [] : hand.filter((c) => suitOf(c) === led);
  return following.length > 0 ? following : [...hand];
}

function beats(challenger: Card, best: Card, hokm: Suit | null): boolean {
  const suit = suitOf(challenger);
  if (suit === suitOf(best)) return rankValue(challenger) > rankValue(best);
  // The best card is of the suit led or a trump, so another suit can only win as a trump.
  return hokm !== null && suit === hokm;
}

/** The seat holder with that playerId, if any. */
export function findPlayer(state: RoomState, playerId: string): SeatedPlayer | undefined {
  return state.players.find((p) => p.playerId === playerId);
}

/** The seat of a player, -1 for a stranger. */
export function seatOf(state: RoomState, playerId: string): number {
  return findPlayer(state, playerId)?.seat ?? -1;
}

/** The player in the next seat (seat + 1 mod 4). */
export function nextPlayerId(state: RoomState, playerId: string): string {
  const seat = (seatOf(state, playerId) + 1) % SEAT_COUNT;
  return (state.players.find((p) => p.seat === seat) as SeatedPlayer).playerId;
}

/** Players ordered by seat (a copy). */
export function bySeat(players: readonly SeatedPlayer[]): SeatedPlayer[] {
  return [...players].sort((a, b) => a.seat - b.seat);
}

/** All four playerIds in play order, starting with `first`. */
export function seatOrderFrom(state: RoomState, first: string): string[] {
  const ids = bySeat(state.players).map((p) => p.playerId);
  const start = ids.indexOf(first);
  return ids.map((_, i) => ids[(start + i) % ids.length] as string);
}

/** True while a match is being played (an action may be awaited). */
export function isMatchRunning(phase: Phase): boolean {
  return phase === 'hokm_selection' || phase === 'gameplay';
}
