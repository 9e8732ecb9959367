// A rolling upgrade's middle, played: an instance of an older build and one of this build on one
// Redis, tables seated over both, as they are while a deploy replaces instances one by one.
// Checks what players and operators would notice, prints one line per check and exits 1 if any
// fails:
//   - every seat and a spectator (on this build) get every version of their table, in order;
//   - a finished match's record, when one is served, replays through the rules to its result;
//   - the turn clock acts for nobody who moves within the turn's time (3 s clock, 2 s per move);
//   - a table in play when the older instance stops: its players come back on this build's and
//     the match ends.
// Usage, from the project root after `npm run build`:
//   npx ts-node --transpile-only bench/tools/mixed-versions.ts DIR
// where DIR holds the older build (`dist/main.js`), e.g. a worktree of the previous release's
// commit after `npm ci && npm run build` there. Uses REDIS_URL (default the local Redis) under a
// key prefix of its own, and deletes its keys at the end.
import { resolve } from 'node:path';
import type { MatchRecord } from '../../src/protocol/hokm-protocol';
import { verifyRecord } from '../../src/records/domain/replay';
import { GameClient, MessageRecorder } from '../../test/support/game-client';
import { spawnMain } from '../../test/support/main-process';
import {
  allReach,
  gaps,
  INSTANCE_DEFAULTS,
  waitUntilReady,
  playOneMove,
  playSpreadUntil,
  seatSpread,
  socketVersions,
  type Instance,
  type SpawnedInstance,
  type SpreadTable,
} from '../../test/support/multi-instance';
import { freePort } from '../../test/support/ports';
import { cleanupPrefix } from '../../test/support/redis-keys';
import { sleep, waitFor } from '../../test/support/wait';

const OLDER = resolve(process.argv[2] ?? '');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `mixed-versions:${process.pid}:`;
const CLOCK_SECONDS = 3;
const PACE_MS = 2_000;

const results: Array<{ ok: boolean; line: string }> = [];
function check(ok: boolean, line: string): void {
  results.push({ ok, line });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${line}`);
}

/** A spectator on `instance`, or null when that build does not know `watch`. */
async function spectate(instance: Instance, roomCode: string): Promise<GameClient | null> {
  const client = await GameClient.connect(instance.url, {
    recorder: new MessageRecorder(`watcher@${instance.label}`),
  });
  const ack = await client.request('watch', { roomCode });
  if (ack.ok) return client;
  client.close();
  return null;
}

function checkDelivery(table: SpreadTable, watcher: GameClient | null, name: string): void {
  const missing = table.seats.flatMap((s) =>
    gaps(socketVersions(s.client)).map((v) => `${s.label} v${v}`),
  );
  if (watcher) missing.push(...gaps(socketVersions(watcher)).map((v) => `watcher v${v}`));
  check(
    missing.length === 0,
    `${name}: every seat${watcher ? ' and the spectator' : ''} got every version` +
      (missing.length ? ` (missing ${missing.slice(0, 5).join(', ')})` : ''),
  );
}

/** The match's id as the seats on this build were shown it (the older build may show none). */
function matchIdOf(table: SpreadTable): string | null {
  for (const seat of table.seats) {
    const id = seat.client.states.find((v) => typeof v.matchId === 'string')?.matchId;
    if (id) return id;
  }
  return null;
}

async function checkRecord(instance: Instance, table: SpreadTable, name: string): Promise<void> {
  const matchId = matchIdOf(table);
  if (!matchId) {
    check(true, `${name}: no matchId (the match started on the older build): no record`);
    return;
  }
  const response = await waitFor(
    `${name}: the record to be stored`,
    async () => {
      const r = await fetch(`${instance.url}/api/matches/${matchId}`);
      return r.status === 200 || r.status === 404 ? r : undefined;
    },
    { timeoutMs: 10_000 },
  );
  if (response.status === 404) {
    check(
      true,
      `${name}: no record (it ended on the older build, or lacks the older build's moves)`,
    );
    return;
  }
  const problems = verifyRecord((await response.json()) as MatchRecord);
  check(
    problems.length === 0,
    `${name}: the record served replays to its result ${problems[0] ?? ''}`,
  );
}

