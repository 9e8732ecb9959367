import { chooseBotAction } from './domain/bot';
import { applyAction, newRoom } from './domain/rules';
import { seededRng } from './domain/rng';
import { CLOCK, deepFreeze } from './domain/testing';
import type { Action, RoomState, Rng } from './domain/types';
import { applyPatch, patchOf, type RoomPatch } from './room-patch';

const T0 = 1_700_000_000_000;
const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * Every state along one room's life, committed as the store would (each a version up): joins, a
 * whole match to 2 points (with disconnects, reconnects and the clock's timeouts along it unless
 * `incidents` is false), and the room emptying afterwards.
 */
function lifeOfARoom(seed: number, incidents = true): RoomState[] {
  const rng: Rng = seededRng(seed);
  const pick = seededRng(seed + 1000);
  let state: RoomState = {
    ...newRoom('PATCH1', 2, { playerId: 'p0', name: 'P0' }),
    version: 1,
  };
  const states = [state];
  let at = T0;
  const apply = (action: Action): void => {
    const result = applyAction(deepFreeze(state), { ...action, at } as Action, rng);
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

describe('room patches', () => {
  it('turn every state of a room into the next, also after a trip through JSON', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const states = lifeOfARoom(seed);
      expect(states.at(-2)?.phase).toBe('game_over');
      // Seats changed mid-match too (a disconnect, a reconnect, the clock's marks).
      expect(states.some((s, n) => n > 8 && s.match && s.players !== states[n - 1]!.players)).toBe(
        true,
      );
      for (let i = 1; i < states.length; i++) {
        const before = states[i - 1]!;
        const after = states[i]!;
        const patch = patchOf(before, after);
        expect(applyPatch(before, patch, after.version)).toEqual(after);
        // As it travels: the receiver holds its own parsed copy of `before`.
        expect(applyPatch(json(before), json(patch), after.version)).toEqual(json(after));
      }
    }
  });

  it("carries only what a card changed: the mover's hand, the trick and the turn", () => {
    const states = lifeOfARoom(5, false);
    let cards = 0;
    for (let i = 1; i < states.length; i++) {
      const [before, after] = [states[i - 1]!, states[i]!];
      const mover = before.match?.turn;
      const played =
        mover &&
        before.phase === 'gameplay' &&
        after.phase === 'gameplay' &&
        after.match!.hands[mover]!.length === before.match!.hands[mover]!.length - 1 &&
        after.match!.currentTrick.length === before.match!.currentTrick.length + 1;
      if (!played) continue;
      cards++;
      const patch: RoomPatch = patchOf(before, after);
      expect(patch.room).toBeUndefined();
      expect(Object.keys(patch.match!.set!.hands as object)).toEqual(['set']);
      expect(Object.keys((patch.match!.set!.hands as { set: object }).set)).toEqual([mover]);
      expect(JSON.stringify(patch).length).toBeLessThan(JSON.stringify(after).length / 3);
    }
    expect(cards).toBeGreaterThan(20);
  });

  it('leaves the state it is applied to untouched and shares what it does not replace', () => {
    const states = lifeOfARoom(7);
    const i = states.findIndex(
      (s, n) =>
        n > 0 &&
        s.match !== null &&
        states[n - 1]!.match !== null &&
        s.players === states[n - 1]!.players,
    );
    const [before, after] = [deepFreeze(json(states[i - 1]!)), states[i]!];
    const next = applyPatch(before, json(patchOf(states[i - 1]!, after)), after.version);
    expect(next.players).toBe(before.players);
    expect(next.match).not.toBe(before.match);
    expect(next).toEqual(json(after));
  });

  it('sends a match that starts or ends whole, and a dropped field as removed', () => {
    const waiting = { ...newRoom('PATCH2', 7, { playerId: 'p0', name: 'P0' }), version: 1 };
    const started: RoomState = {
      ...waiting,
      version: 2,
      phase: 'hokm_selection',
      match: lifeOfARoom(3)[4]!.match,
    };
    expect(patchOf(waiting, started).room?.set).toHaveProperty('match', started.match);
    expect(applyPatch(json(started), json(patchOf(started, waiting)), 1)).toEqual(json(waiting));
    const { hostId: _gone, ...withoutHost } = waiting;
    const patch = patchOf(waiting, withoutHost as RoomState);
    expect(patch.room?.unset).toEqual(['hostId']);
    expect(applyPatch(waiting, json(patch), 1)).not.toHaveProperty('hostId');
  });

  it('refuses a match patch for a room that has no match', () => {
    const states = lifeOfARoom(2);
    const i = states.findIndex(
      (s, n) => n > 0 && s.match !== null && states[n - 1]!.match !== null,
    );
    const patch = patchOf(states[i - 1]!, states[i]!);
    expect(() => applyPatch(states[0]!, patch, 99)).toThrow('without a match');
  });
});
