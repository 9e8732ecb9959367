// Checks a record against the rules: its deals and moves, replayed through the server's own
// rules, must be legal and give the tricks, points, scores and winner the record states.
import { FULL_DECK, isCard } from '../../game-state/domain/cards';
import { applyAction, FIRST_DEAL } from '../../game-state/domain/rules';
import { seededRng } from '../../game-state/domain/rng';
import { isMatchRunning, seatOrderFrom } from '../../game-state/domain/table';
import type { Action, Card, MatchState, RoomState } from '../../game-state/domain/types';
import type { MatchHand, MatchRecord } from '../../protocol/hokm-protocol';

type Pair = [number, number];

/** What the rules made of a record's hands. */
export interface ReplayedMatch {
  hands: Array<{ handNumber: number; hakem: string; tricks: Pair; points: Pair }>;
  scores: Pair;
  winnerTeam: 0 | 1 | null;
  /** The phase the rules reached after the last move (a running phase for an abandoned match). */
  phase: RoomState['phase'];
}

/** A record the rules refuse: which hand and move, and why. */
export class ReplayError extends Error {
  override name = 'ReplayError';
}

function startState(record: MatchRecord): RoomState {
  return {
    roomCode: record.roomCode,
    version: 0,
    phase: 'hokm_selection',
    targetScore: record.targetScore,
    hostId: null,
    players: record.players.map((p) => ({
      playerId: p.playerId,
      name: p.name,
      seat: p.seat,
      connected: true,
      ...(p.bot ? { bot: true } : {}),
    })),
    match: {
      hands: {},
      deck: [],
      hakem: record.hands[0]?.hakem ?? '',
      hokm: null,
      turn: record.hands[0]?.hakem ?? null,
      ledSuit: null,
      currentTrick: [],
      lastTrick: null,
      tricks: [0, 0],
      scores: [0, 0],
      handNumber: 1,
      winnerTeam: null,
      matchId: record.matchId,
    },
  };
}

/** The recorded deal in place of the rules' shuffle: the first deal in hand, the rest the deck. */
function dealt(state: RoomState, hand: MatchHand): RoomState {
  const match = state.match as MatchState;
  const order = seatOrderFrom(state, hand.hakem);
  const cardsOf = (id: string): Card[] => (hand.deal[id] ?? []).filter(isCard);
  const cards = order.flatMap(cardsOf);
  const whole = Object.values(hand.deal).flat();
  if (
    cards.length !== FULL_DECK.length ||
    whole.length !== FULL_DECK.length ||
    new Set(cards).size !== FULL_DECK.length
  ) {
    throw new ReplayError(`hand ${hand.handNumber}: the deal is not one whole deck`);
  }
  const hands = Object.fromEntries(order.map((id) => [id, cardsOf(id).slice(0, FIRST_DEAL)]));
  const deck = order.flatMap((id) => cardsOf(id).slice(FIRST_DEAL));
  return { ...state, match: { ...match, hands, deck } };
}

function sameCards(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join() === [...b].sort().join();
}

/**
 * Replays `record` through the rules; throws ReplayError at the first thing they refuse or that
 * differs from the record (a hakem, a dealt hand, an illegal card).
 */
export function replayRecord(record: MatchRecord): ReplayedMatch {
  // The rules shuffle a new deck when a hand ends; the recorded deal replaces it.
  const rng = seededRng(0);
  let state = startState(record);
  const replayed: ReplayedMatch['hands'] = [];
  for (const hand of record.hands) {
    const match = state.match as MatchState;
    if (!isMatchRunning(state.phase)) {
      throw new ReplayError(`hand ${hand.handNumber}: the rules had ended the match before it`);
    }
    if (match.handNumber !== hand.handNumber || match.hakem !== hand.hakem) {
      throw new ReplayError(
        `hand ${hand.handNumber}: the rules give hand ${match.handNumber} to hakem ${match.hakem}, the record ${hand.hakem}`,
      );
    }
    state = dealt(state, hand);
    let result: ReplayedMatch['hands'][number] | null = null;
    for (const [i, move] of hand.moves.entries()) {
      const action: Action =
        move.type === 'select_hokm'
          ? { type: 'select_hokm', playerId: move.playerId, suit: move.suit }
          : { type: 'play_card', playerId: move.playerId, card: move.card };
      const applied = applyAction(state, action, rng);
      if (!applied.ok || applied.events.length === 0) {
        const why = applied.ok ? 'changes nothing' : `${applied.code}: ${applied.message}`;
        throw new ReplayError(`hand ${hand.handNumber}, move ${i + 1} (${move.type}): ${why}`);
      }
      const before = state;
      state = applied.state;
      if (move.type === 'select_hokm') {
        for (const [id, cards] of Object.entries(hand.deal)) {
          if (!sameCards(state.match?.hands[id] ?? [], cards)) {
            throw new ReplayError(
              `hand ${hand.handNumber}: ${id} was not dealt what the record says`,
            );
          }
        }
      }
      for (const event of applied.events) {
        if (event.type !== 'hand_complete') continue;
        const tricks = before.match?.tricks ?? [0, 0];
        // The trick that completed the hand is counted in the last trick_won event.
        const won = applied.events.find((e) => e.type === 'trick_won');
        const final: Pair = won?.type === 'trick_won' ? won.tricks : [tricks[0], tricks[1]];
        const points: Pair = event.winnerTeam === 0 ? [event.points, 0] : [0, event.points];
        result = { handNumber: hand.handNumber, hakem: hand.hakem, tricks: final, points };
        if (i !== hand.moves.length - 1) {
          throw new ReplayError(`hand ${hand.handNumber}: moves recorded after the hand was won`);
        }
      }
    }
    const cutShort = state.match as MatchState;
    replayed.push(
      result ?? {
        handNumber: hand.handNumber,
        hakem: hand.hakem,
        tricks: [cutShort.tricks[0], cutShort.tricks[1]],
        points: [0, 0],
      },
    );
  }
  const end = state.match as MatchState;
  return {
    hands: replayed,
    scores: [end.scores[0], end.scores[1]],
    winnerTeam: end.winnerTeam,
    phase: state.phase,
  };
}

/**
 * What differs between the record and its replay through the rules, one line each; empty when
 * the record is true to the rules.
 */
export function verifyRecord(record: MatchRecord): string[] {
  let replayed: ReplayedMatch;
  try {
    replayed = replayRecord(record);
  } catch (error) {
    if (error instanceof ReplayError) return [error.message];
    throw error;
  }
  const problems: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (replayed.hands.length !== record.hands.length) problems.push('hand count differs');
  replayed.hands.forEach((h, i) => {
    const stated = record.hands[i];
    if (!stated) return;
    if (!same(h.tricks, stated.tricks)) problems.push(`hand ${h.handNumber}: tricks differ`);
    if (!same(h.points, stated.points)) problems.push(`hand ${h.handNumber}: points differ`);
  });
  if (!same(replayed.scores, record.scores)) problems.push('scores differ');
  if (replayed.winnerTeam !== record.winnerTeam) problems.push('winner differs');
  const over = replayed.phase === 'game_over';
  if (over !== (record.outcome === 'game_over')) {
    problems.push(`the rules end in ${replayed.phase}, the record says ${record.outcome}`);
  }
  return problems;
}
