// Match records as players and their apps meet them: finished matches played by real
// socket.io-client players against the real app, then GET /api/matches/:matchId, checked against
// every push the players received and replayed through the server's own rules. Also: nothing
// while a match is played, the record's TTL, an instance dying between the ending commit and the
// record, and the replay check over many random matches played in-process.
import { get as httpGet } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { Logger } from '@nestjs/common';
import type { RedisClient, StoreClients } from '../src/redis/redis-clients';
import { STORE_CLIENTS } from '../src/redis/redis.constants';
import { KeySpace } from '../src/redis/keys';
import type { MatchRecord, SeatedGameView } from '../src/protocol/hokm-protocol';
import { assembleRecord } from '../src/records/domain/assemble';
import { PENDING_RECORDS_INDEX, pendingMember } from '../src/records/domain/journal';
import { verifyRecord } from '../src/records/domain/replay';
import { simulateMatch } from '../src/records/domain/testing';
import { MatchJournalExtension } from '../src/records/match-journal.extension';
import { ORPHAN_AFTER_MS, RecordSweeper } from '../src/records/record-sweeper.service';
import { GameApp, startGameApp } from './support/game-app';
import { schemaProblems } from './support/schema-check';
import {
  GameClient,
  MessageRecorder,
  playUntil,
  seatTable,
  type Table,
} from './support/game-client';

jest.setTimeout(60_000);

const HISTORY_TTL = 5_000;

let app: GameApp;
let redis: RedisClient;
let keys: KeySpace;
const open: GameClient[] = [];

beforeAll(async () => {
  app = await startGameApp({ HISTORY_TTL_SECONDS: String(HISTORY_TTL) });
  redis = app.app.get<StoreClients>(STORE_CLIENTS, { strict: false }).get('async') as RedisClient;
  keys = new KeySpace(app.config.redis.keyPrefix);
});
afterEach(() => {
  for (const client of open.splice(0)) client.close();
  jest.restoreAllMocks();
});
afterAll(async () => {
  await app.close();
});

async function getRecord(
  matchId: string,
): Promise<{ status: number; body: unknown; type: string }> {
  const response = await fetch(`${app.url}/api/matches/${matchId}`);
  return {
    status: response.status,
    body: await response.json(),
    type: response.headers.get('content-type') ?? '',
  };
}

async function recordOf(matchId: string): Promise<MatchRecord> {
  const { status, body, type } = await getRecord(matchId);
  expect({ status, type }).toEqual({
    status: 200,
    type: expect.stringMatching(/application\/json/),
  });
  return body as MatchRecord;
}

interface Seated extends Table {
  recorders: MessageRecorder[];
  /** Every session token and socket id of the table, as handed out: none may be in a record. */
  secrets: string[];
}

async function seated(targetScore: number): Promise<Seated> {
  const recorders = ['Dara', 'Bahar', 'Cyrus', 'Mina'].map((n) => new MessageRecorder(n));
  const table = await seatTable(app.url, { targetScore, recorders });
  open.push(...table.clients);
  const secrets = table.clients.flatMap((c) => [c.seat!.sessionToken, c.socket.id ?? '']);
  return { ...table, recorders, secrets: secrets.filter((s) => s.length > 0) };
}

const sorted = (cards: readonly string[]) => [...cards].sort();

/** Every state push one player received, in order. */
function statesOf(recorder: MessageRecorder): SeatedGameView[] {
  return recorder.pushes('state') as SeatedGameView[];
}

/**
 * The record against what the four players were shown: the seats, each one's own cards at every
 * hand's start and after the hokm, every hokm and card in order, each hand's tricks and points,
 * the end; and nothing of anyone's seat credentials.
 */
