import { sortHand } from './cards';
import { seededRng } from './rng';
import { newRoom } from './rules';
import { applyOk, roomWith } from './testing';
import type { RoomState } from './types';
import { viewFor } from './view';

function otherPlayersCards(state: RoomState, playerId: string): string[] {
  const m = state.match!;
  return [
    ...Object.entries(m.hands)
      .filter(([id]) => id !== playerId)
      .flatMap(([, hand]) => hand),
    ...m.deck,
  ];
}

describe('viewFor', () => {
  it('shows a waiting room with defaults before the match', () => {
    let state = newRoom('ROOM42', 3, { playerId: 'p0', name: 'Ann' });
    state = applyOk(state, { type: 'join', playerId: 'b1', name: 'Bot', bot: true }).state;
    state = { ...state, version: 5 };

    const view = viewFor(state, 'b1');

    expect(view).toEqual({
      roomCode: 'ROOM42',
      version: 5,
      phase: 'waiting_for_players',
      targetScore: 3,
      players: [
        { playerId: 'p0', name: 'Ann', seat: 0, team: 0, connected: true, cardCount: 0 },
        { playerId: 'b1', name: 'Bot', seat: 1, team: 1, connected: true, cardCount: 0, bot: true },
      ],
      you: { playerId: 'b1', seat: 1, team: 1, hand: [] },
      hakem: null,
      hokm: null,
      turn: null,
      ledSuit: null,
      currentTrick: [],
      lastTrick: null,
      tricks: [0, 0],
      scores: [0, 0],
      handNumber: 0,
      winnerTeam: null,
      hostId: 'p0',
    });
  });

  it('shows the caller their own sorted hand and only card counts of the others', () => {
    const state = roomWith(4, seededRng(3));
    const m = state.match!;

    for (const me of state.players) {
      const view = viewFor(state, me.playerId);
      const json = JSON.stringify(view);

      expect(view.you).toEqual({
        playerId: me.playerId,
        seat: me.seat,
        team: me.seat % 2,
        hand: sortHand(m.hands[me.playerId]!),
      });
      expect(view.players.map((p) => [p.seat, p.team, p.cardCount])).toEqual([
        [0, 0, 5],
        [1, 1, 5],
        [2, 0, 5],
        [3, 1, 5],
      ]);
      expect(view.hakem).toBe(m.hakem);
      expect(view.turn).toBe(m.hakem);
      expect(view.handNumber).toBe(1);
      expect(json).not.toContain('deck');
      for (const card of otherPlayersCards(state, me.playerId)) {
        expect(json).not.toContain(`"${card}"`);
      }
    }
  });

  it('does not share arrays with the stored state', () => {
    const state = roomWith(4);
    const me = state.match!.hakem;

    const view = viewFor(state, me);
    view.you.hand.pop();
    view.scores[0] = 99;

    expect(state.match!.hands[me]).toHaveLength(5);
    expect(state.match!.scores).toEqual([0, 0]);
  });

  it('throws for a player who is not seated (a caller bug)', () => {
    expect(() => viewFor(roomWith(2), 'ghost')).toThrow(/not seated/);
  });
});
