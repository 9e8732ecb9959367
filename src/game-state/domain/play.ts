// Playing a match: naming the hokm, playing a card, and the hand and match transitions they lead to.
import { FULL_DECK, isCard, shuffle, suitOf } from './cards';
import { newMatchId } from './match-id';
import { cloneRoom, fail, notInRoom, phaseMessage } from './rule-results';
import {
  findPlayer,
  nextPlayerId,
  SEAT_COUNT,
  seatOf,
  seatOrderFrom,
  teamOfSeat,
  trickWinner,
} from './table';
import type {
  DomainEvent,
  MatchState,
  MoveAction,
  PlayedCard,
  RoomState,
  Rng,
  RuleResult,
  SeatedPlayer,
  Suit,
  Team,
} from './types';

/** Tricks a team needs to win a hand. */
export const TRICKS_TO_WIN_HAND = 7;
/** Cards each player gets before the hokm is named. */
export const FIRST_DEAL = 5;
/** Cards each player gets after the hokm is named. */
export const SECOND_DEAL = 8;

function selectHokm(state: RoomState, playerId: string, suit: Suit): RuleResult {
  if (!findPlayer(state, playerId)) return notInRoom();
  const match = state.match;
  if (state.phase !== 'hokm_selection' || !match) {
    return fail('WRONG_PHASE', `${phaseMessage(state.phase)} The hokm can't be chosen now.`);
  }
  if (match.turn !== playerId) {
    return fail(
      'NOT_YOUR_TURN',
      `Only the hakem names the hokm: wait for ${nameOf(state, match.hakem)} to choose.`,
    );
  }

  const next = cloneRoom(state);
  const m = next.match as MatchState;
  deal(m, seatOrderFrom(next, m.hakem), SECOND_DEAL);
  m.hokm = suit;
  m.turn = m.hakem;
  next.phase = 'gameplay';
  return { ok: true, state: next, events: [{ type: 'hokm_selected', playerId, suit }] };
}

function playCard(state: RoomState, playerId: string, card: string, rng: Rng): RuleResult {
  if (!findPlayer(state, playerId)) return notInRoom();
  const match = state.match;
  if (state.phase !== 'gameplay' || !match) {
    return fail('WRONG_PHASE', `${phaseMessage(state.phase)} No card can be played now.`);
  }
  if (match.turn !== playerId) {
    const waitingFor = match.turn === null ? 'the next move' : nameOf(state, match.turn);
    return fail('NOT_YOUR_TURN', `It is not your turn: wait for ${waitingFor}.`);
  }
  const hand = match.hands[playerId] ?? [];
  if (!isCard(card)) {
    return fail(
      'CARD_NOT_IN_HAND',
      'That is not a card: cards are written RANK_suit, e.g. A_hearts or 10_spades.',
    );
  }
  if (!hand.includes(card)) {
    return fail('CARD_NOT_IN_HAND', `${card} is not in your hand: play one of your own cards.`);
  }
  const led = match.ledSuit;
  if (led !== null && suitOf(card) !== led && hand.some((c) => suitOf(c) === led)) {
    return fail('MUST_FOLLOW_SUIT', `You hold ${led}, the suit led: you must play a ${led} card.`);
  }

  // A card changes the mover's hand and the trick: the new state shares everything else with
  // `state` (players, the other hands, the deck), so neither copying nor writing touches them.
  const hands = { ...match.hands, [playerId]: hand.filter((c) => c !== card) };
  const trick = [...match.currentTrick, { playerId, card }];
  const ledSuit = match.ledSuit ?? suitOf(card);
  const events: DomainEvent[] = [{ type: 'card_played', playerId, card }];

  if (trick.length < SEAT_COUNT) {
    const turn = nextPlayerId(state, playerId);
    const m: MatchState = { ...match, hands, currentTrick: trick, ledSuit, turn };
    return { ok: true, state: { ...state, match: m }, events };
  }

  const won = trickWinner(trick, match.hokm) as PlayedCard;
  const team = teamOfSeat(seatOf(state, won.playerId));
  const tricks: [number, number] = [match.tricks[0], match.tricks[1]];
  tricks[team] += 1;
  const m: MatchState = {
    ...match,
    hands,
    currentTrick: [],
    ledSuit: null,
    turn: won.playerId,
    tricks,
    lastTrick: { cards: trick, winner: won.playerId },
  };
  events.push({
    type: 'trick_won',
    winner: won.playerId,
    cards: trick.map((p) => ({ ...p })),
    tricks: [tricks[0], tricks[1]],
  });
  if (tricks[team] < TRICKS_TO_WIN_HAND) return { ok: true, state: { ...state, match: m }, events };
  // The hand's end rewrites most of the match (scores, a new deal): on a private copy.
  const next = cloneRoom({ ...state, match: m });
  endHand(next, team, rng, events);
  return { ok: true, state: next, events };
}

