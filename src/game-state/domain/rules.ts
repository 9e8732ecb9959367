// The Hokm rules as pure functions: (state, action, rng) → next state + events, or a refusal.
import { abandon, playMove, startMatch } from './play';
import { cloneRoom, fail, notInRoom, phaseMessage, unchanged } from './rule-results';
import { bySeat, findPlayer, isMatchRunning, SEAT_COUNT } from './table';
import { afterOwnMove, isMarked, present, resume, stampTurn, turnTimeout } from './turn-clock';
import type {
  Action,
  DomainEvent,
  MoveAction,
  RoomState,
  Rng,
  RuleError,
  RuleResult,
  SeatedPlayer,
} from './types';

// Long-standing exports of this module; they live in table.ts so the bots can use them too.
export { legalCards, SEAT_COUNT, teamOfSeat, trickWinner } from './table';
export { FIRST_DEAL, SECOND_DEAL, TRICKS_TO_WIN_HAND } from './play';

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
        afterOwnMove(state, playMove(state, action, rng), action.playerId)
      );
    case 'turn_timeout':
      return turnTimeout(state, action, (from, chosen) => playMove(from, chosen, rng));
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

function unknownAction(action: never): RuleError {
  const type = (action as { type?: unknown }).type;
  return fail('WRONG_PHASE', `Unknown action ${JSON.stringify(type)}: nothing was changed.`);
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