function expectTrueToWhatPlayersSaw(
  record: MatchRecord,
  table: Seated,
  recorders: MessageRecorder[],
) {
  const last = statesOf(recorders[0]!).at(-1)!;
  expect(record.matchId).toBe(last.matchId);
  expect(record.roomCode).toBe(table.roomCode);
  expect(record.targetScore).toBe(last.targetScore);
  expect(record.outcome).toBe(last.phase);
  expect(record.players).toEqual(
    last.players.map((p) => ({
      playerId: p.playerId,
      name: p.name,
      seat: p.seat,
      team: p.team,
      bot: p.bot === true,
    })),
  );
  for (const recorder of recorders) {
    const states = statesOf(recorder).filter((s) => s.phase !== 'waiting_for_players');
    for (const s of states) expect(s.matchId).toBe(record.matchId);
    for (const hand of record.hands) {
      const ofHand = states.filter((s) => s.handNumber === hand.handNumber);
      const me = ofHand[0]!.you.playerId;
      const dealt = hand.deal[me]!;
      expect(ofHand[0]!.hakem).toBe(hand.hakem);
      expect(sorted(ofHand.find((s) => s.phase === 'hokm_selection')!.you.hand)).toEqual(
        sorted(dealt.slice(0, 5)),
      );
      const afterHokm = ofHand.find((s) => s.phase === 'gameplay');
      if (afterHokm) expect(sorted(afterHokm.you.hand)).toEqual(sorted(dealt));
    }
  }
  const seen = recorders[0]!;
  const moves = record.hands.flatMap((h) => h.moves);
  // Every hokm and card in the order the table saw them, and whether the clock made them.
  expect(
    moves.map((m) =>
      m.type === 'select_hokm' ? [m.playerId, m.suit, m.auto] : [m.playerId, m.card, m.auto],
    ),
  ).toEqual(
    seen.messages
      .filter(
        (m) => m.kind === 'push' && (m.event === 'hokm_selected' || m.event === 'card_played'),
      )
      .map((m) => {
        const p = m.payload as { playerId: string; suit?: string; card?: string; auto?: true };
        return [p.playerId, p.suit ?? p.card, p.auto === true];
      }),
  );
  const ats = moves.map((m) => m.at);
  expect(ats).toEqual([...ats].sort((a, b) => a - b));
  expect(record.startedAt).toBeLessThanOrEqual(ats[0] ?? record.endedAt);
  expect(record.endedAt).toBeGreaterThanOrEqual(ats.at(-1) ?? record.startedAt);
  const completed = seen.pushes('hand_complete');
  const wonTricks = seen.pushes('trick_won');
  completed.forEach((c, i) => {
    const hand = record.hands[i]!;
    expect(hand.handNumber).toBe(c.handNumber);
    expect(hand.points).toEqual(c.winnerTeam === 0 ? [c.points, 0] : [0, c.points]);
    const lastTrick = wonTricks.filter((t) => t.version <= c.version).at(-1)!;
    expect(hand.tricks).toEqual(lastTrick.tricks);
  });
  if (record.outcome === 'game_over') {
    expect(completed).toHaveLength(record.hands.length);
    const over = seen.pushes('game_over')[0]!;
    expect({ winnerTeam: record.winnerTeam, scores: record.scores }).toEqual({
      winnerTeam: over.winnerTeam,
      scores: over.scores,
    });
  } else {
    expect(record.winnerTeam).toBeNull();
    expect(record.scores).toEqual(last.scores);
    expect(record.hands.at(-1)).toEqual(
      expect.objectContaining({ tricks: last.tricks, points: [0, 0] }),
    );
  }
  const text = JSON.stringify(record);
  expect(table.secrets).toHaveLength(8);
  for (const secret of table.secrets) expect(text).not.toContain(secret);
}

