import { Encoder, PacketType, type Packet } from 'socket.io-parser';
import { JsonPacketEncoder, JsonText } from './json-packet-encoder';

const standard = new Encoder();
const ours = new JsonPacketEncoder();

const view = {
  roomCode: 'ABC123',
  players: [{ playerId: 'p0', name: 'Ann "A" \u00e9' }],
  you: null,
};

describe('JsonPacketEncoder', () => {
  it('writes a packet carrying JsonText exactly as the standard encoder writes the value it encodes', () => {
    const cases: Array<[Packet, Packet]> = [
      [
        {
          type: PacketType.EVENT,
          nsp: '/game',
          data: ['state', new JsonText(JSON.stringify(view))],
        },
        { type: PacketType.EVENT, nsp: '/game', data: ['state', view] },
      ],
      [
        {
          type: PacketType.EVENT,
          nsp: '/',
          data: ['state', new JsonText('{"a":1}'), 2, undefined],
        },
        { type: PacketType.EVENT, nsp: '/', data: ['state', { a: 1 }, 2, undefined] },
      ],
      [
        { type: PacketType.ACK, nsp: '/game', id: 17, data: [new JsonText('{"ok":true}')] },
        { type: PacketType.ACK, nsp: '/game', id: 17, data: [{ ok: true }] },
      ],
      [
        { type: PacketType.EVENT, nsp: '/game', id: 0, data: ['x', new JsonText('[1,2]')] },
        { type: PacketType.EVENT, nsp: '/game', id: 0, data: ['x', [1, 2]] },
      ],
    ];
    for (const [withText, plain] of cases) {
      expect(ours.encode(withText)).toEqual(standard.encode(plain));
    }
  });

  it('leaves every other packet to the standard encoder, binary included', () => {
    const packets: Packet[] = [
      { type: PacketType.CONNECT, nsp: '/game', data: { sid: 'abc' } },
      { type: PacketType.EVENT, nsp: '/game', data: ['card_played', { card: 'AS', version: 3 }] },
      { type: PacketType.ACK, nsp: '/game', id: 4, data: [{ ok: false, error: { code: 'X' } }] },
      { type: PacketType.EVENT, nsp: '/game', data: ['blob', Buffer.from([1, 2, 3])] },
      { type: PacketType.DISCONNECT, nsp: '/game' },
    ];
    for (const packet of packets) {
      expect(ours.encode(packet)).toEqual(standard.encode(packet));
    }
    // The binary one really is binary: a placeholder string and the buffer.
    expect(ours.encode(packets[3]!)).toHaveLength(2);
  });
});
