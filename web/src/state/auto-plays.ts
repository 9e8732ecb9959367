// The cards the server's turn clock played for someone (the `card_played` pushes with `auto`),
// so the table can mark them. The push comes before the `state` that shows the card.
import type { Card } from '../../../src/protocol/hokm-protocol.js';
import { getState } from './store.js';

/** `hand:card` of the auto-played cards of the current hand. */
const played = new Set<string>();
let hand = -1;

/** The clock played `card` (in the hand the table shows now). */
export function noteAutoPlay(card: Card): void {
  const now = getState().view?.handNumber ?? 0;
  if (now !== hand) {
    played.clear();
    hand = now;
  }
  played.add(`${now}:${card}`);
}

/** Whether the clock played `card` in hand `handNumber`. */
export function autoPlayed(handNumber: number, card: Card): boolean {
  return played.has(`${handNumber}:${card}`);
}
