import { newRoom } from './domain/rules';
import { deepFreeze, lifeOfARoom } from './domain/testing';
import type { RoomState } from './domain/types';
import { applyPatch, patchOf, type RoomPatch } from './room-patch';

const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

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