/** What Redis keeps after the record is stored: the record with its TTL, no journal, no entry. */
async function expectStoredAndTidied(record: MatchRecord): Promise<void> {
  const ttl = await redis.ttl(keys.matchRecord(record.matchId));
  expect(ttl).toBeGreaterThan(HISTORY_TTL - 60);
  expect(ttl).toBeLessThanOrEqual(HISTORY_TTL);
  expect(await redis.exists(keys.room(record.roomCode).journal)).toBe(0);
  const pending = pendingMember(record.matchId, record.roomCode);
  expect(await redis.zscore(keys.index(PENDING_RECORDS_INDEX), pending)).toBeNull();
}

async function expectNotFound(matchId: string): Promise<void> {
  const { status, body } = await getRecord(matchId);
  expect(status).toBe(404);
  expect(body).toEqual({ error: { code: 'MATCH_NOT_FOUND', message: expect.any(String) } });
}

describe('the record of a finished match', () => {
  it.each([1, 2])(
    'of a match to %i point(s) holds what the players saw and replays to its result',
    async (targetScore) => {
      // Arrange: a match being played is not served, at its start nor later.
      const table = await seated(targetScore);
      const matchId = table.started[0]!.matchId!;
      expect(matchId).toMatch(/^[A-Za-z0-9_-]{22}$/);
      for (const s of table.started) expect(s.matchId).toBe(matchId);
      await expectNotFound(matchId);
      await playUntil(table.clients, (s) => s.phase === 'gameplay' && s.currentTrick.length > 0);
      await expectNotFound(matchId);

      // Act: played to the end, then looked up.
      await playUntil(table.clients, (s) => s.phase === 'game_over');
      await Promise.all(table.clients.map((c) => c.waitForState((s) => s.phase === 'game_over')));
      const record = await recordOf(matchId);

      // Assert
      expect(record.outcome).toBe('game_over');
      expectTrueToWhatPlayersSaw(record, table, table.recorders);
      expect(verifyRecord(record)).toEqual([]);
      await expectStoredAndTidied(record);
    },
  );

  it('of an abandoned match shows the hand cut short, with what was played of it', async () => {
    // Arrange: some tricks into the first hand.
    const table = await seated(7);
    const matchId = table.started[0]!.matchId!;
    await playUntil(table.clients, (s) => s.tricks[0] + s.tricks[1] >= 2);

    // Act: a player leaves, which abandons the match.
    await table.clients[1]!.ok('leave', {});
    await Promise.all(
      [0, 2, 3].map((i) => table.clients[i]!.waitForState((s) => s.phase === 'abandoned')),
    );
    const record = await recordOf(matchId);

    // Assert
    expect(record.outcome).toBe('abandoned');
    expect(record.hands.at(-1)?.points).toEqual([0, 0]);
    expect(record.hands.at(-1)?.moves.length).toBeGreaterThanOrEqual(9);
    expectTrueToWhatPlayersSaw(
      record,
      table,
      [0, 2, 3].map((i) => table.recorders[i]!),
    );
    expect(verifyRecord(record)).toEqual([]);
    await expectStoredAndTidied(record);
  });

  it('of a match with bots names them, and is kept when its only person leaves', async () => {
    // Arrange: one person and three bots, a few moves in.
    const host = await GameClient.connect(app.url, { recorder: new MessageRecorder('host') });
    open.push(host);
    const { roomCode } = await host.ok('create_room', { name: 'Solo' });
    await host.ok('add_bots', { count: 3 });
    host.autoplay();
    const started = await host.waitForState((s) => s.handNumber === 1 && s.phase === 'gameplay');
    await host.waitForState((s) => s.tricks[0] + s.tricks[1] >= 1);
    host.autoplay(false);

    // Act: the person leaves, which abandons the match.
    await host.ok('leave', {});
    const record = await recordOf(started.matchId!);

    // Assert
    expect(record.roomCode).toBe(roomCode);
    expect(record.outcome).toBe('abandoned');
    expect(record.players.filter((p) => p.bot)).toHaveLength(3);
    expect(verifyRecord(record)).toEqual([]);
  });
});

