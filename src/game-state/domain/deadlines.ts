// When a room's timed actions fall due (turn clock, bots' pace, reconnect grace), and what they are.
import { chooseBotAction } from './bot';
import { findPlayer, isMatchRunning } from './table';
import type { Action, RoomState, TurnClock } from './types';

/** A disconnected human's reconnect grace: when it runs out and what keys it. */
export interface GraceDeadline {
  playerId: string;
  disconnectedAt: number;
  /** disconnectedAt + graceMs. */
  dueAt: number;
}

/** The key of the turn awaited in `state` (see MatchState.turnKey); allocates nothing. */
export function turnKeyOf(state: RoomState): number {
  const match = state.match;
  if (!match) return 0;
  let cards = 0;
  for (const player of state.players) cards += match.hands[player.playerId]?.length ?? 0;
  // At most 52 cards in hands, so the phase and the hand never collide with them.
  return match.handNumber * 128 + (state.phase === 'hokm_selection' ? 64 : 0) + cards;
}

/**
 * When the awaited action became awaited (ms), or null: nothing awaited, the start unknown, or
 * a stamp of an earlier turn (a version without the clock moved the match on since).
 */
export function knownTurnStart(state: RoomState): number | null {
  const match = state.match;
  const start = match?.turnStartedAt;
  if (!match || match.turn === null || typeof start !== 'number') return null;
  return match.turnKey === undefined || match.turnKey === turnKeyOf(state) ? start : null;
}

/**
 * When the server acts for `turn` (ms), or null: no action awaited, the turn's start unknown, or
 * a human's turn with the clock off. A bot moves at its delay, an away human at the bots' pace.
 */
export function turnDeadline(state: RoomState, clock: TurnClock): number | null {
  const match = state.match;
  if (!match || !isMatchRunning(state.phase) || match.turn === null) return null;
  const start = knownTurnStart(state);
  if (start === null) return null;
  const player = findPlayer(state, match.turn);
  if (!player) return null;
  if (player.bot === true) return start + clock.botDelayMs;
  // With the clock off nobody acts in a human's place, away or not.
  if (clock.turnMs <= 0) return null;
  const away = player.away === true ? Math.min(clock.botDelayMs, clock.turnMs) : clock.turnMs;
  return start + away;
}

/** The reconnect grace of every disconnected human while the room can still lose them. */
export function graceDeadlines(state: RoomState, clock: TurnClock): GraceDeadline[] {
  if (state.phase !== 'waiting_for_players' && !isMatchRunning(state.phase)) return [];
  const graces: GraceDeadline[] = [];
  for (const p of state.players) {
    if (p.connected || p.bot === true || p.disconnectedAt === undefined) continue;
    const { playerId, disconnectedAt } = p;
    graces.push({ playerId, disconnectedAt, dueAt: disconnectedAt + clock.graceMs });
  }
  return graces.sort((a, b) => a.dueAt - b.dueAt);
}

/**
 * The earliest of the room's deadlines (turn, bot, grace), or null when nothing is timed. Asked
 * of every change (the deadline index, the local timer), so it allocates nothing.
 */
export function nextDeadline(state: RoomState, clock: TurnClock): number | null {
  let next = turnDeadline(state, clock);
  if (state.phase !== 'waiting_for_players' && !isMatchRunning(state.phase)) return next;
  for (const p of state.players) {
    if (p.connected || p.bot === true || p.disconnectedAt === undefined) continue;
    const dueAt = p.disconnectedAt + clock.graceMs;
    if (next === null || dueAt < next) next = dueAt;
  }
  return next;
}

/**
 * The actions due at `now`, to apply in order, each to the state the previous one left: graces
 * first (one ends the match), then the turn (a bot's own move, or the clock's `turn_timeout`).
 * Each names the deadline it answers, so applied to a room that moved on it changes nothing.
 */
export function dueActions(state: RoomState, now: number, clock: TurnClock): Action[] {
  const actions: Action[] = graceDeadlines(state, clock)
    .filter((g) => g.dueAt <= now)
    .map((g) => ({
      type: 'grace_expired',
      playerId: g.playerId,
      disconnectedAt: g.disconnectedAt,
      at: now,
    }));
  const due = turnDeadline(state, clock);
  const match = state.match;
  const turn = match?.turn ?? null;
  const turnStartedAt = match?.turnStartedAt;
  if (due === null || due > now || turn === null || typeof turnStartedAt !== 'number') {
    return actions;
  }
  if (findPlayer(state, turn)?.bot === true) {
    const move = chooseBotAction(state, turn);
    if (move) actions.push({ ...move, turnStartedAt, at: now });
  } else {
    actions.push({ type: 'turn_timeout', playerId: turn, turnStartedAt, at: now, clock });
  }
  return actions;
}
