import type { MatchState, SeatedPlayer } from '../../src/game-state/domain/types';
import type { RoomMeta } from '../../src/game-state/room-store.port';

/** A seated player; `seat` also picks a default id and name. */
export function player(seat: number, overrides: Partial<SeatedPlayer> = {}): SeatedPlayer {
  return { playerId: `p${seat}`, name: `Player ${seat}`, seat, connected: true, ...overrides };
}

/** The four seats of a full table, in seat order. */
export function fullTable(): SeatedPlayer[] {
  return [0, 1, 2, 3].map((seat) => player(seat));
}

/** A new room's fields, as the rooms service creates it. */
export function waitingRoom(overrides: Partial<RoomMeta> = {}): RoomMeta {
  return { phase: 'waiting_for_players', targetScore: 7, hostId: 'p0', ...overrides };
}

/** A plausible mid-hand match state (JSON only; not meant to satisfy the rules engine). */
export function sampleMatch(overrides: Partial<MatchState> = {}): MatchState {
  return {
    hands: {
      p0: ['A_hearts', '10_spades'],
      p1: ['2_clubs', 'K_diamonds'],
      p2: ['Q_hearts', '3_spades'],
      p3: ['J_clubs', '9_diamonds'],
    },
    deck: [],
    hakem: 'p0',
    hokm: 'hearts',
    turn: 'p1',
    ledSuit: 'hearts',
    currentTrick: [{ playerId: 'p0', card: '5_hearts' }],
    lastTrick: null,
    tricks: [1, 0],
    scores: [0, 0],
    handNumber: 1,
    winnerTeam: null,
    ...overrides,
  };
}
