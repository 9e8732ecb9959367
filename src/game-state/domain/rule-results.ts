// What every rule answers with: refusals, no-ops, and the private clone a change is written to.
import type {
  Card,
  MatchState,
  Phase,
  PlayedCard,
  RoomState,
  RuleError,
  RuleErrorCode,
  RuleResult,
} from './types';

export function fail(code: RuleErrorCode, message: string): RuleError {
  return { ok: false, code, message };
}

export function notInRoom(): RuleError {
  return fail('NOT_IN_ROOM', 'You are not seated in this room: join it first.');
}

/** An accepted action that changes nothing (the same state object, no events). */
export function unchanged(state: RoomState): RuleResult {
  return { ok: true, state, events: [] };
}

/** Why an action does not fit the phase, in words a player can act on. */
export function phaseMessage(phase: Phase): string {
  switch (phase) {
    case 'waiting_for_players':
      return 'The match has not started yet: it starts when four players have joined.';
    case 'hokm_selection':
      return 'The hakem is choosing the hokm.';
    case 'gameplay':
      return 'The hand is being played and the hokm is already chosen.';
    case 'game_over':
      return 'The match is over; leave the room to play again.';
    case 'abandoned':
      return 'The match was abandoned; leave the room to play again.';
  }
}

/** Copies every object the rules write to; spreads keep fields added to the types later. */
export function cloneRoom(state: RoomState): RoomState {
  return {
    ...state,
    players: state.players.map((p) => ({ ...p })),
    match: state.match && cloneMatch(state.match),
  };
}

function cloneMatch(m: MatchState): MatchState {
  const hands: Record<string, Card[]> = {};
  for (const id of Object.keys(m.hands)) hands[id] = [...(m.hands[id] ?? [])];
  const copyCards = (cards: PlayedCard[]): PlayedCard[] => cards.map((p) => ({ ...p }));
  return {
    ...m,
    hands,
    deck: [...m.deck],
    currentTrick: copyCards(m.currentTrick),
    lastTrick: m.lastTrick && { ...m.lastTrick, cards: copyCards(m.lastTrick.cards) },
    tricks: [m.tricks[0], m.tricks[1]],
    scores: [m.scores[0], m.scores[1]],
  };
}
