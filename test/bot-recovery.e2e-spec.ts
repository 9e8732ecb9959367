import { GameClient, playUntil } from './support/game-client';
import { startGameApp, type GameApp } from './support/game-app';
import { startPrivateRedis, type PrivateRedis } from './support/redis-target';

// A table waiting on a bot must not stall when Redis hiccups under the bot's move: the move
// fails (or lands with its answer lost), and the bot driver looks at the room again. On a
// Redis of the target's kind that only this file uses (a redis-server, or a cluster of its own):
// the stall holds every client of it.
describe('bots after a Redis stall', () => {
  let redis: PrivateRedis;
  let app: GameApp;
  let host: GameClient | undefined;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    app = await startGameApp({
      ...redis.env,
      // Long enough to stall Redis before the bot acts; a short command deadline so it fails.
      BOT_DELAY_MS: '300',
      REDIS_COMMAND_TIMEOUT_MS: '100',
    });
  });

  afterAll(async () => {
    host?.close();
    await app?.close();
    await redis?.stop();
  });

  it('the match goes on to game_over after Redis stalls while a bot is to move', async () => {
    // Arrange: a person and three bots, played up to a moment where a bot is to move.
    host = await GameClient.connect(app.url);
    await host.ok('create_room', { name: 'Solo', targetScore: 1 });
    await host.ok('add_bots', {});
    const me = host.seat!.playerId;
    const waiting = await playUntil(
      [host],
      (v) => v.phase !== 'waiting_for_players' && v.turn !== null && v.turn !== me,
    );

    // Act: every Redis command of the server is held for 1.5 s, across the bot's move.
    await redis.pauseClients(1500);

    // Assert: the room moves on without anyone else acting, and the match finishes.
    const moved = await host.waitForState((v) => v.version > waiting.version, {
      timeoutMs: 15_000,
      what: 'the bot to move after the stall',
    });
    expect(moved.version).toBeGreaterThan(waiting.version);
    const final = await playUntil([host], (v) => v.phase === 'game_over', { timeoutMs: 20_000 });
    expect(final.winnerTeam).not.toBeNull();
  });
});
