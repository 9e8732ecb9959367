// The Hokm rules as pure functions: (state, action, rng) → next state + events, or a refusal.
import { FULL_DECK, isCard, shuffle, suitOf } from './cards';
import { newMatchId } from './match-id';
import { cloneRoom, fail, notInRoom, phaseMessage, unchanged } from './rule-results';
import {
  bySeat,
  findPlayer,
  isMatchRunning,
  nextPlayerId,
  SEAT_COUNT,
  seatOf,
  seatOrderFrom,
  teamOfSeat,
  trickWinner,
} from './table';
import { afterOwnMove, isMarked, present, resume, stampTurn, turnTimeout } from './turn-clock';
import type {
  Action,
  DomainEvent,
  MatchState,
  MoveAction,
  PlayedCard,
  RoomState,
  Rng,
  RuleError,
  RuleResult,
  SeatedPlayer,
  Suit,
  Team,
} from './types';

// Long-standing exports of this module; they live in table.ts so the bots can use them too.
export { legalCards, SEAT_COUNT, teamOfSeat, trickWinner } from './table';
/** Tricks a team needs to win a hand. */
export const TRICKS_TO_WIN_HAND = 7;
/** Cards each player gets before the hokm is named. */
export const FIRST_DEAL = 5;
/** Cards each player gets after the hokm is named. */
export const SECOND_DEAL = 8;

/** A fresh waiting room with the host in seat 0; the store sets the real version. */
export function newRoom(
  roomCode: string,
  targetScore: number,
  host: { playerId: string; name: string; bot?: boolean; connectionId?: string },
): RoomState {
  return {
    roomCode,
    version: 0,
    phase: 'waiting_for_players',
    targetScore,
    hostId: host.playerId,
    players: [
      withConnection(seatedPlayer(host.playerId, host.name, 0, host.bot), host.connectionId),
    ],
    match: null,
  };
}

/**
 * Applies an action without mutating `state`; a bad one is refused, a no-op returns `state`.
 * Every change that hands the turn to someone records when (`match.turnStartedAt`, from `at`).
 */
export function applyAction(state: RoomState, action: Action, rng: Rng): RuleResult {
  return stampTurn(state, action, applyRule(state, action, rng));
}

function applyRule(state: RoomState, action: Action, rng: Rng): RuleResult {
  switch (action.type) {
    case 'join':
      return join(state, action, rng);
    case 'leave':
      return leave(state, action.playerId);
    case 'disconnect':
      return disconnect(state, action.playerId, action.at);
    case 'reconnect':
      return reconnect(state, action.playerId, action.connectionId);
    case 'grace_expired':
      return graceExpired(state, action.playerId, action.disconnectedAt);
    case 'select_hokm':
    case 'play_card':
      return (
        staleMove(state, action) ??
        seatRefusal(state, action) ??
        afterOwnMove(state, move(state, action, rng), action.playerId)
      );
    case 'turn_timeout':
      return turnTimeout(state, action, (from, chosen) => move(from, chosen, rng));
    case 'resume':
      return resume(state, action.playerId);
    default:
      return unknownAction(action);
  }
}

// ---------------------------------------------------------------------------------------------
// Actions

function join(state: RoomState, action: Extract<Action, { type: 'join' }>, rng: Rng): RuleResult {
  const { playerId, name } = action;
  const bot = action.bot === true;
  if (state.players.length >= SEAT_COUNT) {
    return fail(
      'ROOM_FULL',
      'This room already has four players; join another room or create one.',
    );
  }
  if (state.phase !== 'waiting_for_players') {
    return fail('WRONG_PHASE', `${phaseMessage(state.phase)} Join another room or create one.`);
  }
  // Seating the same id twice would corrupt the table; the caller already holds that seat.
  if (findPlayer(state, playerId)) return unchanged(state);

  const next = cloneRoom(state);
  const taken = new Set(next.players.map((p) => p.seat));
  let seat = 0;
  while (taken.has(seat)) seat++;
  const player = withConnection(seatedPlayer(playerId, name, seat, bot), action.connectionId);
  next.players = bySeat([...next.players, player]);
  // A room left with bots only has no host; the next person to sit down takes the role.
  if (next.hostId === null && !bot) next.hostId = playerId;
  const events: DomainEvent[] = [{ type: 'player_joined', playerId, name, seat }];

  if (next.players.length === SEAT_COUNT) {
    const hakem = startMatch(next, rng);
    events.push({ type: 'match_started', hakem });
  }
  return { ok: true, state: next, events };
}

