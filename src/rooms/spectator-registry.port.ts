/** The answer of counting one more spectator of a room. */
export type WatchResult =
  /** Counted: `spectators` is the room's total with this one. */
  | { status: 'watching'; spectators: number }
  /** The room is at the limit; nothing changed. */
  | { status: 'full'; spectators: number }
  /** No live room has this code; nothing changed. */
  | { status: 'not_found' };

/**
 * Who watches which room, counted per instance and shared by every instance (token
 * SPECTATOR_REGISTRY). Kept beside the room, never in its versioned state: counting a spectator
 * writes no version. A transport failure rejects with StoreUnavailableError.
 */
export interface SpectatorRegistry {
  /** Counts one more spectator of a live room on `instanceId`, unless the room has `limit`. */
  addSpectator(roomCode: string, instanceId: string, limit: number): Promise<WatchResult>;
  /** Counts one spectator fewer on `instanceId` (never below none); answers the room's total. */
  removeSpectator(roomCode: string, instanceId: string): Promise<number>;
  /**
   * Sets how many spectators `instanceId` has in a room (0 drops it): a survivor dropping a dead
   * instance's count, or an instance taken for dead putting its own back. Answers the total.
   */
  setSpectators(roomCode: string, instanceId: string, count: number): Promise<number>;
  /** How many sockets watch the room, over every instance. */
  countSpectators(roomCode: string): Promise<number>;
  /** Notes that `instanceId` has spectators of the room, so survivors can drop them if it dies. */
  registerWatchedRoom(instanceId: string, roomCode: string): Promise<void>;
  /** Forgets that note (its last spectator of the room is gone). */
  unregisterWatchedRoom(instanceId: string, roomCode: string): Promise<void>;
  /** The rooms an instance noted it has spectators of. */
  watchedRooms(instanceId: string): Promise<string[]>;
}
