// Random matches played through the pure rules with the journal kept as the server keeps it
// (journalFor on every change), for specs and the replay suite. Plain data, no test framework.
import { newRoom, applyAction, legalCards } from '../../game-state/domain/rules';
import { seededRng } from '../../game-state/domain/rng';
import { isMatchRunning } from '../../game-state/domain/table';
import {
  SUITS,
  type Action,
  type DomainEvent,
  type RoomState,
  type TurnClock,
} from '../../game-state/domain/types';
import { journalFor } from './journal';

/** How a simulated match goes. */
export interface SimulatedMatchOptions {
  targetScore?: number;
  /** Ends the match after this many moves: a player leaves, or loses the connection for good. */
  abandonAfter?: { moves: number; how: 'leave' | 'grace_expired' };
  /** Share of turns the clock takes for the player (0..1); default 0. */
  timeouts?: number;
  /** Seats (by join order, 1..3) that join as bots. */
  bots?: number[];
  roomCode?: string;
  /** The first action's time (ms); each change is 1.5 s after the one before. */
  startAt?: number;
}

/** A simulated match: its room at the end, every journal line, every event. */
export interface SimulatedMatch {
  state: RoomState;
  journal: string[];
  events: DomainEvent[];
  moves: number;
}

const CLOCK: TurnClock = { turnMs: 1_000, botDelayMs: 0, graceMs: 1_000 };

/** Plays one random match (seeded: the same seed plays the same match). */
export function simulateMatch(seed: number, options: SimulatedMatchOptions = {}): SimulatedMatch {
  const deck = seededRng(seed);
  const choice = seededRng(seed ^ 0x51ed270b);
  let now = options.startAt ?? 1_700_000_000_000;
  const journal: string[] = [];
  const events: DomainEvent[] = [];
  // Ids as long as the server's (`p_` and 12 base64url characters), so sizes are realistic.
  const idOf = (i: number, bot: boolean) => `p_${bot ? 'bot' : 'hum'}${i}xxxxxxxx`;
  const host = { playerId: idOf(0, false), name: 'Host', connectionId: 'conn-0' };
  let state = newRoom(options.roomCode ?? 'RECORD', options.targetScore ?? 7, host);
  const step = (action: Action): void => {
    const result = applyAction(state, action, deck);
    if (!result.ok) throw new Error(`${action.type} refused: ${result.code} ${result.message}`);
    if (result.events.length === 0) return;
    journal.push(...(journalFor(state, result.state, result.events, now)?.journal ?? []));
    events.push(...result.events);
    state = result.state;
    now += 1_500;
  };
  for (let i = 1; i < 4; i++) {
    const bot = options.bots?.includes(i) === true;
    const id = idOf(i, bot);
    step({
      type: 'join',
      playerId: id,
      name: `Player ${i}`,
      bot,
      connectionId: `conn-${i}`,
      at: now,
    });
  }
  let moves = 0;
  while (isMatchRunning(state.phase)) {
    const match = state.match;
    const turn = match?.turn;
    if (!match || !turn) throw new Error('a running match awaits no one');
    const abandon = options.abandonAfter;
    if (abandon && moves >= abandon.moves) {
      const victim = state.players.find((p) => p.bot !== true)?.playerId ?? host.playerId;
      if (abandon.how === 'leave') step({ type: 'leave', playerId: victim, at: now });
      else {
        step({ type: 'disconnect', playerId: victim, at: now });
        step({ type: 'grace_expired', playerId: victim, at: now });
      }
      break;
    }
    const human = state.players.find((p) => p.playerId === turn)?.bot !== true;
    const start = match.turnStartedAt;
    if (human && start != null && choice.int(1000) < (options.timeouts ?? 0) * 1000) {
      now = Math.max(now, start + CLOCK.turnMs);
      step({ type: 'turn_timeout', playerId: turn, turnStartedAt: start, at: now, clock: CLOCK });
    } else if (state.phase === 'hokm_selection') {
      step({
        type: 'select_hokm',
        playerId: turn,
        suit: SUITS[choice.int(4)] ?? 'hearts',
        at: now,
      });
    } else {
      const legal = legalCards(state, turn);
      const card = legal[choice.int(legal.length)] as string;
      step({ type: 'play_card', playerId: turn, card, at: now });
    }
    moves++;
  }
  return { state, journal, events, moves };
}
