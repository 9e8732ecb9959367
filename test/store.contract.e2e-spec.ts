// One contract, every configuration: the async provider, the hybrid provider, and the hybrid
// provider with its async path switched off (the rollback switch) must answer alike on a real Redis.
// @redis-target single: store-level, reads its keys through standalone clients.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { DEADLINES_INDEX } from '../src/game-state/deadline-index.port';
import type { GameStore, OperationMetrics, PerformanceMetrics } from '../src/redis/game-store';
import { randomRoomCode, testConfig } from './support/config';
import { fullTable, player, sampleMatch, waitingRoom } from './support/fixtures';
import { createStoreContext, StoreContext } from './support/nest';
import { dumpPrefix, escapeGlob, scanKeys } from './support/redis-keys';
import { sleep, waitFor } from './support/wait';

interface Variant {
  label: string;
  env: Record<string, string>;
  provider: 'async' | 'hybrid';
  /** What the store reports as its path(s). */
  path: string;
  /** The path that serves operations while Redis is healthy. */
  servedOn: 'async' | 'legacy';
}

const VARIANTS: Variant[] = [
  {
    label: 'async',
    env: { REDIS_PROVIDER: 'async' },
    provider: 'async',
    path: 'async',
    servedOn: 'async',
  },
  {
    label: 'hybrid',
    env: { REDIS_PROVIDER: 'hybrid' },
    provider: 'hybrid',
    path: 'async+legacy',
    servedOn: 'async',
  },
  {
    label: 'hybrid with REDIS_HYBRID_ASYNC=false (rollback)',
    env: { REDIS_PROVIDER: 'hybrid', REDIS_HYBRID_ASYNC: 'false' },
    provider: 'hybrid',
    path: 'legacy',
    servedOn: 'legacy',
  },
];

const commitId = () => randomUUID();

