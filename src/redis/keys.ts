import { createHash } from 'node:crypto';

/** Every key of one room carries `{CODE}` as a hash tag, so they share one Cluster slot. */
export interface RoomKeys {
  room: string;
  players: string;
  match: string;
  commits: string;
}

/** Builds key names under one prefix; the only place that knows the key layout. */
export class KeySpace {
  constructor(readonly prefix: string) {}

  room(roomCode: string): RoomKeys {
    const base = `${this.prefix}room:{${roomCode}}`;
    return {
      room: base,
      players: `${base}:players`,
      match: `${base}:match`,
      commits: `${base}:commits`,
    };
  }

  /** The activity index: a sorted set of room codes by last activity (ms). */
  get activeRooms(): string {
    return `${this.prefix}rooms:active`;
  }

  /** Reconnect-grace deadlines: members `CODE|playerId|disconnectedAt`, scored by due time. */
  get graceTimers(): string {
    return `${this.prefix}timers:grace`;
  }

  /** A session is found by the SHA-256 of its token: a dump of Redis gives no one a seat. */
  session(sessionToken: string): string {
    return `${this.prefix}session:${createHash('sha256').update(sessionToken).digest('hex')}`;
  }
}
