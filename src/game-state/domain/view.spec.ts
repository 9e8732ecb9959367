import { sortHand } from './cards';
import { seededRng } from './rng';
import { newRoom } from './rules';
import { applyOk, CLOCK, roomWith, timedRoom } from './testing';
import type { RoomState } from './types';
import { spectatorView, viewFor } from './view';

const T0 = 1_700_000_000_000;

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
        {
          playerId: 'p0',
          name: 'Ann',
          seat: 0,
          team: 0,
          connected: true,
          cardCount: 0,
          away: false,
        },
        {
          playerId: 'b1',
          name: 'Bot',
          seat: 1,
          team: 1,
          connected: true,
          cardCount: 0,
          away: false,
          bot: true,
        },
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
      matchId: null,
      visibility: 'private',
      spectators: 0,
      turnDeadline: null,
      turnRemainingMs: null,
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

describe('the turn clock in views', () => {
  it('shows when the server acts for the turn and how long is left', () => {
    const state = timedRoom(T0);

    const view = viewFor(state, 'p0', T0 + 12_345, CLOCK);

    expect(view.turnDeadline).toBe(T0 + CLOCK.turnMs);
    expect(view.turnRemainingMs).toBe(CLOCK.turnMs - 12_345);
  });

  it('never shows a negative time left', () => {
    const view = viewFor(timedRoom(T0), 'p1', T0 + CLOCK.turnMs + 500, CLOCK);

    expect(view.turnRemainingMs).toBe(0);
  });

  it("shows no deadline with the clock off (not even a bot's), nor without a clock", () => {
    const started = timedRoom(T0, seededRng(1), ['p1', 'p2', 'p3']);
    const bots: RoomState = { ...started, match: { ...started.match!, hakem: 'p1', turn: 'p1' } };
    const off = { ...CLOCK, turnMs: 0 };

    expect(viewFor(bots, 'p0', T0, CLOCK).turnDeadline).toBe(T0 + CLOCK.botDelayMs);
    for (const view of [viewFor(bots, 'p0', T0, off), viewFor(bots, 'p0')]) {
      expect(view.turnDeadline).toBeNull();
      expect(view.turnRemainingMs).toBeNull();
    }
  });

  it('shows who is away, false for everyone else', () => {
    const state = timedRoom(T0);
    const marked: RoomState = {
      ...state,
      players: state.players.map((p) =>
        p.playerId === 'p2' ? { ...p, away: true, timeouts: 2 } : p,
      ),
    };

    const view = viewFor(marked, 'p0', T0, CLOCK);

    expect(view.players.map((p) => [p.playerId, p.away])).toEqual(
      marked.players.map((p) => [p.playerId, p.playerId === 'p2']),
    );
    expect(JSON.stringify(view)).not.toContain('timeouts');
  });
});

describe('spectatorView', () => {
  it('is the players table with you: null and no card of any hand', () => {
    const state = { ...timedRoom(T0, seededRng(3)), version: 9 };
    const now = T0 + 1_000;

    const view = spectatorView(state, now, CLOCK);

    const { you: _you, ...seated } = viewFor(state, 'p0', now, CLOCK);
    expect(view).toEqual({ ...seated, you: null });
    const json = JSON.stringify(view);
    for (const card of [...Object.values(state.match!.hands).flat(), ...state.match!.deck]) {
      expect(json).not.toContain(`"${card}"`);
    }
  });

  it('shows the cards on the table, which everyone sees', () => {
    let state = timedRoom(T0, seededRng(3));
    const hakem = state.match!.hakem;
    state = applyOk(state, { type: 'select_hokm', playerId: hakem, suit: 'clubs', at: T0 }).state;
    const card = state.match!.hands[hakem]![0]!;
    state = applyOk(state, { type: 'play_card', playerId: hakem, card, at: T0 + 1 }).state;

    const view = spectatorView(state, T0 + 2, CLOCK);

    expect(view.currentTrick).toEqual([{ playerId: hakem, card }]);
    expect(view.players.map((p) => p.cardCount)).toEqual(
      state.players.map((p) => (p.playerId === hakem ? 12 : 13)),
    );
  });

  it('carries the watchers as counted, the same number players see; none when not told', () => {
    const state = timedRoom(T0, seededRng(4));

    expect(spectatorView(state, T0, CLOCK, 17).spectators).toBe(17);
    expect(viewFor(state, 'p1', T0, CLOCK, 17).spectators).toBe(17);
    expect(spectatorView(state).spectators).toBe(0);
    expect(spectatorView(state)).toMatchObject({ you: null, turnDeadline: null });
  });
});
