import { encodePacket } from 'engine.io-parser';
import * as ws from 'ws';
import { textFramesOf, type QueuedPacket } from './websocket-frames';

// ws's own framing and parsing (exported by ws as Sender and Receiver; not in its typings).
const { Sender, Receiver } = ws as unknown as {
  Sender: { frame(data: Buffer, options: Record<string, unknown>): Buffer[] };
  Receiver: new (options: { isServer: boolean }) => NodeJS.WritableStream & {
    on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): unknown;
  };
};

/** The frame ws builds for one text message (header and payload), as socket.io pre-encodes it. */
const wsFrameParts = (text: string): Buffer[] =>
  Sender.frame(Buffer.from(text), {
    fin: true,
    opcode: 1,
    mask: false,
    readOnly: false,
    rsv1: false,
  });

/** The bytes ws writes for one text message (engine.io's websocket transport's `ws.send`). */
const wsFrame = (text: string): Buffer => Buffer.concat(wsFrameParts(text));

/** What engine.io's transport would hand ws for a packet. */
function encoded(packet: QueuedPacket): string {
  let text = '';
  encodePacket(
    { type: packet.type, data: packet.data as string },
    false,
    (t) => (text = t as string),
  );
  return text;
}

/** The messages a ws client reads from `bytes`. */
function readByClient(bytes: Buffer): string[] {
  const messages: string[] = [];
  const receiver = new Receiver({ isServer: false });
  receiver.on('message', (data: Buffer, isBinary: boolean) => {
    expect(isBinary).toBe(false);
    messages.push(data.toString());
  });
  receiver.write(bytes);
  return messages;
}

describe('textFramesOf', () => {
  const sizes = [0, 1, 124, 125, 126, 127, 65_534, 65_535, 65_536, 200_000];

  it('writes each packet as ws would frame it, for every length encoding', () => {
    for (const size of sizes) {
      const packet: QueuedPacket = { type: 'message', data: 'x'.repeat(size) };

      expect(textFramesOf([packet])).toEqual(wsFrame(encoded(packet)));
    }
  });

  it('puts a tick of packets in order in one buffer, unicode and packets without data included', () => {
    const packets: QueuedPacket[] = [
      { type: 'message', data: '2/game,["state",{"name":"Zoë \u{1F0A1} حکم"}]' },
      { type: 'ping' },
      { type: 'message', data: '3/game,7[{"ok":true}]' },
      { type: 'message', data: 'y'.repeat(70_000) },
      { type: 'noop' },
    ];

    const frames = textFramesOf(packets);

    expect(frames).toEqual(Buffer.concat(packets.map((p) => wsFrame(encoded(p)))));
    expect(readByClient(frames!)).toEqual(packets.map(encoded));
  });

  it("copies a broadcast's pre-encoded frame as it is", () => {
    const broadcast = '42/game,["card_played",{"card":"A_spades","version":9}]';
    const preEncoded = wsFrameParts(broadcast);
    const packets: QueuedPacket[] = [
      { type: 'message', data: broadcast.slice(1), options: { wsPreEncodedFrame: preEncoded } },
      { type: 'message', data: '2/game,["state",{}]' },
    ];

    expect(readByClient(textFramesOf(packets)!)).toEqual([broadcast, '42/game,["state",{}]']);
  });

  it('leaves binary packets, and frames it does not know, to the transport', () => {
    expect(
      textFramesOf([
        { type: 'message', data: 'a' },
        { type: 'message', data: Buffer.from('b') },
      ]),
    ).toBeNull();
    expect(
      textFramesOf([
        { type: 'message', data: 'a', options: { wsPreEncodedFrame: ['not a buffer'] } },
      ]),
    ).toBeNull();
  });
});
