import { DeadlineIndexExtension } from './deadline-index.extension';
import { DEADLINES_INDEX } from './deadline-index.port';
import { seededRng } from './domain/rng';
import { applyOk, CLOCK, hokmNamed, roomWith, timedRoom } from './domain/testing';
import { RoomChangeExtensions } from './room-change-extensions';

describe('DeadlineIndexExtension', () => {
  const extension = new DeadlineIndexExtension(new RoomChangeExtensions(), CLOCK);
  const T = 1_000_000;

  it("writes the room's next deadline when a change moves it, and nothing when it does not", () => {
    // The fourth join starts the match: the hakem's clock starts with it.
    const three = roomWith(3);
    const started = timedRoom(T);
    expect(extension.extend(three, started)).toEqual({
      indexes: [{ index: DEADLINES_INDEX, member: 'ROOM42', score: T + CLOCK.turnMs }],
    });
    // A change that leaves the deadline where it was adds nothing to the commit.
    expect(extension.extend(started, { ...started, version: started.version + 1 })).toBeNull();
    // A new room has nothing timed.
    expect(extension.extend(null, roomWith(1))).toBeNull();
  });

  it('moves the deadline with the turn, and removes it when nothing is timed any more', () => {
    const started = timedRoom(T, seededRng(3));
    const named = hokmNamed(started, T + 500);
    expect(extension.extend(started, named.state)).toEqual({
      indexes: [{ index: DEADLINES_INDEX, member: 'ROOM42', score: T + 500 + CLOCK.turnMs }],
    });
    const left = applyOk(named.state, { type: 'leave', playerId: 'p1', at: T + 600 });
    expect(left.state.phase).toBe('abandoned');
    expect(extension.extend(named.state, left.state)).toEqual({
      indexes: [{ index: DEADLINES_INDEX, member: 'ROOM42', score: null }],
    });
  });

  it("indexes a disconnected seat's grace, and the clock off leaves only bots and graces", () => {
    const off = new DeadlineIndexExtension(new RoomChangeExtensions(), { ...CLOCK, turnMs: 0 });
    const waiting = roomWith(2);
    const dropped = applyOk(waiting, { type: 'disconnect', playerId: 'p1', at: T });
    expect(off.extend(waiting, dropped.state)).toEqual({
      indexes: [{ index: DEADLINES_INDEX, member: 'ROOM42', score: T + CLOCK.graceMs }],
    });
    // With the clock off a human's turn is not timed: starting the match adds nothing.
    expect(off.extend(roomWith(3), timedRoom(T))).toBeNull();
  });
});
