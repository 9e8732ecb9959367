import { lifeOfARoom } from './domain/testing';
import { KnownRooms } from './known-rooms';
import { patchOf } from './room-patch';

describe("KnownRooms.patched: another instance's change as a patch", () => {
  const states = lifeOfARoom(3);
  const [v1, v2, v3] = [states[10]!, states[11]!, states[12]!];
  const roomCode = v1.roomCode;
  const arrived = (epoch = 'e1') => ({
    roomCode,
    epoch,
    change: { base: v1.version, patch: patchOf(v1, v2) },
    version: v2.version,
    spectators: 2,
  });

  it('applies the patch to the version it was made on, and remembers the result', () => {
    const known = new KnownRooms();
    known.remember({ state: v1, epoch: 'e1' });
    const state = known.patched(arrived());
    expect(state).toEqual(v2);
    expect(known.get(roomCode)?.state).toBe(state);
    expect(known.spectatorsOf(roomCode)).toBe(2);
  });

  it('answers the patched version when it is what is known here already', () => {
    const known = new KnownRooms();
    known.remember({ state: v2, epoch: 'e1' });
    expect(known.patched(arrived())).toBe(v2);
  });

  it('applies the patch to the version delivered here when the state known here moved past it', () => {
    const known = new KnownRooms();
    // A lost compare-and-set answered v3 before the patch to v2 came; the sockets here hold v1.
    known.remember({ state: v3, epoch: 'e1' });
    const state = known.patched(arrived(), { state: v1, epoch: 'e1' });
    expect(state).toEqual(v2);
    // What is known for the next action stays the newest.
    expect(known.get(roomCode)?.state).toBe(v3);
    // Not across incarnations of the code.
    expect(known.patched(arrived(), { state: v1, epoch: 'e0' })).toBeUndefined();
  });

  it('answers nothing for another incarnation of the code, or a version not held here', () => {
    const known = new KnownRooms();
    known.remember({ state: v1, epoch: 'e1' });
    expect(known.patched(arrived('e0'))).toBeUndefined();
    known.remember({ state: v3, epoch: 'e1' });
    expect(known.patched(arrived())).toBeUndefined();
    expect(new KnownRooms().patched(arrived())).toBeUndefined();
  });
});
