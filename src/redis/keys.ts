import { createHash } from 'node:crypto';

/** Every key of one room carries `{CODE}` as a hash tag, so they share one Cluster slot. */
export interface RoomKeys {
  room: string;
  players: string;
  match: string;
  commits: string;
  /** The room's journal (RoomChange.journal): appended by commits, read when a match ends. */
  journal: string;
  /**
   * Who watches the room: a hash of instance id -> how many of its sockets watch. Never part of
   * the room's versioned state; it lives no longer than the room.
   */
  spectators: string;
}

/** The budgets of one client address; `{addr:KEY}` is their hash tag (one Cluster slot). */
export interface AddressKeys {
  /** New connections in the current second (a counter that expires with the second). */
  connections: string;
  /** Requests for the public room list in the current second (likewise). */
  listings: string;
  /** Failed lookups in the current window (a counter that expires with the window). */
  lookupFailures: string;
  /** Present while the address's lookups are refused; expires when the cool-down ends. */
  lookupCooldown: string;
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
      journal: `${base}:journal`,
      spectators: `${base}:spectators`,
    };
  }

  /** A sorted-set index of the app's (RoomChange.indexes), by its logical name. */
  index(name: string): string {
    return `${this.prefix}index:${name}`;
  }

  /**
   * The first release's reconnect-grace timers: a sorted set, member `CODE|playerId|disconnectedAt`,
   * score the due time (ms). Nothing writes it any more; its timers move into the deadline index.
   */
  get legacyGraceTimers(): string {
    return `${this.prefix}timers:grace`;
  }

  /** The activity index: a sorted set of room codes by last activity (ms). */
  get activeRooms(): string {
    return `${this.prefix}rooms:active`;
  }

  /**
   * Live instances: members instance ids, scored by their last heartbeat (ms), or by minus the
   * end of a lease while a survivor frees the seats of a dead one. Shares the `{instances}` hash
   * tag with every instance's registrations, so one script can drop both on a Cluster.
   */
  get instances(): string {
    return `${this.prefix}{instances}:live`;
  }

  /** The seat sockets one instance holds: members `CODE|playerId|connectionId`. */
  instanceConnections(instanceId: string): string {
    return `${this.prefix}{instances}:connections:${instanceId}`;
  }

  /** The rooms one instance has spectators of: members room codes (survivors drop its counts). */
  instanceWatchedRooms(instanceId: string): string {
    return `${this.prefix}{instances}:watching:${instanceId}`;
  }

  /** The budgets of one client address (an IPv4 address, an IPv6 /64). */
  address(key: string): AddressKeys {
    const base = `${this.prefix}addr:{${key}}`;
    return {
      connections: `${base}:connections`,
      listings: `${base}:listings`,
      lookupFailures: `${base}:lookup-failures`,
      lookupCooldown: `${base}:lookup-cooldown`,
    };
  }

  /** A finished match's record (gzipped JSON), found by its id alone; `{matchId}` its hash tag. */
  matchRecord(matchId: string): string {
    return `${this.prefix}record:{${matchId}}`;
  }

  /** A session is found by the SHA-256 of its token: a dump of Redis gives no one a seat. */
  session(sessionToken: string): string {
    return `${this.prefix}session:${createHash('sha256').update(sessionToken).digest('hex')}`;
  }
}
