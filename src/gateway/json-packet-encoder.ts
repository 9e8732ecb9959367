// Socket.IO's packet encoder, taught one shortcut: an argument already encoded as JSON (JsonText)
// is written as it is. The default encoder would walk each payload looking for binary data
// (hasBinary) and encode it again; a room's views are encoded once per change here instead
// (RoomBroadcaster) and go out as JsonText. Every other packet is encoded by socket.io-parser
// itself, binary included, so the wire format is the standard one throughout.
import { Decoder, Encoder, PacketType, protocol, type Packet } from 'socket.io-parser';

/** A payload already encoded as JSON (no binary inside): written to the wire as it is. */
export class JsonText {
  constructor(readonly json: string) {}
}

/** Encodes packets as socket.io-parser does; packets carrying JsonText without walking them. */
export class JsonPacketEncoder extends Encoder {
  override encode(packet: Packet): Array<string | Buffer> {
    const data: unknown = packet.data;
    if (
      (packet.type === PacketType.EVENT || packet.type === PacketType.ACK) &&
      Array.isArray(data) &&
      data.some((arg) => arg instanceof JsonText)
    ) {
      return [encodeWithJsonText(packet, data)];
    }
    return super.encode(packet) as Array<string | Buffer>;
  }
}

// As Encoder#encodeAsString writes a string packet: type, `nsp,` unless the main namespace, the
// ack id, then the arguments as a JSON array. Appended piece by piece rather than joined: a view's
// text is then copied once, when the WebSocket frame is written, not first into a joined string.
function encodeWithJsonText(packet: Packet, data: unknown[]): string {
  let text = String(packet.type);
  if (packet.nsp && packet.nsp !== '/') text += `${packet.nsp},`;
  if (packet.id !== undefined && packet.id !== null) text += String(packet.id);
  text += '[';
  for (let i = 0; i < data.length; i++) {
    const arg = data[i];
    if (i > 0) text += ',';
    text += arg instanceof JsonText ? arg.json : (JSON.stringify(arg) ?? 'null');
  }
  return `${text}]`;
}

/** The parser for the Socket.IO server (its `parser` option): this encoder, the standard decoder. */
export const jsonTextParser = { protocol, Encoder: JsonPacketEncoder, Decoder };
