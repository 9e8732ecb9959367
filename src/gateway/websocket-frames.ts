// A connection's queued engine.io packets as the WebSocket frames the server writes for them, in
// one buffer: what engine.io's websocket transport and ws would write packet by packet (RFC 6455
// §5.2: a text frame, FIN set, unmasked from the server, the length in 7, 16 or 64 bits), made
// with one allocation and handed to the TCP socket as one write.
import { encodePacket, type Packet } from 'engine.io-parser';

/** A packet as engine.io's Socket#sendPacket queues it for its transport. */
export interface QueuedPacket {
  type: Packet['type'];
  data?: unknown;
  /** Set by socket.io's broadcasts: the frame, built once (ws's Sender.frame) for every receiver. */
  options?: { wsPreEncodedFrame?: readonly unknown[] };
}

const FIN_TEXT = 0x81;

/** The frame header's size for a payload of `length` bytes. */
const headerSize = (length: number) => (length < 126 ? 2 : length < 0x10000 ? 4 : 10);

/**
 * The frames of `packets` in order, or null when one of them is not plain text (binary data,
 * or a pre-encoded frame that is not a list of buffers): those are left to the transport.
 */
export function textFramesOf(packets: readonly QueuedPacket[]): Buffer | null {
  // Each packet is either its encoded text (and its length in bytes) or the pre-encoded frame.
  const parts: Array<{ text: string; length: number } | readonly Buffer[]> = [];
  let total = 0;
  for (const packet of packets) {
    const frame = packet.options?.wsPreEncodedFrame;
    if (frame !== undefined) {
      if (!frame.every((part) => Buffer.isBuffer(part))) return null;
      parts.push(frame);
      for (const part of frame) total += part.length;
      continue;
    }
    if (packet.data !== undefined && typeof packet.data !== 'string') return null;
    let text = '';
    // Synchronous for a string: the packet type's digit, then the data.
    encodePacket({ type: packet.type, data: packet.data }, false, (t) => {
      text = t as string;
    });
    const length = Buffer.byteLength(text);
    parts.push({ text, length });
    total += headerSize(length) + length;
  }
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (const part of parts) {
    if (Array.isArray(part)) {
      for (const buffer of part as readonly Buffer[]) at += buffer.copy(out, at);
      continue;
    }
    const { text, length } = part as { text: string; length: number };
    out[at++] = FIN_TEXT;
    if (length < 126) {
      out[at++] = length;
    } else if (length < 0x10000) {
      out[at++] = 126;
      at = out.writeUInt16BE(length, at);
    } else {
      out[at++] = 127;
      at = out.writeBigUInt64BE(BigInt(length), at);
    }
    at += out.write(text, at, 'utf8');
  }
  return out;
}
