import Redis, { type Command, type RedisOptions } from 'ioredis';

/** The part of a connection's socket that holding its writes touches (Node's Writable API). */
interface CorkableStream {
  cork(): void;
  uncork(): void;
  writable: boolean;
}

/**
 * A standalone (or Sentinel-found) Redis connection whose commands of one event-loop turn leave in
 * one write: the first command of a turn corks the socket, and the end of the turn (its check
 * phase, setImmediate) uncorks it, so a turn's commands cost one syscall here and one read on
 * Redis, whatever their number.
 *
 * That is pipelining as auto-pipelining does it, without its limit: auto-pipelining sends one
 * pipeline at a time, the next only when the replies of the last are in, which under load means
 * a write (and a read on Redis) for every command or two. Here commands are written as they are
 * issued, into the corked socket: ioredis queues each for its reply at once and matches replies
 * in order, exactly as without the cork. A command waits no longer than the turn it was issued
 * in. Use with `enableAutoPipelining: false`. Not used on a Cluster, which writes each command
 * as it comes (see clusterOptionsFor).
 */
export class TurnPipelinedRedis extends Redis {
  private held: CorkableStream | null = null;

  override sendCommand(command: Command, stream?: Parameters<Redis['sendCommand']>[1]): unknown {
    this.holdWritesThisTurn();
    return super.sendCommand(command, stream);
  }

  /** Whether this turn's writes are being held (they leave at the end of the turn). */
  get holdingWrites(): boolean {
    return this.held !== null;
  }

  private holdWritesThisTurn(): void {
    if (this.held) return;
    const stream = this.stream as CorkableStream | undefined;
    if (!stream?.writable) return;
    stream.cork();
    this.held = stream;
    setImmediate(() => {
      this.held = null;
      // The stream it corked, even if the client has connected again since (a new stream).
      stream.uncork();
    });
  }
}

/** A standalone (or Sentinel-found) connection: turn-pipelined when `pipelined`, else plain. */
export function standaloneRedis(url: string, options: RedisOptions, pipelined: boolean): Redis {
  return pipelined ? new TurnPipelinedRedis(url, options) : new Redis(url, options);
}
