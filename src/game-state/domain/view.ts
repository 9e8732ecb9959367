// Projects the full room state onto what one receiver may see: a seated player sees only their own
// hand, a spectator no hand at all, and nobody ever the deck.
import type {
  GameView,
  PlayerView,
  SeatedGameView,
  SpectatorGameView,
  YouView,
} from '../../protocol/hokm-protocol';
import { sortHand } from './cards';
import { turnDeadline } from './deadlines';
import { teamOfSeat } from './table';
import type { RoomState, TurnClock } from './types';

/**
 * The caller's own GameView; throws if playerId holds no seat (a caller bug). With `now` and
 * `clock` it carries the turn's deadline; without them (or with the clock off) that is null.
 * `spectators`: the room's watchers as counted (kept beside the room, not in its state).
 */
export function viewFor(
  state: RoomState,
  playerId: string,
  now?: number,
  clock?: TurnClock,
  spectators = 0,
): SeatedGameView {
  return { ...tableView(state, now, clock, spectators), you: youView(state, playerId) };
}

/** A spectator's GameView: the same table as every player sees, `you: null`, no hand anywhere. */
export function spectatorView(
  state: RoomState,
  now?: number,
  clock?: TurnClock,
  spectators = 0,
): SpectatorGameView {
  return { ...tableView(state, now, clock, spectators), you: null };
}

/**
 * Everything of a GameView but `you`: what every receiver of the room may see, the same for all
 * of them (so it may be built, and encoded, once per change). No hand is read here.
 */
export function tableView(
  state: RoomState,
  now: number | undefined,
  clock: TurnClock | undefined,
  spectators: number,
): Omit<GameView, 'you'> {
  const match = state.match;
  const players = [...state.players]
    .sort((a, b) => a.seat - b.seat)
    .map((p): PlayerView => {
      const view: PlayerView = {
        playerId: p.playerId,
        name: p.name,
        seat: p.seat,
        team: teamOfSeat(p.seat),
        connected: p.connected,
        cardCount: match?.hands[p.playerId]?.length ?? 0,
        away: p.away === true,
      };
      if (p.bot === true) view.bot = true;
      return view;
    });
  // The contract: no deadline shows while the clock is off, not even a bot's.
  const deadline =
    now !== undefined && clock !== undefined && clock.turnMs > 0
      ? turnDeadline(state, clock)
      : null;

  // Every array is copied so a caller mutating the view can never reach the stored state.
  return {
    roomCode: state.roomCode,
    version: state.version,
    phase: state.phase,
    targetScore: state.targetScore,
    players,
    hakem: match?.hakem ?? null,
    hokm: match?.hokm ?? null,
    turn: match?.turn ?? null,
    ledSuit: match?.ledSuit ?? null,
    currentTrick: (match?.currentTrick ?? []).map((c) => ({ playerId: c.playerId, card: c.card })),
    lastTrick: match?.lastTrick
      ? {
          cards: match.lastTrick.cards.map((c) => ({ playerId: c.playerId, card: c.card })),
          winner: match.lastTrick.winner,
        }
      : null,
    tricks: match ? [match.tricks[0], match.tricks[1]] : [0, 0],
    scores: match ? [match.scores[0], match.scores[1]] : [0, 0],
    handNumber: match?.handNumber ?? 0,
    winnerTeam: match?.winnerTeam ?? null,
    hostId: state.hostId,
    matchId: match?.matchId ?? null,
    visibility: state.visibility ?? 'private',
    spectators,
    turnDeadline: deadline,
    turnRemainingMs: deadline === null || now === undefined ? null : Math.max(0, deadline - now),
  };
}

/** A seated player's own part of their GameView; throws if playerId holds no seat (a caller bug). */
export function youView(state: RoomState, playerId: string): YouView {
  const me = state.players.find((p) => p.playerId === playerId);
  if (!me) throw new Error(`youView: player ${playerId} is not seated in room ${state.roomCode}`);
  return {
    playerId: me.playerId,
    seat: me.seat,
    team: teamOfSeat(me.seat),
    hand: sortHand(state.match?.hands[me.playerId] ?? []),
  };
}
