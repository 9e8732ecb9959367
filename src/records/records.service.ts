import { Inject, Injectable, Logger } from '@nestjs/common';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';
import { isMatchId } from '../game-state/domain/match-id';
import { assembleRecord } from './domain/assemble';
import type { MatchRecordStore, PendingRecord } from './match-record-store.port';
import { MATCH_RECORD_STORE } from './records.constants';
import { MatchNotFoundError } from './records.errors';

const gzipped = promisify(gzip);
const gunzipped = promisify(gunzip);

/** A stored record (gzipped JSON, as kept) in the form a client wants it. */
export async function recordText(stored: Buffer): Promise<string> {
  return (await gunzipped(stored)).toString('utf8');
}

/** What assembling an ended match's record came to. */
export type Assembly =
  /** Stored now or before: the record's JSON, gzipped as it is kept. */
  | { status: 'stored'; gzip: Buffer }
  /** Its lines say the match is still being played (an entry written beside a commit that lost). */
  | { status: 'playing' }
  /** Neither a record nor its lines: the room is gone, and the record with it. */
  | { status: 'gone' };

/**
 * Finished matches' records: assembled from the room's journal right after the commit that ends
 * the match, stored under the match id for HISTORY_TTL_SECONDS, and served only then. Every step
 * is idempotent, so an instance that dies between the ending commit and the record leaves the
 * work to whoever comes next: a GET of that match, or any instance's sweep of the pending index.
 */
@Injectable()
export class RecordsService {
  private readonly logger = new Logger(RecordsService.name);

  constructor(
    @Inject(MATCH_RECORD_STORE) private readonly store: MatchRecordStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The record of a finished match (its JSON, gzipped); MatchNotFoundError for anything else. */
  async record(matchId: string): Promise<Buffer> {
    if (!isMatchId(matchId)) throw new MatchNotFoundError();
    const stored = await this.store.getRecord(matchId);
    if (stored !== null) return stored;
    // Ended, but the instance that ended it did not get to store the record: do it now.
    const pending = await this.store.findPending(matchId);
    const assembled = pending && (await this.assemble(pending));
    if (assembled?.status === 'stored') return assembled.gzip;
    throw new MatchNotFoundError();
  }

  /** Assembles and stores the record of a match that ended, then tidies up after it. */
  async assemble({
    matchId,
    roomCode,
  }: Pick<PendingRecord, 'matchId' | 'roomCode'>): Promise<Assembly> {
    const lines = await this.store.readJournal(roomCode);
    const assembled = assembleRecord(lines, matchId);
    if (!assembled) {
      // Stored already (by another instance, which then trimmed the lines), playing, or lost.
      const stored = await this.store.getRecord(matchId);
      if (stored !== null) {
        await this.store.dropPending(matchId, roomCode);
        return { status: 'stored', gzip: stored };
      }
      const playing = lines.some((line) => line.startsWith(`["M","${matchId}"`));
      return playing ? { status: 'playing' } : { status: 'gone' };
    }
    const json = JSON.stringify(assembled.record);
    // Off the event loop (libuv's pool): a 7-point record is some 50 KB of JSON, 5 KB gzipped.
    const gzip = await gzipped(json);
    await this.store.saveRecord(matchId, gzip, this.config.game.historyTtlSeconds);
    // The lines are no longer needed once the record holds them, unless an earlier match of the
    // same code (not recorded yet) comes before them.
    const tidy: Array<Promise<void>> = [this.store.dropPending(matchId, roomCode)];
    if (assembled.start === 0) {
      tidy.push(this.store.trimJournal(roomCode, assembled.end, lines[assembled.end] as string));
    }
    await Promise.all(tidy);
    this.logger.log(
      {
        roomCode,
        matchId,
        outcome: assembled.record.outcome,
        bytes: json.length,
        gzipped: gzip.length,
      },
      'record stored',
    );
    return { status: 'stored', gzip };
  }
}
