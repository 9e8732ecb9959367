// One person behind a load balancer: every connection goes to the same URL, over the transport
// this player uses, and when the server closes the connection (an instance stopping:
// `server_shutdown`, then the disconnect) the player takes the seat back with `reconnect` on a
// new connection, as the web client does, and records how long they were without a seat.
import type { GameView } from '../../src/protocol/hokm-protocol';
import { GameClient, MessageRecorder } from './game-client';
import { sleep } from './wait';

export type Transports = Array<'websocket' | 'polling'>;

/** A time a player had no seat: from `server_shutdown` (or the drop) to the `reconnect` ack. */
export interface Outage {
  from: number;
  to: number | null;
  /** The server said `server_shutdown` before it closed the connection. */
  told: boolean;
  /** Connections tried until one gave the seat back. */
  attempts: number;
  /** Why the connection closed, as socket.io-client says (`io server disconnect`, ...). */
  reason: string;
}

/** One connection of a player. */
interface Connection {
  client: GameClient;
  /** When this connection got `server_shutdown` (performance.now()), or null. */
  toldAt: number | null;
  closed: Promise<void>;
  reason: string;
}

/** One person at a table, through the load balancer. */
export class RollingPlayer {
  readonly connections: Connection[] = [];
  readonly outages: Outage[] = [];
  playerId = '';
  sessionToken = '';
  /** Set when the player could not get their seat back: the match driver throws it. */
  failure: Error | null = null;
  /** The match ended while this player was away (`reconnect` answered WRONG_PHASE). */
  missedTheEnd = false;
  private holdsSeat = false;
  private comingBack = false;
  private leaving = false;

  constructor(
    readonly url: string,
    readonly transports: Transports,
    readonly recorder: MessageRecorder,
    private readonly reconnectDeadlineMs: number,
  ) {}

  get label(): string {
    return this.recorder.label;
  }

  get current(): Connection {
    const last = this.connections[this.connections.length - 1];
    if (!last) throw new Error(`${this.label}: no connection yet`);
    return last;
  }

  /** Seated on an open connection: may move now. */
  get seated(): boolean {
    return this.holdsSeat && this.current.client.connected;
  }

  /** The newest state any of this player's connections got. */
  get state(): GameView | null {
    let newest: GameView | null = null;
    for (const { client } of this.connections) {
      const view = client.state;
      if (view && (!newest || view.version > newest.version)) newest = view;
    }
    return newest;
  }

  /** Every state this player received, per connection, in arrival order. */
  statesByConnection(): GameView[][] {
    return this.connections.map((c) => c.client.states);
  }

  /** Opens a connection through the load balancer (not yet seated). */
  async open(): Promise<GameClient> {
    const client = await GameClient.connect(this.url, {
      recorder: this.recorder,
      transports: this.transports,
      // Polling: the load balancer's sticky-session cookie must come back on every request.
      withCredentials: true,
    });
    const connection: Connection = {
      client,
      toldAt: null,
      reason: '',
      closed: new Promise((resolve) =>
        client.socket.once('disconnect', (reason, description) => {
          const detail =
            description instanceof Error
              ? description.message
              : description && String(description.description);
          connection.reason = detail ? `${reason} (${detail})` : reason;
          resolve();
        }),
      ),
    };
    client.socket.on('server_shutdown', () => {
      connection.toldAt ??= performance.now();
    });
    this.connections.push(connection);
    void connection.closed.then(() => this.dropped(connection));
    return client;
  }

  /** create_room or join on a new connection; the seat is this player's from then on. */
  async sit(take: (client: GameClient) => Promise<{ playerId: string; sessionToken: string }>) {
    const client = await this.open();
    const grant = await take(client);
    this.playerId = grant.playerId;
    this.sessionToken = grant.sessionToken;
    this.holdsSeat = true;
  }

  /** Closes every connection; no coming back after this. */
  leave(): void {
    this.leaving = true;
    for (const { client } of this.connections) client.close();
  }

  private dropped(connection: Connection): void {
    if (this.leaving || this.comingBack || connection !== this.current || !this.holdsSeat) return;
    this.holdsSeat = false;
    const outage: Outage = {
      from: connection.toldAt ?? performance.now(),
      to: null,
      told: connection.toldAt !== null,
      attempts: 0,
      reason: connection.reason,
    };
    this.outages.push(outage);
    this.comingBack = true;
    this.comeBack(outage).then(
      () => (this.comingBack = false),
      (error: unknown) => {
        this.comingBack = false;
        this.failure = error instanceof Error ? error : new Error(String(error));
      },
    );
  }

  /** New connections through the load balancer until one takes the seat back. */
  private async comeBack(outage: Outage): Promise<void> {
    const deadline = performance.now() + this.reconnectDeadlineMs;
    let last = '';
    while (!this.leaving) {
      if (performance.now() > deadline) {
        throw new Error(`${this.label}: no seat after ${outage.attempts} attempts (${last})`);
      }
      outage.attempts++;
      let client: GameClient | null = null;
      try {
        client = await this.open();
        const closed = this.current.closed.then(() => null);
        const ack = await Promise.race([
          client.request('reconnect', { sessionToken: this.sessionToken }),
          closed,
        ]);
        if (ack?.ok) {
          await client.waitForState(() => true, { what: 'the state after reconnect' });
          if (client.connected) {
            outage.to = performance.now();
            this.holdsSeat = true;
            return;
          }
          last = 'closed right after the reconnect';
        } else if (ack?.error.code === 'WRONG_PHASE') {
          // The others finished the match meanwhile: there is no seat to come back to.
          outage.to = performance.now();
          this.missedTheEnd = true;
          client.close();
          return;
        } else if (ack && ack.error.code !== 'SERVICE_UNAVAILABLE') {
          throw new Error(`${this.label}: reconnect refused: ${ack.error.code}`);
        } else {
          last = ack ? 'SERVICE_UNAVAILABLE' : 'closed before the ack';
        }
      } catch (error) {
        if (String(error).includes('reconnect refused')) throw error;
        last = String(error);
      }
      client?.close();
      await sleep(100);
    }
  }
}