describe.each([
  ['hybrid', { REDIS_PROVIDER: 'hybrid' }],
  [
    'hybrid with the async path off (the rollback)',
    { REDIS_PROVIDER: 'hybrid', REDIS_HYBRID_ASYNC: 'false' },
  ],
])('records under the %s provider', (_name, env) => {
  let other: GameApp;
  beforeAll(async () => {
    other = await startGameApp(env);
  });
  afterAll(async () => {
    await other.close();
  });

  it('are kept and served as under async', async () => {
    const table = await seatTable(other.url, { targetScore: 1 });
    open.push(...table.clients);
    await playUntil(table.clients, (s) => s.phase === 'game_over');

    const response = await fetch(`${other.url}/api/matches/${table.started[0]!.matchId!}`);

    expect(response.status).toBe(200);
    expect(verifyRecord((await response.json()) as MatchRecord)).toEqual([]);
  });
});

describe('the record of a match the turn clock played in', () => {
  let clocked: GameApp;
  beforeAll(async () => {
    clocked = await startGameApp({ TURN_SECONDS: '1' });
  });
  afterAll(async () => {
    await clocked.close();
  });

  it('marks the moves the clock made for a player as auto, as the table was told', async () => {
    // Arrange: three players move at once; the hakem's seat leaves every turn to the clock.
    const recorders = ['Dara', 'Bahar', 'Cyrus', 'Mina'].map((n) => new MessageRecorder(n));
    const table = await seatTable(clocked.url, { targetScore: 1, recorders });
    open.push(...table.clients);
    const idle = table.started[0]!.hakem!;
    for (const client of table.clients) if (client.seat!.playerId !== idle) client.autoplay();

    // Act
    await table.clients[0]!.waitForState((s) => s.phase === 'game_over', { timeoutMs: 50_000 });
    const response = await fetch(`${clocked.url}/api/matches/${table.started[0]!.matchId!}`);
    const record = (await response.json()) as MatchRecord;

    // Assert: every move of the idle seat is the clock's, no one else's is.
    const moves = record.hands.flatMap((h) => h.moves);
    expect(moves.filter((m) => m.playerId === idle).every((m) => m.auto)).toBe(true);
    expect(moves.filter((m) => m.playerId !== idle).some((m) => m.auto)).toBe(false);
    const timeouts = recorders[1]!.pushes('turn_timeout').filter((t) => t.playerId === idle);
    expect(moves.filter((m) => m.auto)).toHaveLength(timeouts.length);
    expect(verifyRecord(record)).toEqual([]);
  });
});

describe('a record on the wire', () => {
  /** The raw answer to a GET that takes only `encoding`. */
  function rawGet(path: string, encoding: string) {
    return new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      httpGet(`${app.url}${path}`, { headers: { 'accept-encoding': encoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      }).on('error', reject);
    });
  }

  it('goes gzipped, as kept, to a client that takes gzip, and as plain JSON to one that does not', async () => {
    const table = await seated(1);
    await playUntil(table.clients, (s) => s.phase === 'game_over');
    const path = `/api/matches/${table.started[0]!.matchId!}`;

    const zipped = await rawGet(path, 'gzip, deflate, br');
    const plain = await rawGet(path, 'identity');

    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(zipped.headers.vary).toMatch(/Accept-Encoding/i);
    const unzipped = gunzipSync(zipped.body).toString();
    expect(plain.body.toString()).toBe(unzipped);
    expect(zipped.body.length * 5).toBeLessThan(unzipped.length);
    expect((JSON.parse(unzipped) as MatchRecord).matchId).toBe(table.started[0]!.matchId);
  });
});

describe('GET /api/matches/:matchId of anything but a finished match', () => {
  it.each([
    ['an unknown id', 'AAAAAAAAAAAAAAAAAAAAAA'],
    ['a short id', 'abc'],
    ['a long id', 'A'.repeat(23)],
    ['an id with other characters', encodeURIComponent('AAAAAAAAAAAAAAAAAAAA+/')],
    ['a path trick', encodeURIComponent('../../health')],
    ['a room code', 'ABCDEF'],
  ])('answers 404 MATCH_NOT_FOUND for %s', async (_what, id) => {
    await expectNotFound(id);
  });
});

