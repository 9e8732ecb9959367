import { seededRng } from '../game-state/domain/rng';
import { applyOk, CLOCK, hokmNamed, roomWith, timedRoom } from '../game-state/domain/testing';
import { legalCards } from '../game-state/domain/table';
import type { RoomState } from '../game-state/domain/types';
import { spectatorView, viewFor } from '../game-state/domain/view';
import { EncodedViews } from './encoded-views';

const T0 = 1_700_000_000_000;

/** A few states along a match: waiting, hokm selection, cards on the table. */
function states(): RoomState[] {
  const waiting = roomWith(2);
  const started = timedRoom(T0, seededRng(7));
  const chosen = hokmNamed(started, T0 + 500).state;
  const leader = chosen.match!.turn!;
  const card = chosen.match!.hands[leader]![0]!;
  const played = applyOk(chosen, { type: 'play_card', playerId: leader, card, at: T0 + 900 }).state;
  return [waiting, started, chosen, played];
}

describe('EncodedViews', () => {
  it("encodes each player's and a spectator's view byte for byte as JSON.stringify of viewFor / spectatorView", () => {
    for (const [i, state] of states().entries()) {
      const now = T0 + 1_000 * i;
      const views = new EncodedViews(state, now, CLOCK, 3);
      for (const player of state.players) {
        expect(views.seated(player.playerId).json).toBe(
          JSON.stringify(viewFor(state, player.playerId, now, CLOCK, 3)),
        );
      }
      expect(views.spectator().json).toBe(JSON.stringify(spectatorView(state, now, CLOCK, 3)));
    }
  });

  it('stays byte for byte right along a match, where states share the hands a move left alone', () => {
    let state = hokmNamed(timedRoom(T0, seededRng(11)), T0 + 500).state;
    // Three tricks: every player's `you` is encoded once per hand they hold, then reused.
    for (let move = 0; move < 12; move++) {
      const now = T0 + 1_000 + move * 100;
      const views = new EncodedViews(state, now, CLOCK, 0);
      for (const player of state.players) {
        expect(views.seated(player.playerId).json).toBe(
          JSON.stringify(viewFor(state, player.playerId, now, CLOCK, 0)),
        );
      }
      const turn = state.match!.turn!;
      const card = legalCards(state, turn)[0]!;
      state = applyOk(state, { type: 'play_card', playerId: turn, card, at: now }).state;
    }
    expect(state.match!.tricks[0] + state.match!.tricks[1]).toBe(3);
  });

  it('shows each player only their own hand', () => {
    const state = states()[3]!;
    const views = new EncodedViews(state, T0, CLOCK, 0);
    for (const player of state.players) {
      const view = JSON.parse(views.seated(player.playerId).json) as { you: { hand: string[] } };
      expect(view.you.hand.sort()).toEqual([...state.match!.hands[player.playerId]!].sort());
    }
    expect(JSON.parse(views.spectator().json)).toMatchObject({ you: null });
  });
});
