// A spectator of the load generator: a socket that watches one table at a time (`watch`) and
// counts the spectator views it is pushed. Tables bring their spectators along to each new room.
import type { Socket } from 'socket.io-client';
import type { Ack } from '../../src/protocol/hokm-protocol';

/** Sends one request and resolves with its ack (the load generator's own, with its timeout). */
export type Requester = <T>(socket: Socket, event: string, payload: unknown) => Promise<Ack<T>>;

export class Spectator {
  /** `state` pushes received since the last reset. */
  static states = 0;
  private roomCode: string | null = null;

  constructor(
    readonly socket: Socket,
    private readonly request: Requester,
  ) {
    socket.on('state', () => Spectator.states++);
  }

  /** Stops watching the previous table, if any, and watches `roomCode`. */
  async watch(roomCode: string): Promise<void> {
    if (this.roomCode !== null) await this.request(this.socket, 'leave', {});
    this.roomCode = null;
    const ack = await this.request<{ roomCode: string }>(this.socket, 'watch', { roomCode });
    if (!ack.ok) throw new Error(`watch: ${ack.error.code} ${ack.error.message}`);
    this.roomCode = roomCode;
  }
}