describe('guessing at match ids', () => {
  let guarded: GameApp;
  beforeAll(async () => {
    guarded = await startGameApp({
      LOOKUP_FAILURES_PER_MINUTE: '3',
      LOOKUP_COOLDOWN_SECONDS: '60',
    });
  });
  afterAll(async () => {
    await guarded.close();
  });

  it("spends the address's failed-lookup budget, then answers 429 RATE_LIMITED", async () => {
    const lookup = (id: string) => fetch(`${guarded.url}/api/matches/${id}`);
    for (let i = 0; i < 3; i++)
      expect((await lookup(`AAAAAAAAAAAAAAAAAAAAA${i}`)).status).toBe(404);

    const refused = await lookup('AAAAAAAAAAAAAAAAAAAAAB');

    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await refused.json()).toEqual({
      error: { code: 'RATE_LIMITED', message: expect.any(String) },
    });
  });
});

/** Plays a 1-point match whose ending commit is not followed by storing the record. */
async function endWithoutRecord(): Promise<{ table: Table; matchId: string }> {
  const journal = app.app.get(MatchJournalExtension, { strict: false });
  jest.spyOn(journal, 'committed').mockReturnValue(undefined);
  const table = await seated(1);
  await playUntil(table.clients, (s) => s.phase === 'game_over');
  return { table, matchId: table.started[0]!.matchId! };
}

describe('an instance that dies right after the ending commit', () => {
  it('leaves a record that the first GET assembles from the journal', async () => {
    const { table, matchId } = await endWithoutRecord();
    expect(await redis.exists(keys.matchRecord(matchId))).toBe(0);
    jest.restoreAllMocks();

    const record = await recordOf(matchId);

    expect(verifyRecord(record)).toEqual([]);
    expect(record.roomCode).toBe(table.roomCode);
    await expectStoredAndTidied(record);
  });

  it('leaves a record that a sweep by any instance stores', async () => {
    const { matchId } = await endWithoutRecord();
    const sweeper = app.app.get(RecordSweeper, { strict: false });

    // Not yet overdue: left to the instance that ended it.
    expect(await sweeper.sweep(Date.now())).toBe(0);
    const stored = await sweeper.sweep(Date.now() + ORPHAN_AFTER_MS + 1_000);

    expect(stored).toBe(1);
    const kept = await redis.getBuffer(keys.matchRecord(matchId));
    const record = JSON.parse(gunzipSync(kept ?? Buffer.alloc(0)).toString()) as MatchRecord;
    expect(verifyRecord(record)).toEqual([]);
    await expectStoredAndTidied(record);
    expect(await redis.ttl(keys.index(PENDING_RECORDS_INDEX))).not.toBe(-1);
  });
});

describe('a match partly played by an instance that keeps no journal', () => {
  // During a rolling upgrade from the first release, an instance of it commits moves without a
  // journal line. The lines then make a match the rules do not replay: no record, rather than a
  // wrong one.
  it('leaves no record: its id answers 404, its entry and lines go, and the log says why', async () => {
    const { table, matchId } = await endWithoutRecord();
    jest.restoreAllMocks();
    // The cards two of the players played, as an instance of the first release commits them.
    const key = keys.room(table.roomCode).journal;
    const older = new Set(table.clients.slice(2).map((c) => c.seat!.playerId));
    const unjournaled = (await redis.lrange(key, 0, -1)).filter((text) => {
      const line = JSON.parse(text) as unknown[];
      return line[0] === 'P' && older.has(line[1] as string);
    });
    expect(unjournaled.length).toBeGreaterThan(0);
    for (const text of unjournaled) await redis.lrem(key, 1, text);
    const warnings = jest.spyOn(Logger.prototype, 'warn');

    await expectNotFound(matchId);

    expect(await redis.exists(keys.matchRecord(matchId))).toBe(0);
    const pending = pendingMember(matchId, table.roomCode);
    expect(await redis.zscore(keys.index(PENDING_RECORDS_INDEX), pending)).toBeNull();
    expect(await redis.exists(key)).toBe(0);
    expect(warnings).toHaveBeenCalledWith(
      expect.objectContaining({ matchId, roomCode: table.roomCode, problem: expect.any(String) }),
      'record not kept: its journal does not replay to its result',
    );
    // Asked again, it stays unknown (nothing is left to assemble it from).
    await expectNotFound(matchId);
  });
});

