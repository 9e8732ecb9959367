// An upgrade from the first release: that release kept reconnect-grace deadlines in a sorted set
// of their own (`timers:grace`), which this one does not read. Its timers move into the deadline
// index, so a seat that dropped before the upgrade is still released when its grace runs out.
// (The move itself, under every provider: test/store.contract.e2e-spec.ts.)
import type { SeatedPlayer } from '../src/game-state/domain/types';
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
