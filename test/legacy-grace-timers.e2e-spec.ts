// An upgrade from the first release: that release kept reconnect-grace deadlines in a sorted set
// of their own (`timers:grace`), which this one does not read. Its timers move into the deadline
// index, so a seat that dropped before the upgrade is still released when its grace runs out.
import type { SeatedPlayer } from '../src/game-state/domain/types';
import { DEADLINES_INDEX } from '../src/game-state/deadline-index.port';
import type { GameStore } from '../src/redis/game-store';
import { KeySpace } from '../src/redis/keys';
import { GAME_STORE } from '../src/redis/redis.constants';
import { randomRoomCode, testConfig, uniquePrefix } from './support/config';
import { player, waitingRoom } from './support/fixtures';
import { startGameApp, type GameApp } from './support/game-app';
import { createStoreContext, type StoreContext } from './support/nest';
import { REDIS_TARGET } from './support/redis-target';
import { waitFor } from './support/wait';

/** A first release's timer: its member and its score (the grace's end). */
function legacyTimer(roomCode: string, seat: SeatedPlayer, graceMs: number): [number, string] {
  const at = seat.disconnectedAt!;
  return [at + graceMs, `${roomCode}|${seat.playerId}|${at}`];
}

describe("the first release's reconnect-grace timers", () => {
  let ctx: StoreContext | undefined;
  let app: GameApp | undefined;
  const raw = REDIS_TARGET.connect();

  afterEach(async () => {
    await app?.close();
    await ctx?.close();
    app = ctx = undefined;
  });

  afterAll(() => {
    raw.disconnect();
  });

  it("move into the deadline index: the room's own entry when it falls due sooner, each once, malformed ones dropped", async () => {
    ctx = await createStoreContext(testConfig());
    const keys = new KeySpace(ctx.config.redis.keyPrefix);
    const index = keys.index(DEADLINES_INDEX);
    // SOON keeps its earlier entry, LATE's is brought forward, NEW gets one.
    await raw.zadd(index, 1_000, 'SOON', 9_000, 'LATE');
    await raw.zadd(
      keys.legacyGraceTimers,
      5_000,
      'SOON|p1|4000',
      5_000,
      'LATE|p2|4000',
      6_000,
      'NEW|p3|5000',
      7_000,
      'no timer at all',
    );

    expect(await ctx.store.adoptLegacyGraceTimers(2)).toBe(2);
    expect(await raw.zcard(keys.legacyGraceTimers)).toBe(2);
    expect(await ctx.store.adoptLegacyGraceTimers(100)).toBe(2);

    expect(await raw.zrange(index, 0, -1, 'WITHSCORES')).toEqual([
      'SOON',
      '1000',
      'LATE',
      '5000',
      'NEW',
      '6000',
    ]);
    expect(await raw.exists(keys.legacyGraceTimers)).toBe(0);
    expect(await ctx.store.adoptLegacyGraceTimers(100)).toBe(0);
  });

  it('a seat that dropped before the upgrade is released when its grace has run out; a room without a timer is left alone', async () => {
    const prefix = uniquePrefix();
    ctx = await createStoreContext(testConfig({ REDIS_KEY_PREFIX: prefix }));
    const graceMs = ctx.config.game.reconnectGraceSeconds * 1000;
    // As the first release left them: a guest who dropped long ago, their timer in its own set,
    // and no entry in the deadline index (that release had none).
    const dropped = player(1, { connected: false, disconnectedAt: Date.now() - graceMs - 60_000 });
    const [upgraded, untouched] = [randomRoomCode(), randomRoomCode()];
    for (const code of [upgraded, untouched]) {
      expect(await ctx.store.createRoom(code, waitingRoom(), [player(0), dropped])).toBe(true);
    }
    const keys = new KeySpace(prefix);
    await raw.zadd(keys.legacyGraceTimers, ...legacyTimer(upgraded, dropped, graceMs));
    await ctx.close({ keepKeys: true });
    ctx = undefined;

    app = await startGameApp({ REDIS_KEY_PREFIX: prefix });
    const store = app.app.get<GameStore>(GAME_STORE);
    const seated = async (code: string) =>
      (await store.loadRoom(code))?.players.map((p) => p.playerId);

    await waitFor('the dropped guest to lose the seat', async () =>
      (await seated(upgraded))?.join() === 'p0' ? true : undefined,
    );
    expect(await raw.exists(keys.legacyGraceTimers)).toBe(0);
    // Nothing says the other room has a deadline: it is as it was.
    expect(await seated(untouched)).toEqual(['p0', 'p1']);
    expect((await store.loadRoom(untouched))?.version).toBe(1);
  });
});
