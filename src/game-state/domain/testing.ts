// Builders of known room states for specs (this folder and others); plain data, no test framework.
import { chooseBotAction } from './bot';
import { FULL_DECK } from './cards';
import { applyAction, newRoom } from './rules';
import { seededRng } from './rng';
import type {
  Action,
  Card,
  PlayedCard,
  RoomState,
  Rng,
  RuleSuccess,
  Suit,
  TurnClock,
} from './types';

/** Applies an action that must succeed; throws with the refusal otherwise (test setup only). */
export function applyOk(state: RoomState, action: Action, rng: Rng = seededRng(1)): RuleSuccess {
  const result = applyAction(state, action, rng);
  if (!result.ok)
    throw new Error(`expected ${action.type} to succeed: ${result.code} ${result.message}`);
  return result;
}

/** A room with players p0..p(n-1) joined in order (the fourth join starts the match with rng). */
export function roomWith(count: number, rng: Rng = seededRng(1), targetScore = 7): RoomState {
  let state = newRoom('ROOM42', targetScore, { playerId: 'p0', name: 'Player 0' });
  for (let i = 1; i < count; i++) {
    state = applyOk(state, { type: 'join', playerId: `p${i}`, name: `Player ${i}` }, rng).state;
  }
  return state;
}

/** The turn clock of the specs: 30 s a turn, bots after 1 s, two minutes of grace. */
export const CLOCK: TurnClock = { turnMs: 30_000, botDelayMs: 1_000, graceMs: 120_000 };

/**
 * A started match whose joins happened at `at` (so the hakem's turn started then); players in
 * `bots` join as bots. p0 is the host.
 */
export function timedRoom(at: number, rng: Rng = seededRng(1), bots: string[] = []): RoomState {
  let state = newRoom('ROOM42', 7, { playerId: 'p0', name: 'Player 0' });
  for (const id of ['p1', 'p2', 'p3']) {
    const name = `Player ${id.slice(1)}`;
    const join: Action = { type: 'join', playerId: id, name, bot: bots.includes(id), at };
    state = applyOk(state, join, rng).state;
  }
  return state;
}

/** The hakem of a started match names the hokm (hearts unless told) at `at`. */
export function hokmNamed(state: RoomState, at: number, suit: Suit = 'hearts'): RuleSuccess {
  const playerId = state.match?.hakem;
  if (playerId === undefined) throw new Error('hokmNamed: no match has started');
  return applyOk(state, { type: 'select_hokm', playerId, suit, at });
}

/** Options for a hand-built gameplay state; players p0..p3 sit in seats 0..3. */
export interface TableSetup {
  /** Hands by seat. */
  hands: [Card[], Card[], Card[], Card[]];
  hokm: Suit;
  hakemSeat?: number;
  /** Seat to play; defaults to the seat after the last card of currentTrick, else the hakem. */
  turnSeat?: number;
  currentTrick?: PlayedCard[];
  tricks?: [number, number];
  scores?: [number, number];
  targetScore?: number;
  handNumber?: number;
  /** When the awaited action became awaited; absent means unknown (as before the clock). */
  turnStartedAt?: number;
}

/** A gameplay state with exactly the given hands (other cards count as already played). */
export function tableState(setup: TableSetup): RoomState {
  const hakemSeat = setup.hakemSeat ?? 0;
  const trick = setup.currentTrick ?? [];
  const last = trick[trick.length - 1];
  const turnSeat = setup.turnSeat ?? (last ? (Number(last.playerId.slice(1)) + 1) % 4 : hakemSeat);
  const first = trick[0];
  return {
    roomCode: 'ROOM42',
    version: 0,
    phase: 'gameplay',
    targetScore: setup.targetScore ?? 7,
    hostId: 'p0',
    players: [0, 1, 2, 3].map((seat) => ({
      playerId: `p${seat}`,
      name: `Player ${seat}`,
      seat,
      connected: true,
    })),
    match: {
      hands: Object.fromEntries(setup.hands.map((hand, seat) => [`p${seat}`, [...hand]])),
      deck: [],
      hakem: `p${hakemSeat}`,
      hokm: setup.hokm,
      turn: `p${turnSeat}`,
      ...(setup.turnStartedAt === undefined ? {} : { turnStartedAt: setup.turnStartedAt }),
      ledSuit: first ? (first.card.slice(first.card.indexOf('_') + 1) as Suit) : null,
      currentTrick: trick.map((p) => ({ ...p })),
      lastTrick: null,
      tricks: setup.tricks ?? [0, 0],
      scores: setup.scores ?? [0, 0],
      handNumber: setup.handNumber ?? 1,
      winnerTeam: null,
    },
  };
}

/** Freezes a value and everything inside it, so any mutation by the code under test throws. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) deepFreeze(record[key]);
  }
  return value;
}

/** The 52 cards as a sorted list, for comparing card multisets. */
export const SORTED_DECK: readonly Card[] = [...FULL_DECK].sort();

/**
 * Every state along one room's life, committed as the store would (each a version up): joins, a
 * whole match to 2 points (with disconnects, reconnects and the clock's timeouts along it unless
 * `incidents` is false), and the room emptying afterwards.
 */
export function lifeOfARoom(seed: number, incidents = true): RoomState[] {
  const rng: Rng = seededRng(seed);
  const pick = seededRng(seed + 1000);
  let state: RoomState = {
    ...newRoom('PATCH1', 2, { playerId: 'p0', name: 'P0' }),
    version: 1,
  };
  const states = [state];
  let at = 1_700_000_000_000;
  const apply = (action: Action): void => {
    const result = applyAction(deepFreeze(state), { ...action, at }, rng);
    if (!result.ok || result.state === state) return;
    state = { ...result.state, version: state.version + 1 };
    states.push(state);
  };
  for (const id of ['p1', 'p2', 'p3'])
    apply({ type: 'join', playerId: id, name: id.toUpperCase() });
  while (state.phase !== 'game_over') {
    at += 1_000;
    const turn = state.match?.turn;
    if (!turn) break;
    const roll = incidents ? pick.int(20) : -1;
    const player = state.players[pick.int(4)]!;
    if (roll === 0 && player.connected) {
      apply({ type: 'disconnect', playerId: player.playerId });
    } else if (roll === 1 && !player.connected) {
      apply({ type: 'reconnect', playerId: player.playerId, connectionId: `c${at}` });
    } else if (roll === 2 && typeof state.match?.turnStartedAt === 'number') {
      // The clock acts for the player once their time is up.
      at = state.match.turnStartedAt + CLOCK.turnMs + 1;
      const turnStartedAt = state.match.turnStartedAt;
      apply({ type: 'turn_timeout', playerId: turn, turnStartedAt, at, clock: CLOCK });
    } else {
      const move = chooseBotAction(state, turn);
      if (move) apply(move);
    }
  }
  for (const player of [...state.players]) apply({ type: 'leave', playerId: player.playerId });
  return states;
}