describe.each(VARIANTS)('GameStore contract: $label', (variant) => {
  let ctx: StoreContext;
  let store: GameStore;
  /** A plain connection to look at what the store left in Redis. */
  let redis: Redis;
  let prefix: string;

  beforeAll(async () => {
    ctx = await createStoreContext(testConfig(variant.env));
    store = ctx.store;
    prefix = ctx.config.redis.keyPrefix;
    redis = new Redis(ctx.config.redis.url);
  });

  afterAll(async () => {
    await redis?.quit();
    await ctx?.close();
  });

  /** Every key of one room: any key under our prefix that names the code. */
  const roomKeys = (code: string) => scanKeys(redis, `${escapeGlob(prefix)}*${code}*`);

  it('binds the configured provider and path', () => {
    expect(store.provider).toBe(variant.provider);
    expect(store.path).toBe(variant.path);
    expect(store.getPerformanceMetrics()).toMatchObject({
      provider: variant.provider,
      path: variant.path,
    });
  });

  describe('rooms', () => {
    it('createRoom makes an empty room at version 1; a taken code answers false and changes nothing', async () => {
      const code = randomRoomCode();
      expect(await store.roomExists(code)).toBe(false);

      expect(await store.createRoom(code, waitingRoom({ hostId: 'host-a', targetScore: 5 }))).toBe(
        true,
      );

      expect(await store.roomExists(code)).toBe(true);
      const room = await store.loadRoom(code);
      expect(room).toMatchObject({
        roomCode: code,
        version: 1,
        phase: 'waiting_for_players',
        targetScore: 5,
        hostId: 'host-a',
        players: [],
        match: null,
      });
      expect(room!.createdAt).toBeGreaterThan(0);
      expect(room!.updatedAt).toBeGreaterThanOrEqual(room!.createdAt);

      expect(await store.createRoom(code, waitingRoom({ hostId: 'host-b', targetScore: 3 }))).toBe(
        false,
      );
      expect(await store.loadRoom(code)).toEqual(room);
    });

    it('createRoom with first players seats them in the same write (still version 1)', async () => {
      const code = randomRoomCode();
      const [p0, p1] = fullTable();

      expect(await store.createRoom(code, waitingRoom(), [p1!, p0!])).toBe(true);

      expect(await store.loadRoom(code)).toMatchObject({ version: 1, players: [p0, p1] });
      expect(await store.createRoom(code, waitingRoom(), [player(2)])).toBe(false);
      expect(await store.getRoomPlayers(code)).toEqual([p0, p1]);
    });

    it('roomExists is false for a code never created', async () => {
      expect(await store.roomExists(randomRoomCode())).toBe(false);
    });

    it('addPlayerToRoom seats players; getRoomPlayers lists them by seat, a re-add replaces', async () => {
      const code = randomRoomCode();
      await store.createRoom(code, waitingRoom());
      const [p0, p1, p2, p3] = fullTable();

      for (const p of [p2!, p0!, p3!, p1!]) expect(await store.addPlayerToRoom(code, p)).toBe(true);
      expect(await store.getRoomPlayers(code)).toEqual([p0, p1, p2, p3]);

      const renamed = { ...p2!, name: 'Renamed' };
      expect(await store.addPlayerToRoom(code, renamed)).toBe(true);
      expect(await store.getRoomPlayers(code)).toEqual([p0, p1, renamed, p3]);
      expect((await store.loadRoom(code))!.players).toEqual([p0, p1, renamed, p3]);
    });

    it('addPlayerToRoom on a missing room answers false and conjures no room; getRoomPlayers is []', async () => {
      const code = randomRoomCode();
      expect(await store.addPlayerToRoom(code, player(0))).toBe(false);
      expect(await store.roomExists(code)).toBe(false);
      expect(await store.getRoomPlayers(code)).toEqual([]);
      expect(await store.loadRoom(code)).toBeNull();
      expect(await roomKeys(code)).toEqual([]);
    });

    it('updatePlayerInRoom replaces a seated player; a missing room or player answers false', async () => {
      const code = randomRoomCode();
      await store.createRoom(code, waitingRoom());
      await store.addPlayerToRoom(code, player(0));
      await store.addPlayerToRoom(code, player(1));

      const away = player(1, { connected: false });
      expect(await store.updatePlayerInRoom(code, away)).toBe(true);
      expect(await store.getRoomPlayers(code)).toEqual([player(0), away]);

      expect(await store.updatePlayerInRoom(code, player(2))).toBe(false);
      expect(await store.getRoomPlayers(code)).toEqual([player(0), away]);

      const missing = randomRoomCode();
      expect(await store.updatePlayerInRoom(missing, player(0))).toBe(false);
      expect(await store.roomExists(missing)).toBe(false);
    });

    it('saveGameState / getGameState / deleteGameState round-trip the match; a missing room answers false', async () => {
      const code = randomRoomCode();
      await store.createRoom(code, waitingRoom());
      expect(await store.getGameState(code)).toBeNull();

      const match = sampleMatch();
      expect(await store.saveGameState(code, match)).toBe(true);
      expect(await store.getGameState(code)).toEqual(match);
      expect((await store.loadRoom(code))!.match).toEqual(match);

      const next = sampleMatch({ turn: 'p2', tricks: [1, 1] });
      expect(await store.saveGameState(code, next)).toBe(true);
      expect(await store.getGameState(code)).toEqual(next);

      expect(await store.deleteGameState(code)).toBe(true);
      expect(await store.getGameState(code)).toBeNull();
      expect(await store.roomExists(code)).toBe(true);

      const missing = randomRoomCode();
      expect(await store.saveGameState(missing, match)).toBe(false);
      expect(await store.getGameState(missing)).toBeNull();
      expect(await store.deleteGameState(missing)).toBe(false);
      expect(await store.roomExists(missing)).toBe(false);
    });

    it('clearRoom empties a room back to waiting and keeps it; a missing room answers false', async () => {
      const code = randomRoomCode();
      await store.createRoom(code, waitingRoom({ targetScore: 5 }));
      for (const p of fullTable()) await store.addPlayerToRoom(code, p);
      await store.saveGameState(code, sampleMatch());
      const before = await store.loadRoom(code);
      await store.commitRoom(code, before!.version, { meta: { phase: 'gameplay' } }, commitId());

      expect(await store.clearRoom(code)).toBe(true);

      expect(await store.roomExists(code)).toBe(true);
      expect(await store.getRoomPlayers(code)).toEqual([]);
      expect(await store.getGameState(code)).toBeNull();
      expect(await store.loadRoom(code)).toMatchObject({
        phase: 'waiting_for_players',
        hostId: null,
        targetScore: 5,
        players: [],
        match: null,
        version: before!.version + 2,
      });
      expect(await store.clearRoom(randomRoomCode())).toBe(false);
    });

    it('deleteRoom removes every key of the room; a second delete answers false', async () => {
      const code = randomRoomCode();
      await store.createRoom(code, waitingRoom());
      await store.addPlayerToRoom(code, player(0));
      await store.saveGameState(code, sampleMatch());
      expect((await roomKeys(code)).length).toBeGreaterThan(0);

      expect(await store.deleteRoom(code)).toBe(true);

      expect(await store.roomExists(code)).toBe(false);
      expect(await store.loadRoom(code)).toBeNull();
      expect(await store.getRoomPlayers(code)).toEqual([]);
      expect(await store.getGameState(code)).toBeNull();
      expect(await roomKeys(code)).toEqual([]);
      expect(await store.getActiveRooms(1000)).not.toContain(code);
      expect(await store.deleteRoom(code)).toBe(false);
    });

    it('getActiveRooms lists live rooms, most recently active first, within the limit', async () => {
      const [a, b, c] = [randomRoomCode(), randomRoomCode(), randomRoomCode()];
      // Activity is stamped in ms; a pause keeps the three stamps distinct.
      for (const code of [a, b, c]) {
        await store.createRoom(code, waitingRoom());
        await sleep(5);
      }
      await store.addPlayerToRoom(a, player(0));

      const listed = await store.getActiveRooms(1000);
      expect(listed.filter((code) => [a, b, c].includes(code))).toEqual([a, c, b]);
      expect(await store.getActiveRooms(1)).toEqual([a]);

      expect(await store.deleteRoom(c)).toBe(true);
      expect(await store.getActiveRooms(1000)).not.toContain(c);
      expect((await store.getActiveRooms(1000)).filter((code) => [a, b, c].includes(code))).toEqual(
        [a, b],
      );
    });

    it('a late write to a deleted room neither revives it nor brings it back into getActiveRooms', async () => {
      const code = randomRoomCode();
      await store.createRoom(code, waitingRoom());
      const { version } = (await store.loadRoom(code))!;
      expect(await store.deleteRoom(code)).toBe(true);

      expect(await store.addPlayerToRoom(code, player(0))).toBe(false);
      expect(await store.saveGameState(code, sampleMatch())).toBe(false);
      expect(
        await store.commitRoom(code, version, { meta: { phase: 'gameplay' } }, commitId()),
      ).toEqual({
        status: 'not_found',
      });

      expect(await store.roomExists(code)).toBe(false);
      expect(await store.getActiveRooms(1000)).not.toContain(code);
    });
  });

  describe('sessions', () => {
    it('save / get / delete a session by token', async () => {
      const token = `tok-${randomUUID()}`;
      const session = { roomCode: randomRoomCode(), playerId: 'p2' };
      expect(await store.getPlayerSession(token)).toBeNull();

      await store.savePlayerSession(token, session);
      expect(await store.getPlayerSession(token)).toEqual(session);
      expect(await store.getPlayerSession(`${token}x`)).toBeNull();

      await store.deletePlayerSession(token);
      expect(await store.getPlayerSession(token)).toBeNull();
    });

    it('the raw token appears in no key name and no value in Redis; the session carries a TTL', async () => {
      const token = `secret-${randomUUID()}`;
      const session = { roomCode: randomRoomCode(), playerId: 'p3' };
      await store.savePlayerSession(token, session);

      const everything = await dumpPrefix(redis, prefix);
      expect(everything.length).toBeGreaterThan(0);
      expect(everything.filter((s) => s.includes(token))).toEqual([]);
      // The session is there (under the token's hash), and it carries a TTL.
      const sessionKeys: string[] = [];
      for (const key of await scanKeys(redis, `${escapeGlob(prefix)}*`)) {
        if (
          (await redis.type(key)) === 'string' &&
          (await redis.get(key)) === JSON.stringify(session)
        ) {
          sessionKeys.push(key);
        }
      }
      expect(sessionKeys).toHaveLength(1);
      const ttl = await redis.ttl(sessionKeys[0]!);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(ctx.config.game.sessionTtlSeconds);
      await store.deletePlayerSession(token);
    });
  });

  describe('versioned commits', () => {
    it('loadRoom and commitRoom: each commit bumps the version by one and applies the change', async () => {
      const code = randomRoomCode();
      await store.createRoom(code, waitingRoom());
      let room = (await store.loadRoom(code))!;
      expect(room.version).toBe(1);

      const table = fullTable();
      expect(await store.commitRoom(code, 1, { upsertPlayers: table }, commitId())).toEqual({
        status: 'committed',
        version: 2,
        spectators: 0,
        spectatorInstances: [],
      });
      const match = sampleMatch();
      expect(
        await store.commitRoom(
          code,
          2,
          { meta: { phase: 'gameplay', hostId: null }, match },
          commitId(),
        ),
      ).toEqual({ status: 'committed', version: 3, spectators: 0, spectatorInstances: [] });
      expect(
        await store.commitRoom(code, 3, { removePlayers: ['p3'], match: null }, commitId()),
      ).toEqual({
        status: 'committed',
        version: 4,
        spectators: 0,
        spectatorInstances: [],
      });

      room = (await store.loadRoom(code))!;
      expect(room).toMatchObject({
        version: 4,
        phase: 'gameplay',
        hostId: null,
        targetScore: 7,
        players: table.slice(0, 3),
        match: null,
      });
    });

    it('a stale expectedVersion is a conflict that answers the current version and changes nothing', async () => {
      const code = randomRoomCode();
      await store.createRoom(code, waitingRoom());
      await store.commitRoom(code, 1, { upsertPlayers: [player(0)] }, commitId());
      await store.commitRoom(code, 2, { upsertPlayers: [player(1)] }, commitId());
      const before = await store.loadRoom(code);

      expect(await store.commitRoom(code, 1, { upsertPlayers: [player(2)] }, commitId())).toEqual({
        status: 'conflict',
        version: 3,
      });
      expect(await store.commitRoom(code, 7, { upsertPlayers: [player(2)] }, commitId())).toEqual({
        status: 'conflict',
        version: 3,
      });
      expect(await store.loadRoom(code)).toEqual(before);
    });

    it('a replayed commitId is reported committed and is not applied twice', async () => {
      const code = randomRoomCode();
      await store.createRoom(code, waitingRoom());
      const join = commitId();
      expect(await store.commitRoom(code, 1, { upsertPlayers: [player(0)] }, join)).toEqual({
        status: 'committed',
        version: 2,
        spectators: 0,
        spectatorInstances: [],
      });

      // The same write again (a retry after a lost answer): recognised, version unchanged.
      expect((await store.commitRoom(code, 1, { upsertPlayers: [player(0)] }, join)).status).toBe(
        'committed',
      );
      expect((await store.loadRoom(code))!.version).toBe(2);

      // Even after the room moved on, the replay does not resurrect the player it added.
      await store.commitRoom(code, 2, { removePlayers: ['p0'] }, commitId());
      expect((await store.commitRoom(code, 1, { upsertPlayers: [player(0)] }, join)).status).toBe(
        'committed',
      );
      const room = (await store.loadRoom(code))!;
      expect(room.version).toBe(3);
      expect(room.players).toEqual([]);
    });

    it('index entries and journal lines land with the commit, and only with it', async () => {
      const code = randomRoomCode();
      const index = (name: string) => `${prefix}index:${name}`;
      expect(
        await store.createRoom(code, waitingRoom(), [], {
          indexes: [{ index: 'contract-a', member: code, score: 100 }],
          journal: ['created'],
        }),
      ).toBe(true);
      expect(await redis.zscore(index('contract-a'), code)).toBe('100');

      // Two indexes, a removal and journal lines in one commit.
      const landed = await store.commitRoom(
        code,
        1,
        {
          meta: { phase: 'hokm_selection' },
          indexes: [
            { index: 'contract-a', member: code, score: null },
            { index: 'contract-b', member: code, score: 7 },
            { index: 'contract-b', member: `${code}-2`, score: 8 },
          ],
          journal: ['one', 'two'],
        },
        commitId(),
      );
      expect(landed).toEqual({
        status: 'committed',
        version: 2,
        spectators: 0,
        spectatorInstances: [],
      });
      expect(await redis.zscore(index('contract-a'), code)).toBeNull();
      expect(await redis.zrange(index('contract-b'), 0, -1, 'WITHSCORES')).toEqual([
        code,
        '7',
        `${code}-2`,
        '8',
      ]);
      const journal = `${prefix}room:{${code}}:journal`;
      expect(await redis.lrange(journal, 0, -1)).toEqual(['created', 'one', 'two']);
      expect(await redis.ttl(journal)).toBeGreaterThan(0);

      // A conflicting commit writes neither its index entries nor its journal lines.
      const stale = await store.commitRoom(
        code,
        1,
        {
          indexes: [{ index: 'contract-a', member: code, score: 5 }],
          journal: ['lost'],
        },
        commitId(),
      );
      expect(stale.status).toBe('conflict');
      expect(await redis.lrange(journal, 0, -1)).toEqual(['created', 'one', 'two']);
      expect(await redis.zscore(index('contract-a'), code)).toBeNull();

      expect(await store.deleteRoom(code)).toBe(true);
      expect(await redis.exists(journal)).toBe(0);
      await redis.del(index('contract-b'));
    });

    it('commitRoom on a room that does not exist answers not_found', async () => {
      expect(
        await store.commitRoom(randomRoomCode(), 1, { meta: { phase: 'gameplay' } }, commitId()),
      ).toEqual({
        status: 'not_found',
      });
    });

    it('50 parallel commits at the same version: exactly one lands, the rest conflict (several rounds)', async () => {
      const code = randomRoomCode();
      await store.createRoom(code, waitingRoom());
      for (let round = 0; round < 4; round++) {
        const expected = (await store.loadRoom(code))!.version;
        const contenders = Array.from({ length: 50 }, (_, i) =>
          player(0, { name: `round ${round} contender ${i}` }),
        );

        const results = await Promise.all(
          contenders.map((p) =>
            store.commitRoom(code, expected, { upsertPlayers: [p] }, commitId()),
          ),
        );

        const winners = results.flatMap((r, i) => (r.status === 'committed' ? [i] : []));
        expect(winners).toHaveLength(1);
        expect(results.filter((r) => r.status === 'committed')).toEqual([
          { status: 'committed', version: expected + 1, spectators: 0, spectatorInstances: [] },
        ]);
        expect(results.filter((r) => r.status === 'conflict')).toEqual(
          Array.from({ length: 49 }, () => ({ status: 'conflict', version: expected + 1 })),
        );
        const room = (await store.loadRoom(code))!;
        expect(room.version).toBe(expected + 1);
        expect(room.players).toEqual([contenders[winners[0]!]]);
      }
    });
  });

  describe('spectators', () => {
    it('counts spectators per instance beside the room, up to the limit, and never bumps its version', async () => {
      const code = randomRoomCode();
      await store.createRoom(code, waitingRoom(), [player(0)]);
      const before = (await store.loadRoom(code))!;

      expect(await store.addSpectator(code, 'i1', 3)).toEqual({
        status: 'watching',
        spectators: 1,
      });
      expect(await store.addSpectator(code, 'i2', 3)).toEqual({
        status: 'watching',
        spectators: 2,
      });
      expect(await store.addSpectator(code, 'i1', 3)).toEqual({
        status: 'watching',
        spectators: 3,
      });
      expect(await store.addSpectator(code, 'i2', 3)).toEqual({ status: 'full', spectators: 3 });
      expect(await store.addSpectator(randomRoomCode(), 'i1', 3)).toEqual({ status: 'not_found' });

      expect(await store.countSpectators(code)).toBe(3);
      const after = (await store.loadRoom(code))!;
      expect(after.spectators).toBe(3);
      expect({ ...after, spectators: 0 }).toEqual({ ...before, spectators: 0 });
      // The count rides on the commit's own answer, with the instances the spectators watch from.
      const landed = await store.commitRoom(code, 1, { upsertPlayers: [player(1)] }, commitId());
      expect(landed).toMatchObject({ status: 'committed', version: 2, spectators: 3 });
      expect(
        landed.status === 'committed' && [...(landed.spectatorInstances ?? [])].sort(),
      ).toEqual(['i1', 'i2']);

      expect(await store.removeSpectator(code, 'i1')).toBe(2);
      expect(await store.setSpectators(code, 'i1', 0)).toBe(1);
      expect(await store.removeSpectator(code, 'i1')).toBe(1);
      expect(await store.setSpectators(code, 'i2', 5)).toBe(5);
      expect(await store.removeSpectator(code, 'i2')).toBe(4);
      expect((await store.loadRoom(code))!.version).toBe(2);
    });

    it('the count has the room TTL, goes with the room, and is not set for a room that is gone', async () => {
      const code = randomRoomCode();
      await store.createRoom(code, waitingRoom());
      await store.addSpectator(code, 'i1', 100);
      const key = `${prefix}room:{${code}}:spectators`;
      const ttl = await redis.ttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(ctx.config.game.roomTtlSeconds);

      await store.deleteRoom(code);

      expect(await redis.exists(key)).toBe(0);
      expect(await store.countSpectators(code)).toBe(0);
      expect(await store.setSpectators(code, 'i1', 2)).toBe(0);
      expect(await redis.exists(key)).toBe(0);
    });

    it('an instance notes the rooms it watches; forgetting a dead instance drops the note', async () => {
      const id = `contract-${randomUUID()}`;
      const [a, b] = [randomRoomCode(), randomRoomCode()];
      await store.registerWatchedRoom(id, a);
      await store.registerWatchedRoom(id, b);
      await store.unregisterWatchedRoom(id, b);
      expect(await store.watchedRooms(id)).toEqual([a]);

      // Leased as dead by a survivor (its heartbeat score negative), then forgotten.
      await store.instanceHeartbeat(id, Date.now() - 60_000, 0, 1_000, 1);
      await store.instanceHeartbeat('contract-survivor', Date.now(), Date.now() - 1_000, 60_000, 5);
      await store.forgetInstance(id);

      expect(await store.watchedRooms(id)).toEqual([]);
    });
  });

  describe('expiry', () => {
    it('every room key carries the {CODE} hash tag and a TTL, refreshed by activity', async () => {
      const code = randomRoomCode();
      await store.createRoom(code, waitingRoom());
      for (const p of fullTable()) await store.addPlayerToRoom(code, p);
      await store.saveGameState(code, sampleMatch());

      const keys = await roomKeys(code);
      // At least the room, its players and its match.
      expect(keys.length).toBeGreaterThanOrEqual(3);
      const ttl = ctx.config.game.roomTtlSeconds;
      for (const key of keys) {
        expect(key).toContain(`{${code}}`);
        const left = await redis.ttl(key);
        expect(left).toBeGreaterThan(0);
        expect(left).toBeLessThanOrEqual(ttl);
      }

      // Shorten every TTL, then one move: all of them are back to the full room TTL.
      for (const key of keys) await redis.expire(key, 30);
      const { version } = (await store.loadRoom(code))!;
      await store.commitRoom(code, version, { meta: { phase: 'hokm_selection' } }, commitId());
      for (const key of keys) expect(await redis.ttl(key)).toBeGreaterThan(ttl - 60);
    });

    it('once the keys expire: roomExists false, loadRoom null, commitRoom not_found, the code is free', async () => {
      const code = randomRoomCode();
      await store.createRoom(code, waitingRoom());
      await store.addPlayerToRoom(code, player(0));
      await store.saveGameState(code, sampleMatch());
      const { version } = (await store.loadRoom(code))!;

      const keys = await roomKeys(code);
      for (const key of keys) await redis.pexpire(key, 1);
      await waitFor('the room keys to expire', async () => (await redis.exists(...keys)) === 0);

      expect(await store.roomExists(code)).toBe(false);
      expect(await store.loadRoom(code)).toBeNull();
      expect(await store.getRoomPlayers(code)).toEqual([]);
      expect(await store.getGameState(code)).toBeNull();
      expect(
        await store.commitRoom(code, version, { meta: { phase: 'gameplay' } }, commitId()),
      ).toEqual({
        status: 'not_found',
      });
      expect(await store.createRoom(code, waitingRoom())).toBe(true);
      expect((await store.loadRoom(code))!.version).toBe(1);
    });
  });

  describe('deadline index', () => {
    // Deadlines are plain numbers handed in by the caller; a far-off base keeps tests apart.
    let base = 1_000_000;
    beforeEach(() => {
      base += 1_000_000;
    });

    /** A room whose create writes its deadline into the index, as DeadlineIndexExtension does. */
    const roomDueAt = async (dueAt: number): Promise<string> => {
      const code = randomRoomCode();
      const indexes = [{ index: DEADLINES_INDEX, member: code, score: dueAt }];
      expect(await store.createRoom(code, waitingRoom(), [], { indexes })).toBe(true);
      return code;
    };
    const scoreOf = async (code: string) => redis.zscore(`${prefix}index:${DEADLINES_INDEX}`, code);

    it('claims only due rooms, earliest first, leases them so a second claim gets nothing, and re-offers them after the lease', async () => {
      const later = await roomDueAt(base + 200);
      const first = await roomDueAt(base + 100);
      const notYet = await roomDueAt(base + 5_000);

      expect(await store.claimDueDeadlines(base + 250, 1_000, 10)).toEqual([first, later]);
      expect(await scoreOf(first)).toBe(String(base + 1_250));
      expect(await store.claimDueDeadlines(base + 250, 1_000, 10)).toEqual([]);
      expect(await store.claimDueDeadlines(base + 1_000, 1_000, 10)).toEqual([]);

      // A claimer that died without completing: its rooms come back once the lease runs out
      // (both at the same lease end now, so in no particular order).
      const again = await store.claimDueDeadlines(base + 1_251, 1_000, 10);
      expect(again.sort()).toEqual([first, later].sort());

      for (const code of [first, later]) {
        expect(await store.completeDeadline(code, base + 2_251, null)).toBe(true);
      }
      expect(await store.claimDueDeadlines(base + 4_999, 1_000, 10)).toEqual([]);
      expect(await store.claimDueDeadlines(base + 5_000, 1_000, 10)).toEqual([notYet]);
      expect(await store.completeDeadline(notYet, base + 6_000, null)).toBe(true);
      expect(await store.claimDueDeadlines(base + 900_000, 1_000, 10)).toEqual([]);
    });

    it('claims at most `limit` rooms, earliest first', async () => {
      const codes = [await roomDueAt(base + 30), await roomDueAt(base + 20)];
      codes.push(await roomDueAt(base + 10));

      expect(await store.claimDueDeadlines(base + 100, 1_000, 2)).toEqual([codes[2], codes[1]]);
      expect(await store.claimDueDeadlines(base + 100, 1_000, 2)).toEqual([codes[0]]);
      for (const code of codes) await store.completeDeadline(code, base + 1_100, null);
      expect(await store.claimDueDeadlines(base + 900_000, 1_000, 10)).toEqual([]);
    });

    it('claims one room only while it is due and not leased (or when it has no entry)', async () => {
      const code = await roomDueAt(base + 100);

      expect(await store.claimDeadline(code, base + 99, 1_000)).toBe(false);
      expect(await store.claimDeadline(code, base + 100, 1_000)).toBe(true);
      expect(await store.claimDeadline(code, base + 500, 1_000)).toBe(false);
      expect(await store.claimDueDeadlines(base + 500, 1_000, 10)).toEqual([]);

      expect(await store.completeDeadline(code, base + 1_100, null)).toBe(true);
      expect(await scoreOf(code)).toBeNull();

      // No entry (lost): the claimer's own deadline stands; the lease keeps others off it.
      expect(await store.claimDeadline(code, base + 2_000, 1_000)).toBe(true);
      expect(await scoreOf(code)).toBe(String(base + 3_000));
      expect(await store.claimDeadline(code, base + 2_500, 1_000)).toBe(false);
      expect(await store.completeDeadline(code, base + 3_000, null)).toBe(true);
    });

    it('completing sets the next deadline or removes it, unless a commit wrote one meanwhile', async () => {
      const moved = await roomDueAt(base + 10);
      const rescheduled = await roomDueAt(base + 11);
      expect(await store.claimDueDeadlines(base + 20, 1_000, 10)).toEqual([moved, rescheduled]);

      // The room's own commit moves its deadline while the claimer still holds the lease.
      const committed = await store.commitRoom(
        moved,
        1,
        {
          meta: { phase: 'hokm_selection' },
          indexes: [{ index: DEADLINES_INDEX, member: moved, score: base + 70_000 }],
        },
        commitId(),
      );
      expect(committed.status).toBe('committed');
      expect(await store.completeDeadline(moved, base + 1_020, null)).toBe(false);
      expect(await scoreOf(moved)).toBe(String(base + 70_000));

      // A lease nobody touched ends with the room's next deadline.
      expect(await store.completeDeadline(rescheduled, base + 1_020, base + 50_000)).toBe(true);
      expect(await scoreOf(rescheduled)).toBe(String(base + 50_000));
      // Completing twice, or with a lease that is not the entry's, changes nothing.
      expect(await store.completeDeadline(rescheduled, base + 1_020, null)).toBe(false);

      expect(await store.claimDueDeadlines(base + 60_000, 100_000, 10)).toEqual([rescheduled]);
      expect(await store.claimDueDeadlines(base + 80_000, 1_000, 10)).toEqual([moved]);
      expect(await store.completeDeadline(rescheduled, base + 160_000, null)).toBe(true);
      expect(await store.completeDeadline(moved, base + 81_000, null)).toBe(true);
    });

    it("takes the first release's grace timers: the room's entry unless it falls due sooner, each once, malformed ones dropped", async () => {
      const legacy = `${prefix}timers:grace`;
      const index = `${prefix}index:${DEADLINES_INDEX}`;
      const [soon, late, fresh] = [randomRoomCode(), randomRoomCode(), randomRoomCode()];
      // `soon` keeps its earlier entry, `late`'s is brought forward, `fresh` gets one.
      await redis.zadd(index, base + 1_000, soon, base + 9_000, late);
      await redis.zadd(
        legacy,
        base + 5_000,
        `${soon}|p1|${base}`,
        base + 5_000,
        `${late}|p2|${base}`,
      );
      await redis.zadd(legacy, base + 6_000, `${fresh}|p3|${base}`, base + 7_000, 'not a timer');

      expect(await store.adoptLegacyGraceTimers(2)).toBe(2);
      expect(await redis.zcard(legacy)).toBe(2);
      expect(await store.adoptLegacyGraceTimers(100)).toBe(2);
      expect(await store.adoptLegacyGraceTimers(100)).toBe(0);

      expect(await redis.exists(legacy)).toBe(0);
      expect([await scoreOf(soon), await scoreOf(late), await scoreOf(fresh)]).toEqual(
        [base + 1_000, base + 5_000, base + 6_000].map(String),
      );
      expect(await redis.zscore(index, 'not a timer')).toBeNull();
      await redis.zrem(index, soon, late, fresh);
    });

    it('counts the deadlines on record, due or not', async () => {
      const before = await store.countDeadlines();
      const codes = [await roomDueAt(base + 10), await roomDueAt(base + 900_000)];
      expect(await store.countDeadlines()).toBe(before + 2);
      await store.claimDueDeadlines(base + 20, 1_000, 10);
      expect(await store.countDeadlines()).toBe(before + 2);
      expect(await store.completeDeadline(codes[0]!, base + 1_020, null)).toBe(true);
      expect(await store.countDeadlines()).toBe(before + 1);
      await redis.zrem(`${prefix}index:${DEADLINES_INDEX}`, codes[1]!);
    });
  });

  describe('performance metrics', () => {
    const countOf = (m: PerformanceMetrics, operation: string, path: string) =>
      m.operations.find((o) => o.operation === operation && o.path === path)?.count ?? 0;

    it(`counts every operation on the ${variant.servedOn} path, with totals, error rate and latency`, async () => {
      const before = store.getPerformanceMetrics();
      const code = randomRoomCode();

      await store.createRoom(code, waitingRoom());
      await store.roomExists(code);
      await store.roomExists(code);
      await store.addPlayerToRoom(code, player(0));
      await store.loadRoom(code);
      await store.commitRoom(code, 2, { upsertPlayers: [player(1)] }, commitId());
      await store.getActiveRooms();

      const after = store.getPerformanceMetrics();
      const expected: Record<string, number> = {
        createRoom: 1,
        roomExists: 2,
        addPlayerToRoom: 1,
        loadRoom: 1,
        commitRoom: 1,
        getActiveRooms: 1,
      };
      for (const [operation, n] of Object.entries(expected)) {
        expect({
          operation,
          delta:
            countOf(after, operation, variant.servedOn) -
            countOf(before, operation, variant.servedOn),
        }).toEqual({
          operation,
          delta: n,
        });
      }
      const otherPath = variant.servedOn === 'async' ? 'legacy' : 'async';
      expect(after.operations.filter((o: OperationMetrics) => o.path === otherPath)).toEqual([]);
      expect(after).toMatchObject({
        provider: variant.provider,
        path: variant.path,
        fallbacks: 0,
        total_errors: 0,
      });
      expect(after.total_operations).toBe(after.operations.reduce((sum, o) => sum + o.count, 0));
      expect(after.total_operations - before.total_operations).toBe(7);
      expect(after.error_rate).toBe(0);
      expect(after.avg_latency).toBeGreaterThan(0);
      expect(after.p99_latency).toBeGreaterThanOrEqual(after.p50_latency);
    });
  });
});
