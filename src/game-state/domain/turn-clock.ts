// The turn clock inside the rules: acting for an idle player, away seats, and when turns start.
import { chooseBotAction } from './bot';
import { knownTurnStart, turnDeadline, turnKeyOf } from './deadlines';
import { cloneRoom, fail, notInRoom, phaseMessage, unchanged } from './rule-results';
import { findPlayer } from './table';
import type { Action, DomainEvent, MoveAction, RoomState, RuleResult, SeatedPlayer } from './types';

/** Consecutive timeouts after which a player is away (their turns go at the bots' pace). */
export const TIMEOUTS_TO_AWAY = 2;

type TurnTimeout = Extract<Action, { type: 'turn_timeout' }>;

/**
 * The clock acts for the awaited human with the bots' choice, if the deadline it answers still
 * applies (same turn, same start, due per `clock` at `at`); any other case changes nothing.
 */
export function turnTimeout(
  state: RoomState,
  action: TurnTimeout,
  applyMove: (state: RoomState, move: MoveAction) => RuleResult,
): RuleResult {
  const { playerId } = action;
  const match = state.match;
  const player = findPlayer(state, playerId);
  // A bot is never timed out: its own scheduled move answers its deadline.
  if (!match || !player || player.bot === true || match.turn !== playerId) return unchanged(state);
  if ((match.turnStartedAt ?? null) !== action.turnStartedAt) return unchanged(state);
  const due = turnDeadline(state, action.clock);
  if (due === null || due > action.at) return unchanged(state);
  const chosen = chooseBotAction(state, playerId);
  if (!chosen) return unchanged(state);

  const result = applyMove(state, chosen);
  if (!result.ok) return result;
  const players = result.state.players.map((p) => (p.playerId === playerId ? timedOut(p) : p));
  const events: DomainEvent[] = [
    { type: 'turn_timeout', playerId },
    ...auto(result.events, playerId),
  ];
  return { ok: true, state: { ...result.state, players }, events };
}

/** `resume`: the player is at the table again; `{}` (no change) when they were not marked. */
export function resume(state: RoomState, playerId: string): RuleResult {
  const player = findPlayer(state, playerId);
  if (!player) return notInRoom();
  if (state.phase === 'game_over' || state.phase === 'abandoned') {
    return fail('WRONG_PHASE', phaseMessage(state.phase));
  }
  if (!isMarked(player)) return unchanged(state);
  const next = cloneRoom(state);
  next.players = next.players.map((p) => (p.playerId === playerId ? present(p) : p));
  return { ok: true, state: next, events: [{ type: 'player_resumed', playerId }] };
}

/** A player who moved themselves is back: away and their count of timeouts go. */
export function afterOwnMove(before: RoomState, result: RuleResult, playerId: string): RuleResult {
  if (!result.ok || result.state === before) return result;
  const mover = findPlayer(result.state, playerId);
  if (!mover || !isMarked(mover)) return result;
  const players = result.state.players.map((p) => (p.playerId === playerId ? present(p) : p));
  return { ...result, state: { ...result.state, players } };
}

/** True when the clock has acted for the player since they last acted themselves. */
export function isMarked(player: SeatedPlayer): boolean {
  return player.away === true || (player.timeouts ?? 0) > 0;
}

/** The player without the clock's marks (a copy). */
export function present(player: SeatedPlayer): SeatedPlayer {
  const { away: _away, timeouts: _timeouts, ...rest } = player;
  return rest;
}

/**
 * Records when the awaited action became awaited, and which turn that is (MatchState.turnKey): at
 * `action.at` when the change handed the turn on (a move, the match starting, the next hand),
 * null when nothing is awaited. A start left unknown (an action without `at`, a state stored
 * before the clock, a stamp of an earlier turn) is taken from the next change that carries `at`,
 * so the clock then counts from a moment no earlier than the real start.
 */
export function stampTurn(before: RoomState, action: Action, result: RuleResult): RuleResult {
  if (!result.ok || result.state === before) return result;
  const match = result.state.match;
  if (!match) return result;
  const start = turnStart(before, action, match.turn, knownTurnStart(result.state));
  if (start === null) {
    if (match.turnStartedAt === null && match.turnKey === undefined) return result;
    const { turnKey: _key, ...unstamped } = match;
    return { ...result, state: { ...result.state, match: { ...unstamped, turnStartedAt: null } } };
  }
  const turnKey = turnKeyOf(result.state);
  if (start === match.turnStartedAt && turnKey === match.turnKey) return result;
  const stamped = { ...match, turnStartedAt: start, turnKey };
  return { ...result, state: { ...result.state, match: stamped } };
}

function turnStart(
  before: RoomState,
  action: Action,
  turn: string | null,
  known: number | null,
): number | null {
  if (turn === null) return null;
  const at = action.at ?? null;
  const handedOn = isMove(action) || (before.match?.turn ?? null) !== turn;
  if (!handedOn) return known ?? at;
  if (at === null) return null;
  const previous = before.match?.turnStartedAt ?? null;
  // Strictly increasing, so (turn, turnStartedAt) names one turn even within one millisecond.
  return previous === null ? at : Math.max(at, previous + 1);
}

function isMove(action: Action): boolean {
  return (
    action.type === 'select_hokm' || action.type === 'play_card' || action.type === 'turn_timeout'
  );
}

function timedOut(player: SeatedPlayer): SeatedPlayer {
  const timeouts = (player.timeouts ?? 0) + 1;
  return timeouts >= TIMEOUTS_TO_AWAY
    ? { ...player, timeouts, away: true }
    : { ...player, timeouts };
}

// The move the clock made for the player is marked `auto` (only that one: later events are not).
function auto(events: readonly DomainEvent[], playerId: string): DomainEvent[] {
  let marked = false;
  return events.map((e) => {
    if (marked || (e.type !== 'hokm_selected' && e.type !== 'card_played')) return e;
    if (e.playerId !== playerId) return e;
    marked = true;
    return { ...e, auto: true };
  });
}
