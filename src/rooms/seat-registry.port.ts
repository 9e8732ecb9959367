/** What a seat's session token leads to. */
export interface PlayerSession {
  roomCode: string;
  playerId: string;
}

/** A seat's socket, registered by the instance that holds it (read only if that instance dies). */
export interface RegisteredConnection {
  roomCode: string;
  playerId: string;
  /** The seat's connection id; the seat still belongs to it only while the room says so. */
  connectionId: string;
}

/** What an instance's heartbeat learned. */
export interface HeartbeatResult {
  /**
   * This instance was not on record as alive: others had given it up for dead (its seats may
   * have been marked disconnected), or this is its first beat.
   */
  revived: boolean;
  /** Silent instances now leased to the caller, whose registered seats it must disconnect. */
  dead: string[];
}

/**
 * Who holds which seat, shared by every instance (token SEAT_REGISTRY): session tokens and which
 * instance holds which seat's socket. A transport failure rejects with StoreUnavailableError.
 */
export interface SeatRegistry {
  /** Stores a session under the hash of its token (the token itself is never stored). */
  savePlayerSession(sessionToken: string, session: PlayerSession): Promise<void>;
  getPlayerSession(sessionToken: string): Promise<PlayerSession | null>;
  deletePlayerSession(sessionToken: string): Promise<void>;

  /** Registers a socket this instance holds for a seat, so survivors can free it if we die. */
  registerConnection(instanceId: string, connection: RegisteredConnection): Promise<void>;
  /** Forgets a registered socket (it disconnected, or left its seat). */
  unregisterConnection(instanceId: string, connection: RegisteredConnection): Promise<void>;
  /**
   * Records `instanceId` alive at `nowMs`, and atomically leases to it (for `leaseMs`) up to
   * `limit` instances silent since before `silentBeforeMs`, or whose previous lease ran out.
   */
  instanceHeartbeat(
    instanceId: string,
    nowMs: number,
    silentBeforeMs: number,
    leaseMs: number,
    limit: number,
  ): Promise<HeartbeatResult>;
  /** The sockets an instance registered. */
  registeredConnections(instanceId: string): Promise<RegisteredConnection[]>;
  /** Drops a dead instance and its registrations once its seats were freed (not if it beat since). */
  forgetInstance(instanceId: string): Promise<void>;
}
