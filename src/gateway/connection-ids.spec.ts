import type { SeatedPlayer } from '../game-state/domain/types';
import {
  connectionIdOf,
  instanceOfConnection,
  otherInstancesOf,
  socketOfConnection,
} from './connection-ids';

const seat = (n: number, fields: Partial<SeatedPlayer>): SeatedPlayer => ({
  playerId: `p${n}`,
  name: `P${n}`,
  seat: n,
  connected: true,
  ...fields,
});

describe('connection ids', () => {
  it('name the instance and the socket', () => {
    const id = connectionIdOf('instance-a', 'sock1');
    expect(instanceOfConnection(id)).toBe('instance-a');
    expect(socketOfConnection(id)).toBe('sock1');
    // An id written before ids named their instance.
    expect(instanceOfConnection('sock1')).toBeNull();
    expect(socketOfConnection('sock1')).toBe('sock1');
  });
});

describe('otherInstancesOf: where a change must go besides this instance', () => {
  it('lists the other instances of connected seats and of spectators, each once', () => {
    const players = [
      seat(0, { connectionId: connectionIdOf('self', 's0') }),
      seat(1, { connectionId: connectionIdOf('b', 's1') }),
      seat(2, { connectionId: connectionIdOf('b', 's2') }),
      seat(3, { connectionId: connectionIdOf('c', 's3') }),
    ];
    expect(otherInstancesOf({ players }, ['self', 'd', 'c'], 'self')).toEqual(['b', 'c', 'd']);
    expect(otherInstancesOf({ players: players.slice(0, 1) }, [], 'self')).toEqual([]);
  });

  it('leaves out bots and disconnected seats', () => {
    const players = [
      seat(0, { connectionId: connectionIdOf('self', 's0') }),
      seat(1, { bot: true }),
      seat(2, { connected: false, connectionId: connectionIdOf('b', 's2') }),
    ];
    expect(otherInstancesOf({ players }, [], 'self')).toEqual([]);
  });

  it('is null when the room does not say: no spectator count, or a seat of an older version', () => {
    const players = [seat(0, { connectionId: connectionIdOf('self', 's0') })];
    expect(otherInstancesOf({ players }, undefined, 'self')).toBeNull();
    const older = [...players, seat(1, { connectionId: 'bare-socket-id' })];
    expect(otherInstancesOf({ players: older }, [], 'self')).toBeNull();
    const none = [...players, seat(1, {})];
    expect(otherInstancesOf({ players: none }, [], 'self')).toBeNull();
  });
});
