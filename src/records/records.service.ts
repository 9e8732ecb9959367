import { Inject, Injectable, Logger } from '@nestjs/common';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';
import { isMatchId } from '../game-state/domain/match-id';
import { assembleRecord, type AssembledRecord } from './domain/assemble';
import { verifyRecord } from './domain/replay';
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
  | { status: 'gone' }
  /**
   * Its lines make a match the rules do not replay to the result they state (moves missing: made
   * by a version that kept no journal, during a rolling upgrade from the first release): no record.
   */
  | { status: 'unfaithful'; problems: string[] };

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
    // Served only if it is the match that was played: the rules replay it to its stated result.
    const problems = verifyRecord(assembled.record);
    if (problems.length > 0) {
      await this.tidyAfter(matchId, roomCode, lines, assembled);
      this.logger.warn(
        { roomCode, matchId, problem: problems[0], problems: problems.length },
        'record not kept: its journal does not replay to its result',
      );
      return { status: 'unfaithful', problems };
    }
    const json = JSON.stringify(assembled.record);
    // Off the event loop (libuv's pool): a 7-point record is some 50 KB of JSON, 5 KB gzipped.
    const gzip = await gzipped(json);
    await this.store.saveRecord(matchId, gzip, this.config.game.historyTtlSeconds);
    await this.tidyAfter(matchId, roomCode, lines, assembled);
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

  /**
   * The pending entry goes, and the match's lines too, unless an earlier match of the same code
   * (not recorded yet) comes before them.
   */
  private async tidyAfter(
    matchId: string,
    roomCode: string,
    lines: readonly string[],
    { start, end }: AssembledRecord,
  ): Promise<void> {
    const tidy: Array<Promise<void>> = [this.store.dropPending(matchId, roomCode)];
    if (start === 0) tidy.push(this.store.trimJournal(roomCode, end, lines[end] as string));
    await Promise.all(tidy);
  }
}
