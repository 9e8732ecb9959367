import { lifeOfARoom } from '../game-state/domain/testing';
import { patchOf } from '../game-state/room-patch';
import { decodeRoomMail, encodeRoomMail } from './room-mail';

const states = lifeOfARoom(4, false);
const before = states[20]!;
const after = states[21]!;
const update = { state: after, events: [], spectators: 2 };
const change = { base: before.version, patch: patchOf(before, after) };

describe('room mail', () => {
  it('sends a change as a patch when the sender knows its incarnation and committed it', () => {
    const mail = decodeRoomMail(encodeRoomMail(update, 'epoch-1', change));
    expect(mail).toEqual({
      patch: {
        roomCode: after.roomCode,
        version: after.version,
        epoch: 'epoch-1',
        change: JSON.parse(JSON.stringify(change)) as unknown,
        events: [],
        spectators: 2,
      },
    });
  });

  it('sends the whole state otherwise, with the epoch when known', () => {
    const whole = (epoch?: string) => decodeRoomMail(encodeRoomMail(update, epoch, undefined));
    expect(whole('epoch-1')).toEqual({
      whole: JSON.parse(JSON.stringify({ ...update, epoch: 'epoch-1' })) as unknown,
    });
    expect(whole(undefined)).toEqual({ whole: JSON.parse(JSON.stringify(update)) as unknown });
    // Without an epoch a receiver could not tell the room's incarnation: never a patch.
    expect(decodeRoomMail(encodeRoomMail(update, undefined, change))).toHaveProperty('whole');
  });

  it('refuses text that is not a change of a known shape', () => {
    const patchMail = (edit: (m: Record<string, unknown>) => void): string => {
      const message = JSON.parse(encodeRoomMail(update, 'epoch-1', change)) as Record<
        string,
        unknown
      >;
      edit(message);
      return JSON.stringify(message);
    };
    const bad = [
      'not json',
      'null',
      '[]',
      JSON.stringify({ state: { version: 3 }, events: [] }),
      JSON.stringify({ state: after }),
      patchMail((m) => delete m.epoch),
      patchMail((m) => (m.version = 'x')),
      patchMail((m) => (m.change = { base: after.version, patch: {} })),
      patchMail((m) => (m.change = { base: 1, patch: { room: { set: 'players' } } })),
      patchMail((m) => (m.change = { base: 1, patch: { match: { unset: [1] } } })),
      patchMail((m) => (m.change = { base: 1, patch: { match: { set: { hands: ['x'] } } } })),
      patchMail((m) => (m.events = {})),
    ];
    for (const text of bad)
      expect({ text, mail: decodeRoomMail(text) }).toEqual({ text, mail: null });
  });
});
