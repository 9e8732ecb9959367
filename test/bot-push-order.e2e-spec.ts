// Bots on two instances: every person sees every version of the room, in order, when the moves
// that follow one another are made by different instances (a bot's turn is taken by whichever
// instance's timer comes first, which may be before the change before it has reached it).
import type { GameView } from '../src/protocol/hokm-protocol';
import { uniquePrefix } from './support/config';
import { startGameApp, type GameApp } from './support/game-app';
import { GameClient, MessageRecorder, playUntil } from './support/game-client';
import { metricValue } from './support/metrics';
import { gaps, socketVersions } from './support/multi-instance';

const TABLES = 8;

describe('bots at tables split over two instances', () => {
  let apps: GameApp[] = [];

  beforeAll(async () => {
    // With the test defaults bots move at once and each instance claims due turns every 50 ms,
    // so the instance that did not make a change often takes the bot's turn that follows it.
    const env = { REDIS_KEY_PREFIX: uniquePrefix('bot-order') };
    apps = [await startGameApp(env), await startGameApp(env)];
  });

  afterAll(async () => {
    await apps[0]?.close({ keepKeys: true });
    await apps[1]?.close();
  });

  it('every person gets every version, in order', async () => {
    const [a, b] = apps as [GameApp, GameApp];
    const tables = await Promise.all(
      Array.from({ length: TABLES }, async (_, t) => {
        const host = await GameClient.connect(a.url, {
          recorder: new MessageRecorder(`t${t}.host@A`),
        });
        const guest = await GameClient.connect(b.url, {
          recorder: new MessageRecorder(`t${t}.guest@B`),
        });
        const { roomCode } = await host.ok('create_room', { name: 'Host', targetScore: 2 });
        await guest.ok('join', { roomCode, name: 'Guest' });
        await host.waitForState((v) => v.players.length === 2, { what: 'the guest' });
        await host.ok('add_bots', { count: 2 });
        const final = await playUntil([host, guest], (v) => v.phase === 'game_over', {
          timeoutMs: 20_000,
        });
        await Promise.all(
          [host, guest].map((c) =>
            c.waitForState((v) => v.version >= final.version, { what: `v${final.version}` }),
          ),
        );
        return [host, guest];
      }),
    );
    for (const client of tables.flat()) {
      const versions = socketVersions(client);
      expect({ who: client.label, gaps: gaps(versions) }).toEqual({ who: client.label, gaps: [] });
      const ordered = [...versions].sort((x, y) => x - y);
      expect(versions).toEqual(ordered);
      expect((client.state as GameView).phase).toBe('game_over');
      client.close();
    }
    // Nothing was given up waiting; how often a change waited for the one before it, reported.
    // An ack waits only for its own held change, so no more acks waited than changes were held.
    let held = 0;
    let acksHeld = 0;
    for (const app of apps) {
      expect(await metricValue(app.url, 'hokm_room_versions_skipped_total')).toBe(0);
      const changes = await metricValue(app.url, 'hokm_room_changes_held_total');
      const acks = await metricValue(app.url, 'hokm_move_ack_held_seconds_count');
      expect(acks).toBeLessThanOrEqual(changes);
      held += changes;
      acksHeld += acks;
    }
    process.stdout.write(
      `bots on two instances: ${held} changes waited for the one before, ${acksHeld} acks with them\n`,
    );
  }, 90_000);
});
