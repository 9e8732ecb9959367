import { Provider } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';
import { PENDING_RECORDS_INDEX, pendingMember } from '../records/domain/journal';
import type { MatchRecordStore, PendingRecord } from '../records/match-record-store.port';
import { MATCH_RECORD_STORE } from '../records/records.constants';
import { KeySpace } from './keys';
import type { RedisClient, StoreClients } from './redis-clients';
import { STORE_CLIENTS } from './redis.constants';
import type { RedisCommandRunner } from './redis-command-runner';
import { storeConnection } from './store-connection';
import { StoreMetrics } from './store-metrics';

/**
 * KEYS journal; ARGV end index, the line expected there. Drops the lines up to `end` when that
 * line is still the one read (commits only append, so nothing else can have moved it). 1: done.
 */
const TRIM_JOURNAL = `
if redis.call('LINDEX', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('LTRIM', KEYS[1], tonumber(ARGV[1]) + 1, -1)
return 1
`;

/** How many ZSCAN pages a pending lookup reads at most (the index holds only unrecorded ends). */
const MAX_SCAN_PAGES = 20;

type RecordClient = RedisClient & {
  hokmTrimJournal(journal: string, end: number, line: string): Promise<number>;
};

function parseMember(member: string, score: string): PendingRecord | null {
  const bar = member.indexOf('|');
  if (bar <= 0) return null;
  return { matchId: member.slice(0, bar), roomCode: member.slice(bar + 1), endedAt: Number(score) };
}

/**
 * MatchRecordStore over one Redis connection (the store's). A record is one string key (gzipped
 * JSON: a tenth of the bytes) with its TTL; the journal is the room's (its keys, its TTL); the pending index gets the room TTL at
 * every sweep, since an entry outliving its room's journal is of no use.
 */
export class RedisMatchRecords implements MatchRecordStore {
  private readonly client: RecordClient;
  private readonly pending: string;

  constructor(
    client: RedisClient,
    private readonly keys: KeySpace,
    private readonly runner: RedisCommandRunner,
    private readonly pendingTtlSeconds: number,
  ) {
    client.defineCommand('hokmTrimJournal', { numberOfKeys: 1, lua: TRIM_JOURNAL });
    this.client = client as RecordClient;
    this.pending = keys.index(PENDING_RECORDS_INDEX);
  }

  getRecord(matchId: string): Promise<Buffer | null> {
    const key = this.keys.matchRecord(matchId);
    return this.runner.run('getMatchRecord', () => this.client.getBuffer(key));
  }

  async saveRecord(matchId: string, gzipped: Buffer, ttlSeconds: number): Promise<void> {
    const key = this.keys.matchRecord(matchId);
    await this.runner.run('saveMatchRecord', () => this.client.set(key, gzipped, 'EX', ttlSeconds));
  }

  readJournal(roomCode: string): Promise<string[]> {
    const { journal } = this.keys.room(roomCode);
    return this.runner.run('readJournal', () => this.client.lrange(journal, 0, -1));
  }

  async trimJournal(roomCode: string, end: number, line: string): Promise<void> {
    const { journal } = this.keys.room(roomCode);
    await this.runner.run('trimJournal', () => this.client.hokmTrimJournal(journal, end, line));
  }

  async pendingRecords(endedBy: number, limit: number): Promise<PendingRecord[]> {
    const [flat] = await this.runner.run('pendingRecords', () =>
      Promise.all([
        this.client.zrangebyscore(this.pending, '-inf', endedBy, 'WITHSCORES', 'LIMIT', 0, limit),
        this.client.expire(this.pending, this.pendingTtlSeconds),
      ]),
    );
    const found: PendingRecord[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const entry = parseMember(flat[i] as string, flat[i + 1] as string);
      if (entry) found.push(entry);
    }
    return found;
  }

  findPending(matchId: string): Promise<PendingRecord | null> {
    // Match ids are base64url: no glob character in them.
    const pattern = `${matchId}|*`;
    return this.runner.run('findPendingRecord', async () => {
      let cursor = '0';
      for (let page = 0; page < MAX_SCAN_PAGES; page++) {
        const [next, flat] = await this.client.zscan(
          this.pending,
          cursor,
          'MATCH',
          pattern,
          'COUNT',
          500,
        );
        for (let i = 0; i + 1 < flat.length; i += 2) {
          const entry = parseMember(flat[i] as string, flat[i + 1] as string);
          if (entry?.matchId === matchId) return entry;
        }
        cursor = next;
        if (cursor === '0') break;
      }
      return null;
    });
  }

  async dropPending(matchId: string, roomCode: string): Promise<void> {
    const member = pendingMember(matchId, roomCode);
    await this.runner.run('dropPendingRecord', () => this.client.zrem(this.pending, member));
  }
}

/**
 * MATCH_RECORD_STORE on the store's connection (the async path's, the legacy one when the
 * rollback switch leaves only that): timed into the store metrics, with the store's typed
 * errors. The store connects and closes the connection.
 */
export const matchRecordStoreProvider: Provider = {
  provide: MATCH_RECORD_STORE,
  inject: [APP_CONFIG, STORE_CLIENTS, StoreMetrics],
  useFactory: (config: AppConfig, clients: StoreClients, metrics: StoreMetrics) => {
    const { client, runner } = storeConnection(config, clients, metrics, 'the match records');
    const keys = new KeySpace(config.redis.keyPrefix);
    return new RedisMatchRecords(client, keys, runner, config.game.roomTtlSeconds);
  },
};
