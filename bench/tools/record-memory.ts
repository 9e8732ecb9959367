// What a match record costs Redis: plays matches to 7 points through the rules with the journal
// the server keeps (journalFor on every change), stores each journal (as it stands at the
// match's end) and its record as the server does, and reads MEMORY USAGE of both. Usage:
//   npx ts-node --transpile-only bench/tools/record-memory.ts [matches] [redis-url]
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Redis } from 'ioredis';
import { assembleRecord } from '../../src/records/domain/assemble';
import { simulateMatch } from '../../src/records/domain/testing';

const matches = Number(process.argv[2] ?? 50);
const url = process.argv[3] ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

async function main(): Promise<void> {
  const redis = new Redis(url);
  const prefix = `bench:records:${randomBytes(4).toString('hex')}:`;
  const rows: Array<{
    moves: number;
    hands: number;
    journal: number;
    record: number;
    json: number;
  }> = [];
  try {
    for (let seed = 1; seed <= matches; seed++) {
      const played = simulateMatch(seed, { targetScore: 7 });
      const matchId = played.state.match?.matchId ?? '';
      const assembled = assembleRecord(played.journal, matchId);
      if (!assembled) throw new Error(`seed ${seed}: no record`);
      const json = JSON.stringify(assembled.record);
      const journalKey = `${prefix}room:{${played.state.roomCode}${seed}}:journal`;
      const recordKey = `${prefix}record:{${matchId}}`;
      await redis.rpush(journalKey, ...played.journal);
      // As the server keeps it: the JSON gzipped.
      await redis.set(recordKey, gzipSync(json), 'EX', 600);
      const [journal, record] = await Promise.all([
        redis.memory('USAGE', journalKey, 'SAMPLES', '0'),
        redis.memory('USAGE', recordKey, 'SAMPLES', '0'),
      ]);
      rows.push({
        moves: played.moves,
        hands: assembled.record.hands.length,
        journal: Number(journal),
        record: Number(record),
        json: json.length,
      });
      await redis.del(journalKey, recordKey);
    }
  } finally {
    await redis.quit();
  }
  const col = (name: keyof (typeof rows)[number]) => rows.map((r) => r[name]);
  const line = (label: string, xs: number[], unit: (n: number) => string) =>
    `${label.padEnd(34)} ${unit(median(xs)).padStart(8)} ${unit(Math.min(...xs)).padStart(8)} ${unit(Math.max(...xs)).padStart(8)}`;
  const records = col('record');
  const moves = col('moves');
  process.stdout.write(
    [
      `${matches} matches to 7 points (median, min, max)`,
      line('hands', col('hands'), String),
      line('moves', moves, String),
      line('record (gzipped), MEMORY USAGE (KB)', records, kb),
      line('record JSON (KB)', col('json'), kb),
      line('journal at the end, MEMORY USAGE (KB)', col('journal'), kb),
      line(
        'record (gzipped) bytes per move',
        rows.map((r) => Math.round(r.record / r.moves)),
        String,
      ),
      '',
    ].join('\n'),
  );
}

void main();
