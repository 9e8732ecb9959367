// A match record as the replay viewer steps through it: for every hand its deal, then one step
// per trick (the trick's four cards on the table, what each player still holds after it).
import type { Card, MatchRecord, Suit } from '../../../src/protocol/hokm-protocol.js';
import { parseCard, suitOf } from '../cards.js';

const RANK_ORDER = ['2', '3', '4', '5', '6', '7', '8', '9', '10', 'J', 'Q', 'K', 'A'];
/** Cards each player gets before the hokm is named. */
const FIRST_DEAL = 5;

export interface TableCard {
  playerId: string;
  card: Card;
}

/** One position of the replay. */
export interface ReplayStep {
  /** Index into record.hands. */
  hand: number;
  handNumber: number;
  /** 0: the deal (with the hokm, once named); n: after the n-th trick of the hand. */
  trick: number;
  /** Tricks this hand has in the record (the last one may be unfinished). */
  tricksInHand: number;
  hakem: string;
  hokm: Suit | null;
  /** What each player holds at this step, by playerId. */
  hands: Record<string, Card[]>;
  /** The cards of this step's trick, in play order (none at the deal). */
  table: TableCard[];
  /** Who took this trick; null at the deal and for an unfinished trick. */
  winner: string | null;
  /** Tricks taken this hand by team 0 and team 1, this trick included. */
  tricks: [number, number];
  /** Match points of team 0 and team 1: before the hand, and after it at its last step. */
  scores: [number, number];
  /** The hand's result, at its last step once the hand was won; null otherwise. */
  result: { points: [number, number] } | null;
}

function rank(card: Card): number {
  return RANK_ORDER.indexOf(parseCard(card).rank);
}

/** Who takes a complete trick: the highest trump, else the highest card of the suit led. */
export function trickWinner(cards: readonly TableCard[], hokm: Suit | null): string | null {
  const first = cards[0];
  if (!first) return null;
  const led = suitOf(first.card);
  let best = first;
  for (const played of cards.slice(1)) {
    const suit = suitOf(played.card);
    const bestSuit = suitOf(best.card);
    const beats =
      suit === bestSuit ? rank(played.card) > rank(best.card) : suit === hokm && bestSuit === led;
    if (beats) best = played;
  }
  return best.playerId;
}

/** Every step of the record, hand by hand, trick by trick. */
export function replaySteps(record: MatchRecord): ReplayStep[] {
  const teamOf = new Map(record.players.map((p) => [p.playerId, p.team]));
  const steps: ReplayStep[] = [];
  let scores: [number, number] = [0, 0];
  record.hands.forEach((hand, index) => {
    const cards = hand.moves.flatMap((m) =>
      m.type === 'play_card' ? [{ playerId: m.playerId, card: m.card }] : [],
    );
    const tricksInHand = Math.ceil(cards.length / 4);
    const named = hand.hokm !== null;
    // Before the hokm only the first deal was made.
    const held: Record<string, Card[]> = {};
    for (const [id, dealt] of Object.entries(hand.deal)) {
      held[id] = named ? [...dealt] : dealt.slice(0, FIRST_DEAL);
    }
    const base = { hand: index, handNumber: hand.handNumber, tricksInHand, hakem: hand.hakem };
    const lastOfHand = (trick: number) => trick === tricksInHand;
    const won = (trick: number) => lastOfHand(trick) && (hand.points[0] > 0 || hand.points[1] > 0);
    const after: [number, number] = [scores[0] + hand.points[0], scores[1] + hand.points[1]];
    const tricks: [number, number] = [0, 0];
    steps.push({
      ...base,
      trick: 0,
      hokm: hand.hokm,
      hands: copy(held),
      table: [],
      winner: null,
      tricks: [0, 0],
      scores: won(0) ? after : scores,
      result: null,
    });
    for (let t = 1; t <= tricksInHand; t++) {
      const table = cards.slice((t - 1) * 4, t * 4);
      for (const { playerId, card } of table) {
        held[playerId] = (held[playerId] ?? []).filter((c) => c !== card);
      }
      const winner = table.length === 4 ? trickWinner(table, hand.hokm) : null;
      const team = winner === null ? undefined : teamOf.get(winner);
      if (team !== undefined) tricks[team] += 1;
      steps.push({
        ...base,
        trick: t,
        hokm: hand.hokm,
        hands: copy(held),
        table,
        winner,
        tricks: [tricks[0], tricks[1]],
        scores: won(t) ? after : scores,
        result: won(t) ? { points: [hand.points[0], hand.points[1]] } : null,
      });
    }
    scores = after;
  });
  return steps;
}

function copy(hands: Record<string, Card[]>): Record<string, Card[]> {
  return Object.fromEntries(Object.entries(hands).map(([id, cards]) => [id, [...cards]]));
}

/** The first step of the hand after (or before: -1) the one `index` is in; the same at the ends. */
export function handJump(steps: readonly ReplayStep[], index: number, direction: 1 | -1): number {
  const current = steps[index];
  if (!current) return index;
  if (direction === -1) {
    // Back to this hand's deal first; from the deal, to the previous hand's.
    const start = steps.findIndex((s) => s.hand === current.hand);
    if (start < index) return start;
    const previous = steps.findIndex((s) => s.hand === current.hand - 1);
    return previous < 0 ? index : previous;
  }
  const next = steps.findIndex((s) => s.hand === current.hand + 1);
  return next < 0 ? steps.length - 1 : next;
}