async function main(): Promise<void> {
  const env = { ...INSTANCE_DEFAULTS, REDIS_URL, REDIS_KEY_PREFIX: PREFIX };
  const clocked = { ...env, TURN_SECONDS: String(CLOCK_SECONDS) };
  const spawnOn = async (label: string, root?: string): Promise<SpawnedInstance> => {
    const port = await freePort();
    const process = spawnMain({ ...clocked, PORT: String(port) }, root);
    return { label, port, url: `http://127.0.0.1:${port}`, process };
  };
  const instances = [await spawnOn('older', OLDER), await spawnOn('this')];
  const [older, newer] = instances as [SpawnedInstance, SpawnedInstance];
  const open: GameClient[] = [];
  try {
    await Promise.all(instances.map((i) => waitUntilReady(i)));

    // Four tables over both instances, two created on each, played to the end at once.
    const tables = await Promise.all(
      [0, 1, 2, 3].map((n) =>
        seatSpread(instances, { targetScore: 1, offset: n % 2, label: `T${n}` }),
      ),
    );
    const watchers = await Promise.all(tables.map((t) => spectate(instances[1]!, t.roomCode)));
    for (const w of watchers) if (w) open.push(w);
    const ends = await Promise.all(
      tables.map((t) => playSpreadUntil(t, (v) => v.phase === 'game_over')),
    );
    for (const [i, table] of tables.entries()) {
      const name = `table ${i} (created on ${instances[i % 2]!.label})`;
      await allReach(table.seats, ends[i]!.version);
      const watcher = watchers[i] ?? null;
      if (watcher) {
        await watcher.waitForState((v) => v.version >= ends[i]!.version, { what: 'the end' });
      }
      checkDelivery(table, watcher, name);
      await checkRecord(instances[1]!, table, name);
      for (const seat of table.seats) seat.closeAll();
    }

    // The clock: everyone moves within the turn's time, so it never acts.
    const paced = await seatSpread(instances, { targetScore: 1, label: 'C' });
    for (let i = 0; i < 12; i++) {
      await sleep(PACE_MS);
      await playOneMove(paced);
    }
    const autos = paced.seats[0]!.recorder.messages.filter(
      (m) =>
        m.kind === 'push' &&
        (m.event === 'card_played' || m.event === 'hokm_selected') &&
        (m.payload as { auto?: boolean }).auto === true,
    );
    check(
      autos.length === 0,
      `turn clock (${CLOCK_SECONDS} s, a move every ${PACE_MS / 1000} s): ${autos.length} moves made for a player`,
    );
    for (const seat of paced.seats) seat.closeAll();

    // The older instance stops mid-match; its players come back on this build's.
    const last = await seatSpread(instances, { targetScore: 1, label: 'S' });
    for (let i = 0; i < 6; i++) await playOneMove(last);
    await older.process.stop('SIGTERM');
    for (const seat of last.seats) if (seat.instance === 0) await seat.reconnectOn(instances, 1);
    const end = await playSpreadUntil(last, (v) => v.phase === 'game_over');
    await allReach(last.seats, end.version);
    check(
      end.phase === 'game_over',
      'the older instance stopped mid-match: the match ended on this one',
    );
    for (const seat of last.seats) seat.closeAll();
  } finally {
    for (const client of open) client.close();
    await Promise.all([older.process.stop('SIGKILL'), newer.process.stop('SIGTERM')]);
    await cleanupPrefix(REDIS_URL, PREFIX);
  }
  const failed = results.filter((r) => !r.ok).length;
  console.log(failed === 0 ? 'all checks passed' : `${failed} check(s) failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