/** A hokm choice or a card, by whoever makes it (the player, a bot, the clock). */
export function playMove(state: RoomState, action: MoveAction, rng: Rng): RuleResult {
  return action.type === 'select_hokm'
    ? selectHokm(state, action.playerId, action.suit)
    : playCard(state, action.playerId, action.card, rng);
}

// ---------------------------------------------------------------------------------------------
// State transitions on a private clone (these mutate their argument on purpose).

export function startMatch(next: RoomState, rng: Rng): string {
  // Reseat at random so friends who joined in a row are not always partners.
  next.players = shuffle(next.players, rng).map((p, seat) => ({ ...p, seat }));
  const hakem = (next.players[rng.int(SEAT_COUNT)] as SeatedPlayer).playerId;
  next.phase = 'hokm_selection';
  next.match = {
    hands: {},
    deck: [],
    hakem,
    hokm: null,
    turn: hakem,
    ledSuit: null,
    currentTrick: [],
    lastTrick: null,
    tricks: [0, 0],
    scores: [0, 0],
    handNumber: 0,
    winnerTeam: null,
  };
  startHand(next, hakem, rng);
  // Drawn after the first deal, so that deal is what the same rng gave before match ids.
  next.match.matchId = newMatchId(rng);
  return hakem;
}

function startHand(next: RoomState, hakem: string, rng: Rng): void {
  const m = next.match as MatchState;
  m.hands = Object.fromEntries(next.players.map((p) => [p.playerId, []]));
  m.deck = shuffle(FULL_DECK, rng);
  deal(m, seatOrderFrom(next, hakem), FIRST_DEAL);
  m.hakem = hakem;
  m.hokm = null;
  m.turn = hakem;
  m.ledSuit = null;
  m.currentTrick = [];
  m.lastTrick = null;
  m.tricks = [0, 0];
  m.handNumber += 1;
  next.phase = 'hokm_selection';
}

function endHand(next: RoomState, winnerTeam: Team, rng: Rng, events: DomainEvent[]): void {
  const m = next.match as MatchState;
  const loserTeam: Team = winnerTeam === 0 ? 1 : 0;
  const hakemTeam = teamOfSeat(seatOf(next, m.hakem));
  const kot = m.tricks[loserTeam] === 0;
  const points = !kot ? 1 : loserTeam === hakemTeam ? 3 : 2;
  m.scores[winnerTeam] += points;
  const scores: [number, number] = [m.scores[0], m.scores[1]];
  const base = { handNumber: m.handNumber, winnerTeam, points, kot, scores };

  if (m.scores[winnerTeam] >= next.targetScore) {
    // Unplayed cards are discarded; tricks, hokm and lastTrick stay to show how the match ended.
    m.hands = Object.fromEntries(next.players.map((p) => [p.playerId, []]));
    m.deck = [];
    m.turn = null;
    m.winnerTeam = winnerTeam;
    next.phase = 'game_over';
    events.push({ type: 'hand_complete', ...base, nextHakem: null });
    events.push({ type: 'game_over', winnerTeam, scores: [scores[0], scores[1]] });
    return;
  }
  const nextHakem = winnerTeam === hakemTeam ? m.hakem : nextPlayerId(next, m.hakem);
  events.push({ type: 'hand_complete', ...base, nextHakem });
  startHand(next, nextHakem, rng);
}

export function abandon(next: RoomState): void {
  next.phase = 'abandoned';
  if (next.match) next.match.turn = null;
}

/** Moves `count` cards per player from the front of the deck, one block per player in order. */
function deal(m: MatchState, order: readonly string[], count: number): void {
  for (const playerId of order) {
    const dealt = m.deck.splice(0, count);
    m.hands[playerId] = [...(m.hands[playerId] ?? []), ...dealt];
  }
}

function nameOf(state: RoomState, playerId: string): string {
  return findPlayer(state, playerId)?.name ?? 'another player';
}