function leave(state: RoomState, playerId: string): RuleResult {
  if (!findPlayer(state, playerId)) return notInRoom();
  if (state.phase === 'waiting_for_players') return removeWaitingPlayer(state, playerId);

  const next = cloneRoom(state);
  markConnected(next, playerId, false);
  const events: DomainEvent[] = [{ type: 'player_left', playerId }];
  if (isMatchRunning(state.phase)) {
    abandon(next);
    events.push({ type: 'abandoned', reason: 'player_left', playerId });
  }
  return { ok: true, state: next, events };
}

function disconnect(state: RoomState, playerId: string, at: number | undefined): RuleResult {
  const player = findPlayer(state, playerId);
  if (!player) return notInRoom();
  if (!player.connected) return unchanged(state);
  const next = cloneRoom(state);
  next.players = next.players.map((p) => {
    if (p.playerId !== playerId) return p;
    const { connectionId: _gone, ...rest } = p;
    return at === undefined
      ? { ...rest, connected: false }
      : { ...rest, connected: false, disconnectedAt: at };
  });
  return { ok: true, state: next, events: [{ type: 'player_disconnected', playerId }] };
}

function reconnect(
  state: RoomState,
  playerId: string,
  connectionId: string | undefined,
): RuleResult {
  const player = findPlayer(state, playerId);
  if (!player) return notInRoom();
  // The protocol: a finished room answers only get_state and leave (to its seated sockets).
  if (!isMatchRunning(state.phase) && state.phase !== 'waiting_for_players') {
    const ended = state.phase === 'game_over' ? 'is over' : 'was abandoned';
    return fail(
      'WRONG_PHASE',
      `The match in this room ${ended}: its seats can't be taken back. Create or join another room.`,
    );
  }
  const sameSocket = player.connected && player.connectionId === connectionId;
  if (sameSocket && !isMarked(player)) return unchanged(state);
  const next = cloneRoom(state);
  // Coming back means being at the table again: away and the count of timeouts go too.
  next.players = next.players.map((p) => {
    if (p.playerId !== playerId) return p;
    const { disconnectedAt: _gone, ...rest } = present(p);
    return withConnection({ ...rest, connected: true }, connectionId);
  });
  const type = sameSocket ? 'player_resumed' : 'player_reconnected';
  return { ok: true, state: next, events: [{ type, playerId }] };
}

function graceExpired(
  state: RoomState,
  playerId: string,
  disconnectedAt: number | undefined,
): RuleResult {
  const player = findPlayer(state, playerId);
  // The player came back (or already left) before the timer fired: the timer lost the race.
  if (!player || player.connected) return unchanged(state);
  // A timer of an earlier disconnect: the seat dropped again since, with its own grace.
  if (disconnectedAt !== undefined && player.disconnectedAt !== disconnectedAt) {
    return unchanged(state);
  }
  if (state.phase === 'waiting_for_players') return removeWaitingPlayer(state, playerId);
  if (!isMatchRunning(state.phase)) return unchanged(state);
  const next = cloneRoom(state);
  abandon(next);
  return {
    ok: true,
    state: next,
    events: [{ type: 'abandoned', reason: 'grace_expired', playerId }],
  };
}

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

  const next = cloneRoom(state);
  const m = next.match as MatchState;
  m.hands[playerId] = hand.filter((c) => c !== card);
  m.currentTrick.push({ playerId, card });
  if (m.ledSuit === null) m.ledSuit = suitOf(card);
  const events: DomainEvent[] = [{ type: 'card_played', playerId, card }];

  if (m.currentTrick.length < SEAT_COUNT) {
    m.turn = nextPlayerId(next, playerId);
    return { ok: true, state: next, events };
  }

  const won = trickWinner(m.currentTrick, m.hokm) as PlayedCard;
  const team = teamOfSeat(seatOf(next, won.playerId));
  m.tricks[team] += 1;
  m.lastTrick = { cards: m.currentTrick, winner: won.playerId };
  m.currentTrick = [];
  m.ledSuit = null;
  m.turn = won.playerId;
  events.push({
    type: 'trick_won',
    winner: won.playerId,
    cards: m.lastTrick.cards.map((p) => ({ ...p })),
    tricks: [m.tricks[0], m.tricks[1]],
  });

  if (m.tricks[team] >= TRICKS_TO_WIN_HAND) endHand(next, team, rng, events);
  return { ok: true, state: next, events };
}

