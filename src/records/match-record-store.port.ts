/** An ended match whose record may not be stored yet (see PENDING_RECORDS_INDEX). */
export interface PendingRecord {
  matchId: string;
  roomCode: string;
  /** When the match ended (ms). */
  endedAt: number;
}

/**
 * Where finished matches' records live, and what they are assembled from: the room's journal
 * (appended by the room's commits) and the index of ended matches not yet recorded. A transport
 * failure rejects with StoreUnavailableError.
 */
export interface MatchRecordStore {
  /** The stored record of a finished match (its JSON, gzipped), or null. */
  getRecord(matchId: string): Promise<Buffer | null>;
  /** Stores a record (its JSON, gzipped) for `ttlSeconds`. */
  saveRecord(matchId: string, gzipped: Buffer, ttlSeconds: number): Promise<void>;
  /** Every line of a room's journal, oldest first ([] when it has none). */
  readJournal(roomCode: string): Promise<string[]>;
  /**
   * Drops the journal's lines up to index `end` (inclusive), if the line at `end` is still `line`
   * (commits only ever append, so then those are the lines that were read); else nothing.
   */
  trimJournal(roomCode: string, end: number, line: string): Promise<void>;
  /** Pending records of matches that ended at or before `endedBy` (ms), oldest first. */
  pendingRecords(endedBy: number, limit: number): Promise<PendingRecord[]>;
  /** The pending entry of a match, or null. */
  findPending(matchId: string): Promise<PendingRecord | null>;
  /** Removes the pending entry of a match (its record is stored, or can no longer be). */
  dropPending(matchId: string, roomCode: string): Promise<void>;
}