describe('the OpenAPI document', () => {
  type Document = {
    paths: Record<string, { get?: { summary?: string; responses?: Record<string, unknown> } }>;
    components: { schemas: Record<string, Record<string, unknown>> };
  };

  async function served(): Promise<Document> {
    const response = await fetch(`${app.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    return (await response.json()) as Document;
  }

  it('describes every HTTP route with a summary and its answers', async () => {
    const document = await served();
    const paths = Object.keys(document.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/matches/{matchId}',
        '/health',
        '/health/live',
        '/metrics',
        '/api/redis/metrics',
      ]),
    );
    for (const path of paths) {
      expect({ path, summary: document.paths[path]?.get?.summary }).toEqual({
        path,
        summary: expect.any(String),
      });
      expect(document.paths[path]?.get?.responses).toHaveProperty('200');
    }
    const ui = await fetch(`${app.url}/api/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger-ui');
  });

  it('holds the schemas that real answers fit, and only those', async () => {
    // Arrange: a finished match, an unknown one, and the store's other answers.
    const document = await served();
    const schema = (name: string) => ({ $ref: `#/components/schemas/${name}` });
    const table = await seated(1);
    await playUntil(table.clients, (s) => s.phase === 'game_over');
    const record = await recordOf(table.started[0]!.matchId!);
    const missing = (await getRecord('AAAAAAAAAAAAAAAAAAAAAA')).body;
    const metrics = await (await fetch(`${app.url}/api/redis/metrics`)).json();
    const health = await (await fetch(`${app.url}/health`)).json();

    // Act + Assert
    expect(schemaProblems(record, schema('MatchRecord'), document)).toEqual([]);
    expect(schemaProblems(missing, schema('ErrorResponse'), document)).toEqual([]);
    expect(schemaProblems(metrics, schema('RedisMetrics'), document)).toEqual([]);
    expect(schemaProblems(health, schema('Health'), document)).toEqual([]);
    const bent = structuredClone(record) as unknown as Record<string, unknown>;
    bent.sessionToken = 'x';
    (bent.hands as Array<{ moves: Array<Record<string, unknown>> }>)[0]!.moves[1]!.card = 'A_stars';
    expect(schemaProblems(bent, schema('MatchRecord'), document)).toEqual([
      expect.stringContaining('hands[0].moves[1]'),
      '$.sessionToken: not in the schema',
    ]);
  });
});

describe('replaying records through the rules', () => {
  it('gives the stated tricks, points, scores and winner for a thousand random matches', () => {
    for (let seed = 1000; seed < 2000; seed++) {
      const played = simulateMatch(seed, {
        targetScore: (seed % 7) + 1,
        timeouts: seed % 4 === 0 ? 0.3 : 0,
        ...(seed % 6 === 0 ? { abandonAfter: { moves: seed % 150, how: 'leave' } } : {}),
      });
      const matchId = played.state.match!.matchId!;
      const assembled = assembleRecord(played.journal, matchId);
      expect(assembled && verifyRecord(assembled.record)).toEqual([]);
      expect(assembled?.record.scores).toEqual(played.state.match!.scores);
    }
  });
});