function move(state: RoomState, action: MoveAction, rng: Rng): RuleResult {
  return action.type === 'select_hokm'
    ? selectHokm(state, action.playerId, action.suit)
    : playCard(state, action.playerId, action.card, rng);
}

function unknownAction(action: never): RuleError {
  const type = (action as { type?: unknown }).type;
  return fail('WRONG_PHASE', `Unknown action ${JSON.stringify(type)}: nothing was changed.`);
}

// ---------------------------------------------------------------------------------------------
// State transitions on a private clone (these mutate their argument on purpose).

function startMatch(next: RoomState, rng: Rng): string {
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

function abandon(next: RoomState): void {
  next.phase = 'abandoned';
  if (next.match) next.match.turn = null;
}

function removeWaitingPlayer(state: RoomState, playerId: string): RuleResult {
  const next = cloneRoom(state);
  next.players = next.players.filter((p) => p.playerId !== playerId);
  if (next.hostId === playerId) {
    next.hostId = next.players.find((p) => p.bot !== true)?.playerId ?? null;
  }
  return { ok: true, state: next, events: [{ type: 'player_left', playerId }] };
}

function markConnected(next: RoomState, playerId: string, connected: boolean): void {
  next.players = next.players.map((p) => (p.playerId === playerId ? { ...p, connected } : p));
}

/** Moves `count` cards per player from the front of the deck, one block per player in order. */
function deal(m: MatchState, order: readonly string[], count: number): void {
  for (const playerId of order) {
    const dealt = m.deck.splice(0, count);
    m.hands[playerId] = [...(m.hands[playerId] ?? []), ...dealt];
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function seatedPlayer(playerId: string, name: string, seat: number, bot?: boolean): SeatedPlayer {
  return bot === true
    ? { playerId, name, seat, connected: true, bot: true }
    : { playerId, name, seat, connected: true };
}

function withConnection(player: SeatedPlayer, connectionId: string | undefined): SeatedPlayer {
  if (connectionId === undefined) {
    const { connectionId: _none, ...rest } = player;
    return rest;
  }
  return { ...player, connectionId };
}

function nameOf(state: RoomState, playerId: string): string {
  return findPlayer(state, playerId)?.name ?? 'another player';
}

// A seat never has two sockets: one that was replaced no longer speaks for it.
function seatRefusal(
  state: RoomState,
  action: { playerId: string; connectionId?: string },
): RuleError | null {
  const player = findPlayer(state, action.playerId);
  if (!player) return notInRoom();
  if (action.connectionId !== undefined && player.connectionId !== action.connectionId) {
    return fail('NOT_IN_ROOM', 'This seat is now held by another connection.');
  }
  return null;
}

// A scheduled move (a bot's) names the turn it was meant for; a later turn is not its business.
function staleMove(state: RoomState, action: MoveAction): RuleResult | null {
  if (action.turnStartedAt === undefined) return null;
  return (state.match?.turnStartedAt ?? null) === action.turnStartedAt ? null : unchanged(state);
}
